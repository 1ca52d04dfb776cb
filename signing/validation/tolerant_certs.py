"""Tolerate RSA certificates whose modulus is DER-encoded as a negative integer.

Real Estonian ID-card certificates (ESTEID-SK 2011 era) encode the RSA modulus
without the leading zero byte, so strictly it is a negative INTEGER. Other
validators read it as the unsigned big-endian number it was meant to be;
asn1crypto and pyHanko crash on it (``math domain error`` in ``bit_size``).

We keep the certificate's original bytes (its hash and the issuer's signature
over it must not change) and only give the parsed public key the positive
modulus. The fix lives in a Certificate subclass so that it survives the
copies pyHanko makes (``untag()``), without touching pyHanko or asn1crypto.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from asn1crypto import cms, core, keys, x509

from signing import thirdparty_internals as internals


def _has_negative_modulus(cert: x509.Certificate) -> bool:
    spki = cert["tbs_certificate"]["subject_public_key_info"]
    if spki["algorithm"]["algorithm"].native not in ("rsa", "rsassa_pss"):
        return False
    modulus = spki["public_key"].parsed["modulus"]
    return bool(modulus.contents) and modulus.contents[0] & 0x80 != 0


class SharedCertificate(internals.CertificateWithCopyHook):  # type: ignore[misc]
    """A certificate parsed once and shared by every file that carries it.

    pyHanko takes ``untag()`` copies of the certificates it finds in a CMS
    structure; for an untagged certificate that copy is the same value, so we
    hand back the object itself and keep what asn1crypto has cached on it
    (parsed fields, prepared names for comparisons, hashes)."""

    def untag(self) -> Any:
        if self.explicit is None and not self.implicit:
            return self
        return super().untag()


class TolerantCertificate(SharedCertificate):
    """An X.509 certificate whose parsed RSA modulus is read as unsigned."""

    def after_copy(self) -> None:
        self.normalise()

    def normalise(self) -> None:
        if not _has_negative_modulus(self):
            return
        tbs = self["tbs_certificate"]
        spki = tbs["subject_public_key_info"]
        rsa = spki["public_key"].parsed
        # keep the original encodings of the certificate and its TBS part:
        # only the parsed key object changes
        with internals.encodings_kept(self, tbs):
            spki["public_key"] = keys.RSAPublicKey(
                {
                    "modulus": int.from_bytes(rsa["modulus"].contents, "big"),
                    "public_exponent": rsa["public_exponent"].native,
                }
            )
            spki.dump(force=True)  # the key info alone is re-encoded, positively
            internals.mark_unmutated(spki)


def tolerant(cert: x509.Certificate) -> x509.Certificate:
    """The same certificate, as a TolerantCertificate when it needs one."""
    if isinstance(cert, TolerantCertificate) or not _has_negative_modulus(cert):
        return cert
    fixed = TolerantCertificate.load(cert.dump())
    fixed.normalise()
    return fixed


def _parse_shared(der: bytes) -> x509.Certificate:
    cert = SharedCertificate.load(der)
    if _has_negative_modulus(cert):
        fixed = TolerantCertificate.load(der)
        fixed.normalise()
        return fixed
    return cert


#: certificates parsed once per process, by their DER bytes: the same CA,
#: TSA and signer certificates come back in file after file, and asn1crypto
#: caches what it computes on the object (name preparation for comparisons,
#: hashes, parsed extensions). Bounded; oldest entries go first.
_CACHE: OrderedDict[bytes, x509.Certificate] = OrderedDict()
CACHE_SIZE = 2048


def shared(cert: x509.Certificate) -> x509.Certificate:
    """The process-wide parsed copy of ``cert`` (tolerant when needed)."""
    der = cert.dump()
    hit = _CACHE.get(der)
    if hit is not None:
        _CACHE.move_to_end(der)
        return hit
    try:
        fixed = _parse_shared(der)
    except (ValueError, TypeError, KeyError):
        fixed = cert
    _CACHE[der] = fixed
    if len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return fixed


def normalise_signed_data(signed_data: cms.SignedData) -> int:
    """Swap the certificates of ``signed_data`` (and of its signature
    timestamp tokens) for the shared, tolerant parsed copies (same bytes).
    Returns how many were swapped."""
    count = 0
    certs = signed_data["certificates"]
    if not isinstance(certs, core.Void):
        for choice in certs:
            if choice.name != "certificate":
                continue
            cert = choice.chosen
            replacement = shared(cert)
            if replacement is not cert:
                # replace the parsed alternative in place; the encoding of
                # the certificate itself is kept byte for byte
                internals.replace_chosen(choice, replacement)
                count += 1
    for signer_info in signed_data["signer_infos"]:
        unsigned = signer_info["unsigned_attrs"]
        if isinstance(unsigned, core.Void):
            continue
        for attr in unsigned:
            if attr["type"].native != "signature_time_stamp_token":
                continue
            for token in attr["values"]:
                count += normalise_signed_data(token["content"])
    return count
