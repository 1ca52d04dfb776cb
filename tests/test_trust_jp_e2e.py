"""End to end: sign PDFs with the Japanese test profiles, validate them with the
engine against a test JP list, fill the Japanese column, and check both columns and
the verdict colours."""

from __future__ import annotations

from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers, timestamps
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko_certvalidator import ValidationContext

from signing.model.results import EntryKind, Qualification
from signing.trust.jp_list import JpTrustList
from signing.trust.jp_validation import with_japanese_status
from signing.validation.engine import validate_pdf
from signing.validation.options import ValidationOptions
from tests.jp_trust_helpers import JPKI_AMBER, verified_test_list
from tests.pdf_factory import make_pdf
from tests.pki import JP_ARCH, KEY_PASSWORD, PKI


@pytest.fixture(scope="module")
def jp(pki: PKI) -> JpTrustList:
    return verified_test_list(pki)


def _sign(pki: PKI, label: str, out: Path, *, lta: bool = False) -> Path:
    src = make_pdf(out.with_suffix(".in.pdf"))
    signer = signers.SimpleSigner.load_pkcs12(
        pki.p12_path(label, arch=JP_ARCH), passphrase=KEY_PASSWORD.encode()
    )
    assert signer is not None
    kwargs = {}
    if lta:
        roots = [
            asn1_x509.Certificate.load(pki.cert_der(c, JP_ARCH)) for c in ("acc-ca", "tsa-root")
        ]
        kwargs = {
            "embed_validation_info": True,
            "use_pades_lta": True,
            "validation_context": ValidationContext(
                trust_roots=roots,
                other_certs=[asn1_x509.Certificate.load(pki.cert_der("tsa-ca", JP_ARCH))],
                allow_fetching=True,
            ),
        }
    meta = signers.PdfSignatureMetadata(
        field_name="Signature1", subfilter=SigSeedSubFilter.PADES, **kwargs
    )
    stamper = timestamps.HTTPTimeStamper(pki.tsa_url("jp-tsa", JP_ARCH)) if lta else None
    with src.open("rb") as inf, out.open("wb") as outf:
        signers.sign_pdf(
            IncrementalPdfFileWriter(inf), meta, signer=signer, timestamper=stamper, output=outf
        )
    return out


def _options(jp: JpTrustList) -> ValidationOptions:
    return ValidationOptions(trust_anchors=jp.anchors(), extra_certs=jp.intermediates())


def test_jpki_signature_is_amber_with_the_registered_verifier_explanation(
    pki: PKI, jp: JpTrustList, tmp_path: Path
) -> None:
    pdf = _sign(pki, "jpki-signer", tmp_path / "jpki.pdf")
    before = pdf.read_bytes()
    result = with_japanese_status(validate_pdf(pdf, _options(jp)), jp)
    assert pdf.read_bytes() == before  # input never modified
    (sig,) = result.signatures
    assert sig.jp_status is not None
    assert sig.jp_status.en == "JPKI signature certificate (公的個人認証 署名用電子証明書)"
    assert not sig.jp_status.long_term_profile  # B-B: no archive timestamp, no VD
    assert JPKI_AMBER in [r.en for r in sig.reasons]
    assert sig.verdict.colour == "amber" and result.verdict.colour == "amber"
    assert sig.chain[-1].is_trust_anchor
    assert sig.chain[-1].certificate.trust_source == "jp-tl:Test JPKI signature CA"
    # the EU column stays apart and never becomes qualified
    assert sig.eu_qualification not in (Qualification.QESIG, Qualification.ADESIG_QC)


def test_jpki_authentication_signature_flagged(pki: PKI, jp: JpTrustList, tmp_path: Path) -> None:
    pdf = _sign(pki, "jpki-auth-user", tmp_path / "auth.pdf")
    (sig,) = with_japanese_status(validate_pdf(pdf, _options(jp)), jp).signatures
    assert sig.jp_status is not None and sig.jp_status.code == "jpki-authentication"
    assert any(r.en.startswith("not a signature certificate under the Act") for r in sig.reasons)
    assert sig.verdict.colour != "green"


def test_accredited_ca_b_lta_meets_the_long_term_profile(
    pki: PKI, jp: JpTrustList, tmp_path: Path
) -> None:
    pdf = _sign(pki, "acc-signer", tmp_path / "acc-lta.pdf", lta=True)
    result = with_japanese_status(validate_pdf(pdf, _options(jp)), jp)
    sigs = {s.kind: s for s in result.signatures}
    sig = sigs[EntryKind.SIGNATURE]
    assert sig.jp_status is not None
    assert sig.jp_status.en == "Accredited certification business (認定認証業務)"
    assert sig.jp_status.long_term_profile, (sig.level, sig.chain[0].revocation_source)
    assert sig.verdict.colour == "green" and result.verdict.colour == "green"
    doc_ts = sigs[EntryKind.DOCUMENT_TIMESTAMP]
    assert doc_ts.jp_status is not None
    assert doc_ts.jp_status.en == (
        "Accredited time-stamping service, Test accredited TimeStamping CA "
        "(総務大臣認定タイムスタンプ)"
    )
    assert sig.eu_qualification not in (Qualification.QESIG, Qualification.ADESIG_QC)


def test_gpki_official_without_revocation_data_is_amber(
    pki: PKI, jp: JpTrustList, tmp_path: Path
) -> None:
    pdf = _sign(pki, "gpki-official", tmp_path / "gpki.pdf")
    (sig,) = with_japanese_status(validate_pdf(pdf, _options(jp)), jp).signatures
    assert sig.jp_status is not None and sig.jp_status.en == "Government (GPKI)"
    assert "jp-revocation-no-url" in [r.code for r in sig.reasons]
    assert sig.verdict.colour == "amber"


def test_non_japanese_signature(pki: PKI, jp: JpTrustList, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    signer = signers.SimpleSigner.load_pkcs12(
        pki.p12_path("signer-rsa"), passphrase=KEY_PASSWORD.encode()
    )
    assert signer is not None
    out = tmp_path / "be.pdf"
    with src.open("rb") as inf, out.open("wb") as outf:
        signers.sign_pdf(
            IncrementalPdfFileWriter(inf),
            signers.PdfSignatureMetadata(field_name="S", subfilter=SigSeedSubFilter.PADES),
            signer=signer,
            output=outf,
        )
    (sig,) = with_japanese_status(validate_pdf(out, _options(jp)), jp).signatures
    assert sig.jp_status is not None
    assert sig.jp_status.en == "Not a Japanese anchor"
