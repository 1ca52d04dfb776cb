"""Whether a CMS signer's signed attributes are DER-encoded (RFC 5652, 5.4:
the signature is computed over their DER encoding).

A signer that signed some other (BER) encoding made a signature over bytes a
DER re-encoding does not reproduce; EU DSS re-encodes the attributes and
reports HASH_FAILURE. We check the encoding as stored instead of re-encoding
(asn1crypto keeps the parsed bytes): definite, minimal lengths and SET OF
members in DER order, at every level.
"""

from __future__ import annotations

from typing import Any

from asn1crypto import core

#: the tags whose contents are a SET OF: SET, and signed attributes' [0] IMPLICIT
_SETS = frozenset({0x31, 0xA0})
#: deeper than any real attribute: stop rather than recurse on hostile data
_MAX_DEPTH = 32


class _NotDer(Exception):
    pass


def _header(data: bytes, pos: int) -> tuple[int, int, int]:
    """(first tag byte, content start, content end) of the TLV at ``pos``."""
    if pos >= len(data):
        raise _NotDer("truncated")
    tag = data[pos]
    pos += 1
    if tag & 0x1F == 0x1F:  # high tag number form
        while True:
            if pos >= len(data):
                raise _NotDer("truncated tag")
            more = data[pos] & 0x80
            pos += 1
            if not more:
                break
    if pos >= len(data):
        raise _NotDer("truncated length")
    first = data[pos]
    pos += 1
    if first == 0x80:
        raise _NotDer("an indefinite length")
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        raw = data[pos : pos + count]
        if len(raw) != count:
            raise _NotDer("truncated length")
        if raw[0] == 0:
            raise _NotDer("a length with leading zero bytes")
        length = int.from_bytes(raw, "big")
        if length < 0x80:
            raise _NotDer("a long-form length where the short form is required")
        pos += count
    end = pos + length
    if end > len(data):
        raise _NotDer("a length beyond the data")
    return tag, pos, end


def _walk(data: bytes, start: int, end: int, depth: int) -> int:
    """Check the TLV at ``start``; returns where it ends."""
    if depth > _MAX_DEPTH:
        raise _NotDer("nesting too deep")
    tag, cstart, cend = _header(data, start)
    if cend > end:
        raise _NotDer("a member longer than its parent")
    if tag & 0x20:  # constructed: check the members
        members = []
        pos = cstart
        while pos < cend:
            nxt = _walk(data, pos, cend, depth + 1)
            members.append(data[pos:nxt])
            pos = nxt
        if tag in _SETS and members != sorted(members):
            raise _NotDer("SET OF members out of DER order")
    elif tag == 0x01 and data[cstart:cend] not in (b"\x00", b"\xff"):
        raise _NotDer("a BOOLEAN other than 00 or FF")
    return cend


def der_problem(encoded: bytes) -> str | None:
    """Why ``encoded`` (one complete TLV) is not DER, else ``None``."""
    try:
        end = _walk(encoded, 0, len(encoded), 0)
    except _NotDer as exc:
        return str(exc)
    if end != len(encoded):
        return "data after the end"
    return None


def signed_attributes_not_der(signer_info: Any) -> str | None:
    """Why a CMS signer's signed attributes are not DER-encoded (None: they
    are, or there are none). Read before anything parses them: asn1crypto
    may encode parsed attributes anew."""
    try:
        attrs = signer_info["signed_attrs"]
        if isinstance(attrs, core.Void):
            return None
        return der_problem(attrs.dump())
    except (ValueError, KeyError, TypeError):
        return None
