"""OCSP, CRL and issuer-certificate fetches, bounded in time and size.

pyhanko-certvalidator's own fetchers bound each wait for bytes, not a whole
request, and read answers of any size: a CRL server trickling bytes held a
validation for minutes, and a huge CRL took gigabytes of memory. The backend
here gives every request one deadline and a size cap per kind of answer
(:mod:`signing.net.bounded_http`); a request past either fails like any other
fetch failure (the status is then unknown, never "good"). Used for
validation (:mod:`signing.validation.context`) and for the validation data
gathered while signing or extending (:func:`signing.sign.signer.make_validation_context`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyhanko_certvalidator.fetchers.api import FetcherBackend, FetchLimits

from signing import thirdparty_internals as internals
from signing.net.bounded_http import HttpAnswer, HttpBounds, fetch

#: seconds for one OCSP/CRL/certificate request, from connecting to the last byte
DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True)
class RevocationFetchBounds:
    """Limits of each revocation-data request."""

    #: seconds for one whole request
    timeout: float = DEFAULT_TIMEOUT
    #: an OCSP response is a few KiB (with certificates, tens of KiB)
    ocsp_max_bytes: int = 1024 * 1024
    #: the largest CRLs of public CAs are tens of MiB
    crl_max_bytes: int = 64 * 1024 * 1024
    #: an issuer certificate (or a small bundle of them)
    cert_max_bytes: int = 1024 * 1024
    #: how many requests one validation context may make (pyHanko's budget)
    limits: FetchLimits = FetchLimits()  # noqa: RUF009 (frozen, immutable)


class BoundedFetcherBackend(FetcherBackend):  # type: ignore[misc]
    """pyhanko-certvalidator's requests-based fetchers, each request bounded
    by :class:`RevocationFetchBounds`. Needs no closing."""

    def __init__(self, bounds: RevocationFetchBounds | None = None) -> None:
        self.bounds = bounds or RevocationFetchBounds()

    def _exchange(
        self, method: str, url: str, data: bytes | None, headers: dict[str, str], max_bytes: int
    ) -> HttpAnswer:
        t = self.bounds.timeout
        http = HttpBounds(connect_timeout=t, read_timeout=t, total_timeout=t, max_bytes=max_bytes)
        return fetch(method, url, bounds=http, data=data, headers=headers)

    def get_fetchers(self) -> Any:
        b = self.bounds
        return internals.bounded_requests_fetchers(
            self._exchange,
            limits=b.limits,
            user_agent=None,
            max_bytes={"ocsp": b.ocsp_max_bytes, "crl": b.crl_max_bytes, "cert": b.cert_max_bytes},
        )

    async def close(self) -> None:
        return None


__all__ = ["DEFAULT_TIMEOUT", "BoundedFetcherBackend", "RevocationFetchBounds"]
