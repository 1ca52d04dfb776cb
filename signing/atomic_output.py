"""Write a result so that it appears whole or not at all.

The output is built in a temporary file in the destination folder (so the
final rename stays on one file system), flushed to disk, checked, and only
then renamed over the requested path. On any failure the temporary file is
removed and no output file remains. The temporary file is opened read-write:
pyHanko then works on it directly instead of building the whole signed
document in memory.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from typing import IO

from .errors import OutputError, SigningError


def same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def check_output_path(output: Path, inputs: tuple[Path, ...] = ()) -> None:
    """Refuse an output that would overwrite an input or cannot be written."""
    for inp in inputs:
        if same_file(output, inp):
            raise OutputError(
                f"The output {output.name} would overwrite the input; choose another file name."
            )
    if output.is_dir():
        raise OutputError(f"The output {output} is a folder; give a file name.")
    parent = output.parent
    if not parent.is_dir():
        raise OutputError(f"The folder {parent} does not exist.")


def give_usual_mode(fd: int, target: Path) -> None:
    """A temporary file is made readable by its owner only; the document it
    becomes gets what the user's new files get (0666 less the umask), or the
    mode of the file it replaces. (No-op where there is no fchmod.)"""
    if not hasattr(os, "fchmod"):
        return
    try:
        mode = os.stat(target).st_mode & 0o7777
    except OSError:
        mode = 0o666 & ~_umask()
    with contextlib.suppress(OSError):
        os.fchmod(fd, mode)


def _umask() -> int:
    """The process umask, read without changing it (os.umask would, for a
    moment, for every thread)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


class AtomicOutput:
    """``with AtomicOutput(path) as out: ...; out.commit()``.

    ``stream`` is a read-write binary file in the destination folder. Leaving
    the block without :meth:`commit` (an exception, a forgotten commit)
    deletes it.
    """

    def __init__(self, target: Path, *, inputs: tuple[Path, ...] = ()) -> None:
        self.target = Path(target)
        check_output_path(self.target, inputs)
        self._tmp: Path | None = None
        self._stream: IO[bytes] | None = None
        self._sync: threading.Thread | None = None
        self._sync_error: OSError | None = None
        self.committed = False

    @property
    def stream(self) -> IO[bytes]:
        if self._stream is None:
            raise SigningError("The output file is not open.")
        return self._stream

    @property
    def temp_path(self) -> Path:
        if self._tmp is None:
            raise SigningError("The output file is not open.")
        return self._tmp

    def __enter__(self) -> AtomicOutput:
        folder = self.target.parent
        try:
            fd, name = tempfile.mkstemp(
                dir=folder, prefix=f".{self.target.name}.", suffix=".partial"
            )
        except OSError as exc:
            raise OutputError(
                f"Cannot write in the folder {folder}: {exc.strerror or exc}."
            ) from None
        self._tmp = Path(name)
        give_usual_mode(fd, self.target)
        self._stream = os.fdopen(fd, "w+b")
        return self

    def begin_sync(self) -> None:
        """Start writing the data to disk in the background, so that the disk
        works while the caller checks the output; :meth:`commit` waits."""
        stream = self.stream
        stream.flush()
        fd = stream.fileno()

        def sync() -> None:
            try:
                os.fsync(fd)
            except OSError as exc:
                self._sync_error = exc

        self._sync = threading.Thread(target=sync, name="output-fsync", daemon=True)
        self._sync.start()

    def _join_sync(self) -> None:
        if self._sync is not None:
            self._sync.join()
            self._sync = None

    def commit(self) -> int:
        """Flush to disk and move into place; returns the size in bytes."""
        stream = self.stream
        try:
            stream.flush()
            self._join_sync()
            if self._sync_error is not None:
                raise self._sync_error
            os.fsync(stream.fileno())  # anything written after begin_sync
            size = os.fstat(stream.fileno()).st_size
            stream.close()
            os.replace(self.temp_path, self.target)
        except OSError as exc:
            raise OutputError(f"Cannot write {self.target}: {exc.strerror or exc}.") from None
        self.committed = True
        self._fsync_dir()
        return size

    def _fsync_dir(self) -> None:
        # Make the rename itself durable; not every platform allows this.
        with contextlib.suppress(OSError):
            fd = os.open(self.target.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def discard(self) -> None:
        self._join_sync()
        if self._stream is not None and not self._stream.closed:
            with contextlib.suppress(OSError):
                self._stream.close()
        if not self.committed and self._tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                self._tmp.unlink()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.discard()


def write_atomically(target: Path, data: bytes, *, inputs: tuple[Path, ...] = ()) -> int:
    """Write ``data`` to ``target`` atomically (small results)."""
    with AtomicOutput(target, inputs=inputs) as out:
        out.stream.write(data)
        return out.commit()
