"""Certificates made on the spot: a self-signed one for keys that only need a
certificate around them (a test list signer, a benchmark signer), and the
builder the tests that need particular extensions start from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID


def cert_builder(
    key: Any,
    subject: x509.Name,
    *,
    valid_from: dt.datetime,
    valid_until: dt.datetime,
    issuer: x509.Name | None = None,
    serial: int | None = None,
) -> x509.CertificateBuilder:
    """A certificate for private ``key``'s public key, named ``subject`` and
    issued by ``issuer`` (itself by default), serial ``serial`` (random by
    default), valid from ``valid_from`` to ``valid_until``: add extensions, sign."""
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject if issuer is None else issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number() if serial is None else serial)
        .not_valid_before(valid_from)
        .not_valid_after(valid_until)
    )


def self_signed_cert(key: Any, common_name: str, *, days: int = 30) -> x509.Certificate:
    """A certificate for ``key`` named ``CN=common_name``, valid from yesterday for
    ``days`` days."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    yesterday, until = now - dt.timedelta(days=1), now + dt.timedelta(days=days)
    return cert_builder(key, name, valid_from=yesterday, valid_until=until).sign(
        key, hashes.SHA256()
    )
