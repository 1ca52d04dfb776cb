"""One reading of each certificate fact (signing.certs): the QC statements, the
purpose (sign vs seal) that signing and validation both show, and the
summary built on the validation's certificate facts."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from asn1crypto import x509 as ax509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID, ObjectIdentifier
from pyhanko.sign.ades import qualified_asn1

from signing.certs.qc import QcFacts, qc_facts
from signing.certs.summary import (
    CertificatePurpose,
    certificate_info,
    certificate_purpose,
    signer_kind,
    summarise_certificate,
)
from signing.model.results import CertificateInfo, SignerKind
from tests.self_signed import cert_builder

_KEY = ec.generate_private_key(ec.SECP256R1())
_ORG_ID = ObjectIdentifier("2.5.4.97")  # organizationIdentifier


def _cert(**kwargs: Any) -> ax509.Certificate:
    return ax509.Certificate.load(_der(**kwargs))


def _der(
    *,
    types: tuple[str, ...] = (),
    compliance: bool = True,
    given: str | None = None,
    pseudonym: str | None = None,
    org_id: str | None = None,
    legislation: tuple[str, ...] | None = None,
    raw_qc: bytes | None = None,
) -> bytes:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "BE")]
    if given:
        attrs += [
            x509.NameAttribute(NameOID.GIVEN_NAME, given),
            x509.NameAttribute(NameOID.SURNAME, "Tester"),
        ]
    if pseudonym:
        attrs.append(x509.NameAttribute(NameOID.PSEUDONYM, pseudonym))
    if org_id:
        attrs += [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Shomei Test Company"),
            x509.NameAttribute(_ORG_ID, org_id),
        ]
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, "Subject"))
    name = x509.Name(attrs)
    stmts: list[dict[str, Any]] = [{"statement_id": "qc_compliance"}] if compliance else []
    stmts.append({"statement_id": "qc_sscd"})
    if types:
        stmts.append({"statement_id": "qc_type", "statement_info": list(types)})
    if legislation is not None:
        stmts.append({"statement_id": "qc_cc_legislation", "statement_info": list(legislation)})
    value = raw_qc if raw_qc is not None else qualified_asn1.QcStatements(stmts).dump()
    now = dt.datetime.now(dt.UTC)
    cert = (
        cert_builder(
            _KEY,
            name,
            valid_from=now - dt.timedelta(days=1),
            valid_until=now + dt.timedelta(days=30),
        )
        .add_extension(
            x509.UnrecognizedExtension(ObjectIdentifier("1.3.6.1.5.5.7.1.3"), value), False
        )
        .sign(_KEY, hashes.SHA256())
    )
    return cert.public_bytes(Encoding.DER)


SIGN, SEAL, UNKNOWN = CertificatePurpose.SIGN, CertificatePurpose.SEAL, CertificatePurpose.UNKNOWN


@pytest.mark.parametrize(
    ("kwargs", "purpose"),
    [
        # the QcType decides first (EN 319 412-5)...
        ({"types": ("qct_esign",), "org_id": "VATBE-0123"}, SIGN),
        ({"types": ("qct_eseal",), "given": "Ann"}, SEAL),
        ({"types": ("qct_eseal", "qct_web"), "given": "Ann"}, SEAL),
        # ...then the subject (EN 319 412-2 / -3) when it says neither or both.
        # Changed labels: validation said "legal person" for esign+eseal whatever
        # the subject, signing said "unknown"
        ({"types": ("qct_esign", "qct_eseal"), "given": "Ann"}, SIGN),
        ({"types": ("qct_esign", "qct_eseal"), "org_id": "VATBE-0123"}, SEAL),
        ({"types": ("qct_esign", "qct_eseal")}, UNKNOWN),
        # changed for signing (was "unknown"): a web certificate of an organisation
        ({"types": ("qct_web",), "org_id": "VATBE-0123"}, SEAL),
        # changed for signing (was "unknown"): a person's name, no QcType
        ({"given": "Ann"}, SIGN),
        ({"pseudonym": "Ann42"}, SIGN),
        # changed for signing (was "seal"): a person's certificate naming their
        # organisation (EN 319 412-2 allows organizationIdentifier)
        ({"given": "Ann", "org_id": "VATBE-0123"}, SIGN),
        ({"org_id": "VATBE-0123", "compliance": False}, SEAL),
        ({}, UNKNOWN),
        # a malformed QC extension says nothing: the subject decides
        ({"raw_qc": b"\x30\x03\x02\x01", "given": "Ann"}, SIGN),
        ({"raw_qc": b"\x04\x00", "org_id": "X"}, SEAL),
    ],
)
def test_one_purpose_for_signing_and_validation(kwargs: dict[str, Any], purpose: Any) -> None:
    cert = _cert(**kwargs)
    assert certificate_purpose(cert) is purpose
    assert summarise_certificate(_der(**kwargs)).purpose is purpose
    assert signer_kind(cert) is purpose.signer_kind


def test_purpose_words_match_signer_kind() -> None:
    assert SIGN.signer_kind is SignerKind.NATURAL_PERSON
    assert SEAL.signer_kind is SignerKind.LEGAL_PERSON
    assert UNKNOWN.signer_kind is SignerKind.UNKNOWN


def test_qc_facts_reads_every_statement() -> None:
    qc = qc_facts(_cert(types=("qct_esign", "qct_web"), legislation=("JP", "CH")))
    assert qc == QcFacts(
        compliance=True,
        qscd=True,
        types=("esign", "web"),
        foreign_legislation=True,
        legislation=("JP", "CH"),
    )
    assert qc_facts(_cert(types=("0.4.0.1862.1.6.9",), compliance=False)).types == (
        "0.4.0.1862.1.6.9",
    )
    assert qc_facts(_cert(legislation=())).foreign_legislation


#: a truncated SEQUENCE; a qc_type statement whose info is an INTEGER; not a SEQUENCE
_MALFORMED = [
    b"\x30\x03\x02\x01",
    b"\x30\x0d\x30\x0b\x06\x06\x04\x00\x8e\x46\x01\x06\x02\x01\x01",
    b"\x04\x00",
]


@pytest.mark.parametrize("raw", _MALFORMED)
def test_malformed_qc_statements_read_as_none(raw: bytes) -> None:
    qc = qc_facts(_cert(raw_qc=raw))
    assert qc == QcFacts(readable=False)
    assert not qc.compliance and not qc.qscd and not qc.types


def test_summary_is_the_validation_facts_plus_signing_facts() -> None:
    cert = _cert(types=("qct_eseal",), org_id="VATBE-0123")
    summary = summarise_certificate(cert)
    info = certificate_info(cert)
    assert isinstance(summary, CertificateInfo)
    for name in CertificateInfo.__dataclass_fields__:
        assert getattr(summary, name) == getattr(info, name)
    assert summary.qualified and summary.qscd and summary.purpose is SEAL
    assert summary.organisation == "Shomei Test Company" and summary.country == "BE"


def test_damaged_qc_statements_never_crash_a_reader() -> None:
    """Hostile input: a valid QcStatements value with bytes changed, cut or
    inserted reads as some facts or none, never as an exception."""
    good = qualified_asn1.QcStatements(
        [
            {"statement_id": "qc_compliance"},
            {"statement_id": "qc_type", "statement_info": ["qct_esign"]},
            {"statement_id": "qc_cc_legislation", "statement_info": ["JP"]},
        ]
    ).dump()
    rnd = random.Random(13)
    for _ in range(400):
        damaged = bytearray(good)
        for _ in range(rnd.randint(1, 4)):
            at = rnd.randrange(1, len(damaged))
            op = rnd.random()
            if op < 0.5:
                damaged[at] = rnd.randrange(256)
            elif op < 0.75:
                del damaged[at:]
            else:
                damaged.insert(at, rnd.randrange(256))
        der = _der(raw_qc=bytes(damaged), given="Ann")
        cert = ax509.Certificate.load(der)
        qc = qc_facts(cert)
        assert qc.readable or qc == QcFacts(readable=False)
        assert certificate_purpose(cert) in CertificatePurpose
        assert signer_kind(ax509.Certificate.load(der)) in SignerKind
        assert summarise_certificate(der).sha256_hex
