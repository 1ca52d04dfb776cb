"""Every network fetch has one deadline for the whole request and a size cap,
and no URL's credentials reach a message or the trust cache.

Real loopback servers: a TSA that trickles its answer a byte at a time (the
per-read timeout never trips), servers that send far more than any answer
needs, a CRL/OCSP server that trickles. Timeouts are short (1 s) so that the
tests stay quick; nothing asserts a duration (they are printed, run with
``-s`` to see them): the outcome is asserted (which error, which server
answered in the end, how much a server could send).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import x509 as ax509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID

from signing.errors import TimestampError
from signing.net.bounded_http import HttpBounds, HttpFailure, fetch_ok, redact_url, redact_urls_in
from signing.net.revocation_fetch import BoundedFetcherBackend, RevocationFetchBounds
from signing.sign.tsa import MAX_RESPONSE_BYTES, FailoverTimeStamper
from tests.pki import PKI
from tests.self_signed import cert_builder

#: seconds between two bytes of a trickling answer (under every read timeout
#: used here, so only a whole-request deadline stops it)
DRIP_EVERY = 0.25
#: what a "huge" server would send if nobody stopped it
HUGE = 512 * 1024 * 1024


@dataclass
class Served:
    """What the test server did for one path."""

    requests: int = 0
    sent: int = 0
    finished: threading.Event = field(default_factory=threading.Event)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _body(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._body()
        self._answer()

    def _answer(self) -> None:
        served = self.server.served.setdefault(self.path, Served())
        served.requests += 1
        try:
            self._serve(served)
        except OSError:
            pass  # the client gave up: what the tests expect
        finally:
            served.finished.set()

    def _send(self, served: Served, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()
        served.sent += len(data)

    def _serve(self, served: Served) -> None:
        stop = self.server.stop
        if self.path.startswith("/drip-body"):
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            while not stop.is_set():
                self._send(served, b"0")
                time.sleep(DRIP_EVERY)
        elif self.path.startswith("/stall"):
            # part of the body, then nothing: the read timeout trips mid-body
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self._send(served, b"<partial")
            stop.wait(30)
        elif self.path.startswith("/cut"):
            # part of the body, then the connection closes
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self._send(served, b"<partial")
        elif self.path.startswith("/drip-headers"):
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            while not stop.is_set():
                self._send(served, b"X")  # one endless header line
                time.sleep(DRIP_EVERY)
        elif self.path.startswith("/huge-declared"):
            self.send_response(200)
            self.send_header("Content-Length", str(HUGE))
            self.end_headers()
            self._flood(served)
        elif self.path.startswith("/huge"):
            # no Content-Length: the size shows only while reading
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            self._flood(served)
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

    def _flood(self, served: Served) -> None:
        chunk = bytes(256 * 1024)
        while served.sent < HUGE and not self.server.stop.is_set():
            self._send(served, chunk)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.served: dict[str, Served] = {}
        self.stop = threading.Event()

    def url(self, path: str, credentials: str = "") -> str:
        return f"http://{credentials}127.0.0.1:{self.server_address[1]}{path}"


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.stop.set()
        srv.shutdown()
        srv.server_close()


def _timed(what: str, started: float) -> None:
    print(f"\n[timing] {what}: {time.monotonic() - started:.2f} s")


# --- time-stamping -------------------------------------------------------------


def _past_a_bad_tsa(
    pki: PKI, bad: str, timeout: float, what: str
) -> tuple[FailoverTimeStamper, Any]:
    """A timestamp asked of ``bad`` first, then of the PKI's TSA, which must be
    the one that answered."""
    stamper = FailoverTimeStamper((bad, pki.tsa_url()), timeout=timeout)
    started = time.monotonic()
    token = stamper.timestamp_sync(hashlib.sha256(b"doc").digest(), "sha256")
    _timed(what, started)
    assert stamper.used_url == pki.tsa_url()
    return stamper, token


@pytest.mark.parametrize("path", ["/drip-body", "/drip-headers"])
def test_a_trickling_tsa_is_given_up_and_the_next_one_answers(
    pki: PKI, server: _Server, path: str
) -> None:
    what = f"trickling TSA ({path}) then the good one"
    stamper, token = _past_a_bad_tsa(pki, server.url(path), 1.0, what)
    assert token["content_type"].native == "signed_data"
    assert len(stamper.skipped) == 1
    assert server.url(path) in stamper.skipped[0] and "within 1 s" in stamper.skipped[0]
    assert server.served[path].requests == 1


def test_a_trickling_tsa_alone_fails_with_one_clear_error(server: _Server) -> None:
    url = server.url("/drip-body")
    started = time.monotonic()
    with pytest.raises(TimestampError) as info:
        FailoverTimeStamper((url,), timeout=1.0).timestamp_sync(bytes(32), "sha256")
    _timed("trickling TSA alone", started)
    assert str(info.value) == (
        f"The time-stamping server {url} did not finish answering within 1 s."
    )


@pytest.mark.parametrize("path", ["/huge", "/huge-declared"])
def test_an_oversized_tsa_answer_is_refused_without_reading_it_all(
    pki: PKI, server: _Server, path: str
) -> None:
    stamper, _token = _past_a_bad_tsa(pki, server.url(path), 5.0, f"oversized TSA answer ({path})")
    assert server.url(path) in stamper.skipped[0] and "sent more than 1 MiB" in stamper.skipped[0]
    served = server.served[path]
    assert served.finished.wait(10), "the client never hung up"
    print(f"[size] {path}: server sent {served.sent / 2**20:.1f} MiB before the client hung up")
    # the cap plus what the sockets' buffers held, far from the whole answer
    assert served.sent < MAX_RESPONSE_BYTES + 32 * 2**20


def test_tsa_credentials_stay_out_of_a_deadline_error(server: _Server) -> None:
    url = server.url("/drip-body", credentials="alice:s3cret@")
    with pytest.raises(TimestampError) as info:
        FailoverTimeStamper((url,), timeout=1.0).timestamp_sync(bytes(32), "sha256")
    assert "s3cret" not in str(info.value) and "alice" not in str(info.value)
    assert server.url("/drip-body") in str(info.value)


# --- OCSP and CRL ----------------------------------------------------------------


def _ca_and_leaf(ocsp_url: str, crl_url: str) -> tuple[ax509.Certificate, ax509.Certificate]:
    """A CA and a certificate it issued whose OCSP and CRL pointers are ours."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Bounds Test CA")])
    start, end = now - dt.timedelta(days=1), now + dt.timedelta(days=30)
    ca = (
        cert_builder(ca_key, ca_name, serial=1, valid_from=start, valid_until=end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    leaf_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Bounds Test Signer")])
    leaf = (
        cert_builder(
            leaf_key, leaf_name, issuer=ca_name, serial=2, valid_from=start, valid_until=end
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp_url)
                    )
                ]
            ),
            critical=False,
        )
        .add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier(crl_url)], None, None, None
                    )
                ]
            ),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )

    def asn(cert: x509.Certificate) -> ax509.Certificate:
        return ax509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))

    return asn(ca), asn(leaf)


def _cause_chain(exc: BaseException | None) -> str:
    parts = []
    while exc is not None:
        parts.append(str(exc))
        exc = exc.__cause__
    return " <- ".join(parts)


@pytest.mark.parametrize(
    ("path", "words"),
    [("/drip-body", "within 1 s"), ("/huge", "sent more than"), ("/huge-declared", "sent more")],
)
def test_a_crl_fetch_is_bounded(server: _Server, path: str, words: str) -> None:
    from pyhanko_certvalidator.errors import CRLFetchError

    _, leaf = _ca_and_leaf(server.url("/no-ocsp"), server.url(path))
    bounds = RevocationFetchBounds(timeout=1.0, crl_max_bytes=1024 * 1024)
    fetchers = BoundedFetcherBackend(bounds).get_fetchers()
    started = time.monotonic()
    with pytest.raises(CRLFetchError) as info:
        asyncio.run(fetchers.crl_fetcher.fetch(leaf))
    _timed(f"CRL fetch ({path})", started)
    assert words in _cause_chain(info.value)
    assert server.served[path].requests == 1
    if path.startswith("/huge"):
        assert server.served[path].finished.wait(10)
        assert server.served[path].sent < 64 * 2**20


def test_an_ocsp_fetch_is_bounded(server: _Server) -> None:
    from pyhanko_certvalidator.authority import AuthorityWithCert
    from pyhanko_certvalidator.errors import OCSPFetchError

    ca, leaf = _ca_and_leaf(server.url("/drip-body"), server.url("/no-crl"))
    fetchers = BoundedFetcherBackend(RevocationFetchBounds(timeout=1.0)).get_fetchers()
    started = time.monotonic()
    with pytest.raises(OCSPFetchError) as info:
        asyncio.run(fetchers.ocsp_fetcher.fetch(leaf, AuthorityWithCert(ca)))
    _timed("OCSP fetch (trickling)", started)
    assert "within 1 s" in _cause_chain(info.value)


def test_signing_gathers_revocation_data_within_the_bounds(server: _Server) -> None:
    """The validation context used to sign and extend (B-LT) fetches through
    the bounded backend: a trickling CRL and OCSP server fails the check of
    the signer's certificate instead of holding it."""
    from pyhanko_certvalidator import CertificateValidator
    from pyhanko_certvalidator.errors import PathValidationError

    from signing.sign.signer import make_validation_context

    ca, leaf = _ca_and_leaf(server.url("/drip-body?ocsp"), server.url("/drip-body?crl"))
    vc = make_validation_context([ca], revocation_bounds=RevocationFetchBounds(timeout=1.0))
    started = time.monotonic()
    with pytest.raises(PathValidationError):
        asyncio.run(CertificateValidator(leaf, validation_context=vc).async_validate_usage(set()))
    _timed("certificate check with trickling OCSP and CRL", started)
    assert sum(s.requests for s in server.served.values()) >= 1


def test_signing_and_validation_use_the_bounded_backend() -> None:
    from signing.sign.signer import make_validation_context
    from signing.validation.context import prepared
    from signing.validation.options import ValidationOptions

    spec = prepared(ValidationOptions(timeout_s=3.0)).revinfo_spec
    assert isinstance(spec.fetcher_backend, BoundedFetcherBackend)
    assert spec.fetcher_backend.bounds.timeout == 3.0
    vc = make_validation_context([])
    assert vc.fetching_allowed


# --- trusted lists and the URL helper --------------------------------------------


def test_redact_url() -> None:
    assert redact_url("https://u:p@h.example:8443/x?y=1#z") == "https://h.example:8443/x?y=1#z"
    assert redact_url("http://user@[::1]/l.xml") == "http://[::1]/l.xml"
    assert redact_url("http://h.example/x") == "http://h.example/x"
    assert redact_url("http://u:p@h:notaport/x") == "http://h:notaport/x"
    assert (
        redact_urls_in("failed: http://a:b@h/x and https://c@d/y")
        == "failed: http://h/x and https://d/y"
    )


def test_fetch_ok_reports_the_status_without_credentials(server: _Server) -> None:
    with pytest.raises(HttpFailure) as info:
        fetch_ok("GET", server.url("/missing", "bob:pw@"), bounds=HttpBounds(total_timeout=2))
    assert info.value.status == 404 and not info.value.retryable
    assert "pw" not in str(info.value) and "bob" not in str(info.value)


def test_list_credentials_stay_out_of_errors_and_the_cache(
    tmp_path: Path, server: _Server, capsys: pytest.CaptureFixture[str]
) -> None:
    from signing.cli.main import main as cli_main

    cache = tmp_path / "cache"
    url = server.url("/missing/lotl.xml", credentials="tluser:tl-s3cret@")
    code = cli_main(
        ["trust", "update", "--cache-dir", str(cache), "--lotl-url", url, "--no-snapshot"]
    )
    out = capsys.readouterr()
    assert code != 0
    assert "tl-s3cret" not in out.out + out.err and "tluser" not in out.out + out.err
    assert server.url("/missing/lotl.xml") in out.out + out.err
    stored = [p for p in cache.rglob("*") if p.is_file()]
    assert any(p.name == "state.json" for p in stored)
    for p in stored:
        text = p.read_bytes()
        assert b"tl-s3cret" not in text and b"tluser" not in text, p
    states = [json.loads(p.read_text()) for p in stored if p.name == "state.json"]
    assert any(server.url("/missing/lotl.xml") in json.dumps(s) for s in states)
    assert cli_main(["trust", "status", "--cache-dir", str(cache), "--lotl-url", url]) == 0
    shown = capsys.readouterr()
    assert "tl-s3cret" not in shown.out + shown.err


def test_a_trickling_list_server_is_given_up(server: _Server) -> None:
    from signing.trust.tl_errors import TrustListFetchError
    from signing.trust.tl_fetch import FetchSettings, HttpFetcher

    url = server.url("/drip-headers/list.xml", credentials="u:listpw@")
    fetcher = HttpFetcher(FetchSettings(read_timeout=1, total_timeout=1, attempts=1))
    started = time.monotonic()
    try:
        with pytest.raises(TrustListFetchError) as info:
            fetcher.fetch(url)
    finally:
        fetcher.close()
    _timed("trickling list server (headers)", started)
    assert "within 1 s" in str(info.value) and "listpw" not in str(info.value)


# --- remote signing (CSC) --------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "error", "words"),
    [
        ("/drip-body", "RemoteServiceUnavailableError", "within 1 s"),
        ("/huge", "RemoteSigningError", "sent more than 4 MiB"),
    ],
)
def test_a_remote_signing_request_is_bounded(
    server: _Server, path: str, error: str, words: str
) -> None:
    from signing import errors
    from signing.keys.csc_client import CscClient, CscSettings

    client = CscClient(
        CscSettings(service_url=server.url(path), access_token="SECRET-TOKEN", timeout=1.0)
    )
    started = time.monotonic()
    with pytest.raises(errors.RemoteSigningError) as info:
        client.post("credentials/authorize", {"credentialID": "x", "PIN": "123456"})
    _timed(f"remote signing request ({path})", started)
    client.close()
    assert type(info.value).__name__ == error and words in str(info.value)
    assert info.value.__cause__ is None and info.value.__context__ is None
    assert "123456" not in str(info.value) and "SECRET" not in str(info.value)


@pytest.mark.parametrize(("path", "words"), [("/stall", "within 1 s"), ("/cut", "broke off")])
def test_a_list_download_broken_mid_body_is_one_error_and_retried(
    server: _Server, path: str, words: str
) -> None:
    from signing.trust.tl_errors import TrustListFetchError
    from signing.trust.tl_fetch import FetchSettings, HttpFetcher

    fetcher = HttpFetcher(FetchSettings(read_timeout=1, total_timeout=5, attempts=2, backoff=0.1))
    try:
        with pytest.raises(TrustListFetchError) as info:
            fetcher.fetch(server.url(path + "/list.xml"))
    finally:
        fetcher.close()
    assert words in str(info.value)
    assert server.served[path + "/list.xml"].requests == 2  # retried once
