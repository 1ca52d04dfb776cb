"""Plain facts about a signer's certificate: who, until when, and whether it
is meant for signatures (natural person) or seals (legal person)."""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from asn1crypto import x509


class CertificatePurpose(enum.Enum):
    """What a certificate says it is for (from QcStatements / key usage)."""

    SIGN = "sign"  # natural person, QcType esign
    SEAL = "seal"  # legal person, QcType eseal
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class CertificateSummary:
    """Plain facts about a certificate, safe to hand to the GUI."""

    subject: str
    issuer: str
    serial_hex: str
    not_before: datetime
    not_after: datetime
    sha256_hex: str
    key_usage: tuple[str, ...] = ()
    qualified: bool = False  # has the QC compliance statement
    qscd: bool = False
    purpose: CertificatePurpose = CertificatePurpose.UNKNOWN
    organisation: str | None = None
    country: str | None = None


# QcType OIDs (ETSI EN 319 412-5) and their asn1crypto names
_QCT_ESIGN = {"qct_esign", "0.4.0.1862.1.6.1"}
_QCT_ESEAL = {"qct_eseal", "0.4.0.1862.1.6.2"}


def _qc_facts(cert: x509.Certificate) -> tuple[bool, bool, set[str]]:
    """(qc-compliance, QSCD, QcTypes) from the QcStatements extension."""
    from pyhanko.sign.ades.qualified_asn1 import get_qc_statements

    compliant = qscd = False
    types: set[str] = set()
    try:
        statements: Any = get_qc_statements(cert)
        for stmt in statements:
            sid = stmt["statement_id"].native
            if sid == "qc_compliance":
                compliant = True
            elif sid == "qc_sscd":
                qscd = True
            elif sid == "qc_type":
                info = stmt["statement_info"]
                for t in info.native or ():
                    types.add(str(t))
    except (ValueError, TypeError, KeyError):
        # A malformed extension says nothing we can rely on.
        return False, False, set()
    return compliant, qscd, types


def _purpose(cert: x509.Certificate, qc_types: set[str]) -> CertificatePurpose:
    if qc_types & _QCT_ESEAL and not qc_types & _QCT_ESIGN:
        return CertificatePurpose.SEAL
    if qc_types & _QCT_ESIGN and not qc_types & _QCT_ESEAL:
        return CertificatePurpose.SIGN
    if qc_types:
        return CertificatePurpose.UNKNOWN
    # No QcType: an organizationIdentifier in the subject marks a legal person.
    subject = cert.subject.native
    if "organization_identifier" in subject:
        return CertificatePurpose.SEAL
    return CertificatePurpose.UNKNOWN


def summarise_certificate(cert: x509.Certificate | bytes) -> CertificateSummary:
    """Summarise an asn1crypto certificate (or its DER bytes)."""
    if isinstance(cert, bytes):
        cert = x509.Certificate.load(cert)
    compliant, qscd, qc_types = _qc_facts(cert)
    key_usage: tuple[str, ...] = ()
    ku = cert.key_usage_value
    if ku is not None:
        key_usage = tuple(sorted(ku.native))
    subject = cert.subject.native
    org = subject.get("organization_name")
    validity = cert["tbs_certificate"]["validity"]
    return CertificateSummary(
        subject=cert.subject.human_friendly,
        issuer=cert.issuer.human_friendly,
        serial_hex=format(cert.serial_number, "x"),
        not_before=validity["not_before"].native,
        not_after=validity["not_after"].native,
        sha256_hex=hashlib.sha256(cert.dump()).hexdigest(),
        key_usage=key_usage,
        qualified=compliant,
        qscd=qscd,
        purpose=_purpose(cert, qc_types),
        organisation=str(org) if org else None,
        country=str(subject["country_name"]) if "country_name" in subject else None,
    )


def common_name(cert: x509.Certificate) -> str:
    """The subject's common name, or its readable form when it has none."""
    cn = cert.subject.native.get("common_name")
    return str(cn) if cn else str(cert.subject.human_friendly)
