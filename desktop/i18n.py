"""Languages and fonts: Shomei's own translation, Qt's Japanese strings, the
bundled Japanese fonts (a Gothic UI face, the stamp's serif face), and a
pseudo-locale for layout checks.

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
#: bundled font file -> its families ([] when it could not be loaded)
_fonts_registered: dict[str, list[str]] = {}
#: the application font before any language was applied
_system_font: list[QFont] = []


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
        translators += [_load_qt_translator("ja"), _load_shomei_translator("ja")]
    for translator in translators:
        if translator is not None:
            app.installTranslator(translator)
            _installed.append(translator)
    japanese = lang == "ja"
    if isinstance(app, QGuiApplication):
        apply_ui_font(app, japanese and not pseudo)
    QLocale.setDefault(QLocale(QLocale.Language.Japanese if japanese else QLocale.Language.English))
    _current[0] = "ja" if japanese else "en"
    return lang


def current_language() -> str:
    """ "ja" or "en": which text of the core's bilingual reasons to show."""
    return _current[0]


#: the stamp's face (signing.resources.font_path): the sign screen's preview
SERIF_JP = "ShomeiSerifJP-Regular.otf"
#: the Japanese UI's Gothic face, for systems whose UI font has no Japanese
SANS_JP = ("ShomeiSansJP-Regular.otf", "ShomeiSansJP-Bold.otf")


def _register(names: tuple[str, ...]) -> list[str]:
    """Register bundled font files once each; their families, in order."""
    from PySide6.QtGui import QFontDatabase

    families: list[str] = []
    for name in names:
        if name not in _fonts_registered:
            path = resources_dir() / "fonts" / name
            font_id = QFontDatabase.addApplicationFont(str(path)) if path.is_file() else -1
            found = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
            _fonts_registered[name] = list(found)
        families += [f for f in _fonts_registered[name] if f not in families]
    return families


def register_fonts() -> list[str]:
    """Register the stamp's bundled serif face (idempotent); its family, or []
    when the file is missing or damaged."""
    return _register((SERIF_JP,))


def japanese_font_family() -> str | None:
    """The stamp's face (Shomei Serif JP), for the appearance preview."""
    fams = register_fonts()
    return fams[0] if fams else None


def japanese_ui_font_family() -> str | None:
    """The bundled Gothic face for the Japanese UI (Shomei Sans JP), loaded on
    first use (two files of ~350 KB: an English UI never pays for them)."""
    fams = _register(SANS_JP)
    return fams[0] if fams else None


def _has_japanese(font: QFont) -> bool:
    from PySide6.QtGui import QFontDatabase, QFontInfo

    family = QFontInfo(font).family()  # (what an alias like "Sans Serif" resolves to)
    return QFontDatabase.WritingSystem.Japanese in QFontDatabase.writingSystems(family)


def apply_ui_font(app: QGuiApplication, japanese: bool) -> None:
    """The application font for the language, when the system's UI font has
    no Japanese glyphs. In Japanese: the bundled Gothic face first (its Latin
    too, so a line does not mix two designs), then the system's font for
    letters it lacks, then the serif face for kanji outside its subset
    (names, file names). In English: the system's font, then the same two
    for Japanese words (a name, a reason), once the Gothic face is loaded
    (:func:`load_japanese_fonts`, after the first paint). Headings only set
    size and weight, so they follow on every switch."""
    from PySide6.QtGui import QFontInfo

    if not _system_font:
        _system_font.append(QFont(app.font()))
    system = _system_font[0]
    font = system
    if (japanese or SANS_JP[0] in _fonts_registered) and not _has_japanese(system):
        sans = japanese_ui_font_family()
        if sans is not None:
            # (the face an alias such as "Sans Serif" stands for: Qt skips an
            # alias in a list of families)
            letters = QFontInfo(system).family()
            font = QFont(system)
            first = [sans, letters] if japanese else [letters, sans]
            font.setFamilies([*first, *register_fonts()])
    if app.font() != font or app.font().families() != font.families():
        app.setFont(font)


def load_japanese_fonts() -> None:
    """Load the bundled faces after the first paint (the sign screen's
    preview needs the serif one; Japanese words in an English UI get the
    Gothic one) and apply them to the language in use."""
    app = QCoreApplication.instance()
    register_fonts()
    japanese_ui_font_family()
    if isinstance(app, QGuiApplication) and not any(
        isinstance(t, PseudoTranslator) for t in _installed
    ):
        apply_ui_font(app, _current[0] == "ja")


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
