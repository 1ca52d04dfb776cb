"""File › Recent (what was validated comes back, a file gone is marked, Clear
empties it, the list survives a restart) and closing the window while work
runs (it asks; "Keep working" keeps it; "Cancel it and quit" cancels it and
closes once no worker is left)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.main_window import MainWindow
from desktop.settings import RECENT_LIMIT, SETTINGS_VERSION, SettingsStore
from desktop.sign_view import SignView
from desktop.workers import running_ops, work_in_progress
from tests.gui_helpers import make_pdf, make_window, wait_idle
from tests.pki import KEY_PASSWORD, PKI

pytestmark = pytest.mark.gui

SIGNED = "dss__validation__siwa.pdf"  # a signed corpus file (invalid: wrapping attack)


@pytest.fixture
def window(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    w = make_window(qtbot, tmp_path, monkeypatch, jp_trust=False)
    yield w
    wait_idle(qtbot)


def _recent_actions(window: MainWindow) -> list[QAction]:
    window.recent_menu.aboutToShow.emit()  # as when the user opens the menu
    return [a for a in window.recent_menu.actions() if a.data()]


def _clear_action(window: MainWindow) -> QAction:
    window.recent_menu.aboutToShow.emit()
    (clear,) = [a for a in window.recent_menu.actions() if a.objectName() == "clearRecent"]
    return clear


def test_recent_lists_a_validated_file_and_reopens_it(
    window: MainWindow, qtbot: Any, tmp_path: Path, shared_dir: Path
) -> None:
    signed = tmp_path / SIGNED
    shutil.copy(shared_dir / "corpus" / "attacks" / SIGNED, signed)
    assert _recent_actions(window) == []
    assert not _clear_action(window).isEnabled()
    with qtbot.waitSignal(window.result_shown, timeout=60_000):
        window.validate_file(str(signed))
    (entry,) = _recent_actions(window)
    assert entry.data() == str(signed) and entry.isEnabled()
    assert entry.text() == f"&1 {SIGNED}"
    # saved at once, in a settings file of the current version
    reread = SettingsStore(str(tmp_path / "settings.ini"))
    assert reread.load().recent_files == (str(signed),)
    assert f"version={SETTINGS_VERSION}" in (tmp_path / "settings.ini").read_text()

    window.show_home()
    with qtbot.waitSignal(window.result_shown, timeout=60_000) as shown:
        entry.trigger()  # opened as a drop would open it: validated again
    assert shown.args[0].path == str(signed)
    assert window.stack.currentWidget() is window.validation_view
    assert window.validation_view.result is not None
    assert len(_recent_actions(window)) == 1  # (still once)

    signed.unlink()  # gone: marked, greyed out, and choosing it does nothing
    (entry,) = _recent_actions(window)
    assert not entry.isEnabled() and "(missing)" in entry.text()
    window.show_home()
    window.open_recent(str(signed))
    assert window.stack.currentWidget() is window.home
    assert "no longer there" in window.statusBar().currentMessage()

    _clear_action(window).trigger()
    assert _recent_actions(window) == []
    assert SettingsStore(str(tmp_path / "settings.ini")).load().recent_files == ()


def test_recent_keeps_the_latest_ten_and_old_settings_files_load(
    window: MainWindow, tmp_path: Path
) -> None:
    files = [tmp_path / f"f{i}.pdf" for i in range(RECENT_LIMIT + 2)]
    for f in files:
        f.write_bytes(b"%PDF-1.7\n")
        window.add_recent(str(f))
    window.add_recent(str(files[5]))  # again: moves to the top, once
    names = [Path(a.data()).name for a in _recent_actions(window)]
    assert len(names) == RECENT_LIMIT
    assert names[0] == "f5.pdf" and names.count("f5.pdf") == 1
    assert names[1] == f"f{RECENT_LIMIT + 1}.pdf"
    assert "f0.pdf" not in names and "f1.pdf" not in names
    # a version 4 file (before Recent) loads with an empty list
    old = tmp_path / "old.ini"
    old.write_text("[General]\nversion=4\neu_trust=false\n")
    assert SettingsStore(str(old)).load().recent_files == ()
    # a damaged value falls back to the default
    old.write_text("[General]\nversion=5\nrecent_files=not json\n")
    assert SettingsStore(str(old)).load().recent_files == ()


def _start_signing(window: MainWindow, qtbot: Any, src: Path, tsa_url: str, pki: PKI) -> SignView:
    """Sign ``src`` at B-T with ``tsa_url``, answering the password."""
    window.open_sign_view(str(src), seal=False)
    view = window.sign_view
    assert isinstance(view, SignView)
    wait_idle(qtbot)
    view.key_file.setText(str(pki.p12_path("signer-rsa")))
    view.level_combo.setCurrentIndex(view.level_combo.findData("B-T"))
    view.tsa_combo.setCurrentIndex(-1)
    view.tsa_combo.setEditText(tsa_url)
    view.place_invisible.setChecked(True)

    def on_dialog(dialog: Any) -> None:
        qtbot.keyClicks(dialog.edit, KEY_PASSWORD)
        dialog.ok_button.click()

    view.prompt.dialog_shown.connect(on_dialog)
    view.sign_button.click()
    return view


def test_a_signed_output_is_listed_in_recent(
    window: MainWindow, qtbot: Any, tmp_path: Path, pki: PKI
) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    view = _start_signing(window, qtbot, src, pki.tsa_url(), pki)
    qtbot.waitUntil(lambda: view.stack.currentIndex() == 1, timeout=60_000)
    entries = [a.data() for a in _recent_actions(window)]
    assert entries[0] == str(tmp_path / "in-signed.pdf")


class _Stalling(BaseHTTPRequestHandler):
    """Holds every request until ``release`` is set, then answers 503 (or,
    for a POST with ``forward_to`` set, relays the real server's answer)."""

    arrived = threading.Event()
    release = threading.Event()
    forward_to: str | None = None

    def do_GET(self) -> None:
        type(self).arrived.set()
        type(self).release.wait(30)
        self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:  # (a time-stamping request)
        import urllib.request

        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if type(self).forward_to is None:
            self.do_GET()
            return
        type(self).arrived.set()
        type(self).release.wait(30)
        request = urllib.request.Request(
            type(self).forward_to,
            data=body,
            headers={"Content-Type": self.headers.get("Content-Type", "")},
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            data = answer.read()
            content_type = answer.headers.get("Content-Type", "")
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def stalling_server() -> Iterator[str]:
    _Stalling.arrived.clear()
    _Stalling.release.clear()
    _Stalling.forward_to = None
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Stalling)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/LOTL.xml"
    finally:
        _Stalling.release.set()
        server.shutdown()
        server.server_close()


def _quit_box(window: MainWindow, qtbot: Any) -> QMessageBox:
    def shown() -> list[QMessageBox]:
        return [b for b in window.findChildren(QMessageBox, "quitWhileBusy") if b.isVisible()]

    qtbot.waitUntil(lambda: len(shown()) == 1)
    return shown()[0]


def _button(box: QMessageBox, text: str) -> Any:
    (button,) = [b for b in box.buttons() if b.text().replace("&", "") == text]
    return button


def test_closing_during_a_trust_list_update_asks_and_cancels(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stalling_server: str
) -> None:
    window = make_window(
        qtbot, tmp_path, monkeypatch, eu_trust=True, jp_trust=False, lotl_url=stalling_server
    )
    wait_idle(qtbot)
    window.update_trust_lists()
    qtbot.waitUntil(_Stalling.arrived.is_set, timeout=30_000)
    assert len(work_in_progress()) == 1

    # Keep working: nothing changes (closing twice asks once)
    assert not window.close()
    assert not window.close()
    box = _quit_box(window, qtbot)
    assert box.text() == "Work is still running."
    _button(box, "Keep working").click()
    qtbot.waitUntil(lambda: not box.isVisible())
    assert window.isVisible() and not window.quitting
    assert len(work_in_progress()) == 1

    # Cancel it and quit: the window waits for the worker, then closes
    assert not window.close()
    box = _quit_box(window, qtbot)
    _button(box, "Cancel it and quit").click()
    qtbot.waitUntil(lambda: window.quitting)
    assert window.isVisible()  # (the download is still under way)
    assert window.statusBar().currentMessage() == "Cancelling…"
    assert not window.centralWidget().isEnabled()
    _Stalling.release.set()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=60_000)
    assert running_ops() == 0
    # cancelled quietly: no error box left behind
    assert [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ] == []


def test_closing_when_idle_does_not_ask(window: MainWindow, qtbot: Any) -> None:
    wait_idle(qtbot)
    assert window.close()
    assert window.findChild(QMessageBox, "quitWhileBusy") is None


def test_a_cancelled_trust_update_stops_before_the_next_download(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stalling_server: str
) -> None:
    from dataclasses import replace

    from desktop import core_adapter
    from desktop.settings import AppSettings
    from signing.errors import UserCancelled

    monkeypatch.setenv("SHOMEI_CACHE_DIR", str(tmp_path / "cache"))
    settings = replace(AppSettings(), eu_trust=True, jp_trust=False, lotl_url=stalling_server)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(UserCancelled):
        core_adapter.refresh_trust(settings.validation(), cancel)
    assert not _Stalling.arrived.is_set()  # nothing was asked of the server


def test_closing_while_signing_cancels_and_leaves_no_file(
    qtbot: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    stalling_server: str,
    pki: PKI,
) -> None:
    """The time-stamping server holds the signature half-way: quitting
    cancels it, and neither the signed file nor a temporary one is left,
    although the server then answers with a good time-stamp."""
    _Stalling.forward_to = pki.tsa_url()
    window = make_window(qtbot, tmp_path, monkeypatch, jp_trust=False)
    _start_signing(window, qtbot, make_pdf(tmp_path / "in.pdf"), stalling_server, pki)
    # the key signed; the time-stamp is asked for
    qtbot.waitUntil(_Stalling.arrived.is_set, timeout=30_000)
    assert not window.close()
    _button(_quit_box(window, qtbot), "Cancel it and quit").click()
    qtbot.waitUntil(lambda: window.quitting)
    _Stalling.release.set()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=60_000)
    assert running_ops() == 0
    assert {p.name for p in tmp_path.iterdir()} - {"cache", "settings.ini"} == {"in.pdf"}
    assert [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ] == []
