"""Application start-up: QApplication, single instance, language, main window.

Environment:
``SHOMEI_SETTINGS``  an INI file to use instead of the user's settings;
``SHOMEI_SINGLE_INSTANCE=0``  do not hand files to a running window;
``SHOMEI_INSTANCE_NAME``  the local socket name (default: per user);
``SHOMEI_PSEUDO_LOCALE=1``  every string ~40 % longer, to check layouts;
``SHOMEI_FIRST_PAINT_T0``  a ``time.monotonic()`` value taken by whoever
started us: print ``first-paint-ms N`` at the first paint and exit
(benchmarks/bench_startup.py).

Start-up time: the window paints first; everything it does not need for that
(the core adapter, logging, the bundled fonts, the window icon, files from
the command line) runs once the home screen has painted
(:class:`FirstPaint`). Qt's ``Qt`` namespace is not touched before then
either: PySide builds its ~100 Python enums on first access (~15 ms).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication, QWidget

from desktop.i18n import effective_language, install_language, load_japanese_fonts
from desktop.main_window import MainWindow
from desktop.paths import icon_path
from desktop.settings import AppSettings, SettingsStore

if TYPE_CHECKING:
    from desktop.single_instance import InstanceServer


class ShomeiApplication(QApplication):
    """Adds macOS "Open with" (QFileOpenEvent) to QApplication."""

    file_open_requested = Signal(list)

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.FileOpen and isinstance(e, QFileOpenEvent):
            self.file_open_requested.emit([e.file()])
            return True
        return super().event(e)


def setup_window(store: SettingsStore, settings: AppSettings | None = None) -> MainWindow:
    """The main window with its language installed and wired to settings
    changes (used by :func:`run` and by the tests)."""
    settings = settings or store.load()
    pseudo = os.environ.get("SHOMEI_PSEUDO_LOCALE") == "1"
    install_language(effective_language(settings.language), pseudo=pseudo)
    window = MainWindow(store, settings)

    def changed(pair: tuple[AppSettings, AppSettings]) -> None:
        old, new = pair
        if old.language != new.language:
            install_language(effective_language(new.language), pseudo=pseudo)
            window.retranslate()

    window.settings_changed.connect(changed)
    return window


class FirstPaint(QObject):
    """Emits :attr:`painted` once, when ``widget`` has been painted for the
    first time (on the next turn of the event loop, so the frame is complete),
    or after ``fallback_ms`` if it never paints (e.g. started minimised)."""

    painted = Signal()

    def __init__(self, widget: QWidget, parent: QObject, fallback_ms: int = 2000) -> None:
        super().__init__(parent)
        self.done = False
        widget.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self, self._emit)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self, self._emit)
        return False

    def _emit(self) -> None:
        if not self.done:
            self.done = True
            self.painted.emit()

    def call(self, fn: Callable[[], object]) -> None:
        """``fn()`` now if the first paint is done, else just after it."""
        if self.done:
            fn()
        else:
            self.painted.connect(fn)


def _report_first_paint(t0: float) -> None:
    """The benchmark's probe: time from ``t0`` to the first paint, then quit."""
    ms = (time.monotonic() - t0) * 1000
    print(f"first-paint-ms {ms:.1f}", flush=True)
    print(f"pyhanko-imported {'pyhanko' in sys.modules}", flush=True)
    print(f"core-adapter-imported {'desktop.core_adapter' in sys.modules}", flush=True)
    QApplication.quit()


@dataclass
class Started:
    """What :func:`start` set up (kept alive by the caller)."""

    window: MainWindow
    server: InstanceServer | None


def _instance_name() -> str:
    from desktop.single_instance import default_server_name

    return os.environ.get("SHOMEI_INSTANCE_NAME") or default_server_name()


def start(
    files: Sequence[str] = (),
    settings_path: str | None = None,
    single_instance: bool = True,
    hooks: bool = True,
    validate_only: bool = False,
) -> Started | None:
    """Everything :func:`run` does before the event loop. Returns None when
    a running Shomei took the files (this process should then exit)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    server = None
    if single_instance:
        from desktop.single_instance import InstanceServer, send_to_running

        name = _instance_name()
        if send_to_running(list(files), name):
            return None
        server = InstanceServer(name)
        server.listen()

    from desktop.errors_ui import install_excepthook, setup_logging

    if hooks:
        install_excepthook()
    store = SettingsStore(settings_path or os.environ.get("SHOMEI_SETTINGS"))
    window = setup_window(store)
    # The home screen paints first; the rest waits for that.
    first_paint = FirstPaint(window.home, window)

    def receive(paths: list[str]) -> None:
        window.showNormal()
        window.raise_()
        window.activateWindow()
        if paths:  # after the network settings are applied (after_first_paint)
            first_paint.call(lambda: window.open_paths(paths))

    if server is not None:
        server.files_received.connect(receive)
    if isinstance(app, ShomeiApplication):
        app.file_open_requested.connect(receive)

    first_paint_t0 = os.environ.get("SHOMEI_FIRST_PAINT_T0")
    if first_paint_t0:
        first_paint.painted.connect(lambda: _report_first_paint(float(first_paint_t0)))
    window.show()

    def after_first_paint() -> None:
        from PySide6.QtGui import QIcon

        from desktop.core_adapter import apply_network

        apply_network(window.settings.network())
        if hooks:
            setup_logging()
        load_japanese_fonts()
        app.setWindowIcon(QIcon(str(icon_path("app.shomei.Shomei.svg"))))
        window.refresh_trust_chip()  # (reads the cache in a worker)
        if files:
            # "Validate signatures" (desktop action) never jumps to the sign screen.
            window.open_paths(list(files), sign_if_unsigned=not validate_only)

    first_paint.painted.connect(after_first_paint)
    return Started(window, server)


def run(
    files: Sequence[str] = (), settings_path: str | None = None, validate_only: bool = False
) -> int:
    # HiDPI: Qt 6 already passes fractional scale factors through (the
    # PassThrough rounding policy is its default).
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else ShomeiApplication(sys.argv[:1])
    app.setApplicationName("Shomei")
    app.setOrganizationName("Shomei")
    app.setDesktopFileName("shomei")
    single = os.environ.get("SHOMEI_SINGLE_INSTANCE", "1") != "0"
    started = start(files, settings_path, single_instance=single, validate_only=validate_only)
    if started is None:
        return 0
    code = app.exec()
    if started.server is not None:
        started.server.close()
    return code
