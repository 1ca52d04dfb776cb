"""A PDF reader that leaves large stream payloads in the file until used.

pyHanko reads a stream object's payload whenever the object is read. The
difference analysis walks every object reachable from each revision's
trailer, so validating a signature followed by any later revision (a DSS, a
document timestamp) read every stream of the file into memory: a 100 MiB
image that nothing compares cost a second read of the file and 100 MiB of
memory. Here a payload of :data:`DEFER_FROM` bytes or more is skipped while
the object is parsed and read from the file when something asks for its
bytes (``encoded_data``, ``data``); the dictionary, and therefore every
reference the analysis follows, is read as before.

Only a plain stream object read directly from the file is deferred, and only
when ``endstream`` follows the payload exactly where pyHanko expects it; an
encrypted file, a stream inside an object stream, an XMP metadata stream or
anything unusual is read by pyHanko as usual. The file must stay open while
the reader is used (the validation pipeline holds it open throughout).
"""

from __future__ import annotations

import os
from typing import IO, Any

from pyhanko.pdf_utils import generic, misc
from pyhanko.pdf_utils.reader import HistoricalResolver

from signing import thirdparty_internals as internals
from signing.pdf.limits import check_time

#: payloads from this size on stay in the file until used
DEFER_FROM = 256 * 1024


class _Skipped(bytes):
    """Stands for a payload left in the file: where it starts, how long it is."""

    offset: int
    length: int


class _SkippingStream:
    """The reader's file while one object is parsed: a read of a whole
    payload (:data:`DEFER_FROM` bytes or more, followed by ``endstream``)
    moves past it and returns a :class:`_Skipped` marker instead."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.skipped: list[_Skipped] = []
        self._reads = 0

    def read(self, size: int = -1) -> bytes:
        self._reads += 1
        if not self._reads & 0xFFFF:
            # pyHanko reads comments (and some tokens) a byte at a time: a
            # large file's deadline holds inside one long object too
            check_time()
        if size >= DEFER_FROM:
            start = self._raw.tell()
            if self._endstream_after(start + size):
                marker = _Skipped()
                marker.offset, marker.length = start, int(size)
                self._raw.seek(start + size)
                self.skipped.append(marker)
                return marker
            self._raw.seek(start)
        return self._raw.read(size)

    def _endstream_after(self, end: int) -> bool:
        # (the check pyHanko makes after reading the payload)
        try:
            self._raw.seek(end)
            first: bytes = misc.read_non_whitespace(self._raw)  # type: ignore[no-untyped-call]
            return first + self._raw.read(8) == b"endstream"
        except Exception:  # end of file, unreadable: let pyHanko read and decide
            return False

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._raw.seek(offset, whence)

    def tell(self) -> int:
        return self._raw.tell()


class _FileSlice:
    """Where a deferred payload lies in the file."""

    def __init__(self, raw: IO[bytes], offset: int, length: int, counter: LazyStreamReader) -> None:
        self._raw = raw
        self._offset = offset
        self._length = length
        self._counter = counter

    def read(self) -> bytes:
        # (a payload may be asked for while another object is being parsed)
        pos = self._raw.tell()
        try:
            self._raw.seek(self._offset)
            data = self._raw.read(self._length)
        finally:
            self._raw.seek(pos)
        if len(data) != self._length:
            raise misc.PdfReadError(
                f"Stream payload at byte {self._offset} is no longer in the file."
            )
        self._counter.loaded_bytes += len(data)
        return data


class LazyStreamObject(internals.StreamWithPayloadHook):  # type: ignore[misc]
    """A stream object whose encoded payload is read on first use: from the
    file, or from the object it was copied from (the copies a revision's
    view makes share the bytes, as pyHanko's do)."""

    _origin: _FileSlice | LazyStreamObject | None = None

    @classmethod
    def deferred(
        cls, dict_data: dict[Any, Any], origin: _FileSlice | LazyStreamObject
    ) -> LazyStreamObject:
        obj = cls(dict_data)
        obj._origin = origin
        return obj

    @property
    def deferred_payload(self) -> bool:
        """Is the payload still in the file (or in the object copied from)?"""
        return self._origin is not None

    # reading the payload loads it, setting it (new data) drops the deferred one
    def get_payload(self) -> bytes | None:
        origin = self._origin
        if origin is not None:
            self._origin = None
            loaded = origin.read() if isinstance(origin, _FileSlice) else origin.encoded_data
            self.__dict__["_loaded"] = loaded
        value: bytes | None = self.__dict__.get("_loaded")
        return value

    def set_payload(self, value: bytes | None) -> None:
        self._origin = None
        self.__dict__["_loaded"] = value


class _LazyHistoricalResolver(internals.ResolverWithSubsumeHook):  # type: ignore[misc]
    """A revision's view that keeps deferred payloads deferred when it copies
    an object into itself."""

    def subsume_hook(self, obj: Any) -> Any:
        if isinstance(obj, LazyStreamObject) and obj.deferred_payload:
            ref: Any = obj.get_container_ref()
            children = {k: self.subsume_hook(v) for k, v in obj.items()}
            result = LazyStreamObject.deferred(children, obj)
            result.container_ref = generic.Reference(
                idnum=ref.idnum, generation=ref.generation, pdf=self
            )
            return result
        return self.pyhanko_subsume(obj)


class LazyStreamReader(internals.ReaderWithObjectHook):  # type: ignore[misc]
    """:class:`PdfFileReader` with deferred stream payloads (see the module)."""

    #: bytes of deferred payloads read so far (0 when nothing asked for one)
    loaded_bytes: int = 0
    #: the file (pyHanko's attribute; swapped while one object is parsed)
    stream: Any

    def __init__(self, stream: IO[bytes], *args: Any, **kwargs: Any) -> None:
        # a file smaller than a deferred payload is read exactly as by pyHanko
        stream.seek(0, os.SEEK_END)
        self._may_defer = stream.tell() >= DEFER_FROM
        stream.seek(0)
        super().__init__(stream, *args, **kwargs)

    def read_object_hook(
        self,
        ref: generic.Reference,
        marker: Any,
        never_decrypt: bool,
        as_metadata_stream: bool,
    ) -> Any:
        raw = self.stream
        if (
            not self._may_defer
            or not isinstance(marker, int)
            or never_decrypt  # (the /Encrypt dictionary: read before asking `encrypted`)
            or as_metadata_stream
            or isinstance(raw, _SkippingStream)
            or self.encrypted
        ):
            return self.pyhanko_read_object(ref, marker, never_decrypt, as_metadata_stream)
        skipping = _SkippingStream(raw)
        self.stream = skipping
        try:
            obj = self.pyhanko_read_object(ref, marker, never_decrypt, as_metadata_stream)
        finally:
            self.stream = raw
        if not skipping.skipped:
            return obj
        payload = skipping.skipped[0]
        if (
            len(skipping.skipped) == 1
            and type(obj) is generic.StreamObject
            and internals.stream_payload(obj) is payload
        ):
            lazy = LazyStreamObject.deferred(
                obj, _FileSlice(raw, payload.offset, payload.length, self)
            )
            lazy.container_ref = obj.container_ref
            return lazy
        # a payload somewhere unusual (a stream nested in a malformed object):
        # read the object as pyHanko does
        return self.pyhanko_read_object(ref, marker, never_decrypt, as_metadata_stream)

    #: what the trailer's /Encrypt held when it was no dictionary (the file
    #: is then read as not encrypted, as EU DSS reads it); None otherwise
    encrypt_entry_ignored: str | None = None

    @property
    def encrypt_dict(self) -> Any:
        try:
            entry = self.trailer.raw_get("/Encrypt")
        except KeyError:
            return None
        try:
            value = (
                self.get_object(entry.reference, never_decrypt=True)  # type: ignore[no-untyped-call]
                if isinstance(entry, generic.IndirectObject)
                else entry
            )
        except Exception:  # a reference to nothing readable
            value = None
        if not isinstance(value, generic.DictionaryObject):
            self.encrypt_entry_ignored = type(value).__name__
            return None
        # a direct dictionary (as MuPDF writes it) is no syntax error: ISO
        # 32000 asks for "a dictionary", where pyHanko's strict mode wants
        # a reference
        return value

    def get_historical_resolver(self, revision: int) -> HistoricalResolver:
        cache: dict[int, HistoricalResolver] = self.historical_resolver_cache
        resolver = cache.get(revision)
        if resolver is None:
            resolver = cache[revision] = _LazyHistoricalResolver(self, revision)
        return resolver


__all__ = ["DEFER_FROM", "LazyStreamObject", "LazyStreamReader"]
