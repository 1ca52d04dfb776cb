"""Key specs, PKCS#12 key sources and certificate summaries."""

from __future__ import annotations

from pathlib import Path

import pytest

from signing.certs.summary import CertificatePurpose, summarise_certificate
from signing.errors import KeyFileError, ShomeiError, WrongPasswordError
from signing.keys.pkcs12 import Pkcs12KeySource
from signing.keys.spec import key_source_from_spec
from signing.secrets import FixedSecret, NoSecret, SecretKind, SecretRequest
from tests.pki import KEY_PASSWORD, PKI


def test_p12_specs(tmp_path: Path) -> None:
    src = key_source_from_spec(f"p12:{tmp_path / 'a.p12'}")
    assert isinstance(src, Pkcs12KeySource) and src.path == tmp_path / "a.p12"
    bare = key_source_from_spec(str(tmp_path / "b.PFX"))
    assert isinstance(bare, Pkcs12KeySource)
    assert "b.PFX" in bare.describe()


@pytest.mark.parametrize("spec", ["gpg:abc", "p12:", "just-a-name"])
def test_bad_specs(spec: str) -> None:
    with pytest.raises(KeyFileError):
        key_source_from_spec(spec)


@pytest.mark.parametrize("scheme", ["pkcs11", "csc"])
def test_other_schemes_dispatch_to_their_module(scheme: str) -> None:
    # Whatever the module makes of a nonsense spec, it is a key source or a
    # ShomeiError, never an ImportError or a crash.
    try:
        src = key_source_from_spec(f"{scheme}:nonsense")
    except ShomeiError:
        return
    assert callable(src.open) and isinstance(src.describe(), str)


def test_p12_without_password_is_not_asked(pki: PKI) -> None:
    src = Pkcs12KeySource(pki.p12_path("signer-ec", password=None))
    with src.open(NoSecret()) as signer:
        assert signer.signing_cert.subject.native["common_name"] == "Aiko Tanaka"


def test_p12_password_is_asked_for_the_file(pki: PKI) -> None:
    asked: list[SecretRequest] = []

    class Prompt:
        def ask(self, request: SecretRequest) -> str:
            asked.append(request)
            return KEY_PASSWORD

    with Pkcs12KeySource(pki.p12_path("seal-ec")).open(Prompt()) as signer:
        assert len(signer.other_certs) == 2  # intermediate and root
    assert [(r.kind, r.target, r.retry) for r in asked] == [
        (SecretKind.KEY_PASSWORD, "seal-ec-pass.p12", False)
    ]


def test_p12_gives_up_after_max_tries(pki: PKI) -> None:
    count = 0

    class Stubborn:
        def ask(self, request: SecretRequest) -> str:
            nonlocal count
            count += 1
            return "wrong"

    with pytest.raises(WrongPasswordError):
        Pkcs12KeySource(pki.p12_path("seal-ec")).load(Stubborn())
    assert count == 5


def test_missing_key_file(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError):
        Pkcs12KeySource(tmp_path / "none.p12").load(FixedSecret("x"))


@pytest.mark.parametrize(
    ("label", "purpose", "org"),
    [
        ("signer-rsa", CertificatePurpose.SIGN, None),
        ("signer-ec", CertificatePurpose.SIGN, None),
        ("seal-rsa", CertificatePurpose.SEAL, "Shomei Test Company"),
        ("seal-ec", CertificatePurpose.SEAL, "Shomei Test Company"),
        ("tsa", CertificatePurpose.UNKNOWN, "Shomei Test Trust Services"),
    ],
)
def test_certificate_summary(
    pki: PKI, label: str, purpose: CertificatePurpose, org: str | None
) -> None:
    s = summarise_certificate(pki.cert_der(label))
    assert s.purpose is purpose
    qualified = label != "tsa"
    assert s.qualified is qualified and s.qscd is qualified
    if label != "tsa":
        assert s.key_usage == ("digital_signature", "non_repudiation")
        assert s.country == "BE"
    if org is not None:
        assert s.organisation == org
    assert s.not_before < s.not_after and len(s.sha256_hex) == 64


def test_list_signature_fields(pki: PKI, tmp_path: Path) -> None:
    from signing.pdf.document import list_signature_fields
    from signing.sign.request import FieldPlacement, SignRequest
    from signing.sign.signer import sign_pdf
    from tests.pdf_factory import make_pdf

    src = make_pdf(tmp_path / "f.pdf", pages=2, empty_fields=["Approval", "Review"])
    signed = sign_pdf(
        SignRequest(
            input_path=src,
            output_path=tmp_path / "s.pdf",
            key_source=Pkcs12KeySource(pki.p12_path("signer-ec")),
            placement=FieldPlacement(page=2, box=(300, 100, 500, 160)),
        ),
        FixedSecret(KEY_PASSWORD),
    )
    fields = {f.name: f for f in list_signature_fields(signed.output_path)}
    assert set(fields) == {"Approval", "Review", signed.field_name}
    assert not fields["Approval"].signed and fields["Approval"].page == 1
    assert fields["Approval"].box == (72.0, 600.0, 300.0, 670.0)
    new = fields[signed.field_name]
    assert new.signed and new.page == 2 and new.box == (300.0, 100.0, 500.0, 160.0)
