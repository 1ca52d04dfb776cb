"""The validation screen: one banner for the file, one card per signature or
timestamp, export buttons."""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.certificate_dialog import SIGNER, TSA, certificate_button_text, tsa_button_text
from desktop.document_pane import DocumentPane
from desktop.i18n import current_language, tr_functions
from desktop.trust_chip import TrustChip
from desktop.verdict_style import banner_colours, verdict_pixmap, verdict_words
from signing.api import (
    EntryStory,
    FileStory,
    TrustListState,
    entry_story,
    file_story,
    text,
    word,
)
from signing.model.labels import Lang
from signing.model.results import (
    EntryKind,
    FileResult,
    Level,
    Qualification,
    Reason,
    SignatureResult,
    SignerKind,
    Verdict,
)

_t, _tn = tr_functions("validation")


def fmt_time(dt: datetime | None) -> str:
    if dt is None:
        return _t("unknown")
    return dt.strftime("%Y-%m-%d %H:%M:%S %Z").strip()


def reason_text(reason: Reason) -> str:
    """A core sentence in the interface language (the core's catalogue has both)."""
    return text(reason, current_language())


def qualification_text(q: Qualification) -> str:
    return {
        Qualification.QESIG: _t("Qualified electronic signature (QES)"),
        Qualification.QESEAL: _t("Qualified electronic seal"),
        Qualification.ADESIG_QC: _t("Advanced signature with a qualified certificate"),
        Qualification.ADESEAL_QC: _t("Advanced seal with a qualified certificate"),
        Qualification.ADESIG: _t("Advanced electronic signature"),
        Qualification.ADESEAL: _t("Advanced electronic seal"),
        Qualification.QTST: _t("Qualified electronic timestamp"),
        Qualification.TST: _t("Timestamp (not qualified)"),
        Qualification.NOT_QUALIFIED: _t("Not qualified"),
        Qualification.NOT_EU_LISTED: _t("Not on an EU trusted list"),
        Qualification.INDETERMINATE: _t("Qualification cannot be determined"),
        Qualification.NOT_ASSESSED: _t("Not assessed"),
    }[q]


def kind_text(sig: SignatureResult) -> str:
    if sig.kind is EntryKind.DOCUMENT_TIMESTAMP:
        return _t("Document timestamp")
    return {
        SignerKind.NATURAL_PERSON: _t("Signature (a person)"),
        SignerKind.LEGAL_PERSON: _t("Seal (an organisation)"),
        SignerKind.UNKNOWN: _t("Signature"),
    }[sig.signer_kind]


def level_text(level: Level) -> str:
    if level is Level.NONE:
        return _t("Not a PAdES baseline signature")
    return f"PAdES {level.value}"


def who_text(sig: SignatureResult) -> str:
    if sig.kind is EntryKind.DOCUMENT_TIMESTAMP:
        tsa = sig.signature_timestamp.tsa if sig.signature_timestamp else None
        cert = tsa or sig.signer
    else:
        cert = sig.signer
    if cert is None:
        return _t("unknown")
    name = cert.common_name or cert.subject
    if cert.organisation and cert.organisation != name:
        return f"{name} ({cert.organisation})"
    return name


def time_text(sig: SignatureResult, entry: EntryStory | None = None) -> str:
    """When, and what proves it (the story's words: a signature timestamp, a
    document timestamp, a later archive timestamp, or only the signer's claim)."""
    entry = entry or entry_story(sig, 1)
    return reason_text(entry.time.message)


def change_text(sig: SignatureResult, entry: EntryStory | None = None) -> str:
    """What changed since signing, in the story's one vocabulary."""
    entry = entry or entry_story(sig, 1)
    return reason_text(entry.change.message)


def eu_text(sig: SignatureResult, entry: EntryStory | None = None) -> str:
    """The EU column; when not assessed, the EU layer's own reason why."""
    if sig.eu_qualification in (Qualification.NOT_ASSESSED, Qualification.INDETERMINATE):
        entry = entry or entry_story(sig, 1)
        return reason_text(entry.eu)
    return qualification_text(sig.eu_qualification)


def details_html(sig: SignatureResult, entry: EntryStory | None = None) -> str:
    e = html.escape
    entry = entry or entry_story(sig, 1)
    rows: list[str] = []
    rows.append(f"<b>{e(_t('Field'))}:</b> {e(sig.field_name)}")
    raw = sig.indication.value + (f" / {sig.subindication}" if sig.subindication else "")
    rows.append(f"<b>{e(_t('Indication'))}:</b> {e(raw)}")
    if sig.subfilter:
        rows.append(f"<b>{e(_t('Format'))}:</b> {e(sig.subfilter)}")
    algs = " / ".join(a for a in (sig.signature_algorithm, sig.digest_algorithm) if a)
    if algs:
        rows.append(f"<b>{e(_t('Algorithms'))}:</b> {e(algs)}")
    for label, value in ((_t("Reason"), sig.reason), (_t("Location"), sig.location)):
        if value:
            rows.append(f"<b>{e(label)}:</b> {e(value)}")
    if sig.chain:
        rows.append(f"<b>{e(_t('Certificate chain'))}:</b>")
        items = []
        for el in sig.chain:
            c = el.certificate
            parts = [
                e(c.subject),
                e(
                    _t("valid %1 to %2")
                    .replace("%1", fmt_time(c.not_before))
                    .replace("%2", fmt_time(c.not_after))
                ),
                e(
                    _t("revocation: %1 (%2)")
                    .replace("%1", el.revocation_status.value)
                    .replace("%2", el.revocation_source.value)
                ),
            ]
            if el.is_trust_anchor:
                parts.append(e(_t("trust anchor from %1").replace("%1", c.trust_source or "?")))
            items.append("<li>" + "<br>".join(parts) + "</li>")
        rows.append("<ul>" + "".join(items) + "</ul>")
    stamps = [sig.signature_timestamp] if sig.signature_timestamp else []
    stamps += list(sig.covering_timestamps)
    if stamps:
        rows.append(f"<b>{e(_t('Timestamps'))}:</b>")
        items = []
        for ts in stamps:
            who = (ts.tsa.common_name or ts.tsa.subject) if ts.tsa else "?"
            state = _t("intact, trusted") if ts.intact and ts.trusted else _t("not trusted")
            items.append(f"<li>{e(fmt_time(ts.time))} — {e(who)} — {e(state)}</li>")
        rows.append("<ul>" + "".join(items) + "</ul>")
    lang: Lang = "ja" if current_language() == "ja" else "en"
    rows.append(f"<b>{e(word('revocation', lang))}:</b> {e(reason_text(entry.revocation))}")
    if sig.eu_reasons:
        rows.append(f"<b>{e(_t('EU qualification notes'))}:</b>")
        rows.append(
            "<ul>" + "".join(f"<li>{e(reason_text(r))}</li>" for r in sig.eu_reasons) + "</ul>"
        )
    # the raw causes (a library's own text): collapsed here, never in a sentence
    technical = [r.technical for r in sig.reasons if r.technical]
    if technical:
        rows.append(f"<b>{e(word('technical', lang))}:</b>")
        rows.append("<ul>" + "".join(f"<li>{e(t)}</li>" for t in technical) + "</ul>")
    return "<br>".join(rows)


def _value(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setObjectName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class Banner(QFrame):
    """The file's verdict: icon, words, a one-line explanation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        self.icon = QLabel()
        self.icon.setObjectName("bannerIcon")
        # the icon keeps its size; the words take the width (a long headline
        # wrapped in a narrow column beside a wide empty icon cell)
        self.icon.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        self.title = QLabel()
        self.title.setObjectName("bannerTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("bannerSubtitle")
        self.subtitle.setWordWrap(True)
        for label in (self.title, self.subtitle):
            label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        # the trusted lists' state: about this computer, not the file
        self.trust_lists = QLabel()
        self.trust_lists.setObjectName("bannerTrustLists")
        self.trust_lists.setWordWrap(True)
        self.trust_lists.setVisible(False)
        # "Validated as of …": a time the user chose, not now, right under the
        # verdict (every word below is as of then)
        self.as_of = QLabel()
        self.as_of.setObjectName("bannerAsOf")
        self.as_of.setWordWrap(True)
        as_of_font = self.as_of.font()
        as_of_font.setBold(True)
        self.as_of.setFont(as_of_font)
        self.as_of.setVisible(False)
        text.addWidget(self.title)
        text.addWidget(self.as_of)
        text.addWidget(self.subtitle)
        self.trust_row = QHBoxLayout()
        self.trust_row.addWidget(self.trust_lists, 1)
        self.trust_actions: list[QWidget] = []
        text.addLayout(self.trust_row)
        layout.addLayout(text, 1)
        self.verdict: Verdict | None = None

    def show_result(
        self,
        result: FileResult,
        palette: QPalette | None = None,
        story: FileStory | None = None,
    ) -> None:
        """``palette``: the surroundings' palette (the banner's own is
        changed by its style sheet). ``story``: the result's story (made
        here when not given); the banner renders it, nothing else."""
        story = story or file_story(result)
        self.verdict = result.verdict
        parent = self.parentWidget()
        palette = palette or (parent.palette() if parent else self.palette())
        bg, border = banner_colours(result.verdict, palette)
        self.setStyleSheet(
            f"QFrame#banner {{ background: {bg.name()}; border: 2px solid {border.name()};"
            " border-radius: 6px; }"
        )
        self.icon.setPixmap(verdict_pixmap(result.verdict, 40, self.devicePixelRatioF()))
        self.icon.setAccessibleName(verdict_words(result.verdict))
        if result.error is not None:
            title = _t("This file could not be checked")
        elif not result.signatures:
            title = _t("This document is not signed")
        else:
            title = verdict_words(result.verdict)
        # the one reason that decides the verdict, the same line as the CLI
        # and the report; each note once (a file error is not repeated)
        lines = [reason_text(story.headline)]
        lines += [reason_text(r) for r in story.notes if reason_text(r) not in lines]
        sub = "\n".join(lines)
        lists = story.trust_lists.message if story.trust_lists is not None else None
        self.trust_lists.setText(reason_text(lists) if lists is not None else "")
        self.trust_lists.setVisible(lists is not None)
        for widget in self.trust_actions:  # "Update now" beside the note
            widget.setVisible(lists is not None)
        as_of = reason_text(story.as_of) if story.as_of is not None else ""
        self.as_of.setText(as_of)
        self.as_of.setVisible(bool(as_of))
        self.title.setText(title)
        self.subtitle.setText(sub)
        self.setAccessibleName(". ".join(t for t in (title, as_of, sub) if t))


class SignatureCard(QGroupBox):
    #: "signer" or "tsa": the user asked for that certificate (the viewer opens)
    certificate_requested = Signal(str)

    def __init__(
        self,
        index: int,
        sig: SignatureResult,
        parent: QWidget | None = None,
        entry: EntryStory | None = None,
    ) -> None:
        super().__init__(parent)
        self.sig = sig
        entry = entry or entry_story(sig, index)
        self.setObjectName(f"card{index}")
        self.setTitle(f"{index}. {kind_text(sig)} — {who_text(sig)}")
        outer = QVBoxLayout(self)
        head = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(verdict_pixmap(sig.verdict, 22, self.devicePixelRatioF()))
        head.addWidget(icon)
        self.verdict_label = QLabel(verdict_words(sig.verdict))
        self.verdict_label.setObjectName("cardVerdict")
        bold = self.verdict_label.font()
        bold.setBold(True)
        self.verdict_label.setFont(bold)
        head.addWidget(self.verdict_label, 1)
        outer.addLayout(head)
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        rows = [
            (_t("Who"), who_text(sig), "who"),
            (_t("Type"), kind_text(sig), "type"),
            (_t("Time"), time_text(sig, entry), "time"),
            (_t("Level"), level_text(sig.level), "level"),
            (_t("Changed after signing"), change_text(sig, entry), "changed"),
        ]
        for r, (label, value, name) in enumerate(rows):
            grid.addWidget(QLabel(label + ":"), r, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(_value(value, name), r, 1, 1, 3)
        ts = sig.signature_timestamp
        self.tsa_button: QToolButton | None = None
        if sig.kind is EntryKind.SIGNATURE and ts is not None and ts.tsa is not None:
            # the TSA's certificate, from the timestamp's line
            self.tsa_button = QToolButton()
            self.tsa_button.setObjectName("tsaCertificateButton")
            self.tsa_button.setText(tsa_button_text())
            self.tsa_button.clicked.connect(lambda: self.certificate_requested.emit(TSA))
        # the EU and Japanese statuses on rows of their own: side by side,
        # a card beside the document squeezed them to a word a line
        r = len(rows)
        grid.addWidget(QLabel(_t("EU") + ":"), r, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(_value(eu_text(sig, entry), "eu"), r, 1, 1, 3)
        grid.addWidget(QLabel(_t("Japan") + ":"), r + 1, 0, Qt.AlignmentFlag.AlignTop)
        jp_text = reason_text(entry.jp) if entry.jp is not None else _t("Not assessed")
        grid.addWidget(_value(jp_text, "jp"), r + 1, 1, 1, 3)
        outer.addLayout(grid)
        # the deciding reason first, then the others
        shown = (entry.decisive, *entry.others) if entry.decisive in sig.reasons else entry.others
        for reason in shown:
            outer.addWidget(_value("• " + reason_text(reason), "reason"))
        self.details_button = QToolButton()
        self.details_button.setText(_t("Details"))
        self.details_button.setCheckable(True)
        self.details_button.setArrowType(Qt.ArrowType.RightArrow)
        self.details_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.details_button.setAccessibleName(_t("Show details"))
        actions = QHBoxLayout()
        actions.addWidget(self.details_button)
        actions.addStretch(1)
        if self.tsa_button is not None:
            actions.addWidget(self.tsa_button)
        self.certificate_button = QPushButton(certificate_button_text())
        self.certificate_button.setObjectName("certificateButton")
        self.certificate_button.setEnabled(sig.signer is not None)
        self.certificate_button.clicked.connect(lambda: self.certificate_requested.emit(SIGNER))
        actions.addWidget(self.certificate_button)
        outer.addLayout(actions)
        self.details = _value(details_html(sig, entry), "details")
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setVisible(False)
        outer.addWidget(self.details)
        self.details_button.toggled.connect(self._toggle)

    def _toggle(self, on: bool) -> None:
        self.details.setVisible(on)
        self.details_button.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)


class ValidationView(QWidget):
    """Shows one :class:`FileResult`."""

    export_requested = Signal(str)  # "pdf" | "xml" | "json"
    sign_requested = Signal(str)  # path
    #: the banner's "Update now" beside an out-of-date or missing lists note
    update_trust_requested = Signal()
    #: a card's "Certificate…" (SignatureResult, "signer" | "tsa")
    certificate_requested = Signal(object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("validationView")
        self.result: FileResult | None = None
        self.story: FileStory | None = None
        layout = QVBoxLayout(self)
        self.file_label = QLabel()
        self.file_label.setObjectName("fileLabel")
        self.file_label.setWordWrap(True)
        layout.addWidget(self.file_label)
        self.trust_chip = TrustChip()
        layout.addWidget(self.trust_chip)
        self.banner = Banner()
        self.update_trust = QPushButton(self.tr("Update now"))
        self.update_trust.setObjectName("updateTrustLists")
        self.update_trust.setVisible(False)
        self.update_trust.clicked.connect(self.update_trust_requested)
        self.banner.trust_row.addWidget(self.update_trust)
        self.banner.trust_actions.append(self.update_trust)
        # the document on one side, the verdict and the cards on the other
        self.document_pane = DocumentPane()
        side = QWidget()
        side.setObjectName("verdictSide")
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.banner)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.cards_host = QWidget()
        self.cards_layout = QVBoxLayout(self.cards_host)
        self.cards_layout.addStretch(1)
        self.scroll_area.setWidget(self.cards_host)
        side_layout.addWidget(self.scroll_area, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("verdictSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.document_pane)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        #: the user moved the divider: their widths stand
        self._user_sized = False
        self.splitter.splitterMoved.connect(self._divider_moved)
        layout.addWidget(self.splitter, 1)
        buttons = QHBoxLayout()
        self.export_pdf = QPushButton(self.tr("Save report (PDF)…"))
        self.export_xml = QPushButton(self.tr("Save ETSI report (XML)…"))
        self.export_json = QPushButton(self.tr("Save JSON…"))
        self.sign_button = QPushButton(self.tr("Sign this document…"))
        for b, fmt in (
            (self.export_pdf, "pdf"),
            (self.export_xml, "xml"),
            (self.export_json, "json"),
        ):
            b.clicked.connect(lambda _c=False, f=fmt: self.export_requested.emit(f))
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.sign_button.clicked.connect(self._sign)
        buttons.addWidget(self.sign_button)
        layout.addLayout(buttons)
        self.cards: list[SignatureCard] = []
        #: the card whose signature the document shows (None: none chosen)
        self.selected_card: SignatureCard | None = None

    def changeEvent(self, event: QEvent) -> None:
        # the system switched between light and dark: recolour the banner
        if event.type() == QEvent.Type.PaletteChange and self.result is not None:
            self.banner.show_result(self.result, self.palette(), self.story)
        super().changeEvent(event)

    def _sign(self) -> None:
        if self.result is not None:
            self.sign_requested.emit(self.result.path)

    def show_result(self, result: FileResult, trust_lists: TrustListState | None = None) -> None:
        """Render ``result``'s story (``trust_lists``: the state of the lists
        the validation used, shown in the banner when something is wrong)."""
        self.result = result
        self.scroll_area.verticalScrollBar().setValue(0)  # a new result starts at its top
        self.story = file_story(result, trust_lists)
        self.file_label.setText(result.path)
        self.banner.show_result(result, story=self.story)
        for card in self.cards:
            card.deleteLater()
        self.cards = []
        self.selected_card = None
        for sig, entry in zip(result.signatures, self.story.entries, strict=True):
            card = SignatureCard(entry.index, sig, entry=entry)
            card.certificate_requested.connect(
                lambda which, s=sig: self.certificate_requested.emit(s, which)
            )
            self.cards.append(card)
            self.cards_layout.insertWidget(self.cards_layout.count() - 1, card)
            self._make_selectable(card)
        self.document_pane.show_file(result)
        self._balance()
        has = bool(result.signatures) and result.error is None
        for b in (self.export_pdf, self.export_xml, self.export_json):
            b.setEnabled(has)

    # --- the divider: the cards keep their width, the document takes the rest ----
    def _divider_moved(self, _pos: int, _index: int) -> None:
        self._user_sized = True

    def _balance(self) -> None:
        """Give the cards the width they need (at least 42 %, the document
        at least 320 px), unless the user placed the divider."""
        total = self.splitter.width()
        if self._user_sized or total <= 0:
            return
        bar = self.scroll_area.verticalScrollBar().sizeHint().width()
        need = self.cards_host.minimumSizeHint().width() + bar + 4
        side = min(max(need, int(total * 0.42)), max(total - 320, total // 2))
        self.splitter.setSizes([total - side, side])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._balance()

    # --- choosing a signature: its field in the document ------------------------
    def _make_selectable(self, card: SignatureCard) -> None:
        """A click anywhere on a card (or Tab onto it) selects its signature."""
        card.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        card.setAccessibleDescription(_t("Select to show this signature's field in the document"))
        card.installEventFilter(self)
        for child in card.findChildren(QWidget):
            child.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.FocusIn):
            for card in self.cards:
                if watched is card or (isinstance(watched, QWidget) and card.isAncestorOf(watched)):
                    self.select_card(card)
                    break
        return super().eventFilter(watched, event)

    def select_card(self, card: SignatureCard | None) -> None:
        """Show ``card``'s signature in the document (its field outlined)."""
        if card is self.selected_card:
            return
        if self.selected_card is not None:
            self.selected_card.setStyleSheet("")
        self.selected_card = card
        if card is not None:
            colour = self.palette().color(QPalette.ColorRole.Highlight).name()
            card.setStyleSheet(
                f"QGroupBox#{card.objectName()} {{ border: 2px solid {colour};"
                " border-radius: 4px; margin-top: 1.2em; padding-top: 4px; }"
                f" QGroupBox#{card.objectName()}::title {{ subcontrol-origin: margin;"
                " left: 8px; padding: 0 3px; }"
            )
        self.document_pane.select(card.sig if card is not None else None)
