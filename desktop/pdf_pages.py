"""The verdict screen's page view: QtPdf's QPdfView (all pages, one below the
other, fitted to the width, the page or zoomed by the user) with what Shomei
draws over it: the outline of the selected signature's field, and the pages
a comparison found changed.

QPdfView does not say where it placed a page, so :meth:`PdfPages.page_rect`
recomputes it the way QPdfView lays pages out (custom zoom: each page
``point size x logical DPI / 72 x zoom`` rounded, centred, ``documentMargins``
around and ``pageSpacing`` between). The GUI tests check the outline against
rendered page content, so a change in Qt's layout shows up as a failure.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView

from desktop.i18n import tr_functions
from signing.api import PageFrame

_t, _tn = tr_functions("viewer")

#: (x1, y1, x2, y2) in PDF points, bottom-left origin, in the file's user space
Box = tuple[float, float, float, float]
#: what the changed-page marks are drawn in
CHANGED = QColor(200, 40, 40)
#: how the pages are sized: to the view's width, a whole page in the view,
#: or the zoom the user chose
FIT_WIDTH, FIT_PAGE, CUSTOM = "width", "page", "custom"
#: the zoom steps of zoom in and out (1.0: actual size)
ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 6.0, 8.0)


class PdfPages(QPdfView):
    """All pages of a document, fitted to the width; outlines a field and
    marks changed pages on top of QtPdf's rendering."""

    #: after each paint (the pane loads a new file's pages after the first)
    painted = Signal()
    #: the zoom or the way pages are fitted changed (the controls follow)
    zoom_changed = Signal()

    def __init__(self) -> None:
        super().__init__()  # (the layout it goes into gives it its parent)
        self.setObjectName("pdfPages")
        self.setAccessibleName(_t("Document pages"))
        self.setPageMode(QPdfView.PageMode.MultiPage)
        # (custom zoom, set from the width here: the one layout rule to follow)
        self.setZoomMode(QPdfView.ZoomMode.Custom)
        #: the outlined field: (0-based page, box in the file's user space)
        self.outline: tuple[int, Box] | None = None
        #: 0-based pages a comparison found different
        self.changed_pages: frozenset[int] = frozenset()
        #: each page's frame (visible box, rotation), from the core
        self.frames: list[PageFrame] = []
        #: FIT_WIDTH, FIT_PAGE or CUSTOM (kept from one document to the next)
        self.fit = FIT_WIDTH

    # --- document ------------------------------------------------------------
    def show_document(self, document: QPdfDocument) -> None:
        self.setDocument(document)
        self.outline = None
        self.changed_pages = frozenset()
        self._fit()
        self.verticalScrollBar().setValue(0)
        self.viewport().update()

    def reshow(self, document: QPdfDocument) -> None:
        """Show ``document`` (the same pages drawn anew) where the view was:
        the same zoom, scroll position, outline and marks."""
        zoom, outline, changed = self.zoomFactor(), self.outline, self.changed_pages
        v, h = self.verticalScrollBar().value(), self.horizontalScrollBar().value()
        self.setDocument(document)
        self.setZoomFactor(zoom)
        self._fit()
        self.outline, self.changed_pages = outline, changed
        self.verticalScrollBar().setValue(v)
        self.horizontalScrollBar().setValue(h)
        self.viewport().update()

    def page_count(self) -> int:
        doc = self.document()
        if doc is None or doc.status() != QPdfDocument.Status.Ready:
            return 0
        return doc.pageCount()

    def set_frames(self, frames: list[PageFrame]) -> None:
        self.frames = list(frames)
        self.viewport().update()

    def frame(self, page: int) -> PageFrame:
        if 0 <= page < len(self.frames):
            return self.frames[page]
        size = self.document().pagePointSize(page)
        return PageFrame((0.0, 0.0, size.width(), size.height()))

    # --- layout (QPdfView's, see the module's docstring) ----------------------
    def _resolution(self) -> float:
        screen = QGuiApplication.primaryScreen()
        return screen.logicalDotsPerInch() / 72.0 if screen is not None else 96.0 / 72.0

    def _fit(self) -> None:
        """Size the pages to the view, as ``fit`` says (nothing for CUSTOM)."""
        doc = self.document()
        if self.fit == CUSTOM or self.page_count() == 0 or doc is None:
            return
        margins = self.documentMargins()
        sizes = [doc.pagePointSize(p) for p in range(self.page_count())]
        widest = max(s.width() for s in sizes) * self._resolution()
        avail = self.viewport().width() - margins.left() - margins.right()
        if widest <= 0 or avail <= 0:
            return
        factor = avail / widest
        if self.fit == FIT_PAGE:
            tallest = max(s.height() for s in sizes) * self._resolution()
            high = self.viewport().height() - margins.top() - margins.bottom()
            if tallest > 0 and high > 0:
                factor = min(factor, high / tallest)
        if abs(factor - self.zoomFactor()) > 1e-6:
            self.setZoomFactor(factor)

    # --- zoom ----------------------------------------------------------------
    def zoom_in(self) -> None:
        bigger = [z for z in ZOOM_STEPS if z > self.zoomFactor() * 1.01]
        self.set_zoom(bigger[0] if bigger else ZOOM_STEPS[-1])

    def zoom_out(self) -> None:
        smaller = [z for z in ZOOM_STEPS if z < self.zoomFactor() / 1.01]
        self.set_zoom(smaller[-1] if smaller else ZOOM_STEPS[0])

    def set_zoom(self, factor: float) -> None:
        """Zoom to ``factor`` (1.0: actual size), keeping the point of the
        document at the view's centre where it is."""
        factor = max(ZOOM_STEPS[0], min(ZOOM_STEPS[-1], factor))
        self._keeping_centre(lambda: self._apply(CUSTOM, factor))

    def set_fit(self, fit: str) -> None:
        """Fit the pages to the view's width (FIT_WIDTH) or a whole page
        into it (FIT_PAGE, showing the page at the top of the view)."""
        page = self.first_visible_page()
        if fit == FIT_PAGE:
            self._apply(fit, None)
            self._scroll_to_page(page)  # (the outline stays)
            self.viewport().update()
        else:
            self._keeping_centre(lambda: self._apply(fit, None))

    def _apply(self, fit: str, factor: float | None) -> None:
        self.fit = fit
        if factor is not None:
            self.setZoomFactor(factor)
        self._fit()
        self.zoom_changed.emit()

    def _keeping_centre(self, change: Callable[[], None]) -> None:
        centre = QPointF(self.viewport().rect().center())
        page = self._page_at(centre.y())
        before = self.page_rect(page) if page is not None else QRect()
        change()
        if page is None or before.width() <= 0 or before.height() <= 0:
            return
        fx = (centre.x() - before.x()) / before.width()
        fy = (centre.y() - before.y()) / before.height()
        after = self.page_rect(page)
        vbar, hbar = self.verticalScrollBar(), self.horizontalScrollBar()
        vbar.setValue(round(vbar.value() + after.y() + fy * after.height() - centre.y()))
        hbar.setValue(round(hbar.value() + after.x() + fx * after.width() - centre.x()))
        self.viewport().update()

    def _page_at(self, y: float) -> int | None:
        for page in range(self.page_count()):
            if self.page_rect(page).bottom() >= y:
                return page
        return self.page_count() - 1 if self.page_count() else None

    def _page_sizes(self) -> list[QSize]:
        doc = self.document()
        scale = self._resolution() * self.zoomFactor()
        return [(doc.pagePointSize(p) * scale).toSize() for p in range(self.page_count())]

    def page_rect(self, page: int) -> QRect:
        """Where ``page`` (0-based) is drawn, in the viewport's coordinates."""
        sizes = self._page_sizes()
        if not 0 <= page < len(sizes):
            return QRect()
        margins = self.documentMargins()
        total_width = max(s.width() for s in sizes) + margins.left() + margins.right()
        y = margins.top() + sum(s.height() + self.pageSpacing() for s in sizes[:page])
        x = (max(total_width, self.viewport().width()) - sizes[page].width()) // 2
        return QRect(
            x - self.horizontalScrollBar().value(),
            y - self.verticalScrollBar().value(),
            sizes[page].width(),
            sizes[page].height(),
        )

    def box_rect(self, page: int, box: Box) -> QRectF:
        """``box`` (the file's user space) on ``page``, in viewport coordinates."""
        rect = self.page_rect(page)
        frame = self.frame(page)
        x1, y1, x2, y2 = frame.box_to_display(box)
        size = self.document().pagePointSize(page)  # (as shown: cropped, turned)
        if size.width() <= 0 or size.height() <= 0:
            return QRectF()
        sx, sy = rect.width() / size.width(), rect.height() / size.height()
        return QRectF(
            rect.x() + x1 * sx,
            rect.y() + (size.height() - y2) * sy,
            (x2 - x1) * sx,
            (y2 - y1) * sy,
        )

    # --- what the user asked for ---------------------------------------------
    def show_field(self, page: int, box: Box) -> None:
        """Outline ``box`` on ``page`` and scroll it into view (a quarter of
        the way down the view, so the page around it shows too)."""
        self.outline = (page, box)
        if 0 <= page < self.page_count():
            bar = self.verticalScrollBar()
            target = self.box_rect(page, box)
            top = target.top() + bar.value() - self.viewport().height() / 4
            bar.setValue(max(bar.minimum(), min(bar.maximum(), round(top))))
        self.viewport().update()

    def show_page(self, page: int) -> None:
        """Scroll to the top of ``page`` (0-based), outlining nothing."""
        self.outline = None
        self._scroll_to_page(page)
        self.viewport().update()

    def _scroll_to_page(self, page: int) -> None:
        if 0 <= page < self.page_count():
            bar = self.verticalScrollBar()
            top = self.page_rect(page).top() + bar.value() - self.documentMargins().top()
            bar.setValue(max(bar.minimum(), min(bar.maximum(), top)))

    def mark_changed(self, pages: frozenset[int]) -> None:
        self.changed_pages = pages
        self.viewport().update()

    def first_visible_page(self) -> int:
        """The page at the top of the view (tests and the page label read it)."""
        for page in range(self.page_count()):
            if self.page_rect(page).bottom() > self.viewport().height() // 8:
                return page
        return max(0, self.page_count() - 1)

    # --- events ----------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Ctrl+wheel zooms (one step a notch); the wheel alone scrolls."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y()
            if steps > 0:
                self.zoom_in()
            elif steps < 0:
                self.zoom_out()
            event.accept()
            return
        super().wheelEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.page_count() > 0:
            self._paint_marks()
        self.painted.emit()

    def _paint_marks(self) -> None:
        p = QPainter(self.viewport())
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        for page in sorted(self.changed_pages):
            if page >= self.page_count():
                continue
            rect = self.page_rect(page)
            if not rect.intersects(self.viewport().rect()):
                continue
            p.setPen(QPen(CHANGED, 4))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(rect.adjusted(-2, -2, 2, 2))
            tag = _t("Changed since signing")
            metrics = p.fontMetrics()
            tag_rect = metrics.boundingRect(tag).adjusted(-6, -3, 6, 3)
            # (kept in sight while the page's top is scrolled away)
            tag_rect.moveTopRight(QPoint(rect.right(), max(rect.top(), 0)))
            p.fillRect(tag_rect, CHANGED)
            p.setPen(QColor(255, 255, 255))
            p.drawText(tag_rect, Qt.AlignmentFlag.AlignCenter, tag)
        if self.outline is not None and self.outline[0] < self.page_count():
            page, box = self.outline
            field = self.box_rect(page, box).adjusted(-3, -3, 3, 3)
            colour = self.palette().color(QPalette.ColorRole.Highlight)
            p.setPen(QPen(colour, 3))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(field)
        p.end()
