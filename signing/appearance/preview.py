# pyHanko's PDF object helpers are only partly annotated.
# mypy: disable-error-code="no-untyped-call"
"""The stamp as signing will draw it, for the sign screen's preview: a
one-page PDF the size of the box, holding the appearance stream that
:mod:`signing.appearance.stamp` and pyHanko's stamp layer build for the
signature, and the size its text gets.

The page is the box as the user sees it (upright, in the displayed page's
points): on a turned page the signer lays the stamp out at that shown size
and turns it back with the form's /Matrix, so the page shows it exactly as
here. Nothing here knows Qt; the GUI renders the PDF with QtPdf.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from signing.appearance.legibility import Legibility, legibility
from signing.appearance.stamp import (
    TIMESTAMP_FORMAT,
    AppearanceSpec,
    stamp_style,
    text_params,
    text_size_on_page,
)
from signing.errors import AppearanceError

#: the largest page side PDF allows (ISO 32000-1, annex C), in user units
_MAX_SIDE = 14_400.0


@dataclass(frozen=True)
class StampPreview:
    """A stamp rendered for the preview."""

    pdf: bytes
    """One page, the box's size as shown (in user units of the signed page),
    holding the stamp's appearance at its lower-left corner."""

    size: tuple[float, float]
    """The box as shown, width and height in points."""

    text_pt: float
    """The size in points the stamp's text gets on the page."""

    legibility: Legibility
    """What signing makes of that size (refused, warned or fine)."""


def stamp_preview(
    spec: AppearanceSpec,
    size: tuple[float, float],
    *,
    signer: str,
    seal: bool = False,
    reason: str | None = None,
    location: str | None = None,
    organisation: str | None = None,
    user_unit: float = 1.0,
    when: datetime | None = None,
) -> StampPreview:
    """The stamp for a box of ``size`` (width, height in points, as shown)
    with the values signing would give it: ``signer`` stands for the
    certificate's name, ``when`` (default: now, in local time as pyHanko
    writes it) for the signing time, ``user_unit`` is the page's /UserUnit.
    Raises :class:`AppearanceError` as signing would (a bad template, an
    unreadable image, a missing font) and for a box that is not a size."""
    from pyhanko.pdf_utils import generic, layout
    from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

    width, height = size
    if not (math.isfinite(user_unit) and user_unit > 0):
        raise AppearanceError(
            f"The page's unit ({user_unit}) is not a usable size.",
            ja=f"ページの単位（{user_unit}）は使える大きさではありません。",
        )
    w, h = width / user_unit, height / user_unit
    if not all(math.isfinite(v) and 1 <= v <= _MAX_SIDE for v in (w, h)):
        raise AppearanceError(
            f"The signature box {width:g} x {height:g} pt is not a usable size.",
            ja=f"署名の枠（{width:g} × {height:g} pt）は使える大きさではありません。",
        )
    style = stamp_style(spec, seal=seal)
    params = text_params(
        spec, seal=seal, reason=reason, location=location, organisation=organisation, signer=signer
    )
    stamped_at = when or datetime.now().astimezone()
    # what pyHanko's embedder adds for a text stamp: the signer's name and the time
    values = {**params, "signer": signer, "ts": stamped_at.strftime(TIMESTAMP_FORMAT)}
    writer = PdfFileWriter()
    empty = writer.add_object(generic.StreamObject(stream_data=b""))
    writer.insert_page(PageObject(contents=empty, media_box=(0, 0, w, h)))
    stamp = style.create_stamp(writer, layout.BoxConstraints(width=w, height=h), values)
    assert stamp is not None  # (a text stamp style always makes one)
    stamp.apply(0, 0, 0)  # (the form XObject the signature's widget gets as /AP /N)
    out = BytesIO()
    writer.write(out)
    text_pt = text_size_on_page(style, w, h, values, user_unit)
    return StampPreview(out.getvalue(), (width, height), text_pt, legibility(text_pt))


__all__ = ["StampPreview", "stamp_preview"]
