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


# --- no English library or parser detail inside a Japanese sentence -------------

#: files whose reasons once carried English detail into the Japanese: a file
#: that is not a PDF, a two-number /ByteRange, signed attributes out of DER
#: order, a certificate cryptography cannot parse (the Japanese column)
DETAIL_FILES = [
    SHARED / "corpus" / "attacks" / "dss__validation__pdf-signed-corrupted.pdf",
    SHARED / "corpus" / "attacks" / "pyhanko__coverage-anomalies__one-byterange.pdf",
    SHARED / "corpus" / "eu" / "pdf" / "dss__Signature-P-DE_CRY-2_HASH_FAILURE.pdf",
    SHARED / "corpus" / "eu" / "pdf" / "dss__BadEncodedCMS.pdf",
]


#: English terms the catalogue glosses on purpose (a technical term beside its
#: Japanese, a product's name, an ASN.1 keyword)
GLOSSED = ("（signed attributes）", "EU DSS", "SET OF")


def _japanese_texts(result: FileResult) -> list[str]:
    reasons = [*result.reasons, *([result.error] if result.error else [])]
    texts = [r.ja for r in reasons]
    for sig in result.signatures:
        texts += [r.ja for r in sig.reasons]
        if sig.jp_status is not None:
            texts.append(sig.jp_status.ja)
    return texts


@pytest.mark.parametrize("path", DETAIL_FILES, ids=lambda p: p.name[:50])
def test_no_english_detail_in_japanese_sentences(path: Path) -> None:
    from signing.model.reasons.text import ENGLISH_PROSE

    need(path)
    result = _validated(path)
    texts = _japanese_texts(result)
    assert texts
    for ja in texts:
        assert JAPANESE.search(ja), ja
        bare = QUOTED.sub("「」", ja)
        for term in GLOSSED:
            bare = bare.replace(term, "")
        assert not ENGLISH_PROSE.search(bare), ja
    # the detail is not lost: it is the technical detail
    technical = [r.technical for s in result.signatures for r in s.reasons if r.technical]
    technical += [result.error.technical] if result.error and result.error.technical else []
    if path.name.startswith(("dss__validation__pdf-signed", "pyhanko__coverage")):
        assert technical, "the raw detail is kept for --verbose and the collapsed details"


def test_every_der_problem_has_its_japanese() -> None:
    """Each way der_check says DER is broken has its catalogue phrase."""
    import ast

    from signing.model.reasons import causes
    from signing.validation import der_check

    said = {
        node.args[0].value
        for node in ast.walk(ast.parse(Path(der_check.__file__).read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "_NotDer"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    }
    said.add("data after the end")
    assert len(said) > 8
    for problem in said:
        cause = causes.not_der(problem)
        assert cause.ja != "DERの形式ではありません", problem  # (the generic phrase)
        assert JAPANESE.search(cause.ja)


def test_a_trusted_list_status_is_named_in_japanese() -> None:
    """A service's status word ("withdrawn") is told in Japanese, the list's
    own word kept beside it; an unknown word is kept as the list writes it."""
    from datetime import UTC, datetime

    from signing.model.reasons import qualification as Q

    at = datetime(2026, 8, 20, tzinfo=UTC)
    ja = Q.status_not_granted("ESTEID-SK 2011", "EE", "withdrawn", at).ja
    assert "「取り消し済み（withdrawn）」" in ja and "「承認済み（granted）」" in ja, ja
    assert "「nextstatus」" in Q.status_not_granted("S", "EE", "nextstatus", at).ja
    assert "承認済み（granted）" in Q.not_granted_at_issuance("S", "EE", at).ja
