"""The validation screens, driven through the real main window: drops of a
signed PDF, an attack file and a folder; banners and cards; exports."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox

from desktop.main_window import MainWindow
from desktop.verdict_style import banner_colours
from signing.model.results import ChangeKind, Verdict
from signing.sign.request import Level
from tests.gui_helpers import (
    drop,
    file_result,
    make_pdf,
    signature,
    signed_contract,
    trusting_window,
    wait_idle,
)
from tests.pki import PKI

pytestmark = pytest.mark.gui

ATTACK = "dss__validation__siwa.pdf"  # signature wrapping: INVALID per the manifest


@pytest.fixture(scope="module")
def signed_pdf(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return signed_contract(pki, tmp_path_factory.mktemp("signed"), Level.B_LT)


window = trusting_window  # the fixture, under the name the tests ask for


def test_banner_and_cards_from_a_valid_result(window: MainWindow) -> None:
    window.show_result(
        file_result("/docs/a.pdf", Verdict.VALID, signature(), signature(seal=True, name="ACME"))
    )
    view = window.validation_view
    assert window.stack.currentWidget() is view
    assert view.banner.title.text() == "Valid"
    # the headline, as the CLI line and the report word it
    assert view.banner.subtitle.text() == "All 2 signatures and timestamps are valid."
    assert not view.banner.icon.pixmap().isNull()  # an icon, not colour alone
    assert view.banner.icon.accessibleName() == "Valid"
    assert len(view.cards) == 2
    first, second = view.cards
    assert first.findChild(QLabel, "who").text() == "Alice Example"
    assert first.findChild(QLabel, "type").text() == "Signature (a person)"
    assert second.findChild(QLabel, "type").text() == "Seal (an organisation)"
    assert second.findChild(QLabel, "who").text() == "ACME (Example Corp)"
    # EU and Japanese columns side by side
    assert first.findChild(QLabel, "eu").text() == "Qualified electronic signature (QES)"
    assert first.findChild(QLabel, "jp").text() == "Not a Japanese trust anchor"
    time = first.findChild(QLabel, "time").text()
    assert "proven by the signature timestamp of “Shomei Test TSA”" in time
    assert first.findChild(QLabel, "level").text() == "PAdES B-T"
    assert first.findChild(QLabel, "changed").text() == "No."
    # Details: hidden, then shown with the chain and the raw indication
    assert first.details.isHidden()
    first.details_button.click()
    assert first.details.isVisible()
    assert "TOTAL-PASSED" in first.details.text()
    assert "trust anchor from" in first.details.text()
    assert view.export_json.isEnabled()


def test_banner_red_with_what_changed(window: MainWindow) -> None:
    bad = signature(Verdict.INVALID, changed=ChangeKind.OTHER)
    window.show_result(file_result("/docs/b.pdf", Verdict.INVALID, bad))
    view = window.validation_view
    assert view.banner.title.text() == "Invalid"
    assert view.banner.verdict is Verdict.INVALID
    # a broken hash: the signed content itself was altered, never "allowed"
    changed = view.cards[0].findChild(QLabel, "changed").text()
    assert changed == "Yes: the signed content itself was altered (its hash no longer matches)."
    assert "HASH_FAILURE" in view.cards[0].details.text()


def test_banner_colours_follow_the_palette() -> None:
    light, dark = QPalette(), QPalette()
    light.setColor(QPalette.ColorRole.Window, QColor(240, 240, 240))
    dark.setColor(QPalette.ColorRole.Window, QColor(30, 30, 30))
    for verdict in Verdict:
        bg_light, _ = banner_colours(verdict, light)
        bg_dark, _ = banner_colours(verdict, dark)
        assert bg_light.lightness() > 160
        assert bg_dark.lightness() < 100
    green = banner_colours(Verdict.VALID, light)[0]
    red = banner_colours(Verdict.INVALID, light)[0]
    assert green.green() > green.red() and red.red() > red.green()


def test_banner_recolours_when_the_palette_turns_dark(window: MainWindow) -> None:
    window.show_result(file_result("/docs/a.pdf", Verdict.VALID, signature()))
    view = window.validation_view
    banner = view.banner
    light_css = banner.styleSheet()
    dark = QPalette(view.palette())
    dark.setColor(QPalette.ColorRole.Window, QColor(25, 25, 25))
    view.setPalette(dark)
    assert banner.styleSheet() != light_css
    background = QColor(light_css.split("background: ")[1][:7])
    dark_background = QColor(banner.styleSheet().split("background: ")[1][:7])
    assert background.lightness() > 160 and dark_background.lightness() < 100


def test_drop_a_signed_pdf_shows_a_green_banner(
    window: MainWindow, qtbot: Any, signed_pdf: Path
) -> None:
    with qtbot.waitSignal(window.result_shown, timeout=60_000) as blocker:
        mime = drop(window.home.drop_zone, [signed_pdf])
    del mime
    result = blocker.args[0]
    assert result.path == str(signed_pdf)
    view = window.validation_view
    assert view.banner.verdict is Verdict.VALID, [
        r.en for s in result.signatures for r in s.reasons
    ]
    assert view.banner.title.text() == "Valid"
    assert view.cards[0].findChild(QLabel, "who").text() == (
        "Alice Tester (Shomei Test Trust Services)"
    )
    assert view.cards[0].findChild(QLabel, "level").text() == "PAdES B-LT"


def test_a_slow_file_does_not_replace_a_later_drop(
    window: MainWindow,
    qtbot: Any,
    signed_pdf: Path,
    shared_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first file waits (a slow responder, say); a second one dropped
    meanwhile shows, and the first's late answer must not replace it."""
    from desktop import core_adapter

    release = threading.Event()
    validate = core_adapter.validate_file

    def slow_for_the_first(path: str, config: Any) -> Any:
        if path == str(signed_pdf):
            release.wait(30)
        return validate(path, config)

    monkeypatch.setattr(core_adapter, "validate_file", slow_for_the_first)
    attack = shared_dir / "corpus" / "attacks" / ATTACK
    drop(window.home.drop_zone, [signed_pdf])
    with qtbot.waitSignal(window.result_shown, timeout=60_000):
        drop(window.home.drop_zone, [attack])
    assert window.validation_view.banner.verdict is Verdict.INVALID
    release.set()
    wait_idle(qtbot)  # the first file's answer arrives, and is dropped
    assert window.validation_view.result is not None
    assert window.validation_view.result.path == str(attack)
    assert window.validation_view.banner.verdict is Verdict.INVALID


def test_drop_an_attack_file_shows_red(window: MainWindow, qtbot: Any, shared_dir: Path) -> None:
    attack = shared_dir / "corpus" / "attacks" / ATTACK
    with qtbot.waitSignal(window.result_shown, timeout=60_000):
        mime = drop(window.home.drop_zone, [attack])
    del mime
    assert window.validation_view.banner.verdict is Verdict.INVALID
    assert window.validation_view.banner.title.text() == "Invalid"


def test_drop_a_folder_fills_the_batch_table(
    window: MainWindow, qtbot: Any, tmp_path: Path, signed_pdf: Path, shared_dir: Path
) -> None:
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(signed_pdf, folder / "one.pdf")
    shutil.copy(shared_dir / "corpus" / "attacks" / ATTACK, folder / "sub" / "two.pdf")
    make_pdf(folder / "three.pdf")
    (folder / "notes.txt").write_text("not a pdf")
    with qtbot.waitSignal(window.batch_finished, timeout=120_000) as blocker:
        mime = drop(window.home.drop_zone, [folder])
    del mime
    assert len(blocker.args[0]) == 3
    view = window.batch_view
    assert window.stack.currentWidget() is view
    assert view.model.rowCount() == 3
    verdicts = {Path(r.path).name: r.verdict for r in view.model.results()}
    assert verdicts["one.pdf"] is Verdict.VALID
    assert verdicts["two.pdf"] is Verdict.INVALID
    assert view.summary.text().startswith("3 files, 1 valid")
    assert "1 NOT valid" in view.summary.text()
    assert view.progress.value() == view.progress.maximum()
    assert not view.cancel_button.isEnabled()
    # double-click opens that file's validation
    view.table.doubleClicked.emit(view.proxy.index(0, 0))
    assert window.stack.currentWidget() is window.validation_view


def test_batch_saves_one_report_for_the_files_shown(
    window: MainWindow,
    qtbot: Any,
    tmp_path: Path,
    signed_pdf: Path,
    shared_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(signed_pdf, folder / "one.pdf")
    shutil.copy(shared_dir / "corpus" / "attacks" / ATTACK, folder / "two.pdf")
    make_pdf(folder / "three.pdf")
    view = window.batch_view
    assert not view.export_json.isEnabled()  # nothing validated yet
    with qtbot.waitSignal(window.batch_finished, timeout=120_000):
        drop(window.home.drop_zone, [folder])
    assert view.export_json.isEnabled()
    asked: list[str] = []

    def save_as(_parent: Any, _title: str, suggested: str, *_a: Any) -> tuple[str, str]:
        asked.append(suggested)
        return str(tmp_path / f"out-{len(asked)}{Path(suggested).suffix}"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    with qtbot.waitSignal(window.report_saved, timeout=30_000) as saved:
        view.export_json.click()
    assert Path(asked[0]).parent == folder  # suggested beside the files
    data = json.loads(Path(saved.args[0]).read_text(encoding="utf-8"))
    assert data["summary"]["files"] == 3
    assert {Path(f["path"]).name for f in data["files"]} == {"one.pdf", "two.pdf", "three.pdf"}

    # only the problems shown: the reports hold those two files
    view.verdict_filter.setCurrentIndex(view.verdict_filter.findData("problems"))
    with qtbot.waitSignal(window.report_saved, timeout=30_000) as saved:
        view.export_xml.click()
    root = ET.fromstring(Path(saved.args[0]).read_bytes())
    shown = {Path(f.get("path", "")).name: f.get("verdict") for f in root}
    assert shown == {"two.pdf": "INVALID", "three.pdf": "INDETERMINATE"}
    with qtbot.waitSignal(window.report_saved, timeout=60_000) as saved:
        view.export_pdf.click()
    report = Path(saved.args[0])
    assert report.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", str(report), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "two.pdf" in text and "three.pdf" in text and "one.pdf" not in text


def test_a_new_batch_replaces_a_running_one(
    window: MainWindow,
    qtbot: Any,
    tmp_path: Path,
    signed_pdf: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A second folder dropped while the first is still being checked: the
    first is cancelled and none of its files reach the table."""
    from desktop import core_adapter

    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        folder.mkdir()
        shutil.copy(signed_pdf, folder / f"{folder.name}-a.pdf")
        make_pdf(folder / f"{folder.name}-b.pdf")
    release = threading.Event()
    told_to_stop: list[bool] = []
    validate = core_adapter.validate_batch

    def held_first(paths: Any, config: Any, cancel: Any, *args: Any, **kw: Any) -> Any:
        if any("first" in p for p in paths):
            release.wait(30)
            told_to_stop.append(cancel.is_set())
            cancel = threading.Event()  # (finish anyway: its late results must be ignored)
        return validate(paths, config, cancel, *args, **kw)

    monkeypatch.setattr(core_adapter, "validate_batch", held_first)
    drop(window.home.drop_zone, [first])
    qtbot.waitUntil(lambda: window.batch_view.model.rowCount() == 2)
    with qtbot.waitSignal(window.batch_finished, timeout=120_000) as blocker:
        drop(window.home.drop_zone, [second])
    assert {Path(r.path).name for r in blocker.args[0]} == {"second-a.pdf", "second-b.pdf"}
    release.set()
    wait_idle(qtbot)  # the first batch reports late: not into the table
    assert told_to_stop == [True]
    names = {Path(r.path).name for r in window.batch_view.model.results()}
    assert names == {"second-a.pdf", "second-b.pdf"}
    assert window.batch_view.model.rowCount() == 2


def test_export_json_and_xml_of_the_shown_result(
    window: MainWindow, qtbot: Any, signed_pdf: Path, tmp_path: Path
) -> None:
    with qtbot.waitSignal(window.result_shown, timeout=60_000):
        window.open_paths([str(signed_pdf)])
    shown = window.validation_view.result
    # the screen's validation skips the ETSI XML; the exports that carry it ask for it
    assert shown is not None and shown.etsi_report_xml is None
    out = tmp_path / "report.json"
    with qtbot.waitSignal(window.report_saved, timeout=30_000):
        window.export_report("json", str(out))
    text = out.read_text(encoding="utf-8")
    data = json.loads(text)
    assert "contract-signed.pdf" in json.dumps(data)
    assert '"valid"' in text.lower()
    assert "ValidationReport" in data["files"][0]["etsi_report_xml"]
    xml = tmp_path / "report.xml"
    with qtbot.waitSignal(window.report_saved, timeout=30_000):
        window.export_report("xml", str(xml))
    root = ET.fromstring(xml.read_bytes())
    assert root.tag.endswith("}ValidationReport") and "etsi.org" in root.tag, root.tag
    pdf = tmp_path / "report.pdf"
    with qtbot.waitSignal(window.report_saved, timeout=60_000):
        window.export_report("pdf", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_a_file_that_is_not_a_pdf_is_reported(
    window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    fake = tmp_path / "invoice.pdf"
    fake.write_text("this is not a PDF at all")
    with qtbot.waitSignal(window.result_shown, timeout=30_000):
        window.open_paths([str(fake)])
    view = window.validation_view
    assert view.banner.title.text() == "This file could not be checked"
    # cannot be processed (ETSI's INDETERMINATE): nothing shows a signature broken
    assert view.banner.verdict is Verdict.INDETERMINATE
    assert view.banner.subtitle.text()  # the core's reason, in words
    assert not view.export_pdf.isEnabled()


def test_a_failure_reaches_show_error(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    window.show_result(file_result(str(tmp_path / "gone.pdf"), Verdict.VALID, signature()))
    window.export_report("xml", str(tmp_path / "no-such-dir" / "r.xml"))
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "errorBox") is not None, timeout=10_000)
    box = window.findChild(QMessageBox, "errorBox")
    # (the export validates the file again for the ETSI report: the missing
    # file is a result saying so; the missing folder fails the write)
    assert box.text() == "The result could not be saved."
    assert "no-such-dir" in box.informativeText()


def test_unsigned_pdf_goes_to_signing_unless_only_validating(
    window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    plain = make_pdf(tmp_path / "plain.pdf")
    with qtbot.waitSignal(window.result_shown, timeout=30_000):
        window.open_paths([str(plain)], sign_if_unsigned=False)  # "Validate…"
    assert window.validation_view.banner.title.text() == "This document is not signed"
    with qtbot.waitSignal(window.unsigned_opened, timeout=30_000):
        mime = drop(window.home.drop_zone, [plain])
    del mime
    assert window.stack.currentWidget() is window.sign_view


def test_cancel_stops_a_batch(
    window: MainWindow, qtbot: Any, tmp_path: Path, signed_pdf: Path
) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(12):
        shutil.copy(signed_pdf, folder / f"copy{i:02}.pdf")
    with qtbot.waitSignal(window.batch_finished, timeout=120_000) as blocker:
        mime = drop(window.home.drop_zone, [folder])
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.batch_view)
        window.batch_view.cancel_button.click()
    del mime
    view = window.batch_view
    assert len(blocker.args[0]) < 12
    assert view.model.rowCount() == 12  # every file is listed, the rest not checked
    assert view.summary.text().startswith("12 files, ")
    assert view.summary.text().endswith("— cancelled")
    assert not view.cancel_button.isEnabled()
