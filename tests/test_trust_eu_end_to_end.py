"""A PDF signed in the test (PAdES B-T, the test PKI's TSA), validated by the
engine with the EU anchors of a test trusted list, then qualified."""

from __future__ import annotations

from pathlib import Path

import pytest

from signing.model.results import EntryKind, Indication, Qualification
from signing.trust.anchors import AnchorOrigin, TrustAnchor
from signing.trust.eu import EuTrust, EuTrustConfig
from signing.trust.qualification import apply_to_result, qualify_signature_entry, qualify_timestamp
from tests.pdf_factory import make_pdf
from tests.pki import KEY_PASSWORD
from tests.trust_eu_support import Service, build_tl, make_tlso, sign

engine = pytest.importorskip(
    "signing.validation.engine", reason="validation engine not in this tree"
)


def _sign(pki, src: Path, out: Path, label: str) -> None:  # type: ignore[no-untyped-def]
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers, timestamps
    from pyhanko.sign.fields import SigSeedSubFilter

    signer = signers.SimpleSigner.load_pkcs12(
        str(pki.p12_path(label)), passphrase=KEY_PASSWORD.encode()
    )
    assert signer is not None
    with src.open("rb") as inf, out.open("wb") as outf:
        w = IncrementalPdfFileWriter(inf)
        signers.PdfSigner(
            signers.PdfSignatureMetadata(field_name="Sig1", subfilter=SigSeedSubFilter.PADES),
            signer=signer,
            timestamper=timestamps.HTTPTimeStamper(pki.tsa_url()),
        ).sign_pdf(w, output=outf)


@pytest.mark.parametrize(
    ("label", "expected"), [("signer-rsa", Qualification.QESIG), ("seal-rsa", Qualification.QESEAL)]
)
def test_signed_pdf_validates_on_eu_anchors_and_is_qualified(pki, tmp_path, label, expected):
    from signing.validation.options import ValidationOptions

    tlso = make_tlso("BE TLSO end to end")
    ca = pki.cert_der("interm")
    services = [
        Service("Shomei QC signatures", ca, qualifiers=["QCWithQSCD"], asi=["ForeSignatures"]),
        Service("Shomei QC seals", ca, qualifiers=["QCWithQSCD"], asi=["ForeSeals"]),
    ]
    trust = EuTrust.open(EuTrustConfig(cache_dir=tmp_path / "cache", snapshot_dir=None))
    trust.import_list("BE", sign(build_tl("BE", 1, services), tlso), (tlso.der,))
    anchors = trust.anchors()
    assert [a.origin for a in anchors] == [AnchorOrigin.EU_TRUSTED_LIST]

    # mixed trust: the EU list's CA plus the user's own anchor for the test TSA's root
    user = TrustAnchor(pki.cert_der("root"), AnchorOrigin.USER, "root.pem")
    pdf = _sign_to(pki, tmp_path, label)
    result = engine.validate_pdf(pdf, ValidationOptions(trust_anchors=(*anchors, user)))
    (sig,) = [s for s in result.signatures if s.kind is EntryKind.SIGNATURE]
    assert sig.indication is Indication.TOTAL_PASSED, sig.reasons
    assert sig.best_time is not None and sig.signature_timestamp is not None
    qualification, reasons, _entry = qualify_signature_entry(
        pki.cert_der(label), [ca], sig.indication, sig.best_time, trust
    )
    assert qualification is expected, reasons
    # the test TSA is on no EU list: no EU status (never "TST")
    tst, _ = qualify_timestamp(pki.cert_der("tsa"), [], sig.signature_timestamp.time, trust)
    assert tst is Qualification.NOT_EU_LISTED
    # the same through the helper the engine can call
    enriched = apply_to_result(sig, pki.cert_der(label), [ca], trust, tsa_der=pki.cert_der("tsa"))
    assert enriched.eu_qualification is expected and enriched.eu_reasons == reasons
    assert enriched.signature_timestamp is not None
    assert enriched.signature_timestamp.qualification is Qualification.NOT_EU_LISTED


def _sign_to(pki, tmp_path: Path, label: str) -> Path:  # type: ignore[no-untyped-def]
    src = make_pdf(tmp_path / "in.pdf")
    out = tmp_path / f"{label}.pdf"
    _sign(pki, src, out, label)
    return out
