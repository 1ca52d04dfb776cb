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


# --- moving and resizing a box on the page (points, as the page is shown) ----

#: the sides of a box a drag may move: any of "left", "right", "bottom",
#: "top" (top = the larger y, PDF's way up); empty = the whole box moves
Edges = frozenset[str]


def grab(
    box_px: tuple[float, float, float, float], x: float, y: float, grip: float
) -> Edges | None:
    """What a press at widget point (x, y) takes hold of in a box drawn at
    ``box_px`` (left, top, width, height): the sides within ``grip`` pixels
    (a corner: two), ``frozenset()`` inside it (a move), None outside."""
    left, top, w, h = box_px
    right, bottom = left + w, top + h
    if not (left - grip <= x <= right + grip and top - grip <= y <= bottom + grip):
        return None
    edges = set()
    # (in a box too small for both grips, the nearer side wins)
    if abs(x - left) <= grip and abs(x - left) <= abs(x - right):
        edges.add("left")
    elif abs(x - right) <= grip:
        edges.add("right")
    if abs(y - top) <= grip and abs(y - top) <= abs(y - bottom):
        edges.add("top")
    elif abs(y - bottom) <= grip:
        edges.add("bottom")
    return frozenset(edges)


def moved(box: Box, dx: float, dy: float, width: float, height: float) -> Box:
    """``box`` moved by (dx, dy) points, kept whole on a ``width`` x ``height``
    page (it stops at the edge rather than shrinking)."""
    x1, y1, x2, y2 = box
    dx = _clamp(dx, -x1, width - x2)
    dy = _clamp(dy, -y1, height - y2)
    return (x1 + dx, y1 + dy, x2 + dx, y2 + dy)


def resized(
    box: Box, edges: Edges, x: float, y: float, width: float, height: float, minimum: float
) -> Box:
    """``box`` with the sides in ``edges`` moved to the point (x, y), kept on
    the page and at least ``minimum`` points wide and tall (a side stops
    short of crossing the opposite one)."""
    x1, y1, x2, y2 = box
    if "left" in edges:
        x1 = _clamp(x, 0.0, x2 - minimum)
    if "right" in edges:
        x2 = _clamp(x, x1 + minimum, width)
    if "bottom" in edges:
        y1 = _clamp(y, 0.0, y2 - minimum)
    if "top" in edges:
        y2 = _clamp(y, y1 + minimum, height)
    return (x1, y1, x2, y2)
