"""Hard bounds on what reading one untrusted PDF may cost (issue 16).

pyHanko's parser trusts what a file declares: an xref stream that declares
10^9 entries gets 10^9 dictionary entries (no data is needed for them), a
number or a name is read one byte (or 16) at a time into a growing bytes
object, so one 10 MB token takes minutes. Here:

* the entries all cross-reference streams of a file declare together are
  checked against the file's size before pyHanko reads them
  (:data:`XREF_ENTRIES_FLOOR`, :data:`XREF_ENTRIES_PER_BYTE`), and a file
  has at most :data:`MAX_REVISIONS` revisions;
* pyHanko's lookups that made the difference analysis quadratic in the
  number of revisions are made linear (:class:`IndexedXRefCache`,
  :class:`IncrementalTrailer`), with the same answers;
* numbers, names and operators are read chunk-wise and capped at
  :data:`MAX_TOKEN` bytes, literal strings likewise (at
  :data:`MAX_LITERAL_STRING`);
* while a :func:`bounded` block runs (the validation of one file), the same
  hooks check its deadline, so the time limit holds inside one signature too.

A bound that trips raises :class:`PdfLimitExceeded` (a pyHanko ``PdfReadError``,
so callers that turn damaged files into messages handle it) and records it on
the current :class:`Budget`, so a caller learns the precise cause even when
pyHanko catches the error and carries on. A deadline raises
:class:`DeadlineReached`, which is not an ``Exception``: nothing in pyHanko
can swallow it.

pyHanko internals used (move to ``signing/thirdparty_internals.py`` if that
collects them): ``pyhanko.pdf_utils.xref.XRefBuilder`` and its
``_read_xref_stream_object`` / ``_read_xref_table`` / ``_read_xref_stream``,
``XRefCache`` (``_xref_sections``, ``try_resolve``), ``TrailerDictionary``
(``_trailer_revisions``), the names ``XRefBuilder`` and ``XRefCache`` in
``pyhanko.pdf_utils.reader`` (where ``_read_xrefs_and_trailer`` looks them up),
and the names ``read_until_regex`` / ``read_until_delimiter`` (imported
there from ``misc``), ``read_string_from_stream`` and
``_read_string_literal_bytes`` in ``pyhanko.pdf_utils.generic``.
:func:`install` replaces them once per process, only while the originals are
in place.
"""

from __future__ import annotations

import bisect
import contextlib
import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from pyhanko.pdf_utils import generic as _generic_module
from pyhanko.pdf_utils import misc
from pyhanko.pdf_utils import reader as _reader_module
from pyhanko.pdf_utils.misc import PdfReadError, PdfStreamError
from pyhanko.pdf_utils.xref import TrailerDictionary, XRefBuilder, XRefCache

#: cross-reference entries allowed whatever the file's size
XREF_ENTRIES_FLOOR = 1 << 18
#: ... and per byte of the file beyond that (an entry costs ~200 bytes of
#: memory; a real object costs more than 4 bytes of file, even compressed)
XREF_ENTRIES_PER_BYTE = 0.25
#: most revisions (cross-reference sections) read: the difference analysis
#: compares each with the one before (about a millisecond each), and no real
#: workflow comes near this many incremental updates
MAX_REVISIONS = 1000
#: longest number, name or operator read (the PDF spec's own limit for names
#: is 127 bytes; nothing legitimate comes near this)
MAX_TOKEN = 64 * 1024
#: longest literal ``(...)`` string read (JavaScript may be long; not this)
MAX_LITERAL_STRING = 16 * 1024 * 1024
#: longest hex string read (a signature's /Contents is a few KiB to a few
#: hundred KiB of hex)
MAX_HEX_STRING = 32 * 1024 * 1024

_CHUNK = 4096
#: the reason codes of the bounds here (each INDETERMINATE: the file may be
#: genuine, it is only too costly to read)
CODES = frozenset({"xref-too-large", "too-many-revisions", "token-too-long", "string-too-large"})
#: (typed loosely: the names replaced are pyHanko's internals, not its exports)
_reader: Any = _reader_module
_generic: Any = _generic_module


class PdfLimitExceeded(PdfReadError):  # type: ignore[misc]
    """A bound of this module tripped: ``code`` names which (a stable reason
    code), ``detail`` gives the figures."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


class DeadlineReached(BaseException):
    """The :class:`Budget`'s deadline passed (not an ``Exception``: pyHanko's
    broad handlers must not turn it into a parse result)."""


@dataclass
class Budget:
    """What one file may still spend; one per :func:`bounded` block."""

    #: ``time.monotonic()`` after which work stops (None: no deadline)
    deadline: float | None = None
    #: the bounds that tripped, in order (code, detail)
    tripped: list[tuple[str, str]] = field(default_factory=list)

    def check_time(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise DeadlineReached()

    def exceeded(self, code: str, detail: str) -> PdfLimitExceeded:
        if self is not _FREE:
            self.tripped.append((code, detail))
        return PdfLimitExceeded(code, detail)


_LOCAL = threading.local()
#: used outside any bounded block: no deadline, trips kept nowhere
_FREE = Budget()


def _budget() -> Budget:
    budget: Budget | None = getattr(_LOCAL, "budget", None)
    return budget if budget is not None else _FREE


@contextlib.contextmanager
def bounded(deadline: float | None) -> Iterator[Budget]:
    """Run a block (on this thread) under a fresh :class:`Budget`."""
    install()
    outer = getattr(_LOCAL, "budget", None)
    budget = Budget(deadline=deadline)
    _LOCAL.budget = budget
    try:
        yield budget
    finally:
        _LOCAL.budget = outer


def lift_deadline() -> None:
    """No deadline for the rest of the current block (once it has been
    acted on: what is left is bounded work, such as writing reports)."""
    _budget().deadline = None


def check_time() -> None:
    """Raise :class:`DeadlineReached` if the current block's time is up."""
    _budget().check_time()


# --- cross-reference streams -------------------------------------------------


def xref_entry_cap(file_size: int) -> int:
    return max(XREF_ENTRIES_FLOOR, int(file_size * XREF_ENTRIES_PER_BYTE))


def declared_entries(xref_stream: Any) -> int:
    """How many entries an xref stream's dictionary says it holds."""
    try:
        index = xref_stream.get("/Index")
        if index is None:
            return max(0, int(xref_stream.get("/Size", 0)))
        sizes = list(index)[1::2]
        return sum(max(0, int(n)) for n in sizes)
    except (TypeError, ValueError):
        return 0  # malformed: pyHanko's own parser complains


class BoundedXRefBuilder(XRefBuilder):  # type: ignore[misc]
    """pyHanko's xref reader, refusing streams that declare more entries than
    the file could hold before any of them is stored."""

    def __init__(self, handler: Any, stream: IO[bytes], strict: bool, last_startxref: int):
        super().__init__(handler, stream, strict, last_startxref)
        trailer = IncrementalTrailer()
        trailer.container_ref = self.trailer.container_ref
        self.trailer = trailer
        pos = stream.tell()
        self._cap = xref_entry_cap(stream.seek(0, os.SEEK_END))
        stream.seek(pos)
        self._declared = 0
        self._sections = 0

    def _count_section(self) -> None:
        _budget().check_time()
        self._sections += 1
        if self._sections > MAX_REVISIONS:
            raise _budget().exceeded(
                "too-many-revisions",
                f"more than {MAX_REVISIONS} incremental updates",
            )

    def _read_xref_table(self, declared_startxref: int) -> Any:
        self._count_section()
        return super()._read_xref_table(declared_startxref)  # type: ignore[no-untyped-call]

    def _read_xref_stream(self, declared_startxref: int) -> Any:
        self._count_section()
        return super()._read_xref_stream(declared_startxref)  # type: ignore[no-untyped-call]

    def _read_xref_stream_object(self) -> Any:
        _budget().check_time()
        ref, xref_stream = super()._read_xref_stream_object()  # type: ignore[no-untyped-call]
        self._declared += declared_entries(xref_stream)
        if self._declared > self._cap:
            raise _budget().exceeded(
                "xref-too-large",
                f"the cross-reference streams declare {self._declared} entries; "
                f"a file of this size can hold at most {self._cap}",
            )
        return ref, xref_stream


class IncrementalTrailer(TrailerDictionary):  # type: ignore[misc]
    """pyHanko's trailer, whose view as of a revision is built from the view
    as of the revision before (pyHanko merges every earlier trailer again for
    each revision's view: O(R^2) for R updates), and whose lookups go
    straight to the trailers holding the key; the same answers."""

    def raw_get(
        self,
        key: Any,
        decrypt: Any = _generic_module.EncryptedObjAccess.TRANSPARENT,
        revision: int | None = None,
    ) -> Any:
        # pyHanko walks every revision's trailer for a key none has (e.g.
        # /Encrypt, asked at each object read): O(R) per read. Here each key
        # is looked up once per file, in a list of the trailers that hold it.
        revisions = self._trailer_revisions
        if revision is not None and not 0 <= revision < len(revisions):
            return super().raw_get(key, decrypt, revision)
        if revision is None:
            try:
                return self._new_changes.raw_get(key, decrypt)
            except KeyError:
                pass
        start = 0 if revision is None else len(revisions) - 1 - revision
        if key in self.non_trailer_keys:
            return revisions[start].raw_get(key, decrypt)
        holders: dict[Any, list[int]] = self.__dict__.setdefault("_holders", {})
        found = holders.get(key)
        if found is None:
            found = holders[key] = [ix for ix, rev in enumerate(revisions) if key in rev]
        at = bisect.bisect_left(found, start)
        if at == len(found):
            raise KeyError(key)
        return revisions[found[at]].raw_get(key, decrypt)

    def flatten(self, revision: int | None = None) -> Any:
        revisions = self._trailer_revisions
        if revision is None or not 0 <= revision < len(revisions):
            return super().flatten(revision)
        cache: dict[int, dict[Any, Any]] = self.__dict__.setdefault("_flat", {})
        flat = cache.get(revision)
        if flat is None:
            before = cache.get(revision - 1)
            if before is None:
                flat = dict(super().flatten(revision))
            else:
                # (revisions are listed newest first; keys of later ones win)
                flat = {**before, **revisions[len(revisions) - 1 - revision]}
                for key in self.non_trailer_keys:
                    flat.pop(key, None)
            cache[revision] = flat
        # (a fresh dictionary each time: the caller sets its container)
        return _generic.DictionaryObject(flat)


class IndexedXRefCache(XRefCache):  # type: ignore[misc]
    """pyHanko's cross-reference cache, finding the sections that mention an
    object through an index instead of trying every section in turn.

    pyHanko's lookups try each revision's section (``try_resolve``) until one
    answers; the difference analysis asks for every object of every
    revision, so a file with R empty updates cost O(R^2) section tries (10,000
    updates: over 600 s). The index lists, per object number, the sections
    that mention it at all; only those are tried, in the same order, so every
    answer and every error is pyHanko's own."""

    _index: dict[int, list[int]] | None = None

    def _sections_with(self, idnum: int) -> list[int]:
        index = self._index
        if index is None:
            index = {}
            for ix, section in enumerate(self._xref_sections):
                data = section.xref_data
                parts = [data] if data.hybrid is None else [data, data.hybrid.xref_data]
                seen: set[int] = set()
                for part in parts:
                    seen.update(part.xrefs_in_objstm, part.standard_xrefs, part.freed)
                for num in seen:
                    index.setdefault(num, []).append(ix)
            self._index = index
        return index.get(idnum, [])

    def get_last_change(self, ref: Any) -> int:
        for ix in reversed(self._sections_with(ref.idnum)):
            try:
                self._xref_sections[ix].xref_data.try_resolve(ref)
                return ix
            except KeyError:
                pass
        raise KeyError(ref)

    def get_introducing_revision(self, ref: Any) -> int:
        for ix in self._sections_with(ref.idnum):
            try:
                if self._xref_sections[ix].xref_data.try_resolve(ref) is not None:
                    return ix
            except KeyError:
                pass
        raise KeyError(ref)

    def get_historical_ref(self, ref: Any, revision: int) -> Any:
        candidates = self._sections_with(ref.idnum)
        for ix in reversed(candidates[: bisect.bisect_right(candidates, revision)]):
            try:
                return self._xref_sections[ix].xref_data.try_resolve(ref)
            except KeyError:
                continue
        return None


# --- tokens ------------------------------------------------------------------


def _token_too_long(stream: IO[bytes]) -> PdfLimitExceeded:
    return _budget().exceeded(
        "token-too-long",
        f"a number, name or operator at byte {stream.tell()} is longer than {MAX_TOKEN} bytes",
    )


def read_until_regex(
    stream: IO[bytes], regex: re.Pattern[bytes], ignore_eof: bool = False
) -> bytes:
    """pyHanko's ``misc.read_until_regex`` chunk-wise, capped at :data:`MAX_TOKEN`."""
    _budget().check_time()
    parts: list[bytes] = []
    total = 0
    while True:
        tok = stream.read(_CHUNK)
        if not tok:
            if ignore_eof:
                return b"".join(parts)
            raise PdfStreamError("Stream has ended unexpectedly")
        m = regex.search(tok)
        if m is not None:
            parts.append(tok[: m.start()])
            stream.seek(m.start() - len(tok), os.SEEK_CUR)
            return b"".join(parts)
        parts.append(tok)
        total += len(tok)
        if total > MAX_TOKEN:
            raise _token_too_long(stream)


_DELIMITER = re.compile(rb"[ \n\r\t\f\x00()<>\[\]{}/%]")


def read_until_delimiter(stream: IO[bytes]) -> bytes:
    """pyHanko's ``misc.read_until_delimiter`` chunk-wise, capped at
    :data:`MAX_TOKEN`: the bytes up to a delimiter or whitespace, which is
    left unread."""
    _budget().check_time()
    parts: list[bytes] = []
    total = 0
    while True:
        tok = stream.read(_CHUNK)
        if not tok:
            return b"".join(parts)
        m = _DELIMITER.search(tok)
        if m is not None:
            parts.append(tok[: m.start()])
            stream.seek(m.start() - len(tok), os.SEEK_CUR)
            return b"".join(parts)
        parts.append(tok)
        total += len(tok)
        if total > MAX_TOKEN:
            raise _token_too_long(stream)


_STRING_SPECIAL = re.compile(rb"[()\\]")
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


class _Window:
    """A forward-only view of a stream for :func:`read_string_literal_bytes`:
    ``buf[pos:]`` is unread, ``base`` is where ``buf`` starts in the stream."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.base = stream.tell()
        self.buf = b""
        self.pos = 0

    def more(self) -> bool:
        chunk = self.stream.read(_CHUNK)
        if not chunk:
            return False
        self.base += self.pos
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0
        return True

    def take(self) -> bytes:
        """The next byte (b"" at the end of the stream)."""
        if self.pos >= len(self.buf) and not self.more():
            return b""
        self.pos += 1
        return self.buf[self.pos - 1 : self.pos]

    def peek(self) -> bytes:
        if self.pos >= len(self.buf) and not self.more():
            return b""
        return self.buf[self.pos : self.pos + 1]

    def done(self) -> None:
        self.stream.seek(self.base + self.pos)


def read_string_literal_bytes(stream: IO[bytes]) -> bytes:
    """pyHanko's ``generic._read_string_literal_bytes`` (a ``(...)`` string),
    scanning chunk-wise for parentheses and backslashes instead of a byte at
    a time, capped at :data:`MAX_LITERAL_STRING` bytes; the same bytes, the
    same errors, the stream left at the same place."""
    _budget().check_time()
    stream.read(1)
    win = _Window(stream)
    parts: list[bytes] = []
    total = 0
    parens = 1
    while True:
        m = _STRING_SPECIAL.search(win.buf, win.pos)
        end = len(win.buf) if m is None else m.start()
        parts.append(win.buf[win.pos : end])
        total += end - win.pos
        if total > MAX_LITERAL_STRING:
            raise _budget().exceeded(
                "string-too-large", f"a string literal is longer than {MAX_LITERAL_STRING} bytes"
            )
        if m is None:
            win.pos = end
            if not win.more():
                raise PdfStreamError("Stream has ended unexpectedly")
            continue
        win.pos = m.end()
        special = m.group()
        if special == b"(":
            parens += 1
        elif special == b")":
            parens -= 1
            if parens == 0:
                win.done()
                return b"".join(parts)
        else:
            special = _escaped(win)
        parts.append(special)


#: literal strings from this length on stay bytes (pyHanko tries them as text,
#: decoding and later re-encoding a character at a time)
LITERAL_BYTES_FROM = 64 * 1024


def read_string_from_stream(stream: IO[bytes]) -> Any:
    """pyHanko's ``generic.read_string_from_stream`` over the bounded reader."""
    raw = read_string_literal_bytes(stream)
    if len(raw) >= LITERAL_BYTES_FROM:
        return _generic.ByteStringObject(raw)
    return _generic.pdf_string(raw)


def _escaped(win: _Window) -> bytes:
    """What a backslash and the bytes after it stand for (pyHanko's rules)."""
    tok = win.take()
    if tok in b"() /%<>[]#_&$\\":  # (b"" too: the end is found by the caller)
        return tok
    if tok in _ESCAPES:
        return _ESCAPES[tok]
    if tok.isdigit():
        for _ in range(2):
            nxt = win.peek()
            if not nxt.isdigit():
                break
            tok += win.take()
        return bytes((int(tok, base=8),))
    if tok in b"\n\r":
        if win.peek() in b"\n\r":
            win.take()
        return b""
    raise PdfReadError("Unexpected escaped string: " + repr(tok))


def hex_string_too_large(length: int) -> PdfLimitExceeded:
    """For :mod:`signing.validation.fast_hex`: a hex string past the cap."""
    return _budget().exceeded(
        "string-too-large",
        f"a hex string is longer than {length} bytes (limit {MAX_HEX_STRING})",
    )


# --- installation ------------------------------------------------------------

_lock = threading.Lock()
_PYHANKO_LITERAL = _generic._read_string_literal_bytes
_PYHANKO_STRING = _generic.read_string_from_stream


def install() -> None:
    """Put the bounded readers in pyHanko's parser (idempotent; only while
    pyHanko's originals are in place)."""
    with _lock:
        if _reader.XRefBuilder is XRefBuilder:
            _reader.XRefBuilder = BoundedXRefBuilder
        if _reader.XRefCache is XRefCache:
            _reader.XRefCache = IndexedXRefCache
        if _generic.read_until_regex is misc.read_until_regex:
            _generic.read_until_regex = read_until_regex
        if _generic.read_until_delimiter is misc.read_until_delimiter:
            _generic.read_until_delimiter = read_until_delimiter
        if _generic.read_string_from_stream is _PYHANKO_STRING:
            _generic.read_string_from_stream = read_string_from_stream


__all__ = [
    "CODES",
    "MAX_HEX_STRING",
    "MAX_REVISIONS",
    "MAX_TOKEN",
    "Budget",
    "DeadlineReached",
    "PdfLimitExceeded",
    "bounded",
    "check_time",
    "install",
    "lift_deadline",
]
