"""Visible signatures' stamps in the verdict screen's page view (#18).

QtPdf's page view draws no form widgets (nor annotations), so the core makes
a copy in memory whose pages paint their signature widgets' appearances
(``signing.api.with_signature_stamps``); the pane shows that copy, for the
current file, its signed version and Compare.
Checked on pixels QtPdf really draws: the stamp's dark text and border sit
inside the widget's rectangle in the view, and are absent from the file
rendered as it is. Hostile files never make the copy fail loudly: the file
is shown as it is."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QImage
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions

from desktop.main_window import MainWindow
from desktop.validation_view import ValidationView
from signing.api import with_signature_stamps
from signing.validation import shown_stamps
from tests import hostile_pdfs
from tests.gui_helpers import make_pdf, open_in_viewer, viewer_window
from tests.pki import PKI
from tests.revision_files import FIELD_BOX, FIELD_PAGE, signed_pdf

pytestmark = pytest.mark.gui

window = viewer_window  # the fixture, under the name the tests ask for

#: the rectangle the update after signing gives the field a new look with
BLACK = b"q 0 0 0 rg 0 0 300 250 re f Q"


def _new_appearance(signed: Path, out: Path) -> Path:
    """``signed`` plus an update changing only the signature widget's /AP /N
    to a black box: invisible to a viewer that draws no widgets."""
    writer = IncrementalPdfFileWriter(io.BytesIO(signed.read_bytes()))
    field = writer.root["/AcroForm"]["/Fields"][0].get_object()
    x1, y1, x2, y2 = FIELD_BOX
    form = generic.StreamObject(
        {
            generic.pdf_name("/Type"): generic.pdf_name("/XObject"),
            generic.pdf_name("/Subtype"): generic.pdf_name("/Form"),
            generic.pdf_name("/BBox"): generic.ArrayObject(
                [generic.FloatObject(v) for v in (0, 0, x2 - x1, y2 - y1)]
            ),
        },
        stream_data=BLACK,
    )
    field["/AP"] = generic.DictionaryObject({generic.pdf_name("/N"): writer.add_object(form)})
    writer.update_container(field)
    buffer = io.BytesIO()
    writer.write(buffer)
    out.write_bytes(buffer.getvalue())
    return out


@pytest.fixture(scope="module")
def files(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("stamps")
    signed = signed_pdf(pki, folder)
    return {"signed": signed, "restamped": _new_appearance(signed, folder / "restamped.pdf")}


# --- the core's copy ------------------------------------------------------------


def _render(data: bytes, page: int = FIELD_PAGE, annotations: bool = True) -> QImage:
    """``page`` of ``data`` at 72 dpi (1 px = 1 pt), annotations drawn or
    (as QPdfView renders) not."""
    doc, buffer = QPdfDocument(), QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    doc.load(buffer)
    assert doc.status() == QPdfDocument.Status.Ready
    options = QPdfDocumentRenderOptions()
    if annotations:
        options.setRenderFlags(QPdfDocumentRenderOptions.RenderFlag.Annotations)
    image = doc.render(page, doc.pagePointSize(page).toSize(), options)
    doc.close()
    return image


def _dark(image: QImage, rect: QRect) -> int:
    """How many pixels of ``rect`` are dark (QtPdf leaves unpainted ones clear)."""
    n = 0
    for y in range(max(rect.top(), 0), min(rect.bottom(), image.height() - 1) + 1):
        for x in range(max(rect.left(), 0), min(rect.right(), image.width() - 1) + 1):
            c = image.pixelColor(x, y)
            n += c.alpha() > 128 and max(c.red(), c.green(), c.blue()) < 110
    return n


def _box_px(page_height: float = 842) -> QRect:
    x1, y1, x2, y2 = FIELD_BOX
    return QRect(round(x1), round(page_height - y2), round(x2 - x1), round(y2 - y1))


def test_the_copy_shows_the_stamp_and_keeps_the_file(qapp: Any, files: dict[str, Path]) -> None:
    data = files["signed"].read_bytes()
    copy = with_signature_stamps(data)
    assert copy is not None and copy.startswith(data)  # (an update appended)
    plain, stamped = _render(data), _render(copy)
    assert _dark(plain, _box_px()) == 0  # QtPdf alone draws no widget
    # the stamp: its border and text, inside the field's rectangle only
    assert _dark(stamped, _box_px()) > 300
    outside = _box_px().adjusted(-30, -30, 30, 30)
    assert _dark(stamped, outside) == _dark(stamped, _box_px())
    # as the page view renders (content only), and drawn once either way
    assert _render(copy, annotations=False) == stamped
    # the other pages are untouched
    assert _render(copy, 0) == _render(data, 0)
    assert files["signed"].read_bytes() == data


def test_nothing_to_show_and_hostile_files_give_no_copy(
    qapp: Any, tmp_path: Path, files: dict[str, Path]
) -> None:
    data = files["signed"].read_bytes()
    assert with_signature_stamps(make_pdf(tmp_path / "plain.pdf").read_bytes()) is None
    assert with_signature_stamps(b"%PDF-1.7\n" + b"\x00" * 5000) is None
    assert with_signature_stamps(data[: len(data) // 2]) is None  # truncated
    assert with_signature_stamps(hostile_pdfs.empty_updates(data, 1500)) is None  # revisions
    assert with_signature_stamps(hostile_pdfs.xref_index_bomb(data, 10**9)) is None
    assert with_signature_stamps(hostile_pdfs.long_token(data, 2 * 1024**2)) is None
    # a deadline already past: no copy, no exception
    assert with_signature_stamps(data, deadline_s=-1.0) is None


def test_a_widget_whose_parent_chain_loops_is_left_as_it_is(
    qapp: Any, files: dict[str, Path]
) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(files["signed"].read_bytes()))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    loop = generic.DictionaryObject(
        {
            generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
            generic.pdf_name("/Subtype"): generic.pdf_name("/Widget"),
            generic.pdf_name("/Rect"): generic.ArrayObject(
                [generic.NumberObject(v) for v in (0, 0, 50, 50)]
            ),
            generic.pdf_name("/AP"): generic.DictionaryObject(
                {generic.pdf_name("/N"): writer.add_object(generic.StreamObject(stream_data=b""))}
            ),
        }
    )
    ref = writer.add_object(loop)
    loop["/Parent"] = ref  # (no /FT anywhere up the chain, which never ends)
    page["/Annots"] = generic.ArrayObject([ref])
    writer.update_container(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    copy = with_signature_stamps(buffer.getvalue())
    assert copy is not None  # the real signature is still drawn
    reader = PdfFileReader(io.BytesIO(copy))
    kids = reader.root["/Pages"]["/Kids"]
    first, field_page = kids[0].get_object(), kids[FIELD_PAGE].get_object()
    assert "/XObject" not in first["/Resources"] or not any(
        str(k).startswith("/ShomeiStamp") for k in first["/Resources"]["/XObject"]
    )
    assert "/ShomeiStamp1" in field_page["/Resources"]["/XObject"]
    # the widgets stay widgets (a renderer that draws them draws them once)
    assert first["/Annots"][0].get_object()["/Subtype"] == "/Widget"
    assert field_page["/Annots"][0].get_object()["/Subtype"] == "/Widget"


def test_the_attack_corpus_never_breaks_the_copy(qapp: Any, shared_dir: Path) -> None:
    """Each attack file gives a copy that extends it, or none: never an
    exception, never other bytes."""
    attacks = sorted((shared_dir / "corpus" / "attacks").glob("*.pdf"))
    if not attacks:
        pytest.skip("the attack corpus is not here")
    copies = 0
    for path in attacks:
        data = path.read_bytes()
        copy = with_signature_stamps(data)
        if copy is not None:
            copies += 1
            assert copy.startswith(data), path.name
    assert copies > 0  # (visibly signed attack files are shown with their stamps)


def test_the_bounds_are_small_enough_to_matter() -> None:
    assert shown_stamps.MAX_STAMPS <= 1000 and shown_stamps.MAX_ANNOTATIONS <= 100_000


# --- the page view ---------------------------------------------------------------


def _open(window: MainWindow, qtbot: Any, path: Path) -> ValidationView:
    return open_in_viewer(window, qtbot, path, stamps=True)


def _view_dark(view: ValidationView, inset: int = 0) -> int:
    pages = view.document_pane.pages
    box = (
        pages.box_rect(FIELD_PAGE, FIELD_BOX).toAlignedRect().adjusted(inset, inset, -inset, -inset)
    )
    return _dark(pages.viewport().grab().toImage(), box)


def _page_drawn(view: ValidationView) -> bool:
    """QtPdf has drawn the field's page (its heading's dark text is there)."""
    pages = view.document_pane.pages
    rect = pages.page_rect(FIELD_PAGE)
    heading = QRect(rect.left(), rect.top(), rect.width(), rect.height() // 6)
    return _dark(pages.viewport().grab().toImage(), heading) > 20


def test_the_page_view_shows_the_stamp_where_the_widget_is(
    window: MainWindow, qtbot: Any, files: dict[str, Path]
) -> None:
    view = _open(window, qtbot, files["signed"])
    pane, pages = view.document_pane, view.document_pane.pages
    pages.show_page(FIELD_PAGE)
    assert pages.outline is None  # (nothing of Shomei's own drawn there)
    qtbot.waitUntil(lambda: _page_drawn(view) and _view_dark(view) > 100, timeout=10_000)
    assert pane.showing == "current" and pages.document() is pane._current

    # the same view, the file from the disk as it is: no stamp in the box
    plain = QPdfDocument()
    plain.load(str(files["signed"]))
    pages.reshow(plain)
    qtbot.waitUntil(lambda: _page_drawn(view), timeout=10_000)
    qtbot.wait(200)  # (a late tile of the copy would only add dark pixels)
    assert _view_dark(view) == 0
    pages.reshow(pane._current)
    plain.close()


def test_signed_version_and_compare_see_a_changed_stamp(
    window: MainWindow, qtbot: Any, files: dict[str, Path]
) -> None:
    """After signing, only the widget's appearance changed (a black box):
    the current file shows it, the signed version shows the signer's stamp,
    and Compare marks the page."""
    view = _open(window, qtbot, files["restamped"])
    pane, pages = view.document_pane, view.document_pane.pages
    card = view.cards[0]
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton, pos=QPoint(card.width() // 2, 12))
    box = pages.box_rect(FIELD_PAGE, FIELD_BOX).toAlignedRect().adjusted(8, 8, -8, -8)
    area = box.width() * box.height()
    # current: the black box fills the field (the outline is outside it)
    qtbot.waitUntil(lambda: _view_dark(view, 8) > 0.95 * area, timeout=10_000)

    qtbot.mouseClick(pane.signed_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.showing == "signed", timeout=30_000)
    # the signer's stamp: some text, mostly clear
    qtbot.waitUntil(lambda: 50 < _view_dark(view, 8) < 0.3 * area, timeout=10_000)
    assert str(len(files["signed"].read_bytes())) in pane.note.text()

    with qtbot.waitSignal(pane.compared, timeout=30_000) as blocker:
        qtbot.mouseClick(pane.compare_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0] == frozenset({FIELD_PAGE})


def test_compare_of_an_unchanged_signed_file_marks_nothing(
    window: MainWindow, qtbot: Any, files: dict[str, Path]
) -> None:
    view = _open(window, qtbot, files["signed"])
    pane = view.document_pane
    card = view.cards[0]
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton, pos=QPoint(card.width() // 2, 12))
    with qtbot.waitSignal(pane.compared, timeout=30_000) as blocker:
        pane.compare_button.click()
    assert blocker.args[0] == frozenset()


def test_a_copy_qtpdf_cannot_open_falls_back_to_the_file(
    window: MainWindow, qtbot: Any, files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop import core_adapter

    monkeypatch.setattr(core_adapter, "shown_file", lambda path: b"%PDF-1.7 not a document")
    view = _open(window, qtbot, files["signed"])
    pane = view.document_pane
    assert pane.pages.page_count() == 3 and pane._current_shown is None
    assert QSize(pane.pages.page_rect(0).size()).width() > 0
