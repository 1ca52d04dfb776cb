"""EU qualification end to end with the test PKI: the test CA ('interm') listed
in a trusted list signed in the test, as CA/QC with QCWithQSCD and
ForeSignatures / ForeSeals; then the gaps of pyHanko's assessor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID, ObjectIdentifier

from signing.model.results import Indication, Qualification
from signing.trust.eu import EuTrust, EuTrustConfig
from signing.trust.qualification import (
    describe,
    qualify_certificate,
    qualify_signature_entry,
    qualify_timestamp,
)
from tests.trust_eu_support import QTST, Service, Tlso, build_tl, make_tlso, sign

SIGNED = datetime(2026, 6, 1, tzinfo=UTC)  # best signature time
NOW = datetime(2026, 6, 2, tzinfo=UTC)  # validation time
GRANTED = datetime(2025, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def tlso() -> Tlso:
    return make_tlso("BE TLSO for qualification tests")


@pytest.fixture
def make_trust(tmp_path: Path, tlso: Tlso):  # type: ignore[no-untyped-def]
    """Build an EuTrust holding one BE list with the given services."""
    counter = iter(range(1, 1000))

    def make(services: list[Service], **kw: Any) -> EuTrust:
        trust = EuTrust.open(
            EuTrustConfig(cache_dir=tmp_path / f"c{next(counter)}", snapshot_dir=None)
        )
        data = sign(build_tl("BE", 1, services, **kw), tlso)
        trust.import_list("BE", data, (tlso.der,), now=NOW)
        return trust

    return make


def ca_services(pki: Any, **kw: Any) -> list[Service]:
    ca = pki.cert_der("interm")
    base = {"start": GRANTED, "qualifiers": ["QCWithQSCD"], **kw}
    return [
        Service("Shomei QC for signatures", ca, asi=["ForeSignatures"], **base),
        Service("Shomei QC for seals", ca, asi=["ForeSeals"], **base),
    ]


def chain(pki: Any) -> list[bytes]:
    return [pki.cert_der("interm"), pki.cert_der("root")]


def q(pki: Any, trust: EuTrust, label: str, at: datetime = SIGNED, **kw: Any):  # type: ignore[no-untyped-def]
    return qualify_signature_entry(
        pki.cert_der(label),
        chain(pki),
        kw.pop("indication", Indication.TOTAL_PASSED),
        at,
        trust,
        now=kw.pop("now", NOW),
    )[:2]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("signer-rsa", Qualification.QESIG),
        ("signer-ec", Qualification.QESIG),
        ("seal-rsa", Qualification.QESEAL),
        ("seal-ec", Qualification.QESEAL),
    ],
)
def test_listed_ca_gives_qes_and_qeseal(pki, make_trust, label, expected):
    trust = make_trust(ca_services(pki))
    result, reasons = q(pki, trust, label)
    assert result is expected, reasons
    assert reasons[0].code == "eu-qualification" and "BE" in reasons[0].en
    # the same without the chain: the issuer is found by name and signature
    alone, _, _entry = qualify_signature_entry(
        pki.cert_der(label), [], Indication.TOTAL_PASSED, SIGNED, trust, now=NOW
    )
    assert alone is expected


def test_service_scope_excludes_other_types(pki, make_trust):
    trust = make_trust(ca_services(pki)[:1])  # ForeSignatures only
    result, reasons = q(pki, trust, "seal-rsa")
    assert result is Qualification.ADESEAL
    assert [r.code for r in reasons] == ["eu-type-out-of-scope"]
    assert q(pki, trust, "signer-rsa")[0] is Qualification.QESIG


def test_withdrawn_service_at_signing_time_is_not_qualified(pki, make_trust):
    trust = make_trust(
        ca_services(
            pki,
            status="withdrawn",
            start=datetime(2026, 3, 1, tzinfo=UTC),
            history=[("granted", GRANTED)],
        )
    )
    result, reasons = q(pki, trust, "signer-rsa")
    assert result is Qualification.ADESIG
    assert "eu-service-not-granted" in [r.code for r in reasons]
    # signed during the granted history period (the certificate dates from 2026-01-01)
    earlier, _ = q(pki, trust, "signer-rsa", at=datetime(2026, 2, 1, tzinfo=UTC))
    assert earlier is Qualification.QESIG


def test_service_not_granted_when_the_certificate_was_issued(pki, make_trust):
    later = datetime(2026, 2, 1, tzinfo=UTC)
    trust = make_trust(
        ca_services(pki, start=later, history=[("withdrawn", datetime(2020, 1, 1, tzinfo=UTC))])
    )
    result, reasons = q(pki, trust, "signer-rsa")
    assert result is Qualification.ADESIG
    assert "eu-not-granted-at-issuance" in [r.code for r in reasons]


def test_timestamps_qtst_or_tst(pki, make_trust):
    tsa = pki.cert_der("tsa")
    trust = make_trust(ca_services(pki))
    result, reasons = qualify_timestamp(tsa, [pki.cert_der("root")], SIGNED, trust, now=NOW)
    # no EU list names the TSA or its CA: no EU status at all, not even TST
    assert result is Qualification.NOT_EU_LISTED
    assert [r.code for r in reasons] == ["eu-tsa-not-listed"]
    # the signature it covers stays QES: the signer's rules are not applied to the TSA
    assert q(pki, trust, "signer-rsa")[0] is Qualification.QESIG
    listed = make_trust(
        [*ca_services(pki), Service("Shomei QTST", tsa, type_uri=QTST, start=GRANTED)]
    )
    result, reasons = qualify_timestamp(tsa, [], SIGNED, listed, now=NOW)
    assert result is Qualification.TST  # listed, but the TSU certificate has no QC statements
    assert [r.code for r in reasons] == ["eu-tsa-no-qc-statement"]


def test_ades_indication_caps_the_qualification(pki, make_trust):
    trust = make_trust(ca_services(pki))
    failed, reasons = q(pki, trust, "signer-rsa", indication=Indication.TOTAL_FAILED)
    assert failed is Qualification.NOT_QUALIFIED and reasons[-1].code == "eu-ades-failed"
    indet, reasons = q(pki, trust, "signer-rsa", indication=Indication.INDETERMINATE)
    assert indet is Qualification.INDETERMINATE and "QES" in reasons[-1].en


def test_stale_list_within_and_beyond_grace(pki, make_trust):
    trust = make_trust(ca_services(pki), next_update=datetime(2026, 5, 25, tzinfo=UTC))
    result, reasons = q(pki, trust, "signer-rsa", now=datetime(2026, 5, 30, tzinfo=UTC))
    assert result is Qualification.QESIG and reasons[-1].code == "eu-list-stale-grace"
    result, reasons = q(pki, trust, "signer-rsa", now=datetime(2026, 7, 1, tzinfo=UTC))
    assert result is Qualification.INDETERMINATE and reasons[-1].code == "eu-list-stale"


def test_unknown_critical_extension_makes_the_service_unusable(pki, make_trust):
    services = ca_services(pki)
    services[0].unknown_critical_extension = True
    trust = make_trust(services[:1])
    result, reasons = q(pki, trust, "signer-rsa")
    assert result is Qualification.ADESIG
    assert [r.code for r in reasons] == ["eu-unknown-critical-extension"]


def test_contradictions_are_indeterminate_not_just_logged(pki, make_trust):
    contradictory = make_trust(ca_services(pki, qualifiers=["NotQualified", "QCStatement"])[:1])
    result, reasons = q(pki, contradictory, "signer-rsa")
    assert result is Qualification.INDETERMINATE and reasons[-1].code == "eu-contradiction"
    assert "NotQualifiedとQCStatementの両方" in reasons[-1].ja
    ca = pki.cert_der("interm")
    disagreeing = make_trust(
        [
            Service("A", ca, start=GRANTED, qualifiers=["QCWithQSCD"], asi=["ForeSignatures"]),
            Service("B", ca, start=GRANTED, qualifiers=["QCNoQSCD"], asi=["ForeSignatures"]),
        ]
    )
    result, reasons = q(pki, disagreeing, "signer-rsa")
    assert result is Qualification.INDETERMINATE and "disagree" in reasons[-1].en
    # the Japanese names the services the Japanese way, in Japanese
    assert "A、B" in reasons[-1].ja and "disagree" not in reasons[-1].ja


def test_not_qualified_qualifier_and_no_qscd(pki, make_trust):
    assert q(pki, make_trust(ca_services(pki, qualifiers=["NotQualified"])), "signer-rsa")[0] is (
        Qualification.ADESIG
    )
    no_qscd = make_trust(ca_services(pki, qualifiers=["QCNoQSCD"]))
    result, reasons = q(pki, no_qscd, "seal-rsa")
    assert result is Qualification.ADESEAL_QC and reasons[-1].code == "eu-not-qscd"


def test_unlisted_and_unloaded(pki, make_trust, tmp_path):
    other = make_trust([Service("Someone else", make_tlso("Other CA").der, start=GRANTED)])
    result, reasons = q(pki, other, "signer-rsa")
    # as EU DSS's N/A: a certificate no EU list relates to has no EU category
    assert result is Qualification.NOT_EU_LISTED and reasons[0].code == "eu-not-listed"
    indet, _ = q(pki, other, "signer-rsa", indication=Indication.INDETERMINATE)
    assert indet is Qualification.NOT_EU_LISTED
    empty = EuTrust.open(EuTrustConfig(cache_dir=tmp_path / "empty", snapshot_dir=None))
    assert q(pki, empty, "signer-rsa")[0] is Qualification.NOT_ASSESSED
    assert qualify_signature_entry(
        pki.cert_der("signer-rsa"), [], Indication.TOTAL_PASSED, SIGNED, None
    )[0] is (Qualification.NOT_ASSESSED)


# --- pyHanko's gaps, with certificates made here ---------------------------------


def _qc_cert(
    pki: Any, *, types: list[str], legal: bool = False, sscd: bool = True, foreign: bool = False
) -> bytes:
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign.ades import qualified_asn1

    stmts: list[dict[str, Any]] = [{"statement_id": "qc_compliance"}]
    if sscd:
        stmts.append({"statement_id": "qc_sscd"})
    if types:
        stmts.append({"statement_id": "qc_type", "statement_info": types})
    if foreign:
        stmts.append({"statement_id": "qc_cc_legislation", "statement_info": ["ZZ"]})
    ext = x509.UnrecognizedExtension(
        ObjectIdentifier("1.3.6.1.5.5.7.1.3"), qualified_asn1.QcStatements(stmts).dump()
    )
    issuer = x509.load_der_x509_certificate(pki.cert_der("interm"))
    key = ec.generate_private_key(ec.SECP256R1())
    name = "Shomei Legal Person" if legal else "Shomei Multi Type"
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(issuer.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(datetime(2026, 1, 1, tzinfo=UTC))
        .not_valid_after(datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=900))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), True
        )
        .add_extension(ext, False)
        .sign(pki.private_key("interm"), hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.DER)


def test_several_qc_types_resolved_by_the_list(pki, make_trust):
    from asn1crypto import x509 as ax509
    from pyhanko.sign.validation.qualified.assess import QualificationAssessor

    der = _qc_cert(pki, types=["qct_esign", "qct_eseal"])
    with pytest.raises(NotImplementedError):  # pyHanko's gap
        QualificationAssessor._process_qc_statements(ax509.Certificate.load(der))
    scoped = make_trust(ca_services(pki)[:1])  # ForeSignatures: esign
    result, _, _entry = qualify_signature_entry(
        der, chain(pki), Indication.TOTAL_PASSED, SIGNED, scoped, now=NOW
    )
    assert result is Qualification.QESIG
    unscoped = make_trust(
        [Service("Any QC", pki.cert_der("interm"), start=GRANTED, qualifiers=["QCWithQSCD"])]
    )
    result, reasons, _entry = qualify_signature_entry(
        der, chain(pki), Indication.TOTAL_PASSED, SIGNED, unscoped, now=NOW
    )
    assert result is Qualification.INDETERMINATE and reasons[-1].code == "eu-type-ambiguous"


def test_qc_for_legal_person_is_a_qualified_seal(pki, make_trust):
    der = _qc_cert(pki, types=[], legal=True)
    trust = make_trust(
        [
            Service(
                "Legal persons",
                pki.cert_der("interm"),
                start=GRANTED,
                qualifiers=["QCForLegalPerson", "QCWithSSCD"],
            )
        ]
    )
    status = describe(qualify_certificate(der, chain(pki), SIGNED, trust))
    assert (status["qualified"], status["type"], status["qscd"]) == (True, "eseal", True)
    result, _, _entry = qualify_signature_entry(
        der, chain(pki), Indication.TOTAL_PASSED, SIGNED, trust, now=NOW
    )
    assert result is Qualification.QESEAL


def test_certificate_qualified_under_foreign_legislation_is_not_eu_qualified(pki, make_trust):
    der = _qc_cert(pki, types=["qct_esign"], foreign=True)
    trust = make_trust(ca_services(pki))
    result, reasons, _entry = qualify_signature_entry(
        der, chain(pki), Indication.TOTAL_PASSED, SIGNED, trust, now=NOW
    )
    assert result is Qualification.ADESIG
    assert "eu-foreign-legislation" in [r.code for r in reasons]
    plain = _qc_cert(pki, types=["qct_esign"])
    assert qualify_signature_entry(
        plain, chain(pki), Indication.TOTAL_PASSED, SIGNED, trust, now=NOW
    )[0] is (Qualification.QESIG)


def test_list_criteria_match_oids_written_as_urns() -> None:
    """Lists write policy, DN-attribute and extended-key-usage identifiers as
    ``urn:oid:...`` (Qualifier OIDAsURN) as often as bare OIDs; key usage
    bits in any case. A criterion that never matched let a NotQualified
    qualifier fall silent (a QESig where the list said otherwise)."""
    import dataclasses

    from signing.trust.qualification import _Cert, _matches
    from signing.trust.tl_services import Criteria

    cert = _Cert(
        der=b"",
        subject="",
        issuer_key="",
        subject_key="",
        spki_sha256="",
        not_before=SIGNED,
        qc_compliance=True,
        qc_sscd=True,
        qc_types=(),
        qc_cc_legislation=False,
        key_usage=frozenset({"non_repudiation", "crl_sign"}),
        policies=frozenset({"1.3.6.1.4.1.99999.1.1"}),
        dn_oids=frozenset({"2.5.4.97"}),
        eku=frozenset({"1.3.6.1.5.5.7.3.4"}),
    )
    base = Criteria(assert_="all")
    for criteria in (
        dataclasses.replace(base, policy_sets=(("urn:oid:1.3.6.1.4.1.99999.1.1",),)),
        dataclasses.replace(base, policy_sets=(("URN:OID:1.3.6.1.4.1.99999.1.1",),)),
        dataclasses.replace(base, subject_dn=(("urn:oid:2.5.4.97",),)),
        dataclasses.replace(base, eku=(("urn:oid:1.3.6.1.5.5.7.3.4",),)),
        dataclasses.replace(base, key_usage=((("nonRepudiation", "cRLSign"), ()),)),
    ):
        assert _matches(criteria, cert), criteria
    assert not _matches(dataclasses.replace(base, policy_sets=(("urn:oid:1.2.3",),)), cert)


def test_a_granted_root_does_not_override_its_withdrawn_issuing_ca(pki, make_trust):
    """The issuing CA is listed, withdrawn at the signing time; its root is
    listed too, granted. The issuing service decides (TS 119 615), so the
    signature is not qualified; with only the root listed, the root decides."""
    withdrawn = ca_services(
        pki,
        status="withdrawn",
        start=datetime(2026, 3, 1, tzinfo=UTC),
        history=[("granted", GRANTED)],
    )
    root = [
        Service(
            "Shomei root for signatures",
            pki.cert_der("root"),
            asi=["ForeSignatures"],
            start=GRANTED,
            qualifiers=["QCWithQSCD"],
        )
    ]
    result, reasons = q(pki, make_trust([*withdrawn, *root]), "signer-rsa")
    assert result is Qualification.ADESIG
    assert "eu-service-not-granted" in [r.code for r in reasons]
    assert q(pki, make_trust(root), "signer-rsa")[0] is Qualification.QESIG
