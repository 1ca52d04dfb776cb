"""The public facade: seal a PDF and validate it through ``signing.api`` alone,
as the CLI and the desktop do."""

from __future__ import annotations

from pathlib import Path

from signing import api
from signing.model.results import Level
from signing.secrets import FixedSecret
from tests.pdf_factory import make_pdf
from tests.pki import KEY_PASSWORD, PKI


def test_seal_then_validate_through_the_facade(pki: PKI, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    before = src.read_bytes()
    request = api.SignRequest(
        input_path=src,
        output_path=tmp_path / "sealed.pdf",
        key_source=api.key_source_from_spec(f"p12:{pki.p12_path('seal-ec')}"),
        mode=api.SignMode.SEAL,
        tsa_urls=(pki.tsa_url(),),
        trust_roots=(pki.cert_pem_path("root"),),
    )
    signed = api.sign_pdf(request, FixedSecret(KEY_PASSWORD))
    assert src.read_bytes() == before
    assert signed.output_path == tmp_path / "sealed.pdf"

    options = api.ValidationOptions(
        user_trust_files=(pki.cert_pem_path("root"),),
        trust=api.TrustConfig.user_only(pki.cert_pem_path("root")),
    )
    result = api.validate_pdf(signed.output_path, options)
    assert result.verdict is api.Verdict.VALID
    (sig,) = result.signatures
    assert sig.level is Level.B_LT  # a TSA was given: B-LT by default
    assert sig.modification is not None and sig.modification.covers_whole_file
    assert sig.signer is not None and sig.signer.organisation == "Shomei Test Company"
    assert api.results_to_json([result])["files"][0]["verdict"] == "VALID"
