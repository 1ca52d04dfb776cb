"""Every failure is a specific error class; afterwards no output file (nor a
temporary one) remains and the input is byte-for-byte unchanged."""

from __future__ import annotations

import base64
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from asn1crypto import tsp

from signing.errors import (
    CertificateExpiredError,
    CertificateRevokedError,
    EncryptedPdfError,
    FieldInUseError,
    FieldNotFoundError,
    KeyFileError,
    NotAPdfError,
    OutputError,
    ShomeiError,
    TimestampError,
    TruncatedPdfError,
    UserCancelled,
    WrongPasswordError,
)
from signing.keys.pkcs12 import Pkcs12KeySource
from signing.secrets import FixedSecret, SecretRequest
from signing.sign.request import FieldPlacement, Level, SignRequest
from signing.sign.signer import sign_pdf
from tests.pdf_factory import make_pdf
from tests.pki import KEY_PASSWORD, PKI
from tests.sign_checks import leftovers, sha256, unwritable_folder

# --- a misbehaving "TSA" on loopback ------------------------------------------


class _BadTsa(BaseHTTPRequestHandler):
    real_tsa = ""

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def _reply(self, status: int, body: bytes, ctype: str = "application/timestamp-reply") -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the timeout test)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path == "/garbage":
            self._reply(200, b"<html>this is not a time-stamp</html>")
        elif self.path == "/http500":
            self._reply(500, b"oops", "text/plain")
        elif self.path == "/slow":
            time.sleep(2.0)
            self._reply(200, b"too late")
        elif self.path == "/rejected":
            info = tsp.PKIStatusInfo(
                {"status": "rejection", "status_string": ["policy not accepted"]}
            ).dump()
            # TimeStampResp without a token (asn1crypto wants one to dump it)
            self._reply(200, b"\x30" + bytes([len(info)]) + info)
        elif self.path == "/wrong-nonce":
            # A genuine token from the real TSA, but for another request.
            req = tsp.TimeStampReq.load(body)
            req["nonce"] = req["nonce"].native + 1
            real = requests.post(
                self.real_tsa,
                data=req.dump(),
                headers={"Content-Type": "application/timestamp-query"},
                timeout=10,
            )
            self._reply(200, real.content)
        elif self.path == "/bad-signature":
            # A genuine answer whose token signature was altered on the way.
            real = requests.post(
                self.real_tsa,
                data=body,
                headers={"Content-Type": "application/timestamp-query"},
                timeout=10,
            ).content
            resp = tsp.TimeStampResp.load(real)
            signer_info = resp["time_stamp_token"]["content"]["signer_infos"][0]
            value = bytearray(signer_info["signature"].native)
            value[10] ^= 0x01
            signer_info["signature"] = bytes(value)
            self._reply(200, resp.dump(force=True))
        else:
            self._reply(404, b"", "text/plain")


@pytest.fixture(scope="module")
def bad_tsa(pki: PKI) -> Iterator[str]:
    handler = type("Handler", (_BadTsa,), {"real_tsa": pki.tsa_url()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = int(s.getsockname()[1])
    s.close()
    return port


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return make_pdf(tmp_path / "in.pdf")


def _req(pki: PKI, src: Path, out: Path, *, label: str = "signer-rsa", **kw: Any) -> SignRequest:
    kw.setdefault("level", Level.B_B)
    return SignRequest(
        input_path=src,
        output_path=out,
        key_source=Pkcs12KeySource(pki.p12_path(label)),
        trust_roots=(pki.cert_pem_path("root"),),
        **kw,
    )


def fails_cleanly(
    exc_type: type[ShomeiError],
    req: SignRequest,
    prompt: Any = None,
    *,
    call: Callable[..., Any] = sign_pdf,
) -> ShomeiError:
    """Run, expect ``exc_type``, and check nothing was left behind."""
    src = req.input_path
    before = sha256(src) if src.is_file() else None
    with pytest.raises(exc_type) as info:
        call(req, prompt or FixedSecret(KEY_PASSWORD))
    out = req.output_path
    assert not out.exists()
    if out.parent.is_dir():
        assert leftovers(out.parent, out.name) == []
    if before is not None:
        assert sha256(src) == before
    assert str(info.value)  # a message for the user
    return info.value


# --- keys and certificates ----------------------------------------------------


def test_wrong_pkcs12_password(pki: PKI, source: Path, tmp_path: Path) -> None:
    fails_cleanly(WrongPasswordError, _req(pki, source, tmp_path / "o.pdf"), FixedSecret("nope"))


def test_wrong_then_right_password_retries(pki: PKI, source: Path, tmp_path: Path) -> None:
    answers = iter(["nope", KEY_PASSWORD])
    seen: list[bool] = []

    class Prompt:
        def ask(self, request: SecretRequest) -> str:
            seen.append(request.retry)
            return next(answers)

    sign_pdf(_req(pki, source, tmp_path / "o.pdf"), Prompt())
    assert seen == [False, True]
    assert (tmp_path / "o.pdf").exists()


def test_cancelled_password_prompt(pki: PKI, source: Path, tmp_path: Path) -> None:
    class Cancel:
        def ask(self, request: SecretRequest) -> str:
            raise UserCancelled()

    fails_cleanly(UserCancelled, _req(pki, source, tmp_path / "o.pdf"), Cancel())


def test_not_a_key_file(pki: PKI, source: Path, tmp_path: Path) -> None:
    bogus = tmp_path / "key.p12"
    bogus.write_bytes(b"certainly not PKCS#12")
    req = SignRequest(
        input_path=source, output_path=tmp_path / "o.pdf", key_source=Pkcs12KeySource(bogus)
    )
    fails_cleanly(KeyFileError, req)


def test_expired_signer(pki: PKI, source: Path, tmp_path: Path) -> None:
    err = fails_cleanly(
        CertificateExpiredError, _req(pki, source, tmp_path / "o.pdf", label="signer-expired")
    )
    assert "2024-01-01" in str(err)


def test_revoked_signer_at_b_lt(pki: PKI, source: Path, tmp_path: Path) -> None:
    req = _req(
        pki,
        source,
        tmp_path / "o.pdf",
        label="signer-revoked",
        level=Level.B_LT,
        tsa_urls=(pki.tsa_url(),),
    )
    fails_cleanly(CertificateRevokedError, req)


# --- time-stamping servers ----------------------------------------------------


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/garbage", "not a time-stamp response"),
        ("/http500", "HTTP 500"),
        ("/rejected", "refused"),
        ("/wrong-nonce", "wrong nonce"),
        ("/bad-signature", "signature does not verify"),
    ],
)
def test_tsa_bad_answers(
    pki: PKI, bad_tsa: str, source: Path, tmp_path: Path, path: str, words: str
) -> None:
    url = bad_tsa + path
    req = _req(pki, source, tmp_path / "o.pdf", level=Level.B_T, tsa_urls=(url,))
    err = fails_cleanly(TimestampError, req)
    assert url in str(err) and words in str(err)


def test_tsa_unreachable(pki: PKI, closed_port: int, source: Path, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port}/tsa"
    req = _req(pki, source, tmp_path / "o.pdf", level=Level.B_T, tsa_urls=(url,))
    err = fails_cleanly(TimestampError, req)
    assert url in str(err) and "cannot be reached" in str(err)


def test_tsa_timeout(pki: PKI, bad_tsa: str, source: Path, tmp_path: Path) -> None:
    url = bad_tsa + "/slow"
    req = _req(pki, source, tmp_path / "o.pdf", level=Level.B_T, tsa_urls=(url,), tsa_timeout=0.5)
    err = fails_cleanly(TimestampError, req)
    assert url in str(err) and "within 0.5 s" in str(err)


def test_tsa_failover_to_the_next(
    pki: PKI, bad_tsa: str, closed_port: int, source: Path, tmp_path: Path
) -> None:
    urls = (f"http://127.0.0.1:{closed_port}/tsa", bad_tsa + "/garbage", pki.tsa_url())
    result = sign_pdf(
        _req(pki, source, tmp_path / "o.pdf", level=Level.B_T, tsa_urls=urls),
        FixedSecret(KEY_PASSWORD),
    )
    assert result.output_path.exists()
    assert any(urls[0] in w and urls[1] in w for w in result.warnings)


def test_all_tsas_failing_names_each(
    pki: PKI, bad_tsa: str, closed_port: int, source: Path, tmp_path: Path
) -> None:
    urls = (f"http://127.0.0.1:{closed_port}/tsa", bad_tsa + "/garbage")
    err = fails_cleanly(
        TimestampError, _req(pki, source, tmp_path / "o.pdf", level=Level.B_LT, tsa_urls=urls)
    )
    assert all(u in str(err) for u in urls)


# --- documents and output -----------------------------------------------------


def test_not_a_pdf(pki: PKI, tmp_path: Path) -> None:
    src = tmp_path / "notes.pdf"
    src.write_text("just some text, no PDF header\n" * 50)
    fails_cleanly(NotAPdfError, _req(pki, src, tmp_path / "o.pdf"))


def test_truncated_pdf(pki: PKI, source: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.pdf"
    data = source.read_bytes()
    cut.write_bytes(data[: len(data) * 2 // 3])
    fails_cleanly(TruncatedPdfError, _req(pki, cut, tmp_path / "o.pdf"))


def test_encrypted_without_password(pki: PKI, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "locked.pdf", user_password="s3cret")
    # FixedSecret answers the key password for every question, so the PDF
    # password is wrong and then refused.
    fails_cleanly(EncryptedPdfError, _req(pki, src, tmp_path / "o.pdf"))


def test_field_not_found(pki: PKI, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "f.pdf", empty_fields=["Approval"])
    err = fails_cleanly(
        FieldNotFoundError,
        _req(pki, src, tmp_path / "o.pdf", placement=FieldPlacement.existing("Nope")),
    )
    assert "Approval" in str(err)


def test_field_already_signed(pki: PKI, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "f.pdf", empty_fields=["Approval"])
    once = sign_pdf(
        _req(pki, src, tmp_path / "once.pdf", placement=FieldPlacement.existing("Approval")),
        FixedSecret(KEY_PASSWORD),
    )
    fails_cleanly(
        FieldInUseError,
        _req(
            pki, once.output_path, tmp_path / "o.pdf", placement=FieldPlacement.existing("Approval")
        ),
    )


def test_output_folder_not_writable(pki: PKI, source: Path, tmp_path: Path) -> None:
    folder = unwritable_folder(tmp_path)
    if folder is None:
        pytest.skip("no folder here refuses writes to this user")
    fails_cleanly(OutputError, _req(pki, source, folder / "o.pdf"))


def test_output_folder_missing(pki: PKI, source: Path, tmp_path: Path) -> None:
    fails_cleanly(OutputError, _req(pki, source, tmp_path / "nowhere" / "o.pdf"))


def test_output_must_not_be_the_input(pki: PKI, source: Path) -> None:
    before = sha256(source)
    with pytest.raises(OutputError):
        sign_pdf(_req(pki, source, source), FixedSecret(KEY_PASSWORD))
    assert sha256(source) == before


def test_existing_output_survives_a_failure(pki: PKI, source: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.pdf"
    out.write_bytes(b"previous result")
    with pytest.raises(WrongPasswordError):
        sign_pdf(_req(pki, source, out), FixedSecret("nope"))
    assert out.read_bytes() == b"previous result"


def test_garbage_tsa_reply_is_not_base64_either(bad_tsa: str) -> None:
    # guard for the fixture itself: the garbage answer really is not DER
    body = requests.post(bad_tsa + "/garbage", data=b"x", timeout=5).content
    with pytest.raises(ValueError):
        tsp.TimeStampResp.load(body).native  # noqa: B018
    assert base64.b64encode(body)


def test_truncated_inside_the_last_update(pki: PKI, source: Path, tmp_path: Path) -> None:
    """Cut in the middle of an incremental update: the earlier revision's
    %%EOF is still there, but the file is not complete."""
    signed = sign_pdf(_req(pki, source, tmp_path / "signed.pdf"), FixedSecret(KEY_PASSWORD))
    data = signed.output_path.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: source.stat().st_size + 300])
    fails_cleanly(TruncatedPdfError, _req(pki, cut, tmp_path / "o.pdf"))
