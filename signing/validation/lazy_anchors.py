"""Trust anchors indexed from their DER bytes, parsed only when one is used.

With the EU lists cached a validation has ~3,400 anchors and responder
certificates; parsing all of them with asn1crypto (and checking each RSA
modulus) took ~2 s of every process, although a file meets a handful. The
indexes only need a few byte ranges of each certificate: the SHA-256 of the
DER, the subject and the public key info as encoded, the subject key
identifier and the SHA-1 of the public key. :func:`read_anchor` reads them
with a small DER walker; :attr:`LazyCert.cert` parses the certificate the
first time a lookup lands on it.

The walker accepts only plain DER it fully understands (definite lengths, the
certificate filling the bytes, a key with no unused bits, an RSA modulus that
is not negative); anything else returns ``None`` and the caller parses the
certificate up front as before, so every value read here is byte for byte
what asn1crypto would give for the same certificate.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import struct
from collections.abc import Iterable, Sequence
from pathlib import Path

from asn1crypto import x509

_SEQUENCE = 0x30
_OID = 0x06
_OCTETS = 0x04
_BITS = 0x03
_INTEGER = 0x02
_SKI_OID = bytes.fromhex("551d0e")  # 2.5.29.14
#: rsaEncryption and RSASSA-PSS: the keys whose modulus may be negative
_RSA_OIDS = (bytes.fromhex("2a864886f70d010101"), bytes.fromhex("2a864886f70d01010a"))


class _NotPlain(Exception):
    """The bytes are not DER the walker reads: parse them fully instead."""


def _tlv(data: bytes, pos: int, end: int) -> tuple[int, int, int]:
    """(tag, start of the contents, end of the element) of the element at ``pos``."""
    if pos + 2 > end:
        raise _NotPlain
    tag = data[pos]
    if tag & 0x1F == 0x1F:
        raise _NotPlain
    first = data[pos + 1]
    if first < 0x80:
        start, length = pos + 2, first
    else:
        n = first & 0x7F
        if n == 0 or n > 4 or pos + 2 + n > end:
            raise _NotPlain
        start, length = pos + 2 + n, int.from_bytes(data[pos + 2 : pos + 2 + n], "big")
    stop = start + length
    if stop > end:
        raise _NotPlain
    return tag, start, stop


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """(tag, element start, contents start, element end) of each child."""
    out = []
    pos = start
    while pos < end:
        tag, cstart, stop = _tlv(data, pos, end)
        out.append((tag, pos, cstart, stop))
        pos = stop
    return out


class AnchorKeys:
    """What the indexes need of one certificate, as asn1crypto would read it."""

    __slots__ = ("key_id", "key_sha1", "sha256", "spans", "spki", "subject")

    def __init__(
        self,
        sha256: bytes,
        subject: bytes,
        spki: bytes,
        key_sha1: bytes,
        key_id: bytes | None,
        spans: tuple[int, int, int, int] = (0, 0, 0, 0),
    ) -> None:
        self.sha256 = sha256
        #: where the subject and the key info lie in the DER (for the memo)
        self.spans = spans
        #: the subject name and the public key info, as encoded
        self.subject = subject
        self.spki = spki
        #: SHA-1 of the public key (an OCSP responder's "by key" identifier)
        self.key_sha1 = key_sha1
        #: the subject key identifier extension, if any
        self.key_id = key_id


def read_anchor(der: bytes) -> AnchorKeys | None:
    """The index keys of the certificate ``der``; ``None`` when it must be
    parsed in full (not plain DER, a negative RSA modulus, ...)."""
    try:
        return _read(der)
    except (_NotPlain, IndexError):
        return None


def _read(der: bytes) -> AnchorKeys:
    tag, start, stop = _tlv(der, 0, len(der))
    if tag != _SEQUENCE or stop != len(der):
        raise _NotPlain
    tbs_tag, tbs_start, tbs_stop = _tlv(der, start, stop)
    if tbs_tag != _SEQUENCE:
        raise _NotPlain
    fields = list(_children(der, tbs_start, tbs_stop))
    if fields and fields[0][0] == 0xA0:  # version
        fields = fields[1:]
    # serial, signature algorithm, issuer, validity, subject, key info, ...
    if len(fields) < 6 or [f[0] for f in fields[:6]] != [_INTEGER, *[_SEQUENCE] * 5]:
        raise _NotPlain
    _, subject_pos, _, subject_stop = fields[4]
    _, spki_pos, spki_start, spki_stop = fields[5]
    key_sha1 = _key_sha1(der, spki_start, spki_stop)
    key_id = None
    for tag, _pos, cstart, cstop in fields[6:]:
        if tag == 0xA3:
            key_id = _subject_key_id(der, cstart, cstop)
        elif tag not in (0x81, 0x82):
            raise _NotPlain
    return AnchorKeys(
        sha256=hashlib.sha256(der).digest(),
        subject=der[subject_pos:subject_stop],
        spki=der[spki_pos:spki_stop],
        key_sha1=key_sha1,
        key_id=key_id,
        spans=(subject_pos, subject_stop, spki_pos, spki_stop),
    )


def _key_sha1(der: bytes, start: int, stop: int) -> bytes:
    parts = list(_children(der, start, stop))
    if len(parts) != 2 or parts[0][0] != _SEQUENCE or parts[1][0] != _BITS:
        raise _NotPlain
    alg = list(_children(der, parts[0][2], parts[0][3]))
    if not alg or alg[0][0] != _OID:
        raise _NotPlain
    _, _, bits_start, bits_stop = parts[1]
    if bits_stop <= bits_start or der[bits_start] != 0:
        raise _NotPlain
    key = der[bits_start + 1 : bits_stop]
    if der[alg[0][2] : alg[0][3]] in _RSA_OIDS:
        # a negative modulus needs the tolerant certificate: parsed in full
        rsa_tag, rsa_start, rsa_stop = _tlv(key, 0, len(key))
        if rsa_tag != _SEQUENCE:
            raise _NotPlain
        mod_tag, mod_start, mod_stop = _tlv(key, rsa_start, rsa_stop)
        if mod_tag != _INTEGER or mod_stop <= mod_start or key[mod_start] & 0x80:
            raise _NotPlain
    return hashlib.sha1(key).digest()


def _subject_key_id(der: bytes, start: int, stop: int) -> bytes | None:
    tag, pos, seq_stop = _tlv(der, start, stop)
    if tag != _SEQUENCE or seq_stop != stop:
        raise _NotPlain
    while pos < seq_stop:
        tag, ext_start, ext_stop = _tlv(der, pos, seq_stop)
        if tag != _SEQUENCE:
            raise _NotPlain
        pos = ext_stop
        # (every element is read, as asn1crypto does before it compares)
        ext = _children(der, ext_start, ext_stop)
        if not ext or ext[0][0] != _OID:
            raise _NotPlain
        if der[ext[0][2] : ext[0][3]] != _SKI_OID:
            continue
        value = ext[-1]
        if value[0] != _OCTETS:
            raise _NotPlain
        inner_tag, inner_start, inner_stop = _tlv(der, value[2], value[3])
        if inner_tag != _OCTETS or inner_stop != value[3]:
            raise _NotPlain
        return der[inner_start:inner_stop]
    return None


# --- the memo: the keys of the anchors met before, from disk -----------------

_MEMO_MAGIC = b"shomei-anchor-keys-1\n"
#: SHA-256 of the DER, the subject's and the key info's spans, the key's SHA-1,
#: then the length of the subject key identifier (0xFFFF: none) and its bytes
_MEMO_RECORD = struct.Struct("<32s4I20sH")
_NO_KEY_ID = 0xFFFF
#: the memo keeps at most this many times the anchors of the current run
_MEMO_KEEP = 3


def read_anchors(ders: Sequence[bytes], memo: Path | None = None) -> list[AnchorKeys | None]:
    """:func:`read_anchor` of each of ``ders``, taking the keys of those met
    before from the file ``memo`` (and writing it when some were new).

    A process meets ~3,400 anchors and reads the same ones every run; the
    memo makes that a SHA-256 per certificate. An entry is used only when it
    fits its certificate (the spans lie inside it and frame one DER element
    each); the memo holds nothing that the cache beside it (where the
    anchors' DER comes from) does not already decide, and is never executed
    (fixed records, no pickle). A missing or damaged memo is read again."""
    known = _read_memo(memo) if memo is not None else {}
    out: list[AnchorKeys | None] = []
    new = False
    for der in ders:
        digest = hashlib.sha256(der).digest()
        entry = known.get(digest)
        keys = _from_memo(der, digest, entry) if entry is not None else None
        if keys is None:
            keys = read_anchor(der)
            new = new or keys is not None
        out.append(keys)
    if new and memo is not None:
        # what other configurations met stays (two in a run are common), up
        # to a bound: after trusted-list updates, old anchors go
        entries = {k.sha256: (*k.spans, k.key_sha1, k.key_id) for k in out if k is not None}
        if len(known) + len(entries) <= _MEMO_KEEP * max(len(entries), 1):
            entries = {**known, **entries}
        _write_memo(memo, entries)
    return out


def _from_memo(
    der: bytes, digest: bytes, entry: tuple[int, int, int, int, bytes, bytes | None]
) -> AnchorKeys | None:
    sa, sb, pa, pb, key_sha1, key_id = entry
    try:
        for start, stop in ((sa, sb), (pa, pb)):
            tag, _, end = _tlv(der, start, len(der))
            if tag != _SEQUENCE or end != stop:
                return None
    except (_NotPlain, IndexError):
        return None
    return AnchorKeys(digest, der[sa:sb], der[pa:pb], key_sha1, key_id, (sa, sb, pa, pb))


def _read_memo(path: Path) -> dict[bytes, tuple[int, int, int, int, bytes, bytes | None]]:
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    if not data.startswith(_MEMO_MAGIC):
        return {}
    known = {}
    pos = len(_MEMO_MAGIC)
    size = _MEMO_RECORD.size
    while pos + size <= len(data):
        digest, sa, sb, pa, pb, key_sha1, n = _MEMO_RECORD.unpack_from(data, pos)
        pos += size
        key_id = None
        if n != _NO_KEY_ID:
            if pos + n > len(data):
                break
            key_id = data[pos : pos + n]
            pos += n
        known[digest] = (sa, sb, pa, pb, key_sha1, key_id)
    return known


def _write_memo(
    path: Path, entries: dict[bytes, tuple[int, int, int, int, bytes, bytes | None]]
) -> None:
    parts = [_MEMO_MAGIC]
    for digest, (sa, sb, pa, pb, key_sha1, key_id) in entries.items():
        n = _NO_KEY_ID if key_id is None else len(key_id)
        if (key_id is not None and n >= _NO_KEY_ID) or len(key_sha1) != 20 or len(digest) != 32:
            continue
        parts.append(_MEMO_RECORD.pack(digest, sa, sb, pa, pb, key_sha1, n))
        if key_id is not None:
            parts.append(key_id)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(b"".join(parts))
        os.replace(tmp, path)
    except OSError:  # a read-only cache: the next run reads the anchors again
        with contextlib.suppress(OSError):
            tmp.unlink()


class LazyCert:
    """A certificate known by its index keys, parsed on first use."""

    __slots__ = ("_cert", "_failed", "der", "keys")

    def __init__(self, der: bytes, keys: AnchorKeys) -> None:
        self.der = der
        self.keys = keys
        self._cert: x509.Certificate | None = None
        self._failed = False

    @property
    def cert(self) -> x509.Certificate | None:
        """The parsed certificate; ``None`` if asn1crypto cannot read it
        (it then matches nothing, as a malformed anchor did before)."""
        if self._cert is None and not self._failed:
            from signing.validation.tolerant_certs import tolerant

            try:
                cert = tolerant(x509.Certificate.load(self.der))
                cert.public_key.dump()
                self._cert = cert
            except (ValueError, TypeError, KeyError):
                self._failed = True
        return self._cert


class CertPool:
    """Certificates by SHA-256, with the lookups trusted OCSP responders need;
    each is parsed when a lookup returns it."""

    def __init__(self, items: Iterable[x509.Certificate | LazyCert]) -> None:
        self._items: dict[bytes, x509.Certificate | LazyCert] = {}
        self._by_key_sha1: dict[bytes, list[bytes]] = {}
        for item in items:
            if isinstance(item, LazyCert):
                digest, key_sha1 = item.keys.sha256, item.keys.key_sha1
            else:
                digest, key_sha1 = item.sha256, item.public_key.sha1
            if digest in self._items:
                continue
            self._items[digest] = item
            self._by_key_sha1.setdefault(key_sha1, []).append(digest)

    def __contains__(self, sha256: object) -> bool:
        return sha256 in self._items

    def __len__(self) -> int:
        return len(self._items)

    def _certificates_for(self, digests: Iterable[bytes]) -> list[x509.Certificate]:
        out = []
        for digest in digests:
            item = self._items[digest]
            cert = item.cert if isinstance(item, LazyCert) else item
            if cert is not None:
                out.append(cert)
        return out

    def with_key_sha1(self, key_sha1: bytes) -> list[x509.Certificate]:
        """The certificates whose public key has this SHA-1, in pool order."""
        return self._certificates_for(self._by_key_sha1.get(key_sha1, ()))

    def all(self) -> list[x509.Certificate]:
        """Every certificate, in pool order (parses them all)."""
        return self._certificates_for(self._items)


__all__ = ["AnchorKeys", "CertPool", "LazyCert", "read_anchor", "read_anchors"]
