"""Validate as of a chosen time (Settings › Validation), through the real
widgets: the time is chosen in the dialog, a file is dropped, and the verdict
screen, the result and the report state the chosen time; "Now" takes it
back; the choice is never saved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from desktop.main_window import MainWindow
from desktop.settings import SettingsStore
from desktop.settings_dialog import utc_qdatetime
from signing.reports.readable import report_blocks
from signing.sign.request import Level
from tests.gui_helpers import (
    drop,
    open_settings_dialog,
    signed_contract,
    trusting_window,
    wait_idle,
)
from tests.pki import PKI

pytestmark = pytest.mark.gui

window = trusting_window  # the fixture, under the name the tests ask for


@pytest.fixture(scope="module")
def signed_pdf(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return signed_contract(pki, tmp_path_factory.mktemp("as-of"), Level.B_LT)


def _choose(window: MainWindow, qtbot: Any, moment: datetime | None) -> None:
    """Settings › Validation: "now", or "as of" ``moment``; then OK."""
    dialog = open_settings_dialog(window)
    page = dialog.findChild(type(dialog.tabs.widget(0)), "validationPage")
    assert page is not None
    dialog.tabs.setCurrentWidget(page)
    if moment is None:
        dialog.validation_now.click()
        assert not dialog.validation_time.isEnabled()
    else:
        dialog.validation_as_of.click()
        assert dialog.validation_time.isEnabled()
        dialog.validation_time.setDateTime(utc_qdatetime(moment))
    buttons = dialog.findChild(QDialogButtonBox)
    buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: window.settings_dialog is None, timeout=10_000)


def _drop_and_wait(window: MainWindow, qtbot: Any, path: Path) -> Any:
    with qtbot.waitSignal(window.result_shown, timeout=60_000) as blocker:
        mime = drop(window.home.drop_zone, [path])
    del mime
    return blocker.args[0]


def test_a_chosen_validation_time_is_used_and_stated(
    window: MainWindow, qtbot: Any, signed_pdf: Path, tmp_path: Path
) -> None:
    # a minute's precision: the edit shows minutes
    chosen = (datetime.now(UTC) + timedelta(days=3)).replace(second=0, microsecond=0)
    _choose(window, qtbot, chosen)
    assert window.settings.validation_as_of() == chosen

    result = _drop_and_wait(window, qtbot, signed_pdf)
    # passed through the core: the validation was made as of the chosen time
    assert result.validation_time == chosen and result.validation_time_chosen
    banner = window.validation_view.banner
    assert banner.as_of.isVisible()
    said = banner.as_of.text()
    assert said.startswith("Validated as of " + chosen.strftime("%Y-%m-%d %H:%M:%S UTC")), said
    assert "not now" in said
    assert said in banner.accessibleName()
    # the readable report states it too, under the verdict and in the facts
    report = " ".join(str(b) for b in report_blocks([result], "en"))
    assert said in report and "Validation time (chosen, not now)" in report
    report_ja = " ".join(str(b) for b in report_blocks([result], "ja"))
    assert "の時点で検証しました" in report_ja and "現在ではなく" in report_ja

    # never saved: a restart validates at the current time again
    stored = SettingsStore(str(tmp_path / "settings.ini")).load()
    assert stored.validation_time == "" and stored.validation_as_of() is None

    # "Now" takes it back: the file shown is checked again, at the current time
    with qtbot.waitSignal(window.result_shown, timeout=60_000) as blocker:
        _choose(window, qtbot, None)
    again = blocker.args[0]
    assert not again.validation_time_chosen
    assert again.validation_time is not None
    assert abs(again.validation_time - datetime.now(UTC)) < timedelta(minutes=10)
    assert not banner.as_of.isVisible() and banner.as_of.text() == ""
    wait_idle(qtbot)


def test_a_past_time_before_the_signature_changes_the_verdict(
    window: MainWindow, qtbot: Any, signed_pdf: Path
) -> None:
    """The chosen time is what the core validates at, not a label: as of a
    time before the signer's certificate existed, the signature is not valid."""
    now = _drop_and_wait(window, qtbot, signed_pdf)
    assert now.verdict.name == "VALID"
    signer = now.signatures[0].signer
    assert signer is not None and signer.not_before is not None
    before = (signer.not_before - timedelta(days=30)).replace(second=0, microsecond=0)
    with qtbot.waitSignal(window.result_shown, timeout=60_000) as blocker:
        _choose(window, qtbot, before)  # the verdict screen is checked again
    then = blocker.args[0]
    assert then.validation_time == before and then.validation_time_chosen
    assert then.verdict.name != "VALID"
    banner = window.validation_view.banner
    assert before.strftime("%Y-%m-%d") in banner.as_of.text()
    wait_idle(qtbot)


def test_the_batch_summary_states_the_chosen_time(qapp: Any) -> None:
    """A batch validated as of a chosen time says so once, under its counts."""
    from dataclasses import replace

    from desktop.batch import BatchTableModel
    from signing.model.results import Verdict
    from tests.gui_helpers import file_result, signature

    chosen = datetime(2026, 8, 4, tzinfo=UTC)
    model = BatchTableModel()
    model.set_paths(["/d/a.pdf", "/d/b.pdf"])
    plain = file_result("/d/a.pdf", Verdict.VALID, signature())
    model.add_result(plain)
    assert "\n" not in model.summary()
    model.add_result(
        replace(
            file_result("/d/b.pdf", Verdict.VALID, signature()),
            validation_time=chosen,
            validation_time_chosen=True,
        )
    )
    counts, as_of = model.summary().split("\n")
    assert counts.startswith("2 files")
    assert as_of.startswith("Validated as of 2026-08-04 00:00:00 UTC")
