"""The EU trusted lists: the LOTL, verified against pinned signer
certificates, and the national lists it points to, verified against the
certificates the verified LOTL names for each territory.

:class:`EuTrust` is the one object the rest of Shomei uses::

    trust = EuTrust.open(EuTrustConfig())      # warm start from the cache, no network
    report = trust.update()                    # download, verify, store (worker thread)
    trust.status()                             # per territory, for the GUI and the CLI
    trust.anchors()                            # TrustAnchor tuple for validate_pdf
    qualify_signature(..., trust=trust)        # see qualification.py

Warm start reads only ``state.json`` and the per-list JSON indexes (parsed
services keyed by the list's SHA-256); certificates stay DER until a
qualification needs one. A missing or outdated index is rebuilt from the
cached list, whose signature is checked again.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from signing.errors import TrustListError
from signing.net.bounded_http import redact_url, redact_urls_in
from signing.resources import resources_dir as core_resources_dir
from signing.trust.anchors import AnchorOrigin, TrustAnchor
from signing.trust.mra import MraEquivalence, mra_agreements, translate
from signing.trust.tl_errors import (
    TrustListFetchError,
    TrustListFormatError,
    TrustListSignatureError,
)
from signing.trust.tl_fetch import Fetcher, FetchSettings, HttpFetcher
from signing.trust.tl_services import ServiceRecord, record_from_json
from signing.trust.tl_snapshot import prebuilt_entry, read_manifest
from signing.trust.tl_store import ListState, TrustListStore
from signing.trust.tl_update import (
    INDEX_FORMAT,
    Transform,
    accept_list,
    build_index,
    claimed_issue_time,
)
from signing.trust.tl_verify import (
    TSL_TYPE_EU_GENERIC,
    TSL_TYPE_LOTL,
    TlPointer,
    VerifiedList,
    lotl_pointers,
    verify_trust_list,
)

log = logging.getLogger(__name__)

EU_LOTL_URL = "https://ec.europa.eu/tools/lotl/eu-lotl.xml"
LOTL_KEY = "LOTL"
SCHEME = "eu"

#: statuses under which a service is usable (TS 119 612 / TS 119 615):
#: "granted" since eIDAS (1 July 2016); before it, the Directive 1999/93 statuses
POSITIVE_STATUSES = frozenset({"granted"})
PRE_EIDAS_POSITIVE_STATUSES = frozenset(
    {"undersupervision", "supervisionincessation", "accredited"}
)
#: also accepted for *trust anchors* (not for qualification)
NATIONAL_STATUSES = frozenset({"recognisedatnationallevel", "setbynationallaw"})


def utcnow() -> datetime:
    return datetime.now(UTC)


def default_cache_dir() -> Path:
    env = os.environ.get("SHOMEI_CACHE_DIR")
    if env:
        return Path(env) / "trust"
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return base / "Shomei" / "trust"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "Shomei" / "trust"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "shomei" / "trust"


def resources_dir() -> Path:
    """``$SHOMEI_RESOURCES`` (as for the desktop app), else the core's
    :func:`signing.resources.resources_dir`."""
    env = os.environ.get("SHOMEI_RESOURCES")
    if env:
        return Path(env)
    return core_resources_dir()


def bundled_snapshot_dir() -> Path:
    return resources_dir() / "trust" / "eu"


def load_pem_certs(data: bytes) -> tuple[bytes, ...]:
    """DER certificates from PEM (or one DER) data."""
    from pyhanko.keys import load_certs_from_pemder_data

    return tuple(bytes(c.dump()) for c in load_certs_from_pemder_data(data))


def bundled_lotl_signers() -> tuple[bytes, ...]:
    """The LOTL signer certificates of the Official Journal notice in force
    (C/2026/1944), shipped in the snapshot folder; pyHanko's copy if absent."""
    path = bundled_snapshot_dir() / "lotl-signers.pem"
    if path.is_file():
        return load_pem_certs(path.read_bytes())
    from pyhanko.sign.validation.qualified import eutl_parse

    return tuple(bytes(c.dump()) for c in eutl_parse.latest_known_lotl_tlso_certs())


@dataclass(frozen=True)
class EuTrustConfig:
    cache_dir: Path = field(default_factory=default_cache_dir)
    lotl_url: str = EU_LOTL_URL
    #: pinned LOTL signer certificates (DER); ``None``: the bundled OJ set
    lotl_signers: tuple[bytes, ...] | None = None
    #: folder with a bundled snapshot (LOTL.xml, XX.xml); ``None``: none
    snapshot_dir: Path | None = field(default_factory=bundled_snapshot_dir)
    fetch: FetchSettings = field(default_factory=FetchSettings)
    #: only these territories (ISO codes as in the LOTL, e.g. "BE", "EL"); ``None``: all
    territories: frozenset[str] | None = None
    #: how long past NextUpdate a list may still decide a qualification
    stale_grace: timedelta = timedelta(days=14)
    #: refresh a list at least this often even if NextUpdate is far away
    max_age: timedelta = timedelta(days=1)
    #: wait this long before retrying a list whose last download failed
    retry_after: timedelta = timedelta(hours=1)
    #: time at which signer certificates must be valid (tests of archived
    #: lists); ``None``: now for downloads, the list's issue date for the snapshot
    validation_time: datetime | None = None
    #: download lists in parallel
    workers: int = 4
    #: fetch the national lists from this mirror instead of each member
    #: state's host (see :func:`mirrored_url`); ``None``: the LOTL's URLs.
    #: Default: ``$SHOMEI_TL_MIRROR`` (set once by an administrator, it serves
    #: the app and the command line alike)
    tl_mirror: str | None = field(
        default_factory=lambda: os.environ.get("SHOMEI_TL_MIRROR") or None
    )


def mirrored_url(base: str, territory: str, url: str) -> str:
    """The mirror's URL of a national list. ``base`` may hold ``{territory}``
    and ``{file}`` (the last part of the list's own URL path); without
    either, ``BASE/{territory}/{file}`` (the layout of a mirror that keeps
    one folder per territory)."""
    from urllib.parse import urlsplit

    file = urlsplit(url).path.rsplit("/", 1)[-1] or f"{territory}.xml"
    template = (
        base
        if ("{territory}" in base or "{file}" in base)
        else base.rstrip("/") + "/{territory}/{file}"
    )
    return template.replace("{territory}", territory).replace("{file}", file)


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

    def __post_init__(self) -> None:
        # (the LOTL URL a user gives may carry a user name and password)
        object.__setattr__(self, "url", redact_url(self.url))
        if self.last_error:
            object.__setattr__(self, "last_error", redact_urls_in(self.last_error))

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
            "source": self.source,
            "stale": self.stale,
            "scheme": self.scheme,
        }


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


class _Index:
    """In-memory lookup over the parsed services of every cached list."""

    def __init__(self) -> None:
        self.states: dict[str, ListState] = {}
        self.pointers: tuple[TlPointer, ...] = ()
        #: MRA equivalences by pointer territory (third-country lists)
        self.mra: dict[str, tuple[MraEquivalence, ...]] = {}
        self.raw: dict[str, list[dict[str, Any]]] = {}
        self.problems: dict[str, list[str]] = {}
        self.by_subject: dict[str, list[tuple[str, int]]] = {}
        self._records: dict[tuple[str, int], ServiceRecord] = {}

    def add(self, key: str, index: dict[str, Any]) -> None:
        records = index.get("records", [])
        self.raw[key] = records
        self.problems[key] = list(index.get("problems", []))
        for i, rec in enumerate(records):
            for cert in rec["c"]:
                self.by_subject.setdefault(cert[1], []).append((key, i))

    def record(self, ref: tuple[str, int]) -> ServiceRecord:
        rec = self._records.get(ref)
        if rec is None:
            rec = record_from_json(self.raw[ref[0]][ref[1]])
            self._records[ref] = rec
        return rec

    def records_with_subject(self, subject_key: str) -> list[ServiceRecord]:
        return [self.record(ref) for ref in dict.fromkeys(self.by_subject.get(subject_key, []))]


def _pointers_json(verified: VerifiedList) -> dict[str, Any]:
    agreements = mra_agreements(verified.signed_xml)
    return {
        "pointers": [
            {
                "territory": p.territory,
                "url": p.url,
                "certs": [base64.b64encode(c).decode("ascii") for c in p.signer_certs],
                "lotl": p.is_lotl,
                "mra": [eq.to_json() for eq in agreements.get(p.url, ())],
            }
            for p in lotl_pointers(verified)
        ]
    }


def _pointers_from_json(index: dict[str, Any]) -> tuple[TlPointer, ...]:
    return tuple(
        TlPointer(
            territory=p["territory"],
            url=p["url"],
            signer_certs=tuple(base64.b64decode(c) for c in p["certs"]),
            is_lotl=p["lotl"],
        )
        for p in index.get("pointers", [])
    )


class EuTrust:
    """The EU trust material: cache, refresh, status, anchors and lookups."""

    def __init__(self, config: EuTrustConfig, store: TrustListStore) -> None:
        self.config = config
        self.store = store
        self._lock = threading.RLock()
        self._index = _Index()

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
        return self.config.lotl_signers or bundled_lotl_signers()

    def _wanted(self, territory: str) -> bool:
        t = self.config.territories
        return t is None or territory.upper() in t

    def wanted(self, territory: str) -> bool:
        """Whether this configuration keeps ``territory``'s list."""
        return self._wanted(territory)

    def pointers(self) -> tuple[TlPointer, ...]:
        """The pointers of the cached, verified LOTL."""
        with self._lock:
            return self._index.pointers

    def list_url(self, pointer: TlPointer) -> str:
        """Where to download ``pointer``'s list: its own URL, or the mirror's
        copy when ``tl_mirror`` is set (see :func:`mirrored_url`)."""
        if self.config.tl_mirror:
            return mirrored_url(self.config.tl_mirror, pointer.territory, pointer.url)
        return pointer.url

    def reload(self) -> None:
        """Rebuild the in-memory index from the cache (fast path: JSON only)."""
        idx = _Index()
        states = self.store.states()
        idx.states = states
        lotl_state = states.get(LOTL_KEY)
        if lotl_state is not None and lotl_state.sha256:
            data = self.store.read_index(LOTL_KEY, lotl_state.sha256)
            if data is None or data.get("format") != INDEX_FORMAT:
                data = self._rebuild_index(LOTL_KEY, lotl_state, self.lotl_signers)
            if data is not None:
                idx.pointers = _pointers_from_json(data)
                idx.mra = {
                    p["territory"]: tuple(MraEquivalence.from_json(e) for e in p["mra"])
                    for p in data.get("pointers", [])
                    if p.get("mra")
                }
        by_territory = {p.territory: p for p in idx.pointers if not p.is_lotl}
        for key, state in states.items():
            if key == LOTL_KEY or not state.sha256:
                continue
            data = self.store.read_index(key, state.sha256)
            if data is None or data.get("format") != INDEX_FORMAT:
                ptr = by_territory.get(key)
                if ptr is None:
                    continue
                data = self._rebuild_index(key, state, ptr.signer_certs, idx)
            if data is not None:
                idx.add(key, data)
        with self._lock:
            self._index = idx

    def _list_rules(
        self, key: str, idx: _Index | None = None
    ) -> tuple[str | None, set[str] | None, Transform | None]:
        """(expected territory, expected types, transform) for a national list;
        a third-country list under an MRA keeps its own territory and type
        and has its services translated."""
        if idx is None:
            with self._lock:
                idx = self._index
        eqs = idx.mra.get(key)
        if eqs:
            return None, None, lambda recs: translate(recs, eqs)
        return key, {TSL_TYPE_EU_GENERIC}, None

    def _rebuild_index(
        self,
        key: str,
        state: ListState,
        signers: tuple[bytes, ...],
        idx: _Index | None = None,
    ) -> dict[str, Any] | None:
        raw = self.store.cached_list(key)
        if raw is None:
            return None
        try:
            verified = self._verify(key, raw, signers, state.issued, idx)
        except TrustListError as exc:
            log.warning("cached %s list no longer verifies: %s", key, exc)
            return None
        if key == LOTL_KEY:
            index = build_index(verified, _pointers_json, territory=key)
        else:
            index = build_index(verified, territory=key, transform=self._list_rules(key, idx)[2])
        try:
            self.store.write_index(key, verified.sha256, index)
        except OSError as exc:
            log.warning("cannot store the index of %s: %s", key, exc)
        return index

    def _verify(
        self,
        key: str,
        raw: bytes,
        signers: tuple[bytes, ...],
        at: datetime | None,
        idx: _Index | None = None,
    ) -> VerifiedList:
        if key == LOTL_KEY:
            return verify_trust_list(
                raw, signers, validation_time=at, expected_types={TSL_TYPE_LOTL}
            )
        territory, types, _ = self._list_rules(key, idx)
        return verify_trust_list(
            raw, signers, validation_time=at, expected_territory=territory, expected_types=types
        )

    # --- snapshot ----------------------------------------------------------
    def seed_from_snapshot(self, folder: Path, *, now: datetime | None = None) -> tuple[str, ...]:
        """Copy bundled lists into the cache where they are newer (higher
        sequence number) than the cached copy, or where nothing is cached.
        Returns the keys seeded."""
        now = now or utcnow()
        seeded: list[str] = []
        lotl_path = folder / f"{LOTL_KEY}.xml"
        if not lotl_path.is_file():
            return ()
        states = self.store.states()
        manifest = self._snapshot_manifest(folder)
        candidates = [
            path
            for path in sorted(folder.glob("*.xml"))
            if (path.stem.upper() == LOTL_KEY or self._wanted(path.stem.upper()))
            and self._snapshot_is_newer(states.get(path.stem.upper()), path, manifest)
        ]
        if not candidates:
            return ()
        lotl_raw = lotl_path.read_bytes()
        prebuilt = read_manifest(folder)
        # verified when the snapshot was built (see tl_snapshot.py): copied as is
        ready = []
        for path in candidates:
            key = path.stem.upper()
            raw = lotl_raw if key == LOTL_KEY else path.read_bytes()
            entry = prebuilt_entry(folder, key, raw, prebuilt.get(key))
            if entry is not None:
                ready.append(entry)
        try:
            self.store.commit_prebuilt(ready)
            seeded.extend(state.key for state, _, _ in ready)
        except OSError as exc:
            log.error("cannot seed the trusted-list cache at %s: %s", self.store.dir, exc)
            return ()
        candidates = [p for p in candidates if p.stem.upper() not in seeded]
        if not candidates:
            return tuple(seeded)
        try:
            if lotl_path in candidates:
                at = self.config.validation_time or claimed_issue_time(lotl_raw)
                accept_list(
                    self.store,
                    LOTL_KEY,
                    lotl_raw,
                    self.lotl_signers,
                    url=self.config.lotl_url,
                    now=now,
                    source="snapshot",
                    validation_time=at,
                    expected_types={TSL_TYPE_LOTL},
                    index_extra=_pointers_json,
                )
                seeded.append(LOTL_KEY)
            # pointers of the *snapshot* LOTL decide who signs the snapshot lists
            snap_lotl = self._verify(
                LOTL_KEY,
                lotl_raw,
                self.lotl_signers,
                self.config.validation_time or claimed_issue_time(lotl_raw),
            )
        except TrustListError as exc:
            log.error("bundled LOTL snapshot refused: %s", exc)
            return tuple(seeded)
        pointers = {p.territory: p for p in lotl_pointers(snap_lotl) if not p.is_lotl}
        for path in candidates:
            key = path.stem.upper()
            if key == LOTL_KEY or key not in pointers:
                continue
            raw = path.read_bytes()
            try:
                accept_list(
                    self.store,
                    key,
                    raw,
                    pointers[key].signer_certs,
                    url=pointers[key].url,
                    now=now,
                    source="snapshot",
                    validation_time=self.config.validation_time or claimed_issue_time(raw),
                    expected_territory=key,
                    expected_types={TSL_TYPE_EU_GENERIC},
                )
                seeded.append(key)
            except TrustListError as exc:
                log.error("bundled %s list refused: %s", key, exc)
        return tuple(seeded)

    @staticmethod
    def _snapshot_manifest(folder: Path) -> dict[str, int]:
        """``snapshot.json``: sequence number per bundled list, so that a warm
        start need not parse the bundled XML to know it is not newer."""
        try:
            data = json.loads((folder / "snapshot.json").read_text("utf-8"))
            return {str(k).upper(): int(v["sequence"]) for k, v in data["lists"].items()}
        except (OSError, ValueError, KeyError, TypeError):
            return {}

    @staticmethod
    def _snapshot_is_newer(state: ListState | None, path: Path, manifest: dict[str, int]) -> bool:
        if state is None or not state.has_list or state.sequence is None:
            return True
        seq = manifest.get(path.stem.upper())
        if seq is None:
            from signing.trust.tl_xml import parse_safely, read_header

            try:
                seq = read_header(parse_safely(path.read_bytes())).sequence
            except (OSError, TrustListError):
                return False
        return seq > state.sequence

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
        now = now or utcnow()
        own_fetcher = fetcher is None
        fetch = fetcher or HttpFetcher(self.config.fetch)
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
                before = self.store.state(LOTL_KEY)
                try:
                    try:
                        raw = fetch.fetch(self.config.lotl_url)
                    except TrustListError as exc:
                        self.store.record_failure(LOTL_KEY, exc, now, self.config.lotl_url)
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
                        self.reload()
                        return UpdateReport((), (), tuple(errors), offline=True)
                self.reload()
            with self._lock:
                pointers = [p for p in self._index.pointers if not p.is_lotl]
            wanted = {t.upper() for t in territories} if territories is not None else None
            pointers = [
                p
                for p in pointers
                if self._wanted(p.territory) and (wanted is None or p.territory in wanted)
            ]

            def download(p: TlPointer) -> tuple[TlPointer, bytes | TrustListError]:
                try:
                    return p, fetch.fetch(self.list_url(p))
                except TrustListError as exc:
                    return p, exc

            with ThreadPoolExecutor(max_workers=max(1, self.config.workers)) as pool:
                results = list(pool.map(download, pointers))
            for p, got in results:
                before = self.store.state(p.territory)
                if isinstance(got, TrustListError):
                    self.store.record_failure(p.territory, got, now, p.url)
                    errors.append((p.territory, got))
                    continue
                territory, types, transform = self._list_rules(p.territory)
                try:
                    after = accept_list(
                        self.store,
                        p.territory,
                        got,
                        p.signer_certs,
                        url=p.url,
                        now=now,
                        validation_time=self.config.validation_time,
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
        self.reload()
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
        """Verify and store a list obtained otherwise than by download (a file,
        an archive). ``key`` is "LOTL" or a territory; by default the LOTL is
        checked against the pinned signers and a national list against the
        certificates the cached LOTL names for it. Same rules as a download:
        refused lists are reported and never stored, rollbacks are refused."""
        now = now or utcnow()
        key = key.upper()
        if key == LOTL_KEY:
            signers = signer_certs or self.lotl_signers
            extra: Any = _pointers_json
            types: set[str] | None = {TSL_TYPE_LOTL}
            territory: str | None = None
            transform: Transform | None = None
        else:
            with self._lock:
                ptr = next(
                    (p for p in self._index.pointers if p.territory == key and not p.is_lotl),
                    None,
                )
            signers = signer_certs or (ptr.signer_certs if ptr else ())
            extra = None
            territory, types, transform = self._list_rules(key)
            url = url or (ptr.url if ptr else "")
        try:
            return accept_list(
                self.store,
                key,
                data,
                signers,
                url=url or (self.config.lotl_url if key == LOTL_KEY else ""),
                now=now,
                source="file",
                validation_time=validation_time or self.config.validation_time,
                expected_territory=territory,
                expected_types=types,
                index_extra=extra,
                transform=transform,
            )
        finally:
            if reload or key == LOTL_KEY:
                self.reload()

    def current_lotl_signers(self) -> tuple[bytes, ...]:
        """The pinned LOTL signers plus those the cached, verified LOTL
        announces for its successors (its self-pointer): the EU's own chain of
        trust from one LOTL to the next."""
        with self._lock:
            announced = [c for p in self._index.pointers if p.is_lotl for c in p.signer_certs]
        return tuple(dict.fromkeys((*self.lotl_signers, *announced)))

    def _accept_lotl(self, raw: bytes, fetch: Fetcher, now: datetime) -> ListState:
        def accept(signers: tuple[bytes, ...]) -> ListState:
            return accept_list(
                self.store,
                LOTL_KEY,
                raw,
                signers,
                url=self.config.lotl_url,
                now=now,
                validation_time=self.config.validation_time,
                expected_types={TSL_TYPE_LOTL},
                index_extra=_pointers_json,
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
            raise TrustListFormatError(f"Cannot read the LOTL's pivot list: {exc}") from exc
        pivots: list[tuple[int, str, bytes]] = []
        for url in dict.fromkeys(urls):
            data = fetch.fetch(url)
            pivots.append((read_header(parse_safely(data)).sequence, url, data))
        current = self.lotl_signers
        for _, url, data in sorted(pivots):
            verified = verify_trust_list(
                data,
                current,
                validation_time=self.config.validation_time or claimed_issue_time(data),
                expected_types={TSL_TYPE_LOTL},
            )
            announced = [p.signer_certs for p in lotl_pointers(verified) if p.is_lotl]
            if not announced or not announced[0]:
                raise TrustListSignatureError(f"The pivot LOTL {url} announces no signers.")
            current = announced[0]
        return current if pivots else ()

    def due_for_refresh(self, now: datetime | None = None) -> tuple[str, ...]:
        """Keys whose refresh is due: never fetched, past NextUpdate, older
        than ``max_age``; a list that just failed waits ``retry_after``."""
        now = now or utcnow()
        cfg = self.config
        with self._lock:
            states = dict(self._index.states)
            keys = [LOTL_KEY] + [
                p.territory
                for p in self._index.pointers
                if not p.is_lotl and self._wanted(p.territory)
            ]
        due = []
        for key in keys:
            s = states.get(key)
            if (
                s is not None
                and s.last_error
                and s.last_attempt
                and now - s.last_attempt < cfg.retry_after
            ):
                continue
            if (
                s is None
                or not s.has_list
                or s.is_stale(now)
                or s.last_success is None
                or now - s.last_success >= cfg.max_age
                or s.last_error is not None
            ):
                due.append(key)
        return tuple(due)

    def next_refresh_time(self, now: datetime | None = None) -> datetime:
        """When the next list becomes due (for a GUI timer)."""
        now = now or utcnow()
        if self.due_for_refresh(now):
            return now
        cfg = self.config
        candidates: list[datetime] = []
        with self._lock:
            states = list(self._index.states.values())
        for s in states:
            if s.last_error and s.last_attempt:
                candidates.append(s.last_attempt + cfg.retry_after)
            if s.next_update:
                candidates.append(s.next_update)
            if s.last_success:
                candidates.append(s.last_success + cfg.max_age)
        return max(now, min(candidates)) if candidates else now

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
        with self._lock:
            states = dict(self._index.states)
            pointers = [p for p in self._index.pointers if not p.is_lotl]
        territories = {p.territory for p in pointers if self._wanted(p.territory)}
        territories |= {k for k in states if k != LOTL_KEY}
        keys = [LOTL_KEY, *sorted(territories)]
        out = []
        urls = {p.territory: p.url for p in pointers}
        for key in keys:
            s = states.get(key) or ListState(key=key, url=urls.get(key, ""))
            out.append(TerritoryStatus.of(key, s, now, url=urls.get(key, "")))
        return tuple(out)

    def list_state(self, territory: str) -> ListState | None:
        with self._lock:
            return self._index.states.get(territory)

    def problems(self, territory: str) -> tuple[str, ...]:
        with self._lock:
            return tuple(self._index.problems.get(territory, ()))

    def is_stale_beyond_grace(self, territory: str, now: datetime) -> bool:
        s = self.list_state(territory)
        return bool(
            s is not None
            and s.next_update is not None
            and now > s.next_update + self.config.stale_grace
        )

    # --- lookups -----------------------------------------------------------
    def records_with_subject(self, subject_key: str) -> list[ServiceRecord]:
        with self._lock:
            idx = self._index
        return idx.records_with_subject(subject_key)

    def all_records(self) -> Iterable[ServiceRecord]:
        with self._lock:
            idx = self._index
        for key, recs in idx.raw.items():
            for i in range(len(recs)):
                yield idx.record((key, i))

    def service_count(self) -> int:
        with self._lock:
            return sum(len(r) for r in self._index.raw.values())

    def anchors(self) -> tuple[TrustAnchor, ...]:
        """Every CA and TSA certificate of a service that has ever had a
        usable status, tagged ``eu-tl:<territory>`` (deduplicated)."""
        return self._certificates_of(_is_anchor_service)

    def responders(self) -> tuple[TrustAnchor, ...]:
        """Every certificate of a revocation service (``Certstatus/OCSP``,
        ``/OCSP/QC``, ``Certstatus/CRL``, ``/CRL/QC``) that has ever had a usable
        status: the list vouches for it as a source of revocation status (ETSI
        TS 119 612, 5.5.1), which is not a delegation by the CA (RFC 6960,
        4.2.2.2, "local configuration"). Never a chain anchor."""
        return self._certificates_of(_is_revocation_service)

    def _certificates_of(self, wanted: Callable[[str], bool]) -> tuple[TrustAnchor, ...]:
        seen: set[bytes] = set()
        out: list[TrustAnchor] = []
        usable = POSITIVE_STATUSES | PRE_EIDAS_POSITIVE_STATUSES | NATIONAL_STATUSES
        with self._lock:
            idx = self._index
        for recs in idx.raw.values():
            for rec in recs:
                periods = rec["p"]
                if not periods:
                    continue
                if not wanted(periods[0]["ty"]):
                    continue
                if not any(p["s"] in usable for p in periods):
                    continue
                for c in rec["c"]:
                    der = base64.b64decode(c[0])
                    if der in seen:
                        continue
                    seen.add(der)
                    out.append(TrustAnchor(der, AnchorOrigin.EU_TRUSTED_LIST, rec["t"]))
        return tuple(out)


def _is_anchor_service(service_type: str) -> bool:
    return (
        "/Svctype/CA/" in service_type
        or "/Svctype/TSA" in service_type
        or "NationalRootCA" in service_type
    )


def _is_revocation_service(service_type: str) -> bool:
    return "/Svctype/Certstatus/OCSP" in service_type or "/Svctype/Certstatus/CRL" in service_type


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
