"""The bundled EU snapshot (resources/trust/eu): every list verifies by the code
that verifies downloads, the index the build step makes (its ``index/`` is
derived, never committed) is the one that code builds and lets the first start
copy instead of verifying, a snapshot without index still seeds verified lists,
a tampered copy is not taken as it is, and the refresh script writes only
verified lists."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from asn1crypto import x509

import signing.trust.eu_cache as eu_cache
from signing.trust.eu import LOTL_KEY, EuTrust, EuTrustConfig, bundled_snapshot_dir
from signing.trust.snapshot_build import IndexBuild, build_indexes
from signing.trust.tl_snapshot import read_manifest

SNAP = bundled_snapshot_dir()
REPO = Path(__file__).resolve().parent.parent
BUILD_SCRIPT = REPO / "packaging" / "build_eu_index.py"


def _without_indexes(tmp: Path, keys: set[str] | None = None) -> Path:
    """A copy of the snapshot without its prebuilt indexes (seeding it runs
    the full verification, list by list); with ``keys``, only those lists."""
    copy = tmp / "snap"
    shutil.copytree(SNAP, copy, ignore=shutil.ignore_patterns("index"))
    if keys is not None:
        data = json.loads((copy / "snapshot.json").read_text("utf-8"))
        data["lists"] = {k: v for k, v in data["lists"].items() if k in keys}
        (copy / "snapshot.json").write_text(json.dumps(data), "utf-8")
        for path in copy.glob("*.xml"):
            if path.stem not in keys:
                path.unlink()
    return copy


class VerifySpy:
    """Records the full verifications the seeding runs (``accept_list`` by
    list key, ``verify_trust_list`` as "verify"), calling the real code
    (the seeding and the cache loading live in :mod:`signing.trust.eu_cache`)."""

    def __init__(self, mp: pytest.MonkeyPatch) -> None:
        self.calls: list[str] = []
        real_accept, real_verify = eu_cache.accept_list, eu_cache.verify_trust_list

        def accept(store: Any, key: str, *args: Any, **kwargs: Any) -> Any:
            self.calls.append(key)
            return real_accept(store, key, *args, **kwargs)

        def verify(*args: Any, **kwargs: Any) -> Any:
            self.calls.append("verify")
            return real_verify(*args, **kwargs)

        mp.setattr(eu_cache, "accept_list", accept)
        mp.setattr(eu_cache, "verify_trust_list", verify)

    @property
    def accepted(self) -> set[str]:
        return {c for c in self.calls if c != "verify"}


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> VerifySpy:
    return VerifySpy(monkeypatch)


@pytest.fixture(scope="module")
def verified(tmp_path_factory: pytest.TempPathFactory) -> tuple[EuTrust, VerifySpy]:
    """A fresh cache seeded from the snapshot *without* index: what a user
    gets if the index is missing (slower, never less checked)."""
    tmp = tmp_path_factory.mktemp("snapverify")
    config = EuTrustConfig(cache_dir=tmp / "cache", snapshot_dir=_without_indexes(tmp))
    with pytest.MonkeyPatch.context() as mp:
        spy = VerifySpy(mp)
        trust = EuTrust.open(config)
    return trust, spy


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, IndexBuild]:
    """The bundled lists with the index the build step makes from nothing."""
    folder = _without_indexes(tmp_path_factory.mktemp("snapbuild"))
    return folder, build_indexes(folder)


def _copy(folder: Path, tmp: Path) -> Path:
    shutil.copytree(folder, tmp / "copy")
    return tmp / "copy"


def _tampered_copy(snapshot: Path, tmp_path: Path) -> Path:
    """A copy of ``snapshot`` whose EE list has two bytes changed: same length,
    not what was signed."""
    snap = _copy(snapshot, tmp_path)
    data = bytearray((snap / "EE.xml").read_bytes())
    i = data.index(b"SK ID Solutions")
    data[i : i + 2] = b"XX"
    (snap / "EE.xml").write_bytes(bytes(data))
    return snap


def test_every_bundled_list_verifies_like_a_download(verified: tuple[EuTrust, VerifySpy]) -> None:
    trust, spy = verified
    manifest = read_manifest(SNAP)
    assert manifest[LOTL_KEY]["sequence"] >= 390
    assert len(manifest) >= 28
    # without index every list went through the full verification
    assert spy.accepted == set(manifest)
    states = trust.store.states()
    for key, info in manifest.items():
        state = states.get(key)
        assert state is not None and state.has_list, f"{key} did not verify"
        assert state.last_error is None, (key, state.last_error)
        assert state.sha256 == info["sha256"]
        assert state.sequence == info["sequence"]
        assert state.source == "snapshot"
    # the LOTL names the territories the snapshot holds
    named = {p.territory for p in trust.pointers() if not p.is_lotl}
    assert set(manifest) - {LOTL_KEY} <= named
    assert trust.service_count() > 1000


def test_the_build_step_writes_the_index_verification_builds(
    built: tuple[Path, IndexBuild], verified: tuple[EuTrust, VerifySpy]
) -> None:
    folder, result = built
    manifest = read_manifest(SNAP)
    assert result.ok and result.refused == ()
    assert set(result.built) == set(manifest) and result.current == ()
    store = verified[0].store
    for key, info in manifest.items():
        written = json.loads((folder / "index" / f"{key}.json").read_bytes())
        assert written == store.read_index(key, info["sha256"]), f"index/{key}.json differs"
    assert not list((folder / "index").glob(".*"))  # no temporary file left


def test_a_rerun_leaves_current_indexes_alone(built: tuple[Path, IndexBuild]) -> None:
    folder, _ = built
    before = {p.name: p.stat().st_mtime_ns for p in (folder / "index").iterdir()}
    again = build_indexes(folder)
    assert again.built == () and again.refused == ()
    assert set(again.current) == set(read_manifest(SNAP))
    assert {p.name: p.stat().st_mtime_ns for p in (folder / "index").iterdir()} == before


def test_the_built_index_seeds_a_fresh_cache_without_verifying(
    built: tuple[Path, IndexBuild], spy: VerifySpy, tmp_path: Path
) -> None:
    folder, _ = built
    trust = EuTrust.open(EuTrustConfig(cache_dir=tmp_path / "c", snapshot_dir=folder))
    assert spy.calls == []  # the fast path: copied, not verified again
    states = trust.store.states()
    for key, info in read_manifest(SNAP).items():
        assert states[key].has_list and states[key].sha256 == info["sha256"]
    assert "SK OCSP RESPONDER 2011" in {_cn(a.cert_der) for a in trust.responders()}


def test_a_tampered_index_is_not_used(
    built: tuple[Path, IndexBuild], spy: VerifySpy, tmp_path: Path
) -> None:
    snap = _copy(built[0], tmp_path)
    path = snap / "index" / "EE.json"
    good = path.read_bytes()
    index = json.loads(good)
    index["records"] = []  # would hide every Estonian service
    index["sha256"] = hashlib.sha256(b"another list").hexdigest()
    path.write_text(json.dumps(index), "utf-8")
    trust = EuTrust.open(EuTrustConfig(cache_dir=tmp_path / "c", snapshot_dir=snap))
    # EE verified as a download (against the LOTL's pointers), the rest copied
    assert spy.accepted == {"EE"}
    assert trust.store.states()["EE"].has_list
    assert "SK OCSP RESPONDER 2011" in {_cn(a.cert_der) for a in trust.responders()}
    # the build step rebuilds just that index
    again = build_indexes(snap)
    assert again.built == ("EE",) and again.refused == ()
    assert json.loads(path.read_bytes()) == json.loads(good)


def test_the_build_step_refuses_a_list_that_is_not_the_manifest_s(
    built: tuple[Path, IndexBuild], tmp_path: Path
) -> None:
    snap = _tampered_copy(built[0], tmp_path)
    (snap / "index" / "ZZ.json").write_text("{}")  # a list the manifest no longer names
    proc = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--snapshot", str(snap)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1, proc.stderr
    assert "no index for EE" in proc.stderr and "SHA-256" in proc.stderr
    assert not (snap / "index" / "EE.json").exists()  # the old one is gone too
    assert "0 built" in proc.stdout and "1 refused" in proc.stdout
    assert "1 stale removed" in proc.stdout and not (snap / "index" / "ZZ.json").exists()
    assert (snap / "index" / "BE.json").is_file()


def test_the_build_step_refuses_a_list_that_does_not_verify(tmp_path: Path) -> None:
    snap = _without_indexes(tmp_path, {LOTL_KEY, "EE", "BE"})
    data = bytearray((snap / "EE.xml").read_bytes())
    i = data.index(b"SK ID Solutions")
    data[i : i + 2] = b"XX"  # same length, not what was signed
    (snap / "EE.xml").write_bytes(bytes(data))
    # the manifest names the altered copy: only the signature can tell
    manifest = json.loads((snap / "snapshot.json").read_text("utf-8"))
    manifest["lists"]["EE"]["sha256"] = hashlib.sha256(data).hexdigest()
    (snap / "snapshot.json").write_text(json.dumps(manifest), "utf-8")
    result = build_indexes(snap)
    assert set(result.built) == {LOTL_KEY, "BE"}
    assert [key for key, _ in result.refused] == ["EE"]
    assert not (snap / "index" / "EE.json").exists()


def test_the_build_step_needs_a_manifest(tmp_path: Path) -> None:
    (tmp_path / "index").mkdir()
    proc = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--snapshot", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 2
    assert "snapshot.json" in proc.stderr


def test_first_start_copies_the_prebuilt_snapshot(tmp_path: Path) -> None:
    trust = EuTrust.open(EuTrustConfig(cache_dir=tmp_path / "c"))
    rows = {s.key: s for s in trust.status()}
    assert rows[LOTL_KEY].sequence == read_manifest(SNAP)[LOTL_KEY]["sequence"]
    assert rows["EE"].source == "snapshot" and rows["EE"].last_success is None
    # the revocation services reach the validator, apart from the anchors
    # (the EE list names "SK OCSP RESPONDER 2011" as a Certstatus/OCSP/QC service)
    responders = {_cn(a.cert_der): a for a in trust.responders()}
    anchors = {_cn(a.cert_der) for a in trust.anchors()}
    assert responders["SK OCSP RESPONDER 2011"].source == "EE"
    assert "SK OCSP RESPONDER 2011" not in anchors
    assert "ESTEID-SK 2011" in anchors and "ESTEID-SK 2011" not in responders


def _cn(der: bytes) -> str:
    try:
        return str(x509.Certificate.load(der).subject.native.get("common_name", ""))
    except ValueError:  # a few listed certificates have malformed names
        return ""


def test_a_tampered_bundled_list_is_verified_and_refused(
    built: tuple[Path, IndexBuild], tmp_path: Path
) -> None:
    snap = _tampered_copy(built[0], tmp_path)
    trust = EuTrust.open(EuTrustConfig(cache_dir=tmp_path / "c", snapshot_dir=snap))
    states = trust.store.states()
    assert states[LOTL_KEY].has_list
    assert "EE" not in states or not states["EE"].has_list
    assert "BE" in states and states["BE"].has_list


def _refresh(src: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """packaging/refresh_eu_snapshot.py run on the mirror ``src`` into ``out``."""
    script = REPO / "packaging" / "refresh_eu_snapshot.py"
    return subprocess.run(
        [sys.executable, str(script), str(src), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_refresh_script_verifies_before_writing(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    # the lists of the bundled snapshot, named as a mirror names them
    shutil.copy(SNAP / "LOTL.xml", src / "eu-lotl.xml")
    shutil.copy(SNAP / "EE.xml", src / "TSL_EE.xml")
    broken = bytearray((SNAP / "BE.xml").read_bytes())
    i = broken.index(b"<tsl:TSPName>") if b"<tsl:TSPName>" in broken else broken.index(b"TSPName")
    broken[i + 20] ^= 1
    (src / "TSL_BE.xml").write_bytes(bytes(broken))
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(SNAP / "lotl-signers.pem", out / "lotl-signers.pem")
    (out / "NOTICE").write_text("kept")
    proc = _refresh(src, out)
    assert proc.returncode == 1, proc.stderr  # BE left out
    assert "left out BE" in proc.stderr
    assert set(read_manifest(out)) == {LOTL_KEY, "EE"}
    assert (out / "NOTICE").read_text() == "kept"
    assert not (out / "BE.xml").exists()
    # the written snapshot seeds a cache without verifying again
    trust = EuTrust.open(EuTrustConfig(cache_dir=tmp_path / "c", snapshot_dir=out))
    assert trust.store.states()["EE"].has_list


def test_refresh_script_writes_nothing_without_a_verified_lotl(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SNAP / "EE.xml", src / "TSL_EE.xml")
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy(SNAP / "lotl-signers.pem", out / "lotl-signers.pem")
    proc = _refresh(src, out)
    assert proc.returncode == 2
    assert sorted(p.name for p in out.iterdir()) == ["lotl-signers.pem"]
