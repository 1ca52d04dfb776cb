"""The sign screen's preview comes from the signer's own stamp: the preview
PDF holds the same appearance stream the signed file's widget gets (on a
plain and on a turned page), and its text size and standing are the ones
the signer checks (refused under the floor, warned under the warning size)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from signing.appearance.legibility import TEXT_FLOOR_PT, TEXT_WARN_PT, Legibility, legibility
from signing.appearance.page_frames import page_frame
from signing.appearance.preview import stamp_preview
from signing.appearance.stamp import AppearanceSpec
from signing.errors import AppearanceError
from signing.sign.request import FieldPlacement, Level
from tests.pdf_factory import make_pdf
from tests.pki import PKI
from tests.test_sign_box import _page
from tests.test_sign_levels import request, sign

#: no %(ts)s: the preview is made before the signing time is known
TEMPLATE = "%(label_signer)s%(sep)s%(signer)s%(details)s"
SPEC = AppearanceSpec(template=TEMPLATE)
SIGNER = "Alice Tester"  # the CN of the test PKI's signer-rsa


def _page_forms(pdf: bytes) -> list[bytes]:
    """The decoded content of the form XObjects the first page paints."""
    reader = PdfFileReader(BytesIO(pdf))
    page = reader.root["/Pages"]["/Kids"][0]
    forms = page["/Resources"]["/XObject"]
    return [forms[name].data for name in forms]


@pytest.mark.parametrize("rotate", [0, 90])
def test_the_preview_holds_the_appearance_stream_signing_writes(
    pki: PKI, tmp_path: Path, rotate: int
) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    if rotate:
        src = _page(src, tmp_path / "turned.pdf", Rotate=rotate)
    shown = (60.0, 80.0, 260.0, 150.0)  # 200 x 70 pt as the page is shown
    out = tmp_path / "out.pdf"
    placement = FieldPlacement(page=1, box=shown, as_shown=True)
    sign(
        request(
            pki, src, out, level=Level.B_B, placement=placement, appearance=SPEC,
            reason="承認", location="Tokyo",
        )
    )  # fmt: skip
    preview = stamp_preview(SPEC, (200, 70), signer=SIGNER, reason="承認", location="Tokyo")
    with out.open("rb") as fh:
        reader = PdfFileReader(fh)
        widget = reader.embedded_signatures[0].sig_field
        signed = widget["/AP"]["/N"].data
        frame = page_frame(reader, 0)
    assert frame.rotation == rotate
    # the stamp's own stream, byte for byte (the preview adds only its page)
    assert _page_forms(preview.pdf) == [signed]
    assert preview.size == (200, 70)
    assert preview.legibility is Legibility.READABLE and preview.text_pt == pytest.approx(10)


def test_the_preview_tells_what_signing_will_make_of_the_text(pki: PKI, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    tiny = stamp_preview(SPEC, (40, 12), signer=SIGNER)
    assert tiny.text_pt < TEXT_FLOOR_PT and tiny.legibility is Legibility.TOO_SMALL
    with pytest.raises(AppearanceError, match="too small for its text"):
        sign(
            request(
                pki, src, tmp_path / "a.pdf", level=Level.B_B, appearance=SPEC,
                placement=FieldPlacement(page=1, box=(50, 50, 90, 62)),
            )
        )  # fmt: skip
    small = stamp_preview(SPEC, (70, 14), signer=SIGNER)
    assert TEXT_FLOOR_PT <= small.text_pt < TEXT_WARN_PT
    assert small.legibility is Legibility.SMALL
    result = sign(
        request(
            pki, src, tmp_path / "b.pdf", level=Level.B_B, appearance=SPEC,
            placement=FieldPlacement(page=1, box=(50, 50, 120, 64)),
        )
    )  # fmt: skip
    assert [w for w in result.warnings if "text is small" in w]


def test_user_unit_scales_the_text_as_on_the_page() -> None:
    plain = stamp_preview(SPEC, (70, 14), signer=SIGNER)
    doubled = stamp_preview(SPEC, (70, 14), signer=SIGNER, user_unit=2.0)
    # the same shown box is half as many user units: the same text size in points
    assert doubled.text_pt == pytest.approx(plain.text_pt, rel=0.02)


@pytest.mark.parametrize(
    "size", [(0, 50), (50, float("nan")), (float("inf"), 10), (-5, 20), (1e9, 10)]
)
def test_a_box_that_is_not_a_size_is_refused(size: tuple[float, float]) -> None:
    with pytest.raises(AppearanceError, match="not a usable size"):
        stamp_preview(SPEC, size, signer=SIGNER)


def test_a_bad_template_is_refused_as_signing_refuses_it() -> None:
    with pytest.raises(AppearanceError, match="malformed"):
        stamp_preview(AppearanceSpec(template="%(signer)"), (200, 70), signer=SIGNER)


def test_legibility_bounds() -> None:
    assert legibility(TEXT_FLOOR_PT - 0.01) is Legibility.TOO_SMALL
    assert legibility(TEXT_FLOOR_PT) is Legibility.SMALL
    assert legibility(TEXT_WARN_PT) is Legibility.READABLE
