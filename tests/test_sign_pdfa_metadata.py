"""PDF/A in, PDF/A out: after signing, the Info dictionary and the XMP
metadata still agree on the producer and the modification date (the
metadata rules of ISO 19005-2 6.6.2.3.1 and 6.6.3, checked here on a PDF/A-2B
input made for the test; the Ghostscript producer is kept, not dropped)."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

from signing.sign.extend import timestamp_pdf
from signing.sign.request import Level, TimestampRequest
from tests.pki import PKI
from tests.test_sign_levels import request, sign

PRODUCER = "GPL Ghostscript 10.02.1"
XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdf:Producer>{producer}</pdf:Producer>
   <xmp:ModifyDate>2024-03-01T10:00:00+00:00</xmp:ModifyDate>
   <xmp:CreateDate>2024-03-01T10:00:00+00:00</xmp:CreateDate>
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def make_pdfa(folder: Path) -> Path:
    """A PDF/A-2B-labelled file whose Info and XMP agree, as Ghostscript
    writes them (built by hand: pyHanko's writer would rewrite the XMP)."""
    xmp = XMP.format(producer=PRODUCER).encode("utf-8")
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R /Metadata 5 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << >> >>",
        4: b"<< /Length 8 >>\nstream\n0 0 m S\n\nendstream",
        5: b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n" % len(xmp)
        + xmp
        + b"\nendstream",
        6: b"<< /Producer (" + PRODUCER.encode() + b") /ModDate (D:20240301100000Z) "
        b"/CreationDate (D:20240301100000Z) >>",
    }
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for n, body in objects.items():
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 7\n0000000000 65535 f \n"
    out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, 7))
    out += b"trailer\n<< /Size 7 /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
    path = folder / "pdfa.pdf"
    path.write_bytes(bytes(out))
    return path


def _xmp_field(xmp: str, name: str) -> str | None:
    m = re.search(rf"<{name}>([^<]*)</{name}>", xmp) or re.search(rf'{name}="([^"]*)"', xmp)
    return m.group(1) if m else None


def metadata_problems(path: Path) -> list[str]:
    """The Info/XMP equivalence rules for the entries pyHanko touches, and
    the PDF/A identification kept."""
    with path.open("rb") as fh:
        reader = PdfFileReader(fh)
        xmp = reader.root["/Metadata"].data.decode("utf-8")
        info = reader.trailer["/Info"]
        problems = []
        if _xmp_field(xmp, "pdfaid:part") != "2":
            problems.append("pdfaid:part lost")
        if str(info.get("/Producer")) != _xmp_field(xmp, "pdf:Producer"):
            xmp_producer = _xmp_field(xmp, "pdf:Producer")
            problems.append(f"Producer: Info {info.get('/Producer')!r} vs XMP {xmp_producer!r}")
        xmp_mod = _xmp_field(xmp, "xmp:ModifyDate")
        if "/ModDate" in info:
            info_mod = generic.parse_pdf_date(str(info["/ModDate"]))
            if xmp_mod is None or datetime.fromisoformat(xmp_mod) != info_mod:
                problems.append(f"ModDate: Info {info_mod} vs XMP {xmp_mod}")
        return problems


@pytest.fixture(scope="module")
def pdfa(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = make_pdfa(tmp_path_factory.mktemp("pdfa"))
    assert metadata_problems(path) == []
    return path


@pytest.mark.parametrize("level", [Level.B_B, Level.B_T, Level.B_LT])
def test_signing_keeps_info_and_xmp_in_step(
    pki: PKI, pdfa: Path, tmp_path: Path, level: Level
) -> None:
    out = tmp_path / "signed.pdf"
    sign(request(pki, pdfa, out, level=level))
    assert metadata_problems(out) == []
    with out.open("rb") as fh:
        producer = str(PdfFileReader(fh).trailer["/Info"]["/Producer"])
    assert producer.startswith(PRODUCER + "; pyHanko")  # the history is kept


def test_a_document_timestamp_keeps_them_in_step(pki: PKI, pdfa: Path, tmp_path: Path) -> None:
    req = TimestampRequest(
        input_path=pdfa, output_path=tmp_path / "ts.pdf", tsa_urls=(pki.tsa_url(),)
    )
    assert metadata_problems(timestamp_pdf(req).output_path) == []


def test_b_lta_keeps_them_in_step(pki: PKI, pdfa: Path, tmp_path: Path) -> None:
    out = tmp_path / "signed.pdf"
    sign(request(pki, pdfa, out, level=Level.B_LTA))
    assert metadata_problems(out) == []
