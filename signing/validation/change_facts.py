"""What the updates after a signed revision contain, named.

pyHanko's difference analysis says how far the changes go (validation data,
form filling, or "not allowed"), not what they are. This module names them:

- what changes what a reader sees (:data:`CONTENT`): pages added, removed or
  replaced; the content of a page (its content streams, resources, boxes,
  anything reachable from it except its annotations); catalog entries that
  act on the document (outlines, names, open action, additional actions,
  permissions, optional content...). After a signature with no lock these
  make it INVALID, with the change named;
- annotations changed on a page (:data:`ANNOTATIONS`): named, but not
  proven harmful nor harmless;
- what deserves a word however the analysis classed it (:data:`WARNINGS`):
  ``/NeedAppearances`` switched on (viewers redraw fields), an empty
  signature field added, a document timestamp shown on a page (counted as
  validation data, but its stamp is drawn over the signed page), an object
  defined twice in one update (readers
  disagree on which copy counts), bytes after the last ``%%EOF`` that are no
  update.

Every walk is bounded (:data:`NODE_BUDGET`): past it, the change stays
unnamed (and so unexplained) rather than costing unbounded time.

Used by :mod:`signing.validation.entry_facts`; not a public API.
"""

from __future__ import annotations

import bisect
import contextlib
import re
from typing import IO, Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

from signing.model.reasons.changes import ANNOTATIONS, CONTENT, WARNINGS, Change

#: objects visited per comparison before giving up naming
NODE_BUDGET = 50_000
#: pages compared (a larger page tree is left unnamed)
MAX_PAGES = 5_000
#: updates after a signature beyond which nothing is named (what pyHanko's
#: analysis says stands; its own cost is bounded elsewhere)
MAX_UPDATES = 500

#: catalog entries whose change alters what the document shows or does
CATALOG_KEYS = (
    "/Outlines",
    "/Names",
    "/Dests",
    "/OpenAction",
    "/AA",
    "/Perms",
    "/OCProperties",
    "/URI",
    "/Collection",
    "/PageLabels",
    "/ViewerPreferences",
    "/PageMode",
    "/PageLayout",
    "/Legal",
    "/Requirements",
)

#: page entries that are not its content (annotations are looked at apart)
_NOT_CONTENT = frozenset({"/Annots", "/Parent", "/StructParents", "/Tabs", "/PieceInfo"})
#: back-pointers no walk follows (they lead out of the page)
_BACK = frozenset({"/Parent", "/P"})


class _TooBig(Exception):
    """The walk ran out of budget."""


class FileChanges:
    """The named changes of one file, computed once per signed revision."""

    def __init__(self, reader: PdfFileReader, stream: IO[bytes], size: int) -> None:
        self._reader = reader
        self._stream = stream
        self._size = size
        self._after: dict[int, tuple[Change, ...]] = {}
        self._revision: dict[int, tuple[Change, ...]] = {}
        self._tail: tuple[Change, ...] | None = None
        self._fields_at_end: dict[generic.Reference, Any] | None = None
        self._starts: dict[int, int] | None = None
        self._form_refs: set[generic.Reference] | None = None

    def for_reader(self, reader: PdfFileReader) -> FileChanges:
        """The same file read again by ``reader`` (the run made again after a
        refuted digest claim): the changes named so far are kept (plain
        values), nothing that holds the earlier reader's objects."""
        again = FileChanges(reader, self._stream, self._size)
        again._after = self._after
        again._revision = self._revision
        again._tail = self._tail
        return again

    def after(self, base: int) -> tuple[Change, ...]:
        """What changed after revision ``base`` (to the end of the file)."""
        if base not in self._after:
            found: list[Change] = []
            try:
                total = self._reader.xrefs.total_revisions
                if base + 1 < total <= base + 1 + MAX_UPDATES:
                    found.extend(_content_changes(self._reader, base))
                    for rev in range(base + 1, total):
                        found.extend(self._in_revision(rev))
            except Exception:  # an unreadable structure: nothing named
                pass
            found.extend(self.trailing())
            self._after[base] = tuple(_unique(found))
        return self._after[base]

    def trailing(self) -> tuple[Change, ...]:
        if self._tail is None:
            self._tail = _trailing_bytes(self._reader, self._stream, self._size)
        return self._tail

    def _in_revision(self, rev: int) -> tuple[Change, ...]:
        if rev not in self._revision:
            found: list[Change] = []
            if self._touches_form(rev):
                with contextlib.suppress(Exception):  # an unreadable form: nothing named
                    found.extend(_need_appearances(self._reader, rev))
                with contextlib.suppress(Exception):
                    found.extend(_empty_signature_fields(self._reader, rev, self._last_fields()))
                with contextlib.suppress(Exception):
                    found.extend(_visible_timestamps(self._reader, rev))
            with contextlib.suppress(Exception):
                start = self._body_starts().get(rev)
                if start is not None:
                    found.extend(_defined_twice(self._reader, self._stream, rev, start))
            self._revision[rev] = tuple(found)
        return self._revision[rev]

    def _touches_form(self, rev: int) -> bool:
        """Does update ``rev`` rewrite the catalog or the form (its
        dictionary, its /Fields array)? Only then can it switch
        /NeedAppearances on or add a field (cheap: no lookup back through
        the revisions for updates that leave them alone)."""
        try:
            if self._form_refs is None:
                refs = set()
                root = self._reader.trailer.raw_get("/Root")
                refs.add(root.reference)
                form = root.get_object().get("/AcroForm")
                if isinstance(form, generic.IndirectObject):
                    refs.add(form.reference)
                    form = form.get_object()  # type: ignore[no-untyped-call]
                fields = form.get("/Fields") if isinstance(form, generic.DictionaryObject) else None
                if isinstance(fields, generic.IndirectObject):
                    refs.add(fields.reference)
                self._form_refs = refs
            return bool(self._form_refs & set(self._reader.xrefs.explicit_refs_in_revision(rev)))
        except Exception:  # an unreadable catalog: look anyway
            return True

    def _last_fields(self) -> dict[generic.Reference, Any]:
        if self._fields_at_end is None:
            last = self._reader.xrefs.total_revisions - 1
            self._fields_at_end = _sig_fields(self._reader.get_historical_resolver(last))
        return self._fields_at_end

    def _body_starts(self) -> dict[int, int]:
        """Where each update's body starts: after the cross-reference
        section physically before it (not always the previous revision's:
        linearized files). Computed once, in order of position."""
        if self._starts is None:
            xrefs = self._reader.xrefs
            sections = sorted(
                (info.start_location, info.end_location, rev)
                for rev in range(xrefs.total_revisions)
                for info in (xrefs.get_xref_container_info(rev),)
            )
            self._starts = {}
            furthest = None
            for _start, end, rev in sections:
                if furthest is not None:
                    self._starts[rev] = furthest
                furthest = end if furthest is None else max(furthest, end)
        return self._starts


def _unique(changes: list[Change]) -> list[Change]:
    seen: set[tuple[str, str]] = set()
    out = []
    for c in changes:
        if (c.code, c.where) not in seen:
            seen.add((c.code, c.where))
            out.append(c)
    return out


# --- content: pages, page content, catalog ------------------------------------------


def _content_changes(reader: PdfFileReader, base: int) -> list[Change]:
    old = reader.get_historical_resolver(base)
    new = reader.get_historical_resolver(reader.xrefs.total_revisions - 1)
    changed: set[generic.Reference] = set()
    for rev in range(base + 1, reader.xrefs.total_revisions):
        changed |= set(reader.xrefs.explicit_refs_in_revision(rev))
    if not changed:
        return []
    walk = _Walk(old, new, changed)
    found: list[Change] = []
    with contextlib.suppress(_TooBig):
        found.extend(_page_changes(walk, old, new))
    with contextlib.suppress(_TooBig):
        found.extend(_catalog_changes(walk, old, new))
    return found


def _pages(resolver: Any) -> list[tuple[generic.Reference, list[Any]]]:
    """The page references in order, each with its ancestors (for inherited
    attributes); bounded."""
    out: list[tuple[generic.Reference, list[Any]]] = []
    root = resolver.root.raw_get("/Pages")
    stack: list[tuple[Any, list[Any], int]] = [(root, [], 0)]
    seen: set[generic.Reference] = set()
    while stack:
        node_ref, ancestors, depth = stack.pop()
        if not isinstance(node_ref, generic.IndirectObject) or depth > 64:
            raise _TooBig()
        ref = node_ref.reference
        if ref in seen:
            raise _TooBig()  # a loop in the page tree
        seen.add(ref)
        node = resolver(ref)
        if not isinstance(node, generic.DictionaryObject):
            raise _TooBig()
        kids = _get(node, "/Kids") if _get(node, "/Type") != "/Page" else None
        if kids is None:
            out.append((ref, ancestors))
            if len(out) > MAX_PAGES:
                raise _TooBig()
            continue
        for kid in reversed(list(kids)):
            stack.append((kid, [*ancestors, node], depth + 1))
    return out


def _page_changes(walk: _Walk, old: Any, new: Any) -> list[Change]:
    old_pages, new_pages = _pages(old), _pages(new)
    walk.pages = {r for r, _ in new_pages}
    found: list[Change] = []
    old_refs = [r for r, _ in old_pages]
    new_refs = [r for r, _ in new_pages]
    if len(new_refs) > len(old_refs):
        found.append(Change("pages-added", CONTENT, str(len(new_refs) - len(old_refs))))
    elif len(new_refs) < len(old_refs):
        found.append(Change("pages-removed", CONTENT, str(len(old_refs) - len(new_refs))))
    replaced = [
        str(i + 1) for i, (a, b) in enumerate(zip(old_refs, new_refs, strict=False)) if a != b
    ]
    if replaced:
        found.append(Change("pages-replaced", CONTENT, ", ".join(replaced[:10])))
    content: list[str] = []
    annots: list[str] = []
    for i, ((ref, ancestors), old_ref) in enumerate(zip(new_pages, old_refs, strict=False)):
        if ref != old_ref:
            continue
        if walk.page_differs(ref, ancestors):
            content.append(str(i + 1))
            continue
        page, was = new(ref), old(ref)
        before = was.raw_get("/Annots") if "/Annots" in was else None
        after = page.raw_get("/Annots") if "/Annots" in page else None
        if walk.value_differs(before, after):
            annots.append(str(i + 1))
    if content:
        found.append(Change("page-content-changed", CONTENT, ", ".join(content[:10])))
    if annots:
        found.append(Change("annotations-changed", ANNOTATIONS, ", ".join(annots[:10])))
    return found


def _catalog_changes(walk: _Walk, old: Any, new: Any) -> list[Change]:
    keys = []
    old_root, new_root = old.root, new.root
    for key in CATALOG_KEYS:
        a = old_root.raw_get(key) if key in old_root else None
        b = new_root.raw_get(key) if key in new_root else None
        if walk.value_differs(a, b):
            keys.append(key.lstrip("/"))
    return [Change("catalog-changed", CONTENT, ", ".join(keys))] if keys else []


class _Walk:
    """Looks for what some later update rewrote (``changed``) and that now
    differs from the signed revision (``old``), among what is reachable
    from an object of the last revision (``new``). Iterative, bounded by
    :data:`NODE_BUDGET`; what was found clean once is not walked again."""

    def __init__(self, old: Any, new: Any, changed: set[generic.Reference]) -> None:
        self.old, self.new, self.changed = old, new, changed
        self.budget = NODE_BUDGET
        # the catalog itself is rewritten by every update; what it holds is
        # compared entry by entry, never by walking back into it
        root = new.trailer_view.raw_get("/Root")
        self._clean: set[generic.Reference] = (
            {root.reference} if isinstance(root, generic.IndirectObject) else set()
        )
        self._same: dict[generic.Reference, bool] = {}
        self._pairs: dict[tuple[generic.Reference, generic.Reference], bool] = {}
        #: new objects found to hold what an object of the signed revision held
        self._matched: set[generic.Reference] = set()
        #: pages are compared as pages (without their annotations), never
        #: walked into from elsewhere (an outline pointing at a page)
        self.pages: set[generic.Reference] = set()

    def _rewritten(self, ref: generic.Reference, skip: frozenset[str] = frozenset()) -> bool:
        if ref not in self.changed or ref in self._matched:
            return False
        if not skip and ref in self._same:
            return not self._same[ref]
        try:
            same = self.equal(self.old(ref), self.new(ref), skip)
        except _TooBig:
            raise
        except Exception:  # not in the signed revision: a new object
            same = False
        if not skip:
            self._same[ref] = same
        return not same

    def equal(self, a: Any, b: Any, skip: frozenset[str] = frozenset()) -> bool:
        """``a`` (signed revision) and ``b`` (last revision) say the same:
        references to the same object are equal (what that object holds is
        walked apart); references to different objects are compared by
        what they hold, so a copy under a new number is no change."""
        self.budget -= 1
        if self.budget < 0:
            raise _TooBig()
        if isinstance(a, generic.IndirectObject) or isinstance(b, generic.IndirectObject):
            if not (
                isinstance(a, generic.IndirectObject) and isinstance(b, generic.IndirectObject)
            ):
                return False
            if a.reference == b.reference:
                return True
            pair = (a.reference, b.reference)
            if pair not in self._pairs:
                self._pairs[pair] = True  # (a cycle: equal unless shown otherwise)
                try:
                    self._pairs[pair] = self.equal(self.old(a.reference), self.new(b.reference))
                except _TooBig:
                    raise
                except Exception:
                    self._pairs[pair] = False
                if self._pairs[pair] and b.reference in self.changed:
                    self._matched.add(b.reference)
            return self._pairs[pair]
        if isinstance(a, generic.StreamObject) or isinstance(b, generic.StreamObject):
            if not (isinstance(a, generic.StreamObject) and isinstance(b, generic.StreamObject)):
                return False
            if a.encoded_data != b.encoded_data:
                return False
        if isinstance(a, generic.DictionaryObject):
            if not isinstance(b, generic.DictionaryObject):
                return False
            keys = set(a.keys()) - skip - _BACK
            if keys != set(b.keys()) - skip - _BACK:
                return False
            return all(self.equal(a.raw_get(k), b.raw_get(k)) for k in keys)
        if isinstance(a, generic.ArrayObject):
            return (
                isinstance(b, generic.ArrayObject)
                and len(a) == len(b)
                and all(self.equal(x, y) for x, y in zip(a, b, strict=True))
            )
        strings = (generic.TextStringObject, generic.ByteStringObject)
        if isinstance(a, strings):
            return isinstance(b, strings) and a.original_bytes == b.original_bytes
        return type(a) is type(b) and bool(a == b)

    def reaches_change(self, roots: list[Any]) -> bool:
        seen: set[generic.Reference] = set()
        stack = list(roots)
        while stack:
            self.budget -= 1
            if self.budget < 0:
                raise _TooBig()
            item = stack.pop()
            if isinstance(item, generic.IndirectObject):
                ref = item.reference
                if ref in seen or ref in self._clean or ref in self.pages:
                    continue
                seen.add(ref)
                if self._rewritten(ref):
                    return True
                stack.append(self.new(ref))
            elif isinstance(item, generic.DictionaryObject):  # (streams too)
                stack.extend(item.raw_get(k) for k in item if k not in _BACK)
            elif isinstance(item, generic.ArrayObject):
                stack.extend(item)
        self._clean |= seen
        return False

    def page_differs(self, ref: generic.Reference, ancestors: list[Any]) -> bool:
        """The page's content: its entries but annotations, what they
        reach, and the attributes it inherits (resources, boxes, rotation)."""
        if self._rewritten(ref, skip=_NOT_CONTENT):
            return True
        page = self.new(ref)
        roots = [page.raw_get(k) for k in page if k not in _NOT_CONTENT and k not in _BACK]
        for node in ancestors:
            roots.extend(
                node.raw_get(k)
                for k in ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
                if k in node
            )
        return self.reaches_change(roots)

    def value_differs(self, a: Any, b: Any) -> bool:
        """Two values of one entry, old and new: different, or reaching
        something that differs."""
        if a is None or b is None:
            return (a is None) != (b is None)
        if not self.equal(a, b):
            return True
        return self.reaches_change([b])


# --- per update: form switches, empty fields, objects defined twice ----------------


def _get(container: Any, key: str) -> Any:
    """``container[key]``, dereferenced; None when absent."""
    try:
        value = container.raw_get(key)
    except KeyError:
        return None
    if isinstance(value, generic.IndirectObject):
        return value.get_object()  # type: ignore[no-untyped-call]
    return value


def _acroform(resolver: Any) -> Any:
    form = _get(resolver.root, "/AcroForm")
    return form if isinstance(form, generic.DictionaryObject) else None


def _need_appearances(reader: PdfFileReader, rev: int) -> list[Change]:
    new = _acroform(reader.get_historical_resolver(rev))
    old = _acroform(reader.get_historical_resolver(rev - 1))
    now = new is not None and _true(_get(new, "/NeedAppearances"))
    was = old is not None and _true(_get(old, "/NeedAppearances"))
    return [Change("need-appearances-set", WARNINGS, str(rev))] if now and not was else []


def _true(value: Any) -> bool:
    return isinstance(value, generic.BooleanObject) and bool(value)


def _sig_fields(resolver: Any) -> dict[generic.Reference, Any]:
    form = _acroform(resolver)
    out: dict[generic.Reference, Any] = {}
    if form is None:
        return out
    stack = [(f, 0) for f in _get(form, "/Fields") or ()]
    while stack:
        item, depth = stack.pop()
        if not isinstance(item, generic.IndirectObject) or depth > 16 or len(out) > 10_000:
            continue
        field = item.get_object()  # type: ignore[no-untyped-call]
        if not isinstance(field, generic.DictionaryObject):
            continue
        if _get(field, "/FT") == "/Sig":
            out[item.reference] = field
        stack.extend((k, depth + 1) for k in _get(field, "/Kids") or ())
    return out


def _empty_signature_fields(
    reader: PdfFileReader, rev: int, last: dict[generic.Reference, Any]
) -> list[Change]:
    """Signature fields this update added that are still empty at the end
    of the file (``last``: the fields then; one filled by a later signature
    is that signature's)."""
    old = _sig_fields(reader.get_historical_resolver(rev - 1))
    new = _sig_fields(reader.get_historical_resolver(rev))
    names = [
        str(_get(field, "/T") or f"{ref.idnum} {ref.generation} R")
        for ref, field in new.items()
        if ref not in old and "/V" not in field and "/V" not in last.get(ref, field)
    ]
    return [Change("empty-signature-field-added", WARNINGS, ", ".join(names))] if names else []


def _visible_timestamps(reader: PdfFileReader, rev: int) -> list[Change]:
    """Document timestamps this update added in a field with an area on a
    page: the difference analysis counts them as validation data, but their
    stamp is drawn over the page, and no signature before covers it."""
    from pyhanko.sign.diff_analysis.rules.form_field_rules import is_field_visible

    old = _sig_fields(reader.get_historical_resolver(rev - 1))
    new = _sig_fields(reader.get_historical_resolver(rev))
    names = []
    for ref, field in new.items():
        if ref in old and "/V" in old[ref]:
            continue  # filled before this update
        value = _get(field, "/V")
        if not isinstance(value, generic.DictionaryObject):
            continue
        if _get(value, "/SubFilter") != "/ETSI.RFC3161" or not is_field_visible(field):  # type: ignore[no-untyped-call]
            continue
        names.append(str(_get(field, "/T") or f"{ref.idnum} {ref.generation} R"))
    return [Change("visible-timestamp-added", WARNINGS, ", ".join(names))] if names else []


_OBJ = re.compile(rb"(?<![0-9])([0-9]{1,10})[ \t\r\n\f\x00]+([0-9]{1,5})[ \t\r\n\f\x00]+obj\b")
_ENDOBJ = re.compile(rb"endobj")
#: updates larger than this are not scanned for duplicate definitions
_MAX_SCAN = 64 * 1024 * 1024


def _defined_twice(reader: PdfFileReader, stream: IO[bytes], rev: int, start: int) -> list[Change]:
    """Object numbers with a second definition in the bytes of update
    ``rev`` (from ``start`` to its cross-reference section) besides the one
    its section points at (outside any object the section points at: not
    stream data)."""
    xrefs = reader.xrefs
    end = xrefs.get_xref_container_info(rev).start_location
    if not 0 <= start < end or end - start > _MAX_SCAN:
        return []
    stream.seek(start)
    body = stream.read(end - start)
    data = xrefs.get_xref_data(rev)
    own = xrefs.get_xref_container_info(rev).stream_ref  # (the xref stream: at ``end``)
    starts = sorted(
        offset - start
        for idnum, (_gen, offset) in data.standard_xrefs.items()
        if start <= offset < end and not (own is not None and idnum == own.idnum)
    )
    # each object spans to its endobj, looked for only up to the next
    # object (a file without endobj costs no more than one pass)
    ends = []
    for i, lo in enumerate(starts):
        limit = starts[i + 1] if i + 1 < len(starts) else len(body)
        close = _ENDOBJ.search(body, lo, limit)
        ends.append(close.end() if close else limit)
    twice: list[str] = []
    for match in _OBJ.finditer(body):
        at = match.start()
        i = bisect.bisect_right(starts, at) - 1
        if i >= 0 and at < ends[i]:
            continue
        twice.append(f"{int(match.group(1))} {int(match.group(2))}")
    return [Change("object-defined-twice", WARNINGS, ", ".join(twice[:10]))] if twice else []


# --- after the last update ---------------------------------------------------------------

_EOF = re.compile(rb"%%EOF")


def _trailing_bytes(reader: PdfFileReader, stream: IO[bytes], size: int) -> tuple[Change, ...]:
    """Bytes after the end of the last update (its ``%%EOF``) that are not
    whitespace: no reader reads them as part of the document."""
    try:
        xrefs = reader.xrefs
        start = max(  # the physically last section (linearized files differ)
            xrefs.get_xref_container_info(r).start_location for r in range(xrefs.total_revisions)
        )
        stream.seek(start)
        tail = stream.read(max(0, size - start))
        eof = _EOF.search(tail)
        if eof is None:
            return ()
        extra = tail[eof.end() :].strip(b" \t\r\n\f\x00")
        if not extra:
            return ()
        return (Change("bytes-after-eof", WARNINGS, str(len(extra))),)
    except Exception:  # an unreadable cross-reference section: nothing named
        return ()


__all__ = ["ANNOTATIONS", "CONTENT", "WARNINGS", "Change", "FileChanges"]
