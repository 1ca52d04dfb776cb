"""Visible signature appearances: Japanese and English text in the bundled
font, hanko images beside or behind the text, and the process-wide font cache.

Signatures are made with pyHanko directly (the signing pipeline is tested
elsewhere); outputs are checked with poppler (text extraction, rendering) and
by reading the embedded font subset back."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zlib
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO
from pathlib import Path
from typing import Any, Literal

import pytest
from fontTools.cffLib import CFFFontSet
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont
from PIL import Image, ImageDraw
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import PdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from signing.appearance.fonts import CachedFontFactory, font_factory, load_font
from signing.appearance.hanko_image import load_image
from signing.appearance.stamp import AppearanceSpec, check_template, stamp_style, text_params
from signing.errors import AppearanceError
from signing.resources import font_path, resources_dir
from tests.pki import KEY_PASSWORD, PKI

PAGE_W, PAGE_H = 595, 842
BOX = (60, 600, 400, 720)  # the signature rectangle, in points
RED = (200, 20, 20)

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="poppler-utils (pdftotext, pdftoppm) is not installed",
)


# --- material ------------------------------------------------------------------


@pytest.fixture(scope="module")
def signer(pki: PKI) -> signers.SimpleSigner:
    loaded = signers.SimpleSigner.load_pkcs12(
        str(pki.p12_path("signer-rsa")), passphrase=KEY_PASSWORD.encode()
    )
    assert loaded is not None
    return loaded


@pytest.fixture(scope="module")
def source_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A one-page A4 document with a line of text."""
    w = PdfFileWriter()
    font = w.add_object(
        generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/Font"),
                generic.pdf_name("/Subtype"): generic.pdf_name("/Type1"),
                generic.pdf_name("/BaseFont"): generic.pdf_name("/Helvetica"),
            }
        )
    )
    page_content = w.add_object(
        generic.StreamObject(stream_data=b"BT /F1 14 Tf 60 780 Td (Purchase order 42) Tj ET")
    )
    page = generic.DictionaryObject(
        {
            generic.pdf_name("/Type"): generic.pdf_name("/Page"),
            generic.pdf_name("/MediaBox"): generic.ArrayObject(
                [generic.NumberObject(v) for v in (0, 0, PAGE_W, PAGE_H)]
            ),
            generic.pdf_name("/Resources"): generic.DictionaryObject(
                {
                    generic.pdf_name("/Font"): generic.DictionaryObject(
                        {generic.pdf_name("/F1"): font}
                    )
                }
            ),
            generic.pdf_name("/Contents"): page_content,
        }
    )
    w.insert_page(page)
    out = BytesIO()
    w.write(out)
    return out.getvalue()


def hanko_png(path: Path, size: int = 240) -> Path:
    """A red round hanko with a transparent background."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((8, 8, size - 8, size - 8), outline=(*RED, 255), width=14)
    draw.rectangle((size // 2 - 12, 40, size // 2 + 12, size - 40), fill=(*RED, 255))
    img.save(path)
    return path


def sign(
    signer: signers.SimpleSigner,
    pdf: bytes,
    spec: AppearanceSpec,
    *,
    seal: bool = False,
    name: str | None = None,
    reason: str | None = None,
    location: str | None = None,
    organisation: str | None = None,
    box: tuple[int, int, int, int] | None = BOX,
) -> bytes:
    meta = signers.PdfSignatureMetadata(
        field_name="Signature1", name=name, reason=reason, location=location
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer,
        stamp_style=stamp_style(spec, seal=seal),
        new_field_spec=fields.SigFieldSpec("Signature1", on_page=0, box=box),
    )
    params = text_params(
        spec,
        seal=seal,
        reason=reason,
        location=location,
        organisation=organisation,
        signer=name,
    )
    out = BytesIO()
    pdf_signer.sign_pdf(
        IncrementalPdfFileWriter(BytesIO(pdf)), output=out, appearance_text_params=params
    )
    return out.getvalue()


# --- reading the result back ---------------------------------------------------


def appearance_fonts(pdf: bytes) -> list[Any]:
    """The Type0 fonts used by the signature widget's normal appearance."""
    reader = PdfFileReader(BytesIO(pdf))
    sig_field = reader.root["/AcroForm"]["/Fields"][0].get_object()
    appearance = sig_field["/AP"]["/N"].get_object()
    resources = appearance["/Resources"]
    found = []

    def walk(res: Any) -> None:
        for font in res.get("/Font", {}).values():
            found.append(font.get_object())
        for xobj in res.get("/XObject", {}).values():
            xobj = xobj.get_object()
            if "/Resources" in xobj:
                walk(xobj["/Resources"])

    walk(resources)
    return found


def tounicode_text(font: Any) -> set[str]:
    """Every character the font's ToUnicode CMap maps a glyph to."""
    cmap = font["/ToUnicode"].get_object().data.decode("ascii")
    chars = set()
    for hexstr in re.findall(r"<([0-9a-fA-F]+)>\s*(?=\n|\]|<)", cmap):
        if len(hexstr) > 4:  # UTF-16BE targets (sources are 4 hex digits)
            chars.update(bytes.fromhex(hexstr).decode("utf-16-be"))
    for target in re.findall(r"<[0-9a-fA-F]{4}> <([0-9a-fA-F]+)>", cmap):
        chars.update(bytes.fromhex(target).decode("utf-16-be"))
    for targets in re.findall(r"\[([^\]]*)\]", cmap):
        for hexstr in re.findall(r"<([0-9a-fA-F]+)>", targets):
            chars.update(bytes.fromhex(hexstr).decode("utf-16-be"))
    return chars


def pdftotext(path: Path) -> str:
    res = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, timeout=60
    )
    assert res.returncode == 0, res.stderr
    return res.stdout


def render(path: Path, tmp: Path) -> Image.Image:
    prefix = tmp / path.stem
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-singlefile", str(path), str(prefix)],
        check=True,
        timeout=60,
    )
    return Image.open(f"{prefix}.png").convert("RGB")


def crop_points(
    page: Image.Image, box: tuple[float, ...], sx: float, sy: float, height: float
) -> Image.Image:
    """The pixels of ``box`` (PDF points, origin bottom left, on a page ``height``
    points high) in ``page`` rendered at ``sx`` x ``sy`` pixels a point, 2 px in
    from each edge."""
    x1, y1, x2, y2 = box
    return page.crop(
        (
            round(x1 * sx) + 2,
            round((height - y2) * sy) + 2,
            round(x2 * sx) - 2,
            round((height - y1) * sy) - 2,
        )
    )


def box_pixels(page: Image.Image, box: tuple[int, int, int, int]) -> Image.Image:
    scale = page.width / PAGE_W
    return crop_points(page, box, scale, scale, PAGE_H)


def dark_fraction(img: Image.Image, below: int = 128) -> float:
    pixels = img.convert("L").tobytes()
    return sum(1 for p in pixels if p < below) / len(pixels)


def reddish_fraction(img: Image.Image) -> float:
    raw = img.convert("RGB").tobytes()
    pixels = [raw[i : i + 3] for i in range(0, len(raw), 3)]
    return sum(1 for r, g, b in pixels if r > 150 and g < r - 50 and b < r - 50) / len(pixels)


@pytest.fixture(scope="module")
def trust(pki: PKI) -> ValidationContext:
    return ValidationContext(trust_roots=[load_cert_from_pemder(str(pki.cert_pem_path("root")))])


def assert_signature_intact(pdf: bytes, trust: ValidationContext) -> None:
    reader = PdfFileReader(BytesIO(pdf))
    status = validate_pdf_signature(reader.embedded_signatures[0], trust)
    assert status.intact and status.valid, status.pretty_print_details()
    assert status.coverage.name == "ENTIRE_FILE"


def _signed_with_hanko(
    position: Literal["left", "behind"],
    out: Path,
    signer: signers.SimpleSigner,
    source_pdf: bytes,
    trust: ValidationContext,
    fields: dict[str, Any],
) -> Path:
    """``source_pdf`` signed into ``out`` with the hanko image at ``position`` and
    the stamp's ``fields``; the signature must hold."""
    spec = AppearanceSpec(image=hanko_png(out.parent / "hanko.png"), image_position=position)
    out.write_bytes(sign(signer, source_pdf, spec, **fields))
    assert_signature_intact(out.read_bytes(), trust)
    return out


# --- tests ---------------------------------------------------------------------


@needs_poppler
def test_japanese_stamp_with_hanko_left(
    signer: signers.SimpleSigner, source_pdf: bytes, trust: ValidationContext, tmp_path: Path
) -> None:
    fields = {"name": "田中 愛子", "reason": "承認します", "location": "東京都千代田区"}
    out = _signed_with_hanko("left", tmp_path / "signed-ja.pdf", signer, source_pdf, trust, fields)

    # the font subset is embedded, named, and maps its glyphs back to the text
    (font,) = appearance_fonts(out.read_bytes())
    assert font["/Subtype"] == "/Type0"
    cid_font = font["/DescendantFonts"][0].get_object()
    assert re.fullmatch(r"/[A-Z]{6}\+ShomeiSerifJP-Regular", cid_font["/BaseFont"])
    assert "/FontFile3" in cid_font["/FontDescriptor"]
    assert set("田中愛子承認します東京都千代田区署名者日時理由場所") <= tounicode_text(font)

    # poppler extracts the appearance text (labels in Japanese)
    text = pdftotext(out)
    for expected in ("署名者：田中 愛子", "理由：承認します", "場所：東京都千代田区", "日時："):
        assert expected in text, text

    # the rectangle is drawn: text (dark) and the red hanko on its left side
    area = box_pixels(render(out, tmp_path), BOX)
    left = area.crop((0, 0, area.width // 2, area.height))
    right = area.crop((area.width * 6 // 10, 0, area.width, area.height))  # the text
    assert dark_fraction(area, below=200) > 0.03
    assert reddish_fraction(left) > 0.03
    assert reddish_fraction(right) < 0.005


@needs_poppler
def test_seal_with_hanko_behind(
    signer: signers.SimpleSigner, source_pdf: bytes, trust: ValidationContext, tmp_path: Path
) -> None:
    fields = {"seal": True, "organisation": "株式会社テスト"}
    out = _signed_with_hanko("behind", tmp_path / "sealed.pdf", signer, source_pdf, trust, fields)

    text = pdftotext(out)
    assert "電子印：株式会社テスト" in text, text
    assert "Alice Tester" in text  # the certificate's name, under the organisation

    area = box_pixels(render(out, tmp_path), BOX)
    middle = area.crop((area.width // 3, 0, 2 * area.width // 3, area.height))
    assert reddish_fraction(middle) > 0.01  # faded, but there, behind the text
    assert dark_fraction(area, below=200) > 0.03 and dark_fraction(area) > 0.003


@needs_poppler
def test_english_fields_get_english_labels(
    signer: signers.SimpleSigner, source_pdf: bytes, tmp_path: Path
) -> None:
    out = tmp_path / "signed-en.pdf"
    out.write_bytes(
        sign(signer, source_pdf, AppearanceSpec(), reason="Approved", location="Brussels")
    )
    text = pdftotext(out)
    assert "Signed by: Alice Tester" in text, text
    assert "Reason: Approved" in text and "Location: Brussels" in text
    assert not re.search("[\u3000-\u9fff]", text)
    assert dark_fraction(box_pixels(render(out, tmp_path), BOX), below=200) > 0.02


@needs_poppler
def test_unsigned_rectangle_is_blank(source_pdf: bytes, tmp_path: Path) -> None:
    """The baseline for the pixel checks above: nothing is drawn there before."""
    src = tmp_path / "unsigned.pdf"
    src.write_bytes(source_pdf)
    assert dark_fraction(box_pixels(render(src, tmp_path), BOX), below=250) == 0


def test_language_choice() -> None:
    auto = AppearanceSpec()
    en = text_params(auto, seal=False, reason="Approved", location="Brussels", organisation=None)
    assert en["label_signer"] == "Signed by" and en["sep"] == ": "
    assert en["details"] == "\nReason: Approved\nLocation: Brussels"

    # any Japanese value switches the labels, including the signer's name
    ja = text_params(auto, seal=False, reason=None, location=None, organisation=None, signer="田中")
    assert ja["label_signer"] == "署名者" and ja["details"] == ""
    seal = text_params(auto, seal=True, reason=None, location="大阪", organisation="ACME")
    assert seal["label_sealed_by"] == "電子印" and seal["organisation"] == "ACME"

    # an explicit language wins over the content
    forced = text_params(
        AppearanceSpec(language="en"), seal=False, reason="承認", location=None, organisation=None
    )
    assert forced["label_reason"] == "Reason"
    # a Japanese custom template picks Japanese labels
    tmpl = AppearanceSpec(template="%(label_signer)s %(signer)s 様")
    assert text_params(tmpl, seal=False, reason=None, location=None, organisation=None)[
        "label_signer"
    ] == ("署名者")


def test_custom_template(signer: signers.SimpleSigner, source_pdf: bytes) -> None:
    spec = AppearanceSpec(template="%(organisation)s / %(signer)s\n%(ts)s")
    pdf = sign(signer, source_pdf, spec, seal=True, organisation="Shomei KK")
    (font,) = appearance_fonts(pdf)
    assert set("Shomei KK/Alice Tester") <= tounicode_text(font)


def test_bad_templates_and_images_are_reported(tmp_path: Path) -> None:
    with pytest.raises(AppearanceError, match=r"unknown placeholder.*signatory"):
        check_template("%(signatory)s")
    with pytest.raises(AppearanceError, match="malformed"):
        stamp_style(AppearanceSpec(template="100% sure %(signer)s"), seal=False)
    check_template("%(signer)s 100%% %(ts)s%(details)s")

    not_an_image = tmp_path / "hanko.png"
    not_an_image.write_text("no pixels here")
    with pytest.raises(AppearanceError, match="could not be read"):
        stamp_style(AppearanceSpec(image=not_an_image), seal=False)
    with pytest.raises(AppearanceError, match="could not be read"):
        stamp_style(AppearanceSpec(image=tmp_path / "missing.png"), seal=False)
    # a width would make a string that long (%(signer)200000000s)
    for sized in ("%(signer)2000000s", "%(signer)-9s", "%(signer).3s", "%(ts)*s"):
        with pytest.raises(AppearanceError, match="malformed"):
            check_template(sized)
    # a huge image is refused before it is decoded
    huge = tmp_path / "huge.png"
    Image.new("1", (7000, 6000)).save(huge)
    with pytest.raises(AppearanceError, match="million pixels"):
        stamp_style(AppearanceSpec(image=huge), seal=False)


def test_images_are_downscaled_and_prepared_once(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    Image.new("P", (3000, 1500), 3).save(path)
    img = load_image(path)
    assert (img.width, img.height) == (600, 300)
    assert img.colour_space == "/DeviceRGB" and img.alpha is None
    assert len(zlib.decompress(img.samples)) == 600 * 300 * 3
    assert load_image(path) is img  # decoded and compressed once

    # transparency becomes a soft mask; a fully opaque alpha channel does not
    hanko = load_image(hanko_png(tmp_path / "hanko.png"))
    assert hanko.alpha is not None and len(zlib.decompress(hanko.alpha)) == 240 * 240
    opaque = tmp_path / "opaque.png"
    Image.new("LA", (10, 20), (0, 255)).save(opaque)
    grey = load_image(opaque)
    assert grey.colour_space == "/DeviceGray" and grey.alpha is None


# --- the font cache -------------------------------------------------------------


def test_font_is_parsed_once_and_shared(signer: signers.SimpleSigner, source_pdf: bytes) -> None:
    parsed = load_font(font_path())
    assert load_font(font_path()) is parsed
    style = stamp_style(AppearanceSpec(), seal=False)
    factory = style.text_box_style.font
    assert isinstance(factory, CachedFontFactory)

    # two documents share the parse, but each gets its own engine and subset
    first = sign(signer, source_pdf, AppearanceSpec(), name="山田 太郎")
    second = sign(signer, source_pdf, AppearanceSpec(), name="Bob Brown", reason="OK")
    assert load_font(font_path()) is parsed
    e1 = factory.create_font_engine(PdfFileWriter())
    e2 = factory.create_font_engine(PdfFileWriter())
    assert e1 is not e2 and e1._font is e2._font is parsed

    (f1,), (f2,) = appearance_fonts(first), appearance_fonts(second)
    assert set("山田太郎署名者") <= tounicode_text(f1)
    chars2 = tounicode_text(f2)
    assert set("Bob Brown") <= chars2
    assert not set("山田太郎署名者") & chars2  # nothing leaked from the first document

    # the subsetter (and its desubroutinised glyphs) belongs to the shared parse
    assert e1._font.subsetter is parsed.subsetter


def test_fast_subset_draws_the_same_glyphs_as_the_font() -> None:
    """Every glyph of a subset has the outline and advance of the same CID in
    the full font, read back by fontTools' own CFF parser."""
    parsed = load_font(font_path())
    master = TTFont(font_path())["CFF "].cff[0]
    text = "田中愛子承認します東京都千代田区ＡＢＣ①㈱ Zürich 0123456789:-"
    cmap = TTFont(font_path())["cmap"].getBestCmap()
    gids = frozenset(parsed.glyph_names.index(cmap[ord(c)]) for c in set(text))
    gids |= frozenset(range(1, 8800, 97))  # and a spread over every FD
    program = parsed.subset_program(gids)

    subset = CFFFontSet()
    subset.decompile(BytesIO(program), None)
    top = subset[subset.fontNames[0]]
    assert top.ROS == ("Adobe", "Identity", 0)
    assert sorted(top.charset) == sorted({".notdef", *(parsed.glyph_names[g] for g in gids)})
    assert not subset.GlobalSubrs and all(not hasattr(fd.Private, "Subrs") for fd in top.FDArray)
    for name in top.charset:
        got, want = RecordingPen(), RecordingPen()
        top.CharStrings[name].draw(got)
        master.CharStrings[name].draw(want)
        assert got.value == want.value, name
        assert top.CharStrings[name].width == master.CharStrings[name].width, name
    assert len(program) < 60_000


def test_changed_font_file_is_parsed_again(tmp_path: Path) -> None:
    copy = tmp_path / "font.otf"
    shutil.copyfile(font_path(), copy)
    parsed = load_font(copy)
    assert load_font(copy) is parsed
    st = copy.stat()  # same bytes, a new modification time
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert load_font(copy) is not parsed


def test_concurrent_signatures_keep_their_own_text(
    signer: signers.SimpleSigner, source_pdf: bytes
) -> None:
    names = ["佐藤 花子", "鈴木 一郎", "高橋 健太", "伊藤 美咲"]

    def one(name: str) -> set[str]:
        pdf = sign(signer, source_pdf, AppearanceSpec(), name=name)
        (font,) = appearance_fonts(pdf)
        return tounicode_text(font)

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(one, names))
    for name, chars in zip(names, results, strict=True):
        own = set(name.replace(" ", ""))
        others = set("".join(names).replace(" ", "")) - own
        assert own <= chars
        assert not (others - own) & chars, name


def test_resources_dir_and_bundled_font() -> None:
    fonts = resources_dir() / "fonts"
    assert font_path().parent == fonts
    assert font_path().stat().st_size < 5 * 1024 * 1024
    assert (fonts / "LICENSE-ShomeiSerifJP.txt").read_text().count("SIL OPEN FONT LICENSE") >= 1
    cmap = load_font(font_path()).codepoints_by_name
    covered = {cp for cps in cmap.values() for cp in cps}
    assert {ord(c) for c in "田中愛子東京都千代田区承認します髙﨑ＡＢＣ！"} <= covered


def test_characters_missing_from_the_font_do_not_break_signing(
    signer: signers.SimpleSigner, source_pdf: bytes
) -> None:
    # 𠮷 (outside the bundled subset) and an emoji get the .notdef glyph;
    # the text itself survives in the ActualText of the marked content
    pdf = sign(signer, source_pdf, AppearanceSpec(), name="𠮷田 太郎 😀", reason="確認")
    (font,) = appearance_fonts(pdf)
    assert set("田太郎確認") <= tounicode_text(font)


def test_non_cff_fonts_use_pyhankos_engine(tmp_path: Path) -> None:
    """A TrueType font (no CFF program) is not cached but still works."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    pen = TTGlyphPen(None)
    pen.moveTo((0, 0))
    pen.lineTo((0, 500))
    pen.lineTo((400, 500))
    pen.closePath()
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder([".notdef", "A"])
    fb.setupCharacterMap({ord("A"): "A"})
    fb.setupGlyf({".notdef": pen.glyph(), "A": pen.glyph()})
    fb.setupHorizontalMetrics({".notdef": (500, 0), "A": (500, 0)})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Tiny", "styleName": "Regular", "psName": "Tiny-Regular"})
    fb.setupOS2()
    fb.setupPost()
    path = tmp_path / "tiny.ttf"
    fb.save(str(path))

    factory = font_factory(path)
    assert isinstance(factory, GlyphAccumulatorFactory)
    engine = factory.create_font_engine(PdfFileWriter())
    assert engine.shape("AA").x_advance == pytest.approx(1.0)
    assert isinstance(font_factory(font_path()), CachedFontFactory)


def _run_as_bundle(code: str, bundle: Path) -> subprocess.CompletedProcess[str]:
    """``code`` run by a fresh interpreter from the repo, with ``bundle`` as
    its ``sys.argv[1]`` (the folder it poses as sys._MEIPASS)."""
    return subprocess.run(
        [sys.executable, "-c", code, str(bundle)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parent.parent,
    )


def test_resources_dir_in_a_pyinstaller_bundle(tmp_path: Path) -> None:
    code = (
        "import sys; sys._MEIPASS = sys.argv[1]\n"
        "from signing.resources import resources_dir, font_path\n"
        "print(resources_dir()); print(font_path())"
    )
    res = _run_as_bundle(code, tmp_path)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == [
        str(tmp_path / "resources"),
        str(tmp_path / "resources" / "fonts" / "ShomeiSerifJP-Regular.otf"),
    ]


def test_a_damaged_font_install_is_reported(tmp_path: Path) -> None:
    fonts = tmp_path / "resources" / "fonts"
    fonts.mkdir(parents=True)
    (fonts / "ShomeiSerifJP-Regular.otf").write_bytes(b"not a font")
    code = (
        "import sys; sys._MEIPASS = sys.argv[1]\n"
        "from signing.appearance.stamp import AppearanceSpec, stamp_style\n"
        "from signing.errors import AppearanceError\n"
        "try:\n"
        "    stamp_style(AppearanceSpec(), seal=False)\n"
        "except AppearanceError as exc:\n"
        "    print(exc)\n"
    )
    res = _run_as_bundle(code, tmp_path)
    assert res.returncode == 0, res.stderr
    assert "missing or damaged" in res.stdout and "Reinstall Shomei" in res.stdout
