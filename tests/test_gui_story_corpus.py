"""The app's banner tells every corpus file's story as the CLI line, the JSON
headline and the readable report do, in English and in Japanese: every file
of ``corpus/eu`` and ``corpus/attacks``, through the banner widget the
verdict screen and the sign screen show (tests/test_gui_story.py drives the
whole window for a few files).

The files are validated once per process (the cache of
tests/test_validation_story.py), so this module costs a banner per file.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.i18n import install_language
from desktop.validation_view import Banner
from signing.cli.validate_cmd import headline_line
from signing.model.results import Verdict
from signing.reports.json_report import file_result_to_json
from signing.reports.readable import clean, render_html
from signing.validation.story import file_story
from tests.conftest import need
from tests.test_validation_story import INTERNAL, _corpus, _validate

pytestmark = pytest.mark.gui


@pytest.fixture(params=["en", "ja"])
def lang(request: pytest.FixtureRequest, qapp: object) -> Iterator[str]:
    install_language(request.param)
    yield request.param
    install_language("en")


@pytest.mark.parametrize("path", _corpus(), ids=lambda p: p.name[:70])
def test_the_banner_tells_the_same_headline_as_the_cli_json_and_report(
    path: Path, lang: str
) -> None:
    need(path)
    result = _validate(path)
    story = file_story(result)
    headline = file_result_to_json(result)["headline"][lang]
    banner = Banner()
    banner.show_result(result, story=story)
    lines = banner.subtitle.text().split("\n")
    # the banner's first line is the JSON's headline in the interface language
    assert lines[0] == headline
    assert len(lines) == len(set(lines))  # nothing said twice
    line = headline_line(result, lang)
    if result.verdict is not Verdict.VALID:
        assert line is not None and line.endswith(": " + headline)
    assert html.escape(clean(headline), quote=True) in render_html([result], lang)  # type: ignore[arg-type]
    if lang == "ja":
        assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", lines[0]), lines[0]
    shown = "\n".join(
        (
            banner.title.text(),
            banner.subtitle.text(),
            banner.trust_lists.text(),
            banner.accessibleName(),
        )
    )
    assert not INTERNAL.search(shown), shown
