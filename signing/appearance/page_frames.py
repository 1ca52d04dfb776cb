"""How a page is shown, and the way between what the user sees and PDF space.

A viewer shows a page's visible region (its CropBox, within its MediaBox)
turned clockwise by its /Rotate. Signature rectangles live in the page's
unrotated user space. A user placing a signature on a rotated or cropped
page works in the displayed page, so the GUI converts here, both ways.

Displayed coordinates are points from the displayed page's lower-left
corner, x to the right and y up, as a viewer with the page upright on
screen would measure them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from signing.secrets import SecretPrompt

Box = tuple[float, float, float, float]

#: the form matrix that turns an upright appearance into a page turned by
#: the key (clockwise, as /Rotate): the content is turned back the other way
APPEARANCE_MATRIX: dict[int, tuple[int, int, int, int, int, int]] = {
    90: (0, 1, -1, 0, 0, 0),
    180: (-1, 0, 0, -1, 0, 0),
    270: (0, -1, 1, 0, 0, 0),
}


@dataclass(frozen=True)
class PageFrame:
    """A page's visible box in user space and its rotation (0, 90, 180, 270)."""

    visible: Box
    rotation: int = 0
    #: the page's /UserUnit: one user-space unit is this many points
    user_unit: float = 1.0

    @property
    def display_size(self) -> tuple[float, float]:
        """(width, height) in points, as the page is shown."""
        x0, y0, x1, y1 = self.visible
        w, h = x1 - x0, y1 - y0
        return (h, w) if self.rotation in (90, 270) else (w, h)

    def point_to_user(self, x: float, y: float) -> tuple[float, float]:
        """A displayed point to user space."""
        x0, y0, x1, y1 = self.visible
        cw, ch = x1 - x0, y1 - y0
        a, b = {
            0: (x, y),
            90: (cw - y, x),
            180: (cw - x, ch - y),
            270: (y, ch - x),
        }[self.rotation]
        return x0 + a, y0 + b

    def point_to_display(self, u: float, v: float) -> tuple[float, float]:
        """A user-space point to displayed coordinates."""
        x0, y0, x1, y1 = self.visible
        cw, ch = x1 - x0, y1 - y0
        a, b = u - x0, v - y0
        return {
            0: (a, b),
            90: (b, cw - a),
            180: (cw - a, ch - b),
            270: (ch - b, a),
        }[self.rotation]

    def box_to_user(self, box: Box) -> Box:
        """A displayed rectangle to user space (x1 < x2, y1 < y2)."""
        return _normal(*self.point_to_user(box[0], box[1]), *self.point_to_user(box[2], box[3]))

    def box_to_display(self, box: Box) -> Box:
        """A user-space rectangle to displayed coordinates (x1 < x2, y1 < y2)."""
        return _normal(
            *self.point_to_display(box[0], box[1]), *self.point_to_display(box[2], box[3])
        )


def _normal(ax: float, ay: float, bx: float, by: float) -> Box:
    return (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))


def _box(value: Any) -> Box | None:
    try:
        x1, y1, x2, y2 = (float(v) for v in value)
    except (TypeError, ValueError):
        return None
    if not all(math.isfinite(v) for v in (x1, y1, x2, y2)):
        return None
    return _normal(x1, y1, x2, y2)


def frame_of(page: Any) -> PageFrame:
    """The frame of a pyHanko page dictionary (inherited entries included).
    Broken values fall back as PDFium, the viewer in the app, reads them: a
    missing or unusable box is the MediaBox (US Letter without one), a
    /Rotate is rounded down to a quarter turn."""
    media = _box(_inherited(page, "/MediaBox")) or (0.0, 0.0, 612.0, 792.0)
    crop = _box(_inherited(page, "/CropBox")) or media
    x0, y0 = max(crop[0], media[0]), max(crop[1], media[1])
    x1, y1 = min(crop[2], media[2]), min(crop[3], media[3])
    visible = (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else media
    try:
        quarters = int(float(_inherited(page, "/Rotate") or 0) / 90)
    except (TypeError, ValueError, OverflowError):
        quarters = 0
    return PageFrame(visible, (quarters % 4) * 90, _user_unit(page))


def _user_unit(page: Any) -> float:
    """/UserUnit (PDF 1.6; a page's own entry, not inherited); 1 when
    missing or unusable."""
    try:
        value = float(page.get("/UserUnit", 1))
    except (TypeError, ValueError, OverflowError, AttributeError):
        return 1.0
    return value if math.isfinite(value) and 0 < value <= 75000 else 1.0


def _inherited(page: Any, key: str) -> Any:
    from pyhanko.pdf_utils import generic  # (the GUI imports this module for PageFrame)

    node, seen = page, 0
    while isinstance(node, generic.DictionaryObject) and seen < 64:  # (a /Parent loop ends)
        if key in node:
            return node[key]
        if "/Parent" not in node:  # (pyHanko's get() would not dereference it)
            return None
        node = node["/Parent"]
        seen += 1
    return None


def page_frame(reader: Any, page_index: int) -> PageFrame:
    """The frame of page ``page_index`` (0-based) of a pyHanko reader."""
    ref, _resources = reader.find_page_for_modification(page_index)
    return frame_of(ref.get_object())


def list_page_frames(path: Path, prompt: SecretPrompt | None = None) -> Sequence[PageFrame]:
    """The frame of every page of ``path``, in order."""
    from signing.pdf.document import opened_pdf
    from signing.pdf.pages import iter_pages
    from signing.secrets import NoSecret

    with opened_pdf(path, prompt or NoSecret()) as doc:
        return [frame_of(page) for _idnum, page in iter_pages(doc.reader)]


__all__ = [
    "APPEARANCE_MATRIX",
    "Box",
    "PageFrame",
    "frame_of",
    "list_page_frames",
    "page_frame",
]
