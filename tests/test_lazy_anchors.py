"""The DER walker of signing.validation.lazy_anchors reads, from every real
anchor it accepts, exactly what asn1crypto reads; what it cannot read plainly
it refuses, so the caller parses it in full."""

from __future__ import annotations

from pathlib import Path

import pytest
from asn1crypto import x509

from signing.trust.config import TrustConfig
from signing.trust.environment import load_environment
from signing.validation import lazy_anchors
from signing.validation.lazy_anchors import (
    AnchorKeys,
    CertPool,
    LazyCert,
    read_anchor,
    read_anchors,
)
from signing.validation.trust_manager import _subject_key_id


@pytest.fixture(scope="module")
def real_ders(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    """The anchors and responders of the bundled EU snapshot and Japanese list."""
    env = load_environment(TrustConfig(eu_cache_dir=tmp_path_factory.mktemp("bundled")))
    ders = [a.cert_der for a in (*env.anchors, *env.responders)]
    assert len(ders) > 1000
    return ders


def test_keys_are_asn1cryptos_on_real_anchors(real_ders: list[bytes]) -> None:
    read = 0
    for der in real_ders:
        keys = read_anchor(der)
        if keys is None:
            continue
        read += 1
        cert = x509.Certificate.load(der)
        assert keys.sha256 == cert.sha256
        assert keys.subject == cert.subject.dump()
        assert keys.spki == cert.public_key.dump()
        assert keys.key_sha1 == cert.public_key.sha1
        assert keys.key_id == _subject_key_id(cert)
    assert read > 0.95 * len(real_ders)  # the walker reads nearly all of them


def test_lazy_certificate_is_parsed_once_on_use(real_ders: list[bytes]) -> None:
    der = real_ders[0]
    keys = read_anchor(der)
    assert keys is not None
    lazy = LazyCert(der, keys)
    assert lazy.cert is not None and lazy.cert.dump() == der
    assert lazy.cert is lazy.cert


def _negative_modulus_cert() -> bytes:
    """An RSA certificate whose modulus is DER-encoded without its leading
    zero byte (as ESTEID-SK 2011 certificates are): a negative INTEGER. The
    signature no longer verifies: only the parsing matters here."""
    import datetime as dt

    from asn1crypto import keys
    from cryptography import x509 as cx509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    from tests.self_signed import cert_builder

    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    name = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, "negative modulus")])
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    made = cert_builder(
        key, name, serial=7, valid_from=start, valid_until=start + dt.timedelta(days=30)
    ).sign(key, hashes.SHA256())
    cert = x509.Certificate.load(made.public_bytes(serialization.Encoding.DER))
    modulus = b"\xc0" + bytes(126) + b"\x01"
    spki = cert["tbs_certificate"]["subject_public_key_info"]
    spki["public_key"] = keys.RSAPublicKey(
        {"modulus": int.from_bytes(modulus, "big", signed=True), "public_exponent": 65537}
    )
    der: bytes = cert.dump(force=True)
    return der


def test_negative_modulus_and_odd_encodings_are_left_to_the_full_parse() -> None:
    der = _negative_modulus_cert()
    assert read_anchor(der) is None  # the tolerant certificate is needed
    plain = x509.Certificate.load(der)
    assert (
        plain["tbs_certificate"]["subject_public_key_info"]["public_key"]
        .parsed["modulus"]
        .contents[0]
        & 0x80
    )
    assert read_anchor(der + b"\x00") is None  # trailing bytes
    assert read_anchor(b"\x30\x80" + der[2:]) is None  # indefinite length
    assert read_anchor(der[:-5]) is None  # cut short
    assert read_anchor(b"") is None


def test_pool_finds_responders_by_key_in_order(real_ders: list[bytes]) -> None:
    lazies = []
    for der in real_ders[:50]:
        keys = read_anchor(der)
        if keys is not None:
            lazies.append(LazyCert(der, keys))
    parsed = x509.Certificate.load(real_ders[60])
    pool = CertPool([*lazies, parsed, *lazies[:3]])  # duplicates kept once
    assert len(pool) == len({x.keys.sha256 for x in lazies} | {parsed.sha256})
    assert parsed.sha256 in pool and lazies[0].keys.sha256 in pool
    found = pool.with_key_sha1(lazies[5].keys.key_sha1)
    assert lazies[5].der in [c.dump() for c in found]
    assert pool.with_key_sha1(b"\x00" * 20) == []
    assert [c.sha256 for c in pool.all()][-1] == parsed.sha256


def _same(a: AnchorKeys | None, b: AnchorKeys | None) -> bool:
    if a is None or b is None:
        return a is b
    fields = ("sha256", "subject", "spki", "key_sha1", "key_id", "spans")
    return all(getattr(a, f) == getattr(b, f) for f in fields)


def test_memo_gives_what_the_walker_reads(
    real_ders: list[bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memo = tmp_path / "anchor-keys.bin"
    ders = [*real_ders, _negative_modulus_cert()]
    walked = [read_anchor(d) for d in ders]
    assert any(k is not None and k.key_id is None for k in walked)  # (both kinds kept)
    first = read_anchors(ders, memo)
    assert all(_same(a, b) for a, b in zip(first, walked, strict=True))
    written = memo.read_bytes()
    # the second run reads every plain anchor from the memo and writes nothing
    walks: list[bytes] = []
    monkeypatch.setattr(lazy_anchors, "read_anchor", lambda d: walks.append(d) or read_anchor(d))
    again = read_anchors(ders, memo)
    assert walks == [ders[-1]]  # only the one that is not plain DER
    assert all(_same(a, b) for a, b in zip(again, walked, strict=True))
    assert memo.read_bytes() == written
    # another configuration's anchors are added, the first ones kept
    read_anchors(ders[:10], memo)
    assert memo.read_bytes() == written


def test_damaged_memo_is_read_again(real_ders: list[bytes], tmp_path: Path) -> None:
    memo = tmp_path / "anchor-keys.bin"
    ders = real_ders[:200]
    walked = [read_anchor(d) for d in ders]
    read_anchors(ders, memo)
    data = bytearray(memo.read_bytes())
    # every record's subject span moved by one byte: none fits its certificate
    header = len(b"shomei-anchor-keys-1\n")
    pos = header
    while pos < len(data):
        data[pos + 32] += 1
        n = int.from_bytes(data[pos + 68 : pos + 70], "little")
        pos += 70 + (0 if n == 0xFFFF else n)
    memo.write_bytes(bytes(data))
    assert all(_same(a, b) for a, b in zip(read_anchors(ders, memo), walked, strict=True))
    for junk in (b"", b"not a memo", data[: header + 50]):
        memo.write_bytes(bytes(junk))
        got = read_anchors(ders, memo)
        assert all(_same(a, b) for a, b in zip(got, walked, strict=True))
