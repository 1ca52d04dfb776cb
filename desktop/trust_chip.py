"""The trusted-lists chip of the home and verdict screens: how current the
lists are ("updated today", "12 days old", "out of date", "never
downloaded", "offline") and an **Update now** button.

The home screen builds it before the first paint, so this module imports
neither the core nor the adapter: the main window fills it from a worker
after the first paint (:meth:`MainWindow.refresh_trust_chip`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from desktop.i18n import tr_functions

if TYPE_CHECKING:
    from desktop.core_adapter import TrustChipState

_t, _tn = tr_functions("TrustChip")

#: states that call for an update (the label is shown in bold)
_ATTENTION = ("stale", "never", "offline")


def chip_text(state: TrustChipState) -> str:
    """The chip's sentence for ``state``."""
    if state.state == "offline":
        return _t("Trusted lists: offline (the last update reached no server)")
    if state.state == "never":
        return _t("Trusted lists: never downloaded (only the copy shipped with Shomei)")
    if state.state == "stale":
        return _t("Trusted lists: out of date")
    if state.state == "current":
        if state.age_days <= 0:
            return _t("Trusted lists: updated today")
        return _tn("Trusted lists: %n day(s) old", state.age_days)
    return _t("Trusted lists: not used")


class TrustChip(QFrame):
    """One line: the lists' state, and Update now (busy while updating)."""

    update_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trustChip")
        self.state: TrustChipState | None = None
        self.busy = False
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 2, 4, 2)
        self.label = QLabel()
        self.label.setObjectName("trustChipLabel")
        self.label.setWordWrap(True)
        self.button = QPushButton(self.tr("Update now"))
        self.button.setObjectName("trustChipUpdate")
        self.button.setAccessibleName(self.tr("Update the trusted lists now"))
        self.button.clicked.connect(self.update_clicked)
        #: a busy bar (no steps: the core reports none) while an update runs;
        #: built on the first update (the home screen paints without it)
        self.progress: QProgressBar | None = None
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self.setStyleSheet(
            "QFrame#trustChip { border: 1px solid palette(mid); border-radius: 10px; }"
        )
        self.setVisible(False)  # until the state is known (after the first paint)

    def set_state(self, state: TrustChipState | None) -> None:
        """Show ``state`` (None: unknown, the chip hides)."""
        self.state = state
        self.busy = False
        self.button.setEnabled(True)
        if self.progress is not None:
            self.progress.setVisible(False)
        if state is None or state.state == "off":
            self.setVisible(False)
            return
        self.label.setText(chip_text(state))
        font = self.label.font()
        font.setBold(state.state in _ATTENTION)
        self.label.setFont(font)
        self.label.setProperty("chipState", state.state)
        self.setAccessibleName(self.label.text())
        self.setVisible(True)

    def set_busy(self) -> None:
        """An update is running: say so and block a second one."""
        self.busy = True
        self.button.setEnabled(False)
        if self.progress is None:
            self.progress = QProgressBar()
            self.progress.setObjectName("trustChipProgress")
            self.progress.setRange(0, 0)
            self.progress.setMaximumWidth(120)
            self.progress.setTextVisible(False)
            layout = self.layout()
            assert isinstance(layout, QHBoxLayout)
            layout.insertWidget(1, self.progress)
        self.progress.setVisible(True)
        self.label.setText(self.tr("Trusted lists: updating…"))
        self.setVisible(True)
