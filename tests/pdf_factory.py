"""Make small, valid input PDFs for tests and benchmarks (pyHanko's writer).

Other test modules may reuse :func:`make_pdf`; keep its signature stable.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

A4 = (0.0, 0.0, 595.0, 842.0)


def _text_stream(writer: PdfFileWriter, text: str, extra: bytes = b"") -> generic.IndirectObject:
    safe = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    ops = f"BT /F1 18 Tf 72 760 Td ({safe}) Tj ET\n".encode("latin-1", "replace") + extra
    return writer.add_object(generic.StreamObject(stream_data=ops))


def helvetica(writer: PdfFileWriter) -> generic.IndirectObject:
    """A standard-14 Helvetica font object added to ``writer`` (nothing embedded)."""
    return writer.add_object(
        generic.DictionaryObject(
            {
                pdf_name("/Type"): pdf_name("/Font"),
                pdf_name("/Subtype"): pdf_name("/Type1"),
                pdf_name("/BaseFont"): pdf_name("/Helvetica"),
            }
        )
    )


def make_pdf(
    path: Path,
    *,
    pages: int = 1,
    text: str = "Shomei test document",
    size_bytes: int | None = None,
    empty_fields: Sequence[str] = (),
    user_password: str | None = None,
) -> Path:
    """Write a simple PDF to ``path`` and return it.

    ``size_bytes`` pads the file up to about that size with an incompressible
    image XObject (so hashing and copying really touch that many bytes).
    ``empty_fields`` adds empty signature fields (on page 1, stacked boxes).
    ``user_password`` encrypts the file (AES-256) with that password.
    """
    writer = PdfFileWriter()
    font = helvetica(writer)
    padding = None
    if size_bytes and size_bytes > 2048:
        raw = os.urandom(size_bytes - 2048)
        width = 1024
        height = len(raw) // width
        padding = writer.add_object(
            generic.StreamObject(
                {
                    pdf_name("/Type"): pdf_name("/XObject"),
                    pdf_name("/Subtype"): pdf_name("/Image"),
                    pdf_name("/Width"): generic.NumberObject(width),
                    pdf_name("/Height"): generic.NumberObject(height),
                    pdf_name("/ColorSpace"): pdf_name("/DeviceGray"),
                    pdf_name("/BitsPerComponent"): generic.NumberObject(8),
                },
                stream_data=raw[: width * height],
            )
        )
    for i in range(pages):
        resources = generic.DictionaryObject(
            {pdf_name("/Font"): generic.DictionaryObject({pdf_name("/F1"): font})}
        )
        extra = b""
        if padding is not None and i == 0:
            resources[pdf_name("/XObject")] = generic.DictionaryObject({pdf_name("/Im0"): padding})
            extra = b"q 16 0 0 16 500 20 cm /Im0 Do Q\n"
        label = text if pages == 1 else f"{text} - page {i + 1}"
        page = PageObject(
            contents=_text_stream(writer, label, extra), media_box=A4, resources=resources
        )
        writer.insert_page(page)
    if empty_fields:
        from pyhanko.sign.fields import SigFieldSpec, append_signature_field

        for n, name in enumerate(empty_fields):
            y = 600 - 90 * n
            append_signature_field(
                writer, SigFieldSpec(sig_field_name=name, on_page=0, box=(72, y, 300, y + 70))
            )
    if user_password is not None:
        writer.encrypt(user_password + "-owner", user_password)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        writer.write(out)
    return path


#: the padding of the ``big_lta`` fixture (tests/conftest.py)
BIG_LTA_PADDING = 2 * 1024 * 1024


def pyhanko_signed(out: Path, p12: Path, password: str) -> Path:
    """A plain pyHanko PAdES signature (field Sig1) on a fresh PDF: the
    raw material tests then damage by hand."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    src = make_pdf(out.with_suffix(".in.pdf"))
    signer = signers.SimpleSigner.load_pkcs12(p12, passphrase=password.encode())
    assert signer is not None
    meta = signers.PdfSignatureMetadata(field_name="Sig1", subfilter=SigSeedSubFilter.PADES)
    with src.open("rb") as inf, out.open("wb") as outf:
        signers.sign_pdf(IncrementalPdfFileWriter(inf), meta, signer=signer, output=outf)
    return out
