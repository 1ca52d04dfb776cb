"""The bundled EU snapshot (resources/trust/eu): every list verifies by the code
that verifies downloads, the shipped indexes are the ones that code builds,
a tampered copy is not taken as it is, and the refresh script writes only
verified lists."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from asn1crypto import x509

from signing.trust.eu import LOTL_KEY, EuTrust, EuTrustConfig, bundled_snapshot_dir
from signing.trust.tl_snapshot import read_manifest

SNAP = bundled_snapshot_dir()
REPO = Path(__file__).resolve().parent.parent


def _without_indexes(tmp: Path) -> Path:
    """A copy of the snapshot without its prebuilt indexes: seeding it runs
    the full verification, list by list."""
    copy = tmp / "snap"
    shutil.copytree(SNAP, copy, ignore=shutil.ignore_patterns("index"))
    return copy


@pytest.fixture(scope="module")
def verified(tmp_path_factory: pytest.TempPathFactory) -> EuTrust:
    tmp = tmp_path_factory.mktemp("snapverify")
    return EuTrust.open(EuTrustConfig(cache_dir=tmp / "cache", snapshot_dir=_without_indexes(tmp)))


def test_every_bundled_list_verifies_like_a_download(verified: EuTrust) -> None:
    manifest = read_manifest(SNAP)
    assert manifest[LOTL_KEY]["sequence"] >= 390
    assert len(manifest) >= 28
    states = verified.store.states()
    for key, info in manifest.items():
        state = states.get(key)
        assert state is not None and state.has_list, f"{key} did not verify"
        assert state.last_error is None, (key, state.last_error)
        assert state.sha256 == info["sha256"]
        assert state.sequence == info["sequence"]
    # the LOTL names the territories the snapshot holds
    named = {p.territory for p in verified.pointers() if not p.is_lotl}
    assert set(manifest) - {LOTL_KEY} <= named


def test_shipped_indexes_are_the_ones_verification_builds(verified: EuTrust) -> None:
    for key, info in read_manifest(SNAP).items():
        shipped = json.loads((SNAP / "index" / f"{key}.json").read_bytes())
        built = verified.store.read_index(key, info["sha256"])
        assert built is not None
        assert shipped == built, f"index/{key}.json differs from what the list gives"


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


def test_a_tampered_bundled_list_is_verified_and_refused(tmp_path: Path) -> None:
    snap = tmp_path / "snap"
    shutil.copytree(SNAP, snap)
    data = bytearray((snap / "EE.xml").read_bytes())
    i = data.index(b"SK ID Solutions")
    data[i : i + 2] = b"XX"  # same length, not what was signed
    (snap / "EE.xml").write_bytes(bytes(data))
    trust = EuTrust.open(EuTrustConfig(cache_dir=tmp_path / "c", snapshot_dir=snap))
    states = trust.store.states()
    assert states[LOTL_KEY].has_list
    assert "EE" not in states or not states["EE"].has_list
    assert "BE" in states and states["BE"].has_list


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
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "packaging" / "refresh_eu_snapshot.py"),
            str(src),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
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
    proc = subprocess.run(
        [
            sys.executable,
            str(REPO / "packaging" / "refresh_eu_snapshot.py"),
            str(src),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 2
    assert sorted(p.name for p in out.iterdir()) == ["lotl-signers.pem"]
