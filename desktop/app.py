"""Application start-up: QApplication, main window, event loop."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication

from desktop.main_window import MainWindow


def run(files: Sequence[str] = ()) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Shomei")
    app.setOrganizationName("Shomei")
    window = MainWindow()
    window.show()
    return app.exec()
