"""Mutual recognition (MRA): the real EU DSS pilot (a LOTL pointing at a third-country
list of territory ZZ) read by our MRA code, and the guarantee that nothing Japanese
comes out EU-qualified while no EU-Japan agreement exists."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from signxml.xades import XAdESSignatureConfiguration, XAdESVerifier

from signing.trust.jp_list import (
    STATUS_RECOGNISED,
    SVC_TYPE_CA_PKC,
    LegalBasis,
    bundled_list_path,
    load_jp_trust_list,
)
from signing.trust.mra import (
    EU_CA_QC,
    EU_GRANTED,
    FOR_ESIGNATURES,
    JP_AGREEMENTS,
    MraAgreement,
    MraEquivalence,
    ServiceTypeRef,
    eu_equivalents,
    mra_agreements_from_lotl,
    mra_qualification,
)
from signing.validation.model import Qualification
from tests.jp_trust_helpers import jp_test_services, make_list_signer, signed_list
from tests.pki import JP_ARCH, PKI

VALIDATION_DATE = dt.datetime(2022, 6, 11, tzinfo=dt.UTC)  # as in DSS ThirdCountryLOTLTest
ZZ_CA_TYPE = "http://zz-trusted-list.go.zz/TrstSvc/Svctype/CA/QC/for-eSig"


@pytest.fixture(scope="module")
def corpus(shared_dir: Path) -> Path:
    return shared_dir / "corpus" / "eu"


@pytest.fixture(scope="module")
def zz_agreements(corpus: Path) -> tuple[MraAgreement, ...]:
    return mra_agreements_from_lotl((corpus / "tl" / "dss__mra-lotl.xml").read_bytes())


@pytest.fixture(scope="module")
def john_doe(corpus: Path) -> tuple[bytes, list[bytes]]:
    """The signer of john-doe-lta.pdf and its issuing CA (given to DSS as an extra cert)."""
    with (corpus / "pdf" / "dss__john-doe-lta.pdf").open("rb") as f:
        sig = PdfFileReader(f).embedded_signatures[0]
        signer = bytes(sig.signer_cert.dump())
    ca = (corpus / "certs" / "dss__ThirdCountryLOTLTest__cert1.cer").read_bytes()
    return signer, [ca]


def test_lotl_signature_verifies_with_its_keystore_cert(corpus: Path) -> None:
    signer = x509.load_der_x509_certificate(
        (corpus / "certs" / "dss__ThirdCountryLOTLTest__cert0-ZZ-LOTL-signer.cer").read_bytes()
    )
    results = XAdESVerifier().verify(
        (corpus / "tl" / "dss__mra-lotl.xml").read_bytes(),
        x509_cert=signer,
        expect_config=XAdESSignatureConfiguration(
            require_x509=True, expect_references=True, verification_time=VALIDATION_DATE
        ),
    )
    assert any(r.signed_xml is not None for r in results)


def test_mra_pointer_read_from_lotl(zz_agreements: tuple[MraAgreement, ...]) -> None:
    (agreement,) = zz_agreements
    assert agreement.tsl_location.endswith("mra_tl_zz.xml")
    assert agreement.tsl_type.endswith("/ZZlist")
    assert agreement.pointer_certs
    (eq,) = agreement.equivalences
    assert eq.legal_identifier == "QCForESig"
    assert eq.eu_types == (ServiceTypeRef(EU_CA_QC, (FOR_ESIGNATURES,)),)
    assert eq.third_country_types == (ServiceTypeRef(ZZ_CA_TYPE),)
    assert eq.enacted
    assert eq.starting_time == dt.datetime(2020, 5, 16, 23, 59, 59, tzinfo=dt.UTC)
    assert (
        "http://zz-trusted-list.go.zz/TrstSvc/TrustedList/Svcstatus/granted",
        EU_GRANTED,
    ) in eq.valid_statuses
    assert len(eq.qualifiers) == 8


def test_third_country_service_maps_to_eu_status_at_a_date(
    corpus: Path, zz_agreements: tuple[MraAgreement, ...]
) -> None:
    tl = (corpus / "tl" / "dss__mra-zz-tl.xml").read_bytes()
    (svc,) = eu_equivalents(tl, zz_agreements, at=VALIDATION_DATE)
    assert svc.service_name == "ZZ eTrust QC for eSignatures CA"
    assert svc.eu_status == EU_GRANTED
    assert svc.eu_service_type.type_uri == EU_CA_QC
    assert svc.legal_identifier == "QCForESig"
    assert svc.qualifications == (
        (
            ("http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/QCWithQSCD",),
            ("1.3.6.1.4.1.314159.1.2",),
        ),
    )
    # before the agreement was enacted
    assert eu_equivalents(tl, zz_agreements, at=dt.datetime(2020, 5, 1, tzinfo=dt.UTC)) == ()
    # agreement enacted, but the service's status only starts on 2020-11-10
    assert eu_equivalents(tl, zz_agreements, at=dt.datetime(2020, 6, 1, tzinfo=dt.UTC)) == ()


def test_john_doe_signature_is_qesig_under_the_mra(
    corpus: Path, zz_agreements: tuple[MraAgreement, ...], john_doe: tuple[bytes, list[bytes]]
) -> None:
    tl = (corpus / "tl" / "dss__mra-zz-tl.xml").read_bytes()
    signer, chain = john_doe
    at_date = eu_equivalents(tl, zz_agreements, at=VALIDATION_DATE)
    assert mra_qualification(signer, chain, at_date) is Qualification.QESIG
    # without the mapping in force, the third-country signature is not EU-qualified
    before = eu_equivalents(tl, zz_agreements, at=dt.datetime(2020, 5, 1, tzinfo=dt.UTC))
    assert mra_qualification(signer, chain, before) is Qualification.NOT_QUALIFIED


# --- Japan ------------------------------------------------------------------------------


def test_no_eu_japan_agreement_so_nothing_japanese_is_eu_qualified(
    corpus: Path, zz_agreements: tuple[MraAgreement, ...], pki: PKI
) -> None:
    assert JP_AGREEMENTS == ()
    now = dt.datetime.now(dt.UTC)
    jp_xml = bundled_list_path().read_bytes()
    assert eu_equivalents(jp_xml, JP_AGREEMENTS, at=now) == ()
    # the ZZ mapping names ZZ service types: it cannot pick up Japanese services
    assert eu_equivalents(jp_xml, zz_agreements, at=now) == ()
    # the real EU LOTL of the corpus has no MRA pointer at all
    lotl = (corpus / "tl" / "dss__lotl-seq248.xml").read_bytes()
    assert mra_agreements_from_lotl(lotl) == ()
    # and a JPKI or accredited-CA signer reaches no EU qualification through it
    signer = make_list_signer()
    test_xml = signed_list(jp_test_services(pki), signer)
    equivalents = eu_equivalents(test_xml, JP_AGREEMENTS, at=now)
    for label in ("jpki-signer", "acc-signer"):
        assert (
            mra_qualification(pki.cert_der(label, JP_ARCH), [], equivalents)
            is Qualification.NOT_QUALIFIED
        )


def test_jp_list_design_can_carry_a_future_mra(pki: PKI) -> None:
    """A HYPOTHETICAL agreement (built here, never shipped) mapping Japanese accredited
    certification businesses to EU CA/QC: the JP list's legal-basis URIs make it
    expressible, and it only takes effect from its enactment date."""
    signer = make_list_signer()
    xml = signed_list(jp_test_services(pki), signer)
    load_jp_trust_list(xml, [signer.cert_der])  # a genuine signed JP list
    hypothetical = MraAgreement(
        tsl_location="https://example.invalid/JP-TL.xml",
        tsl_type="http://shomei.example/TrstSvc/TrustedList/TSLType/JP-compiled",
        pointer_certs=(signer.cert_der,),
        equivalences=(
            MraEquivalence(
                legal_identifier="QCForESig",
                eu_types=(ServiceTypeRef(EU_CA_QC, (FOR_ESIGNATURES,)),),
                third_country_types=(
                    ServiceTypeRef(SVC_TYPE_CA_PKC, (LegalBasis.ACCREDITED_CA.uri,)),
                ),
                status_uri="http://ec.europa.eu/tools/lotl/mra/enacted",
                starting_time=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
                valid_statuses=((STATUS_RECOGNISED, EU_GRANTED),),
            ),
        ),
    )
    assert eu_equivalents(xml, [hypothetical], at=dt.datetime(2026, 6, 1, tzinfo=dt.UTC)) == ()
    (svc,) = eu_equivalents(xml, [hypothetical], at=dt.datetime(2031, 1, 1, tzinfo=dt.UTC))
    assert svc.service_name == "Test accredited CA"
    assert svc.eu_status == EU_GRANTED
    # even then, a certificate without EU QC statements is not qualified
    assert (
        mra_qualification(pki.cert_der("acc-signer", JP_ARCH), [], [svc])
        is Qualification.NOT_QUALIFIED
    )
