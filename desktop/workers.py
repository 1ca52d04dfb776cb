"""Background work, the one way: :class:`Op` (after Anki's ``QueryOp``).

``Op(parent, fn, on_success).failure(cb).with_progress(cb).run()`` runs
``fn(ctx)`` in the global QThreadPool. ``ctx.cancel`` is a threading.Event
the core polls; ``ctx.progress(done, total, text)`` may be called from the
worker. Success, failure and progress come back to the GUI thread by queued
signals. A failure without a handler goes to :func:`desktop.errors_ui.show_error`.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRunnable,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QWidget

T = TypeVar("T")
log = logging.getLogger(__name__)

#: Ops in flight, kept alive until their result is delivered.
_RUNNING: set[Op[Any]] = set()

#: the timer that collects garbage on the GUI thread (see collect_on_gui_thread)
_GC_TIMER: QTimer | None = None


def collect_on_gui_thread(interval_ms: int = 1000) -> None:
    """Collect cyclic garbage on the GUI thread only.

    Python's collector runs on whichever thread happens to allocate: on a
    worker it may destroy a Qt object that lives on the GUI thread, and Qt
    crashes. As Anki does, automatic collection is switched off once workers
    exist and a timer collects on the GUI thread instead (young objects every
    tick, everything every tenth). Idempotent.
    """
    global _GC_TIMER
    app = QCoreApplication.instance()
    if _GC_TIMER is not None or app is None:
        return
    gc.disable()
    timer = QTimer(app)
    ticks = 0

    def collect() -> None:
        nonlocal ticks
        ticks += 1
        gc.collect(2 if ticks % 10 == 0 else 0)

    timer.timeout.connect(collect)
    timer.start(interval_ms)
    _GC_TIMER = timer


@dataclass
class OpContext:
    """Handed to the background function."""

    cancel: threading.Event = field(default_factory=threading.Event)
    _emit: Callable[[int, int, str], None] | None = None
    _emit_partial: Callable[[object], None] | None = None

    def progress(self, done: int, total: int, text: str = "") -> None:
        if self._emit is not None:
            self._emit(done, total, text)

    def partial(self, item: object) -> None:
        """Hand one intermediate result (e.g. one file of a batch) to the GUI."""
        if self._emit_partial is not None:
            self._emit_partial(item)


class _Bridge(QObject):
    """Lives on the GUI thread; its signals, emitted from the worker, reach
    its own slots queued, hence on the GUI thread."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int, str)
    partial = Signal(object)

    def __init__(self, op: Op[Any]) -> None:
        # Owned by the application object, not by Python: when the last
        # Python reference goes away on a worker thread (or the cyclic GC
        # runs there), the C++ object is not destroyed from that thread.
        # Op._done() deletes it on the GUI thread with deleteLater().
        super().__init__(QCoreApplication.instance())
        self._op: Op[Any] | None = op
        self.succeeded.connect(self._on_success)
        self.failed.connect(self._on_failure)
        self.progressed.connect(self._on_progress)
        self.partial.connect(self._on_partial)

    @Slot(object)
    def _on_success(self, result: Any) -> None:
        if self._op is not None:
            self._op._on_success(result)

    @Slot(object)
    def _on_failure(self, exc: Any) -> None:
        if self._op is not None:
            self._op._on_failure(exc)

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, text: str) -> None:
        if self._op is not None:
            self._op._on_progress(done, total, text)

    @Slot(object)
    def _on_partial(self, item: Any) -> None:
        op = self._op
        if op is not None and op._partial is not None and not op._parent_gone():
            op._partial(item)


class _Runnable(QRunnable):
    def __init__(self, op: Op[Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._op = op

    def run(self) -> None:
        self._op._run_in_worker()


class Op(Generic[T]):
    def __init__(
        self,
        parent: QWidget | None,
        fn: Callable[[OpContext], T],
        success: Callable[[T], None],
    ) -> None:
        self._parent = parent
        self._fn = fn
        self._success = success
        self._failure: Callable[[BaseException], None] | None = None
        self._progress: Callable[[int, int, str], None] | None = None
        self._finally: Callable[[], None] | None = None
        self._partial: Callable[[Any], None] | None = None
        #: a quick read nobody waits for (closing the window does not ask about it)
        self.background = False
        self._bridge = _Bridge(self)
        self.ctx = OpContext(
            _emit=self._bridge.progressed.emit, _emit_partial=self._bridge.partial.emit
        )

    def failure(self, fn: Callable[[BaseException], None]) -> Op[T]:
        self._failure = fn
        return self

    def with_progress(self, fn: Callable[[int, int, str], None]) -> Op[T]:
        self._progress = fn
        return self

    def with_partial(self, fn: Callable[[Any], None]) -> Op[T]:
        """``fn`` receives each ``ctx.partial(item)`` on the GUI thread."""
        self._partial = fn
        return self

    def finally_(self, fn: Callable[[], None]) -> Op[T]:
        """Called on the GUI thread after success or failure."""
        self._finally = fn
        return self

    def in_background(self) -> Op[T]:
        """Mark this op as a quick read the user is not waiting for."""
        self.background = True
        return self

    def cancel(self) -> None:
        self.ctx.cancel.set()

    def run(self, pool: QThreadPool | None = None) -> Op[T]:
        collect_on_gui_thread()
        _RUNNING.add(self)
        (pool or QThreadPool.globalInstance()).start(_Runnable(self))
        return self

    # worker thread
    def _run_in_worker(self) -> None:
        try:
            result = self._fn(self.ctx)
        except BaseException as exc:  # delivered to the GUI, never swallowed
            self._bridge.failed.emit(exc)
        else:
            self._bridge.succeeded.emit(result)

    # GUI thread
    def _parent_gone(self) -> bool:
        """The screen that asked was closed meanwhile: nobody to tell."""
        return self._parent is not None and not shiboken6.isValid(self._parent)

    def _on_success(self, result: Any) -> None:
        try:
            if not self._parent_gone():
                self._success(result)
        finally:
            self._done()

    def _on_failure(self, exc: BaseException) -> None:
        try:
            if self._parent_gone():
                log.info("result of a closed screen dropped: %r", exc)
            elif self._failure is not None:
                self._failure(exc)
            else:
                from desktop.errors_ui import show_error

                show_error(self._parent, exc)
        finally:
            self._done()

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if self._progress is not None and not self._parent_gone():
            self._progress(done, total, text)

    def _done(self) -> None:
        try:
            if self._finally is not None and not self._parent_gone():
                self._finally()
        finally:
            self._bridge._op = None  # no reference cycle left for the GC
            self._bridge.deleteLater()
            _RUNNING.discard(self)


def running_ops() -> int:
    """How many ops have not delivered their result yet (tests wait on it)."""
    return len(_RUNNING)


def work_in_progress() -> list[Op[Any]]:
    """The ops the user is waiting for (signing, validating, downloading)."""
    return [op for op in _RUNNING if not op.background]


def cancel_all() -> None:
    """Ask every op in flight to stop (each polls ``ctx.cancel`` at its next
    stage; its result still comes back, so :func:`running_ops` drops to 0)."""
    for op in list(_RUNNING):
        op.cancel()
