"""Chunk-wise, capped readers of PDF tokens and strings: the part of
:mod:`signing.pdf.limits` that replaces pyHanko's byte-at-a-time readers
(see there for the pyHanko internals used). Each gives pyHanko's own bytes,
errors and stream position.
"""

from __future__ import annotations

import os
import re
from typing import IO, Any

from pyhanko.pdf_utils import generic as _generic_module
from pyhanko.pdf_utils.misc import PdfReadError, PdfStreamError

from signing import thirdparty_internals as internals
from signing.pdf.budget import (
    MAX_HEX_STRING,
    MAX_LITERAL_STRING,
    MAX_TOKEN,
    PdfLimitExceeded,
    budget,
    check_time,
)

_CHUNK = 4096
#: (typed loosely: pyHanko's internals, not its exports)
_generic: Any = _generic_module
#: pyHanko's own literal-string reader (the tests compare ours with it)
PYHANKO_LITERAL = internals.original_string_literal_reader()
#: pyHanko's own string reader (taken before :func:`signing.pdf.limits.install`)
PYHANKO_STRING = internals.original_string_reader()


def _token_too_long(stream: IO[bytes]) -> PdfLimitExceeded:
    return budget().exceeded(
        "token-too-long",
        f"a number, name or operator at byte {stream.tell()} is longer than {MAX_TOKEN} bytes",
    )


def read_until_regex(
    stream: IO[bytes], regex: re.Pattern[bytes], ignore_eof: bool = False
) -> bytes:
    """pyHanko's ``misc.read_until_regex`` chunk-wise, capped at :data:`MAX_TOKEN`."""
    check_time()
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
    left unread (the end of the stream ends the token)."""
    return read_until_regex(stream, _DELIMITER, ignore_eof=True)


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
    """pyHanko's own literal-string reader (a ``(...)`` string; see
    :func:`signing.thirdparty_internals.original_string_literal_reader`),
    scanning chunk-wise for parentheses and backslashes instead of a byte at
    a time, capped at :data:`MAX_LITERAL_STRING` bytes; the same bytes, the
    same errors, the stream left at the same place."""
    check_time()
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
            raise budget().exceeded(
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
    return budget().exceeded(
        "string-too-large",
        f"a hex string is longer than {length} bytes (limit {MAX_HEX_STRING})",
    )


__all__ = [
    "LITERAL_BYTES_FROM",
    "hex_string_too_large",
    "read_string_from_stream",
    "read_string_literal_bytes",
    "read_until_delimiter",
    "read_until_regex",
]
