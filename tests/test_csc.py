"""Remote signing through the CSC API against certomancer-csc-dummy on loopback."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from signing.certs.summary import CertificatePurpose
from signing.errors import (
    KeyError_,
    RemoteAuthenticationError,
    RemoteAuthorisationError,
    RemoteCredentialNotFoundError,
    RemoteServiceUnavailableError,
    ShomeiError,
)
from signing.keys.csc import CscKeySource, CscSettings, from_spec, list_credentials
from signing.secrets import FixedSecret, NoSecret, SecretKind, SecretRequest
from signing.sign.request import SignRequest
from signing.sign.signer import sign_batch, sign_pdf
from tests import csc_server as cs
from tests.pdf_factory import make_pdf
from tests.pki import PKI
from tests.sign_checks import batch_requests
from tests.test_pkcs11_signing import assert_chain_trusted, assert_pdfsig_valid


class Answers:
    """Answers by kind from lists, recording the requests."""

    def __init__(self, **answers: list[str]) -> None:
        self.answers = {SecretKind[k.upper()]: list(v) for k, v in answers.items()}
        self.requests: list[SecretRequest] = []

    def ask(self, request: SecretRequest) -> str:
        self.requests.append(request)
        queue = self.answers.get(request.kind) or []
        if not queue:
            from signing.errors import UserCancelled

            raise UserCancelled()
        return queue.pop(0)


@pytest.fixture(scope="module")
def csc2(pki: PKI) -> Iterator[cs.CscServer]:
    server = cs.start_csc(pki, scal=2)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def csc1(pki: PKI) -> Iterator[cs.CscServer]:
    server = cs.start_csc(pki, scal=1)
    yield server
    server.stop()


def settings(server: cs.CscServer, **kw: object) -> CscSettings:
    base: dict[str, object] = {"client_id": cs.CLIENT_ID, "client_secret": cs.CLIENT_SECRET}
    base.update(kw)
    return CscSettings(service_url=server.url, **base)  # type: ignore[arg-type]


def test_list_credentials_with_certificates(csc2: cs.CscServer) -> None:
    creds = {c.credential_id: c for c in list_credentials(settings(csc2))}
    rsa = creds["shomei/signer-rsa"]
    assert "Alice Tester" in rsa.certificate.subject
    assert rsa.certificate.qualified and rsa.certificate.purpose is CertificatePurpose.SIGN
    assert creds["shomei/seal-ec"].certificate.purpose is CertificatePurpose.SEAL
    assert rsa.scal == 2 and rsa.key_bits == 2048 and "sha256_rsa" in rsa.algorithms
    assert len(rsa.certificates_der) == 3  # signer, interm, root
    assert not rsa.pin_required
    ec = creds[cs.PROTECTED]
    assert ec.pin_required and ec.otp_required and ec.auth_mode == "explicit"


@pytest.mark.parametrize(
    ("credential", "signer", "pss"),
    [("shomei/signer-rsa", "Alice Tester", False), ("shomei/signer-rsa", "Alice Tester", True)],
    ids=["rsa", "rsa-pss"],
)
def test_remote_signature_passes_pdfsig(
    csc2: cs.CscServer,
    pki: PKI,
    nssdb: str,
    tmp_path: Path,
    credential: str,
    signer: str,
    pss: bool,
) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    out = tmp_path / "out.pdf"
    source = CscKeySource(settings(csc2), credential, prefer_pss=pss)
    sign_pdf(SignRequest(input_path=src, output_path=out, key_source=source), NoSecret())
    assert_pdfsig_valid(nssdb, out, signer)
    assert_chain_trusted(pki, out)


def test_pin_and_otp_are_asked_and_a_wrong_pin_is_asked_again(
    csc2: cs.CscServer, pki: PKI, nssdb: str, tmp_path: Path
) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    out = tmp_path / "out.pdf"
    prompt = Answers(pin=["0000", cs.PIN], otp=[cs.OTP, cs.OTP])
    source = CscKeySource(settings(csc2), cs.PROTECTED)
    sign_pdf(SignRequest(input_path=src, output_path=out, key_source=source), prompt)
    assert [(r.kind, r.retry) for r in prompt.requests] == [
        (SecretKind.PIN, False),
        (SecretKind.OTP, False),
        (SecretKind.PIN, True),
        (SecretKind.OTP, True),
    ]
    assert_pdfsig_valid(nssdb, out, "Aiko Tanaka")
    assert_chain_trusted(pki, out)


def test_wrong_otp_fails_cleanly(csc2: cs.CscServer, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    out = tmp_path / "out.pdf"
    source = CscKeySource(settings(csc2), cs.PROTECTED)
    with pytest.raises(RemoteAuthorisationError, match="PIN or OTP is invalid"):
        sign_pdf(
            SignRequest(input_path=src, output_path=out, key_source=source),
            Answers(pin=[cs.PIN], otp=["999999"]),
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.pdf"]


def test_scal1_batch_uses_one_authorisation(csc1: cs.CscServer, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    source = CscKeySource(
        settings(csc1, client_id=None, access_token=cs.PASTED_TOKEN), "shomei/signer-rsa"
    )
    reqs = batch_requests(src, tmp_path, source, 3)
    before = len(csc1.authorize_calls)
    outcomes = sign_batch(reqs, NoSecret())
    assert all(not isinstance(o, ShomeiError) for o in outcomes), outcomes
    assert len(csc1.authorize_calls) - before == 1
    assert csc1.authorize_calls[-1]["numSignatures"] == 10  # the credential's multisign


def test_scal2_authorises_each_hash(csc2: cs.CscServer, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    source = CscKeySource(settings(csc2), "shomei/seal-rsa")
    reqs = batch_requests(src, tmp_path, source, 2)
    before = len(csc2.authorize_calls)
    outcomes = sign_batch(reqs, NoSecret())
    assert all(not isinstance(o, ShomeiError) for o in outcomes), outcomes
    calls = csc2.authorize_calls[before:]
    assert len(calls) == 2 and all(len(c["hash"]) == 1 for c in calls)


def test_bad_client_secret_and_bad_token(csc2: cs.CscServer) -> None:
    with pytest.raises(RemoteAuthenticationError, match="client id/secret"):
        list_credentials(settings(csc2, client_secret="wrong"))
    with pytest.raises(RemoteAuthenticationError, match="HTTP 401"):
        list_credentials(settings(csc2, client_id=None, access_token="stale"))


def test_unknown_credential(csc2: cs.CscServer, tmp_path: Path) -> None:
    source = CscKeySource(settings(csc2), "shomei/nobody")
    src = make_pdf(tmp_path / "in.pdf")
    with pytest.raises(RemoteCredentialNotFoundError, match="nobody"):
        sign_pdf(
            SignRequest(input_path=src, output_path=tmp_path / "o.pdf", key_source=source),
            NoSecret(),
        )
    assert not (tmp_path / "o.pdf").exists()


def test_service_down_and_service_silent(tmp_path: Path) -> None:
    # nothing listens on this port: refused at once
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    down = CscSettings(service_url=f"http://127.0.0.1:{port}", access_token="x", timeout=2)
    with pytest.raises(RemoteServiceUnavailableError, match="cannot be reached"):
        list_credentials(down)
    # a socket that accepts connections but never answers: the timeout fires
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        slow = CscSettings(service_url=f"http://127.0.0.1:{port}", access_token="x", timeout=0.5)
        with pytest.raises(RemoteServiceUnavailableError, match=r"within 0\.5 s"):
            list_credentials(slow)


def test_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOMEI_CSC_CLIENT_SECRET", "from-env")
    src = from_spec(
        "url=http://127.0.0.1:1/api;credential=shomei%2Fsigner-rsa;client-id=me;timeout=3"
    )
    assert src.credential_id == "shomei/signer-rsa"
    assert (src.settings.client_id, src.settings.client_secret, src.settings.timeout) == (
        "me",
        "from-env",
        3.0,
    )
    assert "from-env" not in repr(src.settings)
    for bad in ("credential=x", "url=ftp://x;credential=y", "url=http://x;credential=y;pin=1"):
        with pytest.raises(KeyError_):
            from_spec(bad)
    assert FixedSecret  # the CLI path is covered in test_pkcs11_cli.py


def test_expired_access_token_is_renewed_once(csc2: cs.CscServer) -> None:
    from signing.keys.csc import CscClient

    client = CscClient(settings(csc2))
    try:
        assert "shomei/signer-rsa" in client.credential_ids()
        before = csc2.token_requests
        csc2.tokens.clear()  # every token handed out so far expires
        assert "shomei/signer-rsa" in client.credential_ids()
        assert csc2.token_requests == before + 1
    finally:
        client.close()
