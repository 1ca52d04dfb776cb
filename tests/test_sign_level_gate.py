"""A level is reported only after the written output, read back, shows it:
``sign`` and ``extend`` fail, leave no output and name the cause when the
requested PAdES level is not reached."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from signing.errors import (
    CertificateError,
    LevelNotReachedError,
    RevocationFetchError,
    ShomeiError,
    TimestampError,
)
from signing.secrets import FixedSecret, SecretKind, SecretRequest
from signing.sign.extend import extend_pdf
from signing.sign.request import Level, SignRequest
from signing.sign.signer import sign_pdf
from tests.local_certs import self_signed_signer, self_signed_tsa, signer_without_pointers
from tests.pdf_factory import make_pdf
from tests.pki import KEY_PASSWORD, PKI
from tests.sign_checks import leftovers, sha256
from tests.sign_helpers import extend_request, pki_request, pki_roots

DEAD_TSA = "http://127.0.0.1:9/"  # nothing listens on port 9


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_pdf(tmp_path_factory.mktemp("src") / "in.pdf")


@pytest.fixture(scope="module")
def signed_bb(pki: PKI, source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    req = pki_request(pki, source, tmp_path_factory.mktemp("bb") / "bb.pdf", level=Level.B_B)
    return sign_pdf(req, FixedSecret(KEY_PASSWORD)).output_path


def _gated(
    pki: PKI, src: Path, out: Path, signer: str | Path, *, tsa: str | None = None, **fields: Any
) -> SignRequest:
    """A request for the gate: B-LT unless ``fields`` say otherwise, timestamped
    by ``tsa`` (the PKI's by default), trusting the PKI's root unless told."""
    fields.setdefault("level", Level.B_LT)
    fields.setdefault("trust_roots", pki_roots(pki))
    return pki_request(pki, src, out, signer, tsa_urls=(tsa or pki.tsa_url(),), **fields)


def _fails(exc_type: type[ShomeiError], call: object, req: object) -> str:
    src, out = req.input_path, req.output_path  # type: ignore[attr-defined]
    before = sha256(src)
    with pytest.raises(exc_type) as info:
        call(req, FixedSecret(KEY_PASSWORD))  # type: ignore[operator]
    assert not out.exists()
    assert leftovers(out.parent, out.name) == []
    assert sha256(src) == before
    assert "Traceback" not in str(info.value)
    # the sentence, then the library's words naming the certificate (--verbose)
    return f"{info.value}\n{info.value.technical or ''}"


def test_sign_b_lt_without_revocation_pointers_fails(
    pki: PKI, source: Path, tmp_path: Path
) -> None:
    """It used to write a B-T file and say B-LT."""
    req = _gated(pki, source, tmp_path / "o.pdf", signer_without_pointers(pki, tmp_path))
    msg = _fails(LevelNotReachedError, sign_pdf, req)
    assert "B-LT was not reached" in msg and "no OCSP responder and no CRL" in msg
    assert "Nora No-Pointers" in msg


def test_sign_b_lt_with_the_responder_down_fails(pki: PKI, source: Path, tmp_path: Path) -> None:
    p12 = signer_without_pointers(pki, tmp_path, dead_url="http://127.0.0.1:9/ocsp")
    req = _gated(pki, source, tmp_path / "o.pdf", p12)
    msg = _fails(RevocationFetchError, sign_pdf, req)
    assert "could not be obtained" in msg and "Nora No-Pointers" in msg


def test_sign_b_lt_with_the_same_pki_signer_passes_the_gate(
    pki: PKI, source: Path, tmp_path: Path
) -> None:
    req = _gated(pki, source, tmp_path / "o.pdf", "signer-ec")
    assert sign_pdf(req, FixedSecret(KEY_PASSWORD)).level is Level.B_LT


def test_sign_with_an_unreachable_tsa_fails(pki: PKI, source: Path, tmp_path: Path) -> None:
    req = _gated(pki, source, tmp_path / "o.pdf", "signer-rsa", tsa=DEAD_TSA)
    assert "cannot be reached" in _fails(TimestampError, sign_pdf, req)


def test_extend_b_b_to_b_lt_fails_naming_the_missing_timestamp(
    pki: PKI, signed_bb: Path, tmp_path: Path
) -> None:
    """`extend --level B-LT --tsa <dead>` used to say B-LT and leave a B-B file."""
    req = extend_request(pki, signed_bb, tmp_path / "lt.pdf", Level.B_LT, tsa_urls=(DEAD_TSA,))
    msg = _fails(LevelNotReachedError, extend_pdf, req)
    assert "Signature1 has no timestamp" in msg and "B-LTA" in msg


def test_extend_to_b_lta_with_an_unreachable_tsa_fails(
    pki: PKI, signed_bb: Path, tmp_path: Path
) -> None:
    req = extend_request(pki, signed_bb, tmp_path / "lta.pdf", Level.B_LTA, tsa_urls=(DEAD_TSA,))
    assert "cannot be reached" in _fails(TimestampError, extend_pdf, req)


def test_extend_b_b_to_b_lta_reaches_it(pki: PKI, signed_bb: Path, tmp_path: Path) -> None:
    req = extend_request(
        pki, signed_bb, tmp_path / "lta.pdf", Level.B_LTA, tsa_urls=(pki.tsa_url(),)
    )
    assert extend_pdf(req).level is Level.B_LTA


def test_self_signed_signer_at_b_lt(pki: PKI, source: Path, tmp_path: Path) -> None:
    """Untrusted: a one-line refusal. Trusted as its own anchor, it needs no
    revocation data, so B-LT is really reached."""
    p12, pem = self_signed_signer(tmp_path)
    out = tmp_path / "o.pdf"
    msg = _fails(CertificateError, sign_pdf, _gated(pki, source, out, p12, trust_roots=()))
    assert "trust anchor" in msg
    trust = (pem, pki.cert_pem_path("root"))  # the TSA chains to the PKI root
    result = sign_pdf(_gated(pki, source, out, p12, trust_roots=trust), FixedSecret(KEY_PASSWORD))
    assert result.level is Level.B_LT


def test_self_signed_signer_without_key_usage_is_one_clear_error(
    pki: PKI, source: Path, tmp_path: Path
) -> None:
    """pyHanko's InvalidCertificateError came out as a traceback."""
    p12, pem = self_signed_signer(tmp_path, key_usage=False)
    req = _gated(pki, source, tmp_path / "o.pdf", p12, trust_roots=(pem,))
    assert "non repudiation" in _fails(CertificateError, sign_pdf, req)


@pytest.mark.parametrize("level", [Level.B_LT, Level.B_LTA])
def test_self_signed_tsa_at_b_lt_and_b_lta(
    pki: PKI, source: Path, tmp_path: Path, level: Level
) -> None:
    """Without its certificate as a trust anchor: a one-line refusal (it was
    a traceback); with it, the level is reached."""
    with self_signed_tsa() as (url, pem):
        req = _gated(pki, source, tmp_path / "o.pdf", "signer-rsa", tsa=url, level=level)
        msg = _fails(CertificateError, sign_pdf, req)
        assert "Self-Signed TSA" in msg and "--trust" in msg
        trusted = dataclasses.replace(req, trust_roots=(*req.trust_roots, pem))
        assert sign_pdf(trusted, FixedSecret(KEY_PASSWORD)).level is level


def test_self_signed_tsa_at_b_t_is_named_in_a_warning(
    pki: PKI, source: Path, tmp_path: Path
) -> None:
    """B-T validates no chain, so the timestamp is accepted, but not silently."""
    with self_signed_tsa() as (url, _pem):
        req = pki_request(pki, source, tmp_path / "o.pdf", level=Level.B_T, tsa_urls=(url,))
        result = sign_pdf(req, FixedSecret(KEY_PASSWORD))
    assert result.level is Level.B_T
    assert any("Self-Signed TSA" in w and "is self-signed" in w for w in result.warnings)


@pytest.mark.parametrize("level", [Level.B_LT, Level.B_LTA])
def test_the_gate_reads_an_encrypted_output(pki: PKI, tmp_path: Path, level: Level) -> None:
    """The gate opens the output with the input's password (the DSS is
    encrypted too): an encrypted file still reaches B-LT and B-LTA."""
    src = make_pdf(tmp_path / "enc.pdf", user_password="pdf-pw")

    class Answers:
        def ask(self, request: SecretRequest) -> str:
            return KEY_PASSWORD if request.kind is SecretKind.KEY_PASSWORD else "pdf-pw"

    req = _gated(pki, src, tmp_path / "o.pdf", "signer-ec", level=level)
    assert sign_pdf(req, Answers()).level is level


def test_the_gate_names_what_is_missing(pki: PKI, source: Path, tmp_path: Path) -> None:
    """The gate itself, on files of a known level asked for more."""
    from signing.sign.level_gate import verify_level

    def signed(level: Level) -> Path:
        req = _gated(pki, source, tmp_path / f"{level.value}.pdf", "signer-rsa", level=level)
        return sign_pdf(req, FixedSecret(KEY_PASSWORD)).output_path

    cases = [
        (signed(Level.B_B), Level.B_T, "has no timestamp"),
        (signed(Level.B_T), Level.B_LT, "the responder may be down"),
        (signed(Level.B_LT), Level.B_LTA, "no document timestamp covers"),
    ]
    for path, asked, words in cases:
        with path.open("rb") as f, pytest.raises(LevelNotReachedError, match=words) as info:
            verify_level(f, asked)
        assert f"{asked.value} was not reached" in str(info.value)
        with path.open("rb") as f:
            verify_level(f, Level.B_B if asked is Level.B_T else Level.B_T)  # what it has
    with cases[1][0].open("rb") as f, pytest.raises(LevelNotReachedError) as info:
        verify_level(f, Level.B_LT)
    assert pki.ocsp_url() in str(info.value)  # the pointer that gave nothing
