"""The validation engine: every signature and document timestamp of a PDF,
judged with pyHanko's ETSI EN 319 102-1 processes, turned into the result
model (:mod:`signing.model.results`).

Public API: :func:`validate_pdf`, :func:`validate_many`, :func:`collect_pdfs`.
A bad file is a verdict, never an exception; :class:`ValidationError` is
raised only for misuse.
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from signing import thirdparty_internals as internals
from signing.errors import ValidationError
from signing.model.results import FileResult
from signing.validation import fast_hex
from signing.validation.hostile import describe
from signing.validation.options import ValidationOptions
from signing.validation.verdict import file_error

if TYPE_CHECKING:
    from concurrent.futures import Future
    from multiprocessing.context import BaseContext


class CancelToken(Protocol):
    def is_set(self) -> bool: ...


ProgressCallback = Callable[[int, int, FileResult], None]


# --- public API -------------------------------------------------------------


def validate_pdf(path: Path | str, options: ValidationOptions) -> FileResult:
    """Validate every signature and document timestamp of the PDF at ``path``.

    Never raises for a bad or hostile file (that is a verdict); raises
    :class:`ValidationError` only when called wrongly. A result validated at
    a chosen ``options.validation_time`` says so
    (``FileResult.validation_time_chosen``): every front end shows it.
    """
    result = _validate_pdf(path, options)
    if options.validation_time is not None:
        result = dataclasses.replace(result, validation_time_chosen=True)
    return result


def _validate_pdf(path: Path | str, options: ValidationOptions) -> FileResult:
    if not isinstance(options, ValidationOptions):
        raise ValidationError("validate_pdf needs a ValidationOptions object.")
    if not isinstance(path, (str, Path)):
        raise ValidationError("validate_pdf needs a file path.")
    from signing.validation import pipeline  # heavy imports, loaded on first use

    fast_hex.install()
    internals.install_name_value_cache()
    path = Path(path)
    validation_time = options.validation_time or datetime.now(UTC)
    if validation_time.tzinfo is None:
        raise ValidationError("The validation time must carry a time zone.")
    try:
        size = path.stat().st_size
    except OSError as exc:
        return file_error(
            str(path), "file-unreadable", describe(exc), validation_time=validation_time
        )
    if size > options.max_file_bytes:
        return file_error(
            str(path),
            "file-too-large",
            f"{size} bytes (limit {options.max_file_bytes})",
            validation_time=validation_time,
            file_bytes=size,
        )
    try:
        fh = open(path, "rb")  # noqa: SIM115 (closed below, whatever the validation does)
    except OSError as exc:
        return file_error(
            str(path), "file-unreadable", describe(exc), validation_time=validation_time
        )
    try:
        with fh:
            result = pipeline.validate_stream(
                str(path),
                fh,
                size=size,
                options=options,
                prep=pipeline.prepared(options),
                validation_time=validation_time,
            )
    except Exception as exc:  # last resort: a file must never crash the caller
        # (an OSError here is no "cannot be opened": the file was open; say
        # where the validation met it)
        detail = describe(exc) + _where(exc)
        return file_error(
            str(path), "validation-error", detail, validation_time=validation_time, file_bytes=size
        )
    return result


def _where(exc: BaseException) -> str:
    """Where an unexpected exception was raised: the innermost frame's
    function and module (no values: nothing of the file's content)."""
    tb = exc.__traceback__
    if tb is None:
        return ""
    while tb.tb_next is not None:
        tb = tb.tb_next
    code = tb.tb_frame.f_code
    module = Path(code.co_filename).name
    return f" (in {code.co_name}, {module})"


def collect_pdfs(paths: Iterable[Path | str]) -> list[Path]:
    """Expand folders (recursively) into the PDF files they hold; files given
    directly are kept whatever their name. Order: as given, folders sorted."""
    out: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() == ".pdf")
        else:
            found = [p]
        for f in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


#: fewer files than this are validated here, one after the other: starting
#: workers (and loading the trust material in each) costs more than a few
#: warm validations (~15-50 ms each) would gain from the second core
POOL_FROM = 8


def validate_many(
    paths: Iterable[Path | str],
    options: ValidationOptions,
    workers: int = 1,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> Iterator[FileResult]:
    """Validate many files in a process pool (from :data:`POOL_FROM` files
    on; fewer here, in order); results are yielded as they complete (not in
    input order). Trust material is loaded once per worker.
    Setting ``cancel`` stops submitting and drops pending files. A worker
    that dies costs only its own file (whose result says so), never the
    batch."""
    if not isinstance(options, ValidationOptions):
        raise ValidationError("validate_many needs a ValidationOptions object.")
    files = [Path(p) for p in paths]
    total = len(files)
    if workers <= 1 or total < POOL_FROM:
        for done, f in enumerate(files, 1):
            if cancel is not None and cancel.is_set():
                return
            result = validate_pdf(f, options)
            if progress is not None:
                progress(done, total, result)
            yield result
        return
    # (imported here: a one-file run never starts a pool, and multiprocessing
    # costs ~35 ms to import)
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    # fork is fastest (workers inherit loaded modules) but only safe while
    # this process has a single thread (a GUI has more: forkserver then)
    if "fork" in methods and threading.active_count() == 1:
        method = "fork"
    else:
        method = "forkserver" if "forkserver" in methods else "spawn"
    ctx = multiprocessing.get_context(method)
    done = 0
    queue = iter(files)
    if method == "fork":
        # validate the first file here: the forked workers then start with
        # pyHanko imported, its lazy imports done and the trust material parsed
        first = next(queue)
        if cancel is not None and cancel.is_set():
            return
        result = validate_pdf(first, options)
        done += 1
        if progress is not None:
            progress(done, total, result)
        yield result
    if method == "fork":
        # what the workers inherit stays out of their collections: the
        # collector would otherwise write to every inherited object's header
        # and copy each page of it into each worker (gc.freeze's purpose)
        gc.freeze()
    # A worker that dies (killed, out of memory, a crash in a C library)
    # breaks the whole pool: every file in flight fails with it, and the
    # pool cannot say whose file it was. Those files are then validated
    # again one by one, each in a process of its own: the others get their
    # verdicts, and a file whose process dies again gets a result that says
    # so. The rest of the batch goes on in a fresh pool.
    try:
        todo = deque(queue)
        while todo:
            broken: list[Path] = []
            for result in _pool_run(todo, options, ctx, workers, cancel, broken):
                done += 1
                if progress is not None:
                    progress(done, total, result)
                yield result
            if cancel is not None and cancel.is_set():
                return
            for f in broken:
                if cancel is not None and cancel.is_set():
                    return
                result = _validate_alone(f, options, ctx)
                done += 1
                if progress is not None:
                    progress(done, total, result)
                yield result
    finally:
        if method == "fork":
            gc.unfreeze()


def _pool_run(
    todo: deque[Path],
    options: ValidationOptions,
    ctx: BaseContext,
    workers: int,
    cancel: CancelToken | None,
    broken: list[Path],
) -> Iterator[FileResult]:
    """Validate files from ``todo`` in one pool until it is empty, cancelled
    or the pool breaks; the files in flight when it broke go to ``broken``."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    inflight: dict[Future[FileResult], Path] = {}

    def refill(pool: ProcessPoolExecutor) -> None:
        # keep a few tasks per worker in flight: cancellation stays quick
        while todo and len(inflight) < workers * 4:
            f = todo.popleft()
            inflight[pool.submit(_worker_validate, str(f))] = f

    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=ctx,
        initializer=_worker_init,
        initargs=(options, _library_log_levels()),
    ) as pool:
        try:
            refill(pool)
            while inflight:
                finished, _ = wait(inflight, return_when=FIRST_COMPLETED)
                if any(isinstance(fut.exception(), BrokenProcessPool) for fut in finished):
                    # the rest in flight fail the same way: wait for them all
                    finished, _ = wait(inflight)
                for fut in finished:
                    f = inflight.pop(fut)
                    if isinstance(fut.exception(), BrokenProcessPool):
                        broken.append(f)
                    else:
                        yield fut.result()
                if broken or (cancel is not None and cancel.is_set()):
                    return
                refill(pool)
        finally:
            for fut in inflight:
                fut.cancel()


def _validate_alone(path: Path, options: ValidationOptions, ctx: BaseContext) -> FileResult:
    """Validate one file in a process of its own (after its pool broke); if
    that process dies too, the result says how, and the file is unjudged."""
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(  # type: ignore[attr-defined]
        target=_alone_main, args=(str(path), options, _library_log_levels(), sender), daemon=True
    )
    proc.start()
    sender.close()
    try:
        result: FileResult | None = receiver.recv()
    except (EOFError, OSError):  # it died before sending
        result = None
    finally:
        receiver.close()
        proc.join()  # (no zombie)
    if result is not None:
        return result
    code = proc.exitcode
    how = _signal_name(-code) if code is not None and code < 0 else f"exit status {code}"
    return file_error(
        str(path),
        "validation-process-stopped",
        how,
        validation_time=options.validation_time or datetime.now(UTC),
    )


def _signal_name(number: int) -> str:
    import signal

    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _alone_main(
    path: str, options: ValidationOptions, log_levels: dict[str, int], conn: Any
) -> None:
    _worker_init(options, log_levels)
    try:
        conn.send(_worker_validate(path))
    finally:
        conn.close()


# --- process pool workers ---------------------------------------------------

_WORKER_OPTIONS: ValidationOptions | None = None


#: the libraries whose logging a worker takes over from its parent
_LIBRARY_LOGGERS = ("pyhanko", "pyhanko_certvalidator")


def _library_log_levels() -> dict[str, int]:
    return {name: logging.getLogger(name).level for name in _LIBRARY_LOGGERS}


def _worker_init(options: ValidationOptions, log_levels: dict[str, int]) -> None:
    global _WORKER_OPTIONS
    _WORKER_OPTIONS = options
    # A GUI parent collects on its own thread only (gc disabled); a forked
    # worker has no GUI thread and collects normally.
    gc.enable()
    for name, level in log_levels.items():  # (spawned workers start afresh)
        logging.getLogger(name).setLevel(level)
    from signing.validation import pipeline

    fast_hex.install()
    internals.install_name_value_cache()
    pipeline.prepared(options)  # parse the trust material once per worker


def _worker_validate(path: str) -> FileResult:
    assert _WORKER_OPTIONS is not None
    return validate_pdf(path, _WORKER_OPTIONS)


# --- helpers ----------------------------------------------------------------


__all__ = ["CancelToken", "ProgressCallback", "collect_pdfs", "validate_many", "validate_pdf"]
