"""The PIN / password dialog and the SecretPrompt that shows it.

The core calls :meth:`GuiSecretPrompt.ask` from a worker thread; the round
trip to the GUI thread is :class:`desktop.gui_question.GuiQuestion`'s.
Secrets are cleared from the widget as soon as they are read and never logged.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.gui_question import GuiQuestion, Pending
from signing.api import PinState, SecretKind, SecretRequest
from signing.errors import UserCancelled


class SecretDialog(QDialog):
    def __init__(self, request: SecretRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.request = request
        self._locked = request.pin_state is PinState.LOCKED
        self.setObjectName("secretDialog")
        self.setWindowTitle(self.tr("Shomei"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        layout = QVBoxLayout(self)
        self.prompt_label = QLabel(self._prompt_text(request))
        self.prompt_label.setWordWrap(True)
        layout.addWidget(self.prompt_label)
        self.state_label = QLabel(self._state_text(request))
        self.state_label.setObjectName("pinState")
        self.state_label.setWordWrap(True)
        self.state_label.setVisible(bool(self.state_label.text()))
        if request.pin_state in (PinState.FINAL_TRY, PinState.LOCKED):
            self.state_label.setStyleSheet("font-weight: bold")
        layout.addWidget(self.state_label)
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setAccessibleName(self._kind_text(request.kind))
        if request.max_length:
            self.edit.setMaxLength(request.max_length)
        self.prompt_label.setBuddy(self.edit)
        layout.addWidget(self.edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setEnabled(request.pin_state is not PinState.LOCKED)
        layout.addWidget(buttons)
        self._min = request.min_length or 0
        self.edit.textChanged.connect(self._check)
        self._check(self.edit.text())

    def _check(self, text: str) -> None:
        self.ok_button.setEnabled(not self._locked and len(text) >= max(self._min, 1))

    def take_secret(self) -> str:
        """Return the typed secret and clear it from the widget."""
        value = self.edit.text()
        self.edit.clear()
        return value

    def _kind_text(self, kind: SecretKind) -> str:
        return {
            SecretKind.KEY_PASSWORD: self.tr("Key file password"),
            SecretKind.PIN: self.tr("PIN"),
            SecretKind.SIGNATURE_PIN: self.tr("Signature PIN"),
            SecretKind.PDF_PASSWORD: self.tr("Document password"),
            SecretKind.OTP: self.tr("One-time password"),
            SecretKind.PROXY_PASSWORD: self.tr("Proxy password"),
        }[kind]

    def _prompt_text(self, request: SecretRequest) -> str:
        text = (
            self.tr("Enter the %1 for %2:")
            .replace("%1", self._kind_text(request.kind))
            .replace("%2", request.target)
        )
        if request.retry:
            text = self.tr("That was not accepted. Try again.") + "\n" + text
        return text

    def _state_text(self, request: SecretRequest) -> str:
        if request.pin_state is PinState.LOCKED:
            return self.tr("The PIN is locked. Unblock the card with its PUK.")
        if request.pin_state is PinState.FINAL_TRY:
            return self.tr("Last try: a wrong PIN now locks the card.")
        if request.tries_left is not None:
            return self.tr("%n tries left.", "", request.tries_left)
        if request.pin_state is PinState.COUNT_LOW:
            return self.tr("Few tries are left before the card locks.")
        return ""


class GuiSecretPrompt(GuiQuestion):
    """A :class:`~signing.secrets.SecretPrompt` answered by a dialog.

    Create it on the GUI thread; call :meth:`ask` from worker threads only.
    """

    def ask(self, request: SecretRequest) -> str:
        pending = self._ask(request)
        # drop the secret from the shared object as soon as it is handed over
        answer, pending.answer = pending.answer, None
        if answer is None:
            raise UserCancelled()
        return str(answer)

    def _show(self, pending: Pending) -> None:
        dialog = SecretDialog(pending.question, self._parent_widget)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                pending.answer = dialog.take_secret()
            else:
                dialog.edit.clear()
            pending.done.set()

        dialog.finished.connect(finished)
        dialog.open()
        self.dialog_shown.emit(dialog)
