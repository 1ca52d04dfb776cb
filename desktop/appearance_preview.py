"""The visible signature's appearance as signing will draw it: the core
builds the stamp with the signer's own code (:func:`signing.api.stamp_preview`,
a one-page PDF the box's size) on a worker thread, and QtPdf renders it here.
The page preview draws that picture in the box; :class:`AppearancePreview`
shows it beside the choices."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop.workers import Op, OpContext
from signing import api

if TYPE_CHECKING:
    from signing.api import Legibility, StampPreview


@dataclass(frozen=True)
class StampRequest:
    """What the stamp shows and the box it fills (width, height in points
    as the page is shown), in plain values."""

    template: str | None
    image_path: str | None
    seal: bool
    size: tuple[float, float]
    signer: str
    reason: str | None = None
    location: str | None = None
    organisation: str | None = None
    #: the page's /UserUnit
    user_unit: float = 1.0


def build_stamp(request: StampRequest) -> StampPreview:
    """The core's stamp for ``request`` (worker thread: loads pyHanko)."""
    spec = api.AppearanceSpec(
        template=request.template or None,
        image=Path(request.image_path) if request.image_path else None,
    )
    return api.stamp_preview(
        spec,
        request.size,
        signer=request.signer,
        seal=request.seal,
        reason=request.reason,
        location=request.location,
        organisation=request.organisation,
        user_unit=request.user_unit,
    )


class StampPicture:
    """A built stamp, rendered by QtPdf at the pixel sizes asked for."""

    def __init__(self, request: StampRequest, stamp: StampPreview) -> None:
        self.request = request
        self.text_pt = stamp.text_pt
        self.legibility: Legibility = stamp.legibility
        self._bytes = QByteArray(stamp.pdf)
        self._buffer = QBuffer(self._bytes)  # (QPdfDocument reads it while it lives)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._document = QPdfDocument()
        self._document.load(self._buffer)
        self._cache: tuple[QSize, QImage] | None = None

    def image(self, size: QSize) -> QImage:
        """The stamp at ``size`` pixels, transparent where it draws nothing."""
        if self._cache is not None and self._cache[0] == size:
            return self._cache[1]
        image = self._document.render(0, size)
        self._cache = (QSize(size), image)
        return image

    def text(self) -> str:
        """The stamp's text as the rendered page holds it (for a screen
        reader's description, and to check what the preview says)."""
        return self._document.getAllText(0).text()

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        """Draw the stamp filling ``rect`` (widget pixels, at its device ratio)."""
        dpr = painter.device().devicePixelRatioF() if painter.device() else 1.0
        size = QSize(max(1, round(rect.width() * dpr)), max(1, round(rect.height() * dpr)))
        painter.drawImage(rect, self.image(size))


class StampRenderer(QObject):
    """Builds the stamp for the latest request, one at a time, off the GUI
    thread: while one is built, newer requests replace each other and only
    the last is built next (a drag asks on every mouse move)."""

    #: a :class:`StampPicture` for the latest request built
    ready = Signal(object)
    #: the core refused the appearance (a bad template or image): the error
    failed = Signal(object)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._owner = parent
        self._pending: StampRequest | None = None
        self._running: StampRequest | None = None
        self.current: StampPicture | None = None

    def request(self, request: StampRequest | None) -> None:
        """Ask for the stamp of ``request`` (None: no box, no stamp)."""
        if request is None:
            self._pending = None
            self.current = None
            self.ready.emit(None)
            return
        if self._running is None and self.current is not None and self.current.request == request:
            return
        self._pending = request
        if self._running is None:
            self._next()

    def busy(self) -> bool:
        return self._running is not None or self._pending is not None

    def _next(self) -> None:
        request, self._pending = self._pending, None
        if request is None:
            return
        self._running = request

        def work(ctx: OpContext) -> StampPreview:
            return build_stamp(request)

        def done(stamp: StampPreview) -> None:
            self.current = StampPicture(request, stamp)
            if self._pending is None:  # (an older stamp is not worth a paint)
                self.ready.emit(self.current)

        def refused(exc: BaseException) -> None:
            self.current = None
            if self._pending is None:
                self.failed.emit(exc)

        def finished() -> None:
            self._running = None
            self._next()

        Op(self._owner, work, done).failure(refused).finally_(finished).run()


class AppearancePreview(QWidget):
    """The stamp at the placed box's aspect ratio, as signing draws it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("appearancePreview")
        self.setAccessibleName(self.tr("Signature appearance preview"))
        self.setMinimumSize(200, 80)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.picture: StampPicture | None = None
        self.note = self.tr("Draw a box on the page to see the signature.")

    def set_picture(self, picture: StampPicture | None, note: str = "") -> None:
        """Show ``picture``; without one, ``note`` says why."""
        self.picture = picture
        if note or picture is None:
            self.note = note or self.tr("Draw a box on the page to see the signature.")
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(260, 100)

    def stamp_rect(self) -> QRectF:
        """Where the stamp is drawn: centred, at the box's aspect ratio."""
        if self.picture is None:
            return QRectF()
        w_pt, h_pt = self.picture.request.size
        scale = min((self.width() - 2) / w_pt, (self.height() - 2) / h_pt)
        w, h = w_pt * scale, h_pt * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        if self.picture is None:
            p.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            p.drawText(
                QRectF(self.rect()),
                int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                self.note,
            )
            p.end()
            return
        rect = self.stamp_rect()
        p.fillRect(rect, QColor(255, 255, 255))
        self.picture.paint(p, rect)
        p.setPen(QPen(self.palette().color(QPalette.ColorRole.Mid), 1, Qt.PenStyle.DashLine))
        p.drawRect(rect)
        p.end()
