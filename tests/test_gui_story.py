"""The app's banner tells the story's headline, the same words as the CLI line
and the JSON, for corpus files (pytest-qt, the real main window)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from desktop.main_window import MainWindow
from signing.cli.validate_cmd import headline_line
from signing.reports.json_report import file_result_to_json
from signing.validation.engine import validate_pdf
from signing.validation.options import ValidationOptions
from signing.validation.story import TrustListState
from tests.conftest import SHARED
from tests.gui_helpers import make_window, open_settings_dialog, wait_idle

pytestmark = pytest.mark.gui

FILES = [
    SHARED / "corpus" / "attacks" / name
    for name in (
        # a field lock broken after an untrusted signer: the lock, not the trust
        "itext__DocumentRevisionsValidatorIntegrationTest__fieldLockRootModificationNotAllowed.pdf",
        # two signatures, the second one's byte range forged
        "dss__validation__pdf-byterange-overlap.pdf",
        # not a PDF at all: said once
        "dss__validation__pdf-signed-corrupted.pdf",
        # a hash failure under a signature timestamp
        "rubnds-pdftester__PDFDocs__minimal_cert_invalid.pdf",
    )
]


@pytest.fixture
def window(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    w = make_window(qtbot, tmp_path, monkeypatch, jp_trust=False)
    yield w
    wait_idle(qtbot)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name[:60])
def test_the_banner_shows_the_headline(window: MainWindow, path: Path) -> None:
    result = validate_pdf(path, ValidationOptions(offline=True))
    headline = file_result_to_json(result)["headline"]
    window.show_result(result)
    banner = window.validation_view.banner
    lines = banner.subtitle.text().split("\n")
    assert lines[0] == headline["en"]
    assert len(lines) == len(set(lines))  # nothing said twice
    line = headline_line(result, "en")
    assert line is not None and line.endswith(": " + lines[0])
    # the cards never contradict it: an altered or forbidden change is never "allowed"
    for card in window.validation_view.cards:
        changed = card.findChild(QLabel, "changed").text()
        assert "(allowed)" not in changed or card.sig.verdict.name != "INVALID", changed


def test_the_banner_says_when_trusted_lists_are_out_of_date(window: MainWindow, qtbot: Any) -> None:
    result = validate_pdf(FILES[1], ValidationOptions(offline=True))
    state = TrustListState(stale=(("EE", 360),), loaded=("EE", "LOTL"))
    window.show_result(result, state)
    note = window.validation_view.banner.trust_lists
    assert note.isVisibleTo(window.validation_view.banner)
    assert note.text() == "Trusted lists are out of date (EE: 360 days past its update)."
    update = window.validation_view.update_trust
    assert update.isVisibleTo(window.validation_view.banner)
    # (not clicked here: it downloads the EU lists from the internet)
    assert update.isEnabled() and update.text() == "Update now"
    window.show_result(result, TrustListState(loaded=("EE",)))
    assert not note.isVisibleTo(window.validation_view.banner)
    assert not update.isVisibleTo(window.validation_view.banner)


def test_settings_trust_table_marks_stale_and_missing_lists(window: MainWindow, qtbot: Any) -> None:
    from desktop.core_adapter import TrustRow

    dialog = open_settings_dialog(window)
    wait_idle(qtbot)  # the dialog's own load of the rows has answered
    dialog._show_trust_rows(
        [
            TrustRow(
                "EU: EE", True, 12, "2025-12-01 00:00", "2025-12-10 00:00", None, "stale", 360
            ),
            TrustRow("EU: BE", True, 0, None, None, None, "missing"),
            TrustRow("JP", True, 20, "2026-11-30 00:00", "2027-01-01 00:00", None),
        ]
    )
    table = dialog.trust_table
    assert (
        table.item(0, 4).text() == "Trusted lists are out of date (EE: 360 days past its update)."
    )
    assert table.item(0, 0).font().bold()
    assert table.item(1, 4).text() == "Trusted lists have not been downloaded yet (BE)."
    assert table.item(2, 4).text() == "" and not table.item(2, 0).font().bold()


def test_batch_time_column_is_the_cards_time(qapp: object) -> None:
    """The batch table shows the time the card shows: the proven one, else
    the signer's claim marked as such, never the validation time."""
    from dataclasses import replace

    from desktop.batch import BatchTableModel
    from desktop.validation_view import fmt_time, time_text
    from signing.model.results import Verdict
    from tests.gui_helpers import T, file_result, signature

    later = T.replace(year=T.year + 3)  # the validation time, as pyHanko's best time
    stamped = signature()
    claimed = replace(signature(), signature_timestamp=None, best_time=later)
    model = BatchTableModel()
    model.set_paths(["/d/a.pdf", "/d/b.pdf"])
    model.add_result(
        replace(file_result("/d/a.pdf", Verdict.VALID, stamped), validation_time=later)
    )
    model.add_result(
        replace(file_result("/d/b.pdf", Verdict.VALID, claimed), validation_time=later)
    )
    col = BatchTableModel.COLUMNS.index("time")
    assert model.data(model.index(0, col)) == fmt_time(T)
    assert fmt_time(T) != fmt_time(later)
    shown = model.data(model.index(1, col))
    assert shown == f"{fmt_time(T)} (claimed by the signer, not proven)"
    assert "claimed by the signer" in time_text(claimed)
