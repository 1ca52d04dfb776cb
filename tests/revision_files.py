"""Signed files changed after signing, for the signed-version tests: a PDF
signed by the test PKI with a visible field, then an incremental update that
paints over one page's content (what "View signed version" and "Compare"
must reveal)."""

from __future__ import annotations

import io
from pathlib import Path

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from signing.sign.request import FieldPlacement, Level
from tests.pdf_factory import make_pdf
from tests.pki import PKI
from tests.sign_helpers import sign_with_pki

#: the visible signature's page (0-based) and box (PDF points); the update
#: after signing fills exactly this box on this page, so a test can see that
#: an outline drawn around the field sits on the red rectangle
FIELD_PAGE = 1
FIELD_BOX = (150.0, 150.0, 450.0, 400.0)


def signed_pdf(
    pki: PKI, folder: Path, pages: int = 3, page: int = FIELD_PAGE, level: Level = Level.B_T
) -> Path:
    """A ``pages``-page PDF signed with a visible field on ``page`` (0-based)."""
    return sign_with_pki(
        pki,
        make_pdf(folder / "contract.pdf", pages=pages),
        folder / "contract-signed.pdf",
        level,
        FieldPlacement(page=page + 1, box=FIELD_BOX),
    )


def paint_over_page(signed: Path, out: Path, page: int = FIELD_PAGE) -> Path:
    """``signed`` plus an incremental update filling :data:`FIELD_BOX` red on
    ``page`` (0-based): the signature stays intact, the page looks different."""
    data = signed.read_bytes()
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    x1, y1, x2, y2 = FIELD_BOX
    ops = f"q 0.8 0.1 0.1 rg {x1} {y1} {x2 - x1} {y2 - y1} re f Q\n".encode()
    ref = writer.add_object(generic.StreamObject(stream_data=ops))
    writer.add_stream_to_page(page, ref)
    buffer = io.BytesIO()
    writer.write(buffer)
    out.write_bytes(buffer.getvalue())
    return out
