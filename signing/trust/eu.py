"""The EU trusted lists: the LOTL, verified against pinned signer
certificates, and the national lists it points to, verified against the
certificates the verified LOTL names for each territory.

:class:`EuTrust` is the one object the rest of Shomei uses::

    trust = EuTrust.open(EuTrustConfig())      # warm start from the cache, no network
    report = trust.update()                    # download, verify, store (worker thread)
    trust.status()                             # per territory, for the GUI and the CLI
    trust.anchors()                            # TrustAnchor tuple for validate_pdf
    qualify_signature_entry(..., trust=trust)        # see qualification.py

Warm start reads only ``state.json`` and the per-list JSON indexes (parsed
services keyed by the list's SHA-256); certificates stay DER until a
qualification needs one. A missing or outdated index is rebuilt from the
cached list, whose signature is checked again.

:class:`EuTrust` keeps the public methods and hands the work to small
collaborators: :mod:`signing.trust.eu_config` (settings, where the material
lives), :mod:`signing.trust.eu_cache` (the cache: snapshot seeding, loading,
the index in force), :mod:`signing.trust.eu_refresh` (downloads, imports,
when a list is due) and :mod:`signing.trust.eu_index` (the lookups: services
by subject, anchors, revocation services).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from signing.trust.anchors import TrustAnchor
from signing.trust.eu_cache import EuCache, LiveIndex
from signing.trust.eu_config import EU_LOTL_URL as EU_LOTL_URL
from signing.trust.eu_config import LOTL_KEY as LOTL_KEY
from signing.trust.eu_config import SCHEME as SCHEME
from signing.trust.eu_config import EuTrustConfig as EuTrustConfig
from signing.trust.eu_config import bundled_lotl_signers as bundled_lotl_signers
from signing.trust.eu_config import bundled_snapshot_dir as bundled_snapshot_dir
from signing.trust.eu_config import default_cache_dir as default_cache_dir
from signing.trust.eu_config import load_pem_certs as load_pem_certs
from signing.trust.eu_config import mirrored_url as mirrored_url
from signing.trust.eu_config import resources_dir as resources_dir
from signing.trust.eu_config import utcnow as utcnow
from signing.trust.eu_index import NATIONAL_STATUSES as NATIONAL_STATUSES
from signing.trust.eu_index import POSITIVE_STATUSES as POSITIVE_STATUSES
from signing.trust.eu_index import PRE_EIDAS_POSITIVE_STATUSES as PRE_EIDAS_POSITIVE_STATUSES
from signing.trust.eu_refresh import EuUpdater, due_for_refresh, next_refresh_time
from signing.trust.eu_refresh import UpdateReport as UpdateReport
from signing.trust.tl_fetch import Fetcher
from signing.trust.tl_services import ServiceRecord
from signing.trust.tl_store import ListState, TrustListStore, redact_credentials
from signing.trust.tl_verify import TlPointer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TerritoryStatus:
    """One line of ``shomei trust status``."""

    key: str  # "LOTL" or the territory code
    url: str
    sequence: int | None
    issued: datetime | None
    next_update: datetime | None
    service_count: int
    last_success: datetime | None
    last_error: str | None
    last_error_code: str | None
    source: str
    stale: bool
    #: "eu" for the LOTL and the EU territories, "jp" for Shomei's Japanese list
    #: (never an EU trusted list; see signing/trust/jp_trust.py)
    scheme: str = SCHEME
    #: ``last_error`` in Japanese, as the app shows it
    last_error_ja: str | None = None

    def __post_init__(self) -> None:
        # (the LOTL URL a user gives may carry a user name and password)
        redact_credentials(self)

    @classmethod
    def of(
        cls, key: str, state: ListState, now: datetime, *, url: str = "", scheme: str = SCHEME
    ) -> TerritoryStatus:
        """The row for ``state`` (``url`` when the state has none yet)."""
        return cls(
            key=key,
            url=state.url or url,
            sequence=state.sequence if state.has_list else None,
            issued=state.issued,
            next_update=state.next_update,
            service_count=state.service_count,
            last_success=state.last_success,
            last_error=state.last_error,
            last_error_code=state.last_error_code,
            source=state.source,
            stale=state.is_stale(now) if state.has_list else False,
            scheme=scheme,
            last_error_ja=state.last_error_ja,
        )

    def to_json(self) -> dict[str, Any]:
        def iso(d: datetime | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "territory": self.key,
            "url": self.url,
            "sequence": self.sequence,
            "issued": iso(self.issued),
            "next_update": iso(self.next_update),
            "services": self.service_count,
            "last_success": iso(self.last_success),
            "last_error": self.last_error,
            "last_error_code": self.last_error_code,
            "last_error_ja": self.last_error_ja,
            "source": self.source,
            "stale": self.stale,
            "scheme": self.scheme,
        }


class EuTrust:
    """The EU trust material: cache, refresh, status, anchors and lookups."""

    def __init__(self, config: EuTrustConfig, store: TrustListStore) -> None:
        self.config = config
        self.store = store
        self._cache = EuCache(config, store)
        self._live = LiveIndex(self._cache)
        self._updater = EuUpdater(self._cache, self._live)

    # --- opening -----------------------------------------------------------
    @classmethod
    def open(
        cls, config: EuTrustConfig | None = None, *, seed: bool = True, now: datetime | None = None
    ) -> EuTrust:
        """Load the cached lists (no network). With ``seed``, a bundled
        snapshot first replaces cached lists that are older than it."""
        config = config or EuTrustConfig()
        trust = cls(config, TrustListStore(config.cache_dir, SCHEME))
        if seed and config.snapshot_dir is not None:
            trust.seed_from_snapshot(config.snapshot_dir, now=now)
        trust.reload()
        return trust

    @property
    def lotl_signers(self) -> tuple[bytes, ...]:
        return self.config.pinned_lotl_signers

    def wanted(self, territory: str) -> bool:
        """Whether this configuration keeps ``territory``'s list."""
        return self.config.wants(territory)

    def pointers(self) -> tuple[TlPointer, ...]:
        """The pointers of the cached, verified LOTL."""
        return self._live.get().pointers

    def list_url(self, pointer: TlPointer) -> str:
        """Where to download ``pointer``'s list: its own URL, or the mirror's
        copy when ``tl_mirror`` is set (see :func:`mirrored_url`)."""
        return self.config.list_url(pointer)

    def reload(self) -> None:
        """Rebuild the in-memory index from the cache (fast path: JSON only)."""
        self._live.reload()

    def seed_from_snapshot(self, folder: Path, *, now: datetime | None = None) -> tuple[str, ...]:
        """Copy bundled lists into the cache where they are newer (higher
        sequence number) than the cached copy, or where nothing is cached.
        Returns the keys seeded."""
        return self._cache.seed_from_snapshot(folder, now=now)

    # --- refresh -----------------------------------------------------------
    def update(
        self,
        territories: Iterable[str] | None = None,
        *,
        fetcher: Fetcher | None = None,
        now: datetime | None = None,
        include_lotl: bool = True,
    ) -> UpdateReport:
        """Download, verify and store the LOTL and then the national lists
        (all wanted ones, or ``territories``). Blocking: call from a worker.
        A failing list keeps its last good copy and is reported; the others
        go on."""
        return self._updater.update(
            territories, fetcher=fetcher, now=now, include_lotl=include_lotl
        )

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
        """Verify and store a list obtained otherwise than by download (a file,
        an archive). ``key`` is "LOTL" or a territory; by default the LOTL is
        checked against the pinned signers and a national list against the
        certificates the cached LOTL names for it. Same rules as a download:
        refused lists are reported and never stored, rollbacks are refused."""
        return self._updater.import_list(
            key,
            data,
            signer_certs,
            validation_time=validation_time,
            now=now,
            url=url,
            reload=reload,
        )

    def current_lotl_signers(self) -> tuple[bytes, ...]:
        """The pinned LOTL signers plus those the cached, verified LOTL
        announces for its successors (its self-pointer): the EU's own chain of
        trust from one LOTL to the next."""
        return self._updater.current_lotl_signers()

    def due_for_refresh(self, now: datetime | None = None) -> tuple[str, ...]:
        """Keys whose refresh is due: never fetched, past NextUpdate, older
        than ``max_age``; a list that just failed waits ``retry_after``."""
        return due_for_refresh(self.config, self._live.get(), now or utcnow())

    def next_refresh_time(self, now: datetime | None = None) -> datetime:
        """When the next list becomes due (for a GUI timer)."""
        return next_refresh_time(self.config, self._live.get(), now or utcnow())

    def refresh_due(
        self, *, fetcher: Fetcher | None = None, now: datetime | None = None
    ) -> UpdateReport:
        """Refresh only what :meth:`due_for_refresh` names (call from a worker)."""
        due = self.due_for_refresh(now)
        if not due:
            return UpdateReport()
        if LOTL_KEY in due:
            # a new LOTL may name new territories or new signers: refresh all
            return self.update(fetcher=fetcher, now=now)
        return self.update(due, fetcher=fetcher, now=now, include_lotl=False)

    # --- status ------------------------------------------------------------
    def status(self, now: datetime | None = None) -> tuple[TerritoryStatus, ...]:
        now = now or utcnow()
        idx = self._live.get()
        states = dict(idx.states)
        pointers = [p for p in idx.pointers if not p.is_lotl]
        territories = {p.territory for p in pointers if self.config.wants(p.territory)}
        territories |= {k for k in states if k != LOTL_KEY}
        keys = [LOTL_KEY, *sorted(territories)]
        out = []
        urls = {p.territory: p.url for p in pointers}
        for key in keys:
            s = states.get(key) or ListState(key=key, url=urls.get(key, ""))
            out.append(TerritoryStatus.of(key, s, now, url=urls.get(key, "")))
        return tuple(out)

    def list_state(self, territory: str) -> ListState | None:
        return self._live.get().states.get(territory)

    def problems(self, territory: str) -> tuple[str, ...]:
        return tuple(self._live.get().problems.get(territory, ()))

    def is_stale_beyond_grace(self, territory: str, now: datetime) -> bool:
        s = self.list_state(territory)
        return bool(
            s is not None
            and s.next_update is not None
            and now > s.next_update + self.config.stale_grace
        )

    # --- lookups -----------------------------------------------------------
    def records_with_subject(self, subject_key: str) -> list[ServiceRecord]:
        return self._live.get().records_with_subject(subject_key)

    def all_records(self) -> Iterable[ServiceRecord]:
        return self._live.get().all_records()

    def service_count(self) -> int:
        return self._live.get().service_count()

    def anchors(self) -> tuple[TrustAnchor, ...]:
        """Every CA and TSA certificate of a service that has ever had a
        usable status, tagged ``eu-tl:<territory>`` (deduplicated)."""
        return self._live.get().anchors()

    def responders(self) -> tuple[TrustAnchor, ...]:
        """Every certificate of a revocation service (``Certstatus/OCSP``,
        ``/OCSP/QC``, ``Certstatus/CRL``, ``/CRL/QC``) that has ever had a usable
        status: the list vouches for it as a source of revocation status (ETSI
        TS 119 612, 5.5.1), which is not a delegation by the CA (RFC 6960,
        4.2.2.2, "local configuration"). Never a chain anchor."""
        return self._live.get().responders()


class RefreshScheduler:
    """Refreshes due lists on its own thread until :meth:`stop`.

    The GUI may instead call :meth:`EuTrust.refresh_due` from its worker on a
    timer set to :meth:`EuTrust.next_refresh_time`; this class is for headless
    use. ``on_report`` runs on the scheduler thread; exceptions in it are
    logged, never swallowed silently.
    """

    def __init__(
        self,
        trust: EuTrust,
        on_report: Callable[[UpdateReport], None] | None = None,
        *,
        fetcher: Fetcher | None = None,
        min_wait: float = 60.0,
    ) -> None:
        self._trust = trust
        self._on_report = on_report
        self._fetcher = fetcher
        self._min_wait = min_wait
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="eu-trust-refresh", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def refresh_now(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                report = self._trust.refresh_due(fetcher=self._fetcher)
                if self._on_report is not None and (report.updated or report.errors):
                    self._on_report(report)
            except Exception:
                log.exception("background trusted-list refresh failed")
            wait = (self._trust.next_refresh_time() - utcnow()).total_seconds()
            self._wake.wait(max(self._min_wait, wait))
            self._wake.clear()
