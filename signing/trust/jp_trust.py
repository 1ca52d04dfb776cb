"""Shomei's Japanese trust list in the trusted-list cache: the list in use, its
status, and updates downloaded from a URL.

The list ships with the app (``resources/trust/jp/JP-TL.xml``, see
:mod:`signing.trust.jp_list`); a newer signed copy may be downloaded::

    jp = JpTrust.open(JpTrustConfig())        # seeds the cache from the bundled list
    jp.status()                               # one TerritoryStatus, key "JP", scheme "jp"
    report = jp.update("https://.../JP-TL.xml")   # worker thread: network
    jp.current()                              # the JpTrustList to validate with

A download goes through the same door as the EU lists
(:func:`signing.trust.tl_update.accept_list`: safe XML, an XAdES signature by a
pinned signer, a lower sequence number refused as a rollback, an atomic store
under ``<cache>/jp/``, the failure recorded while the last good copy stays) and
through the Japanese loader's own checks first
(:func:`signing.trust.jp_list.load_jp_trust_list`: TSL type and territory ``JP``,
national statuses and non-qualified service types only).

The Japanese list is never an EU list: it has its own cache folder (scheme
``jp``), and its status row carries ``scheme="jp"``.
:func:`signing.trust.status.trust_status` gives the EU rows and then the
Japanese one, for the GUI and ``shomei trust status``.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from signing.errors import TrustListError
from signing.model.reasons import causes
from signing.trust.eu import TerritoryStatus, UpdateReport, default_cache_dir, utcnow
from signing.trust.jp_list import (
    JP_TSL_TYPE,
    JpTrustList,
    accept_update,
    bundled_list_path,
    load_jp_trust_list,
    pinned_signer_certs,
)
from signing.trust.tl_errors import TrustListRollbackError
from signing.trust.tl_fetch import Fetcher, FetchSettings, HttpFetcher
from signing.trust.tl_store import ListState, TrustListStore
from signing.trust.tl_update import accept_list, claimed_issue_time
from signing.trust.tl_verify import sha256_hex, verify_trust_list
from signing.trust.tl_xml import parse_safely, read_header

log = logging.getLogger(__name__)

__all__ = [
    "JP_KEY",
    "JP_LIST_URL_ENV",
    "JP_SCHEME",
    "JpTrust",
    "JpTrustConfig",
    "default_update_url",
    "jp_status_row",
]

#: the cache folder (``<cache>/jp``) and the ``scheme`` of the status row
JP_SCHEME = "jp"
#: the list's key in the cache and its status row
JP_KEY = "JP"


@dataclass(frozen=True)
class JpTrustConfig:
    """Where the Japanese list is cached and whom to believe."""

    #: the trusted-list cache root (the same folder as the EU lists; own subfolder)
    cache_dir: Path = field(default_factory=default_cache_dir)
    #: pinned signer certificates (DER) a downloaded list must be signed by;
    #: ``None``: the app's pinned set (``resources/trust/jp/signers``)
    signers: tuple[bytes, ...] | None = None
    #: the list shipped with the app, seeded into the cache when newer; ``None``: none
    bundled_list: Path | None = field(default_factory=bundled_list_path)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    #: where updates come from (the setting; an organisation's mirror); ``None``: the
    #: default, :func:`default_update_url`
    update_url: str | None = None


#: environment variable naming the update URL (an organisation's mirror) for every
#: process of a machine or a deployment
JP_LIST_URL_ENV = "SHOMEI_JP_LIST_URL"


def default_update_url(current: JpTrustList | None) -> str | None:
    """The update URL when the user set none: ``$SHOMEI_JP_LIST_URL``, else where the
    list in use says it is published (its signed ``DistributionPoints``), else none."""
    configured = os.environ.get(JP_LIST_URL_ENV, "").strip()
    if configured:
        return configured
    if current is not None and current.distribution_points:
        return current.distribution_points[0]
    return None


class JpTrust:
    """The Japanese list: cache, bundled copy, status and update."""

    def __init__(self, config: JpTrustConfig, store: TrustListStore) -> None:
        self.config = config
        self.store = store

    @classmethod
    def open(
        cls, config: JpTrustConfig | None = None, *, seed: bool = True, now: datetime | None = None
    ) -> JpTrust:
        """The cached list (no network). With ``seed``, the bundled list first
        replaces a cached one with a lower sequence number (or fills an empty cache)."""
        config = config or JpTrustConfig()
        trust = cls(config, TrustListStore(config.cache_dir, JP_SCHEME))
        if seed:
            trust.seed_from_bundled(now=now)
        return trust

    @property
    def signers(self) -> tuple[bytes, ...]:
        """Who may sign a downloaded list."""
        if self.config.signers is not None:
            return self.config.signers
        return pinned_signer_certs()

    def _cache_signers(self) -> tuple[bytes, ...]:
        # the cache holds downloads (configured signers) or the seeded bundled list
        # (the app's pinned signers)
        pinned = pinned_signer_certs()
        return (*self.signers, *(c for c in pinned if c not in self.signers))

    def state(self) -> ListState | None:
        return self.store.state(JP_KEY)

    def seed_from_bundled(self, *, now: datetime | None = None) -> bool:
        """Store the bundled list when it is newer than the cached one; ``True`` if stored.

        A bundled list that fails verification is recorded in the state (and so in
        :meth:`status`), never raised: the app still starts.
        """
        path = self.config.bundled_list
        if path is None:
            return False
        try:
            data = path.read_bytes()
            claimed = read_header(parse_safely(data)).sequence
        except (OSError, TrustListError) as exc:
            log.warning("the bundled Japanese trust list cannot be read: %s", exc)
            return False
        state = self.state()
        if state is not None and state.has_list and (state.sequence or 0) >= claimed:
            return False
        try:
            accept_list(
                self.store,
                JP_KEY,
                data,
                pinned_signer_certs(),
                url="",
                now=now or utcnow(),
                source="snapshot",
                validation_time=claimed_issue_time(data),
                expected_territory=JP_KEY,
                expected_types={JP_TSL_TYPE},
            )
        except TrustListError as exc:
            log.warning("the bundled Japanese trust list was not used: %s", exc)
            return False
        return True

    def current(self) -> JpTrustList:
        """The list to validate with: the cached copy (checked again against the
        pinned signers), else the bundled one.

        :raises TrustListError: neither is usable.
        """
        state = self.state()
        errors: list[tuple[str, str]] = []  # (English, Japanese)
        if state is not None and state.has_list:
            raw = self.store.cached_list(JP_KEY)
            if raw is not None and sha256_hex(raw) == state.sha256:
                try:
                    return load_jp_trust_list(raw, self._cache_signers())
                except TrustListError as exc:
                    errors.append((str(exc), exc.text("ja")))
            else:
                errors.append(
                    (
                        "the cached copy is missing or does not match its state",
                        "保存済みの写しがないか、記録と一致しません",
                    )
                )
        path = self.config.bundled_list
        if path is not None:
            try:
                return load_jp_trust_list(path.read_bytes(), pinned_signer_certs())
            except OSError as exc:
                errors.append(
                    (
                        f"the bundled list cannot be read: {exc}",
                        f"同梱のリストを読み取れません（{causes.file_problem(exc).ja}）",
                    )
                )
            except TrustListError as exc:
                errors.append((str(exc), exc.text("ja")))
        raise TrustListError(
            "No usable Japanese trust list"
            + (
                ": " + "; ".join(e for e, _ in errors)
                if errors
                else " (none cached, none bundled)."
            ),
            ja="使用できる日本のトラストリストがありません"
            + (
                "：" + "／".join(j for _, j in errors)
                if errors
                else "（保存済みも同梱もありません）。"
            ),
        )

    def status(self, now: datetime | None = None) -> TerritoryStatus:
        """The list's status row: key ``JP``, scheme ``jp`` (never an EU territory)."""
        now = now or utcnow()
        s = self.state() or ListState(key=JP_KEY)
        return TerritoryStatus.of(JP_KEY, s, now, scheme=JP_SCHEME)

    def update_url(self) -> str | None:
        """Where :meth:`update` downloads from: the configured URL (a setting,
        ``--jp-url``), else :func:`default_update_url`."""
        if self.config.update_url:
            return self.config.update_url
        try:
            current: JpTrustList | None = self.current()
        except TrustListError:
            current = None
        return default_update_url(current)

    def update(
        self,
        url: str | None = None,
        *,
        fetcher: Fetcher | None = None,
        now: datetime | None = None,
    ) -> UpdateReport:
        """Download the list from ``url`` (default: :meth:`update_url`), verify it,
        refuse a rollback, store it.

        Never raises for a bad download: the error is in the report (and in
        :meth:`status`), and the previous list stays in use. Blocks on the
        network: call it on a worker thread.
        """
        now = now or utcnow()
        url = url or self.update_url()
        if not url:
            exc = TrustListError(
                "No update URL for the Japanese trust list",
                cli_hint=f": set one (setting, --jp-url or ${JP_LIST_URL_ENV}); the list in "
                "use names none.",
                app_hint=": set one in Settings › Trust; the list in use names none.",
                ja="日本のトラストリストの更新URLがありません。",
                cli_hint_ja=f"設定、--jp-url、${JP_LIST_URL_ENV}のいずれかで指定してください"
                "（使用中のリストには記載がありません）。",
                app_hint_ja="設定 › トラストで指定してください"
                "（使用中のリストには記載がありません）。",
            )
            return UpdateReport(errors=((JP_KEY, exc),))
        http: HttpFetcher | None = None
        if fetcher is None:
            http = fetcher = HttpFetcher(self.config.fetch)
        before = self.state()
        try:
            data = fetcher.fetch(url)
            # the shared checks first, for their precise errors (unsafe XML, signature)
            verify_trust_list(
                data, self.signers, expected_territory=JP_KEY, expected_types={JP_TSL_TYPE}
            )
            candidate = load_jp_trust_list(data, self.signers)
            try:
                current: JpTrustList | None = self.current()
            except TrustListError:
                current = None
            try:
                accept_update(current, candidate)
            except TrustListError as exc:
                raise TrustListRollbackError(str(exc), ja=exc.text("ja")) from None
            after = accept_list(
                self.store,
                JP_KEY,
                data,
                self.signers,
                url=url,
                now=now,
                expected_territory=JP_KEY,
                expected_types={JP_TSL_TYPE},
            )
        except TrustListError as exc:
            self.store.record_failure(JP_KEY, exc, now, url)
            return UpdateReport(errors=((JP_KEY, exc),))
        finally:
            if http is not None:
                http.close()
        if before is not None and before.has_list and before.sha256 == after.sha256:
            return UpdateReport(unchanged=(JP_KEY,))
        return UpdateReport(updated=(JP_KEY,))


def jp_status_row(
    config: JpTrustConfig | None = None, now: datetime | None = None
) -> TerritoryStatus:
    """The Japanese list's status row (opens the cache, seeds it from the bundled list)."""
    return JpTrust.open(config, now=now).status(now)
