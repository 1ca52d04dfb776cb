"""The trusted-lists chip of the home and verdict screens, its Update now, and
the trusted-list mirror, proxy and timeout settings (pytest-qt, the real main
window, the real cache under ``tmp_path``)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from desktop.main_window import MainWindow
from desktop.settings import SettingsStore
from signing.trust.eu import EuTrust, EuTrustConfig, bundled_snapshot_dir
from signing.trust.tl_import import import_lists
from signing.validation.engine import validate_pdf
from signing.validation.options import ValidationOptions
from tests.conftest import SHARED
from tests.gui_helpers import make_window, open_settings_dialog, wait_idle

pytestmark = pytest.mark.gui

#: nothing listens on the discard port: the update reaches no server
UNREACHABLE = "http://127.0.0.1:9/"


@pytest.fixture
def window(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    # EU lists on (seeded from the bundled snapshot into tmp_path's cache);
    # the Japanese list off: its update would go to the internet
    w = make_window(
        qtbot, tmp_path, monkeypatch, eu_trust=True, jp_trust=False, lotl_url=UNREACHABLE
    )
    yield w
    wait_idle(qtbot)


@contextmanager
def _serving(handler: Any) -> Iterator[int]:
    """A local HTTP server with ``handler`` on a free port (yielded)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def _fill(window: MainWindow, qtbot: Any) -> None:
    window.refresh_trust_chip()
    wait_idle(qtbot)


def test_a_fresh_cache_says_never_downloaded_with_update_now(
    window: MainWindow, qtbot: Any
) -> None:
    chip = window.home.trust_chip
    assert not chip.isVisible()  # nothing said before the state is known
    _fill(window, qtbot)
    assert chip.isVisible()
    assert chip.label.text().startswith("Trusted lists: never downloaded")
    assert chip.button.isVisible() and chip.button.isEnabled()
    assert chip.button.text() == "Update now"
    # no modal dialog offers it: the chip does
    assert window.settings_dialog is None


def test_stale_downloaded_lists_say_out_of_date_on_both_screens(
    window: MainWindow, qtbot: Any
) -> None:
    # the bundled snapshot, imported (verified like a download): many of its
    # national lists are past their NextUpdate today
    trust = EuTrust.open(EuTrustConfig())
    import_lists(trust, bundled_snapshot_dir())
    assert any(s.stale for s in trust.status())
    _fill(window, qtbot)
    assert window.home.trust_chip.label.text() == "Trusted lists: out of date"
    result = validate_pdf(
        SHARED / "corpus" / "attacks" / "dss__validation__pdf-byterange-overlap.pdf",
        ValidationOptions(offline=True),
    )
    window.show_result(result)
    chip = window.validation_view.trust_chip
    assert chip.isVisible() and chip.label.text() == "Trusted lists: out of date"


def test_update_now_without_a_network_ends_offline_and_the_app_stays_usable(
    window: MainWindow, qtbot: Any
) -> None:
    _fill(window, qtbot)
    chip = window.home.trust_chip
    chip.button.click()
    # busy at once: a second click cannot start a second update
    assert not chip.button.isEnabled()
    assert chip.label.text() == "Trusted lists: updating…"
    assert chip.progress is not None and chip.progress.isVisible()
    wait_idle(qtbot)
    assert not chip.progress.isVisible()
    assert chip.label.text().startswith("Trusted lists: offline")
    assert chip.button.isEnabled()
    assert window.settings_dialog is None  # (no error box for being offline)
    # the state is the cache's: it holds after a restart of the chip
    _fill(window, qtbot)
    assert chip.label.text().startswith("Trusted lists: offline")
    # the app still works: a file is checked and shown
    path = SHARED / "corpus" / "attacks" / "dss__validation__pdf-byterange-overlap.pdf"
    with qtbot.waitSignal(window.result_shown, timeout=60_000):
        window.validate_file(str(path))
    assert window.stack.currentWidget() is window.validation_view
    assert window.validation_view.trust_chip.label.text().startswith("Trusted lists: offline")


def test_the_app_fills_the_chip_after_the_first_paint(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first start (a fresh cache, only the bundled snapshot): nobody
    asks, the home chip offers the download, no dialog opens."""
    from desktop.app import start

    monkeypatch.setenv("SHOMEI_SETTINGS", str(tmp_path / "settings.ini"))
    monkeypatch.setenv("SHOMEI_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "settings.ini").write_text("[General]\nversion=2\njp_trust=false\n")
    started = start([], single_instance=False, hooks=False)
    assert started is not None
    qtbot.addWidget(started.window)
    chip = started.window.home.trust_chip
    qtbot.waitUntil(chip.isVisible, timeout=60_000)
    assert chip.label.text().startswith("Trusted lists: never downloaded")
    assert chip.button.isEnabled() and started.window.settings_dialog is None
    wait_idle(qtbot)


def test_no_lists_in_use_hide_the_chip(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = make_window(qtbot, tmp_path, monkeypatch, eu_trust=False, jp_trust=False)
    _fill(w, qtbot)
    assert w.trust_state is not None and w.trust_state.state == "off"
    assert not w.home.trust_chip.isVisible()


def test_the_mirror_setting_survives_a_restart_and_reaches_the_core(
    window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    from desktop import core_adapter

    dialog = open_settings_dialog(window)
    dialog.tl_mirror.setText("  https://tl.example.org/eu  ")
    dialog.accept()
    wait_idle(qtbot)

    reread = SettingsStore(str(tmp_path / "settings.ini")).load()  # as after a restart
    assert reread.tl_mirror == "https://tl.example.org/eu"
    assert reread.lotl_url == UNREACHABLE
    eu = core_adapter.eu_trust_config(reread.validation())
    assert eu.tl_mirror == "https://tl.example.org/eu"
    assert eu.lotl_url == UNREACHABLE
    # and the core rewrites a national list's URL to it
    trust = EuTrust.open(eu)
    pointer = next(p for p in trust.pointers() if p.territory == "BE")
    assert trust.list_url(pointer).startswith("https://tl.example.org/eu/BE/")

    # a version 2 file (before the setting) reads as "no mirror"
    old = tmp_path / "old.ini"
    old.write_text("[General]\nversion=2\njp_trust=false\n", encoding="utf-8")
    settings = SettingsStore(str(old)).load()
    assert settings.tl_mirror == "" and settings.lotl_url == ""
    assert core_adapter.eu_trust_config(settings.validation()).lotl_url.startswith("https://")


def test_the_age_of_current_lists_is_told_in_days(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import timedelta

    from desktop import core_adapter
    from desktop.trust_chip import chip_text
    from signing.trust.eu import utcnow

    monkeypatch.setenv("SHOMEI_CACHE_DIR", str(tmp_path / "cache"))
    # CZ and the LOTL of the snapshot are current until 2027
    config = core_adapter.ValidationConfig(eu_territories=("CZ",), jp_trust=False)
    trust = EuTrust.open(core_adapter.eu_trust_config(config))
    now = utcnow()
    import_lists(trust, bundled_snapshot_dir(), now=now)
    today = core_adapter.trust_chip(config, now=now)
    assert today == core_adapter.TrustChipState("current", 0)
    assert chip_text(today) == "Trusted lists: updated today"
    later = core_adapter.trust_chip(config, now=now + timedelta(days=12))
    assert later == core_adapter.TrustChipState("current", 12)
    assert chip_text(later) == "Trusted lists: 12 days old"
    assert chip_text(core_adapter.TrustChipState("current", 1)) == "Trusted lists: 1 day old"


def _cz_window(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **changes: Any
) -> MainWindow:
    """A window with the EU lists on, for Czechia only (one small national list)."""
    return make_window(
        qtbot, tmp_path, monkeypatch, eu_trust=True, eu_territories=("CZ",), **changes
    )


def test_update_now_downloads_the_national_lists_from_the_mirror(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A local server holds the LOTL and, under ``/mirror/{territory}/{file}``,
    the national lists (the bundled ones, verified like any download): the
    national list comes from the mirror, and the chip then says today."""
    from functools import partial
    from http.server import SimpleHTTPRequestHandler
    from urllib.parse import urlsplit

    snapshot = bundled_snapshot_dir()
    root = tmp_path / "www"
    (root / "mirror").mkdir(parents=True)
    (root / "LOTL.xml").write_bytes((snapshot / "LOTL.xml").read_bytes())
    monkeypatch.setenv("SHOMEI_CACHE_DIR", str(tmp_path / "probe"))
    pointer = next(p for p in EuTrust.open(EuTrustConfig()).pointers() if p.territory == "CZ")
    file = urlsplit(pointer.url).path.rsplit("/", 1)[-1]
    (root / "mirror" / "CZ").mkdir()
    (root / "mirror" / "CZ" / file).write_bytes((snapshot / "CZ.xml").read_bytes())
    asked: list[str] = []

    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            asked.append(self.path)

    with _serving(partial(Handler, directory=str(root))) as port:
        base = f"http://127.0.0.1:{port}"
        w = _cz_window(
            qtbot,
            tmp_path,
            monkeypatch,
            jp_trust=False,
            lotl_url=f"{base}/LOTL.xml",
            tl_mirror=f"{base}/mirror",
        )
        _fill(w, qtbot)
        assert w.home.trust_chip.label.text().startswith("Trusted lists: never downloaded")
        w.home.trust_chip.button.click()
        wait_idle(qtbot)
        assert f"/mirror/CZ/{file}" in " ".join(asked), asked
        assert w.home.trust_chip.label.text() == "Trusted lists: updated today"


def test_update_now_goes_through_the_proxy_of_the_settings(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A manual proxy and the timeout reach the EU and Japanese list downloads:
    a local forward proxy (which has no list: 404) is asked for both lists'
    URLs, with no proxy in the environment."""
    from desktop import core_adapter

    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(var, raising=False)
    seen: list[str] = []

    class Proxy(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)  # an absolute URL: asked as a proxy
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    with _serving(Proxy) as port:
        w = _cz_window(
            qtbot,
            tmp_path,
            monkeypatch,
            jp_trust=True,
            lotl_url="http://lotl.shomei.test/LOTL.xml",
            jp_list_url="http://jp.shomei.test/jp-list.xml",
            proxy_mode="manual",
            proxy_host="127.0.0.1",
            proxy_port=port,
            timeout_s=7,
        )
        config = w.settings.validation()
        for fetch in (
            core_adapter.eu_trust_config(config).fetch,
            core_adapter.jp_trust_config(config).fetch,
        ):
            assert fetch.proxy == f"http://127.0.0.1:{port}"
            assert (fetch.connect_timeout, fetch.read_timeout) == (7, 7)
        assert "HTTP_PROXY" not in os.environ  # only the settings name the proxy
        _fill(w, qtbot)
        w.home.trust_chip.button.click()
        wait_idle(qtbot)
        assert "http://lotl.shomei.test/LOTL.xml" in seen, seen
        assert "http://jp.shomei.test/jp-list.xml" in seen, seen
    # without a manual proxy the environment decides (apply_network sets it)
    for mode in ("none", "system"):
        plain = replace(w.settings, proxy_mode=mode).validation()
        assert core_adapter.eu_trust_config(plain).fetch.proxy is None
        assert core_adapter.jp_trust_config(plain).fetch.proxy is None
