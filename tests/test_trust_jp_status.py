"""The Japanese status of each profile of the ``jp`` test PKI, checked against a test
JP list signed with a test key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from signing.model.results import JapaneseStatus, Reason, Verdict
from signing.trust.jp_list import JpTrustList
from signing.trust.jp_status import (
    STATUS_LABELS,
    japanese_assessment,
    jpki_privacy_warning,
)
from tests.jp_trust_helpers import JPKI_AMBER, verified_test_list
from tests.pki import JP_ARCH, PKI

AT = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def jp(pki: PKI) -> JpTrustList:
    return verified_test_list(pki)


def status(
    pki: PKI,
    jp: JpTrustList,
    label: str,
    *,
    arch: str = JP_ARCH,
    chain: tuple[str, ...] = (),
    at: dt.datetime = AT,
    revocation: bool = False,
    archive: bool = False,
) -> tuple[JapaneseStatus, tuple[Reason, ...]]:
    st, reasons, _path = japanese_assessment(
        pki.cert_der(label, arch),
        [pki.cert_der(c, arch) for c in chain],
        at=at,
        jp=jp,
        has_revocation_data=revocation,
        has_archive_timestamp=archive,
    )
    return st, reasons


def codes(reasons: tuple[Reason, ...]) -> list[str]:
    return [r.code for r in reasons]


def test_jpki_signature_without_revocation_is_amber_with_exact_explanation(
    pki: PKI, jp: JpTrustList
) -> None:
    st, reasons = status(pki, jp, "jpki-signer")
    assert st.code == "jpki-signature"
    assert st.en == "JPKI signature certificate (公的個人認証 署名用電子証明書)"
    assert not st.long_term_profile
    assert codes(reasons) == ["jp-revocation-restricted"]
    (reason,) = reasons
    assert reason.en == JPKI_AMBER
    assert "署名検証者" in reason.ja
    assert reason.severity is Verdict.INDETERMINATE
    assert reason.severity.colour == "amber"


def test_jpki_signature_with_revocation_and_archive_timestamp_is_long_term(
    pki: PKI, jp: JpTrustList
) -> None:
    st, reasons = status(pki, jp, "jpki-signer", revocation=True, archive=True)
    assert st.code == "jpki-signature" and reasons == ()
    assert st.long_term_profile
    # an archive timestamp without validation data is not the ISO 14533-3 profile
    st, _ = status(pki, jp, "jpki-signer", revocation=False, archive=True)
    assert not st.long_term_profile


def test_jpki_generation_is_chosen_by_signature_not_name(pki: PKI, jp: JpTrustList) -> None:
    old = x509.load_der_x509_certificate(pki.cert_der("jpki-signer-g1", JP_ARCH))
    new_ca = x509.load_der_x509_certificate(pki.cert_der("jpki-sign-ca", JP_ARCH))
    assert old.issuer == new_ca.subject  # same name, other key
    st, reasons = status(pki, jp, "jpki-signer-g1", at=dt.datetime(2023, 6, 1, tzinfo=dt.UTC))
    assert st.code == "jpki-signature"
    assert codes(reasons) == ["jp-revocation-restricted"]
    # the first generation expired on 2025-10-19: flagged when judged after that
    _, reasons = status(pki, jp, "jpki-signer-g1", at=AT, revocation=True)
    assert codes(reasons) == ["jp-anchor-not-valid-at-time"]


def test_forged_issuer_name_is_not_a_japanese_anchor(pki: PKI, jp: JpTrustList) -> None:
    """A certificate naming the JPKI signature CA as issuer but signed by another key."""
    ca = x509.load_der_x509_certificate(pki.cert_der("jpki-sign-ca", JP_ARCH))
    real = x509.load_der_x509_certificate(pki.cert_der("jpki-signer", JP_ARCH))
    key = rsa.generate_private_key(65537, 2048)
    forged = (
        x509.CertificateBuilder()
        .subject_name(real.subject)
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(real.not_valid_before_utc)
        .not_valid_after(real.not_valid_after_utc)
        .sign(key, hashes.SHA256())
    )
    st, reasons, _ = japanese_assessment(
        forged.public_bytes(serialization.Encoding.DER),
        [],
        at=AT,
        jp=jp,
        has_revocation_data=False,
        has_archive_timestamp=False,
    )
    assert st.code == "not-a-japanese-anchor" and reasons == ()


def test_jpki_authentication_certificate_flagged(pki: PKI, jp: JpTrustList) -> None:
    st, reasons = status(pki, jp, "jpki-auth-user", revocation=True)
    assert st.code == "jpki-authentication"
    assert codes(reasons) == ["jp-not-signature-certificate"]
    assert reasons[0].en.startswith("not a signature certificate under the Act")
    assert reasons[0].severity.colour == "amber"


def test_gpki_official_with_directory_name_crl_only(pki: PKI, jp: JpTrustList) -> None:
    st, reasons = status(pki, jp, "gpki-official")
    assert (st.code, st.en) == ("gpki", "Government (GPKI)")
    assert codes(reasons) == ["jp-revocation-no-url"]
    assert "directory name only" in reasons[0].en
    assert reasons[0].severity is Verdict.INDETERMINATE
    # embedded revocation data settles it
    _, reasons = status(pki, jp, "gpki-official", revocation=True)
    assert reasons == ()


def test_accredited_ca_with_public_crl_needs_no_jp_caveat(pki: PKI, jp: JpTrustList) -> None:
    st, reasons = status(pki, jp, "acc-signer")
    assert st.en == "Accredited certification business (認定認証業務)"
    assert reasons == ()  # a public CRL URL: ordinary revocation checking applies


def test_accredited_timestamp(pki: PKI, jp: JpTrustList) -> None:
    st, reasons = status(pki, jp, "jp-tsa", chain=("tsa-ca",))
    # the accredited service is named, in both languages
    assert (st.code, st.en, st.ja) == (
        "accredited-tsa",
        "Accredited time-stamping service, Test accredited TimeStamping CA "
        "(総務大臣認定タイムスタンプ)",
        "総務大臣認定タイムスタンプ（tsa-ca）",  # the test service's Japanese name
    )
    assert reasons == ()


def test_non_japanese_signer(pki: PKI, jp: JpTrustList) -> None:
    st, reasons = status(pki, jp, "signer-rsa", arch="shomei", chain=("interm", "root"))
    assert (st.code, st.en) == ("not-a-japanese-anchor", "Not a Japanese anchor")
    assert reasons == ()


def test_status_labels_are_bilingual() -> None:
    for code, (en, ja) in STATUS_LABELS.items():
        assert en and ja, code
        assert any(ord(ch) > 0x3000 for ch in ja), code


def test_jpki_privacy_warning(pki: PKI) -> None:
    warning = jpki_privacy_warning(pki.cert_der("jpki-signer", JP_ARCH))
    assert warning is not None
    for word in ("name", "address", "date of birth", "sex"):
        assert word in warning.en
    for word in ("氏名", "住所", "生年月日", "性別"):
        assert word in warning.ja
    assert jpki_privacy_warning(pki.cert_der("acc-signer", JP_ARCH)) is None
    # user-authentication certificates hold no personal data
    assert jpki_privacy_warning(pki.cert_der("jpki-auth-user", JP_ARCH)) is None
    assert jpki_privacy_warning(pki.cert_der("signer-rsa")) is None


@pytest.mark.filterwarnings("ignore:Parsed a serial number")
def test_real_sha1_chain_to_a_historical_root(shared_dir: Path) -> None:
    """SECOM TimeStamping CA1 (2011) is signed with SHA-1 by Security Communication
    RootCA1: historical chains must still be built (cryptography's own issuer check
    refuses SHA-1)."""
    from signing.trust.jp_list import load_bundled_jp_trust_list

    jp_dir = shared_dir / "trust" / "jp"
    ca1 = x509.load_pem_x509_certificate((jp_dir / "secom-timestamping-ca1-2011.pem").read_bytes())
    st, _, _ = japanese_assessment(
        ca1.public_bytes(serialization.Encoding.DER),
        [],
        at=dt.datetime(2015, 1, 1, tzinfo=dt.UTC),
        jp=load_bundled_jp_trust_list(),
        has_revocation_data=True,
        has_archive_timestamp=False,
    )
    # CA1 is itself listed now (a SECOM timestamping CA, not accredited)
    assert st.code == "commercial-tsa"


def test_a_service_the_list_deprecates_is_no_japanese_anchor(pki: PKI, jp: JpTrustList) -> None:
    """A service the list marks deprecated at national level no longer gives
    the chain a Japanese status, and the reason says so."""
    import dataclasses

    from signing.trust.jp_list import STATUS_DEPRECATED

    before, _ = status(pki, jp, "jpki-signer", revocation=True)
    assert before.code == "jpki-signature"
    deprecated = dataclasses.replace(
        jp,
        services=tuple(dataclasses.replace(s, status=STATUS_DEPRECATED) for s in jp.services),
    )
    st, reasons = status(pki, deprecated, "jpki-signer", revocation=True)
    assert st.code == "not-a-japanese-anchor"
    assert codes(reasons) == ["jp-service-deprecated"] and "deprecated" in reasons[0].en


def _with_service(jp: JpTrustList, service_id: str, **changes: object) -> JpTrustList:
    import dataclasses

    services = tuple(
        dataclasses.replace(s, **changes) if s.service_id == service_id else s  # type: ignore[arg-type]
        for s in jp.services
    )
    return dataclasses.replace(jp, services=services)


def test_a_timestamp_outside_the_accreditation_period_is_not_accredited(
    pki: PKI, jp: JpTrustList
) -> None:
    since = dt.datetime(2026, 7, 1, tzinfo=dt.UTC)
    later = _with_service(jp, "tsa-ca", accredited_from=since)
    before, reasons = status(
        pki, later, "jp-tsa", chain=("tsa-ca",), at=since - dt.timedelta(days=1)
    )
    assert before.code == "commercial-tsa"
    assert codes(reasons) == ["jp-not-accredited-at-time"]
    assert "2026-07-01" in reasons[0].en and "2026-07-01" in reasons[0].ja
    assert reasons[0].severity is Verdict.VALID  # a fact about the TSA, not a defect
    after, reasons = status(pki, later, "jp-tsa", chain=("tsa-ca",), at=since)
    assert after.code == "accredited-tsa" and reasons == ()


def test_an_unverified_accreditation_claim_is_said_and_not_counted(
    pki: PKI, jp: JpTrustList
) -> None:
    from signing.trust.jp_list import LegalBasis

    claimed = _with_service(jp, "tsa-root", unverified_basis=LegalBasis.ACCREDITED_ESEAL)
    st, reasons = status(pki, claimed, "jp-tsa", chain=("tsa-ca",))
    assert st.code == "accredited-tsa"  # the listed TSA service still decides
    assert "jp-accreditation-unverified" in codes(reasons)
    why = next(r for r in reasons if r.code == "jp-accreditation-unverified")
    assert "not been verified" in why.en and "民間認証局として扱う" in why.ja
