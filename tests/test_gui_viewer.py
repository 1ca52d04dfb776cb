"""The verdict screen's document (issue #18), through the real main window:
a signature selected on its card scrolls the QtPdf view to its field's page
and outlines the field where QtPdf drew it; its signed version is what the
signature covers; Compare marks the page changed after signing; the screen
still takes drops. Files signed by the test PKI, changed by a real
incremental update."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QLabel, QMessageBox

from desktop.main_window import MainWindow
from desktop.validation_view import ValidationView
from signing.keys.pkcs12 import Pkcs12KeySource
from signing.model.results import Verdict
from signing.secrets import FixedSecret
from signing.sign.request import FieldPlacement, Level, SignRequest
from signing.sign.signer import sign_pdf
from tests.gui_helpers import drop, make_pdf, open_in_viewer, viewer_window
from tests.pki import KEY_PASSWORD, PKI
from tests.revision_files import FIELD_BOX, FIELD_PAGE, paint_over_page, signed_pdf

pytestmark = pytest.mark.gui

window = viewer_window  # the fixture, under the name the tests ask for


@pytest.fixture(scope="module")
def files(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("viewer")
    signed = signed_pdf(pki, folder)
    changed = paint_over_page(signed, folder / "changed-after-signing.pdf")
    invisible = folder / "invisible.pdf"
    sign_pdf(
        SignRequest(
            input_path=make_pdf(folder / "plain.pdf", pages=2),
            output_path=invisible,
            key_source=Pkcs12KeySource(pki.p12_path("signer-rsa")),
            level=Level.B_B,
            placement=FieldPlacement(),
        ),
        FixedSecret(KEY_PASSWORD),
    )
    return {"signed": signed, "changed": changed, "invisible": invisible}


def _open(window: MainWindow, qtbot: Any, path: Path) -> ValidationView:
    return open_in_viewer(window, qtbot, path)


def _click_card(qtbot: Any, view: ValidationView, index: int = 0) -> None:
    card = view.cards[index]
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton, pos=QPoint(card.width() // 2, 12))


def _rgb(image: QImage, x: float, y: float) -> tuple[int, int, int]:
    c = image.pixelColor(round(x), round(y))
    return c.red(), c.green(), c.blue()


def _red(rgb: tuple[int, int, int]) -> bool:
    return rgb[0] > 170 and rgb[1] < 80 and rgb[2] < 80


def _white(rgb: tuple[int, int, int]) -> bool:
    return min(rgb) > 235


def test_selecting_a_signature_shows_its_page_and_outlines_its_field(
    window: MainWindow, qtbot: Any, files: dict[str, Path]
) -> None:
    view = _open(window, qtbot, files["changed"])
    pane, pages = view.document_pane, view.document_pane.pages
    assert pages.page_count() == 3 and pages.first_visible_page() == 0
    assert pages.outline is None and not pane.signed_button.isEnabled()

    _click_card(qtbot, view)
    assert view.selected_card is view.cards[0]
    assert pane.selected is view.cards[0].sig
    assert pages.first_visible_page() == FIELD_PAGE
    assert pages.outline is not None and pages.outline[0] == FIELD_PAGE
    assert pages.outline[1] == pytest.approx(FIELD_BOX)
    assert pane.note.text() == f"Page {FIELD_PAGE + 1}: the signature's field is outlined."
    assert pane.signed_button.isEnabled() and pane.compare_button.isEnabled()

    # The update after signing filled exactly the field's box red: the outline
    # must sit around QtPdf's red rectangle (inside red, outside white) and
    # be drawn in the highlight colour just outside it.
    box = pages.box_rect(FIELD_PAGE, FIELD_BOX)
    viewport = pages.viewport()
    assert QRectF(viewport.rect()).contains(box)

    def rendered() -> bool:
        return _red(_rgb(viewport.grab().toImage(), box.center().x(), box.center().y()))

    qtbot.waitUntil(rendered, timeout=10_000)
    image = viewport.grab().toImage()
    for x, y in (
        (box.left() + 4, box.top() + 4),
        (box.right() - 4, box.bottom() - 4),
        (box.left() + 4, box.bottom() - 4),
    ):
        assert _red(_rgb(image, x, y)), (x, y)
    for x, y in ((box.left() - 10, box.center().y()), (box.center().x(), box.bottom() + 10)):
        assert _white(_rgb(image, x, y)), (x, y)
    highlight = pages.palette().color(QPalette.ColorRole.Highlight)
    edge = image.pixelColor(round(box.left() - 3), round(box.center().y()))
    assert _close(edge, highlight), (edge.name(), highlight.name())


def _close(a: QColor, b: QColor, tolerance: int = 40) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def test_an_invisible_signature_is_said_to_be_so(
    window: MainWindow, qtbot: Any, files: dict[str, Path]
) -> None:
    view = _open(window, qtbot, files["invisible"])
    # (Tab onto a card selects it, as a click does)
    window.activateWindow()
    view.cards[0].setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: view.selected_card is view.cards[0], timeout=5_000)
    pane = view.document_pane
    assert pane.pages.outline is None
    assert "invisible" in pane.note.text()
    assert pane.note.isVisible()


def test_the_signed_version_and_compare_mark_the_page_changed_after_signing(
    window: MainWindow, qtbot: Any, files: dict[str, Path]
) -> None:
    changed = files["changed"]
    before = changed.read_bytes()
    view = _open(window, qtbot, changed)
    assert view.banner.verdict is not None
    _click_card(qtbot, view)
    pane = view.document_pane

    qtbot.mouseClick(pane.signed_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.showing == "signed", timeout=30_000)
    assert pane.title.text() == "Signed version (read-only)"
    assert pane.current_button.isVisible() and not pane.signed_button.isVisible()
    shown = pane.pages.document()
    assert shown is not None and shown.pageCount() == 3
    # what the signer saw: the field's page without the red rectangle that
    # the current file has there
    x1, y1, x2, y2 = FIELD_BOX
    middle = (round((x1 + x2) / 2), round(842 - (y1 + y2) / 2))
    size = shown.pagePointSize(FIELD_PAGE).toSize()
    assert size.height() == 842
    assert not _red(_rgb(shown.render(FIELD_PAGE, size), *middle))
    current = pane._current
    assert current is not shown and _red(_rgb(current.render(FIELD_PAGE, size), *middle))
    assert str(len(files["signed"].read_bytes())) in pane.note.text()
    assert pane.pages.outline is not None  # the field is outlined there too

    with qtbot.waitSignal(pane.compared, timeout=30_000) as blocker:
        qtbot.mouseClick(pane.compare_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0] == frozenset({FIELD_PAGE})
    assert pane.pages.changed_pages == frozenset({FIELD_PAGE})
    assert pane.note.text() == f"Pages that differ from the signed version: {FIELD_PAGE + 1}"
    assert pane.pages.first_visible_page() == FIELD_PAGE
    # the changed page is framed in the marks' colour, the others are not
    image = pane.pages.viewport().grab().toImage()
    rect = pane.pages.page_rect(FIELD_PAGE)
    mark = image.pixelColor(rect.left() - 2, max(rect.top(), 0) + 40)
    assert _close(mark, QColor(200, 40, 40)), mark.name()

    qtbot.mouseClick(pane.current_button, Qt.MouseButton.LeftButton)
    assert pane.showing == "current"
    assert pane.pages.changed_pages == frozenset({FIELD_PAGE})  # the marks stay
    assert changed.read_bytes() == before  # the user's file was only read


def test_compare_on_an_unchanged_file_marks_nothing(
    window: MainWindow, qtbot: Any, files: dict[str, Path]
) -> None:
    view = _open(window, qtbot, files["signed"])
    assert view.banner.verdict is Verdict.VALID
    _click_card(qtbot, view)
    pane = view.document_pane
    with qtbot.waitSignal(pane.compared, timeout=30_000) as blocker:
        pane.compare_button.click()
    assert blocker.args[0] == frozenset()
    assert pane.note.text() == "No page differs from the signed version."


def test_a_file_dropped_on_the_document_is_checked(
    window: MainWindow, qtbot: Any, files: dict[str, Path]
) -> None:
    view = _open(window, qtbot, files["changed"])
    _click_card(qtbot, view)
    pages = view.document_pane.pages
    centre = pages.mapTo(window, QPoint(pages.width() // 2, pages.height() // 2))
    handle = window.windowHandle()
    assert handle is not None
    with qtbot.waitSignal(window.result_shown, timeout=60_000) as blocker:
        mime = drop(handle, [files["invisible"]], at=centre)
    del mime
    assert blocker.args[0].path == str(files["invisible"])
    qtbot.waitUntil(lambda: view.document_pane.fields is not None, timeout=30_000)
    # the new file starts unselected, at its first page, without old marks
    assert view.selected_card is None and pages.outline is None
    assert pages.page_count() == 2 and pages.first_visible_page() == 0
    assert view.findChild(QLabel, "fileLabel").text() == str(files["invisible"])


def test_a_forged_byte_range_has_no_signed_version_to_show(
    window: MainWindow, qtbot: Any, shared_dir: Path
) -> None:
    """Signature wrapping (the byte range does not end at the /Contents it
    names): the app says there is no signed version, and keeps showing the
    file; it never renders bytes the signature does not cover."""
    attack = shared_dir / "corpus" / "attacks" / "dss__validation__siwa.pdf"
    view = _open(window, qtbot, attack)
    assert view.banner.verdict is Verdict.INVALID
    _click_card(qtbot, view)
    pane = view.document_pane
    qtbot.mouseClick(pane.signed_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "errorBox") is not None, timeout=30_000)
    box = window.findChild(QMessageBox, "errorBox")
    assert "no signed version to show" in box.informativeText() + box.text()
    assert pane.showing == "current" and pane.pages.page_count() > 0
    qtbot.waitUntil(lambda: pane.signed_button.isEnabled(), timeout=10_000)  # not stuck busy
