"""Check a freshly written output before reporting success: the new
signature (or document timestamp) is intact, and the file's last entry covers
the whole file, so nothing was cut or appended on the way to disk."""

from __future__ import annotations

import hashlib
from typing import IO, Any

from .errors import SigningError


def _find(reader: Any, field_name: str) -> Any:
    for sig in reader.embedded_signatures:
        if sig.field_name == field_name:
            return sig
    raise SigningError(f"The written file lacks the new signature {field_name!r}.")


def _intact(sig: Any) -> bool:
    from pyhanko.sign.validation.generic_cms import validate_sig_integrity

    eci = sig.signed_data["encap_content_info"]
    content_type = eci["content_type"].native
    if content_type == "tst_info":
        # A document timestamp: the token signs the TSTInfo, whose message
        # imprint is the document's hash.
        imprint = eci["content"].parsed["message_imprint"]["hashed_message"].native
        if imprint != sig.compute_digest():
            return False
        digest = hashlib.new(sig.md_algorithm, bytes(eci["content"].contents)).digest()
    else:
        digest = sig.compute_digest()
    intact, valid = validate_sig_integrity(
        sig.signer_info,
        sig.signer_cert,
        expected_content_type=content_type,
        actual_digest=digest,
    )
    return bool(intact and valid)


def _open(stream: IO[bytes], credential: Any) -> Any:
    from pyhanko.pdf_utils.reader import PdfFileReader

    stream.seek(0)
    reader = PdfFileReader(stream, strict=False)
    if reader.encrypted and credential is not None:
        reader.security_handler.authenticate(credential)
    return reader


def verify_output(stream: IO[bytes], field_name: str, credential: Any = None) -> None:
    """Raise :class:`SigningError` unless ``field_name``'s signature in the
    file open on ``stream`` is intact and the last revision is signed whole.
    """
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    reader = _open(stream, credential)
    sig = _find(reader, field_name)
    if not _intact(sig):
        raise SigningError("The signature just written does not verify; nothing was saved.")
    if sig.evaluate_signature_coverage() < SignatureCoverageLevel.ENTIRE_REVISION:
        raise SigningError("The signature just written does not cover its revision.")
    last = reader.embedded_signatures[-1]
    if last is not sig and not _intact(last):
        raise SigningError("The document timestamp just written does not verify.")
    if last.evaluate_signature_coverage() != SignatureCoverageLevel.ENTIRE_FILE:
        raise SigningError("The written file has data after its last signature; nothing was saved.")
    stream.seek(0)


def verify_signatures_intact(stream: IO[bytes], expected: int, credential: Any = None) -> None:
    """After an update that adds no signature (a DSS revision): every one of
    the ``expected`` earlier signatures is still there and intact."""
    reader = _open(stream, credential)
    sigs = reader.embedded_signatures
    if len(sigs) != expected or not all(_intact(s) for s in sigs):
        raise SigningError("The written file's signatures do not verify; nothing was saved.")
    stream.seek(0)
