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


def test_every_public_name_resolves_to_what_its_table_says() -> None:
    """The lazy table and the typed imports name the same things, and each
    name loads from the module the table gives."""
    import ast
    import importlib

    tree = ast.parse(Path(api.__file__).read_text(encoding="utf-8"))
    typed: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for imp in node.body:
                assert isinstance(imp, ast.ImportFrom) and imp.module
                typed.update({a.name: imp.module for a in imp.names})
    assert typed == api._EXPORTS
    for name, module in api._EXPORTS.items():
        assert getattr(api, name) is getattr(importlib.import_module(module), name)


def test_a_model_name_does_not_load_pyhanko() -> None:
    import subprocess
    import sys

    code = "from signing.api import Verdict, SignMode; import sys; print('pyhanko' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
