"""Bounded and linear-time reading of cross-reference sections: the part
of :mod:`signing.pdf.limits` that replaces pyHanko's xref classes (see there
for the pyHanko internals used).
"""

from __future__ import annotations

import bisect
import os
from typing import IO, Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.xref import TrailerDictionary, XRefCache

from signing import thirdparty_internals as internals
from signing.pdf.budget import MAX_REVISIONS, budget, xref_entry_cap


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


def previous_section(prev: Any) -> Any:
    """Where the previous cross-reference section is (a trailer's /Prev),
    None at the end of the chain. ``/Prev 0`` points at the file's header,
    never at a section: PDFBox (so EU DSS), qpdf and poppler end the chain
    there, pyHanko read the header as a section and failed with "OSError:
    [Errno 22] Invalid argument" (DSS's pades-5-signatures-and-1-document-
    timestamp.pdf has such a trailer)."""
    return None if isinstance(prev, int) and prev == 0 else prev


class BoundedXRefBuilder(internals.XRefBuilderHooks):  # type: ignore[misc, name-defined]
    """pyHanko's xref reader, refusing streams that declare more entries than
    the file could hold before any of them is stored."""

    def __init__(self, handler: Any, stream: IO[bytes], strict: bool, last_startxref: int):
        super().__init__(handler, stream, strict, last_startxref)
        pyhanko_trailer: Any = self.trailer
        trailer = IncrementalTrailer()
        trailer.container_ref = pyhanko_trailer.container_ref
        self.trailer: TrailerDictionary = trailer
        pos = stream.tell()
        self._cap = xref_entry_cap(stream.seek(0, os.SEEK_END))
        stream.seek(pos)
        self._declared = 0
        self._sections = 0

    def _count_section(self) -> None:
        budget().check_time()
        self._sections += 1
        if self._sections > MAX_REVISIONS:
            raise budget().exceeded(
                "too-many-revisions",
                f"more than {MAX_REVISIONS} incremental updates",
            )

    def read_xref_table_hook(self, declared_startxref: int) -> Any:
        self._count_section()
        return previous_section(self.pyhanko_read_xref_table(declared_startxref))

    def read_xref_stream_hook(self, declared_startxref: int) -> Any:
        self._count_section()
        return previous_section(self.pyhanko_read_xref_stream(declared_startxref))

    def read_xref_stream_object_hook(self) -> Any:
        budget().check_time()
        ref, xref_stream = self.pyhanko_read_xref_stream_object()
        self._declared += declared_entries(xref_stream)
        if self._declared > self._cap:
            raise budget().exceeded(
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
        decrypt: Any = generic.EncryptedObjAccess.TRANSPARENT,
        revision: int | None = None,
    ) -> Any:
        # pyHanko walks every revision's trailer for a key none has (e.g.
        # /Encrypt, asked at each object read): O(R) per read. Here each key
        # is looked up once per file, in a list of the trailers that hold it.
        revisions = internals.trailer_revisions(self)
        if revision is not None and not 0 <= revision < len(revisions):
            return super().raw_get(key, decrypt, revision)
        if revision is None:
            try:
                return internals.trailer_new_changes(self).raw_get(key, decrypt)
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
        revisions = internals.trailer_revisions(self)
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
        return generic.DictionaryObject(flat)  # type: ignore[no-untyped-call]


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
            for ix, section in enumerate(internals.xref_sections(self)):
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
        sections = internals.xref_sections(self)
        for ix in reversed(self._sections_with(ref.idnum)):
            try:
                sections[ix].xref_data.try_resolve(ref)
                return ix
            except KeyError:
                pass
        raise KeyError(ref)

    def get_introducing_revision(self, ref: Any) -> int:
        sections = internals.xref_sections(self)
        for ix in self._sections_with(ref.idnum):
            try:
                if sections[ix].xref_data.try_resolve(ref) is not None:
                    return ix
            except KeyError:
                pass
        raise KeyError(ref)

    def get_historical_ref(self, ref: Any, revision: int) -> Any:
        sections = internals.xref_sections(self)
        candidates = self._sections_with(ref.idnum)
        for ix in reversed(candidates[: bisect.bisect_right(candidates, revision)]):
            try:
                return sections[ix].xref_data.try_resolve(ref)
            except KeyError:
                continue
        return None


__all__ = ["BoundedXRefBuilder", "IncrementalTrailer", "IndexedXRefCache", "declared_entries"]
