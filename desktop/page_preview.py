"""The document preview on the sign screen: a page from QPdfDocument, the
existing signature fields (QtPdf does not draw signature widgets) and the new
signature box, which the user places by dragging a rectangle, then moves
(drag inside it) and resizes (drag a side or a corner), always within the
page as shown. The box shows the stamp signing will draw there
(:mod:`desktop.appearance_preview`).

The preview works in the page as shown (QtPdf shows the CropBox, turned by
/Rotate); the page's frame converts to and from the file's user space."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop.appearance_preview import StampPicture
from desktop.core_adapter import SignatureField
from desktop.geometry import Box, Edges, PageGeometry, grab, moved, resized
from signing.api import PageFrame

MARGIN = 12.0
#: the smallest box (in points) a drag creates or a resize leaves; smaller
#: drags are ignored
MIN_BOX_PT = 12.0
#: how near a side (in pixels) a press takes hold of it to resize
GRIP_PX = 6.0
#: the cursor over each hold: a side, a corner, inside
_CURSORS = {
    frozenset(): Qt.CursorShape.SizeAllCursor,
    frozenset({"left"}): Qt.CursorShape.SizeHorCursor,
    frozenset({"right"}): Qt.CursorShape.SizeHorCursor,
    frozenset({"top"}): Qt.CursorShape.SizeVerCursor,
    frozenset({"bottom"}): Qt.CursorShape.SizeVerCursor,
    frozenset({"left", "top"}): Qt.CursorShape.SizeFDiagCursor,
    frozenset({"right", "bottom"}): Qt.CursorShape.SizeFDiagCursor,
    frozenset({"right", "top"}): Qt.CursorShape.SizeBDiagCursor,
    frozenset({"left", "bottom"}): Qt.CursorShape.SizeBDiagCursor,
}


class PagePreview(QWidget):
    #: (page, box in points on the page as shown) or (page, None) when cleared
    box_changed = Signal(int, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pagePreview")
        self.setAccessibleName(
            self.tr(
                "Page preview: drag a rectangle to place the signature; "
                "drag it to move it, drag its sides to resize it"
            )
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)  # (the cursor shows what a press would take hold of)
        self.document = QPdfDocument(self)
        self.page = 0
        self.zoom = 1.0  # 1.0 = fit the page in the widget
        self.fields: list[SignatureField] = []
        #: each page's frame, from the core (until then: upright, uncropped)
        self.frames: list[PageFrame] = []
        #: the new signature's box, on the page as shown
        self.box: Box | None = None
        self.box_page = 0
        #: the stamp signing will draw in the box (the latest built)
        self.stamp: StampPicture | None = None
        self._drag_start: QPointF | None = None
        self._drag_now: QPointF | None = None
        #: moving or resizing the box: what was taken hold of, the box then
        #: and where the press was
        self._hold: tuple[Edges, Box, QPointF] | None = None
        self._cache: tuple[int, QSize, QImage] | None = None

    # document
    def load(self, path: str) -> bool:
        self.document.close()
        self._cache = None
        self.frames = []
        self.document.load(path)
        self.page = 0
        self.box = None
        self.update()
        return self.document.status() == QPdfDocument.Status.Ready

    def page_count(self) -> int:
        return self.document.pageCount()

    def set_page(self, page: int) -> None:
        if 0 <= page < max(self.page_count(), 1):
            self.page = page
            self.update()

    def set_zoom(self, zoom: float) -> None:
        self.zoom = max(0.25, min(zoom, 4.0))
        self.updateGeometry()
        self.update()

    def set_fields(self, fields: list[SignatureField]) -> None:
        self.fields = list(fields)
        self.update()

    def set_frames(self, frames: list[PageFrame]) -> None:
        self.frames = list(frames)
        self.update()

    def frame(self, page: int) -> PageFrame:
        if 0 <= page < len(self.frames):
            return self.frames[page]
        size = self.document.pagePointSize(page)
        return PageFrame((0.0, 0.0, size.width(), size.height()))

    def set_stamp(self, stamp: StampPicture | None) -> None:
        self.stamp = stamp
        self.update()

    def set_box(self, page: int, box: Box | None) -> None:
        self.box_page = page
        self.box = box
        self.update()
        self.box_changed.emit(page, box)

    # geometry
    def geometry_for_page(self) -> PageGeometry:
        size = self.document.pagePointSize(self.page)
        w_pt, h_pt = (size.width(), size.height()) if size.width() > 0 else (595.0, 842.0)
        avail_w = max(self.width() - 2 * MARGIN, 50)
        avail_h = max(self.height() - 2 * MARGIN, 50)
        fit = min(avail_w / w_pt, avail_h / h_pt)
        scale = fit * self.zoom
        ox = MARGIN + max(0.0, (avail_w - w_pt * scale) / 2)
        oy = MARGIN + max(0.0, (avail_h - h_pt * scale) / 2)
        return PageGeometry(w_pt, h_pt, scale, ox, oy)

    def place_default_box(self) -> None:
        """Keyboard alternative to dragging: bottom-right, 200 x 70 pt."""
        g = self.geometry_for_page()
        w, h = min(200.0, g.width_pt / 2), min(70.0, g.height_pt / 4)
        self.set_box(self.page, (g.width_pt - w - 36, 36, g.width_pt - 36, 36 + h))

    # painting
    def _page_image(self, g: PageGeometry) -> QImage:
        dpr = self.devicePixelRatioF()
        size = QSize(round(g.width_px * dpr), round(g.height_px * dpr))
        if self._cache and self._cache[0] == self.page and self._cache[1] == size:
            return self._cache[2]
        image = self.document.render(self.page, size)
        image.setDevicePixelRatio(dpr)
        self._cache = (self.page, size, image)
        return image

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Dark))
        if self.page_count() == 0:
            p.setPen(self.palette().color(QPalette.ColorRole.BrightText))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No document"))
            p.end()
            return
        g = self.geometry_for_page()
        page_rect = QRectF(g.origin_x, g.origin_y, g.width_px, g.height_px)
        p.fillRect(page_rect, QColor(255, 255, 255))
        p.drawImage(page_rect, self._page_image(g))
        for f in self.fields:
            if f.page != self.page:
                continue
            r = QRectF(*g.box_to_widget(self.frame(f.page).box_to_display(f.box)))
            colour = QColor(120, 120, 120) if f.signed else QColor(30, 100, 200)
            p.setPen(QPen(colour, 1.5, Qt.PenStyle.DashLine))
            p.setBrush(QColor(colour.red(), colour.green(), colour.blue(), 30))
            p.drawRect(r)
            p.setPen(colour)
            p.drawText(r.adjusted(2, 2, -2, -2), Qt.AlignmentFlag.AlignTop, f.name)
        rect: QRectF | None = None
        if self._drag_start is not None and self._drag_now is not None:
            rect = QRectF(self._drag_start, self._drag_now).normalized()
        elif self.box is not None and self.box_page == self.page:
            rect = QRectF(*g.box_to_widget(self.box))
        if rect is not None:
            p.fillRect(rect, QColor(255, 255, 255, 230))
            if self.stamp is not None and self._drag_start is None:
                # (while a drag changes the box, the last stamp stretches
                # until the one for the new size arrives)
                self.stamp.paint(p, rect)
            hl = self.palette().color(QPalette.ColorRole.Highlight)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(QPen(hl, 2, Qt.PenStyle.DashLine))
            p.drawRect(rect)
            if self._drag_start is None:
                p.setPen(QPen(hl, 1))
                p.setBrush(QColor(255, 255, 255))
                for corner in (
                    rect.topLeft(),
                    rect.topRight(),
                    rect.bottomLeft(),
                    rect.bottomRight(),
                ):
                    p.drawRect(QRectF(corner.x() - 3, corner.y() - 3, 6, 6))
        p.end()

    # interaction
    def box_hold(self, pos: QPointF) -> Edges | None:
        """What a press at ``pos`` takes hold of in the box (see
        :func:`desktop.geometry.grab`); None off the box or on another page."""
        if self.box is None or self.box_page != self.page:
            return None
        g = self.geometry_for_page()
        return grab(g.box_to_widget(self.box), pos.x(), pos.y(), GRIP_PX)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.page_count() == 0:
            return
        hold = self.box_hold(event.position())
        if hold is not None and self.box is not None:
            self._hold = (hold, self.box, event.position())
            return
        self._drag_start = event.position()
        self._drag_now = event.position()
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._hold is not None:
            edges, box, at = self._hold
            g = self.geometry_for_page()
            if edges:
                x, y = g.to_pdf(pos.x(), pos.y())
                new = resized(box, edges, x, y, g.width_pt, g.height_pt, MIN_BOX_PT)
            else:
                dx, dy = (pos.x() - at.x()) / g.scale, -(pos.y() - at.y()) / g.scale
                new = moved(box, dx, dy, g.width_pt, g.height_pt)
            if new != self.box:
                self.set_box(self.page, new)
        elif self._drag_start is not None:
            self._drag_now = pos
            self.update()
        else:
            hold = self.box_hold(pos)
            if hold is None:
                self.unsetCursor()
            else:
                self.setCursor(_CURSORS[hold])

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._hold is not None:
            self.mouseMoveEvent(event)
            self._hold = None
            return
        if self._drag_start is None:
            return
        start, end = self._drag_start, event.position()
        self._drag_start = self._drag_now = None
        g = self.geometry_for_page()
        box = g.rect_to_pdf(start.x(), start.y(), end.x(), end.y())
        if box[2] - box[0] >= MIN_BOX_PT and box[3] - box[1] >= MIN_BOX_PT:
            self.set_box(self.page, box)
        else:
            self.update()

    def _nudge(self, key: int, step: float, resize: bool) -> bool:
        """Arrows move the box (Shift: by 10 pt); with Ctrl they move its
        right and top sides (resize). False when there is no box here."""
        if self.box is None or self.box_page != self.page:
            return False
        dx = {Qt.Key.Key_Left: -step, Qt.Key.Key_Right: step}.get(Qt.Key(key), 0.0)
        dy = {Qt.Key.Key_Down: -step, Qt.Key.Key_Up: step}.get(Qt.Key(key), 0.0)
        g = self.geometry_for_page()
        x2, y2 = self.box[2], self.box[3]
        if resize:
            new = resized(self.box, frozenset({"right", "top"}), x2 + dx, y2 + dy,
                          g.width_pt, g.height_pt, MIN_BOX_PT)  # fmt: skip
        else:
            new = moved(self.box, dx, dy, g.width_pt, g.height_pt)
        self.set_box(self.page, new)
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.place_default_box()
        elif event.key() == Qt.Key.Key_Delete:
            self.set_box(self.page, None)
        elif event.key() == Qt.Key.Key_PageDown:
            self.set_page(self.page + 1)
        elif event.key() == Qt.Key.Key_PageUp:
            self.set_page(self.page - 1)
        elif event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
            mods = event.modifiers()
            step = 10.0 if mods & Qt.KeyboardModifier.ShiftModifier else 1.0
            resize = bool(mods & Qt.KeyboardModifier.ControlModifier)
            if not self._nudge(event.key(), step, resize):
                super().keyPressEvent(event)
        else:
            super().keyPressEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(480, 620)
