"""Languages: switching to Japanese through the settings dialog, Qt's own
Japanese strings, a complete .ts, the bundled font, and a pseudo-locale run
checking that long strings are not cut off."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QLabel,
    QWidget,
)

from desktop.i18n import install_language, register_fonts
from desktop.main_window import MainWindow
from desktop.settings import SettingsStore
from signing.model.results import Verdict
from tests.gui_helpers import (
    english_window,
    file_result,
    make_pdf,
    make_window,
    open_settings_dialog,
    signature,
    wait_idle,
)

pytestmark = pytest.mark.gui

window = english_window  # the fixture, under the name the tests ask for

REPO = Path(__file__).resolve().parent.parent
TS = REPO / "resources" / "translations" / "shomei_ja.ts"


def test_switch_to_japanese_in_settings(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    assert window.home.open_button.text() == "&Open…"
    dialog = open_settings_dialog(window)
    dialog.language.setCurrentIndex(dialog.language.findData("ja"))
    dialog.accept()
    # applied live: the screens are rebuilt in Japanese
    assert window.home.open_button.text() == "開く(&O)…"
    assert window.home.drop_zone.label.text() == "ここに PDF ファイルまたはフォルダーをドロップ"
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["ファイル(&F)", "表示(&V)", "ヘルプ(&H)"]
    # Qt's own strings come from qtbase_ja
    dialog = open_settings_dialog(window)
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text().startswith("キャンセル")
    assert dialog.tabs.tabText(0) == "一般"
    dialog.reject()
    # a validation result in Japanese, with the core's Japanese sentences
    window.show_result(file_result("/d/a.pdf", Verdict.VALID, signature()))
    view = window.validation_view
    assert view.banner.title.text() == "有効"
    assert view.cards[0].findChild(QLabel, "jp").text() == "日本のトラストアンカーではありません"
    # and it survives a restart
    assert SettingsStore(str(tmp_path / "settings.ini")).load().language == "ja"


def test_japanese_translation_is_complete() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("extract", TS.parent / "extract.py")
    assert spec and spec.loader
    extract = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(extract)
    in_code = set()
    for path in sorted((REPO / "desktop").glob("*.py")):
        in_code |= {(ctx, src) for (ctx, src, _plural), _line in extract.collect(path)}
    root = ET.parse(TS).getroot()
    in_ts: dict[tuple[str, str], str] = {}
    for ctx in root.iter("context"):
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            assert tr is not None
            assert tr.get("type") is None, msg.findtext("source")
            text = "".join(tr.itertext()).strip()
            in_ts[(ctx.findtext("name") or "", msg.findtext("source") or "")] = text
    assert in_code - in_ts.keys() == set(), "run resources/translations/extract.py"
    for (_ctx, src), text in in_ts.items():
        assert text, src
        # placeholders survive translation
        assert sorted(re.findall(r"%\d|%n|%\(\w+\)s", src)) == sorted(
            re.findall(r"%\d|%n|%\(\w+\)s", text)
        ), src


def test_the_bundled_japanese_font_is_registered(qapp: QApplication) -> None:
    families = register_fonts()
    assert families, "no font found in resources/fonts"
    assert families[0] in QFontDatabase.families()
    assert QFontDatabase.isScalable(families[0])


def _cut_off(root: QWidget) -> list[str]:
    """Visible buttons and one-line labels narrower than their text."""
    bad = []
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root) or w.width() == 0:
            continue
        button = isinstance(w, QAbstractButton) and w.text()
        label = isinstance(w, QLabel) and w.text() and not w.wordWrap()
        if not (button or label):
            continue
        need = w.minimumSizeHint().width()
        if w.width() < need:
            bad.append(f"{type(w).__name__} {w.text()!r}: {w.width()} < {need}")
    return bad


def test_pseudo_locale_long_strings_fit(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOMEI_PSEUDO_LOCALE", "1")
    try:
        window = make_window(qtbot, tmp_path, monkeypatch, jp_trust=False)
        assert window.home.open_button.text().startswith("[&Open…")
        qtbot.wait(10)
        assert _cut_off(window) == []
        window.show_result(file_result("/d/a.pdf", Verdict.VALID, signature()))
        qtbot.wait(10)
        assert _cut_off(window) == []
        window.batch_view.start(["/d/a.pdf", "/d/b.pdf"])
        window.batch_view.finish([file_result("/d/a.pdf", Verdict.VALID, signature())])
        window.stack.setCurrentWidget(window.batch_view)
        qtbot.wait(10)
        assert _cut_off(window) == []
        window.open_sign_view(str(make_pdf(tmp_path / "in.pdf")), seal=False)
        qtbot.wait(10)
        assert _cut_off(window) == []
        dialog = open_settings_dialog(window)
        for i in range(dialog.tabs.count()):
            dialog.tabs.setCurrentIndex(i)
            qtbot.wait(10)
            assert _cut_off(dialog) == [], dialog.tabs.tabText(i)
        dialog.reject()
        wait_idle(qtbot)
    finally:
        install_language("en")
