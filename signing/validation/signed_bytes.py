"""Did the signed bytes change? The digest check alone, before (and
whatever happens in) the rest of a validation.

A byte flipped inside the signed range (in a certificate or CRL stream a
document timestamp covers, say) can make a later step raise on the damaged
data. The signature is broken all the same: that is INVALID / HASH_FAILURE,
never "could not be validated".

Used by :mod:`signing.validation.pipeline`; not a public API.
"""

from __future__ import annotations

from asn1crypto import core
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


__all__ = ["digest_matches"]
