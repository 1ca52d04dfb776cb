"""The certificate viewer: the signer's, the TSA's or any chain certificate of
a signature, its path as a tree to click through, and "Export…" and "Trust
this certificate…".

Everything shown comes from the validation result (``CertificateInfo``, the
chain, the EU entry and the Japanese path) and from
``signing.api.certificate_details`` over the DER the result carries; nothing
here reads a certificate itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import current_language, tr_functions
from signing.errors import ShomeiError
from signing.model.labels import Lang, revocation_text, service_status_label
from signing.model.results import (
    CertificateInfo,
    ChainElement,
    EntryKind,
    ListedService,
    Qualification,
    SignatureResult,
)

if TYPE_CHECKING:
    from desktop.settings import AppSettings
    from signing.api import CertificateDetails

_t, _tn = tr_functions("certificate")

SIGNER, TSA = "signer", "tsa"
#: where "Trust this certificate…" keeps the files it adds to the user's anchors
TRUSTED_FOLDER = "trusted-certificates"


def certificate_button_text() -> str:
    return _t("Certificate…")


def tsa_button_text() -> str:
    return _t("Timestamp certificate…")


@dataclass(frozen=True)
class PathNode:
    """One certificate of the path shown: its facts and, from the validated
    chain, its revocation and anchor status."""

    info: CertificateInfo
    element: ChainElement | None = None


def certificate_path(sig: SignatureResult, which: str) -> tuple[PathNode, ...]:
    """The certificates to show, the viewed one first and its anchor last:
    the validated chain; else the path a trust column followed (the file's
    own certificates); else the certificate alone."""
    if which == TSA and sig.kind is EntryKind.SIGNATURE:
        ts = sig.signature_timestamp
        if ts is None or ts.tsa is None:
            return ()
        return tuple(PathNode(c) for c in ts.chain) if ts.chain else (PathNode(ts.tsa),)
    if sig.chain:
        nodes = tuple(PathNode(el.certificate, el) for el in sig.chain)
    elif sig.signer is not None:
        nodes = (PathNode(sig.signer),)
    else:
        return ()
    if len(nodes) == 1:
        for path in (sig.eu_path, sig.jp_path):
            if path is not None and len(path.certificates) > 1:
                return (nodes[0], *(PathNode(c) for c in path.certificates[1:]))
    return nodes


def validity_state(info: CertificateInfo, at: datetime) -> str:
    """ "valid", "expired" or "not-yet-valid" at ``at``."""
    if at < info.not_before:
        return "not-yet-valid"
    if at > info.not_after:
        return "expired"
    return "valid"


def fingerprint(hex_digest: str) -> str:
    """ "AB:CD:…": how certificate viewers show a fingerprint."""
    h = hex_digest.upper()
    return ":".join(h[i : i + 2] for i in range(0, len(h), 2))


def _fingerprint_lines(hex_digest: str) -> str:
    # 16 bytes a line: a line the width of the window would push the
    # wrapped fields out of view
    return "\n".join(fingerprint(hex_digest[i : i + 32]) for i in range(0, len(hex_digest), 32))


def add_trusted_certificate(settings: AppSettings, der: bytes, folder: Path) -> AppSettings:
    """``settings`` with ``der`` among the user's trust anchors: written as a
    PEM file in ``folder`` (atomically, through the core's writer) and its
    path added to ``user_anchors`` (once)."""
    import hashlib

    from signing.api import atomic_write, certificate_pem

    name = hashlib.sha256(der).hexdigest()[:16] + ".pem"
    target = folder / TRUSTED_FOLDER / name
    if str(target) in settings.user_anchors and target.is_file():
        return settings
    target.parent.mkdir(parents=True, exist_ok=True)
    pem = certificate_pem(der)
    atomic_write(target, lambda stream: stream.write(pem))
    anchors = tuple(a for a in settings.user_anchors if a != str(target))
    return replace(settings, user_anchors=(*anchors, str(target)))


def _time(dt: datetime | None) -> str:
    if dt is None:
        return _t("unknown")
    return dt.strftime("%Y-%m-%d %H:%M:%S %Z").strip()


_KEY_USAGE = {
    "digital_signature": lambda: _t("Digital signature"),
    "non_repudiation": lambda: _t("Non-repudiation (content commitment)"),
    "key_encipherment": lambda: _t("Key encipherment"),
    "data_encipherment": lambda: _t("Data encipherment"),
    "key_agreement": lambda: _t("Key agreement"),
    "key_cert_sign": lambda: _t("Certificate signing"),
    "crl_sign": lambda: _t("CRL signing"),
    "encipher_only": lambda: _t("Encipher only"),
    "decipher_only": lambda: _t("Decipher only"),
}
_EKU = {
    "server_auth": lambda: _t("TLS server authentication"),
    "client_auth": lambda: _t("TLS client authentication"),
    "code_signing": lambda: _t("Code signing"),
    "email_protection": lambda: _t("Email protection"),
    "time_stamping": lambda: _t("Time stamping"),
    "ocsp_signing": lambda: _t("OCSP signing"),
}
_QC_TYPES = {
    "esign": lambda: _t("electronic signatures (esign)"),
    "eseal": lambda: _t("electronic seals (eseal)"),
    "web": lambda: _t("website authentication (web)"),
}


def _names(values: tuple[str, ...] | None, table: dict[str, Callable[[], str]]) -> str:
    if values is None:
        return _t("(not in the certificate)")
    if not values:
        return _t("(none)")
    # in the table's order (RFC 5280's bit order), unknown values last
    order = {name: i for i, name in enumerate(table)}
    ordered = sorted(values, key=lambda v: order.get(v, len(order)))
    return "\n".join(table[v]() if v in table else v for v in ordered)


def qc_text(d: CertificateDetails) -> str:
    if not d.qc_readable:
        return _t("The QC statements cannot be read")
    lines = []
    if d.qc_compliance:
        lines.append(_t("EU qualified certificate (QcCompliance)"))
    if d.qc_qscd:
        lines.append(_t("Private key in a qualified device, QSCD (QcSSCD)"))
    if d.qc_types:
        types = ", ".join(_QC_TYPES[t]() if t in _QC_TYPES else t for t in d.qc_types)
        lines.append(_t("Type: %1").replace("%1", types))
    if d.qc_legislation:
        lines.append(
            _t("Qualified under the law of %1, not EU law").replace(
                "%1", ", ".join(d.qc_legislation)
            )
        )
    return "\n".join(lines) if lines else _t("(none)")


def anchor_text(source: str | None) -> str:
    """Where a trust anchor came from, in words."""
    if not source:
        return _t("a trust anchor")
    kind, _, name = source.partition(":")
    if kind == "eu-tl":
        return _t("EU trusted list (%1)").replace("%1", name)
    if kind == "jp-tl":
        return _t("Japanese trust list: %1").replace("%1", name)
    if kind == "user":
        return _t("your trusted certificates (%1)").replace("%1", name)
    return source


def entry_text(entry: ListedService) -> str:
    lang: Lang = "ja" if current_language() == "ja" else "en"
    status = service_status_label(entry.status, lang) if entry.status else _t("no status")
    return (
        _t("%1: %2, by %3; status “%4” on %5")
        .replace("%1", entry.territory)
        .replace("%2", entry.service)
        .replace("%3", entry.provider)
        .replace("%4", status)
        .replace("%5", _time(entry.at))
    )


class CertificateDialog(QDialog):
    """One signature's certificate and its path."""

    #: the viewed certificate's DER after "Trust this certificate…" was confirmed
    trusted = Signal(bytes)

    def __init__(
        self,
        sig: SignatureResult,
        which: str = SIGNER,
        *,
        validation_time: datetime | None = None,
        trust_certificate: Callable[[bytes], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("certificateDialog")
        self.sig, self.which = sig, which
        self.at = validation_time or datetime.now(UTC)
        self._trust_certificate = trust_certificate
        self.nodes = certificate_path(sig, which)
        self.setWindowTitle(
            _t("Certificate of the time-stamping authority")
            if which == TSA or sig.kind is EntryKind.DOCUMENT_TIMESTAMP
            else _t("Certificate of the signer")
        )
        self.resize(860, 560)
        layout = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.tree = QTreeWidget()
        self.tree.setObjectName("chainTree")
        self.tree.setHeaderLabel(_t("Certification path"))
        self.items: list[QTreeWidgetItem] = []
        parent_item: QTreeWidgetItem | None = None
        for i in reversed(range(len(self.nodes))):  # the anchor at the top
            info = self.nodes[i].info
            item = QTreeWidgetItem([info.common_name or info.subject])
            item.setData(0, Qt.ItemDataRole.UserRole, i)
            if parent_item is None:
                self.tree.addTopLevelItem(item)
            else:
                parent_item.addChild(item)
            parent_item = item
            self.items.insert(0, item)
        self.tree.expandAll()
        split.addWidget(self.tree)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        # the fields wrap to the width: never a sideways scroll
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        host = QWidget()
        self.form = QFormLayout(host)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, QLabel] = {}
        for name, label in (
            ("subject", _t("Subject")),
            ("issuer", _t("Issuer")),
            ("serial", _t("Serial number")),
            ("validity", _t("Valid")),
            ("validityState", _t("At the validation time")),
            ("kind", _t("Kind")),
            ("key", _t("Public key")),
            ("keyUsage", _t("Key usage")),
            ("extendedKeyUsage", _t("Extended key usage")),
            ("policies", _t("Certificate policies")),
            ("qc", _t("QC statements")),
            ("revocation", _t("Revocation")),
            ("anchor", _t("Trust anchor")),
            ("euQualification", _t("EU qualification")),
            ("euEntry", _t("EU trusted list")),
            ("jpAnchor", _t("Japan")),
            ("fingerprint", _t("SHA-256 fingerprint")),
        ):
            value = QLabel()
            value.setObjectName(name)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[name] = value
            self.form.addRow(label + ":", value)
        scroll.setWidget(host)
        split.addWidget(scroll)
        split.setStretchFactor(1, 1)
        split.setSizes([260, 600])
        layout.addWidget(split, 1)
        self.note = QLabel()
        self.note.setObjectName("certificateNote")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        row = QHBoxLayout()
        self.export_button = QPushButton(_t("Export…"))
        self.export_button.setObjectName("exportCertificate")
        self.export_button.clicked.connect(lambda: self.export())
        self.trust_button = QPushButton(_t("Trust this certificate…"))
        self.trust_button.setObjectName("trustCertificate")
        self.trust_button.clicked.connect(self.ask_trust)
        self.trust_button.setVisible(trust_certificate is not None)
        row.addWidget(self.export_button)
        row.addWidget(self.trust_button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row.addWidget(close)
        layout.addLayout(row)
        self.current = 0
        self.tree.currentItemChanged.connect(self._selected)
        if self.items:
            self.tree.setCurrentItem(self.items[0])
        self.show_certificate(0)

    # --- showing ------------------------------------------------------------
    def _selected(self, item: QTreeWidgetItem | None, _previous: object = None) -> None:
        if item is not None:
            self.show_certificate(int(item.data(0, Qt.ItemDataRole.UserRole)))

    def show_certificate(self, index: int) -> None:
        """Show the path's ``index``-th certificate (0: the viewed one)."""
        self.note.clear()
        if not self.nodes:
            for label in self.fields.values():
                label.setText(_t("unknown"))
            self.export_button.setEnabled(False)
            self.trust_button.setEnabled(False)
            return
        self.current = index
        node = self.nodes[index]
        info, f = node.info, self.fields
        f["subject"].setText(info.subject)
        f["issuer"].setText(info.issuer)
        f["serial"].setText(info.serial_hex.upper())
        span = _t("%1 to %2").replace("%1", _time(info.not_before))
        f["validity"].setText(span.replace("%2", _time(info.not_after)))
        f["validityState"].setText(self._validity_text(info))
        f["key"].setText(info.key_algorithm or _t("unknown"))
        f["fingerprint"].setText(_fingerprint_lines(info.sha256_hex))
        details = self._details(info)
        if details is None:
            missing = (
                _t("This certificate cannot be read")
                if info.der
                else _t("Not in this result (it was read from a saved report)")
            )
            for name in ("kind", "keyUsage", "extendedKeyUsage", "policies", "qc"):
                f[name].setText(missing)
        else:
            f["kind"].setText(self._kind_text(details))
            f["keyUsage"].setText(_names(details.key_usage, _KEY_USAGE))
            f["extendedKeyUsage"].setText(_names(details.extended_key_usage, _EKU))
            f["policies"].setText(
                "\n".join(f"{p.name} ({p.oid})" if p.name else p.oid for p in details.policies)
                or _t("(none)")
            )
            f["qc"].setText(qc_text(details))
        el = node.element
        lang: Lang = "ja" if current_language() == "ja" else "en"
        f["revocation"].setText(revocation_text(el, lang) if el is not None else _t("unknown"))
        is_anchor = el.is_trust_anchor if el is not None else bool(info.trust_source)
        f["anchor"].setText(
            _t("Yes: %1").replace("%1", anchor_text(info.trust_source)) if is_anchor else _t("No")
        )
        self._trust_rows(index)
        self.export_button.setEnabled(bool(info.der))
        # (an anchor file that is no certificate would only break later checks)
        self.trust_button.setEnabled(details is not None)

    def _validity_text(self, info: CertificateInfo) -> str:
        state = validity_state(info, self.at)
        when = _time(self.at)
        text = {
            "valid": _t("Valid at the validation time (%1)"),
            "expired": _t("EXPIRED at the validation time (%1)"),
            "not-yet-valid": _t("NOT YET VALID at the validation time (%1)"),
        }[state].replace("%1", when)
        signed = self.sig.best_time
        if state != "valid" and signed is not None and validity_state(info, signed) == "valid":
            text += "\n" + _t("It was valid when signed (%1)").replace("%1", _time(signed))
        return text

    def _kind_text(self, d: CertificateDetails) -> str:
        if d.is_ca and d.self_signed:
            return _t("Certificate authority (self-signed root)")
        if d.is_ca:
            return _t("Certificate authority")
        return _t("End entity")

    def _details(self, info: CertificateInfo) -> CertificateDetails | None:
        if not info.der:
            return None
        from signing.api import certificate_details

        try:
            return certificate_details(info.der)
        except ShomeiError:
            return None

    def _trust_rows(self, index: int) -> None:
        """The EU qualification and list entry, and the Japanese anchor: the
        columns' verdicts on the viewed certificate (the path's first)."""
        f, sig = self.fields, self.sig
        rows = ("euQualification", "euEntry", "jpAnchor")
        for name in rows:
            label = f[name]
            label.setVisible(index == 0)
            buddy = self.form.labelForField(label)
            if buddy is not None:
                buddy.setVisible(index == 0)
        if index != 0:
            return
        from desktop.validation_view import qualification_text

        signature_tsa = self.which == TSA and sig.kind is EntryKind.SIGNATURE
        if signature_tsa:
            ts = sig.signature_timestamp
            q = ts.qualification if ts is not None else Qualification.NOT_ASSESSED
            entry = ts.eu_service if ts is not None else None
            jp_path = None
        else:
            q, entry, jp_path = sig.eu_qualification, sig.eu_service, sig.jp_path
        f["euQualification"].setText(qualification_text(q))
        if entry is not None:
            f["euEntry"].setText(entry_text(entry))
        elif q is Qualification.NOT_ASSESSED:
            f["euEntry"].setText(_t("Not assessed"))
        else:
            f["euEntry"].setText(_t("No EU trusted list names this certificate or its issuers"))
        lines = []
        if jp_path is not None and jp_path.anchor:
            name = jp_path.anchor.partition(":")[2] or jp_path.anchor
            lines.append(_t("Chains to the Japanese trust anchor %1").replace("%1", name))
        elif jp_path is not None:
            lines.append(_t("Does not chain to a Japanese trust anchor"))
        if sig.jp_status is not None and not signature_tsa:
            # the column's own words (the anchor's service, or why not assessed)
            lines.append(sig.jp_status.ja if current_language() == "ja" else sig.jp_status.en)
        f["jpAnchor"].setText("\n".join(lines) or _t("Not assessed"))

    def select(self, index: int) -> None:
        """Select the path's ``index``-th certificate in the tree, as a click does."""
        self.tree.setCurrentItem(self.items[index])

    # --- actions ------------------------------------------------------------
    def export(self, path: str | None = None) -> Path | None:
        """Save the shown certificate: DER for a .der/.cer name or the DER
        filter, else PEM. Asks where unless ``path`` is given."""
        info = self.nodes[self.current].info if self.nodes else None
        if info is None or not info.der:
            return None
        pem_filter = _t("PEM certificate (*.pem *.crt)")
        der_filter = _t("DER certificate (*.cer *.der)")
        chosen = ""
        if path is None:
            base = (info.common_name or "certificate").replace("/", "_").replace("\\", "_")
            path, chosen = QFileDialog.getSaveFileName(
                self, _t("Export the certificate"), base + ".pem", f"{pem_filter};;{der_filter}"
            )
        if not path:
            return None
        target = Path(path)
        from signing.api import atomic_write, certificate_pem

        as_der = target.suffix.lower() in (".der", ".cer") or (
            chosen == der_filter and target.suffix.lower() not in (".pem", ".crt")
        )
        data = info.der if as_der else certificate_pem(info.der)
        try:
            atomic_write(target, lambda stream: stream.write(data))
        except ShomeiError as exc:
            from desktop.errors_ui import show_error

            show_error(self, exc)
            return None
        self.note.setText(_t("Saved %1").replace("%1", str(target)))
        return target

    def ask_trust(self) -> QMessageBox | None:
        """Ask, then add the shown certificate to the user's trust anchors."""
        info = self.nodes[self.current].info if self.nodes else None
        if info is None or not self.trust_button.isEnabled() or self._trust_certificate is None:
            return None
        box = QMessageBox(self)
        box.setObjectName("trustConfirm")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(_t("Trust this certificate?"))
        box.setText(
            _t(
                "Shomei will treat “%1” as a trust anchor on this computer: every"
                " signature whose certificate chain reaches it will count as trusted,"
                " as if a trusted list named it."
            ).replace("%1", info.common_name or info.subject)
        )
        box.setInformativeText(
            _t(
                "Only do this if you know who runs this certificate and you checked"
                " its SHA-256 fingerprint with them another way:\n%1\n\nIt applies to"
                " checks from now on; you can remove it in Settings › Trust."
            ).replace("%1", fingerprint(info.sha256_hex))
        )
        box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        ok = box.button(QMessageBox.StandardButton.Ok)
        ok.setText(_t("Trust"))
        der = info.der

        def finished(_code: int) -> None:
            if box.clickedButton() is ok:
                self._trust(der)

        box.finished.connect(finished)
        box.open()
        return box

    def _trust(self, der: bytes) -> None:
        assert self._trust_certificate is not None
        try:
            self._trust_certificate(der)
        except ShomeiError as exc:
            from desktop.errors_ui import show_error

            show_error(self, exc)
            return
        self.note.setText(
            _t("You trust this certificate: checks from now on use it as a trust anchor.")
        )
        self.trusted.emit(der)
