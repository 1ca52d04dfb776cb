"""Real trusted lists and certificates from ../shared/corpus/eu (MANIFEST.tsv):
every real list verifies at its own time, every broken one is refused with the
stated error, and the real certificates get their expected qualification."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from signing.model.results import Indication, Qualification
from signing.trust.eu import LOTL_KEY, EuTrust, EuTrustConfig, load_pem_certs
from signing.trust.qualification import (
    describe,
    qualify_certificate,
    qualify_signature_entry,
    qualify_timestamp,
)
from signing.trust.tl_errors import (
    TrustListError,
    TrustListFormatError,
    TrustListSignatureError,
)
from signing.trust.tl_update import claimed_issue_time
from signing.trust.tl_verify import VerifiedList, lotl_pointers, verify_trust_list
from tests.conftest import need

T2019 = datetime(2019, 9, 5, tzinfo=UTC)
T2025 = datetime(2025, 8, 6, tzinfo=UTC)
TERRITORIES_2019 = tuple(
    "AT BE BG CY CZ DK EL ES FI FR HR HU IE IS IT LI LT LU LV MT NL NO PL PT SE SI SK UK".split()  # noqa: SIM905
)


@pytest.fixture(scope="module")
def eu(shared_dir: Path) -> Path:
    return shared_dir / "corpus" / "eu"


def certs(eu: Path, name: str) -> tuple[bytes, ...]:
    return load_pem_certs((eu / "certs" / name).read_bytes())


def tl(eu: Path, name: str) -> bytes:
    return (eu / "tl" / name).read_bytes()


def verify(eu: Path, name: str, signers: tuple[bytes, ...], at: datetime | None = None, **kw):  # type: ignore[no-untyped-def]
    data = tl(eu, name)
    return verify_trust_list(data, signers, validation_time=at or claimed_issue_time(data), **kw)


def pointer(lotl: VerifiedList, territory: str, *, lotl_self: bool = False) -> tuple[bytes, ...]:
    for p in lotl_pointers(lotl):
        if p.territory == territory and p.is_lotl == lotl_self:
            return p.signer_certs
    raise AssertionError(f"no pointer for {territory}")


def lotl_self(lotl: VerifiedList) -> tuple[bytes, ...]:
    return next(p.signer_certs for p in lotl_pointers(lotl) if p.is_lotl)


def test_lotl_388_and_its_national_lists(eu):
    lotl = verify(
        eu, "pyhanko__eu-lotl-seq388-v6.xml", certs(eu, "pyhanko__lotl-signers-OJ-C2026-1944.pem")
    )
    assert (lotl.header.sequence, lotl.header.version) == (388, 6)
    assert len([p for p in lotl_pointers(lotl) if not p.is_lotl]) == 31
    be = verify(eu, "pyhanko__tsl-be-v6-seq81.xml", pointer(lotl, "BE"), expected_territory="BE")
    assert (be.header.sequence, be.header.service_count) == (81, 135)
    ee = verify(eu, "pyhanko__tsl-ee-v5-seq68.xml", pointer(lotl, "EE"), expected_territory="EE")
    assert ee.header.sequence == 68
    with pytest.raises(TrustListFormatError):  # right signer, wrong territory
        verify(eu, "pyhanko__tsl-ee-v5-seq68.xml", pointer(lotl, "EE"), expected_territory="BE")


def test_pyhanko_pivot_chain_from_oj_2019_reaches_the_pre_reanchor_set(eu):
    current = certs(eu, "pyhanko__lotl-signers-OJ-C276-2019.pem")
    for seq in (282, 300, 335, 341):
        pivot = verify(eu, f"pyhanko__eu-lotl-pivot-{seq}.xml", current)
        assert pivot.header.sequence == seq
        current = lotl_self(pivot)
    assert set(current) == set(certs(eu, "pyhanko__lotl-signers-pre-reanchor.pem"))
    assert verify(eu, "pyhanko__eu-lotl-seq369-v5.xml", current).header.sequence == 369


def test_dss_pivot_chain_172_to_248(eu):
    current = certs(eu, "dss__TLValidationJobTest__pivotSigningCertificate.cer")
    for seq in (172, 191, 226, 247):
        pivot = verify(eu, f"dss__lotl-pivot-{seq}.xml", current)
        assert pivot.header.sequence == seq
        if seq == 247:
            for variant in ("with-bom", "with-spaces"):
                assert (
                    verify(eu, f"dss__lotl-pivot-247-{variant}.xml", current).header.sequence == 247
                )
            with pytest.raises(TrustListSignatureError):
                verify(eu, "dss__lotl-pivot-247-missing-pivot.xml", current)
        if seq == 191:
            with pytest.raises(TrustListSignatureError):
                verify(eu, "dss__lotl-pivot-191-broken-sig.xml", current)
        current = lotl_self(pivot)
    assert verify(eu, "dss__lotl-seq248.xml", current, T2019).header.sequence == 248


def test_2019_snapshot_loads_every_national_list(eu, tmp_path):
    trust = EuTrust.open(
        EuTrustConfig(cache_dir=tmp_path, snapshot_dir=None, validation_time=T2019)
    )
    trust.import_list(
        LOTL_KEY,
        tl(eu, "dss__lotl-seq248.xml"),
        certs(eu, "pyhanko__lotl-signers-OJ-C276-2019.pem"),
    )
    for territory in TERRITORIES_2019:
        state = trust.import_list(territory, tl(eu, f"dss__tl-2019-{territory}.xml"), reload=False)
        assert state.territory == territory and state.sequence is not None
    trust.reload()
    status = {s.key: s for s in trust.status(T2019)}
    assert status[LOTL_KEY].sequence == 248
    assert all(status[t].sequence is not None for t in TERRITORIES_2019)
    assert status["DE"].sequence is None  # not in the corpus
    assert status["CZ"].service_count == 133
    assert trust.service_count() > 1500
    # the same material again, from the warm index only
    warm = EuTrust.open(EuTrustConfig(cache_dir=tmp_path, snapshot_dir=None))
    assert warm.service_count() == trust.service_count()
    assert len(warm.anchors()) == len(trust.anchors()) > 1000


LOTL_248_SIGNER = "pyhanko__lotl-signers-OJ-C276-2019.pem"


@pytest.mark.parametrize(
    ("name", "error", "detail"),
    [
        ("dss__lotl-seq248-broken-sig.xml", TrustListSignatureError, "not valid"),
        ("dss__lotl-seq248-not-parsable.xml", TrustListFormatError, "not well-formed"),
        ("dss__lotl-seq248-non-compliant.xml", TrustListSignatureError, "not valid"),
    ],
)
def test_broken_lotls_are_refused(eu, name, error, detail):
    with pytest.raises(error, match=detail):
        verify(eu, name, certs(eu, LOTL_248_SIGNER), T2019)
    assert verify(eu, "dss__lotl-seq248-no-xml-declaration.xml", certs(eu, LOTL_248_SIGNER), T2019)


@pytest.mark.parametrize(
    ("name", "error", "detail"),
    [
        ("dss__tl-2019-CZ-broken-sig.xml", TrustListSignatureError, "not valid"),
        (
            "dss__tl-2019-CZ-no-sig.xml",
            TrustListSignatureError,
            r"exactly one signature \(found 0\)",
        ),
        (
            "dss__tl-2019-CZ-two-sigs.xml",
            TrustListSignatureError,
            r"exactly one signature \(found 2\)",
        ),
        ("dss__tl-2019-CZ-not-compliant.xml", TrustListSignatureError, "not valid"),
        ("dss__tl-2019-CZ-empty.xml", TrustListFormatError, "empty"),
    ],
)
def test_broken_cz_lists_are_refused(eu, name, error, detail):
    signer = certs(eu, "dss__TLValidationJobTest__czSigningCertificate.cer")
    assert verify(eu, "dss__tl-2019-CZ.xml", signer, T2019).header.territory == "CZ"
    with pytest.raises(error, match=detail):
        verify(eu, name, signer, T2019)


def test_sk_and_dk_lists_against_their_signers(eu):
    sk = certs(eu, "dss__SKCertificateTest__TL_ISSUER.cer")
    assert verify(eu, "dss__tl-SK-seq95.xml", sk).header.sequence == 95
    for altered in (
        "dss__tl-SK-seq95-altered-tsp.xml",
        "dss__tl-SK-seq95-altered-trust-service.xml",
    ):
        with pytest.raises(TrustListSignatureError):
            verify(eu, altered, sk)
    assert verify(
        eu, "dss__tl-DK-seq21.xml", certs(eu, "dss__DKCertificateTest__PREVIOUS_SIG_CERT.cer")
    )
    for wrong in ("EXPECTED_SIG_CERT", "WRONG"):
        with pytest.raises(TrustListSignatureError):
            verify(eu, "dss__tl-DK-seq21.xml", certs(eu, f"dss__DKCertificateTest__{wrong}.cer"))
    with pytest.raises(TrustListSignatureError):  # the BE TLSO did not sign the EE list
        verify(eu, "pyhanko__tsl-ee-v5-seq68.xml", certs(eu, "pyhanko__BE_TLSO_CERT.cer"))


def _embedded_signer(data: bytes) -> tuple[bytes, ...]:
    text = data.decode("utf-8-sig")
    m = re.search(r"KeyInfo.*?X509Certificate>([^<]*)<", text, re.S)
    assert m
    return (base64.b64decode("".join(m.group(1).split())),)


def test_signature_wrapping_is_refused(eu):
    original = tl(eu, "dss__xsw-tl-SK-original.xml")
    signer = _embedded_signer(original)
    at = claimed_issue_time(original)
    assert verify_trust_list(original, signer, validation_time=at).header.sequence == 45
    with pytest.raises(TrustListSignatureError, match="does not cover the whole"):
        verify_trust_list(tl(eu, "dss__xsw-tl-SK-fake-content.xml"), signer, validation_time=at)
    with pytest.raises(TrustListSignatureError, match="duplicated Id"):
        verify_trust_list(
            tl(eu, "dss__xsw-tl-SK-fake-content-two-same-id.xml"), signer, validation_time=at
        )
    lotl = verify(eu, "dss__lotl-seq248.xml", certs(eu, LOTL_248_SIGNER), T2019)
    assert verify(eu, "dss__xsw-tl-CY-sign.xml", pointer(lotl, "CY")).header.sequence == 28


def test_fi_v5_and_v6_structures_and_ecdsa_brainpool(eu):
    for name, version in (("dss__tl-FI-v5.xml", 5), ("dss__tl-FI-v6.xml", 6)):
        data = tl(eu, name)
        vl = verify_trust_list(
            data, _embedded_signer(data), validation_time=claimed_issue_time(data)
        )
        assert (vl.header.territory, vl.header.version, vl.header.sequence) == ("FI", version, 49)
    signer = certs(eu, "dss__TLValidationJobTest__ecdsaTLSigner.cer")
    gematik = verify(
        eu, "dss__tl-gematik-ecdsa-brainpool.xml", signer, datetime(2024, 1, 1, tzinfo=UTC)
    )
    assert gematik.header.tsl_type.endswith("/TSLType/generic") or gematik.header.version == 3


def test_mra_and_estonian_test_lotls(eu):
    mra = verify(
        eu, "dss__mra-lotl.xml", certs(eu, "dss__ThirdCountryLOTLTest__cert0-ZZ-LOTL-signer.cer")
    )
    zz_ptr = next(p for p in lotl_pointers(mra) if "mra_tl_zz" in p.url)
    zz = verify(eu, "dss__mra-zz-tl.xml", zz_ptr.signer_certs)
    assert (zz.header.territory, zz.header.tsl_type.rsplit("/", 1)[1]) == ("ZZ", "ZZlist")
    test_lotl = verify(
        eu, "open-eid__tl-mp-test-EE.xml", certs(eu, "open-eid__trusted-test-tsl.crt")
    )
    assert test_lotl.header.sequence == 7
    ee_t = verify(eu, "open-eid__EE_T.xml", pointer(test_lotl, "EE_T"))
    assert ee_t.header.sequence == 34


# --- real certificates ----------------------------------------------------------


@pytest.fixture(scope="module")
def be74(eu, tmp_path_factory) -> EuTrust:
    trust = EuTrust.open(
        EuTrustConfig(cache_dir=tmp_path_factory.mktemp("be74"), snapshot_dir=None)
    )
    trust.import_list(
        "BE",
        tl(eu, "pyhanko__tsl-be-v5-seq74.xml"),
        certs(eu, "pyhanko__BE_TLSO_CERT.cer"),
        validation_time=datetime(2025, 6, 1, tzinfo=UTC),
    )
    return trust


@pytest.fixture(scope="module")
def ee68(eu, tmp_path_factory) -> EuTrust:
    trust = EuTrust.open(
        EuTrustConfig(cache_dir=tmp_path_factory.mktemp("ee68"), snapshot_dir=None)
    )
    trust.import_list(
        LOTL_KEY,
        tl(eu, "pyhanko__eu-lotl-seq388-v6.xml"),
        certs(eu, "pyhanko__lotl-signers-OJ-C2026-1944.pem"),
    )
    trust.import_list("EE", tl(eu, "pyhanko__tsl-ee-v5-seq68.xml"))
    return trust


def test_itsme_certificate_is_qualified_on_qscd(eu, be74):
    cert = (eu / "certs" / "pyhanko__real-qcert.cer").read_bytes()
    status = describe(qualify_certificate(cert, [], T2025, be74))
    assert status == {
        "qualified": True,
        "type": "esign",
        "qscd": True,
        "service": "itsme Sign Issuing CA G2x",
        "territory": "BE",
        "status": "granted",
    }
    q, reasons, _entry = qualify_signature_entry(
        cert, [], Indication.TOTAL_PASSED, T2025, be74, now=T2025
    )
    assert q is Qualification.QESIG
    assert [r.code for r in reasons] == ["eu-qualification", "eu-list-stale-grace"]
    # the same list a month later is stale beyond the grace period
    q, reasons, _entry = qualify_signature_entry(
        cert, [], Indication.TOTAL_PASSED, T2025, be74, now=datetime(2025, 9, 30, tzinfo=UTC)
    )
    assert q is Qualification.INDETERMINATE and reasons[-1].code == "eu-list-stale"


def test_bosa_tsu_gives_qualified_timestamps(eu, be74):
    tsa = (eu / "certs" / "pyhanko__real-qtst-cert.cer").read_bytes()
    q, reasons = qualify_timestamp(tsa, [], T2025, be74, now=T2025)
    assert q is Qualification.QTST, reasons
    assert reasons[0].code == "eu-qualification"


def test_sk_tsu_without_qc_statements_is_listed_but_not_qualified(eu, ee68):
    tsa = (eu / "certs" / "pyhanko__real-misissued-qtst-cert.cer").read_bytes()
    q, reasons = qualify_timestamp(tsa, [], T2025, ee68, now=T2025)
    assert q is Qualification.TST
    assert [r.code for r in reasons] == ["eu-tsa-no-qc-statement"]


def _pdf_signer(path: Path) -> tuple[bytes, list[bytes], datetime]:
    return _pdf_signers(path)[0]


def _pdf_signers(path: Path) -> list[tuple[bytes, list[bytes], datetime]]:
    """Signer, embedded certificates and claimed time of each signature
    (RFC 3161 tokens stored in /Sig dictionaries are skipped)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    out = []
    with path.open("rb") as fh:
        for sig in PdfFileReader(fh).embedded_signatures:
            if sig.sig_object.get("/SubFilter") == "/ETSI.RFC3161":
                continue
            when = sig.self_reported_timestamp
            assert when is not None
            out.append((sig.signer_cert.dump(), [c.dump() for c in sig.other_embedded_certs], when))
    return out


@pytest.fixture(scope="module")
def ee_test(eu, tmp_path_factory) -> EuTrust:
    """The Estonian TEST LOTL and its EE_T list (SiVa's test profile)."""
    need(eu / "tl" / "open-eid__tl-mp-test-EE.xml", eu / "tl" / "open-eid__EE_T.xml")
    need(eu / "certs" / "open-eid__trusted-test-tsl.crt")
    trust = EuTrust.open(EuTrustConfig(cache_dir=tmp_path_factory.mktemp("eet"), snapshot_dir=None))
    trust.import_list(
        LOTL_KEY, tl(eu, "open-eid__tl-mp-test-EE.xml"), certs(eu, "open-eid__trusted-test-tsl.crt")
    )
    trust.import_list("EE_T", tl(eu, "open-eid__EE_T.xml"))
    return trust


# every SiVa PDF the manifest marks QESIG (or INDETERMINATE_QESIG), with the
# trust source it names: the real EE list or the EE TEST list
SIVA = [
    ("siva__hellopades-pades-lt-sha256-sign.pdf", "real", True),
    ("siva__pades-baseline-lta-live-aj.pdf", "real", True),
    ("siva__hellopades-lt1-lt2-Serial.pdf", "test", True),
    ("siva__pades_lt_two_valid_sig.pdf", "real", True),
    ("siva__reason_and_location_Test.pdf", "test", True),
    ("siva__hellopades-lt-sha512.pdf", "real", True),
    ("siva__hellopades-lt-sha1.pdf", "real", True),
    ("siva__hellopades-lt-sha256-rsa1024.pdf", "test", True),
    ("siva__hellopades-lt-sha256-rsa2047.pdf", "test", True),
    ("siva__hellopades-lt-sha256-rsa2048-7d.pdf", "test", True),
    ("siva__hellopades-lt-sha256-ocsp-15min1s.pdf", "real", True),
    ("siva__hellopades-lt-sha256-ec224.pdf", "test", False),  # INDETERMINATE_QESIG
    ("siva__pades_lt_revoked.pdf", "real", False),  # INDETERMINATE_QESIG
]


@pytest.mark.parametrize(("pdf", "source", "passed"), SIVA, ids=[x[0] for x in SIVA])
def test_estonian_signatures_are_qesig(eu, ee68, request, pdf, source, passed):
    """Most of them were made before eIDAS, under the "undersupervision"
    status of ESTEID-SK / KLASS3-SK, which pyHanko's parser drops."""
    # the TEST list only for the rows that use it (its files are GPL: maybe absent)
    trust = ee68 if source == "real" else request.getfixturevalue("ee_test")
    signatures = _pdf_signers(eu / "pdf" / pdf)
    assert signatures
    for signer, chain, claimed in signatures:
        status = describe(qualify_certificate(signer, chain, claimed, trust))
        assert status["qualified"] and status["type"] == "esign", status
        indication = Indication.TOTAL_PASSED if passed else Indication.INDETERMINATE
        q, reasons, _entry = qualify_signature_entry(
            signer, chain, indication, claimed, trust, now=T2025
        )
        if passed:
            assert q is Qualification.QESIG, reasons
        else:
            assert q is Qualification.INDETERMINATE and reasons[-1].code == "eu-ades-indeterminate"
            assert "QES" in reasons[-1].en


def test_pre_eidas_signature_uses_the_undersupervision_period(eu, ee68):
    signer, chain, _ = _pdf_signer(eu / "pdf" / "siva__hellopades-pades-lt-sha256-sign.pdf")
    best = datetime(2015, 7, 9, 7, 0, 55, tzinfo=UTC)  # the signature timestamp (MANIFEST)
    assert describe(qualify_certificate(signer, chain, best, ee68))["status"] == "undersupervision"
    # the same certificate judged after ESTEID-SK 2011 was withdrawn (2021-05-21)
    q, reasons, _entry = qualify_signature_entry(
        signer, chain, Indication.TOTAL_PASSED, datetime(2022, 1, 1, tzinfo=UTC), ee68, now=T2025
    )
    assert q is Qualification.ADESIG and "eu-service-not-granted" in [r.code for r in reasons]


@pytest.fixture(scope="module")
def mra(eu, tmp_path_factory) -> EuTrust:
    """The pilot MRA LOTL and its third-country (ZZ) list, as DSS's
    ThirdCountryLOTLTest loads them."""
    at = datetime(2022, 6, 11, tzinfo=UTC)
    trust = EuTrust.open(
        EuTrustConfig(
            cache_dir=tmp_path_factory.mktemp("mra"), snapshot_dir=None, validation_time=at
        )
    )
    signer = certs(eu, "dss__ThirdCountryLOTLTest__cert0-ZZ-LOTL-signer.cer")
    trust.import_list(LOTL_KEY, tl(eu, "dss__mra-lotl.xml"), signer)
    state = trust.import_list("XX", tl(eu, "dss__mra-zz-tl.xml"))
    assert (state.territory, state.sequence) == ("ZZ", 4)
    return trust


def test_third_country_services_are_translated_under_the_mra(mra):
    (rec,) = list(mra.all_records())
    (period,) = rec.periods
    assert period.type_uri == "http://uri.etsi.org/TrstSvc/Svctype/CA/QC"
    assert (period.status, period.asi[0], period.mra) == ("granted", "ForeSignatures", "QCForESig")


def test_john_doe_lta_is_qesig_under_the_mra(eu, mra):
    """As in EU DSS's ThirdCountryLOTLTest: TOTAL-PASSED and QESig."""
    from signing.trust.anchors import AnchorOrigin, TrustAnchor
    from signing.validation.engine import validate_pdf
    from signing.validation.options import ValidationOptions

    # as in the DSS test: the LOTL's services plus the four extra trusted certificates
    extra = tuple(
        TrustAnchor(
            certs(eu, f"dss__ThirdCountryLOTLTest__cert{i}.cer")[0], AnchorOrigin.USER, f"cert{i}"
        )
        for i in (1, 2, 3, 4)
    )
    result = validate_pdf(
        eu / "pdf" / "dss__john-doe-lta.pdf",
        ValidationOptions(offline=True, trust_anchors=(*mra.anchors(), *extra)),
    )
    sig = result.signatures[0]
    assert sig.indication is Indication.TOTAL_PASSED, sig.reasons
    assert sig.best_time is not None
    signer, _, _ = _pdf_signer(eu / "pdf" / "dss__john-doe-lta.pdf")
    ca1 = certs(eu, "dss__ThirdCountryLOTLTest__cert1.cer")
    q, reasons, _entry = qualify_signature_entry(signer, ca1, sig.indication, sig.best_time, mra)
    assert q is Qualification.QESIG, reasons
    assert [r.code for r in reasons] == ["eu-qualification", "eu-mra"]


def test_trust_list_errors_share_one_root():
    assert issubclass(TrustListSignatureError, TrustListError)


def test_pyhanko_assessor_agrees_on_the_itsme_certificate(eu, be74):
    """Cross-check with pyHanko's own QualificationAssessor over the same
    verified services (where pyHanko's rules are complete)."""
    from asn1crypto import x509
    from pyhanko.sign.validation.qualified.assess import QualificationAssessor
    from pyhanko.sign.validation.qualified.q_status import QcPrivateKeyManagementType
    from pyhanko.sign.validation.qualified.tsp import QcCertType
    from pyhanko_certvalidator.authority import AuthorityWithCert, TrustAnchor
    from pyhanko_certvalidator.path import ValidationPath

    from signing.trust.pyhanko_bridge import to_tsp_registry, trust_manager

    cert = x509.Certificate.load((eu / "certs" / "pyhanko__real-qcert.cer").read_bytes())
    registry = to_tsp_registry(be74)
    ca = next(a for a in registry.known_certificate_authorities if a.is_potential_issuer_of(cert))
    path = ValidationPath(TrustAnchor(AuthorityWithCert(ca.certificate)), [], cert)
    result = QualificationAssessor(registry).check_entity_cert_qualified(path, moment=T2025)
    assert result.status.qualified
    assert result.status.qc_type is QcCertType.QC_ESIGN
    # itsme keeps the key in a QSCD managed on the signer's behalf
    assert result.status.qc_key_security is QcPrivateKeyManagementType.QSCD_DELEGATED
    assert result.service_definition.base_info.service_name == "itsme Sign Issuing CA G2x"
    assert list(trust_manager(be74).find_potential_issuers(cert))
