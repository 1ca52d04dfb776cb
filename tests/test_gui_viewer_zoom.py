"""Zoom in the verdict screen's page view (#18), through the real widgets:
the buttons, Ctrl+wheel, Ctrl+plus/minus/0, Fit width and Fit page, the
level shown, the controls reached by Tab, and the words in Japanese. The
outline still sits on the field after zooming (it is drawn from the same
layout QtPdf uses)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from desktop.document_pane import DocumentPane
from desktop.i18n import install_language
from desktop.main_window import MainWindow
from desktop.pdf_pages import CUSTOM, FIT_PAGE, FIT_WIDTH, ZOOM_STEPS
from desktop.validation_view import ValidationView
from tests.gui_helpers import open_in_viewer, trusting_window_of_size
from tests.pki import PKI
from tests.revision_files import FIELD_BOX, FIELD_PAGE, signed_pdf

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def signed(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return signed_pdf(pki, tmp_path_factory.mktemp("zoom"))


@pytest.fixture
def window(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pki: PKI
) -> Iterator[MainWindow]:
    yield from trusting_window_of_size(qtbot, tmp_path, monkeypatch, pki, 1100, 760)
    install_language("en")


def _open(window: MainWindow, qtbot: Any, path: Path) -> ValidationView:
    view = open_in_viewer(window, qtbot, path, stamps=True)
    qtbot.waitExposed(window)
    return view


def _level(pane: DocumentPane) -> int:
    text = pane.zoom_label.text()
    assert text.endswith("%"), text
    return int(text[:-1])


def _wheel(pages: Any, delta: int, ctrl: bool) -> None:
    viewport = pages.viewport()
    at = QPointF(viewport.width() / 2, viewport.height() / 2)
    event = QWheelEvent(
        at,
        QPointF(viewport.mapToGlobal(at.toPoint())),
        QPoint(0, 0),
        QPoint(0, delta),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier if ctrl else Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(viewport, event)


def test_buttons_wheel_and_keys_zoom_and_the_level_follows(
    window: MainWindow, qtbot: Any, signed: Path
) -> None:
    view = _open(window, qtbot, signed)
    pane, pages = view.document_pane, view.document_pane.pages
    # the start: fitted to the width, and the level says how much that is
    assert pages.fit == FIT_WIDTH and pane.fit_width_button.isChecked()
    margins = pages.documentMargins()
    fitted = pages.viewport().width() - margins.left() - margins.right()
    assert abs(pages.page_rect(0).width() - fitted) <= 2
    start = pages.zoomFactor()
    assert _level(pane) == round(start * 100)

    qtbot.mouseClick(pane.zoom_in_button, Qt.MouseButton.LeftButton)
    bigger = pages.zoomFactor()
    assert bigger == min(z for z in ZOOM_STEPS if z > start * 1.01)
    assert _level(pane) == round(bigger * 100)
    assert pages.fit == CUSTOM and not pane.fit_width_button.isChecked()
    assert pages.page_rect(0).width() > fitted
    assert pages.horizontalScrollBar().maximum() > 0  # wider than the view now

    qtbot.mouseClick(pane.zoom_out_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pane.zoom_out_button, Qt.MouseButton.LeftButton)
    assert pages.zoomFactor() < start and _level(pane) == round(pages.zoomFactor() * 100)

    # Ctrl+wheel zooms; the wheel alone scrolls and leaves the zoom
    before = pages.zoomFactor()
    _wheel(pages, 120, ctrl=True)
    assert pages.zoomFactor() > before
    before, top = pages.zoomFactor(), pages.verticalScrollBar().value()
    _wheel(pages, -120, ctrl=False)
    assert pages.zoomFactor() == before and pages.verticalScrollBar().value() > top
    _wheel(pages, -120, ctrl=True)
    assert pages.zoomFactor() < before

    # the keys, wherever the focus is on this screen (here: a card)
    window.activateWindow()
    view.cards[0].setFocus()
    before = pages.zoomFactor()
    qtbot.keyClick(view.cards[0], Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert pages.zoomFactor() > before
    qtbot.keyClick(view.cards[0], Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert pages.zoomFactor() > before * 1.15
    before = pages.zoomFactor()
    qtbot.keyClick(view.cards[0], Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert pages.zoomFactor() < before
    qtbot.keyClick(view.cards[0], Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert pages.fit == FIT_WIDTH and pages.zoomFactor() == pytest.approx(start)
    assert _level(pane) == round(start * 100)

    # zooming stops at the ends of the steps
    for _ in range(len(ZOOM_STEPS) + 2):
        pages.zoom_in()
    assert pages.zoomFactor() == ZOOM_STEPS[-1]


def test_fit_page_shows_a_whole_page_and_the_outline_follows_the_zoom(
    window: MainWindow, qtbot: Any, signed: Path
) -> None:
    view = _open(window, qtbot, signed)
    pane, pages = view.document_pane, view.document_pane.pages
    card = view.cards[0]
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton, pos=QPoint(card.width() // 2, 12))
    assert pages.outline is not None and pages.first_visible_page() == FIELD_PAGE

    qtbot.mouseClick(pane.fit_page_button, Qt.MouseButton.LeftButton)
    assert pages.fit == FIT_PAGE and pane.fit_page_button.isChecked()
    assert not pane.fit_width_button.isChecked()
    rect, viewport = pages.page_rect(FIELD_PAGE), pages.viewport().rect()
    assert viewport.contains(rect), (rect, viewport)  # the whole page, in view
    assert pages.first_visible_page() == FIELD_PAGE  # the page stayed
    assert pages.outline is not None  # and its field stays outlined
    # a resize keeps a whole page in view
    window.resize(1100, 600)
    qtbot.waitUntil(lambda: pages.viewport().height() < viewport.height(), timeout=5_000)
    assert pages.page_rect(0).height() <= pages.viewport().height()

    # the outline is drawn from the zoomed layout: still around the field
    qtbot.mouseClick(pane.zoom_in_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pane.zoom_in_button, Qt.MouseButton.LeftButton)
    box = pages.box_rect(FIELD_PAGE, FIELD_BOX)
    scale = pages.page_rect(FIELD_PAGE).width() / 595
    assert box.width() == pytest.approx((FIELD_BOX[2] - FIELD_BOX[0]) * scale, rel=0.02)


def test_the_controls_are_reached_by_tab_and_work_from_the_keyboard(
    window: MainWindow, qtbot: Any, signed: Path
) -> None:
    view = _open(window, qtbot, signed)
    pane, pages = view.document_pane, view.document_pane.pages
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)
    pane.zoom_out_button.setFocus(Qt.FocusReason.TabFocusReason)
    order = [QApplication.focusWidget()]
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [
        pane.zoom_out_button,
        pane.zoom_in_button,
        pane.fit_width_button,
        pane.fit_page_button,
    ]
    qtbot.keyClick(pane.fit_page_button, Qt.Key.Key_Space)
    assert pages.fit == FIT_PAGE
    before = pages.zoomFactor()
    pane.zoom_in_button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(pane.zoom_in_button, Qt.Key.Key_Space)
    assert pages.zoomFactor() > before
    for button in (pane.zoom_out_button, pane.zoom_in_button):
        assert button.accessibleName() and button.toolTip()
    assert pane.zoom_label.accessibleName() == f"Zoom: {_level(pane)}%"


def test_japanese_words(window: MainWindow, qtbot: Any, signed: Path) -> None:
    install_language("ja")
    window.retranslate()
    view = _open(window, qtbot, signed)
    pane = view.document_pane
    assert pane.fit_width_button.text() == "幅に合わせる"
    assert pane.fit_page_button.text() == "ページ全体"
    assert pane.zoom_in_button.toolTip() == "拡大（Ctrl+プラス）"
    assert pane.zoom_out_button.toolTip() == "縮小（Ctrl+マイナス）"
    assert pane.fit_width_button.toolTip() == "ページを幅に合わせる（Ctrl+0）"
    assert pane.zoom_label.accessibleName() == f"ズーム：{_level(pane)}%"
