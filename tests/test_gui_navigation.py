"""Navigation never dead-ends: Back and Home on the verdict and batch
screens, drops accepted on any screen (routed by Qt to the window, as a real
drag is), and the batch kept behind a row opened from it. Real validation of
real (unsigned) files: no stand-ins."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint

from desktop.main_window import MainWindow
from tests.gui_helpers import drop, make_pdf, make_window, pdf_folder, wait_idle

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    w = make_window(qtbot, tmp_path, monkeypatch)
    w.show()
    qtbot.waitExposed(w)
    yield w
    wait_idle(qtbot)


def _drop_on_screen(window: MainWindow, paths: list[Path]) -> object:
    """Drop through the window's QWindow at the centre of the current
    screen: Qt picks the widget that takes it, as it does for a real drag."""
    screen = window.stack.currentWidget()
    centre = screen.mapTo(window, QPoint(screen.width() // 2, screen.height() // 2))
    handle = window.windowHandle()
    assert handle is not None
    return drop(handle, paths, at=centre)


def test_back_returns_to_the_batch_behind_a_row_and_drops_work_on_every_screen(
    window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    single = make_pdf(tmp_path / "single.pdf")
    folder = pdf_folder(tmp_path / "folder", "x.pdf", "y.pdf")

    with qtbot.waitSignal(window.result_shown, timeout=60_000):
        window.validate_file(str(single))
    assert window.stack.currentWidget() is window.validation_view
    assert window.back_button.isVisible() and window.home_button.isVisible()

    # a folder dropped on the verdict screen opens as a batch
    with qtbot.waitSignal(window.batch_finished, timeout=60_000):
        mime = _drop_on_screen(window, [folder])
    assert window.stack.currentWidget() is window.batch_view
    del mime
    batch = window.batch_view
    assert batch.proxy.rowCount() == 2

    # a row opens its verdict; Back returns to the same, still filled table
    with qtbot.waitSignal(window.result_shown, timeout=30_000):
        batch.table.doubleClicked.emit(batch.proxy.index(0, 0))
    assert window.stack.currentWidget() is window.validation_view
    opened = window.validation_view.result
    assert opened is not None and Path(opened.path).parent == folder
    window.back_button.click()
    assert window.stack.currentWidget() is batch
    assert batch.proxy.rowCount() == 2

    # a single file dropped on the batch screen is checked; unsigned, it
    # opens for signing, and Back from there returns to the batch
    with qtbot.waitSignal(window.unsigned_opened, timeout=60_000):
        kept = _drop_on_screen(window, [single])
    del kept
    assert window.stack.currentWidget() is window.sign_view
    window.sign_view.back_button.click()  # type: ignore[attr-defined]
    assert window.stack.currentWidget() is batch

    window.home_button.click()
    assert window.stack.currentWidget() is window.home
    assert not window.nav_bar.isVisible()
    window.go_back()  # nothing behind home
    assert window.stack.currentWidget() is window.home


def test_sign_screen_back_returns_to_the_verdict_it_came_from(
    window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    pdf = make_pdf(tmp_path / "doc.pdf")
    with qtbot.waitSignal(window.result_shown, timeout=60_000):
        window.validate_file(str(pdf))
    window.open_sign_view(str(pdf), seal=False)
    assert window.stack.currentWidget() is window.sign_view
    assert not window.nav_bar.isVisible()  # the sign screen has its own Back
    window.sign_view.back_button.click()  # type: ignore[attr-defined]
    assert window.stack.currentWidget() is window.validation_view


def test_the_banner_gives_its_words_the_width(
    window: MainWindow, qtbot: Any, shared_dir: Path
) -> None:
    """A long headline wraps across the banner, not in a narrow column beside
    a wide empty icon cell (as it did once the story's lines came in)."""
    window.resize(1000, 680)
    attack = shared_dir / "corpus" / "attacks" / "dss__validation__siwa.pdf"
    with qtbot.waitSignal(window.result_shown, timeout=60_000):
        window.validate_file(str(attack))
    banner = window.validation_view.banner
    qtbot.waitUntil(lambda: banner.subtitle.width() > 0)
    assert len(banner.subtitle.text()) > 80  # a long headline
    assert banner.subtitle.width() > banner.width() * 0.6
    assert banner.icon.width() <= 60
