"""Small generators of hostile PDFs, built from a good signed file's bytes.

Each appends hand-written incremental updates (pyHanko's writer would refuse
to write most of these), so the signed revision stays byte-identical and only
what comes after it is hostile. Used by the resource-bound tests, the
mutation harness and ``benchmarks/bench_hostile.py``; nothing here is
committed as a blob.
"""

from __future__ import annotations

import io
import re

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")


def _last_startxref(data: bytes) -> int:
    m = _STARTXREF.search(data[-64:])
    assert m is not None, "the seed must end with startxref and %%EOF"
    return int(m.group(1))


def _trailer_facts(data: bytes) -> tuple[str, int]:
    """The /Root reference (as ``"n g R"``) and /Size of the last trailer."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    root = reader.trailer.raw_get("/Root")
    return f"{root.idnum} {root.generation} R", int(reader.trailer["/Size"])


def _update(data: bytes, objects: list[tuple[int, bytes]]) -> bytes:
    """``data`` plus one update (xref table) holding ``objects`` (number, body)."""
    root, size = _trailer_facts(data)
    prev = _last_startxref(data)
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offsets: list[tuple[int, int]] = []
    for num, body in objects:
        offsets.append((num, len(out)))
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n"
    for num, off in sorted(offsets):
        out += b"%d 1\n%010d 00000 n \n" % (num, off)
    size = max([size, *(n + 1 for n, _ in objects)])
    out += b"trailer\n<< /Size %d /Root %s /Prev %d >>\n" % (size, root.encode(), prev)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def _first_page(data: bytes) -> tuple[int, bytes]:
    """The first page's object number and its dictionary, serialised."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    ref = reader.root["/Pages"]["/Kids"].raw_get(0)
    page = ref.get_object()
    buf = io.BytesIO()
    page.write_to_stream(buf, None)
    return ref.idnum, buf.getvalue()


def empty_updates(data: bytes, count: int) -> bytes:
    """``count`` updates that change nothing (an xref with only object 0)."""
    root, size = _trailer_facts(data)
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    prev = _last_startxref(data)
    for _ in range(count):
        at = len(out)
        out += b"xref\n0 1\n0000000000 65535 f \ntrailer\n"
        out += b"<< /Size %d /Root %s /Prev %d >>\n" % (size, root.encode(), prev)
        out += b"startxref\n%d\n%%%%EOF\n" % at
        prev = at
    return bytes(out)


def xref_index_bomb(data: bytes, declared: int) -> bytes:
    """An update whose xref stream declares ``declared`` entries with no data
    for them (``/W [0 0 0]``: every entry takes its default value)."""
    root, size = _trailer_facts(data)
    prev = _last_startxref(data)
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    num = size
    at = len(out)
    out += (
        b"%d 0 obj\n<< /Type /XRef /W [0 0 0] /Index [%d %d] /Size %d /Root %s /Prev %d"
        b" /Length 0 >>\nstream\n\nendstream\nendobj\n"
        % (num, size + 1, declared, size + 1 + declared, root.encode(), prev)
    )
    out += b"startxref\n%d\n%%%%EOF\n" % at
    return bytes(out)


def long_token(data: bytes, length: int, kind: str = "number") -> bytes:
    """An update rewriting the first page with one ``length``-byte token
    (``kind``: a number, a name, a literal string or a comment) in its
    dictionary."""
    num, page = _first_page(data)
    token = {
        "number": lambda: b"1" * length,
        "name": lambda: b"/" + b"N" * length,
        "string": lambda: b"(" + b"S" * length + b")",
        "comment": lambda: b"0 %" + b"C" * length + b"\n",
    }[kind]()
    body = page[: page.rindex(b">>")] + b" /ShomeiLong " + token + b" >>"
    return _update(data, [(num, body)])


_BR_PLACEHOLDER = b"/ByteRange [0 0000000000 0000000000 0000000000]"


def text_like_contents(data: bytes, fields: int, hex_bytes: int) -> bytes:
    """An update adding ``fields`` signature fields (after those already
    there) whose /Contents is hex
    that decodes to printable text (``hex_bytes`` hex digits each), each with
    a /ByteRange that really frames its /Contents (so every structural check
    passes and the text reaches the CMS parser)."""
    _root, size = _trailer_facts(data)
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    root_ref = reader.trailer.raw_get("/Root")
    catalog = reader.root
    hex_text = (b"41" * (hex_bytes // 2))[:hex_bytes]
    objects: list[tuple[int, bytes]] = []
    # (DictionaryObject.get leaves references unresolved)
    form_before = catalog.get("/AcroForm")
    fields_before = form_before.get_object()["/Fields"] if form_before is not None else None
    refs = [
        b"%d %d R" % (r.idnum, r.generation)
        for r in (fields_before.raw_get(i) for i in range(len(fields_before or ())))
    ]
    n = size
    for i in range(fields):
        sig, field = n, n + 1
        n += 2
        objects.append(
            (
                sig,
                b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached "
                + _BR_PLACEHOLDER
                + b" /Contents <"
                + hex_text
                + b"> >>",
            )
        )
        objects.append((field, b"<< /FT /Sig /T (Text%d) /V %d 0 R >>" % (i, sig)))
        refs.append(b"%d 0 R" % field)
    form = n
    objects.append((form, b"<< /Fields [" + b" ".join(refs) + b"] >>"))
    buf = io.BytesIO()
    cat = generic.DictionaryObject(dict(catalog))
    cat[generic.pdf_name("/AcroForm")] = generic.IndirectObject(form, 0, None)
    cat.write_to_stream(buf, None)
    objects.append((root_ref.idnum, buf.getvalue()))
    out = bytearray(_update(data, objects))
    total = len(out)
    at = out.find(_BR_PLACEHOLDER)
    while at >= 0:
        start = out.index(b"<", at + len(_BR_PLACEHOLDER))
        end = out.index(b">", start) + 1
        value = b"/ByteRange [0 %010d %010d %010d]" % (start, end, total - end)
        out[at : at + len(value)] = value
        at = out.find(_BR_PLACEHOLDER, at + 1)
    return bytes(out)
