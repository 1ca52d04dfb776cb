"""``shomei trust import DIR|ZIP`` with real lists (shared/corpus/eu/tl): every
file is verified as a download is (pinned LOTL signers, the LOTL's pointer
certificates), the newest list that verifies wins, broken copies are reported
and never stored, and good cache state is never replaced by bad. Plus the
mirror rewrite of the national lists' URLs."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from signing.trust.eu import LOTL_KEY, EuTrust, EuTrustConfig, load_pem_certs, mirrored_url
from signing.trust.tl_import import TrustImportError, import_lists
from tests.conftest import SHARED

TL = SHARED / "corpus" / "eu" / "tl"
SIGNERS_2019 = SHARED / "corpus" / "eu" / "certs" / "pyhanko__lotl-signers-OJ-C276-2019.pem"
GOOD_2019 = [
    "dss__lotl-seq248.xml",
    "dss__tl-2019-CZ.xml",
    "dss__tl-2019-BE.xml",
    "dss__tl-2019-EL.xml",
]
BROKEN_CZ = [
    "dss__tl-2019-CZ-broken-sig.xml",
    "dss__tl-2019-CZ-no-sig.xml",
    "dss__tl-2019-CZ-empty.xml",
    "dss__tl-2019-CZ-not-compliant.xml",
]
BROKEN_LOTL = ["dss__lotl-seq248-broken-sig.xml", "dss__lotl-seq248-not-parsable.xml"]


def _trust(cache: Path) -> EuTrust:
    return EuTrust.open(
        EuTrustConfig(
            cache_dir=cache,
            snapshot_dir=None,
            lotl_signers=load_pem_certs(SIGNERS_2019.read_bytes()),
        )
    )


def _folder(tmp: Path, names: list[str]) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(names):
        # a mirror names files its own way: content decides, not the name
        shutil.copy(TL / name, tmp / f"list-{i:02d}.xml")
    return tmp


def _sha(name: str) -> str:
    return hashlib.sha256((TL / name).read_bytes()).hexdigest()


def test_folder_with_good_and_broken_copies(tmp_path: Path) -> None:
    # broken copies first: for equal sequence numbers they are tried (and
    # refused) before the good one
    src = _folder(tmp_path / "src", [*BROKEN_CZ, *BROKEN_LOTL, *GOOD_2019])
    trust = _trust(tmp_path / "cache")
    report = import_lists(trust, src)
    states = trust.store.states()
    assert states[LOTL_KEY].sequence == 248 and states[LOTL_KEY].source == "file"
    assert states[LOTL_KEY].sha256 == _sha("dss__lotl-seq248.xml")
    assert states["CZ"].sha256 == _sha("dss__tl-2019-CZ.xml")
    assert states["CZ"].last_error is None  # the good copy cleared the refusals
    assert set(report.updated) == {LOTL_KEY, "CZ", "BE", "EL"}
    # every broken copy is reported, by the name it has in the folder; none stored
    failed = {exc.message.split(":", 1)[0] for _, exc in report.errors}
    failed |= {key for key, _ in report.errors}
    assert failed >= {f"list-{i:02d}.xml" for i in range(len(BROKEN_CZ) + len(BROKEN_LOTL))}
    codes = {exc.code for _, exc in report.errors}
    assert {"trust-list-signature", "trust-list-format"} <= codes
    assert trust.service_count() > 100 and trust.anchors()


def test_bad_material_never_replaces_good_cache_state(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    trust = _trust(cache)
    import_lists(trust, _folder(tmp_path / "good", GOOD_2019))
    before = trust.store.states()
    report = import_lists(_trust(cache), _folder(tmp_path / "bad", [*BROKEN_CZ, *BROKEN_LOTL]))
    assert report.errors and not report.updated
    after = _trust(cache).store.states()
    for key in (LOTL_KEY, "CZ", "BE", "EL"):
        assert after[key].sha256 == before[key].sha256, key
        assert after[key].sequence == before[key].sequence
    # an older LOTL (a pivot of the same era) is never taken over the newer one
    report = import_lists(_trust(cache), _folder(tmp_path / "old", ["dss__lotl-pivot-247.xml"]))
    assert not report.updated
    assert _trust(cache).store.states()[LOTL_KEY].sequence == 248


def test_the_corpus_folder_as_it_is(tmp_path: Path) -> None:
    """The whole folder: LOTLs of 2016-2026 with their pivots, national lists of
    several years, broken and hostile copies (XML signature wrapping, altered
    services). From the 2019 pinned signers the pivots lead, LOTL by LOTL, to
    the newest LOTL; a national list is kept only if the newest LOTL's
    pointer certificates verify it. Nothing crashes; what is stored verified."""
    trust = _trust(tmp_path / "cache")
    report = import_lists(trust, TL)
    states = trust.store.states()
    assert states[LOTL_KEY].sequence == 388, [e for e in report.errors if e[0] == LOTL_KEY]
    stored = {k: s for k, s in states.items() if s.has_list}
    assert all(s.source == "file" for s in stored.values())
    # BE's v6 list of 2026 is signed by the certificate LOTL 388 names
    assert stored["BE"].sha256 == _sha("pyhanko__tsl-be-v6-seq81.xml")
    # the altered and wrapped SK copies are never stored
    bad_sk = {
        _sha(n)
        for n in (
            "dss__tl-SK-seq95-altered-trust-service.xml",
            "dss__tl-SK-seq95-altered-tsp.xml",
            "dss__xsw-tl-SK-fake-content.xml",
            "dss__xsw-tl-SK-fake-content-two-same-id.xml",
        )
    }
    assert "SK" not in stored or stored["SK"].sha256 not in bad_sk
    assert report.errors


def test_zip_through_the_cli(tmp_path: Path) -> None:
    archive = tmp_path / "lists.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for name in [
            "dss__lotl-seq248.xml",
            "dss__tl-2019-BE.xml",
            "dss__tl-2019-CZ-broken-sig.xml",
        ]:
            zf.write(TL / name, f"mirror/{name}")
    cache = tmp_path / "cache"
    cmd = [
        sys.executable,
        "-m",
        "signing.cli.main",
        "trust",
        "import",
        str(archive),
        "--cache-dir",
        str(cache),
        "--lotl-signers",
        str(SIGNERS_2019),
        "--no-snapshot",
        "--json",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr  # the broken CZ copy is reported
    doc = json.loads(proc.stdout)
    assert set(doc["updated"]) == {LOTL_KEY, "BE"}
    assert [e["list"] for e in doc["errors"]] == ["CZ"]
    assert doc["errors"][0]["error"] == "trust-list-signature"
    rows = {r["territory"]: r for r in doc["lists"]}
    assert rows["BE"]["source"] == "file" and rows[LOTL_KEY]["sequence"] == 248
    assert rows["CZ"]["sequence"] is None  # refused: nothing stored


def test_unreadable_source_is_an_error(tmp_path: Path) -> None:
    not_zip = tmp_path / "lists.zip"
    not_zip.write_bytes(b"not a zip archive")
    with pytest.raises(TrustImportError, match="cannot be read"):
        import_lists(_trust(tmp_path / "c"), not_zip)
    with pytest.raises(TrustImportError):
        import_lists(_trust(tmp_path / "c"), tmp_path / "missing")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(TrustImportError, match="no trusted-list"):
        import_lists(_trust(tmp_path / "c"), empty)


def test_mirror_url_rewrite() -> None:
    url = "https://sr.riik.ee/tsl/estonian-tsl.xml"
    assert mirrored_url("https://mirror.example/tl", "EE", url) == (
        "https://mirror.example/tl/EE/estonian-tsl.xml"
    )
    assert mirrored_url("https://mirror.example/tl/", "EE", url) == (
        "https://mirror.example/tl/EE/estonian-tsl.xml"
    )
    assert mirrored_url("http://m/{territory}.xml", "EE", url) == "http://m/EE.xml"
    assert mirrored_url("http://m/x/{file}", "EE", url) == "http://m/x/estonian-tsl.xml"


def test_mirror_setting_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SHOMEI_TL_MIRROR", "https://mirror.example/tl")
    assert EuTrustConfig(cache_dir=tmp_path).tl_mirror == "https://mirror.example/tl"
    monkeypatch.delenv("SHOMEI_TL_MIRROR")
    assert EuTrustConfig(cache_dir=tmp_path).tl_mirror is None
