"""Application plumbing: single instance, "Open with", the worker helper,
show_error, the last-resort exception hook, keyboard access to the drop zone."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget

from desktop import errors_ui
from desktop.app import start
from desktop.errors_ui import error_title, install_excepthook, show_error
from desktop.home import HomeView
from desktop.workers import Op, OpContext
from signing.errors import (
    PinLockedError,
    ShomeiError,
    TimestampError,
    UserCancelled,
    WrongPasswordError,
)
from signing.model.results import Verdict
from tests.gui_helpers import make_pdf, wait_idle

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parent.parent


def test_second_launch_hands_its_files_to_the_running_window(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = f"shomei-test-{uuid.uuid4().hex[:12]}"
    env = {
        "SHOMEI_INSTANCE_NAME": name,
        "SHOMEI_SETTINGS": str(tmp_path / "settings.ini"),
        "SHOMEI_CACHE_DIR": str(tmp_path / "cache"),
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    (tmp_path / "settings.ini").write_text("[General]\nversion=1\neu_trust=false\n")
    started = start(single_instance=True, hooks=False)
    assert started is not None and started.server is not None
    window = started.window
    qtbot.addWidget(window)
    pdf = make_pdf(tmp_path / "from-second-launch.pdf")
    second = subprocess.Popen(
        [sys.executable, "-m", "desktop.launcher", str(pdf)],
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen", **env),
        cwd=REPO,
    )
    try:
        with qtbot.waitSignal(window.unsigned_opened, timeout=60_000) as blocker:
            pass
        assert second.wait(30) == 0  # the second process exits at once
    finally:
        if second.poll() is None:
            second.kill()
        started.server.close()
    # validated first; unsigned, so the sign screen opens for it
    assert blocker.args[0] == str(pdf)
    assert window.stack.currentWidget() is window.sign_view
    assert window.sign_view.status.text() == "This document has no signatures yet."
    wait_idle(qtbot)


def test_file_open_event_reaches_the_application() -> None:
    script = (
        "from PySide6.QtGui import QFileOpenEvent\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from desktop.app import ShomeiApplication\n"
        "app = ShomeiApplication([])\n"
        "got = []\n"
        "app.file_open_requested.connect(got.extend)\n"
        "QApplication.sendEvent(app, QFileOpenEvent('/tmp/opened.pdf'))\n"
        "print(got)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stdout.strip() == "['/tmp/opened.pdf']", out.stderr


def test_op_delivers_results_and_progress_on_the_gui_thread(qtbot: Any) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    seen: list[object] = []

    def work(ctx: OpContext) -> str:
        assert threading.current_thread() is not threading.main_thread()
        ctx.progress(1, 2, "half")
        ctx.partial("item")
        return "done"

    def success(value: str) -> None:
        seen.append((value, threading.current_thread() is threading.main_thread()))

    op = Op(parent, work, success)
    op.with_progress(lambda d, t, s: seen.append((d, t, s))).with_partial(seen.append)
    op.run()
    wait_idle(qtbot)
    assert seen == [(1, 2, "half"), "item", ("done", True)]


def test_op_failure_goes_to_show_error_and_cancel_is_silent(qtbot: Any) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)

    def fail(ctx: OpContext) -> None:
        raise WrongPasswordError("The password for alice.p12 is wrong.")

    Op(parent, fail, lambda _r: None).run()
    qtbot.waitUntil(lambda: parent.findChild(QMessageBox, "errorBox") is not None)
    box = parent.findChild(QMessageBox, "errorBox")
    assert box.text() == "The password is wrong."
    assert box.informativeText() == "The password for alice.p12 is wrong."
    box.close()

    started = threading.Event()

    def long(ctx: OpContext) -> None:
        started.set()
        if ctx.cancel.wait(10):
            raise UserCancelled()

    quiet = QWidget()
    qtbot.addWidget(quiet)
    op = Op(quiet, long, lambda _r: None).run()
    assert started.wait(10)
    op.cancel()
    wait_idle(qtbot)
    assert quiet.findChild(QMessageBox, "errorBox") is None


def test_error_titles_by_class() -> None:
    assert error_title(PinLockedError("x")) == "The PIN is locked. Unblock the card with its PUK."
    assert error_title(TimestampError("x")) == "The time-stamping server failed."
    assert error_title(ShomeiError("x")) == "The operation failed."
    assert error_title(FileNotFoundError("x")) == "A file could not be read or written."
    assert error_title(RuntimeError("x")) == "An unexpected error occurred."
    assert show_error(None, UserCancelled()) is None


def test_last_resort_hook_shows_the_log_location(qtbot: Any) -> None:
    old_hook, old_thread_hook = sys.excepthook, threading.excepthook
    try:
        install_excepthook()
        reporter = errors_ui.crash_reporter()
        assert reporter is not None
        try:
            raise ValueError("boom")
        except ValueError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
        qtbot.waitUntil(lambda: len(reporter.shown) == 1)
        box = reporter.shown[0]
        assert "Your files were not changed" in box.text()
        assert str(errors_ui.log_file()) in box.informativeText()
        assert "ValueError: boom" in box.detailedText()
        box.close()
        qtbot.waitUntil(lambda: not reporter.shown)

        t = threading.Thread(target=lambda: 1 / 0)
        t.start()
        t.join()
        qtbot.waitUntil(lambda: len(reporter.shown) == 1)
        assert "ZeroDivisionError" in reporter.shown[0].detailedText()
        reporter.shown[0].close()
    finally:
        sys.excepthook, threading.excepthook = old_hook, old_thread_hook


def test_drop_zone_keyboard_and_accessibility(qtbot: Any, tmp_path: Path) -> None:
    home = HomeView()
    qtbot.addWidget(home)
    home.show()
    zone = home.drop_zone
    assert zone.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert zone.label.alignment() == zone.hint.alignment() == Qt.AlignmentFlag.AlignCenter
    assert zone.accessibleName() == "Drop zone"
    with qtbot.waitSignal(home.open_clicked):
        qtbot.keyClick(zone, Qt.Key.Key_Return)
    for button in home.findChildren(QPushButton):
        assert button.accessibleName(), button.text()
    # a text file is refused at drag-enter
    txt = tmp_path / "notes.txt"
    txt.write_text("x")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(txt))])
    enter = QDragEnterEvent(
        QPointF(QPoint(5, 5)),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(zone, enter)
    assert not enter.isAccepted()


def test_files_from_the_command_line_are_opened(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOMEI_SETTINGS", str(tmp_path / "settings.ini"))
    monkeypatch.setenv("SHOMEI_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "settings.ini").write_text("[General]\nversion=1\neu_trust=false\n")
    pdf = make_pdf(tmp_path / "argv.pdf")
    started = start([str(pdf)], single_instance=False, hooks=False)
    assert started is not None
    qtbot.addWidget(started.window)
    with qtbot.waitSignal(started.window.unsigned_opened, timeout=60_000) as blocker:
        pass
    assert blocker.args[0] == str(pdf)
    wait_idle(qtbot)


def test_first_paint_does_not_import_pyhanko(tmp_path: Path) -> None:
    """The GUI path of the real launcher paints before any pyHanko import
    (the time itself is measured by benchmarks/bench_startup.py)."""
    out = subprocess.run(
        [str(Path(sys.executable).parent / "shomei")],
        env=dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            SHOMEI_FIRST_PAINT_T0="0",
            SHOMEI_SETTINGS=str(tmp_path / "s.ini"),
            SHOMEI_INSTANCE_NAME=f"shomei-test-{uuid.uuid4().hex[:12]}",
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert any(line.startswith("first-paint-ms ") for line in lines), out.stdout
    assert "pyhanko-imported False" in lines
    # the core adapter, logging and fonts wait until the home screen has painted
    assert "core-adapter-imported False" in lines


def test_work_waits_for_the_first_paint(qtbot: Any) -> None:
    """FirstPaint: what is queued before the first paint runs after it, in
    order; later calls run at once; a window that never paints still gets
    its deferred work after the fallback delay."""
    from desktop.app import FirstPaint

    top = QWidget()
    qtbot.addWidget(top)
    child = QWidget(top)
    first = FirstPaint(child, top)
    order: list[str] = []
    first.call(lambda: order.append("queued"))
    assert order == [] and not first.done
    top.resize(200, 100)
    top.show()
    qtbot.waitUntil(lambda: first.done)
    assert order == ["queued"]
    first.call(lambda: order.append("later"))
    assert order == ["queued", "later"]

    hidden = QWidget()
    qtbot.addWidget(hidden)
    never = FirstPaint(hidden, hidden, fallback_ms=50)
    with qtbot.waitSignal(never.painted, timeout=5_000):
        pass
    assert never.done


def test_validate_action_shows_the_verdict_even_for_an_unsigned_file(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The desktop entry's "Validate signatures" action (``shomei --gui-validate``)
    shows a verdict; it never turns into the sign screen."""
    from desktop.launcher import GUI_VALIDATE

    monkeypatch.setenv("SHOMEI_SETTINGS", str(tmp_path / "settings.ini"))
    monkeypatch.setenv("SHOMEI_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "settings.ini").write_text("[General]\nversion=1\neu_trust=false\n")
    desktop_entry = (
        Path(__file__).resolve().parent.parent / "packaging/linux/app.shomei.Shomei.desktop"
    )
    assert f"Exec=shomei {GUI_VALIDATE} %F" in desktop_entry.read_text(encoding="utf-8")
    pdf = make_pdf(tmp_path / "unsigned.pdf")
    started = start([str(pdf)], single_instance=False, hooks=False, validate_only=True)
    assert started is not None
    qtbot.addWidget(started.window)
    with qtbot.waitSignal(started.window.result_shown, timeout=60_000) as blocker:
        pass
    result = blocker.args[0]
    assert result.path == str(pdf) and not result.signatures
    assert result.verdict is Verdict.INDETERMINATE
    assert started.window.stack.currentWidget() is started.window.validation_view
    wait_idle(qtbot)


def test_garbage_is_collected_on_the_gui_thread_only(qtbot: Any) -> None:
    """Python's collector must not run on a worker (it could destroy GUI-thread
    Qt objects there): once workers run, the GUI thread's timer collects."""
    import gc
    import weakref

    results: list[int] = []
    op = Op(None, lambda ctx: 1, results.append).run()
    qtbot.waitUntil(lambda: results == [1], timeout=10_000)
    del op
    assert not gc.isenabled()

    class Cycle:
        me: object

    cycle = Cycle()
    cycle.me = cycle
    ref = weakref.ref(cycle)
    del cycle
    assert ref() is not None  # only a collection frees a cycle
    qtbot.waitUntil(lambda: ref() is None, timeout=20_000)
