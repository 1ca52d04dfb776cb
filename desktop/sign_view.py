"""The sign / seal screen: preview and placement on the left, the choices on
the right, then a result page. It turns widget state into a
:class:`~desktop.core_adapter.SignJob` and hands it to the adapter in a worker."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import core_adapter as core
from desktop.appearance_preview import (
    AppearancePreview,
    StampPicture,
    StampRenderer,
    StampRequest,
)
from desktop.confirm_dialog import GuiConfirm
from desktop.errors_ui import error_detail, error_title, show_error
from desktop.geometry import Box
from desktop.i18n import current_language
from desktop.key_chooser import KeyChooser
from desktop.page_preview import PagePreview
from desktop.secret_dialog import GuiSecretPrompt
from desktop.settings import LEVELS, AppSettings
from desktop.template_fields import insert_field_button, to_core, to_user
from desktop.validation_view import Banner
from desktop.workers import Op, OpContext
from signing.api import TEXT_FLOOR_PT, TEXT_WARN_PT, Legibility
from signing.errors import TimestampError
from signing.model.text import has_japanese

if TYPE_CHECKING:
    from signing.api import PageFrame

#: the name the preview's stamp shows until the certificate is known (the
#: key opens only when signing); its script also picks the labels' language
SAMPLE_SIGNER = {"en": "Sample Signer", "ja": "見本 署名者"}


def default_output_path(input_path: str, seal: bool) -> str:
    stem, _ext = os.path.splitext(input_path)
    return f"{stem}-{'sealed' if seal else 'signed'}.pdf"


class WheelGuard(QObject):
    """Sends wheel events over unfocused value widgets to the scroll area."""

    def __init__(self, scroll: QScrollArea, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._scroll = scroll

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Wheel
            and isinstance(watched, QWidget)
            and not watched.hasFocus()
        ):
            QApplication.sendEvent(self._scroll.verticalScrollBar(), event)
            return True
        return False


def _note(name: str) -> QLabel:
    """An empty label that wraps its words, named for the style sheet and the tests."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    return label


class SignView(QWidget):
    back_requested = Signal()
    #: emitted after a successful signature with the output path
    signed = Signal(str)

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signView")
        self.settings = settings
        self.input_path = ""
        self.seal = False
        self.op: Op[core.SignOutcome] | None = None
        self.prompt = GuiSecretPrompt(self)
        #: asks about the pre-signing warnings once the key is open
        self.confirm = GuiConfirm(self)
        #: the question after a time-stamping failure, while it is open
        self.tsa_dialog: QMessageBox | None = None
        self.tsa_next_button: QAbstractButton | None = None
        self.tsa_bb_button: QAbstractButton | None = None
        #: the signer's name in the preview's stamp
        self.sample_signer = SAMPLE_SIGNER["ja" if current_language() == "ja" else "en"]
        #: builds the stamp signing will draw, for the box and the preview
        self.stamps = StampRenderer(self)
        self.stamps.ready.connect(self._stamp_ready)
        self.stamps.failed.connect(self._stamp_failed)
        outer = QVBoxLayout(self)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack)
        self.stack.addWidget(self._build_form())
        self.stack.addWidget(self._build_result())

    # --- building ----------------------------------------------------------
    def _build_form(self) -> QWidget:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_preview())
        right = QWidget()
        form_outer = QVBoxLayout(right)
        self._build_document_labels(form_outer)
        form_outer.addWidget(self._build_keys())
        form_outer.addWidget(self._build_placement_box())
        form_outer.addWidget(self._build_appearance_box())
        form_outer.addWidget(self._build_options_box())
        form_outer.addStretch(1)
        splitter.addWidget(self._build_column(right))
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self._connect_form()
        self._preset_changed(0)
        return splitter

    def _build_preview(self) -> QWidget:
        """The page, its navigation and zoom: the left side."""
        left = QWidget()
        lv = QVBoxLayout(left)
        nav = QHBoxLayout()
        self.prev_button = QPushButton(self.tr("Previous page"))
        self.next_button = QPushButton(self.tr("Next page"))
        self.page_spin = QSpinBox()
        self.page_spin.setAccessibleName(self.tr("Page"))
        self.page_spin.setMinimum(1)
        self.page_label = QLabel()
        self.zoom_combo = QComboBox()
        self.zoom_combo.setAccessibleName(self.tr("Zoom"))
        for z in (1.0, 1.5, 2.0, 3.0):
            self.zoom_combo.addItem(self.tr("Fit") if z == 1.0 else f"{int(z * 100)} %", z)
        nav.addWidget(self.prev_button)
        nav.addWidget(self.page_spin)
        nav.addWidget(self.page_label)
        nav.addWidget(self.next_button)
        nav.addStretch(1)
        nav.addWidget(self.zoom_combo)
        lv.addLayout(nav)
        self.preview = PagePreview()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.preview)
        lv.addWidget(scroll, 1)
        hint = QLabel(
            self.tr(
                "Drag a rectangle on the page to place the signature (Enter: default place); "
                "drag the box to move it, its sides or corners to resize it."
            )
        )
        hint.setWordWrap(True)
        lv.addWidget(hint)
        return left

    def _build_document_labels(self, layout: QVBoxLayout) -> None:
        self.doc_label = _note("docLabel")
        layout.addWidget(self.doc_label)
        self.mode_label = _note("modeLabel")
        layout.addWidget(self.mode_label)

    def _build_keys(self) -> KeyChooser:
        self.keys = KeyChooser(self.settings)
        self.keys.organisation_changed.connect(self._organisation_changed)
        # the widgets tests and screens reach directly
        self.key_kind = self.keys.key_kind
        self.key_file = self.keys.key_file
        self.token_combo = self.keys.token_combo
        self.token_refresh = self.keys.token_refresh
        self.remote_url = self.keys.remote_url
        return self.keys

    def _build_placement_box(self) -> QGroupBox:
        place_box = QGroupBox(self.tr("Placement"))
        pv = QVBoxLayout(place_box)
        self.place_draw = QRadioButton(self.tr("Visible, where I drew it on the page"))
        self.place_field = QRadioButton(self.tr("Visible, in an empty signature field:"))
        self.place_invisible = QRadioButton(self.tr("Invisible"))
        self.place_group = QButtonGroup(self)
        for b in (self.place_draw, self.place_field, self.place_invisible):
            self.place_group.addButton(b)
            pv.addWidget(b)
        self.field_combo = QComboBox()
        self.field_combo.setAccessibleName(self.tr("Empty signature field"))
        pv.insertWidget(2, self.field_combo)
        self.place_draw.setChecked(True)
        self.box_label = _note("boxLabel")
        pv.addWidget(self.box_label)
        self.text_size_label = _note("textSizeLabel")
        pv.addWidget(self.text_size_label)
        self.default_place = QPushButton(self.tr("Place at the bottom right"))
        self.default_place.clicked.connect(self.preview.place_default_box)
        pv.addWidget(self.default_place)
        return place_box

    def _build_appearance_box(self) -> QGroupBox:
        app_box = QGroupBox(self.tr("Appearance"))
        af = QFormLayout(app_box)
        self.preset_combo = QComboBox()
        self.preset_combo.setAccessibleName(self.tr("Appearance preset"))
        for preset in self.settings.appearance_presets:
            self.preset_combo.addItem(preset.name, preset)
        if current_language() == "ja":
            # a Japanese template first when the interface is in Japanese
            japanese = [
                i
                for i, p in enumerate(self.settings.appearance_presets)
                if has_japanese(p.template)
            ]
            if japanese:
                self.preset_combo.setCurrentIndex(japanese[0])
        af.addRow(self.tr("Preset:"), self.preset_combo)
        self.template_edit = QPlainTextEdit()
        self.template_edit.setAccessibleName(self.tr("Text"))
        self.template_edit.setFixedHeight(60)
        self.template_edit.setTabChangesFocus(True)
        self.insert_field = insert_field_button(self.template_edit)
        trow = QHBoxLayout()
        trow.addWidget(self.template_edit, 1)
        trow.addWidget(self.insert_field, 0, Qt.AlignmentFlag.AlignTop)
        af.addRow(self.tr("Text:"), trow)
        self.image_edit = self._path_row(
            af, self.tr("Image / hanko:"), self.tr("Image or hanko"), self._browse_image
        )
        self.appearance = AppearancePreview()
        af.addRow(self.appearance)
        self.preset_combo.currentIndexChanged.connect(self._preset_changed)
        self.template_edit.textChanged.connect(self._update_appearance)
        self.image_edit.textChanged.connect(self._update_appearance)
        return app_box

    def _build_options_box(self) -> QGroupBox:
        opt_box = QGroupBox(self.tr("Options"))
        of = QFormLayout(opt_box)
        self._add_level_rows(of)
        self._add_tsa_rows(of)
        self._add_text_rows(of)
        self._add_certify_row(of)
        self._add_output_row(of)
        return opt_box

    def _add_level_rows(self, of: QFormLayout) -> None:
        self.level_combo = QComboBox()
        self.level_combo.setAccessibleName(self.tr("Level"))
        for level in LEVELS:
            self.level_combo.addItem(f"PAdES {level}", level)
        of.addRow(self.tr("Level:"), self.level_combo)
        self.level_note = _note("levelNote")
        of.addRow(self.level_note)
        self.level_combo.currentIndexChanged.connect(lambda _i: self.level_note.clear())
        self._default_level()

    def _add_tsa_rows(self, of: QFormLayout) -> None:
        """The server asked first, and under it the ones asked after it."""
        self.tsa_combo = QComboBox()
        self.tsa_combo.setAccessibleName(self.tr("Timestamp server"))
        self.tsa_combo.setEditable(True)
        for server in self.settings.tsa_servers:
            self.tsa_combo.addItem(f"{server.name} — {server.url}", server.url)
        idx = self.tsa_combo.findData(self.settings.default_tsa)
        self.tsa_combo.setCurrentIndex(max(idx, 0))
        of.addRow(self.tr("Timestamp server:"), self.tsa_combo)
        self.tsa_note = _note("tsaNote")
        of.addRow(self.tsa_note)
        self.tsa_combo.currentTextChanged.connect(lambda _t: self._show_failover())
        self.level_combo.currentIndexChanged.connect(lambda _i: self._show_failover())
        self._show_failover()

    def _add_text_rows(self, of: QFormLayout) -> None:
        """What the signer writes into the signature: reason, location, contact."""
        self.reason_edit = QLineEdit()
        self.reason_edit.setAccessibleName(self.tr("Reason"))
        of.addRow(self.tr("Reason:"), self.reason_edit)
        self.location_edit = QLineEdit()
        self.location_edit.setAccessibleName(self.tr("Location"))
        of.addRow(self.tr("Location:"), self.location_edit)
        self.contact_edit = QLineEdit()
        self.contact_edit.setAccessibleName(self.tr("Contact"))
        of.addRow(self.tr("Contact:"), self.contact_edit)

    def _add_certify_row(self, of: QFormLayout) -> None:
        self.certify_combo = QComboBox()
        self.certify_combo.setAccessibleName(self.tr("Certify"))
        # (the values of the core's CertifyLevel, as ``shomei sign --certify``)
        for text, value in (
            (self.tr("No: an approval signature"), None),
            (self.tr("Yes, allowing no changes"), "no-changes"),
            (self.tr("Yes, allowing form filling"), "form-filling"),
            (self.tr("Yes, allowing form filling and comments"), "annotations"),
        ):
            self.certify_combo.addItem(text, value)
        of.addRow(self.tr("Certify:"), self.certify_combo)

    def _add_output_row(self, of: QFormLayout) -> None:
        self.output_edit = self._path_row(
            of, self.tr("Save as:"), self.tr("Save as"), self._browse_output
        )

    def _path_row(
        self, form: QFormLayout, label: str, name: str, browse: Callable[[], None]
    ) -> QLineEdit:
        """A form row: a path field (``name`` for screen readers) and its Browse button."""
        edit = QLineEdit()
        edit.setAccessibleName(name)
        button = QPushButton(self.tr("Browse…"))
        button.clicked.connect(browse)
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        row.addWidget(button)
        form.addRow(label, row)
        return edit

    def _build_actions(self) -> QHBoxLayout:
        """Back, the progress bar, Cancel and Sign; the status line below."""
        actions = QHBoxLayout()
        self.back_button = QPushButton(self.tr("Back"))
        self.back_button.clicked.connect(self.back_requested)
        self.progress = QProgressBar()
        self.progress.setAccessibleName(self.tr("Progress"))
        self.progress.setRange(0, 0)
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self._cancel)
        self.sign_button = QPushButton(self.tr("Sign"))
        self.sign_button.setObjectName("signButton")
        self.sign_button.setDefault(True)
        self.sign_button.clicked.connect(self.start_signing)
        actions.addWidget(self.back_button)
        actions.addWidget(self.progress, 1)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.sign_button)
        self.status = _note("signStatus")
        return actions

    def _build_column(self, right: QWidget) -> QWidget:
        """The choices in a scroll area, above a footer with the actions."""
        for combo in right.findChildren(QComboBox):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(16)
        right_scroll = QScrollArea()
        right_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        right_scroll.setMinimumWidth(right.minimumSizeHint().width() + 24)
        right_scroll.setWidgetResizable(True)
        right_scroll.setWidget(right)
        # The choices scroll; Back, Sign and the status stay in a footer below
        # them, visible at any window height.
        column = QWidget()
        cv = QVBoxLayout(column)
        cv.setContentsMargins(0, 0, 0, 0)
        cv.addWidget(right_scroll, 1)
        footer = QWidget()
        footer.setObjectName("signFooter")
        fv = QVBoxLayout(footer)
        fv.addLayout(self._build_actions())
        fv.addWidget(self.status)
        cv.addWidget(footer)
        # A wheel turned over a combo or spin box the user has not clicked
        # scrolls the panel instead of changing the value under the pointer.
        self._wheel_guard = WheelGuard(right_scroll, self)
        for widget in (*right.findChildren(QComboBox), *right.findChildren(QSpinBox)):
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            widget.installEventFilter(self._wheel_guard)
        return column

    def _connect_form(self) -> None:
        """What links the preview and the choices."""
        self.prev_button.clicked.connect(
            lambda: self.page_spin.setValue(self.page_spin.value() - 1)
        )
        self.next_button.clicked.connect(
            lambda: self.page_spin.setValue(self.page_spin.value() + 1)
        )
        self.page_spin.valueChanged.connect(lambda v: self.preview.set_page(v - 1))
        self.zoom_combo.currentIndexChanged.connect(
            lambda _i: self.preview.set_zoom(float(self.zoom_combo.currentData()))
        )
        self.preview.box_changed.connect(self._box_changed)
        self.keys.status.connect(self.status.setText)
        self.reason_edit.textChanged.connect(self._update_appearance)
        self.location_edit.textChanged.connect(self._update_appearance)

    def _build_result(self) -> QWidget:
        page = QWidget()
        v = QVBoxLayout(page)
        self.result_title = QLabel()
        self.result_title.setObjectName("resultTitle")
        font = self.result_title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.result_title.setFont(font)
        v.addWidget(self.result_title)
        self.result_path = _note("resultPath")
        self.result_path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        v.addWidget(self.result_path)
        self.result_who = _note("resultWho")
        v.addWidget(self.result_who)
        self.result_warnings = QLabel()
        self.result_warnings.setWordWrap(True)
        v.addWidget(self.result_warnings)
        self.result_banner = Banner()
        self.result_banner.setVisible(False)
        v.addWidget(self.result_banner)
        self.result_note = QLabel()
        self.result_note.setWordWrap(True)
        v.addWidget(self.result_note)
        row = QHBoxLayout()
        self.open_file_button = QPushButton(self.tr("Open the file"))
        self.open_folder_button = QPushButton(self.tr("Open its folder"))
        done = QPushButton(self.tr("Done"))
        self.open_file_button.clicked.connect(lambda: self._open(self.result_path.text()))
        self.open_folder_button.clicked.connect(
            lambda: self._open(os.path.dirname(self.result_path.text()))
        )
        done.clicked.connect(self.back_requested)
        for b in (self.open_file_button, self.open_folder_button, done):
            row.addWidget(b)
        row.addStretch(1)
        v.addLayout(row)
        v.addStretch(1)
        return page

    # --- state -------------------------------------------------------------
    def busy(self) -> bool:
        """A signature is being made (the form belongs to it until it ends)."""
        return self.op is not None

    def open_document(self, path: str, seal: bool) -> None:
        if self.busy():
            # (the running signature keeps its form and its result page)
            self.status.setText(
                self.tr(
                    "A signature is being made; %1 opens when it is done or cancelled."
                ).replace("%1", os.path.basename(path))
            )
            return
        self.input_path = path
        self.seal = seal
        self.stack.setCurrentIndex(0)
        self.preview.load(path)
        self.page_spin.setMaximum(max(self.preview.page_count(), 1))
        self.page_spin.setValue(1)
        self.page_label.setText(self.tr("of %1").replace("%1", str(self.preview.page_count())))
        self.doc_label.setText(path)
        self.mode_label.setText(
            self.tr("Seal: on behalf of the organisation named in the certificate.")
            if seal
            else self.tr("Signature: in your own name.")
        )
        self.sign_button.setText(self.tr("Seal") if seal else self.tr("Sign"))
        self.output_edit.setText(default_output_path(path, seal))
        self.status.clear()
        self._default_level()
        self._show_fields([])
        self._box_changed(0, None)

        def show(fields: list[core.SignatureField]) -> None:
            if self.input_path == path:  # still the same document
                self._show_fields(fields)

        def show_frames(frames: list[PageFrame]) -> None:
            if self.input_path == path:
                self.preview.set_frames(frames)

        # the core parses the PDF: off the GUI thread. The frames only draw
        # the fields where the page shows them (the box drawn is converted
        # by the core, with the file it signs): a failure here is harmless
        Op(self, lambda ctx: core.list_signature_fields(path), show).run()
        Op(self, lambda ctx: core.page_frames(path), show_frames).failure(lambda exc: None).run()

    def _default_level(self) -> None:
        """The configured level, or B-B with the reason when the last server
        test failed (a timestamp would fail the same way)."""
        level, offline = self.settings.sign_level()
        self.level_combo.setCurrentIndex(LEVELS.index(level))
        self.level_note.setText(
            self.tr("No timestamp server answered the last test: B-B") if offline else ""
        )

    def _show_fields(self, fields: list[core.SignatureField]) -> None:
        self.preview.set_fields(fields)
        self.field_combo.clear()
        for f in fields:
            if not f.signed:
                self.field_combo.addItem(
                    self.tr("%1 (page %2)").replace("%1", f.name).replace("%2", str(f.page + 1)),
                    f.name,
                )
        self.place_field.setEnabled(self.field_combo.count() > 0)
        self.field_combo.setEnabled(self.field_combo.count() > 0)
        # only a document's first signature can certify it (PDF's DocMDP rule)
        signed = any(f.signed for f in fields)
        if signed:
            self.certify_combo.setCurrentIndex(0)
        self.certify_combo.setEnabled(not signed)
        self.certify_combo.setToolTip(
            self.tr("Only the first signature of a document can certify it.") if signed else ""
        )

    def _box_changed(self, page: int, box: Box | None) -> None:
        if box is None:
            self.box_label.setText(self.tr("No box drawn yet."))
            return
        w, h = box[2] - box[0], box[3] - box[1]
        self.box_label.setText(
            self.tr("Page %1: %2 × %3 pt at (%4, %5) from the bottom left.")
            .replace("%1", str(page + 1))
            .replace("%2", f"{w:.0f}")
            .replace("%3", f"{h:.0f}")
            .replace("%4", f"{box[0]:.0f}")
            .replace("%5", f"{box[1]:.0f}")
        )
        self.place_draw.setChecked(True)
        self._update_appearance()

    def _preset_changed(self, _i: int) -> None:
        preset = self.preset_combo.currentData()
        if preset is not None:
            self.template_edit.setPlainText(to_user(preset.template))
            self.image_edit.setText(preset.image_path)

    def stamp_request(self) -> StampRequest | None:
        """The stamp the drawn box would get, or None without a box."""
        box = self.preview.box
        if box is None:
            return None
        return StampRequest(
            template=to_core(self.template_edit.toPlainText()) or None,
            image_path=self.image_edit.text().strip() or None,
            seal=self.seal,
            size=(box[2] - box[0], box[3] - box[1]),
            signer=self.sample_signer,
            reason=self.reason_edit.text().strip() or None,
            location=self.location_edit.text().strip() or None,
            organisation=self.keys.organisation or None,
            user_unit=self.preview.frame(self.preview.box_page).user_unit,
        )

    def _update_appearance(self) -> None:
        """Ask the core for the stamp again (built off the GUI thread)."""
        self.stamps.request(self.stamp_request())

    def _stamp_ready(self, picture: StampPicture | None) -> None:
        self.preview.set_stamp(picture)
        self.appearance.set_picture(picture)
        label = self.text_size_label
        if picture is None:
            label.clear()
            return
        size = f"{picture.text_pt:.1f}"
        if picture.legibility is Legibility.TOO_SMALL:
            text = self.tr(
                "Text size: %1 pt. Too small: under %2 pt the signature is refused. "
                "Make the box larger."
            ).replace("%2", f"{TEXT_FLOOR_PT:g}")
            colour = "#b00020"
        elif picture.legibility is Legibility.SMALL:
            text = self.tr(
                "Text size: %1 pt. Small: under %2 pt it may be hard to read. Make the box larger."
            ).replace("%2", f"{TEXT_WARN_PT:g}")
            colour = "#8a5a00"
        else:
            text, colour = self.tr("Text size: %1 pt."), ""
        label.setText(text.replace("%1", size))
        label.setStyleSheet(f"color: {colour}; font-weight: bold;" if colour else "")

    def _stamp_failed(self, exc: BaseException) -> None:
        self.preview.set_stamp(None)
        self.appearance.set_picture(None, error_title(exc))
        self.text_size_label.setText(error_title(exc) + "\n" + error_detail(exc))
        self.text_size_label.setStyleSheet("color: #b00020;")

    def too_small(self) -> str | None:
        """Why the drawn box is refused, when its built stamp's text is under
        the core's floor (a stamp still being built is checked by the core)."""
        picture = self.stamps.current
        request = self.stamp_request()
        if picture is None or request is None or picture.request != request:
            return None
        if picture.legibility is not Legibility.TOO_SMALL:
            return None
        return (
            self.tr(
                "The signature box is too small: its text would be %1 pt, under the %2 pt "
                "minimum. Make the box larger."
            )
            .replace("%1", f"{picture.text_pt:.1f}")
            .replace("%2", f"{TEXT_FLOOR_PT:g}")
        )

    def _browse_image(self) -> None:
        path, _f = QFileDialog.getOpenFileName(
            self, self.tr("Choose an image"), "", self.tr("Images (*.png *.jpg *.jpeg)")
        )
        if path:
            self.image_edit.setText(path)

    def _browse_output(self) -> None:
        path, _f = QFileDialog.getSaveFileName(
            self, self.tr("Save the signed file as"), self.output_edit.text(), "PDF (*.pdf)"
        )
        if path:
            self.output_edit.setText(path)

    def _organisation_changed(self, organisation: str) -> None:
        self._update_appearance()  # (a seal's stamp names the organisation)
        if self.seal and organisation:
            self.mode_label.setText(self.tr("Seal on behalf of: %1").replace("%1", organisation))

    # --- signing -----------------------------------------------------------
    def key_choice(self) -> core.KeyChoice:
        return self.keys.key_choice()

    def placement(self) -> core.Placement:
        if self.place_invisible.isChecked():
            return core.Placement()
        if self.place_field.isChecked() and self.field_combo.currentData():
            return core.Placement(existing_field=str(self.field_combo.currentData()))
        return core.Placement(page=self.preview.box_page, box=self.preview.box)

    def tsa_url(self) -> str | None:
        """The time-stamping server: a listed one as chosen, else what was typed
        (an editable combo keeps the last chosen item's data under new text)."""
        combo = self.tsa_combo
        text = combo.currentText().strip()
        index = combo.currentIndex()
        if index >= 0 and text == combo.itemText(index).strip() and combo.currentData():
            return str(combo.currentData())
        return text or None

    def _show_failover(self) -> None:
        """Under the server: the ones asked after it when it does not answer."""
        urls = self.build_tsa_urls()[1:]
        names = {s.url: s.name for s in self.settings.tsa_servers}
        self.tsa_note.setText(
            self.tr("If it does not answer: %1").replace(
                "%1", " → ".join(names.get(u, u) for u in urls)
            )
            if urls
            else ""
        )

    def build_tsa_urls(self) -> tuple[str, ...]:
        """The servers the signature asks in turn (none at B-B)."""
        if self.level_combo.currentData() == "B-B":
            return ()
        return self.settings.tsa_urls(self.tsa_url())

    def build_job(self) -> core.SignJob:
        certify = self.certify_combo.currentData()
        image = self.image_edit.text().strip() or None
        return core.SignJob(
            input_path=self.input_path,
            output_path=self.output_edit.text().strip(),
            key=self.key_choice(),
            seal=self.seal,
            level=str(self.level_combo.currentData()),
            tsa_urls=self.build_tsa_urls(),
            reason=self.reason_edit.text().strip() or None,
            location=self.location_edit.text().strip() or None,
            contact=self.contact_edit.text().strip() or None,
            certify=str(certify) if certify else None,
            placement=self.placement(),
            appearance=core.AppearanceChoice(
                template=to_core(self.template_edit.toPlainText()), image_path=image
            ),
            network=self.settings.network(),
            trust_roots=self.settings.user_anchors,
        )

    def problems(self, job: core.SignJob) -> list[str]:
        out = []
        if not job.output_path:
            out.append(self.tr("Choose where to save the signed file."))
        elif os.path.abspath(job.output_path) == os.path.abspath(job.input_path):
            out.append(self.tr("Save the signed file under a new name: the original is kept."))
        if job.key.kind == "pkcs12" and not (job.key.path and os.path.isfile(job.key.path)):
            out.append(self.tr("Choose a key file."))
        if job.key.kind == "pkcs11" and not job.key.token_spec:
            out.append(self.tr("Choose a token."))
        if job.key.kind == "remote" and not (job.key.service_url and job.key.credential):
            out.append(self.tr("Enter the address of the signing service and the credential."))
        if self.place_draw.isChecked() and job.placement.box is None:
            out.append(self.tr("Draw a box on the page, or choose an invisible signature."))
        elif self.place_draw.isChecked():
            reason = self.too_small()
            if reason:
                out.append(reason)
        return out

    def start_signing(self) -> None:
        job = self.build_job()
        problems = self.problems(job)
        if problems:
            self.status.setText("\n".join(problems))
            return
        self.status.clear()
        self.status.setAccessibleName("")
        if os.path.exists(job.output_path) and not self._may_replace(job.output_path):
            return
        if job.key.kind == "pkcs11" and job.key.cert_der:
            # the token showed its certificate before the PIN: warn now; a My
            # Number card shows it only after the PIN, and the core's confirm
            # hook asks then (never twice: an accepted warning is passed on)
            self._check_jpki(job, lambda: self._run_sign(job, ("jpki-privacy",)))
        else:
            self._run_sign(job)

    def _may_replace(self, path: str) -> bool:
        """The output exists (an earlier signed copy, say): replace it only
        when the user says so."""
        answer = QMessageBox.question(
            self,
            self.tr("Replace the file?"),
            self.tr("%1 already exists. Replace it with the new signed file?").replace(
                "%1", os.path.basename(path)
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _check_jpki(self, job: core.SignJob, then: Callable[[], None]) -> None:
        lang = current_language()
        self._busy(True)  # (a second click must not start a second signature)

        def ask(ctx: OpContext) -> str | None:
            return core.jpki_privacy_warning(job.key, lang)

        def show(text: str | None) -> None:
            self._busy(False)
            if not text:
                self._run_sign(job)
                return
            box = QMessageBox(self)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle(self.tr("My Number card"))
            box.setText(text)
            box.setStandardButtons(
                QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel
            )
            box.setObjectName("jpkiWarning")
            box.finished.connect(lambda r: then() if r == QMessageBox.StandardButton.Ok else None)
            box.open()

        Op(self, ask, show).failure(self._failed).finally_(
            lambda: self._busy(self.op is not None)
        ).run()

    def _run_sign(self, job: core.SignJob, confirmed: tuple[str, ...] = ()) -> None:
        self._busy(True)
        prompt = self.prompt
        confirm = self.confirm
        lang = current_language()

        def work(ctx: OpContext) -> core.SignOutcome:
            return core.sign(job, prompt, ctx.cancel, confirm, lang, confirmed)

        self.op = (
            Op(self, work, lambda outcome: self._signed(outcome, job))
            .failure(lambda exc: self._sign_failed(exc, job, confirmed))
            .finally_(lambda: self._busy(False))
        )
        self.op.run()

    def _cancel(self) -> None:
        if self.op is not None:
            self.op.cancel()
            self.status.setText(self.tr("Cancelling…"))

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.sign_button.setEnabled(not busy)
        self.back_button.setEnabled(not busy)
        if not busy:
            self.op = None

    def _sign_failed(
        self, exc: BaseException, job: core.SignJob, confirmed: tuple[str, ...]
    ) -> None:
        if isinstance(exc, TimestampError) and job.level != "B-B":
            self._offer_tsa_fallback(exc, job, confirmed)
        else:
            self._failed(exc)

    def next_tsa_urls(self, tried: tuple[str, ...]) -> tuple[str, ...]:
        """The configured servers not yet tried, in the settings' order from
        the one after the last tried (the core fails over along them)."""
        urls = [s.url for s in self.settings.tsa_servers]
        start = urls.index(tried[-1]) + 1 if tried and tried[-1] in urls else 0
        ordered = urls[start:] + urls[:start]
        return tuple(u for u in ordered if u not in tried)

    def _offer_tsa_fallback(
        self, exc: BaseException, job: core.SignJob, confirmed: tuple[str, ...]
    ) -> None:
        """No time-stamping server answered: try the next configured ones,
        sign at B-B (no timestamp) on purpose, or cancel. Nothing was saved."""
        nxt = self.next_tsa_urls(job.tsa_urls)
        names = {s.url: s.name for s in self.settings.tsa_servers}
        self.status.setText(error_title(exc) + "\n" + error_detail(exc))
        box = QMessageBox(self)
        box.setObjectName("tsaFailure")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("No timestamp"))
        box.setText(
            self.tr("The timestamp server did not answer, so nothing was saved.")
            + "\n"
            + error_detail(exc)
        )
        self.tsa_next_button = None
        if nxt:
            self.tsa_next_button = box.addButton(
                self.tr("Try the next server: %1").replace("%1", names.get(nxt[0], nxt[0])),
                QMessageBox.ButtonRole.AcceptRole,
            )
            box.setInformativeText(
                self.tr("Servers tried in turn: %1").replace(
                    "%1", " → ".join(names.get(u, u) for u in nxt)
                )
            )
        self.tsa_bb_button = box.addButton(
            self.tr("Continue without a timestamp (PAdES B-B)"), QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton(QMessageBox.StandardButton.Cancel)
        self.tsa_dialog = box

        def answered(_code: int) -> None:
            self.tsa_dialog = None
            clicked = box.clickedButton()
            if nxt and clicked is self.tsa_next_button:
                self._run_sign(replace(job, tsa_urls=nxt), confirmed)
            elif clicked is self.tsa_bb_button:
                self._run_sign(replace(job, level="B-B", tsa_urls=()), confirmed)
            else:
                self.status.setText(self.tr("Not signed: no timestamp server answered."))

        box.finished.connect(answered)
        box.open()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(error_title(exc) + "\n" + error_detail(exc))
        self.status.setAccessibleName(error_title(exc))
        show_error(self, exc)

    def _signed(self, outcome: core.SignOutcome, job: core.SignJob) -> None:
        self.stack.setCurrentIndex(1)
        self.result_title.setText(
            self.tr("Sealed and saved") if job.seal else self.tr("Signed and saved")
        )
        self.result_path.setText(outcome.output_path)
        self.result_banner.setVisible(False)
        who = outcome.organisation if job.seal and outcome.organisation else outcome.signer
        self.result_who.setText(self.tr("Signed as: %1").replace("%1", who or "?"))
        self.result_warnings.setText("\n".join(outcome.warnings))
        self.result_note.setText(self.tr("Checking the new signature…"))
        self.signed.emit(outcome.output_path)
        config = self.settings.validation()
        path = outcome.output_path

        def check(ctx: OpContext) -> object:
            return core.validate_file(path, config)

        def show(result: object) -> None:
            from signing.api import FileResult

            assert isinstance(result, FileResult)
            if self.result_path.text() != path:
                return  # the check of an earlier signature, finishing late
            self.result_banner.show_result(result)
            self.result_banner.setVisible(True)
            self.result_note.clear()

        def failed(exc: BaseException) -> None:
            if self.result_path.text() == path:
                self.result_note.setText(error_title(exc) + " " + error_detail(exc))

        Op(self, check, show).failure(failed).run()

    def _open(self, path: str) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(path))
