"""PLAIN-ECDSA signatures (BSI TR-03111, OIDs 0.4.0.127.0.7.1.1.4.1.x), as
made by German qualified signature cards: the same ECDSA, with the signature
value stored as the plain concatenation r || s instead of the DER
ECDSA-Sig-Value, under an algorithm identifier of its own. EU DSS accepts
them (its default policy lists PLAIN-ECDSA); asn1crypto and pyHanko do not
know the OIDs, and answered SIG_CRYPTO_FAILURE on genuine signatures.

Before validation, a signer's algorithm is rewritten in memory to the
matching ecdsa-with-SHA* and its value to DER; the signed attributes and the
document digest are untouched, so the check is exactly the one the signer's
algorithm asks for. Nothing is written back to the file.
"""

from __future__ import annotations

from asn1crypto import algos, cms

_PREFIX = "0.4.0.127.0.7.1.1.4.1."
#: BSI TR-03111 ecdsa-plain-* -> asn1crypto's name of the same ECDSA with DER values
PLAIN_ECDSA = {
    _PREFIX + "1": "sha1_ecdsa",
    _PREFIX + "2": "sha224_ecdsa",
    _PREFIX + "3": "sha256_ecdsa",
    _PREFIX + "4": "sha384_ecdsa",
    _PREFIX + "5": "sha512_ecdsa",
    _PREFIX + "8": "sha3_224_ecdsa",
    _PREFIX + "9": "sha3_256_ecdsa",
    _PREFIX + "10": "sha3_384_ecdsa",
    _PREFIX + "11": "sha3_512_ecdsa",
}


def plain_to_der(value: bytes) -> bytes:
    """r || s (two halves of equal length) -> DER ECDSA-Sig-Value."""
    if not value or len(value) % 2:
        raise ValueError("a plain ECDSA signature value has two halves of equal length")
    half = len(value) // 2
    r = int.from_bytes(value[:half], "big")
    s = int.from_bytes(value[half:], "big")
    return bytes(algos.DSASignature({"r": r, "s": s}).dump())


def normalise_plain_ecdsa(signed_data: cms.SignedData) -> int:
    """Rewrite every PLAIN-ECDSA signer of ``signed_data`` to standard ECDSA
    (in memory). Returns how many were rewritten; a malformed value is left
    as it is (its signature then fails as before)."""
    count = 0
    for signer_info in signed_data["signer_infos"]:
        algo = signer_info["signature_algorithm"]
        oid = algo["algorithm"].dotted
        name = PLAIN_ECDSA.get(oid)
        if name is None:
            continue
        try:
            der = plain_to_der(signer_info["signature"].native)
        except (ValueError, TypeError):
            continue
        # (ECDSA identifiers carry no parameters, RFC 5758)
        signer_info["signature_algorithm"] = algos.SignedDigestAlgorithm({"algorithm": name})
        signer_info["signature"] = der
        count += 1
    return count
