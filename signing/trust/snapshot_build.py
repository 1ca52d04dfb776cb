"""Building a trusted-list snapshot's indexes (packaging time, and the
first start of a development tree): every list goes through the same
verification as a download, by :class:`signing.trust.eu.EuTrust`. Apart from
:mod:`signing.trust.tl_snapshot` (reading a snapshot), which the trust cache
itself uses, so that reading does not import the whole of EuTrust."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from signing.trust.tl_snapshot import MANIFEST, index_bytes, prebuilt_entry, read_manifest
from signing.trust.tl_store import atomic_write


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
