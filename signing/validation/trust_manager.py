"""pyHanko's trust manager over Shomei's anchors, without a per-signature cost
that grows with the EU lists.

pyHanko copies every root of a :class:`SimpleTrustManager` into the
certificate registry of each validation context it builds (about ten per
signature): with every EU list cached (~1500 CA certificates) that copy cost
~0.8 s per file. The roots are found as issuers through the trust manager
itself, so only the anchors that are not on an EU list (the user's, the
Japanese list's, explicit ones) are copied; EU anchors are still trust
anchors, issuers and roots exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from asn1crypto import x509
from pyhanko_certvalidator.registry import SimpleTrustManager


class AnchorTrustManager(SimpleTrustManager):  # type: ignore[misc]
    """A :class:`SimpleTrustManager` whose :meth:`iter_certs` (what pyHanko
    copies into each validation context) yields only ``registered``."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._registered: tuple[x509.Certificate, ...] = ()

    @classmethod
    def over(
        cls, roots: Iterable[x509.Certificate], registered: Iterable[x509.Certificate]
    ) -> AnchorTrustManager:
        manager = cls()
        for root in roots:
            manager._register_root(root)
        manager._registered = tuple(registered)
        return manager

    def iter_certs(self) -> Iterator[x509.Certificate]:
        return iter(self._registered)


__all__ = ["AnchorTrustManager"]
