"""What a signature signed: did the signed bytes change (the digest check
alone, whatever happens in the rest of a validation), and the signature
dictionary as it was signed.

A byte flipped inside the signed range (in a certificate or CRL stream a
document timestamp covers, say) can make a later step raise on the damaged
data. The signature is broken all the same: that is INVALID / HASH_FAILURE,
never "could not be validated".

Used by :mod:`signing.validation.pipeline`; not a public API.
"""

from __future__ import annotations

import hashlib
import re
from typing import IO, Any

from asn1crypto import cms, core
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature


def digest_matches(emb: EmbeddedPdfSignature) -> bool | None:
    """Is the /ByteRange digest the one the signature (its messageDigest
    attribute) or the timestamp token (its message imprint) vouches for?
    None when that cannot be told (no signed attributes, an unreadable
    structure): the full validation decides."""
    try:
        content = emb.signed_data["encap_content_info"]
        if content["content_type"].native == "tst_info":
            imprint = content["content"].parsed["message_imprint"]
            claimed = bytes(imprint["hashed_message"].native)
        else:
            attrs = emb.signer_info["signed_attrs"]
            if isinstance(attrs, core.Void):
                return None
            found = [a for a in attrs if a["type"].native == "message_digest"]
            if len(found) != 1:
                return None
            claimed = bytes(found[0]["values"][0].native)
        return claimed == emb.compute_digest()
    except Exception:  # an unreadable structure: nothing proven either way
        return None


#: files larger than this are not scanned byte by byte when unreadable
MAX_RAW_SCAN = 64 * 1024 * 1024
_RAW_RANGE = re.compile(
    rb"/ByteRange[ \t\r\n]*\[[ \t\r\n]*([0-9]{1,12})[ \t\r\n]+([0-9]{1,12})"
    rb"[ \t\r\n]+([0-9]{1,12})[ \t\r\n]+([0-9]{1,12})[ \t\r\n]*\]"
)


def raw_signature_broken(stream: IO[bytes], size: int) -> bool:
    """For a file no PDF reader structure could be read from: is some
    signature in it proven broken? Each /ByteRange whose gap is exactly a
    hex string holding a CMS signature (or timestamp token) is checked
    against the digest that signature claims; one whose range runs past the
    end of the file lost signed bytes. False when none is proven
    broken (none found, none readable, or all match)."""
    if size > MAX_RAW_SCAN:
        return False
    stream.seek(0)
    data = stream.read(size)
    for match in _RAW_RANGE.finditer(data):
        start1, len1, start2, len2 = (int(g) for g in match.groups())
        if start1 != 0 or start2 <= len1 + 1 or start2 > len(data):
            continue
        gap = data[len1:start2]
        if not (gap.startswith(b"<") and gap.endswith(b">")):
            continue
        claim = _raw_claim(gap[1:-1])
        if claim is None:
            continue
        if start2 + len2 > len(data):
            return True  # bytes the signature covers are gone (a truncated file)
        algo, value = claim
        try:
            digest = hashlib.new(algo, data[:len1] + data[start2 : start2 + len2]).digest()
        except ValueError:  # an unknown digest algorithm: nothing proven
            continue
        if digest != value:
            return True
    return False


def _raw_claim(hex_bytes: bytes) -> tuple[str, bytes] | None:
    """The digest algorithm and value a hex-encoded CMS object vouches for."""
    try:
        info = cms.ContentInfo.load(bytes.fromhex(hex_bytes.decode("ascii")), strict=False)
        signed = info["content"]
        content = signed["encap_content_info"]
        if content["content_type"].native == "tst_info":
            imprint = content["content"].parsed["message_imprint"]
            return (
                str(imprint["hash_algorithm"]["algorithm"].native),
                bytes(imprint["hashed_message"].native),
            )
        signer = signed["signer_infos"][0]
        found = [a for a in signer["signed_attrs"] if a["type"].native == "message_digest"]
        if len(found) != 1:
            return None
        algo = str(signer["digest_algorithm"]["algorithm"].native)
        return algo, bytes(found[0]["values"][0].native)
    except Exception:  # not a readable signature: nothing proven
        return None


def signed_revision(reader: PdfFileReader, byte_range: Any) -> int | None:
    """The last revision whose cross-reference section lies inside the
    signed bytes: the revision the signer saw. (pyHanko's own
    ``signed_revision`` is the last revision that wrote the signature
    dictionary: a later rewrite of it moves that on.)"""
    try:
        end = int(byte_range[2]) + int(byte_range[3])
        found = None
        for rev in range(reader.xrefs.total_revisions):
            if reader.xrefs.get_xref_container_info(rev).start_location < end:
                found = rev
        return found
    except Exception:  # an unreadable byte range or cross-reference section
        return None


def signed_dictionary(
    reader: PdfFileReader, field_ref: Any, byte_range: Any
) -> generic.DictionaryObject | None:
    """The signature dictionary as it was in the signed revision (reached
    from the field as it was then); None when it cannot be found there."""
    rev = signed_revision(reader, byte_range)
    if rev is None:
        return None
    try:
        old = reader.get_historical_resolver(rev)
        ref = field_ref.reference if isinstance(field_ref, generic.IndirectObject) else field_ref
        field = old(ref)
        value = field.raw_get("/V") if isinstance(field, generic.DictionaryObject) else None
        if not isinstance(value, generic.IndirectObject):
            return None
        sig = old(value.reference)
        return sig if isinstance(sig, generic.DictionaryObject) else None
    except Exception:  # not in that revision, or unreadable there
        return None


#: what a signer states in the signature dictionary (shown as such)
STATED_KEYS = ("/Reason", "/Location", "/ContactInfo", "/Name", "/M")


def stated_entries_changed(signed: generic.DictionaryObject, current: Any) -> bool:
    """Does the signature dictionary now say something else than when signed?"""
    for key in STATED_KEYS:
        try:
            was = signed.raw_get(key) if key in signed else None
            now = current.raw_get(key) if key in current else None
        except Exception:
            return True
        if _plain(was) != _plain(now):
            return True
    return False


def _plain(value: Any) -> Any:
    if isinstance(value, (generic.TextStringObject, generic.ByteStringObject)):
        return value.original_bytes
    return value


__all__ = [
    "MAX_RAW_SCAN",
    "STATED_KEYS",
    "digest_matches",
    "raw_signature_broken",
    "signed_dictionary",
    "signed_revision",
    "stated_entries_changed",
]
