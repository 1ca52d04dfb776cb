"""Write a result so that it appears whole or not at all.

The output is built in a temporary file in the destination folder (so the
final rename stays on one file system), flushed to disk, checked, and only
then renamed over the requested path. On any failure the temporary file is
removed and no output file remains. The temporary file is opened read-write:
pyHanko then works on it directly instead of building the whole signed
document in memory.

Only regular files are ever replaced: an output path that names a device
node, a FIFO, a socket, a folder or a symbolic link is refused (a rename
would put a regular file in the place of ``/dev/null`` or of the link
itself; to write through a link, name the file it points to). The check is
made before anything is asked and again just before the rename.

The temporary file is named ``.NAME.PID-XXXX.partial``. The CLI removes the
live ones when it is ended by SIGTERM or SIGHUP (:func:`remove_live_temp_files`);
a file left by a process that was killed outright is removed by the next
write to the same folder once its process is gone and it is older than an
hour (:func:`remove_stale_temp_files`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO

from signing.errors import OutputError, SigningError


def same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def file_identity(path: Path) -> tuple[object, ...]:
    """A key that two paths share exactly when :func:`same_file` says they
    are the same file (an existing file by device and inode, any other by its
    resolved path): a batch compares its N paths in O(N), not O(N²)."""
    try:
        st = os.stat(path)
    except OSError:
        return ("path", path.resolve())
    return ("inode", st.st_dev, st.st_ino)


#: a temporary file of ours: ``.NAME.PID-RANDOM.partial``
_TEMP_NAME = re.compile(r"^\..+\.(\d+)-[A-Za-z0-9_]+\.partial$")
#: a temporary file of an earlier version, which did not name its process
_OLD_TEMP_NAME = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.partial$")
#: a temporary file this old, whose process is gone, is left from a crash
STALE_AFTER_S = 3600.0
#: without a process to ask about, only a day-old one is taken as left over
OLD_STALE_AFTER_S = 24 * 3600.0

#: what a write into a full disk, a quota or a file size limit gives
_NO_SPACE = frozenset(
    getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG") if hasattr(errno, name)
)

#: temporary files being written right now (removed by a signal handler)
#: (a bug of ours if ever seen, but said in the user's language all the same)
_NOT_OPEN_JA = "出力ファイルが開かれていません。"

_live: set[str] = set()
_live_lock = threading.Lock()


def check_regular_target(output: Path) -> None:
    """Refuse an output path that exists and is not a regular file."""
    try:
        st = os.lstat(output)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(
            f"Cannot use the output {output}: {exc.strerror or exc}.",
            ja=f"出力先{output}を使用できません：{exc.strerror or exc}。",
        ) from None
    if stat.S_ISLNK(st.st_mode):
        raise OutputError(
            f"The output {output} is a symbolic link; Shomei does not replace links. "
            f"Name the file it points to ({os.path.realpath(output)}) or another file.",
            ja=f"出力先{output}はシンボリックリンクです。Shomeiはリンクを置き換えません。"
            f"リンク先のファイル（{os.path.realpath(output)}）か別のファイルを指定してください。",
        )
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(
            f"The output {output} is a folder; give a file name.",
            ja=f"出力先{output}はフォルダーです。ファイル名を指定してください。",
        )
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(
            f"The output {output} is not a regular file (a device, a pipe or a socket); "
            "Shomei only writes regular files.",
            ja=f"出力先{output}は通常のファイルではありません（デバイス、パイプ、ソケットなど）。"
            "Shomeiは通常のファイルにのみ書き込みます。",
        )


def check_output_path(output: Path, inputs: tuple[Path, ...] = ()) -> None:
    """Refuse an output that would overwrite an input, is not a regular file
    or cannot be written."""
    for inp in inputs:
        if same_file(output, inp):
            raise OutputError(
                f"The output {output.name} would overwrite the input; choose another file name.",
                ja=f"出力先{output.name}は入力ファイルを上書きしてしまいます。別のファイル名を選んでください。",
            )
    check_regular_target(output)
    parent = output.parent
    if not parent.is_dir():
        raise OutputError(
            f"The folder {parent} does not exist.", ja=f"フォルダー{parent}が見つかりません。"
        )


def remove_live_temp_files() -> None:
    """Remove the temporary files being written (for a signal handler: no
    locks taken, nothing raised)."""
    for name in list(_live):
        with contextlib.suppress(OSError):
            os.unlink(name)


def _process_gone(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, owned by someone else
        return False
    return False


def remove_stale_temp_files(folder: Path, now: float | None = None) -> list[Path]:
    """Remove our temporary files in ``folder`` left by a process that no
    longer runs and older than :data:`STALE_AFTER_S`; only the user's own
    regular files. Returns what was removed."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        m = _TEMP_NAME.match(name)
        if m is None and _OLD_TEMP_NAME.match(name) is None:
            continue
        path = folder / name
        try:
            st = os.lstat(path)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid():
            continue
        age = now - st.st_mtime
        if m is None:
            if age < OLD_STALE_AFTER_S:
                continue
        elif age < STALE_AFTER_S or not _process_gone(int(m[1])):
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


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

    def __init__(self, target: Path, *, inputs: tuple[Path, ...] = (), sweep: bool = True) -> None:
        self.target = Path(target)
        check_output_path(self.target, inputs)
        #: look for temporary files left by crashed processes first (a batch
        #: looks once per folder, not once per document)
        self._sweep = sweep
        self._tmp: Path | None = None
        self._stream: IO[bytes] | None = None
        self._sync: threading.Thread | None = None
        self._sync_error: OSError | None = None
        self._handed_over = False
        self.committed = False

    @property
    def stream(self) -> IO[bytes]:
        if self._stream is None:
            raise SigningError("The output file is not open.", ja=_NOT_OPEN_JA)
        return self._stream

    @property
    def temp_path(self) -> Path:
        if self._tmp is None:
            raise SigningError("The output file is not open.", ja=_NOT_OPEN_JA)
        return self._tmp

    def __enter__(self) -> AtomicOutput:
        folder = self.target.parent
        if self._sweep:
            remove_stale_temp_files(folder)
        try:
            with _live_lock:
                fd, name = tempfile.mkstemp(
                    dir=folder, prefix=f".{self.target.name}.{os.getpid()}-", suffix=".partial"
                )
                _live.add(name)
        except OSError as exc:
            raise OutputError(
                f"Cannot write in the folder {folder}: {exc.strerror or exc}.",
                ja=f"フォルダー{folder}に書き込めません：{exc.strerror or exc}。",
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
        size = self.prepare()
        try:
            os.fsync(self.stream.fileno())  # anything written after begin_sync
        except OSError as exc:
            raise self._write_error(exc) from None
        self.move_into_place()
        self.fsync_folder()
        return size

    def prepare(self) -> int:
        """Flush the written bytes to the operating system and wait for a
        background sync (:meth:`begin_sync`); the size in bytes. Not yet
        durable: :meth:`commit` (or a group, :mod:`group_commit`) syncs it."""
        stream = self.stream
        try:
            stream.flush()
            self._join_sync()
            if self._sync_error is not None:
                raise self._sync_error
            return os.fstat(stream.fileno()).st_size
        except OSError as exc:
            raise self._write_error(exc) from None

    def fileno(self) -> int:
        return self.stream.fileno()

    def move_into_place(self) -> None:
        """Rename the (durable) temporary file over the target; the caller
        has synced it. The rename is durable once the folder is synced
        (:meth:`fsync_folder`)."""
        try:
            self.stream.close()
            # again: something may have been put at the path meanwhile
            check_regular_target(self.target)
            os.replace(self.temp_path, self.target)
        except OSError as exc:
            raise self._write_error(exc) from None
        self.committed = True
        self._forget()

    def _write_error(self, exc: OSError) -> OSError | OutputError:
        if exc.errno in _NO_SPACE:
            return exc  # (turned into the not-enough-space error on the way out)
        return write_error(self.target, exc)

    def fsync_folder(self) -> None:
        fsync_folder(self.target.parent)

    def hand_over(self) -> None:
        """Leaving the ``with`` block no longer discards the file: whoever
        took it (a :class:`~signing.sign.group_commit.GroupCommit`) renames
        or discards it."""
        self._handed_over = True

    def discard(self) -> None:
        self._join_sync()
        if self._stream is not None and not self._stream.closed:
            with contextlib.suppress(OSError):
                self._stream.close()
        if not self.committed and self._tmp is not None:
            with contextlib.suppress(FileNotFoundError):
                self._tmp.unlink()
        self._forget()

    def _forget(self) -> None:
        if self._tmp is not None:
            with _live_lock:
                _live.discard(str(self._tmp))

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self._handed_over or exc is not None:
            self.discard()
        if isinstance(exc, OSError) and exc.errno in _NO_SPACE:
            # a write into the temporary file met a full disk (or quota, or
            # file size limit) wherever it happened: pyHanko, the copy, a report
            raise no_space_error(self.target, exc) from exc


def no_space_error(target: Path, exc: OSError) -> OutputError:
    return OutputError(
        f"There is not enough space to write {target} "
        f"({exc.strerror or exc}); free some space or choose another folder. "
        "Nothing was saved.",
        ja=f"{target}を書き込むための空き容量が足りません（{exc.strerror or exc}）。"
        "空き容量を増やすか別のフォルダーを選んでください。何も保存されていません。",
    )


def write_error(target: Path, exc: OSError) -> OutputError:
    """The user's error for an output that could not be written or moved
    into place."""
    if exc.errno in _NO_SPACE:
        return no_space_error(target, exc)
    return OutputError(
        f"Cannot write {target}: {exc.strerror or exc}.",
        ja=f"{target}に書き込めません：{exc.strerror or exc}。",
    )


def fsync_folder(folder: Path) -> None:
    """Make the renames into ``folder`` durable; not every platform allows
    this (nothing is raised then)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write(
    target: Path, write: Callable[[IO[bytes]], object], *, inputs: tuple[Path, ...] = ()
) -> Path:
    """Call ``write`` on a temporary file in ``target``'s folder, then move it
    into place (:class:`AtomicOutput`): the file appears whole or not at all,
    and only a regular file is ever replaced. Raises :class:`OutputError` when
    it cannot be written."""
    target = Path(target)
    with AtomicOutput(target, inputs=inputs) as out:
        try:
            write(out.stream)
        except OSError as exc:
            if exc.errno in _NO_SPACE:
                raise  # (the not-enough-space error, on the way out)
            raise OutputError(
                f"Cannot write {target}: {exc.strerror or exc}.",
                ja=f"{target} に書き込めません：{exc.strerror or exc}。",
            ) from None
        out.commit()
    return target


def write_atomically(target: Path, data: bytes, *, inputs: tuple[Path, ...] = ()) -> int:
    """Write ``data`` to ``target`` atomically (small results); its size."""
    atomic_write(target, lambda stream: stream.write(data), inputs=inputs)
    return len(data)
