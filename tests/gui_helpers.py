"""Helpers for the GUI tests: real drops, real PDFs, hand-built results."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import (
    QDragEnterEvent,
    QDropEvent,
    QPageSize,
    QPainter,
    QPdfWriter,
    QWindow,
)
from PySide6.QtWidgets import QApplication, QWidget

from desktop.app import setup_window
from desktop.i18n import install_language
from desktop.main_window import MainWindow
from desktop.settings import AppSettings, SettingsStore
from desktop.settings_dialog import SettingsDialog
from desktop.validation_view import ValidationView
from desktop.workers import running_ops
from signing.model.results import (
    CertificateInfo,
    ChainElement,
    ChangeKind,
    EntryKind,
    FileResult,
    Indication,
    JapaneseStatus,
    Level,
    ModificationInfo,
    Qualification,
    Reason,
    RevocationSource,
    RevocationStatus,
    SignatureResult,
    SignerKind,
    TimestampInfo,
    Verdict,
)
from signing.sign.request import FieldPlacement
from tests.pki import PKI
from tests.sign_helpers import sign_with_pki

T = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

#: what the end-to-end tests wait for until the core lands
NO_ENGINE = "signing.validation.engine.validate_pdf has not landed yet (issue 3)"
NO_SIGNING = "signing.sign.request.sign_pdf has not landed yet (issue 2)"


def make_pdf(
    path: Path, pages: int = 2, size: QPageSize.PageSizeId = QPageSize.PageSizeId.A4
) -> Path:
    """A small real PDF written by Qt (no signatures)."""
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(size))
    writer.setResolution(72)
    painter = QPainter(writer)
    for i in range(pages):
        if i:
            writer.newPage()
        painter.drawText(60, 80, f"Shomei test page {i + 1}")
    painter.end()
    return path


def pdf_folder(folder: Path, *names: str) -> Path:
    """``folder``, created, with a small PDF for each of ``names``."""
    folder.mkdir()
    for name in names:
        make_pdf(folder / name)
    return folder


def drop(widget: QWidget | QWindow, paths: list[Path | str], at: QPoint | None = None) -> QMimeData:
    """Drag ``paths`` onto ``widget`` (at its centre, or ``at``) and drop them,
    with real Qt events. Given a window's QWindow, Qt itself picks the widget
    under ``at`` that takes drops, as for a real drag.

    Returns the QMimeData: the caller keeps it alive while the events live.
    """
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = at if at is not None else QPoint(widget.width() // 2, widget.height() // 2)
    action = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(
        QPointF(pos), action, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted(), "the widget refused the drag"
    event = QDropEvent(
        QPointF(pos), action, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, event)
    return mime


def cert(cn: str, org: str | None = None, source: str | None = None) -> CertificateInfo:
    return CertificateInfo(
        subject=f"CN={cn}" + (f", O={org}" if org else ""),
        issuer="CN=Shomei Test Intermediate",
        serial_hex="01",
        not_before=datetime(2026, 1, 1, tzinfo=UTC),
        not_after=datetime(2029, 1, 1, tzinfo=UTC),
        sha256_hex="00" * 32,
        common_name=cn,
        organisation=org,
        trust_source=source,
    )


def signature(
    verdict: Verdict = Verdict.VALID,
    *,
    seal: bool = False,
    changed: ChangeKind = ChangeKind.NONE,
    reasons: tuple[Reason, ...] = (),
    name: str = "Alice Example",
) -> SignatureResult:
    tsa = cert("Shomei Test TSA")
    return SignatureResult(
        kind=EntryKind.SIGNATURE,
        field_name="Signature1",
        verdict=verdict,
        indication=Indication.TOTAL_PASSED if verdict is Verdict.VALID else Indication.TOTAL_FAILED,
        subindication=None if verdict is Verdict.VALID else "HASH_FAILURE",
        level=Level.B_T,
        reasons=reasons,
        signer=cert(name, "Example Corp" if seal else None),
        signer_kind=SignerKind.LEGAL_PERSON if seal else SignerKind.NATURAL_PERSON,
        claimed_time=T,
        signature_timestamp=TimestampInfo(time=T, tsa=tsa, intact=True, trusted=True),
        best_time=T,
        chain=(
            ChainElement(cert(name), RevocationStatus.GOOD, RevocationSource.FETCHED_OCSP),
            ChainElement(
                cert("Shomei Test Root"),
                RevocationStatus.GOOD,
                RevocationSource.NOT_NEEDED,
                is_trust_anchor=True,
            ),
        ),
        intact=verdict is not Verdict.INVALID,
        modification=ModificationInfo(
            covers_whole_file=changed is ChangeKind.NONE,
            modified_after_signing=changed is not ChangeKind.NONE,
            change_kind=changed,
            changes_permitted=changed is not ChangeKind.OTHER,
        ),
        eu_qualification=Qualification.QESIG if not seal else Qualification.QESEAL,
        jp_status=JapaneseStatus(
            "not-a-japanese-anchor",
            "Not a Japanese trust anchor",
            "日本のトラストアンカーではありません",
        ),
    )


def file_result(path: str, verdict: Verdict, *sigs: SignatureResult) -> FileResult:
    return FileResult(path=path, verdict=verdict, signatures=sigs, validation_time=T)


def make_window(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **changes: Any
) -> MainWindow:
    """The real main window over a settings file in ``tmp_path`` (EU lists
    off unless asked: they would be seeded into the cache first)."""
    monkeypatch.setenv("SHOMEI_CACHE_DIR", str(tmp_path / "cache"))
    store = SettingsStore(str(tmp_path / "settings.ini"))
    settings = replace(
        AppSettings(), **{"language": "en", "eu_trust": False, "timeout_s": 10, **changes}
    )
    store.save(settings)
    window = setup_window(store, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def make_trusting_window(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pki: PKI, **changes: Any
) -> MainWindow:
    """:func:`make_window` trusting the test PKI's root as a user anchor, with
    the Japanese list off (the files the GUI tests sign chain to that root)."""
    return make_window(
        qtbot,
        tmp_path,
        monkeypatch,
        jp_trust=False,
        user_anchors=(str(pki.cert_pem_path("root")),),
        **changes,
    )


def trusting_window_of_size(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pki: PKI, width: int, height: int
) -> Iterator[MainWindow]:
    """:func:`make_trusting_window` at ``width`` x ``height``, for a fixture to
    ``yield from``: its work is waited for at teardown."""
    w = make_trusting_window(qtbot, tmp_path, monkeypatch, pki)
    w.resize(width, height)
    yield w
    wait_idle(qtbot)


@pytest.fixture
def viewer_window(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pki: PKI
) -> Iterator[MainWindow]:
    """A trusting window wide enough for the document beside the cards
    (1100 x 760); import it as ``window``."""
    yield from trusting_window_of_size(qtbot, tmp_path, monkeypatch, pki, 1100, 760)


def open_in_viewer(
    window: MainWindow, qtbot: Any, path: Path, *, stamps: bool = False
) -> ValidationView:
    """Validate ``path`` in ``window`` and wait until its document pane knows
    the fields (and, with ``stamps``, shows the copy with the stamps)."""
    with qtbot.waitSignal(window.result_shown, timeout=60_000):
        window.validate_file(str(path))
    view = window.validation_view
    pane = view.document_pane
    qtbot.waitUntil(
        lambda: pane.fields is not None and (pane.stamps_ready or not stamps), timeout=30_000
    )
    return view


@pytest.fixture
def trusting_window(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pki: PKI
) -> Iterator[MainWindow]:
    """:func:`make_trusting_window` as a fixture; import it as ``window``."""
    w = make_trusting_window(qtbot, tmp_path, monkeypatch, pki)
    yield w
    wait_idle(qtbot)


def signed_contract(pki: PKI, folder: Path, level: Level) -> Path:
    """``folder``/contract-signed.pdf: a one-page PDF signed at ``level`` with
    a visible field near the bottom left of page 1."""
    return sign_with_pki(
        pki,
        make_pdf(folder / "contract.pdf"),
        folder / "contract-signed.pdf",
        level,
        FieldPlacement(page=1, box=(50, 50, 250, 120)),
    )


@pytest.fixture
def english_window(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    """A window without the Japanese list, back in English afterwards (for
    the tests that switch the UI language); import it as ``window``."""
    w = make_window(qtbot, tmp_path, monkeypatch, jp_trust=False)
    yield w
    wait_idle(qtbot)
    install_language("en")


def wait_idle(qtbot: Any, timeout: int = 60_000) -> None:
    """Wait until every background Op has delivered its result."""
    qtbot.waitUntil(lambda: running_ops() == 0, timeout=timeout)


def open_settings_dialog(window: MainWindow) -> SettingsDialog:
    """The window's Settings dialog, opened as the menu opens it."""
    window.open_settings()
    dialog = window.settings_dialog
    assert isinstance(dialog, SettingsDialog)
    return dialog
