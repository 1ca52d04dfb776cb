"""The verdict screen's page view: QtPdf's QPdfView (all pages, one below the
other, fitted to the width) with what Shomei draws over it: the outline of
the selected signature's field, and the pages a comparison found changed.

QPdfView does not say where it placed a page, so :meth:`PdfPages.page_rect`
recomputes it the way QPdfView lays pages out (custom zoom: each page
``point size x logical DPI / 72 x zoom`` rounded, centred, ``documentMargins``
around and ``pageSpacing`` between). The GUI tests check the outline against
rendered page content, so a change in Qt's layout shows up as a failure.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
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


class PdfPages(QPdfView):
    """All pages of a document, fitted to the width; outlines a field and
    marks changed pages on top of QtPdf's rendering."""

    #: after each paint (the pane loads a new file's pages after the first)
    painted = Signal()

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

    # --- document ------------------------------------------------------------
    def show_document(self, document: QPdfDocument) -> None:
        self.setDocument(document)
        self.outline = None
        self.changed_pages = frozenset()
        self._fit_width()
        self.verticalScrollBar().setValue(0)
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

    def _fit_width(self) -> None:
        doc = self.document()
        if self.page_count() == 0 or doc is None:
            return
        margins = self.documentMargins()
        widest = max(doc.pagePointSize(p).width() for p in range(self.page_count()))
        avail = self.viewport().width() - margins.left() - margins.right()
        if widest > 0 and avail > 0:
            self.setZoomFactor(avail / (widest * self._resolution()))

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
        if 0 <= page < self.page_count():
            bar = self.verticalScrollBar()
            top = self.page_rect(page).top() + bar.value() - self.documentMargins().top()
            bar.setValue(max(bar.minimum(), min(bar.maximum(), top)))
        self.viewport().update()

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
        self._fit_width()

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
