"""The signer certificate's key usage, as in EU DSS's default policy
(constraint.xml: SigningCertificate/KeyUsage nonRepudiation, level WARN): a
signature made with an authentication certificate (digitalSignature without
nonRepudiation) is a warning and never a QES, even when its issuer is listed
as a qualified CA and its own QC statements claim e-signatures on a QSCD.

We differ from SiVa's QES policy (POLv4), which fails such a signature
(TOTAL-FAILED): DSS's default policy, which we follow, warns."""

from __future__ import annotations

from pathlib import Path

import pytest
from asn1crypto import x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter

from signing.certs.key_usage import is_authentication_certificate, key_usage_reasons
from signing.model.results import EntryKind, Indication, Qualification, SignatureResult, Verdict
from signing.trust.config import TrustConfig
from signing.trust.eu import EuTrust, EuTrustConfig
from signing.validation.engine import validate_pdf
from signing.validation.options import ValidationOptions
from tests.pdf_factory import make_pdf
from tests.pki import KEY_PASSWORD, PKI
from tests.trust_eu_support import Service, build_tl, make_tlso, sign


@pytest.fixture(scope="module")
def trust(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> TrustConfig:
    """A BE test list naming the test PKI's intermediate CA as CA/QC, QSCD."""
    cache = tmp_path_factory.mktemp("ku-cache")
    tlso = make_tlso("BE TLSO key usage")
    services = [
        Service(
            "Shomei QC", pki.cert_der("interm"), qualifiers=["QCWithQSCD"], asi=["ForeSignatures"]
        )
    ]
    eu = EuTrust.open(EuTrustConfig(cache_dir=cache, snapshot_dir=None))
    eu.import_list("BE", sign(build_tl("BE", 100_000, services), tlso), (tlso.der,))
    return TrustConfig(eu_cache_dir=cache, jp_enabled=False, seed_bundled=False)


def _sign(pki: PKI, label: str, out: Path) -> Path:
    src = make_pdf(out.with_suffix(".in.pdf"))
    signer = signers.SimpleSigner.load_pkcs12(pki.p12_path(label), passphrase=KEY_PASSWORD.encode())
    assert signer is not None
    meta = signers.PdfSignatureMetadata(field_name="Sig1", subfilter=SigSeedSubFilter.PADES)
    with src.open("rb") as inf, out.open("wb") as outf:
        signers.sign_pdf(IncrementalPdfFileWriter(inf), meta, signer=signer, output=outf)
    return out


def _validated(pki: PKI, trust: TrustConfig, label: str, out: Path) -> SignatureResult:
    """The one signature of a file signed by ``label``, as validated under ``trust``."""
    result = validate_pdf(_sign(pki, label, out), ValidationOptions(trust=trust))
    (sig,) = [s for s in result.signatures if s.kind is EntryKind.SIGNATURE]
    return sig


def test_certificates_of_the_test_pki(pki: PKI) -> None:
    auth = x509.Certificate.load(pki.cert_der("auth-rsa"))
    sign_cert = x509.Certificate.load(pki.cert_der("signer-rsa"))
    assert is_authentication_certificate(auth)
    assert not is_authentication_certificate(sign_cert)
    assert key_usage_reasons(sign_cert) == []
    assert [r.code for r in key_usage_reasons(auth)] == ["authentication-certificate"]


def test_authentication_certificate_warns_and_is_never_a_qes(
    pki: PKI, trust: TrustConfig, tmp_path: Path
) -> None:
    sig = _validated(pki, trust, "auth-rsa", tmp_path / "auth.pdf")
    assert sig.indication is Indication.TOTAL_PASSED, sig.reasons
    (why,) = [r for r in sig.reasons if r.code == "authentication-certificate"]
    assert "authentication certificate" in why.en and "non-repudiation" in why.en
    assert "認証用の証明書" in why.ja
    assert why.severity is Verdict.VALID_WITH_WARNINGS
    assert sig.verdict is Verdict.VALID_WITH_WARNINGS
    assert sig.eu_qualification is Qualification.ADESIG, sig.eu_reasons
    (eu_why,) = [r for r in sig.eu_reasons if r.code == "eu-authentication-certificate"]
    assert "authentication certificate" in eu_why.en and "認証用" in eu_why.ja


def test_signature_certificate_under_the_same_list_is_a_qes(
    pki: PKI, trust: TrustConfig, tmp_path: Path
) -> None:
    sig = _validated(pki, trust, "signer-rsa", tmp_path / "s.pdf")
    assert sig.eu_qualification is Qualification.QESIG, sig.eu_reasons
    assert "authentication-certificate" not in [r.code for r in sig.reasons]
    assert sig.verdict is Verdict.VALID
