"""Build the Japanese UI font bundled in ``resources/fonts/`` from Noto Sans CJK JP.

The desktop shows Japanese in a Gothic (sans-serif) face. When the system has
no Japanese font, it uses this subset ("Shomei Sans JP", Regular and Bold).
It keeps only what the UI shows: every character of the Japanese texts in the
repository (the Qt Linguist catalogue and the Japanese messages in ``signing/``
and ``desktop/``), ASCII, Latin-1, general punctuation, the CJK symbols, kana
and full/half-width forms. Other kanji (a signer's name, a file name) come
from the bundled serif face, which covers all of Windows-31J; rerun this
script after adding Japanese texts so that they stay in the Gothic face.

Like Shomei Serif JP (see subset_font.py), the subset is renamed: the SIL OFL
1.1 forbids a modified version from using a Reserved Font Name (Noto CJK
derives from Adobe's Source Han Sans, whose reserved name is "Source"), and
"Noto" is Google's trademark. The copyright and licence entries are kept.

Reproduce (Debian 12 "bookworm", package fonts-noto-cjk 1:20220127+repack1-1,
which ships Noto Sans CJK 2.004)::

    apt-get download fonts-noto-cjk=1:20220127+repack1-1
    dpkg -x fonts-noto-cjk_*_all.deb /tmp/noto
    python packaging/subset_sans_font.py /tmp/noto/usr/share/fonts/opentype/noto
"""

from __future__ import annotations

import argparse
import hashlib
import re
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

# the serif face's script, beside this one (run as python packaging/subset_sans_font.py)
from subset_font import keep_only, save

REPO = Path(__file__).resolve().parent.parent
FONTS = REPO / "resources" / "fonts"
FAMILY = "Shomei Sans JP"
#: style -> (source collection, its sha256 in fonts-noto-cjk 1:20220127+repack1-1)
SOURCES = {
    "Regular": (
        "NotoSansCJK-Regular.ttc",
        "b76b0433203017ca80401b2ee0dd69350349871c4b19d504c34dbdd80541690a",
    ),
    "Bold": (
        "NotoSansCJK-Bold.ttc",
        "faa5f3656a78b2e2d450d27fe8382c778bc2b6bb5ea29c986664a6a435056ceb",
    ),
}
JP_INDEX = 0  # "Noto Sans CJK JP" in the collection (KR, SC, TC, HK and Mono follow)

RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement
    (0x2000, 0x206F),  # general punctuation
    (0x2190, 0x21FF),  # arrows
    (0x2460, 0x24FF),  # enclosed alphanumerics (①)
    (0x25A0, 0x25FF),  # geometric shapes (■ ● ◯)
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x309F),  # hiragana
    (0x30A0, 0x30FF),  # katakana
    (0x31F0, 0x31FF),  # katakana phonetic extensions
    (0xFF00, 0xFFEF),  # full- and half-width forms
]

#: where the UI's Japanese texts live
TEXT_GLOBS = ["resources/translations/*.ts", "signing/**/*.py", "desktop/**/*.py"]
_UI_CHARS = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff]")  # CJK radicals .. unified ideographs


def ui_codepoints(repo: Path = REPO) -> set[int]:
    """The CJK characters of every Japanese text in the repository."""
    found: set[int] = set()
    for pattern in TEXT_GLOBS:
        for path in sorted(repo.glob(pattern)):
            found.update(ord(c) for c in _UI_CHARS.findall(path.read_text(encoding="utf-8")))
    return found


def wanted_codepoints(repo: Path = REPO) -> set[int]:
    wanted = ui_codepoints(repo)
    for first, last in RANGES:
        wanted.update(range(first, last + 1))
    return wanted


def rename(font: TTFont, style: str, version: str) -> None:
    ps_name = f"ShomeiSansJP-{style}"
    name = font["name"]
    name.removeNames(nameID=7)  # "Noto is a trademark of Google Inc."
    for record in list(name.names):
        if record.nameID in (16, 17, 21, 22):
            name.removeNames(nameID=record.nameID)
    for record in list(name.names):
        if record.platformID != 3:  # keep only the Windows Unicode entries
            name.removeNames(platformID=record.platformID)
    renamed = {
        1: FAMILY,
        2: style,
        3: f"{ps_name};subset of Noto Sans CJK JP {version}",
        4: FAMILY if style == "Regular" else f"{FAMILY} {style}",
        6: ps_name,
    }
    for record in name.names:
        if record.nameID in renamed:
            record.string = renamed[record.nameID]
    cff = font["CFF "].cff
    cff.fontNames = [ps_name]
    top = cff[0]
    if hasattr(top, "FamilyName"):
        top.FamilyName = FAMILY
    if hasattr(top, "FullName"):
        top.FullName = renamed[4]
    for fd in getattr(top, "FDArray", []):  # e.g. NotoSansCJKjp-Regular-Kana
        suffix = fd.FontName.rpartition("-")[2]
        fd.FontName = f"{ps_name}-{suffix}"


def build(source_dir: Path, style: str, output: Path, wanted: set[int]) -> None:
    filename, expected = SOURCES[style]
    source = source_dir / filename
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    if digest != expected:
        print(f"warning: {source} is not the documented source (sha256 {digest})")
    # keep head.modified from the source, so that the output is reproducible
    font = TTCollection(source, recalcTimestamp=False).fonts[JP_INDEX]
    version = font["name"].getDebugName(5).split(";")[0].removeprefix("Version ")
    keep_only(font, wanted)
    rename(font, style, version)
    save(font, output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source_dir", type=Path, help="folder with NotoSansCJK-*.ttc")
    parser.add_argument("-o", "--output-dir", type=Path, default=FONTS)
    args = parser.parse_args()
    wanted = wanted_codepoints()
    print(f"{len(ui_codepoints())} CJK characters in the UI's texts, {len(wanted)} in all")
    for style in SOURCES:
        build(args.source_dir, style, args.output_dir / f"ShomeiSansJP-{style}.otf", wanted)


if __name__ == "__main__":
    main()
