"""The on-disk cache of verified trusted lists, shared by every scheme (EU,
Japan).

Layout under ``<root>/<scheme>/``::

    lists/<KEY>.xml      the list exactly as downloaded, stored only once verified
    index/<KEY>.json     the parsed services of that list, keyed by its SHA-256
    state.json           per list: sequence, dates, last fetch, last error

Every file is written atomically (temporary file in the same folder, then
``os.replace``), in the order list → index → state, so a crash leaves either
the old or the new list, never half of one. A failed or refused download only
updates the ``last_error`` fields: the last good copy stays.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import threading
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from signing.errors import TrustListError
from signing.net.bounded_http import redact_url, redact_urls_in

log = logging.getLogger(__name__)

STATE_VERSION = 1


def atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def redact_credentials(row: Any) -> None:
    """Blank the user name and password of ``row``'s ``url`` and of the URLs
    in its ``last_error`` texts (a frozen list row, from its
    ``__post_init__``): they never reach the cache, a report or a screen."""
    object.__setattr__(row, "url", redact_url(row.url))
    for name in ("last_error", "last_error_ja"):
        if getattr(row, name):
            object.__setattr__(row, name, redact_urls_in(getattr(row, name)))


@dataclass(frozen=True)
class ListState:
    """What the status API reports for one list (a territory or the LOTL)."""

    key: str
    url: str = ""
    territory: str = ""
    tsl_type: str = ""
    sequence: int | None = None
    issued: datetime | None = None
    next_update: datetime | None = None
    service_count: int = 0
    sha256: str | None = None
    #: "network", "snapshot" or "file"
    source: str = ""
    last_success: datetime | None = None
    last_attempt: datetime | None = None
    last_error_code: str | None = None
    last_error: str | None = None
    #: the same in Japanese, as the app shows it (no command-line flag)
    last_error_ja: str | None = None

    def __post_init__(self) -> None:
        redact_credentials(self)

    @property
    def has_list(self) -> bool:
        return self.sha256 is not None

    def is_stale(self, now: datetime) -> bool:
        """Past its NextUpdate (a list without NextUpdate is closed, never stale)."""
        return self.next_update is not None and now > self.next_update

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("issued", "next_update", "last_success", "last_attempt"):
            v = d[k]
            d[k] = v.isoformat() if v else None
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ListState:
        d = dict(d)
        for k in ("issued", "next_update", "last_success", "last_attempt"):
            d[k] = _dt(d.get(k))
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in d.items() if k in known})


class TrustListStore:
    """Cache of one scheme's lists. Thread-safe within a process."""

    def __init__(self, root: Path, scheme: str) -> None:
        self.dir = Path(root) / scheme
        self._lock = threading.RLock()

    # --- paths ---------------------------------------------------------------
    def list_path(self, key: str) -> Path:
        return self.dir / "lists" / f"{key}.xml"

    def index_path(self, key: str) -> Path:
        return self.dir / "index" / f"{key}.json"

    @property
    def state_path(self) -> Path:
        return self.dir / "state.json"

    # --- state -----------------------------------------------------------------
    def states(self) -> dict[str, ListState]:
        try:
            raw = json.loads(self.state_path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(raw, dict) or raw.get("version") != STATE_VERSION:
            return {}
        out: dict[str, ListState] = {}
        for key, d in raw.get("lists", {}).items():
            try:
                out[key] = ListState.from_json(d)
            except (TypeError, ValueError, KeyError):
                continue
        return out

    def state(self, key: str) -> ListState | None:
        return self.states().get(key)

    def _write_states(self, states: dict[str, ListState]) -> None:
        data = {"version": STATE_VERSION, "lists": {k: s.to_json() for k, s in states.items()}}
        atomic_write(self.state_path, json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))

    def update_state(self, state: ListState) -> None:
        with self._lock:
            states = self.states()
            states[state.key] = state
            self._write_states(states)

    def forget(self, key: str) -> None:
        with self._lock:
            states = self.states()
            states.pop(key, None)
            self._write_states(states)
            for p in (self.list_path(key), self.index_path(key)):
                with contextlib.suppress(FileNotFoundError):
                    p.unlink()

    # --- lists -----------------------------------------------------------------
    def cached_list(self, key: str) -> bytes | None:
        try:
            return self.list_path(key).read_bytes()
        except OSError:
            return None

    def read_index(self, key: str, sha256: str) -> dict[str, Any] | None:
        """The parsed index of ``key`` if it belongs to the list with ``sha256``."""
        try:
            data = json.loads(self.index_path(key).read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("sha256") != sha256:
            return None
        return data

    def commit(self, state: ListState, raw: bytes, index: dict[str, Any]) -> None:
        """Store a verified list, its parsed index and its new state."""
        with self._lock:
            atomic_write(self.list_path(state.key), raw)
            atomic_write(
                self.index_path(state.key),
                json.dumps({**index, "sha256": state.sha256}).encode("utf-8"),
            )
            self.update_state(state)

    def commit_prebuilt(self, items: list[tuple[ListState, bytes, bytes]]) -> None:
        """Store lists with their indexes already serialised (the bundled
        snapshot: ``index`` bytes hold the list's SHA-256), then their states
        in one write: the state file stays the single point of commit."""
        with self._lock:
            for state, raw, index in items:
                atomic_write(self.list_path(state.key), raw)
                atomic_write(self.index_path(state.key), index)
            states = self.states()
            states.update({state.key: state for state, _, _ in items})
            self._write_states(states)

    def write_index(self, key: str, sha256: str, index: dict[str, Any]) -> None:
        with self._lock:
            atomic_write(
                self.index_path(key), json.dumps({**index, "sha256": sha256}).encode("utf-8")
            )

    def record_failure(self, key: str, error: TrustListError, now: datetime, url: str) -> ListState:
        """Note a failed download or refusal in the list's state (best effort:
        an unwritable cache must not hide the original error)."""
        with self._lock:
            old = self.state(key) or ListState(key=key, url=url)
            new = replace(
                old,
                url=url or old.url,
                last_attempt=now,
                last_error_code=error.code,
                last_error=str(error),
                last_error_ja=error.text("ja", "app"),
            )
            try:
                self.update_state(new)
            except OSError as exc:
                log.warning("cannot record the failure of %s in the cache: %s", key, exc)
            return new
