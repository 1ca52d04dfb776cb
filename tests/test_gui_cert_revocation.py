"""The certificate viewer's revocation field in words (#18): the status,
when and why a certificate was revoked (RFC 5280's reason), and where the
answer came from, from the core's catalogue (signing.model.labels) in
English and Japanese; never the raw enum values ("good", "revoked",
"fetched-ocsp", "keyCompromise"). A real revoked signer of the test PKI
(revoked 2026-06-01 for key compromise, said by its OCSP responder)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from desktop.certificate_dialog import CertificateDialog, entry_text
from desktop.i18n import install_language
from desktop.main_window import MainWindow
from signing.model import labels
from signing.model.results import (
    ChainElement,
    FileResult,
    ListedService,
    RevocationReason,
    RevocationSource,
    RevocationStatus,
)
from signing.reports.json_report import file_result_from_json, file_result_to_json, schema_document
from tests.gui_helpers import (
    T,
    cert,
    drop,
    file_result,
    make_pdf,
    make_trusting_window,
    signature,
    wait_idle,
)
from tests.pki import KEY_PASSWORD, PKI

pytestmark = pytest.mark.gui

RAW = ("good", "revoked", "not-checked", "fetched-ocsp", "fetched-crl", "embedded", "keyCompromise")


@pytest.fixture(scope="module")
def revoked_pdf(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Signed (B-B) by ``signer-revoked`` with pyHanko directly: Shomei's
    signer would refuse the revoked certificate."""
    folder = tmp_path_factory.mktemp("revoked")
    src = make_pdf(folder / "plain.pdf")
    signer = signers.SimpleSigner.load_pkcs12(
        pki.p12_path("signer-revoked"), passphrase=KEY_PASSWORD.encode()
    )
    assert signer is not None
    meta = signers.PdfSignatureMetadata(
        field_name="Sig1", subfilter=SigSeedSubFilter.PADES, md_algorithm="sha256"
    )
    out = folder / "revoked.pdf"
    with src.open("rb") as fh, out.open("wb") as dst:
        signers.PdfSigner(meta, signer).sign_pdf(IncrementalPdfFileWriter(fh), output=dst)
    return out


@pytest.fixture
def window(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pki: PKI
) -> Iterator[MainWindow]:
    w = make_trusting_window(qtbot, tmp_path, monkeypatch, pki)
    yield w
    wait_idle(qtbot)
    install_language("en")


def _validated(window: MainWindow, qtbot: Any, path: Path) -> FileResult:
    with qtbot.waitSignal(window.result_shown, timeout=60_000) as blocker:
        drop(window.home.drop_zone, [path])
    result: FileResult = blocker.args[0]
    return result


def _dialog_from_card(window: MainWindow, qtbot: Any) -> CertificateDialog:
    button = window.validation_view.cards[0].findChild(QPushButton, "certificateButton")
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = window.certificate_dialog
    assert isinstance(dialog, CertificateDialog)
    return dialog


def test_a_revoked_signer_in_english_and_japanese(
    window: MainWindow, qtbot: Any, revoked_pdf: Path
) -> None:
    result = _validated(window, qtbot, revoked_pdf)
    sig = result.signatures[0]
    leaf = sig.chain[0]
    assert leaf.revocation_status is RevocationStatus.REVOKED
    assert leaf.revocation_reason is RevocationReason.KEY_COMPROMISE  # from the core
    source = labels.label(leaf.revocation_source, "en")

    dialog = _dialog_from_card(window, qtbot)
    text = dialog.fields["revocation"].text()
    assert text.splitlines() == [
        "Revoked",
        "Revoked on: 2026-06-01 00:00:00 UTC",
        "Reason: Key compromise",
        f"Source: {source}",
    ]
    assert not any(raw in text for raw in RAW)
    dialog.close()

    install_language("ja")
    dialog = CertificateDialog(sig)
    qtbot.addWidget(dialog)
    ja = dialog.fields["revocation"].text()
    assert ja.splitlines() == [
        "失効しています",
        "失効日時：2026年6月1日 00:00:00 UTC",
        "失効理由：鍵の危殆化",
        "失効情報の入手元：" + labels.label(leaf.revocation_source, "ja"),
    ]
    assert not any(raw in ja for raw in RAW)


def test_every_reason_has_words_and_survives_a_json_report() -> None:
    for reason in RevocationReason:
        en, ja = labels.label(reason, "en"), labels.label(reason, "ja")
        assert en and ja and en != reason.value and ja != en
    element = ChainElement(
        cert("Robert Revoked"),
        RevocationStatus.REVOKED,
        RevocationSource.FETCHED_CRL,
        T,
        revocation_reason=RevocationReason.CA_COMPROMISE,
    )
    assert labels.revocation_text(element, "en").splitlines()[2] == "Reason: CA compromise"
    sig = signature()
    sig = replace(sig, chain=(element, *sig.chain[1:]))
    result = file_result("/d/a.pdf", sig.verdict, sig)
    document = file_result_to_json(result)
    jsonschema.validate(json.loads(json.dumps(document, default=str)), schema_document())
    back = file_result_from_json(document)
    assert back.signatures[0].chain[0].revocation_reason is RevocationReason.CA_COMPROMISE
    assert back.signatures[0].chain[1].revocation_reason is None


def test_good_and_not_needed_are_words(window: MainWindow, qtbot: Any) -> None:
    dialog = CertificateDialog(signature())
    qtbot.addWidget(dialog)
    assert dialog.fields["revocation"].text().splitlines() == [
        "Not revoked",
        "Source: Fetched by OCSP",
    ]
    dialog.show_certificate(1)
    assert dialog.fields["revocation"].text().splitlines() == [
        "Not revoked",
        "Source: Not needed (trust anchor)",
    ]


def test_trusted_list_statuses_are_words(window: MainWindow) -> None:
    entry = ListedService("BE", "Shomei TSP", "Shomei QC", "withdrawn", T)
    assert "status “withdrawn” on" in entry_text(entry)
    install_language("ja")
    ja = entry_text(ListedService("BE", "Shomei TSP", "Shomei QC", "granted", T))
    assert "承認済み" in ja and "granted" not in ja
    # a status outside ETSI TS 119 612 is shown as it is
    assert labels.service_status_label("experimental", "ja") == "experimental"
