"""The document beside the verdict: the file's pages (:mod:`desktop.pdf_pages`),
the selected signature's field outlined, its signed version on request, and a
comparison that marks the pages changed since signing.

The core says where each signature field is (``signing.api.list_signature_fields``,
joined to a signature by field name) and which bytes a signature covers
(``signing.api.signed_revision``); both run in workers, as does the
comparison. The signed version is shown from memory: nothing is written and
the user's file is only read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QTimer, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.core_adapter import SignatureField
from desktop.errors_ui import show_error
from desktop.i18n import current_language, tr_functions
from desktop.pdf_pages import PdfPages
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


def _page_list(pages: frozenset[int]) -> str:
    sep = "、" if current_language() == "ja" else ", "
    return sep.join(str(p + 1) for p in sorted(pages))


class DocumentPane(QWidget):
    #: the fields' places are known (or could not be read): tests and the
    #: benchmark wait on it
    fields_loaded = Signal()
    #: a comparison finished: the 0-based pages found changed
    compared = Signal(object)

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
        #: field name -> the bytes its signature covers (the last one fetched)
        self._revisions: dict[str, bytes] = {}
        #: counts files shown: only the latest file's answers count
        self._generation = 0
        #: the file whose pages wait for the first paint (its generation)
        self._pending: int | None = None
        self._busy = False
        self.pages.painted.connect(self._pages_painted)
        self._update_buttons()

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

        def done(data: bytes) -> None:
            if generation != self._generation or self.selected is not sig:
                return
            self._revisions = {field: data}  # (one kept: a revision may be large)
            self._show_signed(data, sig)

        if cached is not None:
            self._show_signed(cached, sig)
            return
        self._run(lambda ctx: _revision(path, field), done)

    def _drop_signed(self) -> None:
        self._signed.close()
        if self._signed_buffer is not None:
            self._signed_buffer.close()
            self._signed_buffer.deleteLater()  # (its bytes go with it)
            self._signed_buffer = None

    def _show_signed(self, data: bytes, sig: SignatureResult) -> None:
        self._drop_signed()
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._signed_buffer = buffer
        self._signed.load(buffer)
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

        def work(ctx: OpContext) -> tuple[bytes, frozenset[int]]:
            from desktop.revision_compare import changed_pages

            data = cached if cached is not None else _revision(path, field)
            return data, changed_pages(data, path, ctx.cancel, ctx.progress)

        def done(answer: tuple[bytes, frozenset[int]]) -> None:
            if generation != self._generation or self.selected is not sig:
                return
            data, changed = answer
            self._revisions = {field: data}  # (one kept: a revision may be large)
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
