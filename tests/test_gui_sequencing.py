"""Answers that arrive late must not replace newer ones: a slow file after a
folder, a folder search after a newer file, a signature check after the
next signature; and a failing folder search must not leave the window
saying it is still looking. The core is held back with stand-ins here (the
real validation paths are driven by test_gui_validation and test_gui_sign)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop import core_adapter
from desktop.main_window import MainWindow
from signing.model.results import Verdict
from tests.gui_helpers import (
    file_result,
    make_pdf,
    make_window,
    pdf_folder,
    signature,
    wait_idle,
)

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    w = make_window(qtbot, tmp_path, monkeypatch)
    yield w
    wait_idle(qtbot)


def _valid(path: str, _config: Any) -> Any:
    return file_result(path, Verdict.VALID, signature())


def _batch(paths: Any, _config: Any, _cancel: Any, _progress: Any, on_result: Any, **_: Any) -> Any:
    out = []
    for p in paths:
        out.append(_valid(p, None))
        on_result(out[-1])
    return out


def _overtaken(
    window: MainWindow, qtbot: Any, first: Path, later: Path, done: Any, release: threading.Event
) -> None:
    """Open ``first`` (held until ``release``), then ``later`` until ``done``
    fires; then let ``first`` finish, late."""
    window.open_paths([str(first)])
    with qtbot.waitSignal(done, timeout=30_000):
        window.open_paths([str(later)])
    release.set()
    wait_idle(qtbot)


def test_a_slow_file_does_not_replace_a_later_folder(
    window: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = make_pdf(tmp_path / "slow.pdf")
    folder = pdf_folder(tmp_path / "folder", "x.pdf", "y.pdf")
    release = threading.Event()

    def held(path: str, config: Any) -> Any:
        if path == str(slow):
            release.wait(30)
        return _valid(path, config)

    monkeypatch.setattr(core_adapter, "validate_file", held)
    monkeypatch.setattr(core_adapter, "validate_batch", _batch)
    _overtaken(window, qtbot, slow, folder, window.batch_finished, release)
    assert window.stack.currentWidget() is window.batch_view


def test_a_slow_folder_search_does_not_replace_a_later_file(
    window: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = pdf_folder(tmp_path / "folder", "x.pdf", "y.pdf")
    single = make_pdf(tmp_path / "single.pdf")
    release = threading.Event()
    collect = core_adapter.collect_pdfs

    def held(paths: Any) -> Any:
        release.wait(30)
        return collect(paths)

    monkeypatch.setattr(core_adapter, "collect_pdfs", held)
    monkeypatch.setattr(core_adapter, "validate_file", _valid)
    monkeypatch.setattr(core_adapter, "validate_batch", _batch)
    _overtaken(window, qtbot, folder, single, window.result_shown, release)
    assert window.stack.currentWidget() is window.validation_view
    assert window.validation_view.result is not None
    assert window.validation_view.result.path == str(single)


def test_a_failing_folder_search_says_so(
    window: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[BaseException] = []

    def refused(_paths: Any) -> Any:
        raise PermissionError("no access to the folder")

    monkeypatch.setattr(core_adapter, "collect_pdfs", refused)
    monkeypatch.setattr("desktop.main_window.show_error", lambda _w, exc: shown.append(exc))
    monkeypatch.setattr(QMessageBox, "exec", lambda *_a: 0)
    folder = tmp_path / "locked"
    folder.mkdir()
    window.open_paths([str(folder), str(tmp_path)])
    wait_idle(qtbot)
    assert window.home.status.text() == ""
    assert [type(e) for e in shown] == [PermissionError]


# --- the sign screen ----------------------------------------------------------


def _sign_screen(window: MainWindow, pdf: Path, seal: bool = False) -> Any:
    window.open_sign_view(str(pdf), seal=seal)
    view = window.sign_view
    view.place_invisible.setChecked(True)
    view.key_file.setText(str(pdf))  # any existing file: the core is a stand-in
    return view


def test_a_typed_timestamp_server_is_the_one_used(
    window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    view = _sign_screen(window, make_pdf(tmp_path / "doc.pdf"))
    wait_idle(qtbot)
    assert view.tsa_url() == view.tsa_combo.currentData()  # a listed server, as chosen
    view.tsa_combo.lineEdit().selectAll()
    qtbot.keyClicks(view.tsa_combo.lineEdit(), "http://my-tsa.example/tsr")
    assert view.build_job().tsa_url == "http://my-tsa.example/tsr"


def test_opening_a_document_while_signing_keeps_the_signature_going(
    window: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = make_pdf(tmp_path / "doc.pdf")
    release = threading.Event()
    jobs: list[core_adapter.SignJob] = []

    def held_sign(job: core_adapter.SignJob, *_args: Any) -> core_adapter.SignOutcome:
        jobs.append(job)
        release.wait(30)
        return core_adapter.SignOutcome(output_path=job.output_path, signer="Alice")

    monkeypatch.setattr(core_adapter, "sign", held_sign)
    monkeypatch.setattr(core_adapter, "validate_file", _valid)
    view = _sign_screen(window, pdf)
    view.reason_edit.setText("my reason")
    view.sign_button.click()
    qtbot.waitUntil(lambda: len(jobs) == 1)
    assert not view.back_button.isEnabled() and not view.sign_button.isEnabled()
    view.sign_button.click()  # a second click does nothing
    window.open_sign_view(str(make_pdf(tmp_path / "other.pdf")), seal=True)  # File > Seal
    assert view.reason_edit.text() == "my reason" and view.input_path == str(pdf)
    assert "other.pdf" in view.status.text()
    release.set()
    wait_idle(qtbot)
    assert len(jobs) == 1 and not jobs[0].seal
    assert view.result_title.text() == "Signed and saved"  # what was made, not what was asked
    assert view.back_button.isEnabled()


def test_a_late_check_of_an_earlier_signature_is_not_shown(
    window: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    checked: list[str] = []

    def sign(job: core_adapter.SignJob, *_args: Any) -> core_adapter.SignOutcome:
        return core_adapter.SignOutcome(output_path=job.output_path, signer="Alice")

    def check(path: str, config: Any) -> Any:
        checked.append(path)
        if len(checked) == 1:  # the first signed file's check answers last, red
            release.wait(30)
            return file_result(path, Verdict.INVALID, signature(Verdict.INVALID))
        return _valid(path, config)

    monkeypatch.setattr(core_adapter, "sign", sign)
    monkeypatch.setattr(core_adapter, "validate_file", check)
    view = _sign_screen(window, make_pdf(tmp_path / "one.pdf"))
    view.sign_button.click()
    qtbot.waitUntil(lambda: len(checked) == 1)
    view = _sign_screen(window, make_pdf(tmp_path / "two.pdf"))
    view.sign_button.click()
    qtbot.waitUntil(lambda: view.result_banner.isVisible())
    release.set()
    wait_idle(qtbot)
    assert view.result_path.text().endswith("two-signed.pdf")
    assert view.result_banner.verdict is Verdict.VALID


def test_an_existing_output_is_replaced_only_when_the_user_says_so(
    window: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs: list[core_adapter.SignJob] = []

    def sign(job: core_adapter.SignJob, *_args: Any) -> core_adapter.SignOutcome:
        jobs.append(job)
        return core_adapter.SignOutcome(output_path=job.output_path, signer="Alice")

    monkeypatch.setattr(core_adapter, "sign", sign)
    monkeypatch.setattr(core_adapter, "validate_file", _valid)
    view = _sign_screen(window, make_pdf(tmp_path / "doc.pdf"))
    earlier = Path(view.output_edit.text())
    earlier.write_bytes(b"an earlier signed copy")
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(_parent: Any, _title: str, text: str, *_a: Any) -> Any:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    view.sign_button.click()
    wait_idle(qtbot)
    assert jobs == [] and earlier.read_bytes() == b"an earlier signed copy"
    view.sign_button.click()
    wait_idle(qtbot)
    assert len(jobs) == 1 and len(asked) == 2 and "doc-signed.pdf" in asked[0]
