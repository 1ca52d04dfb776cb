"""The EU lists on disk: seeded from the bundled snapshot, verified again
when their index must be rebuilt, and loaded into an
:class:`~signing.trust.eu_index.EuIndex` (warm start: JSON only).

:class:`LiveIndex` holds the index the lookups read and swaps it whole on
reload. Used by :class:`signing.trust.eu.EuTrust`; not a public API.
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from signing.errors import TrustListError
from signing.trust.eu_config import LOTL_KEY, EuTrustConfig, utcnow
from signing.trust.eu_index import EuIndex, pointers_from_json, pointers_json
from signing.trust.mra import MraEquivalence, translate
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
    VerifiedList,
    lotl_pointers,
    verify_trust_list,
)

log = logging.getLogger(__name__)


class EuCache:
    """Reads and fills the cache of one configuration."""

    def __init__(self, config: EuTrustConfig, store: TrustListStore) -> None:
        self.config = config
        self.store = store

    def list_rules(
        self, key: str, idx: EuIndex
    ) -> tuple[str | None, set[str] | None, Transform | None]:
        """(expected territory, expected types, transform) for a national list;
        a third-country list under an MRA keeps its own territory and type
        and has its services translated."""
        eqs = idx.mra.get(key)
        if eqs:
            return None, None, lambda recs: translate(recs, eqs)
        return key, {TSL_TYPE_EU_GENERIC}, None

    def load(self) -> EuIndex:
        """The index of what the cache holds (fast path: JSON only)."""
        idx = EuIndex()
        states = self.store.states()
        idx.states = states
        lotl_state = states.get(LOTL_KEY)
        if lotl_state is not None and lotl_state.sha256:
            data = self.store.read_index(LOTL_KEY, lotl_state.sha256)
            if data is None or data.get("format") != INDEX_FORMAT:
                data = self._rebuild_index(
                    LOTL_KEY, lotl_state, self.config.pinned_lotl_signers, idx
                )
            if data is not None:
                idx.pointers = pointers_from_json(data)
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
        return idx

    def _rebuild_index(
        self, key: str, state: ListState, signers: tuple[bytes, ...], idx: EuIndex
    ) -> dict[str, Any] | None:
        raw = self.store.cached_list(key)
        if raw is None:
            return None
        try:
            verified = self.verify(key, raw, signers, state.issued, idx)
        except TrustListError as exc:
            log.warning("cached %s list no longer verifies: %s", key, exc)
            return None
        if key == LOTL_KEY:
            index = build_index(verified, pointers_json, territory=key)
        else:
            index = build_index(verified, territory=key, transform=self.list_rules(key, idx)[2])
        try:
            self.store.write_index(key, verified.sha256, index)
        except OSError as exc:
            log.warning("cannot store the index of %s: %s", key, exc)
        return index

    def verify(
        self,
        key: str,
        raw: bytes,
        signers: tuple[bytes, ...],
        at: datetime | None,
        idx: EuIndex,
    ) -> VerifiedList:
        """``raw`` checked as the list ``key`` signed by one of ``signers``
        (``idx``: the index whose MRA equivalences apply)."""
        if key == LOTL_KEY:
            return _verify_lotl(raw, signers, at)
        territory, types, _ = self.list_rules(key, idx)
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
        manifest = _snapshot_manifest(folder)
        candidates = [
            path
            for path in sorted(folder.glob("*.xml"))
            if (path.stem.upper() == LOTL_KEY or self.config.wants(path.stem.upper()))
            and _snapshot_is_newer(states.get(path.stem.upper()), path, manifest)
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
        signers = self.config.pinned_lotl_signers
        try:
            if lotl_path in candidates:
                at = self.config.validation_time or claimed_issue_time(lotl_raw)
                accept_list(
                    self.store,
                    LOTL_KEY,
                    lotl_raw,
                    signers,
                    url=self.config.lotl_url,
                    now=now,
                    source="snapshot",
                    validation_time=at,
                    expected_types={TSL_TYPE_LOTL},
                    index_extra=pointers_json,
                )
                seeded.append(LOTL_KEY)
            # pointers of the *snapshot* LOTL decide who signs the snapshot lists
            snap_lotl = _verify_lotl(
                lotl_raw, signers, self.config.validation_time or claimed_issue_time(lotl_raw)
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


def _verify_lotl(raw: bytes, signers: tuple[bytes, ...], at: datetime | None) -> VerifiedList:
    return verify_trust_list(raw, signers, validation_time=at, expected_types={TSL_TYPE_LOTL})


def _snapshot_manifest(folder: Path) -> dict[str, int]:
    """``snapshot.json``: sequence number per bundled list, so that a warm
    start need not parse the bundled XML to know it is not newer."""
    try:
        data = json.loads((folder / "snapshot.json").read_text("utf-8"))
        return {str(k).upper(): int(v["sequence"]) for k, v in data["lists"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


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


class LiveIndex:
    """The index the lookups read: replaced whole when the cache changes,
    so a reader never sees half a reload."""

    def __init__(self, cache: EuCache) -> None:
        self._cache = cache
        self._lock = threading.RLock()
        self._index = EuIndex()

    def get(self) -> EuIndex:
        with self._lock:
            return self._index

    def reload(self) -> None:
        """Rebuild the index from the cache (fast path: JSON only)."""
        idx = self._cache.load()
        with self._lock:
            self._index = idx
