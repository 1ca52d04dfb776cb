"""Signing real PDFs with keys on SoftHSM2 tokens, checked by poppler's pdfsig."""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import load_der_x509_certificate

from signing.errors import PinError, PinLockedError, ShomeiError, TokenKeyNotFoundError
from signing.keys.pkcs11 import Pkcs11KeySource, from_spec
from signing.secrets import FixedSecret, PinState, SecretKind, SecretRequest
from signing.sign.request import Level, SignRequest
from signing.sign.signer import sign_batch, sign_pdf
from tests.pdf_factory import make_pdf
from tests.pki import ARCH, JP_ARCH, PKI
from tests.sign_checks import batch_requests
from tests.softhsm import MODULE, PINS, SoftHsm

JPKI_SIGNER = "201911JPKI0000000001TEST"  # CN of the jp architecture's jpki-signer


class ScriptedPrompt:
    """Answers PIN requests from a list, recording every request."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.requests: list[SecretRequest] = []

    def ask(self, request: SecretRequest) -> str:
        self.requests.append(request)
        if not self.answers:
            from signing.errors import UserCancelled

            raise UserCancelled()
        return self.answers.pop(0)


def pdfsig(nssdb: str, path: Path) -> str:
    out = subprocess.run(
        ["pdfsig", "-nssdir", nssdb, str(path)], capture_output=True, text=True, timeout=60
    )
    return out.stdout + out.stderr


def assert_pdfsig_valid(nssdb: str, path: Path, signer: str, count: int = 1) -> None:
    """pdfsig: ``count`` signatures valid and trusted, the last over the whole
    file, by ``signer`` (pdfsig exits 0 even on failures, so read its text)."""
    text = pdfsig(nssdb, path)
    assert text.count("Certificate is Trusted") == count, text
    assert text.count("Signature is Valid") == count, text
    assert "Total document signed" in text, text
    assert f"Signer Certificate Common Name: {signer}" in text, text
    for bad in ("Revoked", "expired", "issuer is unknown"):
        assert bad not in text, text


def assert_chain_trusted(pki: PKI, path: Path, root_label: str = "root", arch: str = ARCH) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    root = load_der_x509_certificate(pki.cert_der(root_label, arch))
    from asn1crypto import x509

    vc = ValidationContext(
        trust_roots=[x509.Certificate.load(root.public_bytes(Encoding.DER))],
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
    with path.open("rb") as fh:
        for sig in PdfFileReader(fh).embedded_signatures:
            status = validate_pdf_signature(sig, vc)
            assert status.intact and status.valid and status.trusted, status.pretty_print_details()


def sign(tmp_path: Path, source: object, prompt: object, name: str = "out.pdf") -> Path:
    src = (
        make_pdf(tmp_path / "in.pdf") if not (tmp_path / "in.pdf").exists() else tmp_path / "in.pdf"
    )
    out = tmp_path / name
    sign_pdf(
        SignRequest(input_path=src, output_path=out, key_source=source, level=Level.B_B), prompt
    )  # type: ignore[arg-type]
    return out


@pytest.mark.parametrize(
    ("token", "pss", "signer"),
    [
        ("Shomei RSA", False, "Alice Tester"),
        ("Shomei RSA", True, "Alice Tester"),
        ("Shomei EC", False, "Aiko Tanaka"),
    ],
    ids=["rsa-pkcs1v15", "rsa-pss", "ecdsa"],
)
def test_sign_with_token_key_passes_pdfsig(
    softhsm: SoftHsm, pki: PKI, nssdb: str, tmp_path: Path, token: str, pss: bool, signer: str
) -> None:
    source = Pkcs11KeySource(MODULE, token, prefer_pss=pss)
    prompt = ScriptedPrompt(PINS[token])
    before = make_pdf(tmp_path / "in.pdf").read_bytes()
    out = sign(tmp_path, source, prompt)
    assert (tmp_path / "in.pdf").read_bytes() == before
    assert [r.kind for r in prompt.requests] == [SecretKind.PIN]
    assert token in prompt.requests[0].target
    assert_pdfsig_valid(nssdb, out, signer)
    assert_chain_trusted(pki, out)
    if pss:
        from pyhanko.pdf_utils.reader import PdfFileReader

        with out.open("rb") as fh:
            sig = PdfFileReader(fh).embedded_signatures[0]
            assert sig.signer_info["signature_algorithm"]["algorithm"].native == "rsassa_pss"


def test_always_authenticate_key_asks_signature_pin_each_time(
    softhsm: SoftHsm, pki: PKI, nssdb: str, tmp_path: Path
) -> None:
    pin = PINS["Shomei JPKI"]
    source = from_spec(f"module={MODULE};token=Shomei%20JPKI")
    prompt = ScriptedPrompt(pin, pin, pin)
    src = make_pdf(tmp_path / "in.pdf")
    reqs = batch_requests(src, tmp_path, source, 2)
    outcomes = sign_batch(reqs, prompt)
    assert all(not isinstance(o, ShomeiError) for o in outcomes), outcomes
    # one login, then one context-specific login per signature
    assert [r.kind for r in prompt.requests] == [
        SecretKind.PIN,
        SecretKind.SIGNATURE_PIN,
        SecretKind.SIGNATURE_PIN,
    ]
    for i in range(2):
        # the signature key, chosen by nonRepudiation over the authentication key
        assert_pdfsig_valid(nssdb, tmp_path / f"o{i}.pdf", JPKI_SIGNER)
        assert_chain_trusted(pki, tmp_path / f"o{i}.pdf", "jpki-sign-ca", JP_ARCH)


def test_wrong_signature_pin_is_asked_again(
    softhsm: SoftHsm, nssdb: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pin = PINS["Shomei JPKI"]
    prompt = ScriptedPrompt(pin, "WRONG0PIN", pin)
    with caplog.at_level(logging.DEBUG):
        out = sign(tmp_path, Pkcs11KeySource(MODULE, "Shomei JPKI"), prompt)
    # nothing logged the PINs, right or wrong
    assert caplog.records and not any(p in caplog.text for p in (pin, "WRONG0PIN"))
    assert [(r.kind, r.retry) for r in prompt.requests] == [
        (SecretKind.PIN, False),
        (SecretKind.SIGNATURE_PIN, False),
        (SecretKind.SIGNATURE_PIN, True),
    ]
    assert_pdfsig_valid(nssdb, out, JPKI_SIGNER)


def test_batch_signs_with_one_pin_entry(softhsm: SoftHsm, nssdb: str, tmp_path: Path) -> None:
    source = Pkcs11KeySource(MODULE, "Shomei EC")
    prompt = ScriptedPrompt(PINS["Shomei EC"])
    src = make_pdf(tmp_path / "in.pdf")
    reqs = batch_requests(src, tmp_path, source, 5)
    outcomes = sign_batch(reqs, prompt)
    assert all(not isinstance(o, ShomeiError) for o in outcomes), outcomes
    assert len(prompt.requests) == 1
    assert_pdfsig_valid(nssdb, tmp_path / "o4.pdf", "Aiko Tanaka")


def test_two_tokens_at_once(softhsm: SoftHsm, nssdb: str, tmp_path: Path) -> None:
    rsa = Pkcs11KeySource(MODULE, "Shomei RSA")
    ec = Pkcs11KeySource(MODULE, "Shomei EC")
    src = make_pdf(tmp_path / "in.pdf")
    with rsa.open(FixedSecret("1234")) as s1, ec.open(FixedSecret("1234")) as s2:
        assert "Alice" in s1.signing_cert.subject.human_friendly
        assert "Aiko" in s2.signing_cert.subject.human_friendly
    a = sign(tmp_path, rsa, FixedSecret("1234"), "a.pdf")
    b = tmp_path / "b.pdf"
    sign_pdf(SignRequest(input_path=a, output_path=b, key_source=ec), FixedSecret("1234"))
    assert src.exists()
    assert_pdfsig_valid(nssdb, b, "Aiko Tanaka", count=2)


def test_wrong_pin_reports_state_and_leaves_no_output(softhsm: SoftHsm, tmp_path: Path) -> None:
    source = Pkcs11KeySource(MODULE, "Shomei PIN")
    with pytest.raises(PinError) as err:
        sign(tmp_path, source, FixedSecret("9999"))
    assert not isinstance(err.value, PinLockedError)
    assert "Wrong PIN" in str(err.value) and "few PIN tries" in str(err.value)
    assert not (tmp_path / "out.pdf").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.pdf"]
    # asked again with the token's state; the right PIN then works
    prompt = ScriptedPrompt("9999", PINS["Shomei PIN"])
    sign(tmp_path, source, prompt)
    assert prompt.requests[1].retry and prompt.requests[1].pin_state is PinState.COUNT_LOW


def test_final_try_is_announced_in_the_prompt(softhsm: SoftHsm, tmp_path: Path) -> None:
    prompt = ScriptedPrompt()
    from signing.errors import UserCancelled

    with pytest.raises(UserCancelled):
        sign(tmp_path, Pkcs11KeySource(MODULE, "Shomei Final"), prompt)
    assert prompt.requests[0].pin_state is PinState.FINAL_TRY
    assert prompt.requests[0].tries_left == 1


def test_locked_pin_is_refused_before_asking(softhsm: SoftHsm, tmp_path: Path) -> None:
    prompt = ScriptedPrompt("1234")
    with pytest.raises(PinLockedError, match="locked") as err:
        sign(tmp_path, Pkcs11KeySource(MODULE, "Shomei Locked"), prompt)
    assert err.value.tries_left == 0
    assert prompt.requests == []
    assert not (tmp_path / "out.pdf").exists()


def test_no_matching_key(softhsm: SoftHsm, tmp_path: Path) -> None:
    source = Pkcs11KeySource(MODULE, "Shomei RSA", cert_sha256="00" * 32)
    with pytest.raises(TokenKeyNotFoundError, match="Alice Tester"):
        sign(tmp_path, source, FixedSecret("1234"))
    assert not (tmp_path / "out.pdf").exists()


def test_token_removed_during_batch(softhsm: SoftHsm, tmp_path: Path) -> None:
    from signing.errors import TokenRemovedError

    source = Pkcs11KeySource(MODULE, "Shomei Removable")
    src = make_pdf(tmp_path / "in.pdf")
    reqs = batch_requests(src, tmp_path, source, 2)

    def pull_card(done: int, total: int) -> None:
        if done == 1:
            softhsm.delete_token("Shomei Removable")

    outcomes = sign_batch(reqs, FixedSecret("1234"), progress=pull_card)
    assert not isinstance(outcomes[0], ShomeiError)
    assert isinstance(outcomes[1], TokenRemovedError), outcomes[1]
    assert "removed" in str(outcomes[1])
    assert not (tmp_path / "o1.pdf").exists()


def test_one_job_at_a_time_per_token(softhsm: SoftHsm) -> None:
    import threading

    events: list[str] = []
    inside = threading.Event()
    release = threading.Event()

    def job(name: str, hold: bool) -> None:
        with Pkcs11KeySource(MODULE, "Shomei RSA").open(FixedSecret("1234")):
            events.append(f"{name} in")
            if hold:
                inside.set()
                release.wait(timeout=30)
            events.append(f"{name} out")

    first = threading.Thread(target=job, args=("a", True))
    first.start()
    assert inside.wait(timeout=30)
    second = threading.Thread(target=job, args=("b", False))
    second.start()
    second.join(timeout=0.5)
    assert second.is_alive() and events == ["a in"]  # b waits for the card
    # another token is not blocked meanwhile
    with Pkcs11KeySource(MODULE, "Shomei EC").open(FixedSecret("1234")) as signer:
        assert "Aiko" in signer.signing_cert.subject.human_friendly
    release.set()
    first.join(timeout=30)
    second.join(timeout=30)
    assert events == ["a in", "a out", "b in", "b out"]


def test_token_signature_at_b_lt(softhsm: SoftHsm, pki: PKI, nssdb: str, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    out = tmp_path / "lt.pdf"
    request = SignRequest(
        input_path=src,
        output_path=out,
        key_source=Pkcs11KeySource(MODULE, "Shomei EC"),
        level=Level.B_LT,
        tsa_urls=(pki.tsa_url(),),
        trust_roots=(pki.cert_pem_path("root"),),
    )
    result = sign_pdf(request, FixedSecret("1234"))
    assert result.level is Level.B_LT
    assert_pdfsig_valid(nssdb, out, "Aiko Tanaka")
    assert_chain_trusted(pki, out)
