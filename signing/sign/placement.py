"""Where a visible signature goes: the new field's rectangle in the page's
user space, checked against the page (inside its crop box, /UserUnit
honoured), the page's turn for an upright appearance, and a text size that
can be read.

Coordinates of :class:`~signing.sign.request.FieldPlacement`: a box given
in points or millimetres (the CLI's ``--field``) is in the page's user space
as the page is without /Rotate (x right, y up from the user-space origin,
not from the crop box's corner), converted to user units by /UserUnit; a
box drawn on the page as shown (``as_shown``, the GUI) is converted with the
page's frame (:mod:`signing.appearance.page_frames`).
"""

from __future__ import annotations

import math
from typing import Any

from signing.errors import AppearanceError, DocumentError, SigningError
from signing.model.reasons import signing as reasons
from signing.model.results import Reason
from signing.pdf.document import check_existing_field, field_widget, new_field_name
from signing.sign.request import SignMode, SignRequest

__all__ = ["check_certification", "check_text_size", "field_for", "page_rotation"]


def field_for(request: SignRequest, reader: Any, doc_name: str) -> tuple[str, Any]:
    """(field name, SigFieldSpec for a new field or None for an existing one)."""
    from pyhanko.sign.fields import SigFieldSpec

    placement = request.placement
    check_certification(request, reader)
    try:
        box = placement.box_in_points()
    except ValueError as exc:
        raise SigningError(
            str(exc), ja="署名枠の指定を読み取れません（単位はptまたはmmです）。"
        ) from exc
    if box is not None and not all(math.isfinite(v) for v in box):
        raise DocumentError(
            "The signature rectangle has coordinates that are not numbers.",
            ja="署名枠の座標に数値でない値が含まれています。",
        )
    if placement.field_name and box is None:
        check_existing_field(request.input_path, reader, placement.field_name)
        return placement.field_name, None
    name = placement.field_name or new_field_name(
        reader, "Seal" if request.mode is SignMode.SEAL else "Signature"
    )
    if box is None:
        return name, SigFieldSpec(sig_field_name=name)
    pages = int(reader.root["/Pages"]["/Count"])
    if not 1 <= placement.page <= pages:
        raise DocumentError(
            f"{doc_name} has {pages} page(s); there is no page {placement.page}.",
            ja=f"{doc_name}は{pages}ページしかありません。{placement.page}ページ目はありません。",
        )
    from signing.appearance.page_frames import page_frame

    frame = page_frame(reader, placement.page - 1)
    if placement.as_shown:
        box = frame.box_to_user(box)
    else:
        # points (1/72 in) to user units, which /UserUnit may enlarge
        box = (box[0] / frame.user_unit, box[1] / frame.user_unit,
               box[2] / frame.user_unit, box[3] / frame.user_unit)  # fmt: skip
    x1, y1, x2, y2 = box
    rect: Any = (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))
    if rect[2] - rect[0] < 1 or rect[3] - rect[1] < 1:
        raise DocumentError("The signature rectangle is empty.", ja="署名枠の大きさが0です。")
    _check_inside(rect, frame, placement.page)
    return name, SigFieldSpec(sig_field_name=name, on_page=placement.page - 1, box=rect)


def check_certification(request: SignRequest, reader: Any) -> None:
    """Refuse what pyHanko would refuse in its own English: a certification
    signature on a document already signed, and any signature on a document
    whose certification allows no changes."""
    from pyhanko.sign.fields import MDPPerm, enumerate_sig_fields
    from pyhanko.sign.validation import read_certification_data

    if request.certify is not None and any(
        True for _ in enumerate_sig_fields(reader, filled_status=True)
    ):
        raise DocumentError(
            "Only a document's first signature can certify it, and this document is already signed",
            cli_hint="; sign without --certify (an approval signature).",
            app_hint="; set Certify to “No: an approval signature”.",
            ja="文書を証明できるのは最初の署名だけですが、この文書にはすでに署名があります。",
            cli_hint_ja="--certifyを付けずに（承認署名として）署名してください。",
            app_hint_ja="「文書の証明」を「しない（承認署名）」にしてください。",
        )
    certification = read_certification_data(reader)
    if certification is not None and certification.permission == MDPPerm.NO_CHANGES:
        raise DocumentError(
            "The document's certification signature allows no changes, not even another signature.",
            ja="この文書の証明署名はいかなる変更も許可していないため、署名を追加できません。",
        )


def _check_inside(rect: tuple[float, float, float, float], frame: Any, page: int) -> None:
    """A box outside the page's visible area (its crop box) would sign
    something no one sees; partly outside, it is cut off."""
    vx0, vy0, vx1, vy1 = frame.visible
    x0, y0, x1, y1 = rect
    slack = 0.01
    inside = x0 >= vx0 - slack and y0 >= vy0 - slack and x1 <= vx1 + slack and y1 <= vy1 + slack
    if inside:
        return
    apart = x1 <= vx0 or y1 <= vy0 or x0 >= vx1 or y0 >= vy1
    uu = frame.user_unit

    def pts(b: tuple[float, ...]) -> str:
        return ",".join(f"{v * uu:g}" for v in b)

    raise DocumentError(
        f"The signature box {pts(rect)} lies {'outside' if apart else 'partly outside'} "
        f"page {page}'s visible area (its crop box is {pts(frame.visible)}, in points of the "
        "page's user space, before any /Rotate); give a box inside it.",
        ja=f"署名枠{pts(rect)}は{page}ページ目の表示領域の{'外' if apart else '外にはみ出して'}"
        f"います（クロップボックスは{pts(frame.visible)}。ページのユーザー空間のポイント単位で"
        "/Rotate適用前の値です）。表示領域の内側に枠を置いてください。",
    )


def check_text_size(
    style: Any, field_spec: Any, text_params: dict[str, str], reader: Any, warnings: list[Reason]
) -> None:
    """Refuse a visible box whose text would be unreadably small; warn when
    it is small."""
    from signing.appearance.legibility import TEXT_FLOOR_PT, TEXT_WARN_PT, Legibility, legibility
    from signing.appearance.page_frames import page_frame
    from signing.appearance.stamp import text_size_on_page

    frame = page_frame(reader, field_spec.on_page)
    x0, y0, x1, y1 = field_spec.box
    size = text_size_on_page(style, x1 - x0, y1 - y0, text_params, frame.user_unit)
    standing = legibility(size)
    if standing is Legibility.READABLE:
        return
    w, h = (x1 - x0) * frame.user_unit, (y1 - y0) * frame.user_unit
    if frame.rotation in (90, 270):
        w, h = h, w
    shown = f"it is shown {w:.0f} pt wide and {h:.0f} pt tall"
    shown_ja = f"表示上の大きさは幅{w:.0f} pt、高さ{h:.0f} ptです"
    if frame.rotation:
        shown += f" (the page is turned by {frame.rotation}°)"
        shown_ja += f"（ページは{frame.rotation}°回転しています）"
    if standing is Legibility.TOO_SMALL:
        raise AppearanceError(
            f"The signature box is too small for its text: the text would be {size:.1f} pt, "
            f"under the {TEXT_FLOOR_PT:g} pt minimum; {shown}. Make the box larger.",
            ja=f"署名枠が小さすぎて文字が読めません。文字の大きさは{size:.1f} ptとなり、"
            f"最小の{TEXT_FLOOR_PT:g} ptを下回ります。{shown_ja}。枠を大きくしてください。",
        )
    warnings.append(reasons.stamp_text_small(size, TEXT_WARN_PT, shown, shown_ja))


def page_rotation(reader: Any, request: SignRequest, field_spec: Any) -> int:
    """The /Rotate of the page the visible signature goes on (a new field's,
    or an existing field's widget page), for an upright appearance."""
    from pyhanko.sign.fields import enumerate_sig_fields

    from signing.appearance.page_frames import frame_of, page_frame

    try:
        if field_spec is not None:
            return page_frame(reader, field_spec.on_page).rotation
        for name, _value, ref in enumerate_sig_fields(reader, filled_status=None):
            if name == request.placement.field_name:
                widget = field_widget(ref.get_object())
                return frame_of(widget["/P"]).rotation if "/P" in widget else 0
    except Exception:  # a page pyHanko cannot read: the appearance stays unturned
        pass
    return 0
