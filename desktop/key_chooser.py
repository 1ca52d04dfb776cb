"""The key chooser of the sign screen: a PKCS#12 file, a certificate on a
token (PKCS#11), or a remote signing service."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from desktop import core_adapter as core
from desktop.settings import AppSettings
from desktop.workers import Op, OpContext

if TYPE_CHECKING:
    from signing.api import SigningKeyOffer


class KeyChooser(QGroupBox):
    #: a message for the screen's status line
    status = Signal(str)
    #: the organisation of the chosen token certificate ("" when unknown)
    organisation_changed = Signal(str)

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Key"))
        self.settings = settings
        self.tokens: list[SigningKeyOffer] = []
        self.organisation: str | None = None
        kf = QFormLayout(self)
        self.key_kind = QComboBox()
        self.key_kind.setAccessibleName(self.tr("Key type"))
        self.key_kind.addItem(self.tr("Key file (PKCS#12)"), "pkcs12")
        self.key_kind.addItem(self.tr("Smart card or token"), "pkcs11")
        self.key_kind.addItem(self.tr("Remote signing service"), "remote")
        kf.addRow(self.tr("Type:"), self.key_kind)
        self.key_file = QLineEdit(settings.last_key_file)
        self.key_file.setAccessibleName(self.tr("Key file"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse_key)
        self.key_file_row = self._row(self.key_file, browse)
        kf.addRow(self.tr("File:"), self.key_file_row)
        self.token_combo = QComboBox()
        self.token_combo.setAccessibleName(self.tr("Token and certificate"))
        self.token_refresh = QPushButton(self.tr("Find tokens"))
        self.token_refresh.clicked.connect(self.refresh_tokens)
        self.token_combo.currentIndexChanged.connect(lambda _i: self._token_changed())
        self.token_row = self._row(self.token_combo, self.token_refresh)
        kf.addRow(self.tr("Token:"), self.token_row)
        self.remote_url = QLineEdit()
        self.remote_url.setAccessibleName(self.tr("Service address"))
        self.remote_url.setPlaceholderText("https://…")
        kf.addRow(self.tr("Service:"), self.remote_url)
        self.credential = QLineEdit()
        self.credential.setAccessibleName(self.tr("Credential ID"))
        kf.addRow(self.tr("Credential:"), self.credential)
        self.key_kind.currentIndexChanged.connect(self._key_kind_changed)
        self._key_kind_changed(0)

    @staticmethod
    def _row(main: QWidget, button: QPushButton) -> QWidget:
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(main, 1)
        row.addWidget(button)
        holder = QWidget()
        holder.setLayout(row)
        return holder

    def _key_kind_changed(self, _i: int) -> None:
        kind = self.key_kind.currentData()
        self.key_file_row.setEnabled(kind == "pkcs12")
        self.token_row.setEnabled(kind == "pkcs11")
        self.remote_url.setEnabled(kind == "remote")
        self.credential.setEnabled(kind == "remote")

    def _browse_key(self) -> None:
        path, _f = QFileDialog.getOpenFileName(
            self, self.tr("Choose a key file"), "", self.tr("Key files (*.p12 *.pfx)")
        )
        if path:
            self.key_file.setText(path)

    def refresh_tokens(self) -> None:
        """List the certificates on every token (public objects: no PIN)."""
        modules = list(self.settings.pkcs11_modules)

        def find(ctx: OpContext) -> list[SigningKeyOffer]:
            return core.list_tokens(modules or core.find_pkcs11_modules())

        self.token_refresh.setEnabled(False)  # (one listing at a time: no stale answer)
        previous = self.token_combo.currentData()

        def show(tokens: list[SigningKeyOffer]) -> None:
            self.tokens = tokens
            self.token_combo.clear()
            for t in tokens:
                label = t.description
                if t.after_pin:
                    label = self.tr("%1: signing key (its certificate is shown after the PIN)")
                    label = label.replace("%1", t.token.label)
                self.token_combo.addItem(label, t)
            if not tokens:
                self.status.emit(self.tr("No token found."))
            for i, t in enumerate(tokens):  # the key chosen before stays chosen
                if previous is not None and t.spec() == previous.spec():
                    self.token_combo.setCurrentIndex(i)
            self._token_changed()

        Op(self, find, show).finally_(lambda: self.token_refresh.setEnabled(True)).run()

    def _token_changed(self) -> None:
        choice = self.token_combo.currentData()
        self.organisation = choice.organisation if choice else None
        self.organisation_changed.emit(self.organisation or "")

    def key_choice(self) -> core.KeyChoice:
        kind = self.key_kind.currentData()
        if kind == "pkcs12":
            return core.KeyChoice(kind="pkcs12", path=self.key_file.text().strip())
        if kind == "pkcs11":
            choice = self.token_combo.currentData()
            return core.KeyChoice(
                kind="pkcs11",
                token_spec=choice.spec() if choice else None,
                cert_der=choice.cert_der if choice else None,
            )
        return core.KeyChoice(
            kind="remote",
            service_url=self.remote_url.text().strip(),
            credential=self.credential.text().strip(),
        )
