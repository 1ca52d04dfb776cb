"""Japanese is written as Japanese: lists are joined with 、 (never an ASCII
", "), and nothing puts a space after 。. Held over the words of the model
(labels, report headings) and over what a Japanese user reads about real
files: the readable report, the CLI's columns and its headline line.

A certificate's name is kept verbatim (it comes from the file, in whatever
form its issuer wrote it), so text inside 「…」 is left out of the check.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

import pytest

from signing.cli.validate_cmd import headline_line
from signing.model.labels import _DOCMDP, _LABELS, WORDS
from signing.model.results import FileResult
from signing.reports.columns_text import columns_text
from signing.reports.readable import footer_text, render_html
from signing.validation.engine import validate_pdf
from signing.validation.options import ValidationOptions
from tests.conftest import SHARED, need

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
QUOTED = re.compile(r"「[^」]*」")

#: files whose Japanese says many things: lists of pages, objects, algorithms,
#: a certificate without signing key usage, several entries, a JP signature
FILES = [
    SHARED / "corpus" / "attacks" / name
    for name in (
        "dss__validation__hello_signed_INCSAVE_signed_EDITED.pdf",
        "dss__validation__pdf-signed-added-page.pdf",
        "itext__DocumentRevisionsValidatorTest__changeExistingFontAndAddAsDss.pdf",
        "mkl-itext5__signature__hide-and-replace-shadow-file-signed-2.pdf",
        "rubnds-pdfattacker__font__replace-font-shadowed-signed-manipulated.pdf",
    )
] + [
    SHARED / "corpus" / "eu" / "pdf" / "dss__Signature-P-DE_SCI-4.pdf",
    SHARED / "corpus" / "jp" / "kampo.pdf",
]


def english_joins(text: str) -> list[str]:
    """The places in ``text``'s Japanese lines that join like English."""
    found = []
    for line in text.splitlines():
        line = QUOTED.sub("「」", line)
        if not JAPANESE.search(line):
            continue
        for bad in (", ", "。 "):
            at = line.find(bad)
            if at >= 0:
                found.append(line[max(0, at - 40) : at + 20])
    return found


def test_the_check_finds_english_joins() -> None:
    assert english_joins("署名 1、2 と 3") == []
    assert english_joins("1 ページ, 2 ページ")
    assert english_joins("変更されています。 詳細")
    assert english_joins("English, only") == []
    assert english_joins("証明書「CN=A, O=B」の鍵") == []


def test_labels_and_report_words_are_joined_the_japanese_way() -> None:
    texts = [ja for _en, ja in _LABELS.values()]
    texts += [ja for _en, ja in WORDS.values()]
    texts += [ja for _en, ja in _DOCMDP.values()]
    assert len(texts) > 100
    for ja in texts:
        assert not english_joins(ja), ja


@cache
def _validated(path: Path) -> FileResult:
    return validate_pdf(path, ValidationOptions(offline=True))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name[:50])
def test_what_a_japanese_user_reads_about_a_file(path: Path) -> None:
    need(path)
    result = _validated(path)
    page = render_html([result], "ja")
    # the report's text, one line per element, entities decoded
    text = "\n".join(html.unescape(t) for t in re.split(r"<[^>]+>", page))
    assert JAPANESE.search(text)
    lines = columns_text([result], "ja")
    assert JAPANESE.search(lines)
    headline = headline_line(result, "ja") or ""
    for what in (text, lines, headline):
        assert not english_joins(what), english_joins(what)


def test_the_footer_lists_validation_times_the_japanese_way() -> None:
    results = [_validated(p) for p in FILES[:2] if p.is_file()]
    times = {r.validation_time for r in results}
    if len(times) < 2:
        pytest.skip("the files were validated within the same second")
    from datetime import UTC, datetime

    footer = footer_text(results, "ja", datetime.now(UTC))
    assert "、" in footer and not english_joins(footer), footer
