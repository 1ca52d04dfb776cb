"""Build the Japanese font bundled in ``resources/fonts/`` from Noto Serif JP.

The full Noto Serif JP (about 6 MB) is over the 5 MiB limit for files in the
repository, so we keep a subset with what signature appearances need: ASCII,
Latin-1 and Latin Extended-A (European names), general punctuation, the CJK
symbols, kana, full- and half-width forms, and every character of Windows-31J
(JIS X 0208 levels 1 and 2 plus the NEC and IBM extensions common in Japanese
names and addresses).

The SIL OFL 1.1 allows modified versions as long as they do not use a Reserved
Font Name. Noto Serif JP derives from Adobe's Source Han Serif, whose reserved
name is "Source"; "Noto" is Google's trademark. To stay clear of both, the
subset is renamed "Shomei Serif JP" and keeps the copyright and licence entries.

Reproduce (the source font ships in pyHanko's sdist, for its own tests)::

    pip download --no-deps --no-binary :all: pyhanko==0.38.0 -d /tmp/ph
    tar xzf /tmp/ph/pyhanko-0.38.0.tar.gz -C /tmp/ph
    python packaging/subset_font.py \\
        /tmp/ph/pyhanko-0.38.0/pyhanko_testing_commons/test_data/data/fonts/NotoSerifJP-Regular.otf
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Iterable
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "resources" / "fonts" / "ShomeiSerifJP-Regular.otf"
FAMILY = "Shomei Serif JP"
PS_NAME = "ShomeiSerifJP-Regular"
#: NotoSerifJP-Regular.otf 1.001 as shipped in pyHanko 0.38.0's sdist
SOURCE_SHA256 = "a12875dcde3979f7901cd52c6f750f763e5ad2824cf3c27019a61dd5de5a8d9d"

RANGES = [
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 supplement
    (0x0100, 0x017F),  # Latin Extended-A
    (0x2000, 0x206F),  # general punctuation
    (0x2100, 0x214F),  # letterlike symbols (№, ℡)
    (0x2190, 0x21FF),  # arrows
    (0x2460, 0x24FF),  # enclosed alphanumerics (①)
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x309F),  # hiragana
    (0x30A0, 0x30FF),  # katakana
    (0x31F0, 0x31FF),  # katakana phonetic extensions
    (0x3200, 0x32FF),  # enclosed CJK (㈱)
    (0x3300, 0x33FF),  # CJK compatibility (㍻)
    (0xFF00, 0xFFEF),  # full- and half-width forms
]


def windows_31j() -> set[int]:
    """Every character of Windows-31J (CP932): JIS X 0208 + NEC/IBM extensions."""
    chars: set[int] = set()
    lead_bytes = [*range(0x81, 0xA0), *range(0xE0, 0xFD)]
    for lead in lead_bytes:
        for trail in [*range(0x40, 0x7F), *range(0x80, 0xFD)]:
            try:
                text = bytes([lead, trail]).decode("cp932")
            except UnicodeDecodeError:
                continue
            chars.update(ord(c) for c in text)
    return chars


def wanted_codepoints() -> set[int]:
    wanted = windows_31j()
    for first, last in RANGES:
        wanted.update(range(first, last + 1))
    return wanted


def rename(font: TTFont) -> None:
    name = font["name"]
    name.removeNames(nameID=7)  # "Noto is a trademark of Google"
    for record in list(name.names):
        if record.nameID in (16, 17, 21, 22):
            name.removeNames(nameID=record.nameID)
    renamed = {
        1: FAMILY,
        2: "Regular",
        3: f"{PS_NAME};subset of Noto Serif JP 1.001",
        4: FAMILY,
        6: PS_NAME,
    }
    for record in list(name.names):
        if record.platformID != 3:  # keep only the Windows Unicode entries
            name.removeNames(platformID=record.platformID)
    for record in name.names:  # every language, e.g. the Japanese family name too
        if record.nameID in renamed:
            record.string = renamed[record.nameID]
    cff = font["CFF "].cff
    cff.fontNames = [PS_NAME]
    top = cff[0]
    for key in ("FullName", "FamilyName"):
        if hasattr(top, key):
            setattr(top, key, FAMILY)
    for fd in getattr(top, "FDArray", []):  # e.g. NotoSerifJP-Regular-Kana
        suffix = fd.FontName.rpartition("-")[2]
        fd.FontName = f"{PS_NAME}-{suffix}"


def keep_only(font: TTFont, codepoints: Iterable[int]) -> None:
    """Subset ``font`` in place to ``codepoints``, keeping every name record
    (the OFL notices) and the .notdef outline, dropping the void DSIG."""
    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)


def save(font: TTFont, output: Path) -> None:
    """Write ``font`` to ``output`` and print its size, glyph count and SHA-256."""
    output.parent.mkdir(parents=True, exist_ok=True)
    font.save(output)
    data = output.read_bytes()
    print(
        f"{output}: {len(data)} bytes, {len(font.getGlyphOrder())} glyphs, "
        f"sha256 {hashlib.sha256(data).hexdigest()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="NotoSerifJP-Regular.otf")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args()

    digest = hashlib.sha256(args.source.read_bytes()).hexdigest()
    if digest != SOURCE_SHA256:
        print(f"warning: {args.source} is not the documented source (sha256 {digest})")
    # keep head.modified from the source, so that the output is byte-identical
    font = TTFont(args.source, recalcTimestamp=False)
    keep_only(font, wanted_codepoints())
    rename(font)
    save(font, args.output)


if __name__ == "__main__":
    main()
