"""The settings dialog driven through its widgets (and read back after a
restart), its TSA Test button against the test PKI's TSA, and the token
chooser of the sign screen with a SoftHSM2 token and the PIN dialog."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from desktop.main_window import MainWindow
from desktop.secret_dialog import SecretDialog
from desktop.settings import SettingsStore
from desktop.settings_dialog import SettingsDialog
from desktop.sign_view import SignView
from signing.secrets import SecretKind, SecretRequest
from tests import softhsm as hsm
from tests.gui_helpers import make_pdf, make_window, open_settings_dialog, wait_idle
from tests.pki import PKI

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    w = make_window(qtbot, tmp_path, monkeypatch, jp_trust=False)
    yield w
    wait_idle(qtbot)


def _dialog(window: MainWindow) -> SettingsDialog:
    return open_settings_dialog(window)


def _button(dialog: SettingsDialog, text: str) -> QPushButton:
    return next(b for b in dialog.findChildren(QPushButton) if b.text() == text)


def test_settings_dialog_changes_survive_a_restart(
    window: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(var, raising=False)  # restored after the test
    dialog = _dialog(window)
    dialog.level.setCurrentIndex(dialog.level.findData("B-LTA"))
    qtbot.keyClicks(dialog.tsa_name, "Office TSA")
    qtbot.keyClicks(dialog.tsa_url, "http://tsa.example.jp/tsa")
    _button(dialog, "Add").click()
    dialog.tsa_list.setCurrentRow(dialog.tsa_list.count() - 1)
    _button(dialog, "Use by default").click()
    dialog.proxy_manual.setChecked(True)
    dialog.proxy_host.setText("proxy.example.jp")
    dialog.proxy_port.setValue(3128)
    dialog.proxy_user.setText("taro")
    dialog.timeout.setValue(25)
    dialog.territories.item(0).setCheckState(Qt.CheckState.Unchecked)  # AT off
    dialog.module_list.addItem("/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so")
    dialog.accept()

    reread = SettingsStore(str(tmp_path / "settings.ini")).load()  # as after a restart
    assert reread.default_level == "B-LTA"
    assert reread.tsa_servers[-1].url == "http://tsa.example.jp/tsa"
    assert reread.tsa_servers[-1].name == "Office TSA"
    assert reread.default_tsa == "http://tsa.example.jp/tsa"
    assert (reread.proxy_mode, reread.proxy_host, reread.proxy_port) == (
        "manual",
        "proxy.example.jp",
        3128,
    )
    assert reread.network().proxy_url == "http://taro@proxy.example.jp:3128"
    # the core's HTTP goes through it from now on (loopback excepted)
    assert os.environ["HTTPS_PROXY"] == "http://taro@proxy.example.jp:3128"
    assert "127.0.0.1" in os.environ["NO_PROXY"]
    assert reread.timeout_s == 25
    assert "AT" not in reread.eu_territories and "BE" in reread.eu_territories
    assert reread.pkcs11_modules == ("/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so",)
    assert window.settings == reread
    # the sign screen opened afterwards preselects them
    window.open_sign_view(str(make_pdf(tmp_path / "in.pdf")), seal=False)
    view = window.sign_view
    assert isinstance(view, SignView)
    assert view.level_combo.currentData() == "B-LTA"
    assert view.tsa_combo.currentData() == "http://tsa.example.jp/tsa"


def test_tsa_test_button_asks_the_server(
    window: MainWindow, qtbot: Any, tmp_path: Path, pki: PKI
) -> None:
    dialog = _dialog(window)
    qtbot.keyClicks(dialog.tsa_url, pki.tsa_url())
    dialog._add_tsa()
    dialog.tsa_list.setCurrentRow(dialog.tsa_list.count() - 1)
    dialog.tsa_test.click()
    qtbot.waitUntil(lambda: dialog.tsa_status.text().endswith(": OK"), timeout=30_000)
    # a server that does not answer gives the TSA error
    qtbot.keyClicks(dialog.tsa_url, "http://127.0.0.1:9/none")
    dialog._add_tsa()
    dialog.tsa_list.setCurrentRow(dialog.tsa_list.count() - 1)
    dialog.tsa_test.click()
    qtbot.waitUntil(
        lambda: dialog.tsa_status.text().startswith("The time-stamping server failed."),
        timeout=30_000,
    )
    dialog.reject()


@pytest.mark.skipif(hsm.available() is not None, reason=str(hsm.available()))
def test_token_chooser_and_pin_dialog_sign_with_softhsm(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pki: PKI, softhsm: Any
) -> None:
    monkeypatch.setenv("SOFTHSM2_CONF", str(softhsm.conf))
    window = make_window(
        qtbot, tmp_path, monkeypatch, jp_trust=False, pkcs11_modules=(str(hsm.MODULE),)
    )
    window.open_sign_view(str(make_pdf(tmp_path / "in.pdf")), seal=False)
    view = window.sign_view
    assert isinstance(view, SignView)
    view.key_kind.setCurrentIndex(view.key_kind.findData("pkcs11"))
    view.token_refresh.click()
    qtbot.waitUntil(lambda: view.token_combo.count() > 0, timeout=30_000)
    labels = [view.token_combo.itemData(i).token.label for i in range(view.token_combo.count())]
    assert "Shomei RSA" in labels
    view.token_combo.setCurrentIndex(labels.index("Shomei RSA"))
    view.level_combo.setCurrentIndex(view.level_combo.findData("B-B"))
    view.place_invisible.setChecked(True)
    requests: list[SecretRequest] = []

    def answer(dialog: SecretDialog) -> None:
        requests.append(dialog.request)
        qtbot.keyClicks(dialog.edit, hsm.PINS["Shomei RSA"])
        dialog.ok_button.click()

    view.prompt.dialog_shown.connect(answer)
    view.sign_button.click()
    qtbot.waitUntil(
        lambda: view.stack.currentIndex() == 1 or bool(view.status.text()), timeout=60_000
    )
    assert view.status.text() == ""
    assert requests and requests[0].kind is SecretKind.PIN
    assert "Shomei RSA" in requests[0].target
    assert (tmp_path / "in-signed.pdf").is_file()
    assert "Alice Tester" in view.findChild(QLabel, "resultWho").text()
    wait_idle(qtbot)
