"""Signed files changed after signing, for the signed-version tests: a PDF
signed by the test PKI with a visible field, then an incremental update that
paints over one page's content (what "View signed version" and "Compare"
must reveal)."""

from __future__ import annotations

import io
from pathlib import Path

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from signing.keys.pkcs12 import Pkcs12KeySource
from signing.secrets import FixedSecret
from signing.sign.request import FieldPlacement, Level, SignRequest
from signing.sign.signer import sign_pdf
from tests.pdf_factory import make_pdf
from tests.pki import KEY_PASSWORD, PKI

#: where the visible signature goes (page 1, 0-based 0; PDF points)
FIELD_BOX = (60.0, 500.0, 300.0, 600.0)


def signed_pdf(
    pki: PKI, folder: Path, pages: int = 3, page: int = 0, level: Level = Level.B_T
) -> Path:
    """A ``pages``-page PDF signed with a visible field on ``page`` (0-based)."""
    src = make_pdf(folder / "contract.pdf", pages=pages)
    out = folder / "contract-signed.pdf"
    sign_pdf(
        SignRequest(
            input_path=src,
            output_path=out,
            key_source=Pkcs12KeySource(pki.p12_path("signer-rsa")),
            level=level,
            tsa_urls=(pki.tsa_url(),),
            trust_roots=(pki.cert_pem_path("root"),),
            placement=FieldPlacement(page=page + 1, box=FIELD_BOX),
        ),
        FixedSecret(KEY_PASSWORD),
    )
    return out


def paint_over_page(signed: Path, out: Path, page: int) -> Path:
    """``signed`` plus an incremental update adding a filled rectangle to
    ``page`` (0-based): the signature stays intact, the page looks different."""
    data = signed.read_bytes()
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    ops = b"q 0.8 0.1 0.1 rg 150 150 300 250 re f Q\n"
    ref = writer.add_object(generic.StreamObject(stream_data=ops))
    writer.add_stream_to_page(page, ref)
    buffer = io.BytesIO()
    writer.write(buffer)
    out.write_bytes(buffer.getvalue())
    return out
