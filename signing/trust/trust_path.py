"""The path a trust column decided on, as the report shows it.

A column (EU qualification, Japanese status) looks at the signer's certificate
and its issuers; the reader needs to see which certificates those were, up to
the column's anchor, or where the chain stopped ("chain incomplete: issuer …
not found"). Issuers are chosen by signature, never by name alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from signing.certs.summary import certificate_info
from signing.model.results import TrustPath
from signing.trust.jp_status import build_path, signed_by

_DER = Encoding.DER


def trust_path(
    signer_der: bytes,
    validated: Sequence[bytes],
    pool: Sequence[bytes],
    *,
    anchors: Mapping[bytes, str],
) -> TrustPath:
    """The path from ``signer_der`` up.

    :param validated: the validated path above the signer (signer side first); when
        empty, the path is built by signature from ``pool``.
    :param pool: every other certificate at hand (the file's).
    :param anchors: the column's anchors (DER -> tag such as ``eu-tl:BE``); the path
        ends at the first of them.
    """
    signer = x509.load_der_x509_certificate(signer_der)
    if validated:
        certs = [signer, *(x509.load_der_x509_certificate(d) for d in validated)]
    else:
        certs = build_path(signer, [x509.load_der_x509_certificate(d) for d in pool])
    ders = [c.public_bytes(_DER) for c in certs]
    anchor = None
    for i, der in enumerate(ders):
        if der in anchors:
            anchor, ders = anchors[der], ders[: i + 1]
            break
    top = x509.load_der_x509_certificate(ders[-1])
    infos = [asn1_x509.Certificate.load(d) for d in ders]
    missing = None
    if anchor is None and not (top.issuer == top.subject and signed_by(top, top)):
        missing = infos[-1].issuer.human_friendly
    return TrustPath(
        certificates=tuple(certificate_info(c) for c in infos),
        anchor=anchor,
        missing_issuer=missing,
    )


__all__ = ["trust_path"]
