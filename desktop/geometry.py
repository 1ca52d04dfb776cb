"""Widget pixels <-> PDF points for the page preview.

PDF user space has its origin at the bottom-left of the page and counts in
points (1/72 in); the widget has its origin top-left and counts in logical
pixels. The page is drawn at ``origin`` (its top-left corner, in pixels) and
scaled by ``scale`` pixels per point (zoom times 1 pt = 1 px at 100 %).
"""

from __future__ import annotations

from dataclasses import dataclass

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class PageGeometry:
    width_pt: float
    height_pt: float
    scale: float  # logical pixels per point
    origin_x: float = 0.0
    origin_y: float = 0.0

    def to_pdf(self, x: float, y: float) -> tuple[float, float]:
        """A widget point to a PDF point, clamped to the page."""
        px = (x - self.origin_x) / self.scale
        py = self.height_pt - (y - self.origin_y) / self.scale
        return _clamp(px, 0.0, self.width_pt), _clamp(py, 0.0, self.height_pt)

    def to_widget(self, x_pt: float, y_pt: float) -> tuple[float, float]:
        return (
            self.origin_x + x_pt * self.scale,
            self.origin_y + (self.height_pt - y_pt) * self.scale,
        )

    def rect_to_pdf(self, x1: float, y1: float, x2: float, y2: float) -> Box:
        """Two widget corners (any order) to a PDF box (x1, y1, x2, y2) with
        x1 < x2 and y1 < y2, origin bottom-left, in points."""
        ax, ay = self.to_pdf(x1, y1)
        bx, by = self.to_pdf(x2, y2)
        return (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))

    def box_to_widget(self, box: Box) -> tuple[float, float, float, float]:
        """A PDF box to a widget rectangle (left, top, width, height)."""
        left, top = self.to_widget(box[0], box[3])
        right, bottom = self.to_widget(box[2], box[1])
        return left, top, right - left, bottom - top

    @property
    def width_px(self) -> float:
        return self.width_pt * self.scale

    @property
    def height_px(self) -> float:
        return self.height_pt * self.scale


def _clamp(v: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, v))
