"""A document timestamp appended in place, the one way signing (B-LTA) and
extension (B-LTA, shomei timestamp) add it, with the sizes both reserve."""

from __future__ import annotations

from typing import Any

from signing.sign.tsa import FailoverTimeStamper

#: buffer for copying and hashing documents
IO_CHUNK = 1 << 20
#: room for one RFC 3161 token (the TSA's certificates included)
TIMESTAMP_ROOM = 12288


def _ts_dss_settings() -> Any:
    from pyhanko.sign.signers.pdf_signer import TimestampDSSContentSettings

    # DSS in the same revision, before the timestamp, so the timestamp covers it.
    return TimestampDSSContentSettings(include_vri=False, update_before_ts=True)


async def add_document_timestamp(
    writer: Any, stamper: FailoverTimeStamper, field_name: str, vc: Any
) -> None:
    """Append a document timestamp in place (``writer`` is over the output)."""
    from pyhanko.sign.signers.pdf_signer import PdfTimeStamper

    await PdfTimeStamper(stamper, field_name=field_name).async_timestamp_pdf(
        writer,
        "sha256",
        validation_context=vc,
        bytes_reserved=2 * TIMESTAMP_ROOM,
        in_place=True,
        dss_settings=_ts_dss_settings(),
        chunk_size=IO_CHUNK,
    )
