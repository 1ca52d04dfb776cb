"""How legible a stamp's text is at the size it gets on the page: the one
rule the signer enforces (:func:`signing.sign.placement.check_text_size`)
and the sign screen shows while the box is drawn. No pyHanko here: the GUI
reads it on its own thread."""

from __future__ import annotations

import enum

#: below this size (in points, as printed) the stamp's text gets a warning
TEXT_WARN_PT = 6.0
#: below this size the stamp is refused: unreadable on paper or screen
TEXT_FLOOR_PT = 4.0


class Legibility(enum.Enum):
    """The text size's standing, from worst to best."""

    TOO_SMALL = "too-small"
    """Under :data:`TEXT_FLOOR_PT`: signing refuses the box."""
    SMALL = "small"
    """Under :data:`TEXT_WARN_PT`: signed, with a warning."""
    READABLE = "readable"


def legibility(text_pt: float) -> Legibility:
    """The standing of text set at ``text_pt`` points on the page."""
    if text_pt < TEXT_FLOOR_PT:
        return Legibility.TOO_SMALL
    if text_pt < TEXT_WARN_PT:
        return Legibility.SMALL
    return Legibility.READABLE


__all__ = ["TEXT_FLOOR_PT", "TEXT_WARN_PT", "Legibility", "legibility"]
