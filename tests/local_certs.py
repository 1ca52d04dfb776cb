"""Certificates and services the certomancer PKI does not have: a signer
without revocation pointers (issued by the PKI's intermediate CA), a
self-signed signer, and a time-stamping server on loopback whose
certificate is self-signed and which can be made slow."""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.pki import KEY_PASSWORD, PKI

_SIGN_USAGE = x509.KeyUsage(True, True, False, False, False, False, False, False, False)


def _builder(subject: str, issuer: x509.Name, key: Any) -> x509.CertificateBuilder:
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
    )


def _p12(path: Path, key: Any, cert: x509.Certificate, chain: list[x509.Certificate]) -> Path:
    enc = serialization.BestAvailableEncryption(KEY_PASSWORD.encode())
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"k", key, cert, chain or None, enc))
    return path


def signer_without_pointers(pki: PKI, folder: Path, *, dead_url: str | None = None) -> Path:
    """A PKCS#12 for a signer the PKI's intermediate issued with neither an
    AIA OCSP URL nor a CRL distribution point (the chain has both); with
    ``dead_url``, both pointers name that (unanswering) URL instead."""
    interm = x509.load_der_x509_certificate(pki.cert_der("interm"))
    root = x509.load_der_x509_certificate(pki.cert_der("root"))
    key = ec.generate_private_key(ec.SECP256R1())
    builder = _builder("Nora No-Pointers", interm.subject, key).add_extension(
        _SIGN_USAGE, critical=True
    )
    if dead_url is not None:
        uri = x509.UniformResourceIdentifier(dead_url)
        builder = builder.add_extension(
            x509.AuthorityInformationAccess(
                [x509.AccessDescription(x509.oid.AuthorityInformationAccessOID.OCSP, uri)]
            ),
            critical=False,
        ).add_extension(
            x509.CRLDistributionPoints([x509.DistributionPoint([uri], None, None, None)]),
            critical=False,
        )
    cert = builder.sign(pki.private_key("interm"), hashes.SHA256())
    name = "dead-pointers.p12" if dead_url else "no-pointers.p12"
    return _p12(folder / name, key, cert, [interm, root])


def self_signed_signer(folder: Path, *, key_usage: bool = True) -> tuple[Path, Path]:
    """(PKCS#12, PEM of its certificate) for a self-signed signer; without
    ``key_usage`` the certificate does not allow non-repudiation."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Sam Self-Signed")])
    cert = _builder("Sam Self-Signed", name, key)
    if key_usage:
        cert = cert.add_extension(_SIGN_USAGE, critical=True)
    signed = cert.sign(key, hashes.SHA256())
    tag = "ku" if key_usage else "noku"
    pem = folder / f"self-signed-{tag}.pem"
    pem.write_bytes(signed.public_bytes(serialization.Encoding.PEM))
    return _p12(folder / f"self-signed-{tag}.p12", key, signed, []), pem


class _Tsa(BaseHTTPRequestHandler):
    stamper: Any = None
    delay = 0.0

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        time.sleep(self.delay)
        answer = self.stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
        except (BrokenPipeError, ConnectionResetError):
            pass


@contextmanager
def self_signed_tsa(delay: float = 0.0) -> Iterator[tuple[str, Path]]:
    """A TSA on loopback with a self-signed certificate (no revocation
    pointers); yields (URL, PEM of its certificate). ``delay`` seconds pass
    before each answer."""
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # (RSA-only)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Self-Signed TSA")])
    cert = (
        _builder("Self-Signed TSA", name, key)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    der_key = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(der_key),
    )
    handler = type("Handler", (_Tsa,), {"stamper": stamper, "delay": delay})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with tempfile.TemporaryDirectory() as tmp:
        pem = Path(tmp) / "tsa.pem"
        pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        try:
            yield f"http://127.0.0.1:{server.server_port}/", pem
        finally:
            server.shutdown()
            server.server_close()
