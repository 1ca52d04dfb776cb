"""Signing with a My Number (JPKI-like) token in the GUI: its signature
certificate is readable only after the PIN, so the privacy warning is asked
from the signing worker after the PIN dialog and before the signature;
declining cancels with no output file. Also the confirmation's thread round
trip."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.confirm_dialog import GuiConfirm
from desktop.secret_dialog import SecretDialog
from desktop.sign_view import SignView
from tests import softhsm as hsm
from tests.gui_helpers import make_pdf, make_window, wait_idle
from tests.pki import PKI

pytestmark = pytest.mark.gui


def _jpki_view(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, src: Path) -> SignView:
    window = make_window(
        qtbot, tmp_path, monkeypatch, jp_trust=False, pkcs11_modules=(str(hsm.MODULE),)
    )
    window.open_sign_view(str(src), seal=False)
    view = window.sign_view
    assert isinstance(view, SignView)
    view.key_kind.setCurrentIndex(view.key_kind.findData("pkcs11"))
    # The card's signature key is not listed before the PIN (its certificate
    # is private): the chooser offers the token's signing key instead; after
    # the log-in the core picks the nonRepudiation key, and only then is its
    # certificate known.
    view.keys.token_refresh.click()

    def listed() -> bool:
        return any(
            getattr(view.token_combo.itemData(i), "after_pin", False)
            and view.token_combo.itemData(i).token.label == "Shomei JPKI"
            for i in range(view.token_combo.count())
        )

    qtbot.waitUntil(listed, timeout=60_000)
    for i in range(view.token_combo.count()):
        data = view.token_combo.itemData(i)
        if getattr(data, "after_pin", False) and data.token.label == "Shomei JPKI":
            view.token_combo.setCurrentIndex(i)
    assert "after the PIN" in view.token_combo.currentText()
    assert view.key_choice().cert_der is None
    view.level_combo.setCurrentIndex(view.level_combo.findData("B-B"))
    view.place_invisible.setChecked(True)
    return view


@pytest.mark.skipif(hsm.available() is not None, reason=str(hsm.available()))
@pytest.mark.parametrize("accept", [False, True])
def test_jpki_warning_after_the_pin_and_before_the_signature(
    qtbot: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    pki: PKI,
    softhsm: Any,
    accept: bool,
) -> None:
    monkeypatch.setenv("SOFTHSM2_CONF", str(softhsm.conf))
    src = make_pdf(tmp_path / "in.pdf")
    before = src.read_bytes()
    view = _jpki_view(qtbot, tmp_path, monkeypatch, src)
    events: list[str] = []

    def pin(dialog: SecretDialog) -> None:
        events.append("pin")
        qtbot.keyClicks(dialog.edit, hsm.PINS["Shomei JPKI"])
        dialog.ok_button.click()

    def warned(box: QMessageBox) -> None:
        events.append("warning")
        assert box.objectName() == "presignWarning"
        assert "date of birth" in box.text()
        # nothing is written before the answer
        assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".pdf") == ["in.pdf"]
        button = QMessageBox.StandardButton.Ok if accept else QMessageBox.StandardButton.Cancel
        box.button(button).click()

    view.prompt.dialog_shown.connect(pin)
    view.confirm.dialog_shown.connect(warned)
    view.sign_button.click()
    qtbot.waitUntil(lambda: view.op is None and bool(events), timeout=60_000)
    out = tmp_path / "in-signed.pdf"
    # the log-in PIN first, then the warning; the signature PIN (if any) after it
    assert events[:2] == ["pin", "warning"] and events.count("warning") == 1
    if accept:
        assert view.stack.currentIndex() == 1 and out.is_file()
    else:
        assert view.stack.currentIndex() == 0 and not out.exists()
        assert "Cancelled" in view.status.text()
        assert events == ["pin", "warning"]  # no signature PIN: nothing was signed
    assert src.read_bytes() == before
    wait_idle(qtbot)


def test_confirm_round_trip_from_a_worker(qtbot: Any) -> None:
    confirm = GuiConfirm()
    boxes: list[QMessageBox] = []
    confirm.dialog_shown.connect(boxes.append)
    got: list[bool] = []

    def worker() -> None:
        got.append(confirm(["first"]))
        got.append(confirm(["second", "third"]))

    thread = threading.Thread(target=worker)
    thread.start()
    qtbot.waitUntil(lambda: len(boxes) == 1)
    boxes[0].button(QMessageBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: len(boxes) == 2)
    assert "second" in boxes[1].text() and "third" in boxes[1].text()
    boxes[1].reject()  # Escape / closed: not a yes
    thread.join(5)
    assert got == [True, False]
    with pytest.raises(RuntimeError):
        confirm(["x"])  # never on the GUI thread
