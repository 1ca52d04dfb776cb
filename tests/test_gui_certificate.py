"""The certificate viewer (#18), driven through the real main window: a file
signed with the test PKI is dropped, its card's "Certificate…" opens the
viewer; the fields, the chain tree, Export (PEM and DER) and "Trust this
certificate…" are checked against the PKI's own certificates."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import pem, x509
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QToolButton

from desktop.certificate_dialog import CertificateDialog, fingerprint
from desktop.i18n import TsTranslator
from desktop.main_window import MainWindow
from desktop.settings import SettingsStore
from signing.model.results import EntryKind, FileResult, ListedService, TrustPath
from signing.reports.json_report import file_result_from_json, file_result_to_json
from signing.sign.request import Level
from tests.gui_helpers import (
    drop,
    make_pdf,
    signed_contract,
    trusting_window,
)
from tests.pki import PKI
from tests.sign_helpers import sign_with_pki

pytestmark = pytest.mark.gui

TS_FILE = Path(__file__).resolve().parent.parent / "resources" / "translations" / "shomei_ja.ts"


@pytest.fixture(scope="module")
def signed_pdf(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return signed_contract(pki, tmp_path_factory.mktemp("signed"), Level.B_T)


window = trusting_window  # the fixture, under the name the tests ask for


def _validated(window: MainWindow, qtbot: Any, path: Path) -> FileResult:
    with qtbot.waitSignal(window.result_shown, timeout=60_000) as blocker:
        drop(window.home.drop_zone, [path])
    result: FileResult = blocker.args[0]
    return result


def _open_from_card(window: MainWindow, qtbot: Any, name: str) -> CertificateDialog:
    card = window.validation_view.cards[0]
    kind = QToolButton if name == "tsaCertificateButton" else QPushButton
    button = card.findChild(kind, name)
    assert button is not None and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = window.certificate_dialog
    assert isinstance(dialog, CertificateDialog)
    qtbot.waitExposed(dialog)
    return dialog


def _click_tree(qtbot: Any, dialog: CertificateDialog, index: int) -> None:
    """A real click on the path's ``index``-th certificate in the tree."""
    item = dialog.items[index]
    rect = dialog.tree.visualItemRect(item)
    qtbot.mouseClick(dialog.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.current == index


def _text(dialog: CertificateDialog, name: str) -> str:
    return dialog.fields[name].text()


def test_signer_certificate_from_the_card(
    window: MainWindow, qtbot: Any, signed_pdf: Path, pki: PKI
) -> None:
    _validated(window, qtbot, signed_pdf)
    dialog = _open_from_card(window, qtbot, "certificateButton")
    der = pki.cert_der("signer-rsa")
    cert = x509.Certificate.load(der)
    assert "Alice Tester" in _text(dialog, "subject")
    assert "Shomei Test Qualified CA" in _text(dialog, "issuer")
    assert _text(dialog, "serial") == format(cert.serial_number, "X")
    assert _text(dialog, "fingerprint").replace("\n", ":") == fingerprint(
        hashlib.sha256(der).hexdigest()
    )
    assert _text(dialog, "validity") == "2026-01-01 00:00:00 UTC to 2029-01-01 00:00:00 UTC"
    assert _text(dialog, "validityState").startswith("Valid at the validation time")
    assert _text(dialog, "keyUsage") == "Digital signature\nNon-repudiation (content commitment)"
    assert _text(dialog, "extendedKeyUsage") == "(not in the certificate)"
    assert _text(dialog, "qc").splitlines() == [
        "EU qualified certificate (QcCompliance)",
        "Private key in a qualified device, QSCD (QcSSCD)",
        "Type: electronic signatures (esign)",
    ]
    assert _text(dialog, "kind") == "End entity"
    assert _text(dialog, "anchor") == "No"
    # the EU lists are off in this window: said so, not left blank
    assert dialog.fields["euQualification"].isVisible()
    assert _text(dialog, "euEntry") == "Not assessed"

    # the path as a tree: the root at the top, the signer deepest
    assert dialog.tree.topLevelItemCount() == 1
    assert len(dialog.items) == 3
    top = dialog.tree.topLevelItem(0)
    assert top is dialog.items[2] and top.text(0) == "Shomei Test Root CA"
    assert top.child(0) is dialog.items[1] and dialog.items[1].child(0) is dialog.items[0]
    _click_tree(qtbot, dialog, 1)
    assert "Shomei Test Qualified CA" in _text(dialog, "subject")
    assert _text(dialog, "kind") == "Certificate authority"
    assert "Certificate signing" in _text(dialog, "keyUsage")
    assert _text(dialog, "fingerprint").replace("\n", ":") == fingerprint(
        hashlib.sha256(pki.cert_der("interm")).hexdigest()
    )
    # the columns' verdicts are about the viewed certificate only
    assert not dialog.fields["euQualification"].isVisible()
    _click_tree(qtbot, dialog, 2)
    assert _text(dialog, "kind") == "Certificate authority (self-signed root)"
    assert _text(dialog, "anchor").startswith("Yes: your trusted certificates (")
    _click_tree(qtbot, dialog, 0)
    assert "Alice Tester" in _text(dialog, "subject")


def test_export_pem_and_der(
    window: MainWindow,
    qtbot: Any,
    signed_pdf: Path,
    pki: PKI,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _validated(window, qtbot, signed_pdf)
    dialog = _open_from_card(window, qtbot, "certificateButton")
    _click_tree(qtbot, dialog, 1)
    answers = [str(tmp_path / "ca.pem"), str(tmp_path / "ca.cer")]
    asked: list[str] = []

    def save_as(_parent: Any, _title: str, suggested: str, *_a: Any) -> tuple[str, str]:
        asked.append(suggested)
        return answers[len(asked) - 1], ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert asked[0] == "Shomei Test Qualified CA.pem"
    der = pki.cert_der("interm")
    text = (tmp_path / "ca.pem").read_bytes()
    kind, _headers, body = pem.unarmor(text)
    assert kind == "CERTIFICATE" and body == der
    assert (tmp_path / "ca.cer").read_bytes() == der
    assert _text(dialog, "anchor") == "No"
    assert dialog.note.text() == f"Saved {tmp_path / 'ca.cer'}"
    # no temporary file left beside them
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("ca")) == [
        "ca.cer",
        "ca.pem",
    ]


def _trust_box(dialog: CertificateDialog, qtbot: Any) -> QMessageBox:
    qtbot.mouseClick(dialog.trust_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "trustConfirm") is not None)
    box = dialog.findChild(QMessageBox, "trustConfirm")
    assert isinstance(box, QMessageBox)
    return box


def test_trust_this_certificate_saves_the_anchor(
    window: MainWindow, qtbot: Any, signed_pdf: Path, pki: PKI, tmp_path: Path
) -> None:
    _validated(window, qtbot, signed_pdf)
    dialog = _open_from_card(window, qtbot, "certificateButton")
    _click_tree(qtbot, dialog, 1)
    before = window.settings.user_anchors
    # the confirmation says what trusting means, with the fingerprint to check
    box = _trust_box(dialog, qtbot)
    assert "as a trust anchor" in box.text() and "Shomei Test Qualified CA" in box.text()
    assert fingerprint(hashlib.sha256(pki.cert_der("interm")).hexdigest()) in box.informativeText()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert window.settings.user_anchors == before  # Cancel changes nothing

    box = _trust_box(dialog, qtbot)
    with qtbot.waitSignal(dialog.trusted, timeout=5_000):
        box.button(QMessageBox.StandardButton.Ok).click()
    added = [a for a in window.settings.user_anchors if a not in before]
    assert len(added) == 1
    anchor = Path(added[0])
    assert anchor.parent == tmp_path / "trusted-certificates"
    assert pem.unarmor(anchor.read_bytes())[2] == pki.cert_der("interm")
    # saved: a restart reads it back
    assert SettingsStore(str(tmp_path / "settings.ini")).load().user_anchors == (*before, added[0])
    assert "trust anchor" in dialog.note.text()
    # trusting it again does not add it twice
    box = _trust_box(dialog, qtbot)
    box.button(QMessageBox.StandardButton.Ok).click()
    assert window.settings.user_anchors == (*before, added[0])


def test_the_timestamp_line_opens_the_tsa(
    window: MainWindow, qtbot: Any, signed_pdf: Path, pki: PKI
) -> None:
    _validated(window, qtbot, signed_pdf)
    dialog = _open_from_card(window, qtbot, "tsaCertificateButton")
    assert dialog.windowTitle() == "Certificate of the time-stamping authority"
    assert "Shomei Test Time Stamping Unit" in _text(dialog, "subject")
    assert _text(dialog, "extendedKeyUsage") == "Time stamping"
    # its own path, up to the root it was validated against
    assert [item.text(0) for item in dialog.items] == [
        "Shomei Test Time Stamping Unit",
        "Shomei Test Root CA",
    ]
    assert _text(dialog, "fingerprint").replace("\n", ":") == fingerprint(
        hashlib.sha256(pki.cert_der("tsa")).hexdigest()
    )
    _click_tree(qtbot, dialog, 1)
    assert _text(dialog, "anchor").startswith("Yes: your trusted certificates (")


def test_expired_at_the_validation_time_but_valid_when_signed(
    window: MainWindow, qtbot: Any, signed_pdf: Path
) -> None:
    result = _validated(window, qtbot, signed_pdf)
    sig = result.signatures[0]
    later = datetime(2030, 1, 1, tzinfo=UTC)
    dialog = CertificateDialog(sig, validation_time=later, parent=window)
    qtbot.addWidget(dialog)
    lines = _text(dialog, "validityState").splitlines()
    assert lines[0] == "EXPIRED at the validation time (2030-01-01 00:00:00 UTC)"
    assert lines[1].startswith("It was valid when signed (")
    early = CertificateDialog(sig, validation_time=datetime(2020, 1, 1, tzinfo=UTC))
    qtbot.addWidget(early)
    assert _text(early, "validityState").startswith("NOT YET VALID at the validation time")
    assert not early.trust_button.isVisible()  # no settings to add it to


def test_eu_entry_and_japanese_anchor_are_shown(
    window: MainWindow, qtbot: Any, signed_pdf: Path
) -> None:
    sig = _validated(window, qtbot, signed_pdf).signatures[0]
    at = datetime(2026, 6, 1, tzinfo=UTC)
    sig = replace(
        sig,
        eu_service=ListedService("BE", "Shomei TSP", "Shomei QC for signatures", "granted", at),
        jp_path=TrustPath(anchor="jp-tl:SECOM RSA Root CA 2023"),
    )
    dialog = CertificateDialog(sig)
    qtbot.addWidget(dialog)
    assert _text(dialog, "euEntry") == (
        "BE: Shomei QC for signatures, by Shomei TSP; status “granted” on 2026-06-01 00:00:00 UTC"
    )
    assert _text(dialog, "jpAnchor").startswith(
        "Chains to the Japanese trust anchor SECOM RSA Root CA 2023"
    )


def test_a_result_read_from_a_report_has_no_bytes_to_export(
    window: MainWindow, qtbot: Any, signed_pdf: Path
) -> None:
    result = _validated(window, qtbot, signed_pdf)
    again = file_result_from_json(file_result_to_json(result))
    dialog = CertificateDialog(again.signatures[0])
    qtbot.addWidget(dialog)
    assert "Alice Tester" in _text(dialog, "subject")
    assert _text(dialog, "keyUsage") == "Not in this result (it was read from a saved report)"
    assert not dialog.export_button.isEnabled()
    assert dialog.export() is None


def test_an_unreadable_certificate_is_said_so(
    window: MainWindow, qtbot: Any, signed_pdf: Path
) -> None:
    """Bytes that are no certificate (never from a validation, but a viewer
    must not crash on them) are shown as such and cannot be trusted."""
    sig = _validated(window, qtbot, signed_pdf).signatures[0]
    assert sig.signer is not None
    sig = replace(sig, chain=(), signer=replace(sig.signer, der=b"\x30\x03\x02\x01\x01"))
    dialog = CertificateDialog(sig, trust_certificate=lambda der: None)
    qtbot.addWidget(dialog)
    assert _text(dialog, "qc") == "This certificate cannot be read"
    assert "Alice Tester" in _text(dialog, "subject")
    assert not dialog.trust_button.isEnabled()
    assert dialog.ask_trust() is None


def test_a_document_timestamp_card_opens_its_tsa(
    window: MainWindow, qtbot: Any, pki: PKI, tmp_path: Path
) -> None:
    out = sign_with_pki(pki, make_pdf(tmp_path / "in.pdf"), tmp_path / "lta.pdf", Level.B_LTA)
    _validated(window, qtbot, out)
    cards = window.validation_view.cards
    doc_ts = next(c for c in cards if c.sig.kind is EntryKind.DOCUMENT_TIMESTAMP)
    assert doc_ts.tsa_button is None  # its certificate is the TSA's already
    qtbot.mouseClick(doc_ts.certificate_button, Qt.MouseButton.LeftButton)
    dialog = window.certificate_dialog
    assert isinstance(dialog, CertificateDialog)
    assert dialog.windowTitle() == "Certificate of the time-stamping authority"
    assert "Shomei Test Time Stamping Unit" in _text(dialog, "subject")
    assert len(dialog.items) == 2


def test_japanese_texts(window: MainWindow, qtbot: Any, signed_pdf: Path) -> None:
    sig = _validated(window, qtbot, signed_pdf).signatures[0]
    app = QCoreApplication.instance()
    assert app is not None
    translator = TsTranslator(TS_FILE)
    app.installTranslator(translator)
    try:
        dialog = CertificateDialog(sig, trust_certificate=lambda der: None)
        qtbot.addWidget(dialog)
        assert dialog.windowTitle() == "署名者の証明書"
        assert dialog.export_button.text() == "エクスポート…"
        assert dialog.trust_button.text() == "この証明書を信頼…"
        assert _text(dialog, "keyUsage") == "デジタル署名\n否認防止（コンテンツコミットメント）"
        assert _text(dialog, "validityState").startswith("検証時点で有効")
    finally:
        app.removeTranslator(translator)
