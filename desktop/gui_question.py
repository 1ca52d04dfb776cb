"""Asking the user something from a worker thread, answered on the GUI thread.

The question crosses to the GUI thread by a queued signal, the dialog opens
window-modal with ``open()`` (no nested event loop on the GUI thread), and the
answer comes back through a threading.Event the worker waits on. The PIN
dialog and the pre-signing confirmation both work this way.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QWidget


@dataclass
class Pending:
    """One question in flight: what was asked, and the answer once given."""

    question: Any
    done: threading.Event = field(default_factory=threading.Event)
    answer: Any = None


class GuiQuestion(QObject):
    """Base for worker-to-GUI questions: subclasses implement :meth:`_show`,
    which opens the dialog and sets ``pending.answer`` then ``pending.done``.

    Create it on the GUI thread; call :meth:`_ask` from worker threads only.
    """

    _asked = Signal(object)
    #: emitted on the GUI thread with the dialog, so tests can answer it
    dialog_shown = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parent_widget = parent
        self._asked.connect(self._on_asked, Qt.ConnectionType.QueuedConnection)

    def _ask(self, question: Any) -> Pending:
        if QThread.currentThread() == self.thread():
            raise RuntimeError(f"{type(self).__name__} must be called from a worker thread")
        pending = Pending(question)
        self._asked.emit(pending)
        pending.done.wait()
        return pending

    @Slot(object)
    def _on_asked(self, pending: Pending) -> None:
        self._show(pending)

    def _show(self, pending: Pending) -> None:
        raise NotImplementedError
