"""The main window (an empty shell until the desktop issue lands)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Shomei"))
        label = QLabel(self.tr("Drop PDF files here to validate them."))
        self.setCentralWidget(label)
        self.resize(900, 640)
