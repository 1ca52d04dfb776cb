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
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from signing.trust.tl_store import ListState, TrustListStore, atomic_write
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


@dataclass(frozen=True)
class IndexBuild:
    """What :func:`build_indexes` did, by list key."""

    built: tuple[str, ...] = ()
    #: already what the first start copies: left as they are
    current: tuple[str, ...] = ()
    #: (key, why): no index written, any old one removed
    refused: tuple[tuple[str, str], ...] = ()
    #: index files of lists the manifest does not name
    removed: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.refused


def build_indexes(folder: Path, *, force: bool = False) -> IndexBuild:
    """(Re)build ``folder/index/KEY.json`` for the lists of the snapshot
    folder. A list whose index the first start would already copy
    (:func:`prebuilt_entry`) is left alone unless ``force``. The others go
    through the seeding's slow path on an empty cache
    (:meth:`EuTrust.seed_from_snapshot` without indexes: the LOTL against
    ``folder/lotl-signers.pem``, each national list against the certificates
    the LOTL names for it, as a download); an index is written, atomically,
    only for a list that verified and whose SHA-256 is the manifest's."""
    from signing.trust.eu import LOTL_KEY, EuTrust, EuTrustConfig, load_pem_certs

    manifest = read_manifest(folder)
    if not manifest:
        return IndexBuild(refused=((MANIFEST, "missing or unreadable"),))
    index_dir = folder / "index"
    current: list[str] = []
    refused: list[tuple[str, str]] = []
    todo: dict[str, str] = {}
    for key, info in sorted(manifest.items()):
        try:
            raw = (folder / f"{key}.xml").read_bytes()
        except OSError as exc:
            refused.append((key, f"the list cannot be read: {exc}"))
            continue
        if hashlib.sha256(raw).hexdigest() != info.get("sha256"):
            refused.append((key, f"{key}.xml is not the list {MANIFEST} names (SHA-256 differs)"))
        elif not force and prebuilt_entry(folder, key, raw, info) is not None:
            current.append(key)
        else:
            todo[key] = str(info["sha256"])
    built: list[str] = []
    if todo:
        with tempfile.TemporaryDirectory(prefix="shomei-eu-index-") as tmp_name:
            tmp = Path(tmp_name)
            # the lists alone: without index/ every one takes the slow path
            view = tmp / "lists"
            view.mkdir()
            for key in {LOTL_KEY, *todo}:
                if (folder / f"{key}.xml").is_file():
                    shutil.copyfile(folder / f"{key}.xml", view / f"{key}.xml")
            try:
                signers = load_pem_certs((folder / "lotl-signers.pem").read_bytes())
                problem = "" if signers else "lotl-signers.pem holds no certificate"
            except (OSError, ValueError) as exc:
                signers, problem = (), f"the pinned LOTL signers cannot be read: {exc}"
            if problem:
                refused += [(key, problem) for key in todo]
            else:
                config = EuTrustConfig(
                    cache_dir=tmp / "cache",
                    lotl_signers=signers,
                    snapshot_dir=None,
                    territories=frozenset(todo) - {LOTL_KEY},
                )
                trust = EuTrust.open(config, seed=False)
                trust.seed_from_snapshot(view)
                states = trust.store.states()
                lotl = states.get(LOTL_KEY)
                for key, sha in todo.items():
                    state = states.get(key)
                    data = index_bytes(trust.store, key, sha) if state else None
                    if state is not None and state.sha256 == sha and data is not None:
                        atomic_write(index_dir / f"{key}.json", data)
                        built.append(key)
                    elif state is not None and state.last_error:
                        refused.append((key, state.last_error))
                    elif lotl is None or not lotl.has_list:
                        refused.append((key, "the bundled LOTL does not verify"))
                    else:
                        refused.append((key, "the bundled LOTL names no list for it"))
    for key, _ in refused:
        (index_dir / f"{key}.json").unlink(missing_ok=True)
    removed = []
    for path in sorted(index_dir.glob("*.json")):
        if path.stem not in manifest:
            path.unlink()
            removed.append(path.stem)
    return IndexBuild(tuple(built), tuple(current), tuple(sorted(refused)), tuple(removed))
