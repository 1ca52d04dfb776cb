"""Asking the user, from a worker, whether to sign despite a warning.

The core calls the confirmation hook on the signing worker once the key is
open and its certificate known (a My Number card shows its signature
certificate only after the PIN), before any signature is made. As with
:class:`desktop.secret_dialog.GuiSecretPrompt`, the question crosses to the
GUI thread by a queued signal, the message box opens window-modal with
``open()`` (no nested event loop) and the answer comes back through a
threading.Event the worker waits on.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget


@dataclass
class _Pending:
    texts: list[str]
    done: threading.Event = field(default_factory=threading.Event)
    answer: bool = False


class GuiConfirm(QObject):
    """The desktop's confirmation hook: ``confirm(texts) -> bool``.

    Create it on the GUI thread; call it from worker threads only.
    """

    _asked = Signal(object)
    #: emitted on the GUI thread with the message box, so tests can answer it
    dialog_shown = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parent_widget = parent
        self._asked.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def __call__(self, texts: list[str]) -> bool:
        if QThread.currentThread() == self.thread():
            raise RuntimeError("GuiConfirm must be called from a worker thread")
        pending = _Pending(list(texts))
        self._asked.emit(pending)
        pending.done.wait()
        return pending.answer

    @Slot(object)
    def _show(self, pending: _Pending) -> None:
        box = QMessageBox(self._parent_widget)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setObjectName("presignWarning")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Before signing"))
        box.setText("\n\n".join(pending.texts))
        box.setInformativeText(self.tr("Sign anyway?"))
        box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        ok = box.button(QMessageBox.StandardButton.Ok)
        ok.setText(self.tr("Sign"))

        def finished(result: int) -> None:
            pending.answer = box.clickedButton() is ok
            pending.done.set()

        box.finished.connect(finished)
        # closed with its window: the worker is not left waiting (answer: no)
        box.destroyed.connect(lambda *_: pending.done.set())
        box.open()
        self.dialog_shown.emit(box)
