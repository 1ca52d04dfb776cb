"""The Japanese UI's face: the bundled Gothic (Shomei Sans JP) when the
system's UI font has no Japanese, on every label and heading, and the
system's font again after switching back to English (with the Gothic face
for Japanese words only)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QFont, QTextLayout
from PySide6.QtWidgets import QApplication, QLabel

from desktop.i18n import SANS_JP, _has_japanese, install_language, japanese_ui_font_family
from desktop.main_window import MainWindow
from signing.model.results import Verdict
from tests.gui_helpers import (
    english_window,
    file_result,
    make_window,
    open_settings_dialog,
    signature,
    wait_idle,
)

pytestmark = pytest.mark.gui

window = english_window  # the fixture, under the name the tests ask for

SANS = "Shomei Sans JP"
SERIF = "Shomei Serif JP"


def _faces(font: QFont, text: str) -> set[str]:
    """The families Qt really draws ``text`` with in ``font`` (after fallback)."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    return {run.rawFont().familyName() for run in layout.glyphRuns()}


def _switch(window: MainWindow, lang: str) -> None:
    dialog = open_settings_dialog(window)
    dialog.language.setCurrentIndex(dialog.language.findData(lang))
    dialog.accept()
    # (Qt hands the new application font to existing widgets by posted events)
    QApplication.processEvents()


def _headings(window: MainWindow) -> list[QLabel]:
    window.show_result(file_result("/d/a.pdf", Verdict.VALID, signature()))
    QApplication.processEvents()
    home_title = window.home.findChild(QLabel, "homeTitle")
    banner_title = window.validation_view.findChild(QLabel, "bannerTitle")
    assert home_title is not None and banner_title is not None
    assert home_title.font().bold() and banner_title.font().bold()
    return [home_title, banner_title]


def test_the_bundled_gothic_face_is_a_small_subset(qapp: QApplication) -> None:
    fonts = Path(__file__).resolve().parent.parent / "resources" / "fonts"
    for name in SANS_JP:
        assert (fonts / name).stat().st_size < 600_000
    assert "SIL OPEN FONT LICENSE" in (fonts / "LICENSE-ShomeiSansJP.txt").read_text()
    assert japanese_ui_font_family() == SANS


def test_japanese_ui_uses_the_gothic_face_and_english_gets_its_font_back(
    window: MainWindow, qapp: QApplication
) -> None:
    bundled = not _has_japanese(QFont(qapp.font()))  # (a Japanese UI font is kept)
    _switch(window, "ja")
    assert window.home.open_button.text() == "開く(&O)…"
    labels = [window.home.drop_zone.label, window.home.status, *_headings(window)]
    for label in labels:
        font = label.font()
        if bundled:
            assert font.families()[0] == SANS, label.objectName()
        # the Japanese words are drawn in a Gothic face, never the stamp's serif
        faces = _faces(font, label.text() or "署名を検証しました")
        assert SERIF not in faces, (label.objectName(), faces)
        if bundled:
            assert faces == {SANS}, (label.objectName(), faces)
    # kanji outside the subset (a name) still show, from the serif face
    if bundled:
        assert _faces(window.home.status.font(), "髙橋") == {SERIF}

    _switch(window, "en")
    assert window.home.open_button.text() == "&Open…"
    for label in [window.home.drop_zone.label, *_headings(window)]:
        font = label.font()
        assert font.family() not in (SANS, SERIF), label.objectName()
        assert not _faces(font, label.text()) & {SANS, SERIF}, label.objectName()
        if bundled:  # Japanese words in English (a signer's name, a reason) are Gothic too
            assert _faces(font, "署名を検証しました") == {SANS}, label.objectName()


def test_a_window_started_in_japanese_uses_the_gothic_face(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: QApplication
) -> None:
    bundled = not _has_japanese(QFont(qapp.font()))
    try:
        w = make_window(qtbot, tmp_path, monkeypatch, jp_trust=False, language="ja")
        title = w.home.findChild(QLabel, "homeTitle")
        assert title is not None and title.text() != "Sign, seal and check PDF documents"
        faces = _faces(title.font(), title.text())
        assert SERIF not in faces
        if bundled:
            assert faces == {SANS}
            # headings are drawn from the Bold file, not a synthesised bold
            layout = QTextLayout(title.text(), title.font())
            layout.beginLayout()
            layout.createLine()
            layout.endLayout()
            assert {run.rawFont().styleName() for run in layout.glyphRuns()} == {"Bold"}
    finally:
        wait_idle(qtbot)
        install_language("en")
    assert qapp.font().family() not in (SANS, SERIF)


def test_after_the_first_paint_japanese_words_in_english_are_gothic(qapp: QApplication) -> None:
    from desktop.i18n import load_japanese_fonts

    install_language("en")
    load_japanese_fonts()  # (what the app does once the home screen has painted)
    label = QLabel("Signed by 日本の署名者")
    assert label.font().family() not in (SANS, SERIF)
    assert not _faces(label.font(), "Signed by") & {SANS, SERIF}
    if not _has_japanese(QFont(qapp.font())):
        assert _faces(label.font(), "日本の署名者") == {SANS}
