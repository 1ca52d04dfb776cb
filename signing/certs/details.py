"""What a certificate viewer shows beyond :class:`CertificateInfo`: key usage,
extended key usage, certificate policies, QC statements, whether it is a CA
or self-signed, and its PEM form for export.

Read from the DER a validation result carries (``CertificateInfo.der``), so
that the facts are those of the certificate the validation used. A damaged
extension reads as absent (``readable`` False for the QC statements), never
as a crash: the viewer opens on whatever a hostile file brought."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from asn1crypto import x509

from signing.certs.key_usage import key_usages
from signing.certs.qc import qc_facts
from signing.errors import CertificateError

#: ETSI and EU policy OIDs a reader recognises by name (EN 319 411-1/-2)
POLICY_NAMES = {
    "0.4.0.194112.1.0": "QCP-n",
    "0.4.0.194112.1.1": "QCP-l",
    "0.4.0.194112.1.2": "QCP-n-qscd",
    "0.4.0.194112.1.3": "QCP-l-qscd",
    "0.4.0.194112.1.4": "QCP-w",
    "0.4.0.2042.1.1": "NCP",
    "0.4.0.2042.1.2": "NCP+",
    "0.4.0.2042.1.3": "LCP",
    "0.4.0.2042.1.4": "EVCP",
    "0.4.0.2042.1.7": "OVCP",
    "0.4.0.2042.1.6": "DVCP",
    "0.4.0.1456.1.1": "QCP (1999/93)",
    "0.4.0.1456.1.2": "QCP+ (1999/93)",
    "2.23.140.1.2.1": "CA/B DV",
    "2.23.140.1.2.2": "CA/B OV",
    "2.5.29.32.0": "anyPolicy",
}


@dataclass(frozen=True)
class CertificatePolicy:
    """One certificate policy: its OID and, when it is a well-known one, its
    short name ("QCP-n-qscd")."""

    oid: str
    name: str | None = None


@dataclass(frozen=True)
class CertificateDetails:
    """The extensions a reader checks, as plain values."""

    #: key usage bits (asn1crypto names: "digital_signature",
    #: "non_repudiation", ...); ``None`` without the extension
    key_usage: tuple[str, ...] | None
    #: extended key usages (names such as "time_stamping", else dotted OIDs);
    #: ``None`` without the extension
    extended_key_usage: tuple[str, ...] | None
    policies: tuple[CertificatePolicy, ...]
    #: QC statements (EN 319 412-5)
    qc_compliance: bool
    qc_qscd: bool
    #: "esign", "eseal", "web" or a dotted OID
    qc_types: tuple[str, ...]
    #: the countries whose law it is qualified under, when not the EU's
    qc_legislation: tuple[str, ...]
    #: False when the QC statements extension is present but cannot be read
    qc_readable: bool
    is_ca: bool
    self_signed: bool


def certificate_details(der: bytes) -> CertificateDetails:
    """The details of the certificate ``der``; :class:`CertificateError` when
    the bytes are not a readable certificate."""
    try:
        cert = x509.Certificate.load(der)
        cert.native  # noqa: B018 (parse it whole now: a damaged one fails here)
    except (ValueError, TypeError, KeyError) as exc:
        raise CertificateError(
            "This certificate cannot be read.",
            ja="この証明書を読み取れません。",
        ) from exc
    usages = key_usages(cert)
    qc = qc_facts(cert)
    return CertificateDetails(
        key_usage=tuple(sorted(usages)) if usages is not None else None,
        extended_key_usage=_eku(cert),
        policies=_policies(cert),
        qc_compliance=qc.compliance,
        qc_qscd=qc.qscd,
        qc_types=qc.types,
        qc_legislation=qc.legislation,
        qc_readable=qc.readable,
        is_ca=_is_ca(cert),
        self_signed=_self_issued(cert),
    )


def certificate_pem(der: bytes) -> bytes:
    """``der`` as a PEM block (RFC 7468), for export and for a trust file."""
    body = base64.encodebytes(der).replace(b"\n", b"")
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return b"-----BEGIN CERTIFICATE-----\n" + b"\n".join(lines) + b"\n-----END CERTIFICATE-----\n"


def _eku(cert: x509.Certificate) -> tuple[str, ...] | None:
    try:
        value = cert.extended_key_usage_value
        return tuple(str(p.native) for p in value) if value is not None else None
    except (ValueError, TypeError, KeyError):
        return None


def _policies(cert: x509.Certificate) -> tuple[CertificatePolicy, ...]:
    try:
        value = cert.certificate_policies_value
        oids = [p["policy_identifier"].dotted for p in value or ()]
    except (ValueError, TypeError, KeyError):
        return ()
    return tuple(CertificatePolicy(oid, POLICY_NAMES.get(oid)) for oid in oids)


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.ca)
    except (ValueError, TypeError, KeyError):
        return False


def _self_issued(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.self_issued)
    except (ValueError, TypeError, KeyError):
        return False
