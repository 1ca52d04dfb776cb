"""The pages of an open document, in order, in one bounded walk of the page
tree (shared by the page frames and the signature-field list)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def iter_pages(reader: Any) -> Iterator[tuple[int, Any]]:
    """(object number, page dictionary) of every page, in order: one walk of
    the page tree (asking for page n walks it from the top each time, which
    a file of many thousand pages turns into hours). Nodes seen before, and
    entries that are not dictionaries, are skipped; the depth is bounded."""
    from pyhanko.pdf_utils import generic

    seen: set[int] = set()
    stack: list[tuple[Any, int]] = [(reader.root.raw_get("/Pages"), 0)]
    while stack:
        ref, depth = stack.pop()
        idnum = getattr(ref, "idnum", None)
        if idnum is not None:
            if idnum in seen:
                continue
            seen.add(idnum)
        node = ref.get_object() if hasattr(ref, "get_object") else ref
        if not isinstance(node, generic.DictionaryObject):
            continue
        kids = node.get("/Kids") if node.get("/Type") != "/Page" else None
        if kids is None:
            if idnum is not None:
                yield idnum, node
            continue
        kids = kids.get_object() if hasattr(kids, "get_object") else kids
        if isinstance(kids, generic.ArrayObject) and depth < 256:
            stack.extend((kids.raw_get(i), depth + 1) for i in reversed(range(len(kids))))
