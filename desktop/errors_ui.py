"""Errors shown to people: one :func:`show_error`, one last-resort hook.

The core raises :class:`~signing.errors.ShomeiError` subclasses; here each
class maps to one translated sentence (matched on the class, never the text),
with the core's own message as the detail.

The hook is installed before the window's first paint; the Qt classes of the
dialogs are imported when one is shown (PySide builds each class and its
enums on first use).
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication, QWidget

from desktop.i18n import tr_functions
from signing import errors as E

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

log = logging.getLogger("shomei")


_t, _tn = tr_functions("errors")


def error_title(exc: BaseException) -> str:
    """One translated sentence for the class of ``exc`` (most specific first)."""
    table: list[tuple[type[BaseException], str]] = [
        (E.UserCancelled, _t("Cancelled.")),
        (E.WrongPasswordError, _t("The password is wrong.")),
        (E.PinLockedError, _t("The PIN is locked. Unblock the card with its PUK.")),
        (E.PinError, _t("The PIN was not accepted.")),
        (E.TokenError, _t("The smart card or token could not be used.")),
        (E.KeyFileError, _t("The key file could not be read.")),
        (E.RemoteSigningError, _t("The remote signing service failed.")),
        (E.KeyError_, _t("The key could not be used.")),
        (E.CertificateExpiredError, _t("The certificate has expired.")),
        (E.CertificateRevokedError, _t("The certificate has been revoked.")),
        (E.CertificateUntrustedError, _t("The certificate is not trusted.")),
        (E.CertificateError, _t("The certificate cannot be used for this signature.")),
        (E.NotAPdfError, _t("This file is not a PDF document.")),
        (E.TruncatedPdfError, _t("This PDF file is damaged or incomplete.")),
        (E.EncryptedPdfError, _t("This PDF file is encrypted.")),
        (E.FieldNotFoundError, _t("The signature field was not found.")),
        (E.FieldInUseError, _t("The signature field is already signed.")),
        (E.DocumentError, _t("The document cannot be used.")),
        (E.TimestampError, _t("The time-stamping server failed.")),
        (E.RevocationFetchError, _t("Revocation information could not be fetched.")),
        (E.ServiceError, _t("A network service failed.")),
        (E.OutputError, _t("The result could not be saved.")),
        (E.SigningError, _t("Signing failed.")),
        (E.ValidationError, _t("Validation failed.")),
        (E.TrustListError, _t("The trusted lists could not be loaded.")),
        (E.SettingsError, _t("The settings could not be read.")),
        (E.ShomeiError, _t("The operation failed.")),
        (OSError, _t("A file could not be read or written.")),
    ]
    for cls, text in table:
        if isinstance(exc, cls):
            return text
    return _t("An unexpected error occurred.")


def error_detail(exc: BaseException) -> str:
    """The core's own message in the UI's language, with the app's hint
    (a settings page) in place of the CLI's (a command-line flag)."""
    if isinstance(exc, E.ShomeiError):
        from desktop.i18n import current_language

        return exc.text(current_language(), "app")
    return f"{type(exc).__name__}: {exc}"


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox | None:
    """Show ``exc`` to the user (non-blocking). Cancellations are silent."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    if isinstance(exc, E.UserCancelled):
        return None
    if not isinstance(exc, E.ShomeiError | OSError):
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_t("Shomei"))
    box.setText(error_title(exc))
    box.setInformativeText(error_detail(exc))
    technical = getattr(exc, "technical", None)
    if technical:  # a library's own words, collapsed under "Show Details…"
        box.setDetailedText(technical)
        log.info("%s: %s", getattr(exc, "code", "error"), technical)
    box.setObjectName("errorBox")
    box.setAccessibleName(error_title(exc))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


# --- logging and the last-resort hook ----------------------------------------


def log_dir() -> Path:
    from PySide6.QtCore import QStandardPaths

    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return Path(base or Path.home() / ".shomei") / "logs"


def log_file() -> Path:
    return log_dir() / "shomei.log"


def setup_logging() -> None:
    from logging.handlers import RotatingFileHandler

    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=2, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


class _CrashReporter(QObject):
    """Brings exceptions from any thread to a dialog on the GUI thread."""

    crashed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.crashed.connect(self._show)
        self.shown: list[QMessageBox] = []

    @Slot(str)
    def _show(self, summary: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QApplication.activeWindow())
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(_t("Shomei"))
        box.setText(_t("Something went wrong inside Shomei. Your files were not changed."))
        box.setInformativeText(
            _t("The details were written to the log file:") + "\n" + str(log_file())
        )
        box.setDetailedText(summary)
        box.setObjectName("crashBox")
        self.shown.append(box)
        box.finished.connect(lambda _r, b=box: self.shown.remove(b))
        box.open()


_reporter: _CrashReporter | None = None


def install_excepthook() -> None:
    """Unhandled exceptions are logged and shown instead of ending the app."""
    global _reporter
    _reporter = _CrashReporter()

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.error("unhandled exception", exc_info=(exc_type, exc, tb))
        summary = "".join(traceback.format_exception(exc_type, exc, tb))
        if _reporter is not None:
            _reporter.crashed.emit(summary)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            hook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = hook
    threading.excepthook = thread_hook


def crash_reporter() -> _CrashReporter | None:
    return _reporter
