"""The visible box: refused outside the page's crop box, /UserUnit
honoured, the text never unreadably small (a warning when small)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from signing.appearance.stamp import TEXT_FLOOR_PT, TEXT_WARN_PT, AppearanceSpec
from signing.errors import AppearanceError, DocumentError
from signing.sign.request import FieldPlacement, Level
from tests.pdf_factory import make_pdf
from tests.pki import PKI
from tests.sign_checks import leftovers
from tests.test_sign_levels import request, sign

CROP = (50.0, 100.0, 450.0, 700.0)


def _page(src: Path, out: Path, **entries: object) -> Path:
    """``src`` with extra entries on its first page (numbers or boxes)."""
    with src.open("rb") as fh:
        writer = IncrementalPdfFileWriter(fh)
        page = writer.root["/Pages"]["/Kids"][0].get_object()
        for key, value in entries.items():
            page[f"/{key}"] = (
                generic.ArrayObject(generic.FloatObject(v) for v in value)
                if isinstance(value, tuple)
                else generic.FloatObject(value)  # type: ignore[arg-type]
            )
        writer.update_container(page)
        with out.open("wb") as dst:
            writer.write(dst)
    return out


def _rect(path: Path) -> tuple[float, ...]:
    with path.open("rb") as fh:
        rect = PdfFileReader(fh).embedded_signatures[0].sig_field["/Rect"]
        return tuple(round(float(v), 2) for v in rect)


@pytest.fixture(scope="module")
def cropped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("crop")
    return _page(make_pdf(folder / "in.pdf"), folder / "cropped.pdf", CropBox=CROP)


@pytest.mark.parametrize(
    ("box", "words"),
    [
        ((600, 600, 800, 660), "lies outside"),  # beside the page
        ((10, 10, 40, 60), "lies outside"),  # in the MediaBox, not the CropBox
        ((400, 600, 500, 660), "partly outside"),
    ],
)
def test_a_box_outside_the_crop_box_is_refused(
    pki: PKI, cropped: Path, tmp_path: Path, box: tuple[float, ...], words: str
) -> None:
    out = tmp_path / "o.pdf"
    placement = FieldPlacement(page=1, box=box)  # type: ignore[arg-type]
    with pytest.raises(DocumentError, match=words) as info:
        sign(request(pki, cropped, out, level=Level.B_B, placement=placement))
    assert "crop box is 50,100,450,700" in str(info.value)
    assert leftovers(tmp_path, "o.pdf") == []


def test_a_box_inside_the_crop_box_is_signed(pki: PKI, cropped: Path, tmp_path: Path) -> None:
    out = tmp_path / "o.pdf"
    placement = FieldPlacement(page=1, box=(60, 110, 260, 180))
    sign(request(pki, cropped, out, level=Level.B_B, placement=placement))
    assert _rect(out) == (60, 110, 260, 180)


def test_user_unit_is_honoured(pki: PKI, tmp_path: Path) -> None:
    """With /UserUnit 2 a user-space unit is 2 pt: a box given in points
    lands at half the numbers, the same place on paper."""
    src = _page(make_pdf(tmp_path / "in.pdf"), tmp_path / "uu.pdf", UserUnit=2)
    out = tmp_path / "o.pdf"
    placement = FieldPlacement(page=1, box=(100, 100, 500, 240))
    sign(request(pki, src, out, level=Level.B_B, placement=placement))
    assert _rect(out) == (50, 50, 250, 120)
    # and the millimetre form the same way: 2 mm is 5.67 pt, 2.83 user units
    out2 = tmp_path / "o2.pdf"
    mm = FieldPlacement(page=1, box=(20, 20, 100, 60), unit="mm")
    sign(request(pki, src, out2, level=Level.B_B, placement=mm))
    assert _rect(out2) == (28.35, 28.35, 141.73, 85.04)


def test_text_below_the_floor_is_refused(pki: PKI, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    out = tmp_path / "o.pdf"
    placement = FieldPlacement(page=1, box=(50, 50, 90, 62))
    with pytest.raises(AppearanceError, match="too small for its text") as info:
        sign(request(pki, src, out, level=Level.B_B, placement=placement))
    assert f"{TEXT_FLOOR_PT:g} pt minimum" in str(info.value)
    assert leftovers(tmp_path, "o.pdf") == []


def test_small_text_on_a_turned_page_warns(pki: PKI, tmp_path: Path) -> None:
    """The 270° case of the report: a wide box in user space is a tall,
    narrow one as shown; the text shrinks, and the user is told why."""
    src = _page(make_pdf(tmp_path / "in.pdf"), tmp_path / "turned.pdf", Rotate=270)
    out = tmp_path / "o.pdf"
    placement = FieldPlacement(page=1, box=(50, 50, 250, 120))
    result = sign(
        request(pki, src, out, level=Level.B_B, placement=placement, appearance=AppearanceSpec())
    )
    (warning,) = [w for w in result.warnings if "text is small" in w]
    assert "turned by 270°" in warning and "shown 70 pt wide and 200 pt tall" in warning
    assert f"{TEXT_WARN_PT:g} pt or more" in warning


def test_a_roomy_box_has_no_text_warning(pki: PKI, tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    out = tmp_path / "o.pdf"
    placement = FieldPlacement(page=1, box=(50, 50, 300, 130))
    result = sign(request(pki, src, out, level=Level.B_B, placement=placement))
    assert not [w for w in result.warnings if "text" in w]
