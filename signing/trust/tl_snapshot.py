"""The bundled trusted-list snapshot: written at packaging time, copied into
an empty cache at first start.

Every list of the snapshot is verified when the snapshot is built, by the
code that verifies downloads (:func:`signing.trust.tl_update.accept_list`:
the LOTL against the pinned signers, each national list against the
certificates the LOTL names for it; ``packaging/refresh_eu_snapshot.py``),
and again by the test suite. The parsed index of each list is shipped
beside it, so that the first start only copies: checking 29 XML signatures
and parsing some 20 MB of XML took over 10 s, which a user should not wait
for. The bundled files are part of the installed app, as trustworthy as its
code; at first start a list is copied only if its SHA-256 is the one the
manifest and its index name, else it goes through the full verification.

The indexes are derived data, never committed: :func:`build_indexes`
(``packaging/build_eu_index.py``, run by ``setup.sh`` and before PyInstaller)
makes them from the committed lists through the seeding's own slow path. A
folder without them still seeds a cache, list by list, only slower.

Layout of the folder::

    LOTL.xml, XX.xml      the lists, byte for byte as published
    index/KEY.json        the index the cache would build for that list (built)
    snapshot.json         {"lists": {KEY: {"sequence", "sha256", "url", ...}}}
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from signing.trust.tl_store import ListState, TrustListStore
from signing.trust.tl_update import INDEX_FORMAT

MANIFEST = "snapshot.json"


def read_manifest(folder: Path) -> dict[str, dict[str, Any]]:
    """``snapshot.json`` by list key (upper case); ``{}`` when absent or unreadable."""
    try:
        data = json.loads((folder / MANIFEST).read_text("utf-8"))
        lists = data["lists"]
        return {str(k).upper(): dict(v) for k, v in lists.items() if isinstance(v, dict)}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def prebuilt_entry(
    folder: Path, key: str, raw: bytes, info: dict[str, Any] | None
) -> tuple[ListState, bytes, bytes] | None:
    """(state, list, index bytes) for the bundled list ``key`` if the list and
    its prebuilt index are the ones the manifest names; ``None`` otherwise
    (the caller then verifies the list as it would a download)."""
    if not info:
        return None
    sha = hashlib.sha256(raw).hexdigest()
    if info.get("sha256") != sha:
        return None
    try:
        index_bytes = (folder / "index" / f"{key}.json").read_bytes()
        index = json.loads(index_bytes)
        header = index["header"]
        if index.get("format") != INDEX_FORMAT or index.get("sha256") != sha:
            return None
        state = ListState(
            key=key,
            url=str(info.get("url", "")),
            territory=str(header["territory"]),
            tsl_type=str(header["tsl_type"]),
            sequence=int(header["sequence"]),
            issued=_time(header["issued"]),
            next_update=_time(header.get("next_update")),
            service_count=int(header["service_count"]),
            sha256=sha,
            source="snapshot",
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return state, raw, index_bytes


def index_bytes(store: TrustListStore, key: str, sha256: str) -> bytes | None:
    """The cached index of the list ``key`` with ``sha256``, as the snapshot ships it."""
    index = store.read_index(key, sha256)
    if index is None:
        return None
    return json.dumps(index, separators=(",", ":")).encode("utf-8")


def export_snapshot(store: TrustListStore, out: Path, *, keep: tuple[str, ...] = ()) -> list[str]:
    """Write the verified lists of ``store`` (a fresh cache the lists were
    accepted into) as a snapshot folder ``out``: lists, indexes, manifest.
    Files named in ``keep`` (README, NOTICE, pinned signers) stay. The new
    folder is built aside and swapped in only when complete. Returns the keys."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        (tmp / "index").mkdir()
        lists: dict[str, Any] = {}
        for key, state in sorted(store.states().items()):
            raw = store.cached_list(key)
            index = index_bytes(store, key, state.sha256 or "")
            if raw is None or index is None or not state.has_list:
                continue
            (tmp / f"{key}.xml").write_bytes(raw)
            (tmp / "index" / f"{key}.json").write_bytes(index)
            lists[key] = {
                "sequence": state.sequence,
                "issued": state.issued.isoformat() if state.issued else None,
                "next_update": state.next_update.isoformat() if state.next_update else None,
                "sha256": state.sha256,
                "url": state.url,
                "file": f"{key}.xml",
            }
        (tmp / MANIFEST).write_text(json.dumps({"lists": lists}, indent=1) + "\n", "utf-8")
        for name in keep:
            if (out / name).is_file():
                shutil.copy2(out / name, tmp / name)
        old = out.with_name(f".{out.name}.old")
        if out.exists():
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
        return list(lists)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
