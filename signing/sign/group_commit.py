"""Make a batch's outputs durable together instead of one at a time.

Written alone, each output costs two waits for the disk: its own fsync and
its folder's (:meth:`AtomicOutput.commit`), about as long as signing a small
document. A batch instead hands each signed and checked output to a
:class:`GroupCommit`, still under its temporary name, and every few dozen
documents (or half a second) the group

1. makes all their bytes durable at once: one ``syncfs(2)`` per file system
   where the kernel reports write-back errors through it (Linux 5.8 and
   later), else an fsync per file;
2. renames each into place (an output appears under its final name only
   once its bytes are durable);
3. syncs each output folder once, making the renames durable.

Each document keeps the guarantee of a lone one: never a partial output
under the final name, the input never touched. An output that cannot be
made durable or renamed gets its error and leaves no temporary file; the
others of the group are not held back by it. Leaving the batch by an
exception removes every temporary file still waiting (:meth:`discard`).
"""

from __future__ import annotations

import ctypes
import functools
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from signing.errors import ShomeiError
from signing.sign.atomic_write import AtomicOutput, fsync_folder, write_error
from signing.sign.request import SignedResult

#: a group is made durable when it holds this many outputs, ...
MAX_OUTPUTS = 32
#: ... this many bytes (the page cache holds them meanwhile), ...
MAX_BYTES = 64 << 20
#: ... or when its first output has waited this long (a slow batch, e.g. one
#: that asks a time-stamping server, still saves its documents as it goes)
MAX_WAIT_S = 0.5


@functools.cache
def _syncfs() -> Callable[[int], int] | None:
    """``syncfs(2)`` where it reports write-back errors (Linux 5.8 on; before
    it returned 0 even when writing had failed); None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    m = re.match(r"(\d+)\.(\d+)", os.uname().release)
    if m is None or (int(m[1]), int(m[2])) < (5, 8):
        return None
    try:
        fn = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int]
    fn.restype = ctypes.c_int
    return fn  # type: ignore[no-any-return]


def make_durable(fds: list[int]) -> dict[int, OSError]:
    """Flush the files open on ``fds`` to disk; the error met by each file
    that could not be (by its position in ``fds``)."""
    syncfs = _syncfs()
    if syncfs is not None and len(fds) > 1:
        # One call per file system, on the file opened first: syncfs reports
        # the errors met since its file was opened, which covers the others.
        first: dict[int, int] = {}
        for fd in fds:
            first.setdefault(os.fstat(fd).st_dev, fd)
        if all(syncfs(fd) == 0 for fd in first.values()):
            return {}
        # (a failure: the fsyncs below say which file it was)
    errors: dict[int, OSError] = {}
    for k, fd in enumerate(fds):
        try:
            os.fsync(fd)
        except OSError as exc:
            errors[k] = exc
    return errors


@dataclass
class _Waiting:
    key: int
    out: AtomicOutput
    size: int
    result: SignedResult | None = None


class GroupCommit:
    """The outputs of a batch waiting to be made durable and renamed.

    ``stage(key, out)`` takes a written and checked output (it then belongs
    to the group, under its temporary name); ``resolve(key, result)`` gives
    the result to report once it is in place. :meth:`flush` commits them all
    and returns each key's outcome.
    """

    def __init__(
        self,
        *,
        max_outputs: int = MAX_OUTPUTS,
        max_bytes: int = MAX_BYTES,
        max_wait_s: float = MAX_WAIT_S,
    ) -> None:
        self._max_outputs = max_outputs
        self._max_bytes = max_bytes
        self._max_wait_s = max_wait_s
        self._waiting: list[_Waiting] = []
        self._bytes = 0
        self._since = 0.0
        self._swept: set[Path] = set()

    def first_visit(self, folder: Path) -> bool:
        """True the first time ``folder`` is asked about: look for stale
        temporary files there once per batch."""
        if folder in self._swept:
            return False
        self._swept.add(folder)
        return True

    def stage(self, key: int, out: AtomicOutput) -> int:
        """Take ``out`` (written and checked) into the group; its size."""
        size = out.prepare()
        if not self._waiting:
            self._since = time.monotonic()
        out.hand_over()
        self._waiting.append(_Waiting(key, out, size))
        self._bytes += size
        return size

    def resolve(self, key: int, result: SignedResult) -> None:
        for w in self._waiting:
            if w.key == key:
                w.result = result

    @property
    def due(self) -> bool:
        return bool(self._waiting) and (
            len(self._waiting) >= self._max_outputs
            or self._bytes >= self._max_bytes
            or time.monotonic() - self._since >= self._max_wait_s
        )

    def flush(self) -> list[tuple[int, SignedResult | ShomeiError]]:
        """Make the waiting outputs durable, rename them into place, sync
        their folders; each key's result or error (a failed one leaves no
        file behind)."""
        waiting, self._waiting, self._bytes = self._waiting, [], 0
        try:
            return self._commit(waiting)
        finally:
            # (no-op for those in place; removes the rest, even when
            # interrupted half-way)
            for w in waiting:
                w.out.discard()

    def _commit(self, waiting: list[_Waiting]) -> list[tuple[int, SignedResult | ShomeiError]]:
        # (an output staged without a result: its document failed after all)
        outcomes: list[tuple[int, SignedResult | ShomeiError]] = []
        ready = []
        for w in waiting:
            if w.result is None:
                w.out.discard()
            else:
                ready.append(w)
        try:
            errors = make_durable([w.out.fileno() for w in ready])
        except OSError as exc:  # (fstat of an open file: not expected)
            errors = dict.fromkeys(range(len(ready)), exc)
        folders: dict[Path, None] = {}
        for k, w in enumerate(ready):
            assert w.result is not None
            try:
                if k in errors:
                    raise write_error(w.out.target, errors[k])
                w.out.move_into_place()
            except (ShomeiError, OSError) as exc:
                w.out.discard()
                error = exc if isinstance(exc, ShomeiError) else write_error(w.out.target, exc)
                outcomes.append((w.key, error))
                continue
            folders[w.out.target.parent] = None
            outcomes.append((w.key, w.result))
        for folder in folders:
            fsync_folder(folder)
        return outcomes

    def discard(self) -> None:
        """Remove every waiting temporary file (the batch is being left)."""
        waiting, self._waiting, self._bytes = self._waiting, [], 0
        for w in waiting:
            w.out.discard()


__all__ = ["GroupCommit", "make_durable"]
