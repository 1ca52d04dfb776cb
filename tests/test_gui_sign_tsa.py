"""The sign screen without a time-stamping server: a failure offers the next
configured server or an explicit B-B (the signed files are read back), and
the level starts at B-B, with the reason, after a failed server test. The
servers ticked in Settings are asked in turn without a question (as
``shomei sign --tsa A --tsa B``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QPushButton

from desktop.main_window import MainWindow
from desktop.secret_dialog import SecretDialog
from desktop.settings import AppSettings, SettingsStore, TsaServer
from desktop.settings_dialog import SettingsDialog
from desktop.sign_view import SignView
from tests.gui_helpers import (
    make_pdf,
    make_trusting_window,
    open_settings_dialog,
    wait_idle,
)
from tests.pki import KEY_PASSWORD, PKI

pytestmark = pytest.mark.gui

DEAD = "http://127.0.0.1:9/"  # the discard port: nothing answers


@pytest.fixture
def window(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pki: PKI
) -> Iterator[MainWindow]:
    w = make_trusting_window(
        qtbot,
        tmp_path,
        monkeypatch,
        pki,
        default_level="B-T",
        tsa_servers=(TsaServer("Dead", DEAD), TsaServer("Test PKI", pki.tsa_url())),
        default_tsa=DEAD,
    )
    w.resize(1200, 900)
    yield w
    wait_idle(qtbot)


def _passwords(view: SignView, qtbot: Any) -> list[int]:
    """Answer every password dialog with the key's password; counts them."""
    asked: list[int] = []

    def on_dialog(dialog: SecretDialog) -> None:
        asked.append(1)
        qtbot.keyClicks(dialog.edit, KEY_PASSWORD)
        dialog.ok_button.click()

    view.prompt.dialog_shown.connect(on_dialog)
    return asked


def _start(window: MainWindow, tmp_path: Path, pki: PKI, qtbot: Any) -> tuple[SignView, list[int]]:
    window.open_sign_view(str(make_pdf(tmp_path / "in.pdf")), seal=False)
    view = window.sign_view
    assert isinstance(view, SignView)
    asked = _passwords(view, qtbot)
    assert view.level_combo.currentData() == "B-T"
    assert view.build_job().tsa_urls == (DEAD,)  # only the chosen server at first
    view.key_file.setText(str(pki.p12_path("signer-rsa")))
    view.place_invisible.setChecked(True)
    view.sign_button.click()
    qtbot.waitUntil(lambda: view.tsa_dialog is not None, timeout=60_000)
    assert not (tmp_path / "in-signed.pdf").exists()  # nothing saved yet
    assert "127.0.0.1:9" in view.status.text()
    return view, asked


def _timestamped(path: Path) -> bool:
    with path.open("rb") as fh:
        (sig,) = PdfFileReader(fh).embedded_signatures
        attrs = sig.signer_info["unsigned_attrs"]
        kinds = {a["type"].native for a in attrs} if attrs.native else set()
        return "signature_time_stamp_token" in kinds


def test_tsa_failure_then_b_b_signs_without_a_timestamp(
    window: MainWindow, qtbot: Any, tmp_path: Path, pki: PKI
) -> None:
    view, asked = _start(window, tmp_path, pki, qtbot)
    assert view.tsa_dialog is not None and view.tsa_bb_button is not None
    assert view.tsa_next_button is not None and "Test PKI" in view.tsa_next_button.text()
    view.tsa_bb_button.click()
    qtbot.waitUntil(lambda: view.stack.currentIndex() == 1, timeout=60_000)
    out = Path(view.result_path.text())
    assert out == tmp_path / "in-signed.pdf"
    assert not _timestamped(out)
    assert len(asked) == 2  # the retry opens the key again


def test_tsa_failure_then_the_next_server_signs_at_b_t(
    window: MainWindow, qtbot: Any, tmp_path: Path, pki: PKI
) -> None:
    view, _asked = _start(window, tmp_path, pki, qtbot)
    assert view.next_tsa_urls((DEAD,)) == (pki.tsa_url(),)
    assert view.tsa_next_button is not None
    view.tsa_next_button.click()
    qtbot.waitUntil(lambda: view.stack.currentIndex() == 1, timeout=60_000)
    assert _timestamped(Path(view.result_path.text()))


def test_tsa_failure_cancel_saves_nothing(
    window: MainWindow, qtbot: Any, tmp_path: Path, pki: PKI
) -> None:
    view, _asked = _start(window, tmp_path, pki, qtbot)
    assert view.tsa_dialog is not None
    view.tsa_dialog.reject()
    qtbot.waitUntil(lambda: view.tsa_dialog is None)
    assert view.stack.currentIndex() == 0
    assert view.status.text() == "Not signed: no timestamp server answered."
    assert view.sign_button.isEnabled()
    assert not (tmp_path / "in-signed.pdf").exists()


def test_next_servers_follow_the_settings_order(window: MainWindow, tmp_path: Path) -> None:
    window.apply_settings(
        replace(
            window.settings,
            tsa_servers=tuple(TsaServer(n, f"http://{n}.test/") for n in "abcd"),
        )
    )
    window.open_sign_view(str(make_pdf(tmp_path / "in.pdf")), seal=False)
    view = window.sign_view
    assert isinstance(view, SignView)
    assert view.next_tsa_urls(("http://c.test/",)) == (
        "http://d.test/",
        "http://a.test/",
        "http://b.test/",
    )
    # a typed server not in the list: every configured one, in order
    assert view.next_tsa_urls(("http://other.test/",))[0] == "http://a.test/"
    assert view.next_tsa_urls(tuple(f"http://{n}.test/" for n in "abcd")) == ()


def _level(window: MainWindow, tmp_path: Path) -> SignView:
    window.open_sign_view(str(make_pdf(tmp_path / "doc.pdf")), seal=False)
    view = window.sign_view
    assert isinstance(view, SignView)
    return view


def test_default_level_follows_the_last_tsa_test(
    window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    # the Settings test of a dead server fails; the result is kept on Cancel
    dialog = open_settings_dialog(window)
    dialog.tsa_list.setCurrentRow(0)  # "Dead"
    dialog.tsa_test.click()
    qtbot.waitUntil(lambda: dialog.tsa_test_result == "failed", timeout=30_000)
    dialog.reject()
    qtbot.waitUntil(lambda: window.settings.tsa_test == "failed")
    assert SettingsStore(str(tmp_path / "settings.ini")).load().tsa_test == "failed"
    view = _level(window, tmp_path)
    assert view.level_combo.currentData() == "B-B"
    assert view.level_note.text() == "No timestamp server answered the last test: B-B"
    # choosing a level by hand removes the note
    view.level_combo.setCurrentIndex(view.level_combo.findData("B-T"))
    assert view.level_note.text() == ""


def test_default_level_after_a_successful_test(
    window: MainWindow, qtbot: Any, tmp_path: Path, pki: PKI
) -> None:
    window.apply_settings(replace(window.settings, tsa_test="failed"))
    dialog = open_settings_dialog(window)
    dialog.tsa_list.setCurrentRow(1)  # the test PKI's TSA
    dialog.tsa_test.click()
    qtbot.waitUntil(lambda: dialog.tsa_test_result == "ok", timeout=30_000)
    dialog.accept()
    qtbot.waitUntil(lambda: window.settings.tsa_test == "ok")
    view = _level(window, tmp_path)
    assert view.level_combo.currentData() == "B-T"
    assert view.level_note.text() == ""


def test_tsa_test_result_persists_and_old_files_read_as_never_tested(tmp_path: Path) -> None:
    path = str(tmp_path / "s.ini")
    store = SettingsStore(path)
    store.save(replace(AppSettings(), tsa_test="failed"))
    assert SettingsStore(path).load().tsa_test == "failed"
    assert SettingsStore(path).load().sign_level() == ("B-B", True)
    # a version 1 file has no tsa_test: never tested, the configured level
    old = QSettings(path, QSettings.Format.IniFormat)
    old.setValue("version", 1)
    old.remove("tsa_test")
    old.sync()
    loaded = SettingsStore(path).load()
    assert loaded.tsa_test == "" and loaded.sign_level() == ("B-T", False)
    # a damaged value falls back to never tested
    old.setValue("tsa_test", "maybe")
    old.sync()
    assert SettingsStore(path).load().tsa_test == ""
    # B-B configured: no note needed
    assert replace(AppSettings(), default_level="B-B", tsa_test="failed").sign_level() == (
        "B-B",
        False,
    )


def _row(dialog: SettingsDialog, url: str) -> int:
    return [s.url for s in dialog._servers()].index(url)


def test_ticked_servers_are_asked_in_turn_when_the_chosen_one_is_silent(
    window: MainWindow, qtbot: Any, tmp_path: Path, pki: PKI
) -> None:
    dialog = open_settings_dialog(window)
    dialog.tsa_list.item(_row(dialog, pki.tsa_url())).setCheckState(Qt.CheckState.Checked)
    dialog.accept()
    reread = SettingsStore(str(tmp_path / "settings.ini")).load()  # as after a restart
    assert reread.tsa_failover == (pki.tsa_url(),)
    assert reread.default_tsa == DEAD

    window.open_sign_view(str(make_pdf(tmp_path / "in.pdf")), seal=False)
    view = window.sign_view
    assert isinstance(view, SignView)
    assert view.build_job().tsa_urls == (DEAD, pki.tsa_url())
    assert view.tsa_note.text() == "If it does not answer: Test PKI"
    # B-B asks no server at all
    view.level_combo.setCurrentIndex(view.level_combo.findData("B-B"))
    assert view.build_job().tsa_urls == () and view.tsa_note.text() == ""
    view.level_combo.setCurrentIndex(view.level_combo.findData("B-T"))

    asked = _passwords(view, qtbot)
    view.key_file.setText(str(pki.p12_path("signer-rsa")))
    view.place_invisible.setChecked(True)
    view.sign_button.click()
    qtbot.waitUntil(lambda: view.stack.currentIndex() == 1, timeout=60_000)
    assert view.tsa_dialog is None  # never asked: the core failed over by itself
    assert len(asked) == 1
    assert _timestamped(Path(view.result_path.text()))  # by the second server


def test_failover_order_follows_the_list_and_skips_the_chosen_server(
    window: MainWindow, tmp_path: Path
) -> None:
    servers = tuple(TsaServer(n, f"http://{n}.test/") for n in "abcd")
    window.apply_settings(replace(window.settings, tsa_servers=servers, default_tsa=servers[1].url))
    dialog = open_settings_dialog(window)
    for url in ("http://a.test/", "http://b.test/", "http://c.test/"):
        dialog.tsa_list.item(_row(dialog, url)).setCheckState(Qt.CheckState.Checked)
    dialog.tsa_list.setCurrentRow(_row(dialog, "http://c.test/"))
    for _ in range(3):  # (the third time it is first already: it stays)
        dialog.tsa_up.click()
    assert [s.name for s in dialog._servers()] == ["c", "a", "b", "d"]
    dialog.tsa_list.setCurrentRow(_row(dialog, "http://d.test/"))
    dialog.tsa_down.click()  # (last already: it stays)
    # making a server the default keeps the ticks
    dialog.tsa_list.setCurrentRow(_row(dialog, "http://b.test/"))
    next(b for b in dialog.findChildren(QPushButton) if b.text() == "Use by default").click()
    dialog.accept()
    settings = window.settings
    assert [s.name for s in settings.tsa_servers] == ["c", "a", "b", "d"]
    assert settings.tsa_failover == ("http://c.test/", "http://a.test/", "http://b.test/")
    assert settings.default_tsa == "http://b.test/"

    window.open_sign_view(str(make_pdf(tmp_path / "in.pdf")), seal=False)
    view = window.sign_view
    assert isinstance(view, SignView)
    assert view.build_job().tsa_urls == ("http://b.test/", "http://c.test/", "http://a.test/")
    assert view.tsa_note.text() == "If it does not answer: c → a"
    # a server typed on the form comes first, the ticked ones after it
    view.tsa_combo.setCurrentIndex(-1)
    view.tsa_combo.setEditText("http://typed.test/")
    assert view.build_job().tsa_urls == ("http://typed.test/", *settings.tsa_failover)
