"""Signatures on rotated and cropped pages: the way between the page as shown
and PDF user space (:mod:`signing.appearance.page_frames`), and an appearance that reads
upright where the page is shown turned (rendered by poppler)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from signing.appearance.page_frames import PageFrame, list_page_frames
from signing.appearance.stamp import AppearanceSpec
from signing.sign.request import FieldPlacement, Level
from tests.pdf_factory import make_pdf
from tests.pki import PKI
from tests.test_appearance import crop_points, dark_fraction, hanko_png, reddish_fraction
from tests.test_sign_levels import request, sign

CROP = (50.0, 100.0, 450.0, 700.0)  # a 400 x 600 pt visible region


def _with_frame(src: Path, out: Path, rotate: int, on_pages_node: bool = False) -> Path:
    """``src`` with its first page cropped to CROP and turned by ``rotate``
    (set on the page, or inherited from the page tree's root)."""
    with src.open("rb") as fh:
        writer = IncrementalPdfFileWriter(fh)
        page = writer.root["/Pages"]["/Kids"][0].get_object()
        page["/CropBox"] = generic.ArrayObject(generic.FloatObject(v) for v in CROP)
        holder = writer.root["/Pages"] if on_pages_node else page
        holder["/Rotate"] = generic.NumberObject(rotate)
        writer.update_container(page)
        writer.update_container(writer.root["/Pages"])
        with out.open("wb") as dst:
            writer.write(dst)
    return out


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_shown_and_user_space_round_trip(rotation: int) -> None:
    frame = PageFrame(CROP, rotation)
    w, h = frame.display_size
    assert (w, h) == ((600.0, 400.0) if rotation in (90, 270) else (400.0, 600.0))
    shown = (20.0, 30.0, 170.0, 90.0)
    user = frame.box_to_user(shown)
    assert frame.box_to_display(user) == pytest.approx(shown)
    # a shown box stays inside the visible region, and keeps its area
    assert CROP[0] <= user[0] < user[2] <= CROP[2] and CROP[1] <= user[1] < user[3] <= CROP[3]
    assert (user[2] - user[0]) * (user[3] - user[1]) == pytest.approx(150 * 60)


def test_corners_turn_clockwise() -> None:
    # the visible region's lower-left corner, shown turned clockwise by 90:
    # it is the shown page's upper-left corner
    assert PageFrame(CROP, 90).point_to_display(50, 100) == (0, 400)
    assert PageFrame(CROP, 180).point_to_display(50, 100) == (400, 600)
    assert PageFrame(CROP, 270).point_to_display(50, 100) == (600, 0)
    assert PageFrame(CROP, 0).point_to_display(50, 100) == (0, 0)


def test_frames_read_from_the_file(tmp_path: Path) -> None:
    src = make_pdf(tmp_path / "in.pdf", pages=2)
    turned = _with_frame(src, tmp_path / "turned.pdf", -90, on_pages_node=True)
    first, second = list_page_frames(turned)
    assert first == PageFrame(CROP, 270)  # -90 is 270, inherited from /Pages
    assert second.rotation == 270 and second.visible == (0.0, 0.0, 595.0, 842.0)
    odd = _with_frame(src, tmp_path / "odd.pdf", 45)
    assert list_page_frames(odd)[0].rotation == 0  # not a quarter turn: as viewers do


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
@pytest.mark.parametrize("rotation", [90, 270])
def test_appearance_reads_upright_on_a_turned_page(pki: PKI, tmp_path: Path, rotation: int) -> None:
    src = _with_frame(make_pdf(tmp_path / "in.pdf"), tmp_path / "turned.pdf", rotation)
    frame = list_page_frames(src)[0]
    shown = (40.0, 40.0, 280.0, 120.0)  # wide, as the user drew it on the shown page
    placement = FieldPlacement(page=1, box=shown, as_shown=True)  # converted by the signer
    appearance = AppearanceSpec(image=hanko_png(tmp_path / "hanko.png"), image_position="left")
    out = tmp_path / "signed.pdf"
    sign(request(pki, src, out, level=Level.B_B, placement=placement, appearance=appearance))

    with out.open("rb") as fh:
        sig = PdfFileReader(fh).embedded_signatures[0]
        widget = sig.sig_field["/Kids"][0] if "/Kids" in sig.sig_field else sig.sig_field
        rect = [float(v) for v in widget["/Rect"]]
        assert rect == pytest.approx(list(frame.box_to_user(shown)))
        normal = widget["/AP"]["/N"]
        x1, y1, x2, y2 = (float(v) for v in normal["/BBox"])
        assert (abs(x2 - x1), abs(y2 - y1)) == (240, 80)  # laid out as shown
        assert "/Matrix" in normal

    page = _render_shown(out, tmp_path)
    w, h = frame.display_size
    assert abs(page.width / page.height - w / h) < 0.02
    area = _shown_area(page, shown, w, h)
    left = area.crop((0, 0, area.width // 2, area.height))
    right = area.crop((area.width * 6 // 10, 0, area.width, area.height))
    assert reddish_fraction(left) > 0.03  # the hanko on the left, as on an upright page
    assert reddish_fraction(right) < 0.005
    assert dark_fraction(area, below=200) > 0.03  # and the text beside it


def _render_shown(path: Path, tmp: Path) -> Image.Image:
    """The first page as a viewer shows it: cropped, then turned."""
    prefix = tmp / f"{path.stem}-shown"
    subprocess.run(
        ["pdftoppm", "-cropbox", "-r", "50", "-png", "-singlefile", str(path), str(prefix)],
        check=True,
        timeout=60,
    )
    return Image.open(f"{prefix}.png").convert("RGB")


def _shown_area(page: Image.Image, box: tuple[float, ...], w: float, h: float) -> Image.Image:
    return crop_points(page, box, page.width / w, page.height / h, h)


def _pdf(objects: dict[int, bytes]) -> bytes:
    """A small hand-built PDF (object number -> body), catalog 1."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for n in sorted(objects):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + objects[n] + b"\nendobj\n"
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for n in range(1, size):
        out += b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def _one_page(page_extra: bytes = b"", count: int = 1, pages_extra: bytes = b"") -> bytes:
    return _pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] >> >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count %d " % count + pages_extra + b">>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Annots [4 0 R] "
            + page_extra
            + b">>",
            4: b"<< /Type /Annot /Subtype /Widget /FT /Sig /T (Sig1) "
            b"/Rect [100 100 300 160] /P 3 0 R /F 4 >>",
        }
    )


@pytest.mark.parametrize(
    ("page_extra", "count", "turned"),
    [(b"", 2, False), (b"/Rotate 90", 1, True)],
    ids=["page-count-wrong", "turned-page"],
)
def test_existing_field_signed_upright(
    pki: PKI, tmp_path: Path, page_extra: bytes, count: int, turned: bool
) -> None:
    """An existing field: its page comes from its widget (a page tree whose
    /Count is wrong is no reason to refuse), turned when the page is."""
    src = tmp_path / "field.pdf"
    src.write_bytes(_one_page(page_extra, count))
    out = tmp_path / "signed.pdf"
    placement = FieldPlacement(field_name="Sig1")
    sign(request(pki, src, out, level=Level.B_B, placement=placement, appearance=AppearanceSpec()))
    with out.open("rb") as fh:
        normal = PdfFileReader(fh).embedded_signatures[0].sig_field["/AP"]["/N"]
        assert ("/Matrix" in normal) is turned


@pytest.mark.parametrize(
    ("page_extra", "pages_extra", "expected"),
    [
        (b"/Rotate 135", b"", PageFrame((0.0, 0.0, 612.0, 792.0), 90)),  # as PDFium rounds
        (b"/Rotate 1" + b"0" * 400, b"", PageFrame((0.0, 0.0, 612.0, 792.0), 0)),
        (b"/CropBox [700 900 800 1000]", b"", PageFrame((0.0, 0.0, 612.0, 792.0), 0)),
        (b"/CropBox [0 0 1" + b"0" * 400 + b".5 10]", b"", PageFrame((0.0, 0.0, 612.0, 792.0), 0)),
        (b"", b"/Parent 5 /Rotate 90", PageFrame((0.0, 0.0, 612.0, 792.0), 90)),
    ],
    ids=["rotate-135", "rotate-huge", "crop-outside", "crop-infinite", "parent-not-dict"],
)
def test_odd_frames_fall_back_as_viewers_do(
    tmp_path: Path, page_extra: bytes, pages_extra: bytes, expected: PageFrame
) -> None:
    path = tmp_path / "odd.pdf"
    path.write_bytes(_one_page(page_extra, pages_extra=pages_extra))
    assert list_page_frames(path) == [expected]
