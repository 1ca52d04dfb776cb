# pyHanko's PDF object helpers are only partly annotated.
# mypy: disable-error-code="no-untyped-call"
"""A copy of a document, in memory, in which the visible signatures' stamps
show in a viewer that draws no form widgets: QtPdf's page view draws a
page's content only (PDFium draws widgets for a form-filling environment,
annotations only when asked, and QPdfView asks for neither).

In an incremental update appended to the bytes given, each page with
signature widgets gets the widgets' normal appearances (/AP /N, the /AS
state of it when it is a dictionary) painted at the end of its content, the
way a reader places an annotation's appearance (ISO 32000-1 12.5.5: the form's
/BBox, transformed by its /Matrix, fitted to the widget's /Rect). The
original content is wrapped in q/Q so that nothing it leaves behind moves
the stamps. Widgets hidden from view (/F Hidden or NoView) are left out. The
widgets themselves are unchanged, so a renderer that does draw annotations
draws no widget twice. The bytes given are never changed (the copy is new
bytes), and the file they came from is not written.

The input is untrusted: the walk is bounded (pages once each, at most
:data:`MAX_ANNOTATIONS` annotations looked at and :data:`MAX_STAMPS` drawn,
a deadline, pyHanko's parser under :mod:`signing.pdf.limits`), and any
failure means "show the file as it is": :func:`with_signature_stamps`
answers None then, it never raises for a bad file.
"""

from __future__ import annotations

import io
import logging
import math
import time
from dataclasses import dataclass
from typing import Any

from signing.pdf import limits as pdf_limits

log = logging.getLogger(__name__)

#: annotations looked at, all pages together (a page of a real form has tens)
MAX_ANNOTATIONS = 20_000
#: signature appearances drawn (a document with more is not one a reader
#: signs by hand)
MAX_STAMPS = 500
#: how far up a widget's /Parent chain its field type (and a page's up its
#: tree its inherited /Resources) is looked for
MAX_DEPTH = 32
#: how long reading the structure may take
DEADLINE_S = 5.0
#: the largest document copied (it is held in memory twice meanwhile)
MAX_BYTES = 256 * 1024**2
#: annotation flags that keep an annotation off the screen (Hidden, NoView)
_HIDDEN = 2 | 32


@dataclass(frozen=True)
class _Stamp:
    form: Any  # the appearance stream's reference
    matrix: tuple[float, float, float, float, float, float]


def with_signature_stamps(data: bytes, deadline_s: float = DEADLINE_S) -> bytes | None:
    """``data`` plus an update painting its signature widgets' appearances
    into their pages, or None when there is nothing to paint (no visible
    signature widget) or the document cannot be read safely (damaged,
    repaired, encrypted, too large, too slow to read): the caller shows
    ``data`` as it is then."""
    if len(data) > MAX_BYTES:
        return None
    try:
        with pdf_limits.bounded(time.monotonic() + deadline_s):
            return _stamped(data)
    except (Exception, pdf_limits.DeadlineReached) as exc:  # hostile input: plain view
        log.info("Signature stamps not shown: %s", type(exc).__name__)
        return None


def _stamped(data: bytes) -> bytes | None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    from signing.validation.hostile import open_reader

    reader, lenient = open_reader(io.BytesIO(data), len(data))
    # (a repaired or encrypted file: what PDFium makes of it, and of an update
    # appended to it, may differ from what was read here)
    if lenient or reader.encrypted:
        return None
    pages = _stamps_by_page(reader)
    if not pages:
        return None
    writer = IncrementalPdfFileWriter.from_reader(reader)
    for page, stamps in pages:
        pdf_limits.check_time()
        _paint(writer, page, stamps)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _stamps_by_page(reader: Any) -> list[tuple[Any, list[_Stamp]]]:
    """Each page with visible signature widgets, and their stamps."""
    from pyhanko.pdf_utils import generic

    from signing.pdf.pages import iter_pages

    out: list[tuple[Any, list[_Stamp]]] = []
    seen: set[int] = set()
    looked = drawn = 0
    for _idnum, page in iter_pages(reader):
        pdf_limits.check_time()
        annots = page.get("/Annots")
        if not isinstance(annots, generic.ArrayObject):
            continue
        stamps: list[_Stamp] = []
        for i in range(len(annots)):
            looked += 1
            if looked > MAX_ANNOTATIONS or drawn >= MAX_STAMPS:
                break
            ref = annots.raw_get(i)
            if isinstance(ref, generic.IndirectObject):
                if ref.idnum in seen:  # (one widget listed twice is drawn once)
                    continue
                seen.add(ref.idnum)
            stamp = _stamp(ref.get_object() if hasattr(ref, "get_object") else ref)
            if stamp is not None:
                stamps.append(stamp)
                drawn += 1
        if stamps:
            out.append((page, stamps))
        if looked > MAX_ANNOTATIONS or drawn >= MAX_STAMPS:
            break
    return out


def _stamp(annot: Any) -> _Stamp | None:
    """Where and what to paint for ``annot``, if it is a visible signature
    widget with a usable normal appearance."""
    from pyhanko.pdf_utils import generic

    if not isinstance(annot, generic.DictionaryObject) or annot.get("/Subtype") != "/Widget":
        return None
    flags = annot.get("/F", 0)
    if not isinstance(flags, int) or flags & _HIDDEN or not _is_signature(annot):
        return None
    ap = annot.get("/AP")
    if not isinstance(ap, generic.DictionaryObject) or "/N" not in ap:
        return None
    form = ap.raw_get("/N")
    normal = ap["/N"]
    if isinstance(normal, generic.DictionaryObject) and not isinstance(
        normal, generic.StreamObject
    ):
        state = annot.get("/AS")  # (an appearance per state: the current one)
        if not isinstance(state, generic.NameObject) or state not in normal:
            return None
        form, normal = normal.raw_get(state), normal[state]
    if not isinstance(form, generic.IndirectObject) or not isinstance(normal, generic.StreamObject):
        return None
    rect = _numbers(annot.get("/Rect"), 4)
    bbox = _numbers(normal.get("/BBox"), 4)
    form_matrix = _numbers(normal.get("/Matrix"), 6) or (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    if rect is None or bbox is None:
        return None
    matrix = _placement(rect, bbox, form_matrix)
    return _Stamp(form, matrix) if matrix is not None else None


def _is_signature(annot: Any) -> bool:
    from pyhanko.pdf_utils import generic

    node = annot
    for _ in range(MAX_DEPTH):  # (the field type may be a parent's)
        kind = node.get("/FT")
        if kind is not None:
            return bool(kind == "/Sig")
        node = node.get("/Parent")
        if not isinstance(node, generic.DictionaryObject):
            return False
    return False


def _numbers(value: Any, count: int) -> tuple[float, ...] | None:
    """``count`` finite numbers from a PDF array, or None."""
    from pyhanko.pdf_utils import generic

    if not isinstance(value, generic.ArrayObject) or len(value) != count:
        return None
    out = []
    for i in range(count):
        v = value[i]
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return None
        f = float(v)
        if not math.isfinite(f) or abs(f) > 1e7:
            return None
        out.append(f)
    return tuple(out)


def _placement(
    rect: tuple[float, ...], bbox: tuple[float, ...], m: tuple[float, ...]
) -> tuple[float, float, float, float, float, float] | None:
    """The matrix that fits the form's transformed /BBox to /Rect (ISO
    32000-1, 12.5.5, algorithm 8.1); None when either is flat."""
    a, b, c, d, e, f = m
    xs, ys = [], []
    for x, y in ((bbox[0], bbox[1]), (bbox[0], bbox[3]), (bbox[2], bbox[1]), (bbox[2], bbox[3])):
        xs.append(a * x + c * y + e)
        ys.append(b * x + d * y + f)
    bw, bh = max(xs) - min(xs), max(ys) - min(ys)
    rx1, rx2 = sorted((rect[0], rect[2]))
    ry1, ry2 = sorted((rect[1], rect[3]))
    if bw <= 1e-6 or bh <= 1e-6 or rx2 - rx1 <= 1e-6 or ry2 - ry1 <= 1e-6:
        return None
    sx, sy = (rx2 - rx1) / bw, (ry2 - ry1) / bh
    return (sx, 0.0, 0.0, sy, rx1 - sx * min(xs), ry1 - sy * min(ys))


def _resources(page: Any) -> Any:
    """The page's resources, its own or inherited (None: none found)."""
    from pyhanko.pdf_utils import generic

    node = page
    for _ in range(MAX_DEPTH):
        res = node.get("/Resources")
        if isinstance(res, generic.DictionaryObject):
            return res
        node = node.get("/Parent")
        if not isinstance(node, generic.DictionaryObject):
            return None
    return None


def _paint(writer: Any, page: Any, stamps: list[_Stamp]) -> None:
    """Add ``stamps`` to the end of ``page``'s content (the page's update
    holds new /Resources and /Contents; the objects they name are shared)."""
    from pyhanko.pdf_utils import generic

    old = _resources(page)
    resources = _shallow_copy(old)
    xobjects = resources.get("/XObject")
    named = _shallow_copy(xobjects if isinstance(xobjects, generic.DictionaryObject) else None)
    ops = [b"Q"]
    n = 0
    for stamp in stamps:
        n += 1
        while f"/ShomeiStamp{n}" in named:
            n += 1
        name = generic.pdf_name(f"/ShomeiStamp{n}")
        named[name] = stamp.form
        numbers = b" ".join(_num(v) for v in stamp.matrix)
        ops.append(b"q " + numbers + b" cm " + name.encode("ascii") + b" Do Q")
    resources[generic.pdf_name("/XObject")] = named
    before = writer.add_object(generic.StreamObject(stream_data=b"q\n"))
    after = writer.add_object(generic.StreamObject(stream_data=b"\n".join(ops) + b"\n"))
    parts: list[Any] = []
    if "/Contents" in page:
        contents = page.raw_get("/Contents")
        resolved = contents.get_object() if hasattr(contents, "get_object") else contents
        if isinstance(resolved, generic.ArrayObject):
            parts = [resolved.raw_get(i) for i in range(len(resolved))]
        else:
            parts = [contents]
    page[generic.pdf_name("/Contents")] = generic.ArrayObject([before, *parts, after])
    page[generic.pdf_name("/Resources")] = resources
    writer.update_container(page)


def _shallow_copy(source: Any) -> Any:
    """A new direct dictionary with ``source``'s entries as they are written
    (references stay references: a stream cannot be copied inline)."""
    from pyhanko.pdf_utils import generic

    if source is None:
        return generic.DictionaryObject()
    return generic.DictionaryObject({key: source.raw_get(key) for key in source})


def _num(value: float) -> bytes:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return (text if text not in ("", "-0") else "0").encode("ascii")


__all__ = ["MAX_ANNOTATIONS", "MAX_STAMPS", "with_signature_stamps"]
