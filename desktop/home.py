"""The home screen: a big drop zone for PDFs and folders, and the four verbs.

This screen is built before the window's first paint. It sets its few Qt
enum properties by name (:func:`set_enum_property`) instead of through
PySide's ``Qt`` namespace: the first access to ``Qt`` builds all of its ~100
Python enums (~17 ms), which can wait until after the first paint.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.trust_chip import TrustChip


def set_enum_property(obj: QObject, name: str, keys: str) -> None:
    """``obj.<name> = keys`` for an enum or flags property, by key names
    ("AlignCenter", "AlignLeft|AlignTop"): Qt's meta-object system converts
    them, as it does for Designer forms and style sheets."""
    if not obj.setProperty(name, keys):
        raise ValueError(f"{type(obj).__name__}.{name} cannot be set to {keys!r}")


def paths_from_mime(event: QDropEvent | QDragEnterEvent) -> list[str]:
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return []
    out = []
    for url in mime.urls():
        if url.isLocalFile():
            path = url.toLocalFile()
            if os.path.isdir(path) or path.lower().endswith(".pdf"):
                out.append(path)
    return out


class DropZone(QFrame):
    """Takes dropped PDFs and folders; Enter or Space opens the file chooser."""

    dropped = Signal(list)
    activated = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropZone")
        self.setAcceptDrops(True)
        set_enum_property(self, "focusPolicy", "StrongFocus")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumHeight(220)
        self._hover = False
        layout = QVBoxLayout(self)
        self.label = QLabel(self.tr("Drop PDF files or folders here"))
        self.label.setObjectName("dropLabel")
        font = self.label.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        self.label.setFont(font)
        set_enum_property(self.label, "alignment", "AlignCenter")
        self.label.setWordWrap(True)
        self.hint = QLabel(
            self.tr("Signed files are checked first. Press Enter to choose files instead.")
        )
        set_enum_property(self.hint, "alignment", "AlignCenter")
        self.hint.setWordWrap(True)
        layout.addStretch(1)
        layout.addWidget(self.label)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        self.setAccessibleName(self.tr("Drop zone"))
        self.setAccessibleDescription(self.hint.text())
        self._style()

    def _style(self) -> None:
        width = 3 if self._hover or self.hasFocus() else 2
        self.setStyleSheet(
            f"QFrame#dropZone {{ border: {width}px dashed palette(mid); border-radius: 12px; }}"
            if not self._hover
            else f"QFrame#dropZone {{ border: {width}px dashed palette(highlight);"
            " border-radius: 12px; background: palette(alternate-base); }"
        )

    def focusInEvent(self, event: object) -> None:
        super().focusInEvent(event)  # type: ignore[arg-type]
        self._style()

    def focusOutEvent(self, event: object) -> None:
        super().focusOutEvent(event)  # type: ignore[arg-type]
        self._style()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        from PySide6.QtCore import Qt  # after the first paint (see the module docstring)

        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit()
            return
        super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: object) -> None:
        self.activated.emit()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if paths_from_mime(event):
            event.acceptProposedAction()
            self._hover = True
            self._style()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: object) -> None:
        self._hover = False
        self._style()

    def dropEvent(self, event: QDropEvent) -> None:
        self._hover = False
        self._style()
        paths = paths_from_mime(event)
        if paths:
            event.acceptProposedAction()
            self.dropped.emit(paths)
        else:
            event.ignore()


class HomeView(QWidget):
    open_clicked = Signal()
    sign_clicked = Signal()
    seal_clicked = Signal()
    validate_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("homeView")
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Sign, seal and check PDF documents"))
        title.setObjectName("homeTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        title.setWordWrap(True)
        layout.addWidget(title)
        self.trust_chip = TrustChip()  # filled after the first paint
        layout.addWidget(self.trust_chip)
        self.drop_zone = DropZone()
        layout.addWidget(self.drop_zone, 1)
        row = QHBoxLayout()
        self.open_button = QPushButton(self.tr("&Open…"))
        self.sign_button = QPushButton(self.tr("&Sign…"))
        self.seal_button = QPushButton(self.tr("S&eal…"))
        self.validate_button = QPushButton(self.tr("&Validate…"))
        self.open_button.setToolTip(self.tr("Open PDF files to check them"))
        self.sign_button.setToolTip(self.tr("Sign a PDF as a person"))
        self.seal_button.setToolTip(self.tr("Seal a PDF for an organisation"))
        self.validate_button.setToolTip(self.tr("Check the signatures of PDF files"))
        for b, sig in (
            (self.open_button, self.open_clicked),
            (self.sign_button, self.sign_clicked),
            (self.seal_button, self.seal_clicked),
            (self.validate_button, self.validate_clicked),
        ):
            b.setAccessibleName(b.text().replace("&", "").rstrip("…"))
            b.setMinimumHeight(36)
            b.clicked.connect(sig)
            row.addWidget(b)
        layout.addLayout(row)
        self.drop_zone.activated.connect(self.open_clicked)
        self.status = QLabel()
        self.status.setObjectName("homeStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
