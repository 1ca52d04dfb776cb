"""Plain facts about a certificate: who, until when, and whether it is meant
for signatures (natural person) or seals (legal person).

One builder (:func:`certificate_info`) for what the validation shows of every
certificate; :func:`summarise_certificate` adds what signing needs (key usage,
QC status, purpose) on top of it. One rule (:func:`certificate_purpose`)
decides sign vs seal for both signing and validation."""

from __future__ import annotations

import enum
from dataclasses import dataclass, fields

from asn1crypto import x509

from signing.certs.key_usage import key_usages
from signing.certs.qc import ESEAL, ESIGN, QcFacts, qc_facts
from signing.model.results import CertificateInfo, SignerKind


class CertificatePurpose(enum.Enum):
    """What a certificate says it is for: signatures or seals."""

    SIGN = "sign"  # natural person, QcType esign
    SEAL = "seal"  # legal person, QcType eseal
    UNKNOWN = "unknown"

    @property
    def signer_kind(self) -> SignerKind:
        """The same fact in the validation result's words."""
        return _SIGNER_KIND[self]


_SIGNER_KIND = {
    CertificatePurpose.SIGN: SignerKind.NATURAL_PERSON,
    CertificatePurpose.SEAL: SignerKind.LEGAL_PERSON,
    CertificatePurpose.UNKNOWN: SignerKind.UNKNOWN,
}

#: subject attributes that name a natural person (EN 319 412-2 §4.2.4)
_PERSON_ATTRIBUTES = frozenset({"given_name", "surname", "pseudonym"})


@dataclass(frozen=True)
class CertificateSummary(CertificateInfo):
    """A certificate as signing sees it: :class:`CertificateInfo` plus its key
    usage, QC status and purpose. Safe to hand to the GUI."""

    key_usage: tuple[str, ...] = ()
    qualified: bool = False  # has the QC compliance statement
    qscd: bool = False
    purpose: CertificatePurpose = CertificatePurpose.UNKNOWN


def certificate_purpose(cert: x509.Certificate, qc: QcFacts | None = None) -> CertificatePurpose:
    """Signature or seal, as the standards tell it: the QcType first (EN 319
    412-5: esign, eseal), then, when it says neither or both, the subject's
    attributes: a given name, surname or pseudonym names a natural person (EN
    319 412-2), an organizationIdentifier without them a legal person (EN 319
    412-3; a person's certificate may also name their organisation)."""
    qc = qc_facts(cert) if qc is None else qc
    esign, eseal = ESIGN in qc.types, ESEAL in qc.types
    if esign != eseal:
        return CertificatePurpose.SIGN if esign else CertificatePurpose.SEAL
    try:
        subject = cert.subject.native
    except (ValueError, TypeError, KeyError):
        return CertificatePurpose.UNKNOWN
    if _PERSON_ATTRIBUTES & subject.keys():
        return CertificatePurpose.SIGN
    if "organization_identifier" in subject:
        return CertificatePurpose.SEAL
    return CertificatePurpose.UNKNOWN


def signer_kind(cert: x509.Certificate) -> SignerKind:
    """:func:`certificate_purpose` in the validation result's words."""
    return certificate_purpose(cert).signer_kind


def _name_part(name: x509.Name, key: str) -> str | None:
    try:
        value = name.native.get(key)
    except (ValueError, TypeError, KeyError):
        return None
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return str(value) if value is not None else None


def key_description(cert: x509.Certificate) -> str | None:
    """The key's algorithm and size: "RSA-2048", "ECDSA secp256r1"..."""
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
    """What a report shows of a certificate."""
    tbs = cert["tbs_certificate"]
    validity = tbs["validity"]
    serial = tbs["serial_number"].native
    serial_hex = format(serial, "x") if serial >= 0 else "-" + format(-serial, "x")
    return CertificateInfo(
        subject=cert.subject.human_friendly,
        issuer=cert.issuer.human_friendly,
        serial_hex=serial_hex,
        not_before=validity["not_before"].native,
        not_after=validity["not_after"].native,
        sha256_hex=cert.sha256.hex(),
        common_name=_name_part(cert.subject, "common_name"),
        organisation=_name_part(cert.subject, "organization_name"),
        country=_name_part(cert.subject, "country_name"),
        key_algorithm=key_description(cert),
        trust_source=trust_source,
        der=cert.dump(),
    )


def summarise_certificate(cert: x509.Certificate | bytes) -> CertificateSummary:
    """Summarise an asn1crypto certificate (or its DER bytes) for signing."""
    if isinstance(cert, bytes):
        cert = x509.Certificate.load(cert)
    info = certificate_info(cert)
    qc = qc_facts(cert)
    usages = key_usages(cert)
    return CertificateSummary(
        **{f.name: getattr(info, f.name) for f in fields(info)},
        key_usage=tuple(sorted(usages or ())),
        qualified=qc.compliance,
        qscd=qc.qscd,
        purpose=certificate_purpose(cert, qc),
    )


def common_name(cert: x509.Certificate) -> str:
    """The subject's common name, or its readable form when it has none."""
    cn = cert.subject.native.get("common_name")
    return str(cn) if cn else str(cert.subject.human_friendly)
