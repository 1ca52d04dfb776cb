"""Downloading trusted lists with ``requests``: timeouts, retries with
exponential backoff, proxy from settings or the environment, a size cap."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Protocol

from .tl_errors import TrustListFetchError
from .tl_xml import MAX_LIST_BYTES

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
    #: seconds for one whole download (a server trickling a byte now and
    #: then never trips ``read_timeout``)
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
        import requests

        s = self.settings
        try:
            with self._session.get(
                url, timeout=(s.connect_timeout, s.read_timeout), stream=True
            ) as resp:
                if resp.status_code >= 400:
                    err = TrustListFetchError(
                        f"The server answered HTTP {resp.status_code} for {url}."
                    )
                    err.http_status = resp.status_code
                    raise err
                too_big = TrustListFetchError(
                    f"The download from {url} exceeds {s.max_bytes} bytes."
                )
                too_big.http_status = _NOT_WORTH_RETRYING
                declared = resp.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > s.max_bytes:
                    raise too_big
                # (read1: whatever has arrived, so that the deadline is
                # checked while a server trickles a byte now and then, which
                # never trips the read timeout)
                deadline = time.monotonic() + s.total_timeout
                chunks: list[bytes] = []
                size = 0
                while chunk := resp.raw.read1(64 * 1024, decode_content=True):
                    size += len(chunk)
                    if size > s.max_bytes:
                        raise too_big
                    if time.monotonic() > deadline:
                        raise TrustListFetchError(
                            f"The download from {url} took longer than {s.total_timeout:.0f} s."
                        )
                    chunks.append(chunk)
                return b"".join(chunks)
        except requests.Timeout as exc:
            raise TrustListFetchError(
                f"The trusted-list server did not answer within {s.read_timeout:.0f} s: {url}"
            ) from exc
        except requests.RequestException as exc:
            raise TrustListFetchError(f"Could not download {url}: {exc}") from exc

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
                log.info("download of %s failed (attempt %d): %s", url, attempt + 1, exc)
                if attempt + 1 < self.settings.attempts and delay > 0:
                    time.sleep(delay)
                    delay *= 2
        assert last is not None
        raise last
