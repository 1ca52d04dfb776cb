"""The sign screen's box and preview, driven with real mouse events: the
drawn box moves and resizes within the page as shown (also on a turned,
cropped page, where the signed rectangle is the one under it); a small box
warns, a too small one is refused with the reason; and the preview's stamp,
rendered, is the signed file's, rendered (within a small pixel tolerance)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions

from desktop.geometry import Box
from desktop.main_window import MainWindow
from desktop.page_preview import MIN_BOX_PT
from desktop.sign_view import SignView
from desktop.template_fields import to_user
from signing.api import TEXT_FLOOR_PT, TEXT_WARN_PT, Legibility
from tests.gui_helpers import make_pdf, make_window, wait_idle
from tests.pki import KEY_PASSWORD, PKI
from tests.test_rotated_pages import CROP, _with_frame

pytestmark = pytest.mark.gui

#: no {date}: the preview is made before the signing time is known
TEMPLATE = "%(label_signer)s%(sep)s%(signer)s%(details)s"
SIGNER = "Alice Tester"  # the CN of the test PKI's signer-rsa
#: pixels per point for the comparisons
SCALE = 3


@pytest.fixture
def window(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pki: PKI
) -> Iterator[MainWindow]:
    w = make_window(
        qtbot, tmp_path, monkeypatch, jp_trust=False,
        user_anchors=(str(pki.cert_pem_path("root")),),
    )  # fmt: skip
    w.resize(1200, 900)
    yield w
    wait_idle(qtbot)


def _open(window: MainWindow, qtbot: Any, pdf: Path) -> SignView:
    window.open_sign_view(str(pdf), seal=False)
    view = window.sign_view
    assert isinstance(view, SignView)
    qtbot.waitUntil(lambda: bool(view.preview.frames))
    view.template_edit.setPlainText(to_user(TEMPLATE))
    view.sample_signer = SIGNER
    return view


def _at(view: SignView, x_pt: float, y_pt: float) -> QPoint:
    """The widget pixel at (x, y) points from the shown page's lower-left."""
    x, y = view.preview.geometry_for_page().to_widget(x_pt, y_pt)
    return QPoint(round(x), round(y))


def _drag(qtbot: Any, view: SignView, start: QPoint, end: QPoint) -> None:
    preview = view.preview
    qtbot.mousePress(preview, Qt.MouseButton.LeftButton, pos=start)
    mid = QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2)
    qtbot.mouseMove(preview, pos=mid)
    qtbot.mouseMove(preview, pos=end)
    qtbot.mouseRelease(preview, Qt.MouseButton.LeftButton, pos=end)


def _box(view: SignView) -> Box:
    box = view.preview.box
    assert box is not None
    return box


def _stamp_built(view: SignView) -> bool:
    picture = view.stamps.current
    return (
        not view.stamps.busy() and picture is not None and picture.request == view.stamp_request()
    )


def _move_and_resize(view: SignView, qtbot: Any) -> float:
    """Draw a box, move it, resize it by a side and a corner, push it past
    the page's edges; returns the tolerance (one pixel, in points)."""
    preview = view.preview
    g = preview.geometry_for_page()
    tol = 1.5 / g.scale
    width, height = g.width_pt, g.height_pt
    _drag(qtbot, view, _at(view, 100, 200), _at(view, 260, 260))
    x1, y1, x2, y2 = _box(view)
    assert (x1, y1, x2, y2) == pytest.approx((100, 200, 260, 260), abs=tol)
    # a drag inside moves it, size kept
    _drag(qtbot, view, _at(view, 180, 230), _at(view, 230, 190))
    assert _box(view) == pytest.approx((x1 + 50, y1 - 40, x2 + 50, y2 - 40), abs=2 * tol)
    x1, y1, x2, y2 = _box(view)
    # the right side, dragged right, widens it (a pixel inside the side)
    _drag(qtbot, view, _at(view, x2 - 0.5 / g.scale, (y1 + y2) / 2), _at(view, x2 + 40, 0))
    assert _box(view) == pytest.approx((x1, y1, x2 + 40, y2), abs=2 * tol)
    x1, y1, x2, y2 = _box(view)
    # the lower-left corner, dragged down and left, grows it both ways
    _drag(qtbot, view, _at(view, x1, y1), _at(view, x1 - 30, y1 - 20))
    assert _box(view) == pytest.approx((x1 - 30, y1 - 20, x2, y2), abs=2 * tol)
    x1, y1, x2, y2 = _box(view)
    # past the opposite side, a side stops at the smallest box
    _drag(qtbot, view, _at(view, x1, (y1 + y2) / 2), _at(view, x2 + 100, (y1 + y2) / 2))
    assert _box(view)[2] - _box(view)[0] == pytest.approx(MIN_BOX_PT)
    _drag(qtbot, view, _at(view, x2 - MIN_BOX_PT, (y1 + y2) / 2), _at(view, x1, (y1 + y2) / 2))
    # moved far past the upper-right corner: it stays whole, on the page
    w, h = _box(view)[2] - _box(view)[0], _box(view)[3] - _box(view)[1]
    cx, cy = (_box(view)[0] + _box(view)[2]) / 2, (_box(view)[1] + _box(view)[3]) / 2
    _drag(qtbot, view, _at(view, cx, cy), _at(view, width + 300, height + 300))
    assert _box(view) == pytest.approx((width - w, height - h, width, height), abs=tol)
    # and past the lower-left one
    cx, cy = width - w / 2, height - h / 2
    _drag(qtbot, view, _at(view, cx, cy), QPoint(-50, preview.height() + 50))
    assert _box(view) == pytest.approx((0, 0, w, h), abs=tol)
    return tol


def test_the_box_moves_and_resizes_within_the_page(
    window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    view = _open(window, qtbot, make_pdf(tmp_path / "in.pdf"))
    _move_and_resize(view, qtbot)
    # what the core gets is what is drawn, on the page drawn on
    assert view.placement().box == _box(view) and view.placement().page == 0
    # the keyboard moves it too (Shift: 10 pt), and Ctrl resizes
    view.preview.setFocus()
    before = _box(view)
    qtbot.keyClick(view.preview, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view.preview, Qt.Key.Key_Up)
    assert _box(view) == pytest.approx(
        (before[0] + 10, before[1] + 1, before[2] + 10, before[3] + 1)
    )
    qtbot.keyClick(view.preview, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert _box(view)[2] - _box(view)[0] == pytest.approx(before[2] - before[0] + 1)


def test_on_a_turned_cropped_page_the_moved_box_is_signed_where_it_shows(
    window: MainWindow, qtbot: Any, tmp_path: Path, pki: PKI
) -> None:
    src = _with_frame(make_pdf(tmp_path / "in.pdf"), tmp_path / "turned.pdf", 90)
    view = _open(window, qtbot, src)
    frame = view.preview.frames[0]
    assert frame.rotation == 90 and frame.display_size == (600, 400)
    _move_and_resize(view, qtbot)
    # moved back into the middle, where the crop box is not the media box
    _drag(qtbot, view, _at(view, 10, 10), _at(view, 310, 160))
    shown = _box(view)
    user = frame.box_to_user(shown)
    assert CROP[0] <= user[0] < user[2] <= CROP[2] and CROP[1] <= user[1] < user[3] <= CROP[3]
    out = _sign(view, qtbot, pki)
    with out.open("rb") as fh:
        rect = [float(v) for v in PdfFileReader(fh).embedded_signatures[0].sig_field["/Rect"]]
    assert rect == pytest.approx(list(user), abs=0.01)


def _sign(view: SignView, qtbot: Any, pki: PKI) -> Path:
    view.key_file.setText(str(pki.p12_path("signer-rsa")))
    view.level_combo.setCurrentIndex(view.level_combo.findData("B-B"))

    def answer(dialog: Any) -> None:
        qtbot.keyClicks(dialog.edit, KEY_PASSWORD)
        dialog.ok_button.click()

    view.prompt.dialog_shown.connect(answer)
    view.sign_button.click()
    qtbot.waitUntil(
        lambda: view.stack.currentIndex() == 1 or "\n" in view.status.text(), timeout=60_000
    )
    assert view.stack.currentIndex() == 1, view.status.text()
    return Path(view.result_path.text())


def test_a_small_box_warns_and_a_too_small_one_is_refused(
    window: MainWindow, qtbot: Any, tmp_path: Path, pki: PKI
) -> None:
    view = _open(window, qtbot, make_pdf(tmp_path / "in.pdf"))
    view.key_file.setText(str(pki.p12_path("signer-rsa")))
    _drag(qtbot, view, _at(view, 100, 300), _at(view, 300, 370))
    qtbot.waitUntil(lambda: _stamp_built(view), timeout=30_000)
    label = view.text_size_label
    assert view.stamps.current is not None
    assert view.stamps.current.legibility is Legibility.READABLE
    assert label.text().startswith("Text size: 10.0 pt.")
    # the upper-right corner dragged in: smaller text, a warning
    x1, y1, x2, y2 = _box(view)
    _drag(qtbot, view, _at(view, x2, y2), _at(view, x1 + 80, y1 + 16))
    qtbot.waitUntil(lambda: _stamp_built(view), timeout=30_000)
    assert view.stamps.current.legibility is Legibility.SMALL, label.text()
    assert "Small: under " + f"{TEXT_WARN_PT:g} pt" in label.text()
    assert label.isVisible() or not view.isVisible()
    assert view.problems(view.build_job()) == []  # a warning does not stop signing
    # smaller again: under the floor, and Sign says why instead of signing
    x1, y1, x2, y2 = _box(view)
    _drag(qtbot, view, _at(view, x2, y2), _at(view, x1 + 40, y1))
    qtbot.waitUntil(lambda: _stamp_built(view), timeout=30_000)
    assert _box(view)[3] - _box(view)[1] == pytest.approx(MIN_BOX_PT)
    picture = view.stamps.current
    assert picture.legibility is Legibility.TOO_SMALL and picture.text_pt < TEXT_FLOOR_PT
    assert f"Too small: under {TEXT_FLOOR_PT:g} pt" in label.text()
    seen: list[Any] = []
    view.prompt.dialog_shown.connect(seen.append)
    view.sign_button.click()
    assert "The signature box is too small" in view.status.text()
    assert f"under the {TEXT_FLOOR_PT:g} pt minimum" in view.status.text()
    wait_idle(qtbot)
    assert seen == [] and view.stack.currentIndex() == 0
    assert not (tmp_path / "in-signed.pdf").exists()


# --- preview = output ---------------------------------------------------------


def _on_white(image: QImage) -> QImage:
    """``image`` over white, in grey levels (QtPdf leaves unpainted pixels clear)."""
    out = QImage(image.size(), QImage.Format.Format_ARGB32)
    out.fill(QColor(255, 255, 255))
    p = QPainter(out)
    p.drawImage(0, 0, image)
    p.end()
    return out.convertToFormat(QImage.Format.Format_Grayscale8)


def _differences(a: QImage, b: QImage) -> tuple[float, float]:
    """(mean absolute difference, share of pixels differing by more than a
    quarter of the range) of two grey images of one size."""
    assert a.size() == b.size()
    total, far, n = 0, 0, a.width() * a.height()
    for y in range(a.height()):
        ra = bytes(a.constScanLine(y))[: a.width()]
        rb = bytes(b.constScanLine(y))[: b.width()]
        for pa, pb in zip(ra, rb, strict=True):
            d = abs(pa - pb)
            total += d
            far += d > 64
    return total / n, far / n


def _as_plain_annotation(signed: Path, out: Path) -> Path:
    """A copy of ``signed`` whose signature widget is a plain annotation
    (its /Rect and /AP untouched): QtPdf renders annotations' appearances,
    not form widgets (PDFium leaves those to a form-filling environment)."""
    with signed.open("rb") as fh:
        writer = IncrementalPdfFileWriter(fh)
        page = writer.root["/Pages"]["/Kids"][0].get_object()
        for ref in page["/Annots"]:
            annot = ref.get_object()
            if annot.get("/Subtype") == "/Widget":
                annot["/Subtype"] = generic.pdf_name("/Stamp")
                writer.update_container(annot)
        with out.open("wb") as dst:
            writer.write(dst)
    return out


@pytest.mark.parametrize("rotate", [0, 90])
def test_the_preview_is_the_signed_appearance(
    window: MainWindow, qtbot: Any, tmp_path: Path, pki: PKI, rotate: int
) -> None:
    src = make_pdf(tmp_path / "in.pdf")
    if rotate:
        src = _with_frame(src, tmp_path / "turned.pdf", rotate)
    view = _open(window, qtbot, src)
    view.reason_edit.setText("承認 / Approved")
    view.location_edit.setText("Tokyo")
    shown = (101.0, 140.0, 321.0, 216.0)  # whole points: whole pixels at SCALE
    view.preview.set_box(0, shown)
    qtbot.waitUntil(lambda: _stamp_built(view), timeout=30_000)
    picture = view.stamps.current
    assert picture is not None and picture.request.size == (220, 76)
    w_px, h_px = 220 * SCALE, 76 * SCALE
    preview = _on_white(picture.image(QSize(w_px, h_px)))
    # the widgets draw that very picture (the page's box, the side preview)
    assert view.preview.stamp is picture and view.appearance.picture is picture

    out = _as_plain_annotation(_sign(view, qtbot, pki), tmp_path / "plain.pdf")
    doc = QPdfDocument()
    doc.load(str(out))
    page_w, page_h = doc.pagePointSize(0).width(), doc.pagePointSize(0).height()
    assert (page_w, page_h) == pytest.approx(view.preview.frames[0].display_size)
    options = QPdfDocumentRenderOptions()
    options.setRenderFlags(QPdfDocumentRenderOptions.RenderFlag.Annotations)
    page = doc.render(0, QSize(round(page_w * SCALE), round(page_h * SCALE)), options)
    x1, _y1, _x2, y2 = shown
    region = _on_white(page.copy(round(x1 * SCALE), round((page_h - y2) * SCALE), w_px, h_px))
    mean, far = _differences(preview, region)
    assert mean < 2.0 and far < 0.005, (mean, far)
    # (the comparison sees a stamp: a blank region would differ by the text)
    blank = QImage(preview.size(), QImage.Format.Format_Grayscale8)
    blank.fill(255)
    assert _differences(preview, blank)[1] > 0.02
    doc.close()


def test_the_box_shows_the_stamp_while_it_moves(
    window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    """Each move asks for a stamp of the new size; the last one is built."""
    view = _open(window, qtbot, make_pdf(tmp_path / "in.pdf"))
    _drag(qtbot, view, _at(view, 100, 300), _at(view, 300, 370))
    preview = view.preview
    x1, y1, x2, y2 = _box(view)
    qtbot.mousePress(preview, Qt.MouseButton.LeftButton, pos=_at(view, x2, y2))
    for step in range(1, 11):
        qtbot.mouseMove(preview, pos=_at(view, x2 + 5 * step, y2 + 2 * step))
    qtbot.mouseRelease(preview, Qt.MouseButton.LeftButton, pos=_at(view, x2 + 50, y2 + 20))
    qtbot.waitUntil(lambda: _stamp_built(view), timeout=30_000)
    assert view.stamps.current is not None
    assert view.stamps.current.request.size == pytest.approx(
        (x2 + 50 - x1, y2 + 20 - y1), abs=2 / preview.geometry_for_page().scale
    )
    # the page shows it: dark text inside the box (the box alone is white)
    image = preview.grab().toImage()
    left, top, w, h = preview.geometry_for_page().box_to_widget(_box(view))
    dpr = image.devicePixelRatio()
    inside = [
        image.pixelColor(round(x * dpr), round(y * dpr)).lightness()
        for x in range(round(left) + 4, round(left + w) - 4, 2)
        for y in range(round(top) + 4, round(top + h) - 4, 2)
    ]
    assert sum(v < 128 for v in inside) > 20


def test_an_unreadable_image_is_shown_as_the_cores_error(
    window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    view = _open(window, qtbot, make_pdf(tmp_path / "in.pdf"))
    _drag(qtbot, view, _at(view, 100, 300), _at(view, 300, 370))
    qtbot.waitUntil(lambda: _stamp_built(view), timeout=30_000)
    bad = tmp_path / "hanko.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n not an image")
    view.image_edit.setText(str(bad))
    qtbot.waitUntil(lambda: view.stamps.current is None and not view.stamps.busy(), timeout=30_000)
    assert "image" in view.text_size_label.text().lower()
    assert view.preview.stamp is None and view.appearance.picture is None
    # a readable one brings the stamp back
    view.image_edit.clear()
    qtbot.waitUntil(lambda: _stamp_built(view), timeout=30_000)
    assert view.text_size_label.text().startswith("Text size:")


def test_grab_move_and_resize_rules() -> None:
    from desktop.geometry import grab, moved, resized

    # a box drawn at (100, 50), 200 x 80 px; a 6 px grip
    assert grab((100, 50, 200, 80), 200, 90, 6) == frozenset()  # inside: move
    assert grab((100, 50, 200, 80), 97, 90, 6) == {"left"}
    assert grab((100, 50, 200, 80), 302, 128, 6) == {"right", "bottom"}
    assert grab((100, 50, 200, 80), 99, 52, 6) == {"left", "top"}
    assert grab((100, 50, 200, 80), 90, 90, 6) is None  # beside it
    # a box narrower than two grips: the nearer side wins
    assert grab((100, 50, 8, 80), 101, 90, 6) == {"left"}
    assert grab((100, 50, 8, 80), 107, 90, 6) == {"right"}
    # moving stops at the page's edges with the size kept
    assert moved((10, 10, 60, 30), -50, 500, 100, 200) == (0, 180, 50, 200)
    # resizing stays on the page and never below the minimum
    assert resized((10, 10, 60, 30), frozenset({"right"}), 500, 0, 100, 200, 12) == (
        10, 10, 100, 30,
    )  # fmt: skip
    assert resized((10, 10, 60, 30), frozenset({"left", "top"}), 80, 5, 100, 200, 12) == (
        48, 10, 60, 22,
    )  # fmt: skip
