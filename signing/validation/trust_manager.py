"""pyHanko's trust manager over Shomei's anchors, at a cost that does not grow
with the EU lists.

:class:`SimpleTrustManager` prepares every anchor's name for comparison (LDAP
string preparation, ~0.5 ms each) when it is built, and pyHanko copies every
root of one into the certificate registry of each validation context (about
ten per signature). With every EU list cached (~1500 CA certificates) that
was ~0.8 s per process and ~0.8 s per file. :class:`AnchorTrustManager`
answers the same questions from indexes that need no name preparation:

* ``as_trust_anchor`` / ``is_root``: anchors with the same public key (an
  authority is a name *and* a key), then pyHanko's own equality;
* ``find_potential_issuers``: anchors whose subject key identifier is the
  certificate's authority key identifier, plus the few anchors without one;
  a certificate without an authority key identifier falls back to the
  name-prepared map, built once on first need. Every candidate then passes
  pyHanko's own ``is_potential_issuer_of`` (name, key identifier, issuer and
  serial), so the answers are those of :class:`SimpleTrustManager`;
* only anchors that are not on an EU list (the user's, the Japanese list's,
  explicit ones) are copied into each context's registry; EU anchors are
  found as issuers and roots through the trust manager.

An anchor whose name cannot be parsed (a malformed entry on a list) matches
nothing instead of failing every validation (pyHanko's manager raises).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator

from asn1crypto import x509
from pyhanko_certvalidator.authority import (
    Authority,
    AuthorityWithCert,
    CertTrustAnchor,
    TrustAnchor,
    TrustedServiceType,
)

from signing import thirdparty_internals as internals
from signing.pdf.limits import check_time
from signing.validation.lazy_anchors import LazyCert

_SKI = "2.5.29.14"
_ISSUER_TYPES = (TrustedServiceType.UNSPECIFIED, TrustedServiceType.CERTIFICATE_AUTHORITY)


def _subject_key_id(cert: x509.Certificate) -> bytes | None:
    """The subject key identifier, read without parsing every extension."""
    try:
        for ext in cert["tbs_certificate"]["extensions"] or ():
            if ext["extn_id"].dotted == _SKI:
                value: bytes = ext["extn_value"].parsed.native
                return value
    except (ValueError, TypeError, KeyError):
        return None
    return None


class _Slot:
    """One anchor of the indexes: a parsed certificate, or one parsed (and
    made a :class:`CertTrustAnchor`) when a lookup first lands on it."""

    __slots__ = ("_anchor", "_source")

    def __init__(self, source: x509.Certificate | LazyCert) -> None:
        self._source: x509.Certificate | LazyCert | None = source
        self._anchor: CertTrustAnchor | None = None

    @property
    def anchor(self) -> CertTrustAnchor | None:
        source = self._source
        if source is not None:
            # (two threads may both parse it: the same answer, no lock needed;
            # the source is dropped only once the anchor is in place)
            cert = source.cert if isinstance(source, LazyCert) else source
            if cert is not None:  # (None: a certificate asn1crypto cannot read)
                self._anchor = CertTrustAnchor(cert)
            self._source = None
        return self._anchor


def _anchors(slots: Iterable[_Slot]) -> Iterator[CertTrustAnchor]:
    for slot in slots:
        anchor = slot.anchor
        if anchor is not None:
            yield anchor


class AnchorTrustManager(internals.IndexedTrustManagerBase):  # type: ignore[misc]
    """A :class:`SimpleTrustManager` (pyHanko treats it as one) with indexed
    lookups; :meth:`iter_certs` yields only the ``registered`` anchors."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._anchors: list[_Slot] = []
        self._by_key: dict[bytes, list[_Slot]] = defaultdict(list)
        self._by_key_id: dict[bytes, list[_Slot]] = defaultdict(list)
        self._without_key_id: list[_Slot] = []
        self._by_name: dict[str, list[CertTrustAnchor]] | None = None
        self._lock = threading.Lock()
        self._registered: tuple[x509.Certificate, ...] = ()

    @classmethod
    def over(
        cls,
        roots: Iterable[x509.Certificate | LazyCert],
        registered: Iterable[x509.Certificate],
    ) -> AnchorTrustManager:
        """Over ``roots`` (parsed, or :class:`LazyCert` parsed on first use);
        ``registered`` go into each validation context's registry."""
        manager = cls()
        seen: set[tuple[bytes, bytes]] = set()
        for cert in roots:
            if isinstance(cert, LazyCert):
                key, subject, key_id = cert.keys.spki, cert.keys.subject, cert.keys.key_id
            else:
                key, subject = bytes(cert.public_key.dump()), bytes(cert.subject.dump())
                key_id = _subject_key_id(cert)
            ident = (subject, key)
            if ident in seen:
                continue
            seen.add(ident)
            anchor = _Slot(cert)
            manager._anchors.append(anchor)
            manager._by_key[key].append(anchor)
            if key_id:
                manager._by_key_id[key_id].append(anchor)
            else:
                manager._without_key_id.append(anchor)
        manager._registered = tuple(registered)
        return manager

    def _name_map(self) -> dict[str, list[CertTrustAnchor]]:
        with self._lock:
            if self._by_name is None:
                by_name: dict[str, list[CertTrustAnchor]] = defaultdict(list)
                for anchor in _anchors(self._anchors):
                    try:
                        by_name[anchor.authority.name.hashable].append(anchor)
                    except (ValueError, TypeError, KeyError):
                        continue  # a name that cannot be compared matches nothing
                self._by_name = by_name
            return self._by_name

    def is_root(self, cert: x509.Certificate) -> bool:
        # (asked at every step of every candidate path: the file's deadline
        # holds while pyHanko builds paths through a forged certificate maze)
        check_time()
        return self.as_trust_anchor(AuthorityWithCert(cert)) is not None

    def as_trust_anchor(self, authority: Authority) -> TrustAnchor | None:
        for anchor in _anchors(self._by_key.get(bytes(authority.public_key.dump()), ())):
            try:
                if anchor.authority == authority:
                    return anchor
            except (ValueError, TypeError, KeyError):
                continue  # as above
        return None

    def iter_certs(self) -> Iterator[x509.Certificate]:
        return iter(self._registered)

    def find_potential_issuers(self, cert: x509.Certificate) -> Iterator[TrustAnchor]:
        check_time()
        aki = cert.authority_key_identifier
        candidates: Iterable[CertTrustAnchor]
        if aki:
            # an anchor with another key identifier is no issuer (pyHanko's rule)
            candidates = _anchors((*self._by_key_id.get(aki, ()), *self._without_key_id))
        else:
            candidates = self._name_map().get(cert.issuer.hashable, ())
        for anchor in candidates:
            if anchor.trust_qualifiers.trusted_service_type not in _ISSUER_TYPES:
                continue
            try:
                if anchor.authority.is_potential_issuer_of(cert):
                    yield anchor
            except (ValueError, TypeError, KeyError):
                continue  # an anchor whose name cannot be read issues nothing


__all__ = ["AnchorTrustManager"]
