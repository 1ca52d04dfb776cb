"""``shomei trust status|update`` and :mod:`signing.trust.jp_trust`: the Japanese list
has its own status row (``JP``, scheme ``jp``, apart from the EU territories); a newer
signed list is downloaded from 127.0.0.1 and stored; a tampered, wrongly signed or older
list is refused and the previous one stays in use."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from signing.cli.main import main as cli_main
from signing.trust.eu import EuTrust, EuTrustConfig
from signing.trust.jp_list import JpService, bundled_list_path, load_bundled_jp_trust_list
from signing.trust.jp_trust import JP_KEY, JpTrust, JpTrustConfig
from signing.trust.status import Freshness, trust_status
from signing.trust.tl_fetch import FetchSettings
from tests.jp_trust_helpers import ListSigner, jp_test_services, make_list_signer, signed_list
from tests.pki import PKI
from tests.trust_eu_support import ListServer, serve

# several real (historical) CA certificates of the bundled list have a negative serial
pytestmark = pytest.mark.filterwarnings("ignore:Parsed a serial number")

FAST = FetchSettings(attempts=1, backoff=0, connect_timeout=2, read_timeout=5)


@dataclass(frozen=True)
class Setup:
    server: ListServer
    signer: ListSigner
    services: list[JpService]
    pem: Path
    cache: Path

    def publish(self, sequence: int, path: str = "/JP-TL.xml") -> bytes:
        data = signed_list(self.services, self.signer, sequence=sequence)
        self.server.files[path] = data
        return data

    def cli(self, action: str, *extra: str) -> list[str]:
        return [
            "trust",
            action,
            "--json",
            "--cache-dir",
            str(self.cache),
            "--no-snapshot",
            "--jp-signers",
            str(self.pem),
            *extra,
        ]

    def update_args(self) -> list[str]:
        return self.cli("update", "--jp-url", self.server.url("/JP-TL.xml"), "--jp-only")

    def trust(self) -> JpTrust:
        config = JpTrustConfig(
            cache_dir=self.cache, signers=(self.signer.cert_der,), bundled_list=None, fetch=FAST
        )
        return JpTrust.open(config)


@pytest.fixture(scope="module")
def server() -> Iterator[ListServer]:
    yield from serve()


@pytest.fixture
def setup(server: ListServer, pki: PKI, tmp_path: Path) -> Setup:
    server.files.clear()
    signer = make_list_signer()
    pem = tmp_path / "jp-signers.pem"
    cert = x509.load_der_x509_certificate(signer.cert_der)
    pem.write_bytes(cert.public_bytes(Encoding.PEM))
    return Setup(server, signer, jp_test_services(pki), pem, tmp_path / "cache")


def test_status_shows_the_bundled_japanese_list_apart_from_the_eu(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundled = load_bundled_jp_trust_list()
    args = ["trust", "status", "--cache-dir", str(tmp_path / "c")]
    assert cli_main([*args, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    jp = doc["jp"]
    assert jp["territory"] == "JP" and jp["scheme"] == "jp"
    assert jp["sequence"] == bundled.sequence_number
    assert jp["services"] == len(bundled.services)
    assert bundled.issued is not None and jp["issued"] == bundled.issued.isoformat()
    assert jp["stale"] is False and jp["source"] == "snapshot"
    assert all(row["scheme"] == "eu" and row["territory"] != "JP" for row in doc["lists"])

    assert cli_main(args) == 0
    text = capsys.readouterr().out
    eu_part, _, jp_part = text.partition("Japanese list")
    assert "not an EU trusted list" in jp_part
    assert "\nJP " not in eu_part
    row = next(line for line in jp_part.splitlines() if line.startswith("JP "))
    assert f" {bundled.sequence_number} " in row and row.endswith("ok")


def test_newer_list_is_downloaded_and_used(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    setup.publish(3)
    assert cli_main(setup.update_args()) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] is True and doc["updated"] == ["JP"] and doc["lists"] == []
    assert doc["jp"]["sequence"] == 3 and doc["jp"]["source"] == "network"
    assert doc["jp"]["url"] == setup.server.url("/JP-TL.xml")

    data = setup.publish(4)
    jp = setup.trust()
    report = jp.update(setup.server.url("/JP-TL.xml"))
    assert report.ok and report.updated == (JP_KEY,)
    assert jp.current().sequence_number == 4
    assert jp.store.cached_list(JP_KEY) == data
    assert jp.update(setup.server.url("/JP-TL.xml")).unchanged == (JP_KEY,)

    assert cli_main(setup.cli("status")) == 0
    status = json.loads(capsys.readouterr().out)["jp"]
    assert status["sequence"] == 4 and status["services"] == len(setup.services)
    assert status["last_error"] is None


@pytest.mark.parametrize("problem", ["tampered", "rollback", "wrong-signer", "missing"])
def test_bad_download_is_refused_and_the_previous_list_kept(
    setup: Setup, problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    good = setup.publish(5)
    assert cli_main(setup.update_args()) == 0
    capsys.readouterr()
    if problem == "tampered":
        bad = signed_list(setup.services, setup.signer, sequence=6)
        tampered = bad.replace(b"Test accredited CA", b"Test accredited CB", 1)
        assert tampered != bad
        setup.server.files["/JP-TL.xml"] = tampered
    elif problem == "rollback":
        setup.publish(4)
    elif problem == "wrong-signer":
        impostor = make_list_signer("impostor")
        setup.server.files["/JP-TL.xml"] = signed_list(setup.services, impostor, sequence=6)
    else:
        del setup.server.files["/JP-TL.xml"]
    assert cli_main(setup.update_args()) == 1
    doc = json.loads(capsys.readouterr().out)
    expected = {
        "tampered": "trust-list-signature",
        "rollback": "trust-list-rollback",
        "wrong-signer": "trust-list-signature",
        "missing": "trust-list-fetch",
    }[problem]
    assert doc["ok"] is False
    assert [(e["list"], e["error"]) for e in doc["errors"]] == [("JP", expected)]
    assert doc["jp"]["sequence"] == 5 and doc["jp"]["last_error_code"] == expected
    jp = setup.trust()
    assert jp.store.cached_list(JP_KEY) == good
    assert jp.current().sequence_number == 5


def test_older_than_the_bundled_list_is_a_rollback(setup: Setup) -> None:
    bundled = load_bundled_jp_trust_list()
    setup.publish(bundled.sequence_number - 1)
    config = JpTrustConfig(cache_dir=setup.cache, signers=(setup.signer.cert_der,), fetch=FAST)
    jp = JpTrust.open(config)
    assert jp.status().sequence == bundled.sequence_number  # seeded from the bundled list
    report = jp.update(setup.server.url("/JP-TL.xml"))
    assert [(k, e.code) for k, e in report.errors] == [("JP", "trust-list-rollback")]
    assert jp.current().sequence_number == bundled.sequence_number
    assert jp.store.cached_list(JP_KEY) == bundled_list_path().read_bytes()


def test_trust_status_lists_eu_then_jp(setup: Setup, tmp_path: Path) -> None:
    setup.publish(3)
    jp = setup.trust()
    assert jp.update(setup.server.url("/JP-TL.xml")).ok
    eu = EuTrust.open(EuTrustConfig(cache_dir=tmp_path / "eu", snapshot_dir=None))
    status = trust_status(eu, jp)
    rows = status.rows
    assert rows[-1].key == "JP" and rows[-1].scheme == "jp" and rows[-1].sequence == 3
    assert all(r.scheme == "eu" for r in rows[:-1]) and rows[0].key == "LOTL"
    assert status.jp is not None and status.jp.freshness is Freshness.CURRENT
    assert status.jp.anchors == len(jp.current().anchors()) > 0
    assert status.jp_error is None
    # (no EU list cached here, none bundled: the LOTL row says it is missing)
    assert status.eu[0].freshness is Freshness.MISSING
    only_jp = trust_status(None, setup.trust().config)
    assert only_jp.eu == () and only_jp.rows == (jp.status(only_jp.checked_at),)


def test_update_url_is_a_setting_with_a_default(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where updates come from: the setting (``JpTrustConfig.update_url``, the app's
    "Japanese list update URL", ``--jp-url``), else ``$SHOMEI_JP_LIST_URL``, else the
    URL the list in use publishes in its signed DistributionPoints. An organisation
    mirrors the signed file at its own URL and points the setting there."""
    import datetime as dt
    from dataclasses import replace

    from tests.jp_trust_helpers import builder

    mirror = setup.server.url("/mirror/JP-TL.xml")
    setup.server.files["/mirror/JP-TL.xml"] = signed_list(setup.services, setup.signer, 4)
    # nothing configured, nothing published: no URL, and update says why
    trust = setup.trust()
    assert trust.update_url() is None
    report = trust.update()
    assert [k for k, _ in report.errors] == [JP_KEY] and "update URL" in str(report.errors[0][1])
    # the setting
    configured = JpTrust.open(replace(trust.config, update_url=mirror))
    assert configured.update_url() == mirror
    assert configured.update().updated == (JP_KEY,)
    assert configured.current().sequence_number == 4
    # the environment variable, for a whole deployment
    with monkeypatch.context() as env:
        env.setenv("SHOMEI_JP_LIST_URL", mirror)
        assert setup.trust().update_url() == mirror
    # the list's own DistributionPoints (written by the build's --distribution-point)
    b = builder()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    root = b.build_tl_element(
        setup.services,
        sequence=5,
        issued=now,
        next_update=now + dt.timedelta(days=30),
        distribution_point=setup.server.url("/published/JP-TL.xml"),
    )
    published = bytes(b.sign_tl(root, setup.signer.key, setup.signer.cert_der))
    setup.server.files["/mirror/JP-TL.xml"] = published
    assert configured.update().updated == (JP_KEY,)
    assert setup.trust().update_url() == setup.server.url("/published/JP-TL.xml")
