"""Downloading trusted lists with ``requests``: a deadline for each whole
download and a size cap (:mod:`signing.net.bounded_http`), retries with
exponential backoff, proxy from settings or the environment."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Protocol

from signing.net.bounded_http import HttpBounds, HttpFailure, fetch_ok, redact_url
from signing.trust.tl_errors import TrustListFetchError, TrustListUnreachableError
from signing.trust.tl_xml import MAX_LIST_BYTES

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FetchSettings:
    #: seconds to connect, seconds between bytes
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    #: attempts in total (1 = no retry)
    attempts: int = 3
    #: first backoff delay in seconds, doubled after every failed attempt
    backoff: float = 1.0
    #: explicit proxy URL (from settings); ``None`` uses HTTP(S)_PROXY / NO_PROXY
    proxy: str | None = None
    max_bytes: int = MAX_LIST_BYTES
    user_agent: str = "Shomei trusted-list client"
    #: seconds for one whole download, from connecting to the last byte (a
    #: server trickling a byte now and then never trips ``read_timeout``)
    total_timeout: float = 120.0


#: ``http_status`` of a failure that retrying cannot mend (not an HTTP code)
_NOT_WORTH_RETRYING = -1


class Fetcher(Protocol):
    def fetch(self, url: str) -> bytes: ...


class HttpFetcher:
    """The real fetcher. One ``requests.Session`` per instance."""

    def __init__(self, settings: FetchSettings | None = None) -> None:
        import requests

        self.settings = settings or FetchSettings()
        self._session = requests.Session()
        self._session.headers["User-Agent"] = self.settings.user_agent
        self._session.headers["Accept"] = "application/vnd.etsi.tsl+xml, text/xml, */*;q=0.5"
        if self.settings.proxy:
            self._session.trust_env = False
            self._session.proxies = {"http": self.settings.proxy, "https": self.settings.proxy}

    def close(self) -> None:
        self._session.close()

    def _once(self, url: str) -> bytes:
        s = self.settings
        bounds = HttpBounds(
            connect_timeout=s.connect_timeout,
            read_timeout=s.read_timeout,
            total_timeout=s.total_timeout,
            max_bytes=s.max_bytes,
        )
        try:
            return fetch_ok("GET", url, bounds=bounds, session=self._session)
        except HttpFailure as failure:
            # (the failure's URL and cause carry no credentials)
            kind = TrustListFetchError if failure.reached else TrustListUnreachableError
            err = kind(
                f"The trusted-list server {failure}.",
                ja=f"トラストリストをダウンロードできません（{failure.url}：{failure.cause_ja}）。",
            )
            err.cause = failure.cause
            err.cause_ja = failure.cause_ja
            if failure.status:
                err.http_status = failure.status
            elif not failure.retryable:
                err.http_status = _NOT_WORTH_RETRYING
            raise err from None

    def fetch(self, url: str) -> bytes:
        delay = self.settings.backoff
        last: TrustListFetchError | None = None
        for attempt in range(max(1, self.settings.attempts)):
            try:
                return self._once(url)
            except TrustListFetchError as exc:
                last = exc
                # a 4xx (or a list too big) will not get better by retrying
                if 400 <= exc.http_status < 500 or exc.http_status == _NOT_WORTH_RETRYING:
                    break
                log.info(
                    "download of %s failed (attempt %d): %s", redact_url(url), attempt + 1, exc
                )
                if attempt + 1 < self.settings.attempts and delay > 0:
                    time.sleep(delay)
                    delay *= 2
        assert last is not None
        raise last
