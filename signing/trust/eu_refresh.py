"""Bringing the EU lists up to date: download (or import), verify, store,
and when each list is due again.

:class:`EuUpdater` changes the cache, then has the
:class:`~signing.trust.eu_cache.LiveIndex` reload it. Used by
:class:`signing.trust.eu.EuTrust`; not a public API.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from signing.errors import TrustListError
from signing.trust.eu_cache import EuCache, LiveIndex
from signing.trust.eu_config import LOTL_KEY, EuTrustConfig, utcnow
from signing.trust.eu_index import EuIndex, pointers_json
from signing.trust.tl_errors import (
    TrustListFetchError,
    TrustListFormatError,
    TrustListSignatureError,
)
from signing.trust.tl_fetch import Fetcher, HttpFetcher
from signing.trust.tl_store import ListState, TrustListStore
from signing.trust.tl_update import Transform, accept_list, claimed_issue_time
from signing.trust.tl_verify import TSL_TYPE_LOTL, TlPointer, lotl_pointers, verify_trust_list

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class UpdateReport:
    """What one refresh did: the lists now stored, and the errors per list."""

    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    errors: tuple[tuple[str, TrustListError], ...] = ()
    #: the LOTL's server could not be reached, so no national list was tried
    offline: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class EuUpdater:
    """Downloads and imports lists into the cache of one configuration."""

    def __init__(self, cache: EuCache, live: LiveIndex) -> None:
        self._cache = cache
        self._live = live

    @property
    def _config(self) -> EuTrustConfig:
        return self._cache.config

    @property
    def _store(self) -> TrustListStore:
        return self._cache.store

    def update(
        self,
        territories: Iterable[str] | None = None,
        *,
        fetcher: Fetcher | None = None,
        now: datetime | None = None,
        include_lotl: bool = True,
    ) -> UpdateReport:
        """See :meth:`signing.trust.eu.EuTrust.update`."""
        now = now or utcnow()
        own_fetcher = fetcher is None
        fetch = fetcher or HttpFetcher(self._config.fetch)
        updated: list[str] = []
        unchanged: list[str] = []
        errors: list[tuple[str, TrustListError]] = []

        def accepted(key: str, before: ListState | None, after: ListState) -> None:
            if before is not None and before.sha256 == after.sha256:
                unchanged.append(key)
            else:
                updated.append(key)

        try:
            if include_lotl:
                before = self._store.state(LOTL_KEY)
                try:
                    try:
                        raw = fetch.fetch(self._config.lotl_url)
                    except TrustListError as exc:
                        self._store.record_failure(LOTL_KEY, exc, now, self._config.lotl_url)
                        raise
                    after = self._accept_lotl(raw, fetch, now)
                    accepted(LOTL_KEY, before, after)
                except TrustListError as exc:
                    errors.append((LOTL_KEY, exc))
                    if (
                        territories is None
                        and isinstance(exc, TrustListFetchError)
                        and exc.unreachable
                    ):
                        # The LOTL's server cannot be reached at all: this
                        # machine is most likely offline. Trying thirty list
                        # servers one by one would only make the user wait;
                        # every list keeps its last good copy.
                        self._live.reload()
                        return UpdateReport((), (), tuple(errors), offline=True)
                self._live.reload()
            pointers = [p for p in self._live.get().pointers if not p.is_lotl]
            wanted = {t.upper() for t in territories} if territories is not None else None
            pointers = [
                p
                for p in pointers
                if self._config.wants(p.territory) and (wanted is None or p.territory in wanted)
            ]

            def download(p: TlPointer) -> tuple[TlPointer, bytes | TrustListError]:
                try:
                    return p, fetch.fetch(self._config.list_url(p))
                except TrustListError as exc:
                    return p, exc

            with ThreadPoolExecutor(max_workers=max(1, self._config.workers)) as pool:
                results = list(pool.map(download, pointers))
            for p, got in results:
                before = self._store.state(p.territory)
                if isinstance(got, TrustListError):
                    self._store.record_failure(p.territory, got, now, p.url)
                    errors.append((p.territory, got))
                    continue
                territory, types, transform = self._cache.list_rules(p.territory, self._live.get())
                try:
                    after = accept_list(
                        self._store,
                        p.territory,
                        got,
                        p.signer_certs,
                        url=p.url,
                        now=now,
                        validation_time=self._config.validation_time,
                        expected_territory=territory,
                        expected_types=types,
                        transform=transform,
                    )
                    accepted(p.territory, before, after)
                except TrustListError as exc:
                    errors.append((p.territory, exc))
        finally:
            if own_fetcher and isinstance(fetch, HttpFetcher):
                fetch.close()
        self._live.reload()
        return UpdateReport(tuple(updated), tuple(unchanged), tuple(errors))

    def import_list(
        self,
        key: str,
        data: bytes,
        signer_certs: tuple[bytes, ...] | None = None,
        *,
        validation_time: datetime | None = None,
        now: datetime | None = None,
        url: str = "",
        reload: bool = True,
    ) -> ListState:
        """See :meth:`signing.trust.eu.EuTrust.import_list`."""
        now = now or utcnow()
        key = key.upper()
        if key == LOTL_KEY:
            signers = signer_certs or self._config.pinned_lotl_signers
            extra: Any = pointers_json
            types: set[str] | None = {TSL_TYPE_LOTL}
            territory: str | None = None
            transform: Transform | None = None
        else:
            idx = self._live.get()
            ptr = next(
                (p for p in idx.pointers if p.territory == key and not p.is_lotl),
                None,
            )
            signers = signer_certs or (ptr.signer_certs if ptr else ())
            extra = None
            territory, types, transform = self._cache.list_rules(key, idx)
            url = url or (ptr.url if ptr else "")
        try:
            return accept_list(
                self._store,
                key,
                data,
                signers,
                url=url or (self._config.lotl_url if key == LOTL_KEY else ""),
                now=now,
                source="file",
                validation_time=validation_time or self._config.validation_time,
                expected_territory=territory,
                expected_types=types,
                index_extra=extra,
                transform=transform,
            )
        finally:
            if reload or key == LOTL_KEY:
                self._live.reload()

    def current_lotl_signers(self) -> tuple[bytes, ...]:
        """See :meth:`signing.trust.eu.EuTrust.current_lotl_signers`."""
        pointers = self._live.get().pointers
        announced = [c for p in pointers if p.is_lotl for c in p.signer_certs]
        return tuple(dict.fromkeys((*self._config.pinned_lotl_signers, *announced)))

    def _accept_lotl(self, raw: bytes, fetch: Fetcher, now: datetime) -> ListState:
        def accept(signers: tuple[bytes, ...]) -> ListState:
            return accept_list(
                self._store,
                LOTL_KEY,
                raw,
                signers,
                url=self._config.lotl_url,
                now=now,
                validation_time=self._config.validation_time,
                expected_types={TSL_TYPE_LOTL},
                index_extra=pointers_json,
            )

        try:
            return accept(self.current_lotl_signers())
        except TrustListSignatureError as first:
            try:
                learned = self._bootstrap_from_pivots(raw, fetch)
            except TrustListError as exc:
                log.warning("LOTL pivot bootstrapping failed: %s", exc)
                raise first from exc
            if not learned:
                raise
            return accept(learned)

    def _bootstrap_from_pivots(self, raw: bytes, fetch: Fetcher) -> tuple[bytes, ...]:
        """Follow the pivot LOTLs the new LOTL lists (Implementing Decision
        (EU) 2015/1505, art. 4) from the pinned signers: each pivot must verify
        with the signers announced by the previous one. Returns the signer set
        announced by the last pivot, or ``()`` when there are no pivots."""
        from pyhanko.sign.validation.qualified import eutl_parse

        from signing.trust.tl_xml import normalise, parse_safely, read_header

        parse_safely(raw)  # refuse unsafe XML before anything else reads it
        try:
            urls = eutl_parse.parse_lotl_unsafe(normalise(raw).decode("utf-8")).pivot_urls
        except Exception as exc:
            raise TrustListFormatError(
                f"Cannot read the LOTL's pivot list: {exc}",
                ja="LOTLのピボットリストを読み取れません。",
                technical=f"{type(exc).__name__}: {exc}",
            ) from exc
        pivots: list[tuple[int, str, bytes]] = []
        for url in dict.fromkeys(urls):
            data = fetch.fetch(url)
            pivots.append((read_header(parse_safely(data)).sequence, url, data))
        current = self._config.pinned_lotl_signers
        for _, url, data in sorted(pivots):
            verified = verify_trust_list(
                data,
                current,
                validation_time=self._config.validation_time or claimed_issue_time(data),
                expected_types={TSL_TYPE_LOTL},
            )
            announced = [p.signer_certs for p in lotl_pointers(verified) if p.is_lotl]
            if not announced or not announced[0]:
                raise TrustListSignatureError(
                    f"The pivot LOTL {url} announces no signers.",
                    ja=f"ピボットLOTL {url}には署名者が記載されていません。",
                )
            current = announced[0]
        return current if pivots else ()


def due_for_refresh(config: EuTrustConfig, idx: EuIndex, now: datetime) -> tuple[str, ...]:
    """Keys whose refresh is due: never fetched, past NextUpdate, older
    than ``max_age``; a list that just failed waits ``retry_after``."""
    states = dict(idx.states)
    keys = [LOTL_KEY] + [
        p.territory for p in idx.pointers if not p.is_lotl and config.wants(p.territory)
    ]
    due = []
    for key in keys:
        s = states.get(key)
        if (
            s is not None
            and s.last_error
            and s.last_attempt
            and now - s.last_attempt < config.retry_after
        ):
            continue
        if (
            s is None
            or not s.has_list
            or s.is_stale(now)
            or s.last_success is None
            or now - s.last_success >= config.max_age
            or s.last_error is not None
        ):
            due.append(key)
    return tuple(due)


def next_refresh_time(config: EuTrustConfig, idx: EuIndex, now: datetime) -> datetime:
    """When the next list becomes due (for a GUI timer)."""
    if due_for_refresh(config, idx, now):
        return now
    candidates: list[datetime] = []
    for s in list(idx.states.values()):
        if s.last_error and s.last_attempt:
            candidates.append(s.last_attempt + config.retry_after)
        if s.next_update:
            candidates.append(s.next_update)
        if s.last_success:
            candidates.append(s.last_success + config.max_age)
    return max(now, min(candidates)) if candidates else now
