"""Wording: English plurals instead of "(s)", the Japanese list separator,
"would not be qualified"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop.batch import BatchTableModel
from desktop.i18n import english_plural, install_language
from signing.model.reasons.qualification import ades_indeterminate
from signing.model.results import Verdict
from tests.gui_helpers import file_result, signature

pytestmark = pytest.mark.gui


@pytest.fixture
def english(qapp: object) -> Iterator[None]:
    install_language("en")
    yield
    install_language("en")


def test_english_plural() -> None:
    assert english_plural("1 file(s)", 1) == "1 file"
    assert english_plural("0 file(s)", 0) == "0 files"
    assert english_plural("2 module(s) found.", 2) == "2 modules found."
    assert english_plural("ファイル 1 件", 1) == "ファイル 1 件"


def test_batch_summary_singular_and_japanese_separator(english: None) -> None:
    model = BatchTableModel()
    model.set_paths(["/d/a.pdf"])
    model.add_result(file_result("/d/a.pdf", Verdict.VALID, signature()))
    assert model.summary().startswith("1 file, 1 valid, 0 with warnings")
    install_language("ja")
    ja = model.summary()
    assert ", " not in ja and "、" in ja and "(s)" not in ja


def test_would_not_be_qualified() -> None:
    reason = ades_indeterminate("not-qualified")
    assert "would be not" not in reason.en
    assert reason.en.endswith("if it were valid it would not be qualified.")
    assert "適格ではありませんです" not in reason.ja
