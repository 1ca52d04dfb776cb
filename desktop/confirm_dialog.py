"""Asking the user, from a worker, whether to sign despite a warning.

The core calls the confirmation hook on the signing worker once the key is
open and its certificate known (a My Number card shows its signature
certificate only after the PIN), before any signature is made. The round trip
to the GUI thread is :class:`desktop.gui_question.GuiQuestion`'s.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop.gui_question import GuiQuestion, Pending


class GuiConfirm(GuiQuestion):
    """The desktop's confirmation hook: ``confirm(texts) -> bool``.

    Create it on the GUI thread; call it from worker threads only.
    """

    def __call__(self, texts: list[str]) -> bool:
        return bool(self._ask(list(texts)).answer)

    def _show(self, pending: Pending) -> None:
        box = QMessageBox(self._parent_widget)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setObjectName("presignWarning")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Before signing"))
        box.setText("\n\n".join(pending.question))
        box.setInformativeText(self.tr("Sign anyway?"))
        box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        ok = box.button(QMessageBox.StandardButton.Ok)
        ok.setText(self.tr("Sign"))

        def finished(result: int) -> None:
            pending.answer = box.clickedButton() is ok
            pending.done.set()

        box.finished.connect(finished)
        # closed with its window: the worker is not left waiting (answer: no)
        box.destroyed.connect(lambda *_: pending.done.set())
        box.open()
        self.dialog_shown.emit(box)
