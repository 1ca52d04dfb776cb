"""Verify a downloaded trusted list against the certificates expected to sign it.

This is the only door into the cache: :func:`verify_trust_list` returns a
:class:`VerifiedList` only when the list is safe XML, carries exactly one
XAdES signature covering the whole document, that signature verifies with one
of ``signer_certs`` (pyHanko's XAdES verification through signxml), and the
signed content names the expected territory and list type. It is shared by
the EU lists (LOTL + national lists) and the Japanese list.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from signing.model.reasons import causes
from signing.trust.tl_errors import TrustListFormatError, TrustListSignatureError
from signing.trust.tl_xml import (
    ListHeader,
    check_signature_structure,
    normalise,
    parse_safely,
    read_header,
)

log = logging.getLogger(__name__)

TSL_TYPE_BASE = "http://uri.etsi.org/TrstSvc/TrustedList/TSLType/"
TSL_TYPE_LOTL = TSL_TYPE_BASE + "EUlistofthelists"
TSL_TYPE_EU_GENERIC = TSL_TYPE_BASE + "EUgeneric"


@dataclass(frozen=True)
class VerifiedList:
    """A trusted list whose signature has been checked."""

    header: ListHeader
    #: the bytes as downloaded (what the cache stores)
    raw: bytes
    #: the XML the signature covers (what is parsed for services)
    signed_xml: str
    sha256: str


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verify_trust_list(
    data: bytes,
    signer_certs: Sequence[bytes],
    *,
    validation_time: datetime | None = None,
    expected_territory: str | None = None,
    expected_types: Collection[str] | None = None,
) -> VerifiedList:
    """Check ``data`` and return the verified list.

    :param signer_certs: DER certificates, one of which must have signed the
        list (the pinned LOTL signers, the certificates a verified LOTL names
        for a territory, or the Japanese list's pinned signer).
    :param validation_time: time at which the signer certificate must be
        valid; ``None`` means now. Tests of archived lists pass their date.
    :raises TrustListFormatError: not a safe, well-formed trusted list.
    :raises TrustListSignatureError: signature missing, broken, partial or
        made by an unexpected key.
    """
    from asn1crypto import x509
    from pyhanko.sign.validation.errors import SignatureValidationError

    from signing.thirdparty_internals import verify_trusted_list_signature

    root = parse_safely(data)
    check_signature_structure(root)
    if not signer_certs:
        raise TrustListSignatureError(
            "No signer certificate is known for this trusted list.",
            ja="このトラストリストの署名者の証明書が分かりません。",
        )
    try:
        text = normalise(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TrustListFormatError(
            f"The trusted list is not UTF-8: {exc}",
            ja="トラストリストがUTF-8ではありません。",
        ) from exc
    certs = [x509.Certificate.load(der) for der in signer_certs]
    try:
        signed_xml = verify_trusted_list_signature(text, certs, validation_time)
    except SignatureValidationError as exc:
        sub = getattr(exc.ades_subindication, "name", None)
        cause = causes.list_signature(sub)
        raise TrustListSignatureError(
            f"The trusted list's signature is not valid: {cause.en}.",
            ja=f"トラストリストの署名が有効ではありません：{cause.ja}。",
            technical=exc.failure_message,
        ) from exc
    except Exception as exc:  # signxml/lxml raise assorted types on odd input
        raise TrustListSignatureError(
            "The trusted list's signature could not be checked.",
            ja="トラストリストの署名を確認できませんでした。",
            technical=f"{type(exc).__name__}: {exc}",
        ) from exc
    header = read_header(parse_safely(signed_xml.encode("utf-8")))
    if expected_territory is not None and header.territory != expected_territory.upper():
        raise TrustListFormatError(
            f"Expected the trusted list of {expected_territory}, "
            f"but the list is for {header.territory}.",
            ja=f"{expected_territory}のトラストリストのはずが、{header.territory}のリストでした。",
        )
    if expected_types is not None and header.tsl_type not in expected_types:
        raise TrustListFormatError(
            f"Unexpected trusted-list type {header.tsl_type} "
            f"(expected {', '.join(sorted(expected_types))}).",
            ja=f"想定外のトラストリストの種類です：{header.tsl_type}"
            f"（想定: {'、'.join(sorted(expected_types))}）。",
        )
    return VerifiedList(header=header, raw=data, signed_xml=signed_xml, sha256=sha256_hex(data))


@dataclass(frozen=True)
class TlPointer:
    """A pointer of a verified LOTL to a national list."""

    territory: str
    url: str
    signer_certs: tuple[bytes, ...]
    is_lotl: bool


def lotl_pointers(lotl: VerifiedList) -> tuple[TlPointer, ...]:
    """The pointers named in a verified LOTL's signed content."""
    from pyhanko.sign.validation.qualified import eutl_parse

    result = eutl_parse.parse_lotl_unsafe(lotl.signed_xml)
    for err in result.errors:
        log.warning("LOTL pointer problem: %s", err)
    return tuple(
        TlPointer(
            territory=ref.territory.upper(),
            url=ref.location_uri,
            signer_certs=tuple(bytes(c.dump()) for c in ref.tlso_certs),
            is_lotl=eutl_parse.LOTL_RULE in ref.scheme_rules,
        )
        for ref in result.references
    )
