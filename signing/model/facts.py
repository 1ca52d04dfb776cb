"""Plain facts about certificates and CMS signatures, for the result model."""

from __future__ import annotations

from datetime import datetime

# QcStatements must be registered with asn1crypto before we read them.
import pyhanko.sign.ades.qualified_asn1  # noqa: F401
from asn1crypto import cms, core, x509

from signing.model.results import CertificateInfo, SignerKind


def _name_part(name: x509.Name, key: str) -> str | None:
    try:
        value = name.native.get(key)
    except (ValueError, TypeError, KeyError):
        return None
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return str(value) if value is not None else None


def key_description(cert: x509.Certificate) -> str | None:
    try:
        key = cert.public_key
        algo = key.algorithm
        if algo == "rsa":
            return f"RSA-{key.bit_size}"
        if algo == "ec":
            return f"ECDSA {key.curve[1]}"
        return str(algo).upper()
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def certificate_info(cert: x509.Certificate, trust_source: str | None = None) -> CertificateInfo:
    tbs = cert["tbs_certificate"]
    validity = tbs["validity"]
    serial = tbs["serial_number"].native
    serial_hex = format(serial, "x") if serial >= 0 else "-" + format(-serial, "x")
    not_before: datetime = validity["not_before"].native
    not_after: datetime = validity["not_after"].native
    return CertificateInfo(
        subject=cert.subject.human_friendly,
        issuer=cert.issuer.human_friendly,
        serial_hex=serial_hex,
        not_before=not_before,
        not_after=not_after,
        sha256_hex=cert.sha256.hex(),
        common_name=_name_part(cert.subject, "common_name"),
        organisation=_name_part(cert.subject, "organization_name"),
        country=_name_part(cert.subject, "country_name"),
        key_algorithm=key_description(cert),
        trust_source=trust_source,
    )


def signer_kind(cert: x509.Certificate) -> SignerKind:
    """Natural person (signature) or legal person (seal): QcType first, then
    the subject's shape."""
    try:
        for ext in cert["tbs_certificate"]["extensions"]:
            if ext["extn_id"].native != "qc_statements":
                continue
            for stmt in ext["extn_value"].parsed:
                if stmt["statement_id"].native != "qc_type":
                    continue
                types = stmt["statement_info"].native or []
                if "qct_eseal" in types:
                    return SignerKind.LEGAL_PERSON
                if "qct_esign" in types:
                    return SignerKind.NATURAL_PERSON
    except (ValueError, TypeError, KeyError, AttributeError):
        pass
    subject = cert.subject.native
    if "given_name" in subject or "surname" in subject or "pseudonym" in subject:
        return SignerKind.NATURAL_PERSON
    if "organization_identifier" in subject:
        return SignerKind.LEGAL_PERSON
    return SignerKind.UNKNOWN


def digest_algorithm(signer_info: cms.SignerInfo) -> str | None:
    try:
        return str(signer_info["digest_algorithm"]["algorithm"].native)
    except (ValueError, KeyError):
        return None


def signature_algorithm(signer_info: cms.SignerInfo) -> str | None:
    try:
        return str(signer_info["signature_algorithm"].signature_algo)
    except (ValueError, KeyError):
        try:
            return str(signer_info["signature_algorithm"]["algorithm"].native)
        except (ValueError, KeyError):
            return None


def signature_timestamp_tokens(signer_info: cms.SignerInfo) -> list[cms.ContentInfo]:
    tokens: list[cms.ContentInfo] = []
    unsigned = signer_info["unsigned_attrs"]
    if isinstance(unsigned, core.Void):
        return tokens
    for attr in unsigned:
        if attr["type"].native == "signature_time_stamp_token":
            tokens.extend(attr["values"])
    return tokens
