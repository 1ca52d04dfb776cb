"""The document beside the verdict: the file's pages (:mod:`desktop.pdf_pages`),
the selected signature's field outlined, its signed version on request, and a
comparison that marks the pages changed since signing.

The core says where each signature field is (``signing.api.list_signature_fields``,
joined to a signature by field name) and which bytes a signature covers
(``signing.api.signed_revision``); both run in workers, as does the
comparison. The signed version is shown from memory: nothing is written and
the user's file is only read.

QtPdf's page view draws no form widgets, so a visible signature's stamp would
be missing from the pages: each version is shown from a copy in memory whose
pages the core made paint their signature widgets' appearances
(``signing.api.with_signature_stamps``).
The file's pages show at once from the disk, and are swapped for that copy
when the worker has made it; a file the core cannot read safely stays as it
is. Compare compares the copies, so a stamp that differs is a change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core_adapter import SignatureField
from desktop.errors_ui import show_error
from desktop.i18n import current_language, tr_functions
from desktop.pdf_pages import FIT_PAGE, FIT_WIDTH, PdfPages
from desktop.workers import Op, OpContext
from signing.api import FileResult, PageFrame, SignatureResult

_t, _tn = tr_functions("viewer")
T = TypeVar("T")

#: when the pages load if the view is not painted meanwhile (it is hidden)
LOAD_FALLBACK_MS = 300


def _revision(path: str, field: str) -> bytes:
    """(in a worker) the bytes the signature in ``field`` covers."""
    from desktop import core_adapter

    return core_adapter.signed_revision(path, field)


def _revision_shown(path: str, field: str) -> tuple[bytes, bytes]:
    """(in a worker) the bytes the signature in ``field`` covers, and those
    bytes as shown (with the signatures' stamps drawn)."""
    from desktop import core_adapter

    data = _revision(path, field)
    return data, core_adapter.shown_copy(data)


def _page_list(pages: frozenset[int]) -> str:
    sep = "、" if current_language() == "ja" else ", "
    return sep.join(str(p + 1) for p in sorted(pages))


class DocumentPane(QWidget):
    #: the fields' places are known (or could not be read): tests and the
    #: benchmark wait on it
    fields_loaded = Signal()
    #: a comparison finished: the 0-based pages found changed
    compared = Signal(object)
    #: the current file's pages are final (with its signatures' stamps, or
    #: from the disk as they are when there are none to draw)
    stamps_settled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentPane")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        self.title = QLabel()
        self.title.setObjectName("documentTitle")
        self.title.setWordWrap(True)
        head.addWidget(self.title, 1)
        self.signed_button = QPushButton(_t("View signed version"))
        self.signed_button.setObjectName("viewSignedVersion")
        self.signed_button.setToolTip(
            _t("Show exactly what the selected signature covers, as the signer saw it")
        )
        self.current_button = QPushButton(_t("Show current file"))
        self.current_button.setObjectName("showCurrentFile")
        self.compare_button = QPushButton(_t("Compare"))
        self.compare_button.setObjectName("compareVersions")
        self.compare_button.setToolTip(
            _t("Mark the pages that look different from the selected signature's signed version")
        )
        for button in (self.signed_button, self.current_button, self.compare_button):
            head.addWidget(button)
        layout.addLayout(head)
        layout.addLayout(self._zoom_bar())
        self.note = QLabel()
        self.note.setObjectName("documentNote")
        self.note.setWordWrap(True)
        self.note.setVisible(False)
        layout.addWidget(self.note)
        self.pages = PdfPages()
        layout.addWidget(self.pages, 1)
        self.signed_button.clicked.connect(self.view_signed)
        self.current_button.clicked.connect(self.view_current)
        self.compare_button.clicked.connect(self.compare)

        self.result: FileResult | None = None
        self.selected: SignatureResult | None = None
        #: field name -> its place; None until the core has answered
        self.fields: dict[str, SignatureField] | None = None
        #: the pages shown: "current" (the file) or "signed" (a revision)
        self.showing = "current"
        #: the changed pages of the last comparison (0-based)
        self.changed: frozenset[int] | None = None
        self._current = QPdfDocument(self)
        self._signed = QPdfDocument(self)
        self._signed_buffer: QBuffer | None = None
        self._current_buffer: QBuffer | None = None
        #: the current file as shown, with its stamps (None: as on disk)
        self._current_shown: bytes | None = None
        #: whether ``_current_shown`` is known yet
        self.stamps_ready = False
        #: field name -> (the bytes its signature covers, as shown) (the last one fetched)
        self._revisions: dict[str, tuple[bytes, bytes]] = {}
        #: counts files shown: only the latest file's answers count
        self._generation = 0
        #: the file whose pages wait for the first paint (its generation)
        self._pending: int | None = None
        self._busy = False
        self.pages.painted.connect(self._pages_painted)
        self.pages.zoom_changed.connect(self._show_zoom)
        self.pages.zoomFactorChanged.connect(self._show_zoom)
        self._show_zoom()
        self._update_buttons()

    def _zoom_bar(self) -> QHBoxLayout:
        """Zoom out, the zoom level, zoom in, fit width, fit page; the keys
        (Ctrl+plus, Ctrl+minus, Ctrl+0 for the width) work on this screen
        wherever the focus is, Ctrl+wheel over the pages too."""
        bar = QHBoxLayout()
        bar.addStretch(1)
        self.zoom_out_button = self._zoom_button("zoomOut", "-", _t("Zoom out (Ctrl+minus)"))
        self.zoom_label = QLabel()
        self.zoom_label.setObjectName("zoomLevel")
        self.zoom_label.setMinimumWidth(self.zoom_label.fontMetrics().horizontalAdvance("8888%"))
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_in_button = self._zoom_button("zoomIn", "+", _t("Zoom in (Ctrl+plus)"))
        self.fit_width_button = self._zoom_button(
            "fitWidth", _t("Fit width"), _t("Fit the pages to the width (Ctrl+0)")
        )
        self.fit_page_button = self._zoom_button(
            "fitPage", _t("Fit page"), _t("Show a whole page at a time")
        )
        for button in (self.fit_width_button, self.fit_page_button):
            button.setCheckable(True)
        for widget in (
            self.zoom_out_button,
            self.zoom_label,
            self.zoom_in_button,
            self.fit_width_button,
            self.fit_page_button,
        ):
            bar.addWidget(widget)
        self.zoom_out_button.clicked.connect(lambda: self.pages.zoom_out())
        self.zoom_in_button.clicked.connect(lambda: self.pages.zoom_in())
        self.fit_width_button.clicked.connect(lambda: self.pages.set_fit(FIT_WIDTH))
        self.fit_page_button.clicked.connect(lambda: self.pages.set_fit(FIT_PAGE))
        keys: list[tuple[tuple[QKeySequence.StandardKey | str, ...], Callable[[], None]]] = [
            ((QKeySequence.StandardKey.ZoomIn, "Ctrl++", "Ctrl+="), lambda: self.pages.zoom_in()),
            ((QKeySequence.StandardKey.ZoomOut, "Ctrl+-"), lambda: self.pages.zoom_out()),
            (("Ctrl+0",), lambda: self.pages.set_fit(FIT_WIDTH)),
        ]
        seen: set[str] = set()
        for sequences, act in keys:
            for sequence in sequences:
                key = QKeySequence(sequence)
                if key.isEmpty() or key.toString() in seen:
                    continue  # (a standard key may be one of the others)
                seen.add(key.toString())
                # (active while this pane shows, whatever has the focus)
                shortcut = QShortcut(key, self)
                shortcut.activated.connect(act)
        return bar

    def _zoom_button(self, name: str, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setObjectName(name)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # (reached by Tab)
        return button

    def _show_zoom(self, *_args: object) -> None:
        percent = round(self.pages.zoomFactor() * 100)
        self.zoom_label.setText(f"{percent}%")
        self.zoom_label.setAccessibleName(_t("Zoom: %1%").replace("%1", str(percent)))
        self.fit_width_button.setChecked(self.pages.fit == FIT_WIDTH)
        self.fit_page_button.setChecked(self.pages.fit == FIT_PAGE)

    # --- the file ----------------------------------------------------------------
    def show_file(self, result: FileResult) -> None:
        """Show ``result``'s file, nothing selected. The verdict beside is
        painted first: the pages load right after that first paint, and the
        fields' places are read in a worker."""
        self._generation += 1
        generation = self._generation
        self.result = result
        self.selected = None
        self.fields = None
        self.changed = None
        self._revisions = {}
        self._busy = False
        self._current.close()
        self._drop_current_copy()
        self._show(self._current, "current")
        self._drop_signed()
        self._say("")
        self._pending = generation
        # (not painted, e.g. hidden: load anyway; no call once the pane is gone)
        QTimer.singleShot(LOAD_FALLBACK_MS, self, lambda: self._load(generation))

    def _pages_painted(self) -> None:
        if self._pending == self._generation:
            generation = self._generation
            QTimer.singleShot(0, self, lambda: self._load(generation))

    def _load(self, generation: int) -> None:
        if generation != self._generation or self._pending != generation or self.result is None:
            return
        self._pending = None
        path = self.result.path
        self._current.load(path)
        if self.showing == "current":  # (a signed version asked for meanwhile stays)
            self._show(self._current, "current")
            self._apply_selection()
        if self._current.status() != QPdfDocument.Status.Ready:
            self._say(_t("The pages of this file cannot be shown."))

        def work(ctx: OpContext) -> tuple[list[SignatureField], list[PageFrame]]:
            from desktop import core_adapter

            return core_adapter.list_signature_fields(path), core_adapter.page_frames(path)

        def done(answer: tuple[list[SignatureField], list[PageFrame]]) -> None:
            if generation != self._generation:
                return
            fields, frames = answer
            self.fields = {f.name: f for f in fields}
            self.pages.set_frames(frames)
            self._apply_selection()
            self.fields_loaded.emit()

        def failed(_exc: BaseException) -> None:  # (a damaged file: no places, no error box)
            if generation != self._generation:
                return
            self.fields = {}
            self._apply_selection()
            self.fields_loaded.emit()

        Op(self, work, done).failure(failed).run()
        self._load_stamps(generation, path)

    def _load_stamps(self, generation: int, path: str) -> None:
        """Swap the pages from the disk for the copy with the signatures'
        stamps, once the core has made it (in a worker)."""

        def work(ctx: OpContext) -> bytes | None:
            from desktop import core_adapter

            return core_adapter.shown_file(path)

        def settle(shown: bytes | None) -> None:
            if generation != self._generation:
                return
            if shown is not None:
                self._current.close()
                buffer = QBuffer(self)
                buffer.setData(QByteArray(shown))
                buffer.open(QIODevice.OpenModeFlag.ReadOnly)
                self._current_buffer = buffer
                self._current.load(buffer)
                if self._current.status() != QPdfDocument.Status.Ready:
                    shown = None  # (QtPdf refuses the copy: the file as it is)
                    self._current.close()
                    self._drop_current_copy()
                    self._current.load(path)
                if self.showing == "current":
                    self.pages.reshow(self._current)
            self._current_shown = shown
            self.stamps_ready = True
            self.stamps_settled.emit()

        def failed(_exc: BaseException) -> None:  # (the pages from the disk stay)
            if generation == self._generation:
                self.stamps_ready = True
                self.stamps_settled.emit()

        Op(self, work, settle).failure(failed).run()

    def _drop_current_copy(self) -> None:
        self._current_shown = None
        self.stamps_ready = False
        if self._current_buffer is not None:
            self._current_buffer.close()
            self._current_buffer.deleteLater()
            self._current_buffer = None

    def select(self, sig: SignatureResult | None) -> None:
        """The signature whose field to outline (and whose signed version the
        buttons show)."""
        self.selected = sig
        if self.showing == "signed":
            self.view_current()  # (another signature's revision is not this one's)
        self._apply_selection()

    def _apply_selection(self) -> None:
        self._update_buttons()
        sig = self.selected
        if sig is None:
            return
        if self.fields is None:
            return  # (applied when the places arrive)
        field = self.fields.get(sig.field_name)
        if field is None:
            self.pages.outline = None
            self.pages.viewport().update()
            self._say(_t("Where this signature's field is could not be read from the file."))
        elif field.page < 0 or field.box[2] <= field.box[0] or field.box[3] <= field.box[1]:
            self.pages.outline = None
            self.pages.viewport().update()
            self._say(_t("This signature is invisible: it has no place on a page."))
        else:
            self.pages.show_field(field.page, field.box)
            where = _t("Page %1: the signature's field is outlined.")
            self._say(where.replace("%1", str(field.page + 1)))

    # --- signed version and comparison ----------------------------------------------
    def view_signed(self) -> None:
        sig, result = self.selected, self.result
        if sig is None or result is None or self._busy:
            return
        generation, field, path = self._generation, sig.field_name, result.path
        cached = self._revisions.get(field)

        def done(versions: tuple[bytes, bytes]) -> None:
            if generation != self._generation or self.selected is not sig:
                return
            self._revisions = {field: versions}  # (one kept: a revision may be large)
            self._show_signed(*versions, sig)

        if cached is not None:
            self._show_signed(*cached, sig)
            return
        self._run(lambda ctx: _revision_shown(path, field), done)

    def _drop_signed(self) -> None:
        self._signed.close()
        if self._signed_buffer is not None:
            self._signed_buffer.close()
            self._signed_buffer.deleteLater()  # (its bytes go with it)
            self._signed_buffer = None

    def _show_signed(self, data: bytes, shown: bytes, sig: SignatureResult) -> None:
        """Show the signed revision ``data``, from ``shown`` (its copy with
        the stamps) unless QtPdf refuses that copy."""
        for source in (shown, data) if shown is not data else (data,):
            self._drop_signed()
            buffer = QBuffer(self)
            buffer.setData(QByteArray(source))
            buffer.open(QIODevice.OpenModeFlag.ReadOnly)
            self._signed_buffer = buffer
            self._signed.load(buffer)
            if self._signed.status() == QPdfDocument.Status.Ready:
                break
        self._show(self._signed, "signed")
        if self.pages.page_count() == 0:
            self._say(_t("The signed version cannot be shown."))
            return
        self._apply_selection()
        self._say(
            _t("The signed version of %1: the file as it was signed (%2 bytes).")
            .replace("%1", sig.field_name)
            .replace("%2", str(len(data)))
        )

    def view_current(self) -> None:
        if self.showing != "current":
            self._show(self._current, "current")
            self._apply_selection()

    def compare(self) -> None:
        """Mark the pages whose rendering differs between the selected
        signature's signed version and the current file."""
        sig, result = self.selected, self.result
        if sig is None or result is None or self._busy:
            return
        generation, field, path = self._generation, sig.field_name, result.path
        cached = self._revisions.get(field)
        settled, current_shown = self.stamps_ready, self._current_shown

        def work(ctx: OpContext) -> tuple[tuple[bytes, bytes], frozenset[int]]:
            from desktop import core_adapter
            from desktop.revision_compare import changed_pages

            versions = cached if cached is not None else _revision_shown(path, field)
            # (both as shown: with their signatures' stamps)
            current = current_shown if settled else core_adapter.shown_file(path)
            changed = changed_pages(versions[1], current or path, ctx.cancel, ctx.progress)
            return versions, changed

        def done(answer: tuple[tuple[bytes, bytes], frozenset[int]]) -> None:
            if generation != self._generation or self.selected is not sig:
                return
            versions, changed = answer
            self._revisions = {field: versions}  # (one kept: a revision may be large)
            self.changed = changed
            self.pages.mark_changed(changed)
            if changed:
                differ = _t("Pages that differ from the signed version: %1")
                self._say(differ.replace("%1", _page_list(changed)))
                self.pages.show_page(min(changed))
            else:
                self._say(_t("No page differs from the signed version."))
            self.compared.emit(changed)

        self._run(work, done)

    # --- helpers -----------------------------------------------------------------
    def _run(self, work: Callable[[OpContext], T], done: Callable[[T], None]) -> None:
        """``work`` in a worker, ``done`` with its answer; one at a time (the
        buttons wait), errors to the user unless another file came since."""
        self._busy = True
        self._update_buttons()
        generation = self._generation

        def finished() -> None:
            if generation == self._generation:
                self._busy = False
                self._update_buttons()

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                show_error(self, exc)

        Op(self, work, done).finally_(finished).failure(failed).run()

    def _show(self, document: QPdfDocument, which: str) -> None:
        changed = self.changed
        self.showing = which
        self.pages.show_document(document)
        if changed is not None:  # (the marks hold for both versions)
            self.pages.mark_changed(changed)
        self.title.setText(
            _t("Current file") if which == "current" else _t("Signed version (read-only)")
        )
        self._update_buttons()

    def _say(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def _update_buttons(self) -> None:
        chosen = self.selected is not None and not self._busy
        self.signed_button.setEnabled(chosen and self.showing == "current")
        self.current_button.setVisible(self.showing == "signed")
        self.signed_button.setVisible(self.showing == "current")
        self.compare_button.setEnabled(chosen)
