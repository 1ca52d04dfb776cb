"""EU trusted lists over HTTP on 127.0.0.1: download, verification, cache,
freshness, rollback, partial failure, snapshot, safe XML, status, CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from signing.cli.main import main as cli_main
from signing.trust.anchors import AnchorOrigin
from signing.trust.eu import LOTL_KEY, EuTrust, EuTrustConfig
from signing.trust.tl_errors import (
    TrustListFetchError,
    TrustListRollbackError,
    TrustListSignatureError,
    UnsafeXmlError,
)
from signing.trust.tl_fetch import FetchSettings, HttpFetcher
from signing.trust.tl_xml import parse_safely
from tests.trust_eu_support import (
    ListServer,
    Service,
    Tlso,
    build_lotl,
    build_tl,
    make_tlso,
    serve,
    sign,
)

NOW = datetime(2026, 6, 1, tzinfo=UTC)


@dataclass
class Keys:
    lotl: Tlso
    be: Tlso
    ee: Tlso
    ca: Tlso  # a CA certificate for the listed services


@pytest.fixture(scope="module")
def keys() -> Keys:
    return Keys(
        make_tlso("Test LOTL signer"),
        make_tlso("BE TLSO"),
        make_tlso("EE TLSO"),
        make_tlso("Test Qualified CA"),
    )


@pytest.fixture
def server() -> Iterator[ListServer]:
    yield from serve()


def be_list(keys: Keys, seq: int = 5, **kw: object) -> bytes:
    svc = Service("BE qualified CA", keys.ca.der, qualifiers=["QCWithQSCD"], asi=["ForeSignatures"])
    return sign(build_tl("BE", seq, [svc], **kw), keys.be)  # type: ignore[arg-type]


def ee_list(keys: Keys, seq: int = 3) -> bytes:
    return sign(build_tl("EE", seq, [Service("EE CA", keys.ee.der)]), keys.ee)


def publish(server: ListServer, keys: Keys, *, lotl_seq: int = 10) -> None:
    server.files["/be.xml"] = be_list(keys)
    server.files["/ee.xml"] = ee_list(keys)
    server.files["/lotl.xml"] = sign(
        build_lotl(
            lotl_seq,
            [
                ("BE", server.url("/be.xml"), [keys.be.der]),
                ("EE", server.url("/ee.xml"), [keys.ee.der]),
            ],
            self_url=server.url("/lotl.xml"),
            lotl_signers=[keys.lotl.der],
        ),
        keys.lotl,
    )


def config(tmp_path: Path, server: ListServer, keys: Keys, **kw: object) -> EuTrustConfig:
    base = EuTrustConfig(
        cache_dir=tmp_path / "cache",
        lotl_url=server.url("/lotl.xml"),
        lotl_signers=(keys.lotl.der,),
        snapshot_dir=None,
        fetch=FetchSettings(attempts=2, backoff=0, connect_timeout=2, read_timeout=5),
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def by_key(trust: EuTrust) -> dict[str, object]:
    return {s.key: s for s in trust.status(NOW)}


def test_good_fetch_stores_verified_lists_and_reports_status(tmp_path, server, keys):
    publish(server, keys)
    trust = EuTrust.open(config(tmp_path, server, keys))
    report = trust.update(now=NOW)
    assert report.ok, report.errors
    assert set(report.updated) == {LOTL_KEY, "BE", "EE"}
    st = {s.key: s for s in trust.status(NOW)}
    assert st[LOTL_KEY].sequence == 10
    assert st["BE"].sequence == 5 and st["BE"].service_count == 1 and not st["BE"].stale
    assert st["BE"].last_success == NOW and st["BE"].last_error is None
    assert st["BE"].issued == datetime(2026, 1, 1, tzinfo=UTC)
    assert st["BE"].next_update == datetime(2027, 1, 1, tzinfo=UTC)
    cached = trust.store.cached_list("BE")
    assert cached == server.files["/be.xml"]
    anchors = trust.anchors()
    assert {a.tag for a in anchors} == {"eu-tl:BE", "eu-tl:EE"}
    assert all(a.origin is AnchorOrigin.EU_TRUSTED_LIST for a in anchors)
    assert {a.cert_der for a in anchors} == {keys.ca.der, keys.ee.der}
    # a second run changes nothing
    again = trust.update(now=NOW)
    assert again.ok and set(again.unchanged) == {LOTL_KEY, "BE", "EE"} and not again.updated


def test_tampered_list_is_refused_and_last_good_copy_kept(tmp_path, server, keys):
    publish(server, keys)
    trust = EuTrust.open(config(tmp_path, server, keys))
    assert trust.update(now=NOW).ok
    good = server.files["/be.xml"]
    server.files["/be.xml"] = be_list(keys, seq=6).replace(b"BE qualified CA", b"BE qualified XX")
    report = trust.update(now=NOW + timedelta(days=1))
    assert [k for k, _ in report.errors] == ["BE"]
    assert isinstance(report.errors[0][1], TrustListSignatureError)
    st = trust.list_state("BE")
    assert st is not None and st.sequence == 5
    assert st.last_error_code == "trust-list-signature"
    assert st.last_error_ja and "署名" in st.last_error_ja
    assert st.last_success == NOW
    assert trust.store.cached_list("BE") == good
    assert [r.name for r in trust.all_records() if r.territory == "BE"] == ["BE qualified CA"]


def test_list_signed_by_wrong_key_is_refused(tmp_path, server, keys):
    publish(server, keys)
    server.files["/be.xml"] = sign(build_tl("BE", 5, [Service("x", keys.ca.der)]), keys.ee)
    trust = EuTrust.open(config(tmp_path, server, keys))
    report = trust.update(now=NOW)
    assert [k for k, _ in report.errors] == ["BE"]
    assert isinstance(report.errors[0][1], TrustListSignatureError)
    assert trust.store.cached_list("BE") is None
    assert by_key(trust)["BE"].sequence is None  # type: ignore[attr-defined]
    assert by_key(trust)["EE"].sequence == 3  # type: ignore[attr-defined]


def test_lotl_signed_by_unpinned_key_is_refused(tmp_path, server, keys):
    publish(server, keys)
    trust = EuTrust.open(config(tmp_path, server, keys, lotl_signers=(keys.be.der,)))
    report = trust.update(now=NOW)
    assert [k for k, _ in report.errors] == [LOTL_KEY]
    assert trust.store.cached_list(LOTL_KEY) is None
    assert trust.service_count() == 0


def test_stale_list_is_reported(tmp_path, server, keys):
    publish(server, keys)
    server.files["/be.xml"] = be_list(keys, next_update=datetime(2026, 3, 1, tzinfo=UTC))
    trust = EuTrust.open(config(tmp_path, server, keys))
    assert trust.update(now=NOW).ok
    st = by_key(trust)
    assert st["BE"].stale and not st["EE"].stale  # type: ignore[attr-defined]
    assert "BE" in trust.due_for_refresh(NOW)
    assert trust.is_stale_beyond_grace("BE", NOW)
    assert not trust.is_stale_beyond_grace("BE", datetime(2026, 3, 5, tzinfo=UTC))


def test_rollback_is_refused(tmp_path, server, keys):
    publish(server, keys)
    trust = EuTrust.open(config(tmp_path, server, keys))
    assert trust.update(now=NOW).ok
    server.files["/be.xml"] = be_list(keys, seq=4)
    report = trust.update(now=NOW)
    assert [(k, type(e)) for k, e in report.errors] == [("BE", TrustListRollbackError)]
    assert trust.list_state("BE").sequence == 5  # type: ignore[union-attr]
    assert trust.list_state("BE").last_error_code == "trust-list-rollback"  # type: ignore[union-attr]


def test_lotl_rollback_is_refused(tmp_path, server, keys):
    publish(server, keys, lotl_seq=10)
    trust = EuTrust.open(config(tmp_path, server, keys))
    assert trust.update(now=NOW).ok
    publish(server, keys, lotl_seq=9)
    report = trust.update(now=NOW)
    assert isinstance(dict(report.errors)[LOTL_KEY], TrustListRollbackError)
    assert trust.list_state(LOTL_KEY).sequence == 10  # type: ignore[union-attr]


def test_one_territory_unreachable_while_others_succeed(tmp_path, server, keys):
    publish(server, keys)
    server.broken.add("/ee.xml")
    trust = EuTrust.open(config(tmp_path, server, keys))
    report = trust.update(now=NOW)
    assert [k for k, _ in report.errors] == ["EE"]
    err = report.errors[0][1]
    assert isinstance(err, TrustListFetchError) and err.http_status == 503
    assert server.hits.count("/ee.xml") == 2  # retried once
    st = by_key(trust)
    assert st["BE"].sequence == 5  # type: ignore[attr-defined]
    assert st["EE"].sequence is None and st["EE"].last_error_code == "trust-list-fetch"  # type: ignore[attr-defined]
    # kept in both languages: the app's Settings › Trust shows the Japanese one
    assert "ダウンロードできません" in st["EE"].last_error_ja  # type: ignore[attr-defined]
    assert "trusted-list server" in st["EE"].last_error  # type: ignore[attr-defined]


def test_unknown_critical_extension_disables_that_service(tmp_path, server, keys):
    publish(server, keys)
    svc = Service("Odd CA", keys.ca.der, unknown_critical_extension=True)
    server.files["/be.xml"] = sign(build_tl("BE", 5, [svc]), keys.be)
    trust = EuTrust.open(config(tmp_path, server, keys))
    assert trust.update(now=NOW).ok
    problems = trust.problems("BE")
    assert len(problems) == 1 and "ShomeiUnknownExtension" in problems[0]
    (rec,) = [r for r in trust.all_records() if r.territory == "BE"]
    assert rec.periods[0].unknown_critical == "ShomeiUnknownExtension"


def _snapshot(folder: Path, server: ListServer, keys: Keys, *, be_seq: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "LOTL.xml").write_bytes(server.files["/lotl.xml"])
    (folder / "BE.xml").write_bytes(be_list(keys, seq=be_seq))
    return folder


def test_bundled_snapshot_is_used_offline_and_only_when_newer(tmp_path, server, keys):
    publish(server, keys)
    snap = _snapshot(tmp_path / "snap", server, keys, be_seq=7)
    offline = config(
        tmp_path, server, keys, snapshot_dir=snap, lotl_url="http://127.0.0.1:9/lotl.xml"
    )
    trust = EuTrust.open(offline)
    st = by_key(trust)
    assert st[LOTL_KEY].source == "snapshot" and st["BE"].sequence == 7  # type: ignore[attr-defined]
    assert st["BE"].last_success is None  # a snapshot is not a fetch  # type: ignore[attr-defined]
    assert trust.service_count() == 1
    report = trust.update(now=NOW)  # no network: reported, snapshot kept
    assert isinstance(dict(report.errors)[LOTL_KEY], TrustListFetchError)
    assert trust.list_state("BE").sequence == 7  # type: ignore[union-attr]
    # online: the network copy (seq 8) replaces it; an older snapshot does not come back
    server.files["/be.xml"] = be_list(keys, seq=8)
    online = replace(offline, lotl_url=server.url("/lotl.xml"))
    trust = EuTrust.open(online)
    assert trust.update(now=NOW).ok
    assert EuTrust.open(online).list_state("BE").sequence == 8  # type: ignore[union-attr]
    _snapshot(snap, server, keys, be_seq=9)
    (snap / "snapshot.json").write_text(json.dumps({"lists": {"BE": {"sequence": 9}}}))
    assert EuTrust.open(online).list_state("BE").sequence == 9  # type: ignore[union-attr]


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE TrustServiceStatusList [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#">&xxe;</TrustServiceStatusList>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#">&lol3;</TrustServiceStatusList>"""


def _utf16(payload: bytes) -> bytes:
    decl = '<?xml version="1.0"?>'
    return (
        payload.decode().replace(decl, '<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16")
    )


@pytest.mark.parametrize(
    "payload",
    [XXE, LAUGHS, _utf16(XXE), _utf16(LAUGHS)],
    ids=["xxe", "billion-laughs", "xxe-utf16", "billion-laughs-utf16"],
)
def test_unsafe_xml_is_refused(tmp_path, server, keys, payload):
    with pytest.raises(UnsafeXmlError):
        parse_safely(payload)
    publish(server, keys)
    server.files["/be.xml"] = payload
    trust = EuTrust.open(config(tmp_path, server, keys))
    report = trust.update(now=NOW)
    assert isinstance(dict(report.errors)["BE"], UnsafeXmlError)
    assert trust.list_state("BE").last_error_code == "trust-list-unsafe-xml"  # type: ignore[union-attr]


def test_warm_start_uses_index_and_rebuilds_a_missing_one(tmp_path, server, keys):
    publish(server, keys)
    cfg = config(tmp_path, server, keys)
    first = EuTrust.open(cfg)
    assert first.update(now=NOW).ok
    server.stop()
    warm = EuTrust.open(cfg)
    assert warm.service_count() == 2 and len(warm.anchors()) == 2
    warm.store.index_path("BE").unlink()
    rebuilt = EuTrust.open(cfg)
    assert rebuilt.service_count() == 2 and rebuilt.store.index_path("BE").is_file()
    # a cached list altered on disk is not trusted any more
    warm.store.index_path("BE").unlink()
    path = warm.store.list_path("BE")
    path.write_bytes(path.read_bytes().replace(b"BE qualified CA", b"BE qualified XX"))
    assert EuTrust.open(cfg).service_count() == 1


def test_refresh_schedule_follows_next_update(tmp_path, server, keys):
    publish(server, keys)
    trust = EuTrust.open(config(tmp_path, server, keys, max_age=timedelta(days=400)))
    assert trust.due_for_refresh(NOW) == (LOTL_KEY,)  # nothing cached: territories unknown
    assert trust.update(now=NOW).ok
    assert trust.due_for_refresh(NOW) == ()
    assert trust.next_refresh_time(NOW) == datetime(2027, 1, 1, tzinfo=UTC)
    later = datetime(2027, 1, 2, tzinfo=UTC)
    assert trust.due_for_refresh(later) == (LOTL_KEY, "BE", "EE")
    server.hits.clear()
    server.files["/be.xml"] = be_list(keys, seq=6, next_update=datetime(2027, 7, 1, tzinfo=UTC))
    report = trust.refresh_due(now=later)
    assert report.ok and "BE" in report.updated
    assert trust.list_state("BE").sequence == 6  # type: ignore[union-attr]


def test_proxy_from_settings_is_used(server):
    server.files["http://tl.example.test/x.xml"] = b"via proxy"
    fetcher = HttpFetcher(FetchSettings(proxy=server.base_url, attempts=1))
    assert fetcher.fetch("http://tl.example.test/x.xml") == b"via proxy"
    assert server.hits == ["http://tl.example.test/x.xml"]


def test_cli_update_and_status_json(tmp_path, server, keys, capsys):
    publish(server, keys)
    pem = tmp_path / "lotl-signers.pem"
    pem.write_bytes(keys.lotl.pem)
    common = [
        "--json",
        "--cache-dir",
        str(tmp_path / "c"),
        "--lotl-url",
        server.url("/lotl.xml"),
        "--lotl-signers",
        str(pem),
        "--no-snapshot",
    ]
    del server.files["/ee.xml"]  # 404: reported at once, not retried
    assert cli_main(["trust", "update", *common]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False and [e["list"] for e in out["errors"]] == ["EE"]
    assert out["errors"][0]["error"] == "trust-list-fetch"
    assert cli_main(["trust", "status", *common]) == 0
    lists = {x["territory"]: x for x in json.loads(capsys.readouterr().out)["lists"]}
    assert lists["BE"]["sequence"] == 5 and lists["BE"]["services"] == 1
    assert lists["EE"]["sequence"] is None and lists["EE"]["last_error_code"] == "trust-list-fetch"
    assert lists["LOTL"]["sequence"] == 10


def test_lotl_signer_change_followed_through_self_pointer_and_pivots(tmp_path, server, keys):
    new_signer = make_tlso("Next LOTL signer")
    ptrs = [("BE", server.url("/be.xml"), [keys.be.der])]
    server.files["/be.xml"] = be_list(keys)
    # a pivot signed by the pinned key announces the new signer...
    server.files["/pivot-11.xml"] = sign(
        build_lotl(11, ptrs, self_url=server.url("/lotl.xml"), lotl_signers=[new_signer.der]),
        keys.lotl,
    )
    # ...which signs the current LOTL, listing that pivot
    server.files["/lotl.xml"] = sign(
        build_lotl(
            12,
            ptrs,
            self_url=server.url("/lotl.xml"),
            lotl_signers=[new_signer.der],
            pivot_urls=(server.url("/pivot-11.xml"),),
        ),
        new_signer,
    )
    trust = EuTrust.open(config(tmp_path, server, keys))
    report = trust.update(now=NOW)
    assert report.ok, report.errors
    assert trust.list_state(LOTL_KEY).sequence == 12  # type: ignore[union-attr]
    assert new_signer.der in trust.current_lotl_signers()
    # the next LOTL, signed by the announced signer, needs no pivot any more
    server.files["/lotl.xml"] = sign(
        build_lotl(13, ptrs, self_url=server.url("/lotl.xml"), lotl_signers=[new_signer.der]),
        new_signer,
    )
    assert trust.update(now=NOW).ok
    assert trust.list_state(LOTL_KEY).sequence == 13  # type: ignore[union-attr]


def test_pivot_not_chained_to_the_pinned_signers_is_refused(tmp_path, server, keys):
    rogue = make_tlso("Rogue LOTL signer")
    ptrs = [("BE", server.url("/be.xml"), [keys.be.der])]
    server.files["/be.xml"] = be_list(keys)
    server.files["/pivot-11.xml"] = sign(build_lotl(11, ptrs, lotl_signers=[rogue.der]), rogue)
    server.files["/lotl.xml"] = sign(
        build_lotl(12, ptrs, lotl_signers=[rogue.der], pivot_urls=(server.url("/pivot-11.xml"),)),
        rogue,
    )
    trust = EuTrust.open(config(tmp_path, server, keys))
    report = trust.update(now=NOW)
    assert isinstance(dict(report.errors)[LOTL_KEY], TrustListSignatureError)
    assert trust.store.cached_list(LOTL_KEY) is None


def test_background_scheduler_refreshes_and_reports(tmp_path, server, keys):
    import threading

    from signing.trust.eu import RefreshScheduler

    publish(server, keys)
    trust = EuTrust.open(config(tmp_path, server, keys))
    done = threading.Event()
    reports = []

    def on_report(report):  # type: ignore[no-untyped-def]
        reports.append(report)
        done.set()

    scheduler = RefreshScheduler(trust, on_report, min_wait=0.05)
    scheduler.start()
    try:
        assert done.wait(30)
    finally:
        scheduler.stop()
    assert reports[0].ok and LOTL_KEY in reports[0].updated
    assert trust.list_state("BE").sequence == 5  # type: ignore[union-attr]


def test_unwritable_cache_is_reported_not_fatal(tmp_path, server, keys):
    publish(server, keys)
    not_a_folder = tmp_path / "cache-file"
    not_a_folder.write_bytes(b"")
    snap = _snapshot(tmp_path / "snap", server, keys, be_seq=7)
    trust = EuTrust.open(config(tmp_path, server, keys, cache_dir=not_a_folder, snapshot_dir=snap))
    assert trust.service_count() == 0
    report = trust.update(now=NOW)
    assert dict(report.errors)[LOTL_KEY].code == "trust-list-cache"


def test_a_trickling_server_is_given_up_after_the_total_timeout() -> None:
    """One byte every 0.2 s never trips the read timeout; the whole download
    has its own deadline."""
    import socket
    import threading
    import time as clock

    from signing.trust.tl_errors import TrustListFetchError
    from signing.trust.tl_fetch import FetchSettings, HttpFetcher

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    stop = threading.Event()

    def trickle() -> None:
        conn, _ = server.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n\r\n")
            while not stop.is_set():
                try:
                    conn.sendall(b"<")
                except OSError:
                    return
                clock.sleep(0.2)

    threading.Thread(target=trickle, daemon=True).start()
    fetcher = HttpFetcher(
        FetchSettings(connect_timeout=1, read_timeout=1, attempts=1, total_timeout=1.5)
    )
    started = clock.monotonic()
    try:
        with pytest.raises(TrustListFetchError, match=r"did not finish answering within 1\.5 s"):
            fetcher.fetch(f"http://127.0.0.1:{server.getsockname()[1]}/list.xml")
    finally:
        stop.set()
        fetcher.close()
        server.close()
    assert clock.monotonic() - started < 5


def test_offline_update_asks_no_national_server_and_keeps_every_list(tmp_path, server, keys):
    """When the LOTL's server cannot be reached at all (no network), the
    thirty national servers are not tried one by one: one error, every list
    keeps its last good copy. An update of named territories still tries them."""
    publish(server, keys)
    trust = EuTrust.open(config(tmp_path, server, keys))
    assert trust.update(now=NOW).ok
    before = {k: (s.sequence, s.sha256) for k, s in trust.store.states().items()}
    server.hits.clear()
    gone = config(tmp_path, server, keys, lotl_url="http://127.0.0.1:9/lotl.xml")
    trust = EuTrust.open(gone)
    report = trust.update(now=NOW)
    assert report.offline
    assert [k for k, _ in report.errors] == [LOTL_KEY]
    err = report.errors[0][1]
    assert isinstance(err, TrustListFetchError) and err.unreachable
    assert server.hits == []  # no national server was asked
    after = {k: (s.sequence, s.sha256) for k, s in trust.store.states().items()}
    assert after == before
    # named territories are still fetched (their servers may well be up)
    named = trust.update(["BE"], now=NOW)
    assert not named.offline and "/be.xml" in server.hits


def test_update_errors_are_one_line_per_cause() -> None:
    from signing.cli.trust_cmd import _error_lines

    def unreachable(url: str, cause: str = "cannot be reached (unknown host)") -> Exception:
        err = TrustListFetchError(f"The trusted-list server {url} {cause}.")
        err.cause = cause
        return err

    errors = [
        ("AT", unreachable("https://at.example/tl.xml")),
        ("BE", unreachable("https://be.example/tl.xml")),
        ("CY", unreachable("https://cy.example/tl.xml", "did not answer within 30 s")),
        ("EE", TrustListFetchError("The trusted-list server answered 503.")),
    ]
    lines = _error_lines(errors)
    assert lines == [
        "EE: The trusted-list server answered 503.",
        "AT, BE: the trusted-list servers cannot be reached (unknown host).",
        "CY: The trusted-list server https://cy.example/tl.xml did not answer within 30 s.",
    ]
    offline = _error_lines(errors[:1], offline=True)
    assert len(offline) == 1 and "offline" in offline[0] and "last good copy" in offline[0]
