"""Which algorithms and key sizes are acceptable, and until when.

pyHanko's default refuses SHA-1 everywhere and ignores time. That rejects
every certificate a CA signed with SHA-1 years ago (real Estonian ID cards of
2011-2015, for one) even though such certificates were issued and used when
SHA-1 was accepted. We follow the validators the corpus comes from:

- in certificates (the chain), SHA-1 is accepted; MD2/MD4/MD5 and RSA keys
  under 1024 bits are not;
- for the signature itself, each weak choice has a sunset date (after the
  ETSI TS 119 312 / SOG-IS tables, SHA-1: the first public collision, 2017).
  Past the sunset, a signature is acceptable only with a proof of existence
  from before it: the engine re-checks at its signature timestamp's time
  (``as_of``), and the timestamp itself is validated in the same run.
"""

from __future__ import annotations

from datetime import UTC, datetime

from asn1crypto import algos, keys
from pyhanko.sign.validation.utils import CMSAlgorithmUsagePolicy
from pyhanko_certvalidator.policy_decl import AlgorithmUsageConstraint, AlgorithmUsagePolicy


def _utc(y: int, m: int = 1, d: int = 1) -> datetime:
    return datetime(y, m, d, tzinfo=UTC)


NEVER = _utc(1970)

#: digest algorithm -> last moment it is acceptable in signatures
DIGEST_SUNSET: dict[str, datetime] = {
    "md2": NEVER,
    "md4": NEVER,
    "md5": _utc(2005),
    "sha1": _utc(2017),
}
#: digests never accepted, not even in certificates
BROKEN_IN_CERTIFICATES = frozenset({"md2", "md4", "md5"})
#: RSA/DSA moduli: below the first value never; below the second until the date
RSA_NEVER_BELOW = 1024
RSA_LEGACY_BELOW = 1900
RSA_LEGACY_SUNSET = _utc(2019)
EC_NEVER_BELOW = 256


def _key_size(public_key: keys.PublicKeyInfo | None) -> tuple[str | None, int | None]:
    if public_key is None:
        return None, None
    try:
        if public_key.algorithm not in ("rsa", "rsassa_pss", "dsa", "ec"):
            return str(public_key.algorithm), None  # EdDSA: fixed sizes
        kind = "rsa" if public_key.algorithm == "rsassa_pss" else str(public_key.algorithm)
        return kind, int(public_key.bit_size)
    except (ValueError, TypeError, KeyError):
        return None, None


def _sig_names(algo: algos.SignedDigestAlgorithm) -> tuple[str, str | None]:
    try:
        name = str(algo.signature_algo)
    except ValueError:
        name = str(algo["algorithm"].native)
    try:
        hash_name: str | None = str(algo.hash_algo)
    except ValueError:
        hash_name = None
    return name, hash_name


def _refuse(reason: str, after: datetime | None = None) -> AlgorithmUsageConstraint:
    return AlgorithmUsageConstraint(allowed=False, not_allowed_after=after, failure_reason=reason)


OK = AlgorithmUsageConstraint(allowed=True)


class ChainAlgorithmPolicy(AlgorithmUsagePolicy):
    """For certificates, CRLs and OCSP responses along the chains."""

    def digest_algorithm_allowed(
        self, algo: algos.DigestAlgorithm, moment: datetime | None
    ) -> AlgorithmUsageConstraint:
        name = str(algo["algorithm"].native)
        if name in BROKEN_IN_CERTIFICATES:
            return _refuse(f"Digest algorithm {name} is broken.")
        return OK

    def signature_algorithm_allowed(
        self,
        algo: algos.SignedDigestAlgorithm,
        moment: datetime | None,
        public_key: keys.PublicKeyInfo | None,
    ) -> AlgorithmUsageConstraint:
        _, hash_name = _sig_names(algo)
        if hash_name in BROKEN_IN_CERTIFICATES:
            return _refuse(f"Digest algorithm {hash_name} is broken.")
        kind, size = _key_size(public_key)
        if kind in ("rsa", "dsa") and size is not None and size < RSA_NEVER_BELOW:
            return _refuse(f"{kind.upper()} key of {size} bits is too small.")
        if kind == "ec" and size is not None and size < EC_NEVER_BELOW:
            return _refuse(f"EC key of {size} bits is too small.")
        return OK


class SignatureAlgorithmPolicy(CMSAlgorithmUsagePolicy):
    """For the CMS signature value and its message digest. ``as_of`` fixes the
    moment of the check (a proven time of existence); otherwise pyHanko's
    moment (the validation time) is used."""

    def __init__(self, as_of: datetime | None = None) -> None:
        self.as_of = as_of

    def _when(self, moment: datetime | None) -> datetime:
        return self.as_of or moment or datetime.now(UTC)

    def digest_algorithm_allowed(
        self, algo: algos.DigestAlgorithm, moment: datetime | None
    ) -> AlgorithmUsageConstraint:
        name = str(algo["algorithm"].native)
        sunset = DIGEST_SUNSET.get(name)
        if sunset is not None and self._when(moment) >= sunset:
            return _refuse(
                f"Digest algorithm {name} is not acceptable after {sunset:%Y-%m-%d}.", sunset
            )
        return OK

    def signature_algorithm_allowed(
        self,
        algo: algos.SignedDigestAlgorithm,
        moment: datetime | None,
        public_key: keys.PublicKeyInfo | None,
    ) -> AlgorithmUsageConstraint:
        _, hash_name = _sig_names(algo)
        when = self._when(moment)
        kind, size = _key_size(public_key)
        if kind in ("rsa", "dsa") and size is not None:
            if size < RSA_NEVER_BELOW:
                return _refuse(f"{kind.upper()} key of {size} bits is too small.", NEVER)
            if size < RSA_LEGACY_BELOW and when >= RSA_LEGACY_SUNSET:
                return _refuse(
                    f"{kind.upper()} key of {size} bits is not acceptable after "
                    f"{RSA_LEGACY_SUNSET:%Y-%m-%d}.",
                    RSA_LEGACY_SUNSET,
                )
        if kind == "ec" and size is not None and size < EC_NEVER_BELOW:
            return _refuse(f"The algorithm ECDSA with key size {size} is too small.", NEVER)
        if hash_name is not None:
            return self.digest_algorithm_allowed(
                algos.DigestAlgorithm({"algorithm": hash_name}), moment
            )
        return OK


#: how the weak choices are named for people
_DIGEST_LABELS = {"sha1": "SHA-1", "md5": "MD5", "md4": "MD4", "md2": "MD2"}


def weak_choices(
    digest: str | None, public_key: keys.PublicKeyInfo | None, at: datetime
) -> list[tuple[str, datetime]]:
    """The signature's own weak choices that are past their sunset at ``at``: each
    as (name for people, last moment it was acceptable), e.g. ``("SHA-1", 2017-01-01)``."""
    out: list[tuple[str, datetime]] = []
    if digest is not None:
        sunset = DIGEST_SUNSET.get(digest)
        if sunset is not None and at >= sunset:
            out.append((_DIGEST_LABELS.get(digest, digest.upper()), sunset))
    kind, size = _key_size(public_key)
    if kind in ("rsa", "dsa") and size is not None:
        if size < RSA_NEVER_BELOW:
            out.append((f"{kind.upper()}-{size}", NEVER))
        elif size < RSA_LEGACY_BELOW and at >= RSA_LEGACY_SUNSET:
            out.append((f"{kind.upper()}-{size}", RSA_LEGACY_SUNSET))
    return out
