"""Opening untrusted files safely, and the structural checks pyHanko leaves
to chance (Universal Signature Forgery: /Contents and /ByteRange tricks).

Nothing here raises for a bad file: problems come back as a :class:`Problem`
with a stable code and the specific cause, which the engine turns into a
verdict.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from typing import IO, Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.crypt import AuthStatus
from pyhanko.pdf_utils.decode_limits import DecodeLimits
from pyhanko.pdf_utils.misc import PdfStrictReadError
from pyhanko.pdf_utils.reader import PdfFileReader

from signing.pdf import crypt as pdf_crypt
from signing.pdf.limits import PdfLimitExceeded
from signing.validation.lazy_streams import LazyStreamReader

#: how far into a file the ``%PDF-`` header may start (as in common readers)
HEADER_WINDOW = 1024


@dataclass(frozen=True)
class Problem:
    """Why something cannot be validated: ``code`` is stable, ``detail`` is
    the specific cause (for people and logs)."""

    code: str
    detail: str


class Unreadable(Exception):
    """Internal: the file cannot be opened as a PDF at all."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.detail)
        self.problem = problem


def describe(exc: BaseException) -> str:
    text = str(exc).strip().replace("\n", " ")
    if len(text) > 300:
        text = text[:297] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def safe(fn: Any) -> Any:
    """``fn()``, or None when hostile data makes reading it fail."""
    try:
        return fn()
    except Exception:
        return None


def open_reader(
    stream: IO[bytes], size: int, strict: bool = True, password: str | None = None
) -> tuple[PdfFileReader, bool]:
    """A reader with bounded decompression, whose large stream payloads stay
    in the file until used (:mod:`signing.validation.lazy_streams`). Tries
    strict parsing first (unless told not to) and falls back to lenient
    parsing; the flag says whether the reader is lenient. Files with hybrid
    cross-reference sections are read leniently too (pyHanko refuses to
    validate them strictly)."""
    stream.seek(0)
    head = stream.read(HEADER_WINDOW)
    if b"%PDF-" not in head:
        raise Unreadable(Problem("not-a-pdf", "No %PDF- header in the first 1024 bytes."))
    if b"%%EOF" not in _tail(stream, size):
        raise Unreadable(Problem("truncated-pdf", "No %%EOF marker at the end of the file."))
    pdf_crypt.install()  # (revision 5 AES-256 files open too)
    limits = DecodeLimits()  # pyHanko's defaults are meant for untrusted input
    first: BaseException | None = None
    if strict:
        try:
            stream.seek(0)
            reader = LazyStreamReader(stream, strict=True, decode_limits=limits)
            if not reader.xrefs.hybrid_xrefs_present:
                return _decrypted(reader, password), False
        except PdfLimitExceeded as exc:  # (as costly when read leniently)
            raise Unreadable(Problem(exc.code, exc.detail)) from exc
        except Exception as exc:  # any failure: retry leniently
            first = exc
    try:
        stream.seek(0)
        reader = LazyStreamReader(stream, strict=False, decode_limits=limits)
    except PdfLimitExceeded as exc:
        raise Unreadable(Problem(exc.code, exc.detail)) from exc
    except Exception as exc:  # any failure here means: unreadable
        cause = exc if first is None or isinstance(first, PdfStrictReadError) else first
        end = _last_update_end(stream, size)
        if end is not None:
            # junk after the last update, itself ending in %%EOF: read the
            # file up to the update's end (the junk is named later)
            try:
                window = io.BufferedReader(_Window(stream, end))
                reader = LazyStreamReader(window, strict=False, decode_limits=limits)
                return _decrypted(reader, password), True
            except Unreadable:
                raise
            except Exception:  # not that either: the first cause stands
                pass
        raise Unreadable(Problem("unreadable-pdf", describe(cause))) from exc
    return _decrypted(reader, password), True


#: how far from the end the real end of the last update is looked for
_JUNK_WINDOW = 1024 * 1024
_UPDATE_END = re.compile(rb"startxref[\r\n\t ]+[0-9]+[\r\n\t ]+%%EOF")


def _last_update_end(stream: IO[bytes], size: int) -> int | None:
    """The end of the last ``startxref N %%EOF`` in the file's last MiB,
    when bytes other than whitespace follow it; else None."""
    start = max(0, size - _JUNK_WINDOW)
    stream.seek(start)
    tail = stream.read()
    ends = [m.end() for m in _UPDATE_END.finditer(tail)]
    if not ends or not tail[ends[-1] :].strip():
        return None
    return start + ends[-1]


class _Window(io.RawIOBase):
    """The first ``end`` bytes of ``raw``, as a file of their own."""

    def __init__(self, raw: IO[bytes], end: int) -> None:
        super().__init__()
        self._raw, self._end, self._pos = raw, end, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self._end}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def readinto(self, buffer: Any) -> int:
        count = max(0, min(len(buffer), self._end - self._pos))
        if not count:
            return 0
        self._raw.seek(self._pos)
        data = self._raw.read(count)
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)


def _decrypted(reader: PdfFileReader, password: str | None = None) -> PdfFileReader:
    """Signed PDFs may be encrypted with an empty user password (open for
    reading, restricted otherwise); others open with the ``password`` given
    (``validate --pdf-password-file``), or cannot be validated here."""
    if not reader.encrypted:
        return reader
    try:
        result = reader.decrypt(b"")
        if result.status is AuthStatus.FAILED and password:
            result = reader.decrypt(password.encode("utf-8"))
            if result.status is AuthStatus.FAILED:
                raise Unreadable(
                    Problem("encrypted-pdf", "The password given does not open the file.")
                )
    except Unreadable:
        raise
    except Exception as exc:  # an unsupported or broken security handler
        raise Unreadable(Problem("encrypted-pdf", describe(exc))) from exc
    if result.status is AuthStatus.FAILED:
        raise Unreadable(Problem("encrypted-pdf", "The file needs a password to be opened."))
    return reader


def _tail(stream: IO[bytes], size: int) -> bytes:
    stream.seek(max(0, size - 2048), os.SEEK_SET)
    return stream.read()


def check_signature_dictionary(
    sig_obj: generic.DictionaryObject, stream: IO[bytes], size: int
) -> Problem | None:
    """The checks a signature dictionary must pass before any cryptography:
    a direct, non-empty hex /Contents, and a direct /ByteRange of four
    non-negative integers that starts at 0, ends at the end of some revision
    inside the file, and whose gap is exactly the /Contents string."""
    try:
        contents = sig_obj.raw_get("/Contents", decrypt=generic.EncryptedObjAccess.RAW)
    except KeyError:
        return Problem("contents-missing", "The signature has no /Contents entry.")
    if isinstance(contents, generic.IndirectObject):
        return Problem("contents-indirect", "/Contents is an indirect object reference.")
    if isinstance(contents, generic.NullObject):
        return Problem("contents-null", "/Contents is null.")
    if not isinstance(contents, (generic.ByteStringObject, generic.TextStringObject)):
        return Problem("contents-not-string", "/Contents is not a string.")
    raw_contents = contents.original_bytes
    if not raw_contents.strip(b"\x00"):
        return Problem("contents-empty", "/Contents is empty.")
    try:
        br = sig_obj.raw_get("/ByteRange")
    except KeyError:
        return Problem("byte-range-missing", "The signature has no /ByteRange entry.")
    if isinstance(br, generic.IndirectObject):
        return Problem("byte-range-indirect", "/ByteRange is an indirect object reference.")
    if not isinstance(br, generic.ArrayObject):
        return Problem("byte-range-malformed", "/ByteRange is not an array.")
    if len(br) != 4:
        return Problem("byte-range-malformed", f"/ByteRange has {len(br)} numbers instead of 4.")
    if not all(isinstance(x, int) and not isinstance(x, bool) for x in br):
        return Problem("byte-range-malformed", "/ByteRange contains a non-integer value.")
    start1, len1, start2, len2 = (int(x) for x in br)
    if min(start1, len1, start2, len2) < 0:
        return Problem("byte-range-malformed", "/ByteRange contains a negative number.")
    if start1 != 0:
        return Problem("byte-range-malformed", "/ByteRange does not start at byte 0.")
    if start2 < len1:
        return Problem("byte-range-overlap", "The two /ByteRange ranges overlap.")
    if start2 + len2 > size:
        return Problem("byte-range-beyond-eof", "/ByteRange goes beyond the end of the file.")
    gap = start2 - len1
    if gap != 2 * len(raw_contents) + 2:
        return Problem(
            "byte-range-gap",
            f"The /ByteRange gap ({gap} bytes) is not exactly the /Contents string "
            f"({2 * len(raw_contents) + 2} bytes).",
        )
    stream.seek(len1)
    first = stream.read(1)
    stream.seek(start2 - 1)
    last = stream.read(1)
    if first != b"<" or last != b">":
        return Problem("byte-range-gap", "The /ByteRange gap is not the /Contents hex string.")
    return None
