"""Languages and fonts: Shomei's own translation, Qt's Japanese strings, the
bundled Japanese font, and a pseudo-locale for layout checks.

English needs none of them before the window's first paint, so what only
Japanese or the fonts use is imported when used."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtGui import QFont, QGuiApplication

from desktop.paths import resources_dir

_installed: list[QTranslator] = []
_current = ["en"]
_fonts_registered: list[str] = []


def effective_language(setting: str) -> str:
    """ "en" or "ja" for a settings value of "system", "en" or "ja"."""
    if setting in ("en", "ja"):
        return setting
    return "ja" if QLocale.system().language() == QLocale.Language.Japanese else "en"


class TsTranslator(QTranslator):
    """Reads a Qt Linguist .ts file directly: used when the compiled .qm is
    missing (a checkout where packaging/setup.sh has not run yet)."""

    def __init__(self, ts_path: Path) -> None:
        import xml.etree.ElementTree as ET  # only without the .qm

        super().__init__()
        self._table: dict[tuple[str, str], list[str]] = {}
        root = ET.parse(ts_path).getroot()
        for ctx in root.iter("context"):
            name = ctx.findtext("name") or ""
            for msg in ctx.iter("message"):
                source = msg.findtext("source") or ""
                tr = msg.find("translation")
                if tr is None or tr.get("type") in ("unfinished", "obsolete", "vanished"):
                    continue
                forms = [f.text or "" for f in tr.iter("numerusform")]
                texts = forms or [tr.text or ""]
                if any(texts):
                    self._table[(name, source)] = texts

    def isEmpty(self) -> bool:
        return not self._table

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None (a null QString) lets Qt ask the next translator; "" would not.
        texts = self._table.get((context, source))
        if not texts:
            return None
        return texts[0]  # Japanese has one plural form


class PseudoTranslator(QTranslator):
    """Makes every string ~40% longer and bracketed, to catch truncation."""

    def isEmpty(self) -> bool:
        return False

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        if not source:
            return source
        pad = "~" * max(1, int(len(source) * 0.4))
        return f"[{source}{pad}]"


def _load_shomei_translator(lang: str) -> QTranslator | None:
    folder = resources_dir() / "translations"
    qm = folder / f"shomei_{lang}.qm"
    translator = QTranslator()
    if qm.is_file() and translator.load(str(qm)):
        return translator
    ts = folder / f"shomei_{lang}.ts"
    if ts.is_file():
        return TsTranslator(ts)
    return None


def _load_qt_translator(lang: str) -> QTranslator | None:
    from PySide6.QtCore import QLibraryInfo

    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator()
    if translator.load(f"qtbase_{lang}", qt_dir):
        return translator
    return None


def install_language(lang: str, pseudo: bool = False) -> str:
    """Replace the installed translators; returns the language now active."""
    app = QCoreApplication.instance()
    assert app is not None
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    translators: list[QTranslator | None] = []
    if pseudo:
        translators.append(PseudoTranslator())
    elif lang == "ja":
        families = register_fonts()
        if families and isinstance(app, QGuiApplication):
            # Japanese glyphs missing from the UI font come from the bundled one
            QFont.insertSubstitution(app.font().family(), families[0])
        translators += [_load_qt_translator("ja"), _load_shomei_translator("ja")]
    for translator in translators:
        if translator is not None:
            app.installTranslator(translator)
            _installed.append(translator)
    japanese = lang == "ja"
    QLocale.setDefault(QLocale(QLocale.Language.Japanese if japanese else QLocale.Language.English))
    _current[0] = "ja" if japanese else "en"
    return lang


def current_language() -> str:
    """ "ja" or "en": which text of the core's bilingual reasons to show."""
    return _current[0]


def register_fonts() -> list[str]:
    """Register the bundled fonts (Japanese glyphs); idempotent."""
    if _fonts_registered:
        return list(_fonts_registered)
    from PySide6.QtGui import QFontDatabase

    folder = resources_dir() / "fonts"
    files = (
        sorted(p for p in folder.glob("**/*") if p.suffix.lower() in (".ttf", ".otf", ".ttc"))
        if folder.is_dir()
        else []
    )
    for path in files:
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id >= 0:
            _fonts_registered.extend(QFontDatabase.applicationFontFamilies(font_id))
    if not _fonts_registered:
        _fonts_registered.append("")  # remember we tried
    return [f for f in _fonts_registered if f]


def japanese_font_family() -> str | None:
    fams = register_fonts()
    return fams[0] if fams else None


def tr_functions(context: str) -> tuple[Callable[[str], str], Callable[[str, int], str]]:
    """``_t, _tn = tr_functions("ctx")`` for module-level strings; the
    extractor (resources/translations/extract.py) finds calls to ``_t`` and
    ``_tn`` and files them under ``ctx``."""

    def _t(text: str) -> str:
        return QCoreApplication.translate(context, text)

    def _tn(text: str, n: int) -> str:
        return english_plural(QCoreApplication.translate(context, text, None, n), n)

    return _t, _tn


def english_plural(text: str, n: int) -> str:
    """``text`` with its "(s)" made singular or plural for ``n``: Qt fills in
    %n, but with no English translation loaded it keeps the source's "(s)"
    ("1 file(s)"). Translations without "(s)" pass unchanged."""
    return text.replace("(s)", "" if n == 1 else "s")
