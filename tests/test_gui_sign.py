"""The sign screen, driven for real: a PKCS#12 key, a box dragged on the
page preview, the password dialog, the signed file checked through pyHanko;
a wrong password shows its own error; certification and contact reach the
signed file. Also the secret prompt's thread round trip."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import MDPPerm
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from desktop.main_window import MainWindow
from desktop.secret_dialog import GuiSecretPrompt, SecretDialog
from desktop.settings import TsaServer
from desktop.sign_view import SignView
from signing import api
from signing.errors import UserCancelled
from signing.keys.pkcs12 import MAX_PASSWORD_TRIES
from signing.model.results import Verdict
from signing.secrets import PinState, SecretKind, SecretRequest
from tests.gui_helpers import make_pdf, trusting_window_of_size, wait_idle
from tests.pki import KEY_PASSWORD, PKI

pytestmark = pytest.mark.gui


@pytest.fixture
def window(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pki: PKI
) -> Iterator[MainWindow]:
    yield from trusting_window_of_size(qtbot, tmp_path, monkeypatch, pki, 1200, 900)


def _sign_view(window: MainWindow, pdf: Path, seal: bool = False) -> SignView:
    window.open_sign_view(str(pdf), seal=seal)
    view = window.sign_view
    assert isinstance(view, SignView)
    return view


def _p12_b_b_invisible(window: MainWindow, tmp_path: Path, pki: PKI) -> SignView:
    """The sign view of a fresh PDF set for an invisible B-B signature with
    the PKI's RSA signer file."""
    view = _sign_view(window, make_pdf(tmp_path / "in.pdf"))
    view.key_file.setText(str(pki.p12_path("signer-rsa")))
    view.level_combo.setCurrentIndex(view.level_combo.findData("B-B"))
    view.place_invisible.setChecked(True)
    return view


def _answer(qtbot: Any, view: SignView, *answers: str | None) -> list[SecretRequest]:
    """Answer the next password dialogs in turn (None: Cancel)."""
    pending = list(answers)
    seen: list[SecretRequest] = []

    def on_dialog(dialog: SecretDialog) -> None:
        seen.append(dialog.request)
        answer = pending.pop(0)
        if answer is None:
            dialog.reject()
        else:
            qtbot.keyClicks(dialog.edit, answer)
            dialog.ok_button.click()

    view.prompt.dialog_shown.connect(on_dialog)
    return seen


def _drag(qtbot: Any, view: SignView, start: QPoint, end: QPoint) -> None:
    preview = view.preview
    qtbot.mousePress(preview, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(preview, pos=end)
    qtbot.mouseRelease(preview, Qt.MouseButton.LeftButton, pos=end)


def test_drag_places_the_box_in_pdf_points(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    view = _sign_view(window, make_pdf(tmp_path / "in.pdf", pages=3))
    view.page_spin.setValue(2)
    qtbot.waitUntil(lambda: view.preview.page == 1)
    g = view.preview.geometry_for_page()
    # from (100, 200) to (300, 270) pt measured from the top-left corner
    start = QPoint(round(g.origin_x + 100 * g.scale), round(g.origin_y + 200 * g.scale))
    end = QPoint(round(g.origin_x + 300 * g.scale), round(g.origin_y + 270 * g.scale))
    _drag(qtbot, view, end, start)  # dragged backwards on purpose
    box = view.preview.box
    assert box is not None
    tol = 1.5 / g.scale  # one pixel of rounding, in points
    assert box == pytest.approx((100, 842 - 270, 300, 842 - 200), abs=tol)
    assert view.preview.box_page == 1
    assert view.placement().page == 1 and view.placement().box == box
    # (the label rounds the box, itself exact to a pixel: 1.1 pt at this scale)
    w, h = box[2] - box[0], box[3] - box[1]
    assert view.box_label.text().startswith(f"Page 2: {w:.0f} × {h:.0f} pt")
    # a click without a drag does not replace the box
    _drag(qtbot, view, start, start)
    assert view.preview.box == box


def test_sign_flow_with_a_pkcs12_key_and_a_dragged_box(
    window: MainWindow, qtbot: Any, tmp_path: Path, pki: PKI
) -> None:
    src = make_pdf(tmp_path / "contract.pdf", pages=2)
    before = src.read_bytes()
    view = _sign_view(window, src)
    view.key_file.setText(str(pki.p12_path("signer-rsa")))
    view.level_combo.setCurrentIndex(view.level_combo.findData("B-T"))
    view.tsa_combo.setEditText(pki.tsa_url())
    view.tsa_combo.setCurrentIndex(-1)
    view.tsa_combo.setEditText(pki.tsa_url())
    view.reason_edit.setText("承認 / Approved")
    view.page_spin.setValue(2)
    g = view.preview.geometry_for_page()
    _drag(
        qtbot,
        view,
        QPoint(round(g.origin_x + 50 * g.scale), round(g.origin_y + 600 * g.scale)),
        QPoint(round(g.origin_x + 250 * g.scale), round(g.origin_y + 680 * g.scale)),
    )
    box = view.preview.box
    assert box is not None
    requests = _answer(qtbot, view, KEY_PASSWORD)
    qtbot.mouseClick(view.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.stack.currentIndex() == 1, timeout=60_000)
    assert [r.kind for r in requests] == [SecretKind.KEY_PASSWORD]
    out = Path(view.result_path.text())
    assert out == tmp_path / "contract-signed.pdf"
    assert src.read_bytes() == before  # the input is never modified
    assert "Alice Tester" in view.result_who.text()
    # its own validation comes back on the result page
    qtbot.waitUntil(lambda: view.result_banner.isVisible(), timeout=60_000)
    assert view.result_banner.verdict is Verdict.VALID
    # the signature sits on page 2 at the dragged rectangle
    with out.open("rb") as fh:
        reader = PdfFileReader(fh)
        (sig,) = reader.embedded_signatures
        widget = sig.sig_field
        rect = [float(v) for v in widget["/Rect"]]
        page_refs = [reader.root["/Pages"]["/Kids"].raw_get(i).idnum for i in range(2)]
        assert widget.raw_get("/P").idnum == page_refs[1]
        assert str(sig.sig_object["/Reason"]) == "承認 / Approved"
    assert rect == pytest.approx(list(box), abs=0.01)
    assert box == pytest.approx((50, 842 - 680, 250, 842 - 600), abs=1.5 / g.scale)


def _sign_invisibly(view: SignView, qtbot: Any, pki: PKI) -> Path:
    view.key_file.setText(str(pki.p12_path("signer-rsa")))
    view.place_invisible.setChecked(True)
    _answer(qtbot, view, KEY_PASSWORD)
    view.sign_button.click()
    qtbot.waitUntil(lambda: view.stack.currentIndex() == 1, timeout=60_000)
    return Path(view.result_path.text())


@pytest.mark.parametrize(
    ("choice", "perm"),
    [("form-filling", MDPPerm.FILL_FORMS), ("no-changes", MDPPerm.NO_CHANGES)],
)
def test_certify_and_contact_reach_the_signed_file(
    window: MainWindow, qtbot: Any, tmp_path: Path, pki: PKI, choice: str, perm: MDPPerm
) -> None:
    test_tsa = TsaServer("Test PKI", pki.tsa_url())
    window.apply_settings(
        replace(window.settings, tsa_servers=(test_tsa,), default_tsa=test_tsa.url)
    )
    view = _sign_view(window, make_pdf(tmp_path / "in.pdf"))
    assert view.certify_combo.currentData() is None  # an approval signature by default
    assert view.build_job().certify is None and view.build_job().contact is None
    view.level_combo.setCurrentIndex(view.level_combo.findData("B-T"))
    view.certify_combo.setCurrentIndex(view.certify_combo.findData(choice))
    qtbot.keyClicks(view.contact_edit, "taro@example.jp / 03-1234-5678")
    out = _sign_invisibly(view, qtbot, pki)

    with out.open("rb") as fh:
        (sig,) = PdfFileReader(fh).embedded_signatures
        assert sig.docmdp_level == perm
        assert str(sig.sig_object["/ContactInfo"]) == "taro@example.jp / 03-1234-5678"
    root = pki.cert_pem_path("root")
    options = api.ValidationOptions(user_trust_files=(root,), trust=api.TrustConfig.user_only(root))
    result = api.validate_pdf(out, options)
    assert result.verdict is Verdict.VALID
    (entry,) = result.signatures
    assert entry.modification is not None and entry.modification.docmdp_level == choice
    assert entry.contact == "taro@example.jp / 03-1234-5678"


def test_an_approval_signature_has_no_certification_and_cannot_be_certified_later(
    window: MainWindow, qtbot: Any, tmp_path: Path, pki: PKI
) -> None:
    view = _sign_view(window, make_pdf(tmp_path / "in.pdf"))
    view.level_combo.setCurrentIndex(view.level_combo.findData("B-B"))
    out = _sign_invisibly(view, qtbot, pki)
    with out.open("rb") as fh:
        (sig,) = PdfFileReader(fh).embedded_signatures
        assert sig.docmdp_level is None
        assert "/ContactInfo" not in sig.sig_object
    # a signed document can no longer be certified: the form says so
    assert view.certify_combo.isEnabled()
    view = _sign_view(window, out)
    qtbot.waitUntil(lambda: not view.certify_combo.isEnabled(), timeout=30_000)
    assert view.build_job().certify is None
    assert view.certify_combo.toolTip().startswith("Only the first signature")
    view = _sign_view(window, make_pdf(tmp_path / "fresh.pdf"))
    qtbot.waitUntil(view.certify_combo.isEnabled, timeout=30_000)


def test_wrong_password_shows_the_specific_error(
    window: MainWindow, qtbot: Any, tmp_path: Path, pki: PKI
) -> None:
    view = _p12_b_b_invisible(window, tmp_path, pki)
    requests = _answer(qtbot, view, *(["wrong horse"] * MAX_PASSWORD_TRIES))
    view.sign_button.click()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "errorBox") is not None, timeout=30_000)
    box = window.findChild(QMessageBox, "errorBox")
    assert box.text() == "The password is wrong."
    assert "in.pdf" not in box.informativeText()
    assert [r.retry for r in requests] == [False] + [True] * (MAX_PASSWORD_TRIES - 1)
    assert view.status.text().startswith("The password is wrong.")
    assert view.stack.currentIndex() == 0
    assert not (tmp_path / "in-signed.pdf").exists()


def test_wrong_password_in_a_japanese_ui_shows_the_japanese_detail(
    window: MainWindow, qtbot: Any, tmp_path: Path, pki: PKI
) -> None:
    from desktop.i18n import install_language

    install_language("ja")
    try:
        view = _p12_b_b_invisible(window, tmp_path, pki)
        _answer(qtbot, view, *(["wrong horse"] * MAX_PASSWORD_TRIES))
        view.sign_button.click()
        qtbot.waitUntil(
            lambda: window.findChild(QMessageBox, "errorBox") is not None, timeout=30_000
        )
        box = window.findChild(QMessageBox, "errorBox")
        detail = box.informativeText()
        assert "パスワードが違います" in detail
        assert "password" not in detail.lower()
        assert not re.search(r"--[a-z]", detail)
    finally:
        install_language("en")


def test_cancel_at_the_password_re_prompt_is_a_cancel_not_an_error(
    window: MainWindow, qtbot: Any, tmp_path: Path, pki: PKI
) -> None:
    view = _p12_b_b_invisible(window, tmp_path, pki)
    requests = _answer(qtbot, view, "wrong horse", None)
    view.sign_button.click()
    qtbot.waitUntil(lambda: view.sign_button.isEnabled() and len(requests) == 2, timeout=30_000)
    wait_idle(qtbot)
    assert [r.retry for r in requests] == [False, True]
    assert window.findChild(QMessageBox, "errorBox") is None
    assert view.status.text().startswith("Cancelled.")
    assert "wrong" not in view.status.text()
    assert view.stack.currentIndex() == 0
    assert not (tmp_path / "in-signed.pdf").exists()


def test_sign_refuses_missing_choices(window: MainWindow, tmp_path: Path) -> None:
    view = _sign_view(window, make_pdf(tmp_path / "in.pdf"), seal=True)
    assert view.sign_button.text() == "Seal"
    assert view.output_edit.text().endswith("in-sealed.pdf")
    view.key_file.setText("")
    view.sign_button.click()
    assert "Choose a key file." in view.status.text()
    assert "Draw a box on the page" in view.status.text()
    view.output_edit.setText(str(tmp_path / "in.pdf"))
    view.sign_button.click()
    assert "the original is kept" in view.status.text()


def test_secret_prompt_round_trip_from_a_worker(qtbot: Any) -> None:
    prompt = GuiSecretPrompt()
    got: list[object] = []
    dialogs: list[SecretDialog] = []
    prompt.dialog_shown.connect(dialogs.append)

    def worker() -> None:
        try:
            got.append(
                prompt.ask(
                    SecretRequest(
                        SecretKind.PIN, "My Card", pin_state=PinState.COUNT_LOW, tries_left=2
                    )
                )
            )
            got.append(prompt.ask(SecretRequest(SecretKind.PIN, "My Card", retry=True)))
        except UserCancelled as exc:
            got.append(exc)

    t = threading.Thread(target=worker)
    t.start()
    qtbot.waitUntil(lambda: len(dialogs) == 1)
    assert dialogs[0].state_label.text() == "2 tries left."
    assert not dialogs[0].ok_button.isEnabled()
    qtbot.keyClicks(dialogs[0].edit, "1234")
    dialogs[0].ok_button.click()
    assert dialogs[0].edit.text() == ""  # the secret is not kept in the widget
    qtbot.waitUntil(lambda: len(dialogs) == 2)
    assert "not accepted" in dialogs[1].prompt_label.text()
    dialogs[1].reject()
    t.join(5)
    assert got[0] == "1234"
    assert isinstance(got[1], UserCancelled)
    with pytest.raises(RuntimeError):
        prompt.ask(SecretRequest(SecretKind.PIN, "x"))  # never on the GUI thread


def test_pin_dialog_final_try_and_locked(qtbot: Any) -> None:
    final = SecretDialog(SecretRequest(SecretKind.PIN, "Card", pin_state=PinState.FINAL_TRY))
    qtbot.addWidget(final)
    assert final.state_label.text() == "Last try: a wrong PIN now locks the card."
    locked = SecretDialog(SecretRequest(SecretKind.PIN, "Card", pin_state=PinState.LOCKED))
    qtbot.addWidget(locked)
    qtbot.keyClicks(locked.edit, "1234")
    assert "locked" in locked.state_label.text()
    assert not locked.ok_button.isEnabled()


def test_remote_signing_service_asks_pin_and_otp(
    window: MainWindow, qtbot: Any, tmp_path: Path, pki: PKI, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests import csc_server as cs

    server = cs.start_csc(pki, scal=2)
    try:
        monkeypatch.setenv("SHOMEI_CSC_ACCESS_TOKEN", cs.ACCESS_TOKEN)
        view = _sign_view(window, make_pdf(tmp_path / "in.pdf"), seal=False)
        view.key_kind.setCurrentIndex(view.key_kind.findData("remote"))
        view.remote_url.setText(server.url)
        view.keys.credential.setText(cs.PROTECTED)
        view.level_combo.setCurrentIndex(view.level_combo.findData("B-B"))
        view.place_invisible.setChecked(True)
        requests = _answer(qtbot, view, cs.PIN, cs.OTP)
        view.sign_button.click()
        qtbot.waitUntil(
            lambda: view.stack.currentIndex() == 1 or bool(view.status.text()), timeout=60_000
        )
        assert view.status.text() == ""
        assert [r.kind for r in requests] == [SecretKind.PIN, SecretKind.OTP]
        assert (tmp_path / "in-signed.pdf").is_file()
    finally:
        server.stop()


def test_existing_signature_fields_are_drawn_on_the_preview(
    window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    from desktop.core_adapter import SignatureField

    view = _sign_view(window, make_pdf(tmp_path / "in.pdf"))
    wait_idle(qtbot)
    preview = view.preview
    g = preview.geometry_for_page()
    empty = SignatureField("Approval", 0, (100.0, 500.0, 300.0, 560.0), signed=False)
    preview.set_fields([empty])
    left, top, w, h = g.box_to_widget(empty.box)
    image = preview.grab().toImage()
    dpr = image.devicePixelRatio()
    centre = image.pixelColor(round((left + w / 2) * dpr), round((top + h / 2) * dpr))
    outside = image.pixelColor(round((left + w / 2) * dpr), round((top + h + 20) * dpr))
    assert outside.red() > 250 and outside.blue() > 250  # the white page
    assert centre.red() < 245 and centre.blue() > centre.red()  # the field, tinted blue


def test_sign_into_an_existing_empty_field(
    window: MainWindow, qtbot: Any, tmp_path: Path, pki: PKI
) -> None:
    from tests.pdf_factory import make_pdf as make_pdf_with_fields

    src = make_pdf_with_fields(tmp_path / "form.pdf", empty_fields=("Approver", "Witness"))
    view = _sign_view(window, src)
    qtbot.waitUntil(lambda: view.field_combo.count() == 2)
    # the fields are drawn where the core says they are
    assert [f.box for f in view.preview.fields] == [(72, 600, 300, 670), (72, 510, 300, 580)]
    assert view.place_field.isEnabled()
    view.place_field.setChecked(True)
    view.field_combo.setCurrentIndex(view.field_combo.findData("Witness"))
    view.key_file.setText(str(pki.p12_path("signer-rsa")))
    view.level_combo.setCurrentIndex(view.level_combo.findData("B-B"))
    _answer(qtbot, view, KEY_PASSWORD)
    view.sign_button.click()
    qtbot.waitUntil(
        lambda: view.stack.currentIndex() == 1 or bool(view.status.text()), timeout=60_000
    )
    assert view.status.text() == ""
    with (tmp_path / "form-signed.pdf").open("rb") as fh:
        (sig,) = PdfFileReader(fh).embedded_signatures
        assert sig.field_name == "Witness"


def test_box_on_a_turned_cropped_page_lands_where_it_was_drawn(
    window: MainWindow, qtbot: Any, tmp_path: Path, pki: PKI
) -> None:
    """The preview shows the page cropped and turned (as QtPdf renders it):
    a box drawn there becomes the user-space rectangle under it, and an
    existing field is drawn where the page shows it."""
    from desktop import core_adapter
    from desktop.core_adapter import SignatureField
    from tests.test_rotated_pages import CROP, _with_frame

    src = _with_frame(make_pdf(tmp_path / "in.pdf"), tmp_path / "turned.pdf", 90)
    view = _sign_view(window, src)
    preview = view.preview
    qtbot.waitUntil(lambda: bool(preview.frames))
    frame = preview.frames[0]
    assert frame.rotation == 90 and frame.visible == CROP
    g = preview.geometry_for_page()
    assert (g.width_pt, g.height_pt) == pytest.approx(frame.display_size)  # QtPdf agrees
    # drawn from (60, 50) to (260, 110) pt from the shown page's top-left corner
    _drag(
        qtbot,
        view,
        QPoint(round(g.origin_x + 60 * g.scale), round(g.origin_y + 50 * g.scale)),
        QPoint(round(g.origin_x + 260 * g.scale), round(g.origin_y + 110 * g.scale)),
    )
    tol = 1.5 / g.scale
    shown = (60, 400 - 110, 260, 400 - 50)
    assert preview.box == pytest.approx(shown, abs=tol)
    # the box goes to the core as drawn; the signer converts it with the
    # frame of the file it signs (turned back: 60 pt wide, 200 pt tall)
    assert view.placement().box == preview.box
    view.key_file.setText(str(pki.p12_path("signer-rsa")))
    request = core_adapter._sign_request(view.build_job())
    assert request.placement.as_shown and request.placement.box == preview.box
    user = frame.box_to_user(shown)
    assert (user[2] - user[0], user[3] - user[1]) == pytest.approx((60, 200))
    assert CROP[0] <= user[0] and user[2] <= CROP[2] and CROP[1] <= user[1] and user[3] <= CROP[3]

    # a field at that user-space rectangle is drawn over the drawn box's place
    preview.set_box(0, None)
    preview.set_fields([SignatureField("Approval", 0, user, signed=False)])
    left, top, w, h = g.box_to_widget(shown)
    image = preview.grab().toImage()
    dpr = image.devicePixelRatio()
    centre = image.pixelColor(round((left + w / 2) * dpr), round((top + h / 2) * dpr))
    assert centre.red() < 245 and centre.blue() > centre.red()  # the field, tinted blue


def _small_window_sign_view(window: MainWindow, qtbot: Any, tmp_path: Path) -> SignView:
    """The sign view of a fresh PDF, shown in a 980x700 window (a small laptop)."""
    window.resize(980, 700)
    view = _sign_view(window, make_pdf(tmp_path / "in.pdf"))
    window.show()
    qtbot.waitExposed(window)
    return view


def test_sign_button_is_visible_without_scrolling_at_980x700(
    window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    view = _small_window_sign_view(window, qtbot, tmp_path)
    button = view.sign_button
    assert button.isVisible()
    # the whole button lies inside the window and is not clipped by the panel
    top_left = button.mapTo(window, QPoint(0, 0))
    assert top_left.y() >= 0 and top_left.y() + button.height() <= window.height()
    assert button.visibleRegion().boundingRect().size() == button.size()
    assert view.back_button.visibleRegion().boundingRect().size() == view.back_button.size()


def test_wheel_over_an_unfocused_combo_scrolls_the_panel(
    window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication, QScrollArea

    view = _small_window_sign_view(window, qtbot, tmp_path)
    combo = view.level_combo
    panel = next(
        s
        for s in view.findChildren(QScrollArea)
        if s.widget() is not None and s.widget().isAncestorOf(combo)
    )
    bar = panel.verticalScrollBar()
    assert bar.maximum() > 0  # the panel scrolls at this size
    bar.setValue(0)
    before_level = combo.currentIndex()
    before_preset = view.preset_combo.currentIndex()

    def wheel(widget: Any, steps: int) -> None:
        centre = QPointF(widget.rect().center())
        event = QWheelEvent(
            centre,
            QPointF(widget.mapToGlobal(widget.rect().center())),
            QPoint(0, 0),
            QPoint(0, -120 * steps),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(widget, event)

    view.sign_button.setFocus()
    wheel(combo, 3)
    wheel(view.preset_combo, 3)
    assert combo.currentIndex() == before_level
    assert view.preset_combo.currentIndex() == before_preset
    assert bar.value() > 0  # the panel scrolled instead
    # a combo the user clicked into still takes the wheel
    combo.setFocus()
    wheel(combo, 1)
    assert combo.currentIndex() != before_level
