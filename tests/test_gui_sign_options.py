"""What the desktop used to lose on the way to the core (#13), driven through
the real widgets: several time-stamping servers in failover order (set in
Settings, as ``shomei sign --tsa A --tsa B``), certification and contact on
the sign form (the signed file read back), and the network settings' proxy
and timeout reaching the trusted-list downloads."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import MDPPerm
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from desktop import core_adapter
from desktop.main_window import MainWindow
from desktop.secret_dialog import SecretDialog
from desktop.settings import AppSettings, SettingsStore, TsaServer
from desktop.settings_dialog import SettingsDialog
from desktop.sign_view import SignView
from signing import api
from signing.errors import ShomeiError
from tests.gui_helpers import make_pdf, make_window, wait_idle
from tests.pki import KEY_PASSWORD, PKI

pytestmark = pytest.mark.gui

DEAD = "http://127.0.0.1:9/"  # the discard port: nothing answers


@pytest.fixture
def window(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pki: PKI
) -> Iterator[MainWindow]:
    w = make_window(
        qtbot,
        tmp_path,
        monkeypatch,
        jp_trust=False,
        user_anchors=(str(pki.cert_pem_path("root")),),
        default_level="B-T",
        tsa_servers=(TsaServer("Dead", DEAD), TsaServer("Test PKI", pki.tsa_url())),
        default_tsa=DEAD,
    )
    w.resize(1200, 900)
    yield w
    wait_idle(qtbot)


def _sign_view(window: MainWindow, pdf: Path) -> SignView:
    window.open_sign_view(str(pdf), seal=False)
    view = window.sign_view
    assert isinstance(view, SignView)
    return view


def _passwords(view: SignView, qtbot: Any) -> None:
    def on_dialog(dialog: SecretDialog) -> None:
        qtbot.keyClicks(dialog.edit, KEY_PASSWORD)
        dialog.ok_button.click()

    view.prompt.dialog_shown.connect(on_dialog)


def _settings_dialog(window: MainWindow) -> SettingsDialog:
    window.open_settings()
    dialog = window.settings_dialog
    assert isinstance(dialog, SettingsDialog)
    return dialog


def _row(dialog: SettingsDialog, url: str) -> int:
    urls = [s.url for s in dialog._servers()]
    return urls.index(url)


def _sign(view: SignView, qtbot: Any, pki: PKI) -> Path:
    view.key_file.setText(str(pki.p12_path("signer-rsa")))
    view.place_invisible.setChecked(True)
    _passwords(view, qtbot)
    view.sign_button.click()
    qtbot.waitUntil(lambda: view.stack.currentIndex() == 1, timeout=60_000)
    assert view.tsa_dialog is None  # never asked: the core failed over by itself
    return Path(view.result_path.text())


def _validate(path: Path, pki: PKI) -> api.FileResult:
    root = pki.cert_pem_path("root")
    options = api.ValidationOptions(user_trust_files=(root,), trust=api.TrustConfig.user_only(root))
    return api.validate_pdf(path, options)


def test_ticked_servers_are_asked_in_turn_when_the_chosen_one_is_silent(
    window: MainWindow, qtbot: Any, tmp_path: Path, pki: PKI
) -> None:
    dialog = _settings_dialog(window)
    dialog.tsa_list.item(_row(dialog, pki.tsa_url())).setCheckState(Qt.CheckState.Checked)
    dialog.accept()
    reread = SettingsStore(str(tmp_path / "settings.ini")).load()  # as after a restart
    assert reread.tsa_failover == (pki.tsa_url(),)
    assert reread.default_tsa == DEAD

    view = _sign_view(window, make_pdf(tmp_path / "in.pdf"))
    assert view.build_job().tsa_urls == (DEAD, pki.tsa_url())
    assert view.tsa_note.text() == "If it does not answer: Test PKI"
    # B-B asks no server at all
    view.level_combo.setCurrentIndex(view.level_combo.findData("B-B"))
    assert view.build_job().tsa_urls == () and view.tsa_note.text() == ""
    view.level_combo.setCurrentIndex(view.level_combo.findData("B-T"))

    out = _sign(view, qtbot, pki)
    result = _validate(out, pki)
    assert result.verdict is api.Verdict.VALID
    (sig,) = result.signatures
    assert sig.level is api.Level.B_T  # the second server's timestamp
    assert sig.signature_timestamp is not None and sig.signature_timestamp.intact


def test_failover_order_follows_the_list_and_skips_the_chosen_server(
    window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    servers = tuple(TsaServer(n, f"http://{n}.test/") for n in "abcd")
    window.apply_settings(replace(window.settings, tsa_servers=servers, default_tsa=servers[1].url))
    dialog = _settings_dialog(window)
    for url in ("http://a.test/", "http://b.test/", "http://c.test/"):
        dialog.tsa_list.item(_row(dialog, url)).setCheckState(Qt.CheckState.Checked)
    dialog.tsa_list.setCurrentRow(_row(dialog, "http://c.test/"))
    dialog.tsa_up.click()
    dialog.tsa_up.click()
    dialog.tsa_up.click()  # (already first: stays)
    assert [s.name for s in dialog._servers()] == ["c", "a", "b", "d"]
    dialog.tsa_list.setCurrentRow(_row(dialog, "http://d.test/"))
    dialog.tsa_down.click()  # (already last: stays)
    # making a server the default keeps the ticks
    dialog.tsa_list.setCurrentRow(_row(dialog, "http://b.test/"))
    next(b for b in dialog.findChildren(QPushButton) if b.text() == "Use by default").click()
    dialog.accept()
    settings = window.settings
    assert settings.tsa_failover == ("http://c.test/", "http://a.test/", "http://b.test/")
    assert settings.default_tsa == "http://b.test/"

    view = _sign_view(window, make_pdf(tmp_path / "in.pdf"))
    assert view.build_job().tsa_urls == ("http://b.test/", "http://c.test/", "http://a.test/")
    assert view.tsa_note.text() == "If it does not answer: c → a"
    # a server typed on the form comes first, the ticked ones after it
    view.tsa_combo.setCurrentIndex(-1)
    view.tsa_combo.setEditText("http://typed.test/")
    assert view.build_job().tsa_urls[0] == "http://typed.test/"
    assert view.build_job().tsa_urls[1:] == settings.tsa_failover


@pytest.mark.parametrize(
    ("choice", "perm"),
    [("form-filling", MDPPerm.FILL_FORMS), ("no-changes", MDPPerm.NO_CHANGES)],
)
def test_certify_and_contact_reach_the_signed_file(
    window: MainWindow, qtbot: Any, tmp_path: Path, pki: PKI, choice: str, perm: MDPPerm
) -> None:
    window.apply_settings(replace(window.settings, default_tsa=pki.tsa_url()))
    view = _sign_view(window, make_pdf(tmp_path / "in.pdf"))
    assert view.certify_combo.currentData() is None  # an approval signature by default
    assert view.build_job().certify is None and view.build_job().contact is None
    view.certify_combo.setCurrentIndex(view.certify_combo.findData(choice))
    qtbot.keyClicks(view.contact_edit, "taro@example.jp / 03-1234-5678")
    out = _sign(view, qtbot, pki)

    with out.open("rb") as fh:
        (sig,) = PdfFileReader(fh).embedded_signatures
        assert sig.docmdp_level == perm
        assert str(sig.sig_object["/ContactInfo"]) == "taro@example.jp / 03-1234-5678"
    result = _validate(out, pki)
    assert result.verdict is api.Verdict.VALID
    (entry,) = result.signatures
    assert entry.modification is not None and entry.modification.docmdp_level == choice
    assert entry.contact == "taro@example.jp / 03-1234-5678"


def test_an_approval_signature_has_no_certification(
    window: MainWindow, qtbot: Any, tmp_path: Path, pki: PKI
) -> None:
    window.apply_settings(replace(window.settings, default_level="B-B"))
    view = _sign_view(window, make_pdf(tmp_path / "in.pdf"))
    out = _sign(view, qtbot, pki)
    with out.open("rb") as fh:
        (sig,) = PdfFileReader(fh).embedded_signatures
        assert sig.docmdp_level is None
        assert "/ContactInfo" not in sig.sig_object


class _Proxy(BaseHTTPRequestHandler):
    """A forward proxy that notes the URLs it is asked for and has none of them."""

    seen: list[str]

    def do_GET(self) -> None:
        self.seen.append(self.path)  # an absolute URL: the request went through a proxy
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args: Any) -> None:
        pass


@pytest.fixture
def proxy() -> Iterator[tuple[int, list[str]]]:
    seen: list[str] = []
    handler = type("Proxy", (_Proxy,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], seen
    finally:
        server.shutdown()
        server.server_close()


def test_proxy_and_timeout_reach_the_trusted_list_downloads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, proxy: tuple[int, list[str]]
) -> None:
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(var, raising=False)  # only the settings can name the proxy
    monkeypatch.setenv("SHOMEI_CACHE_DIR", str(tmp_path / "cache"))
    port, seen = proxy
    settings = replace(
        AppSettings(),
        proxy_mode="manual",
        proxy_host="127.0.0.1",
        proxy_port=port,
        timeout_s=7,
        eu_territories=("BE",),
        lotl_url="http://lotl.shomei.test/eu-lotl.xml",
        jp_list_url="http://jp.shomei.test/jp-list.xml",
    )
    config = settings.validation()
    for fetch in (
        core_adapter.eu_trust_config(config).fetch,
        core_adapter.jp_trust_config(config).fetch,
    ):
        assert fetch.proxy == f"http://127.0.0.1:{port}"
        assert (fetch.connect_timeout, fetch.read_timeout) == (7, 7)
        assert fetch.total_timeout >= 7

    with contextlib.suppress(ShomeiError):  # the proxy has no list: a failure, recorded
        core_adapter.refresh_trust(config, threading.Event())
    assert "http://lotl.shomei.test/eu-lotl.xml" in seen
    assert "http://jp.shomei.test/jp-list.xml" in seen

    # without a manual proxy the environment decides (set by apply_network)
    for mode in ("none", "system"):
        plain = replace(settings, proxy_mode=mode).validation()
        assert core_adapter.eu_trust_config(plain).fetch.proxy is None
        assert core_adapter.jp_trust_config(plain).fetch.proxy is None
