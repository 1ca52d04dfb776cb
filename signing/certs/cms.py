"""Plain facts about a CMS signer: its algorithms and its signature timestamp
tokens (for the result model and the signing level checks)."""

from __future__ import annotations

from asn1crypto import cms, core


def digest_algorithm(signer_info: cms.SignerInfo) -> str | None:
    try:
        return str(signer_info["digest_algorithm"]["algorithm"].native)
    except (ValueError, KeyError):
        return None


def signature_algorithm(signer_info: cms.SignerInfo) -> str | None:
    try:
        return str(signer_info["signature_algorithm"].signature_algo)
    except (ValueError, KeyError):
        try:
            return str(signer_info["signature_algorithm"]["algorithm"].native)
        except (ValueError, KeyError):
            return None


def signature_timestamp_tokens(signer_info: cms.SignerInfo) -> list[cms.ContentInfo]:
    tokens: list[cms.ContentInfo] = []
    unsigned = signer_info["unsigned_attrs"]
    if isinstance(unsigned, core.Void):
        return tokens
    for attr in unsigned:
        if attr["type"].native == "signature_time_stamp_token":
            tokens.extend(attr["values"])
    return tokens
