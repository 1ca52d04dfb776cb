# pyHanko's PDF object and layout helpers are only partly annotated.
# mypy: disable-error-code="no-untyped-call"
"""OpenType fonts for signature appearances, parsed once per process.

pyHanko's ``GlyphAccumulatorFactory`` opens and parses the font file for every
appearance, then runs fontTools' subsetter over the whole font (layout tables
included) to embed the few glyphs used: for a CJK font that is the bulk of a
visible signature's cost. Here the parts that never change are read once per
(path, size, mtime) and shared, read-only, by every document and thread:

- the file's bytes and the HarfBuzz face built on them (shaping);
- the glyph → CID / advance width / Unicode tables (ToUnicode, /W);
- the font descriptor metrics;
- each glyph's desubroutinised charstring, from which
  :mod:`signing.appearance.cff_subset` assembles a document's embedded subset in well
  under a millisecond (fontTools' subsetter takes ~40 ms a document).

Everything a document owns (its glyph set, ToUnicode map, subset prefix, PDF
objects) lives in a fresh :class:`CachedGlyphAccumulator` per document, as in
pyHanko. Only CID-keyed CFF fonts (the bundled one, and CJK OpenType fonts in
general) take this path; anything else goes through pyHanko's own factory.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import uharfbuzz as hb  # type: ignore[import-untyped,unused-ignore]
from fontTools.ttLib import TTFont
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.font.api import FontEngineFactory
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory

from signing import thirdparty_internals as internals
from signing.appearance.cff_subset import CffFormatError, CidCffSubsetter


@dataclass(frozen=True)
class FontMetrics:
    """What the PDF font descriptor needs, in font units."""

    ascent: int
    descent: int
    bbox: tuple[int, int, int, int]
    cap_height: int
    stem_v: int
    italic_angle: float


@dataclass(frozen=True, eq=False)
class ParsedFont:
    """An OpenType font with a CID-keyed CFF program, parsed once and then
    only read. Obtain one with :func:`load_font`."""

    path: Path
    data: bytes
    #: HarfBuzz face over ``data`` (immutable; each document makes its own hb.Font)
    face: Any
    ps_name: str
    units_per_em: int
    #: (registry, ordering, supplement) of the CFF program
    ros: tuple[str, str, int]
    glyph_names: tuple[str, ...]
    #: indexed by glyph id
    cids: tuple[int, ...]
    #: advance widths in font units, indexed by glyph id
    widths: tuple[int, ...]
    #: glyph name -> Unicode code points that map to it (ToUnicode fallback)
    codepoints_by_name: Mapping[str, frozenset[int]]
    metrics: FontMetrics
    subsetter: CidCffSubsetter

    def subset_program(self, gids: frozenset[int]) -> bytes:
        """The CFF program holding exactly ``gids`` (plus .notdef), with
        their CIDs unchanged."""
        return self.subsetter.subset({gid: self.cids[gid] for gid in gids})


_cache: dict[tuple[Path, int, int], ParsedFont] = {}
_cache_lock = threading.Lock()


def is_cid_keyed_cff(path: Path) -> bool:
    """True for OpenType fonts with a CID-keyed CFF program (what
    :class:`CachedFontFactory` supports)."""
    try:
        load_font(path)
    except _Unsupported:
        return False
    return True


class _Unsupported(Exception):
    pass


def load_font(path: Path) -> ParsedFont:
    """The parsed font at ``path``, from the process-wide cache when the
    file has not changed since it was parsed (keyed by path, size, mtime)."""
    resolved = path.resolve()
    st = resolved.stat()
    key = (resolved, st.st_size, st.st_mtime_ns)
    with _cache_lock:
        font = _cache.get(key)
        if font is None:
            # Parsing under the lock: concurrent first callers parse once.
            font = _parse(resolved)
            for old in [k for k in _cache if k[0] == resolved]:
                del _cache[old]
            _cache[key] = font
        return font


def _parse(path: Path) -> ParsedFont:
    data = path.read_bytes()
    tt = TTFont(BytesIO(data), lazy=True)
    if "CFF " not in tt:
        raise _Unsupported(f"{path} has no CFF program")
    top = tt["CFF "].cff[0]
    ros = getattr(top, "ROS", None)
    if not ros:
        raise _Unsupported(f"{path} is not CID-keyed")
    names: tuple[str, ...] = tuple(top.charset)
    cids = tuple(0 if n == ".notdef" else int(n[3:]) for n in names)
    hmtx = tt["hmtx"].metrics
    widths = tuple(int(hmtx[n][0]) for n in names)
    by_name: dict[str, set[int]] = {}
    cmap = tt["cmap"].getBestCmap()
    for codepoint, glyph_name in cmap.items():
        by_name.setdefault(glyph_name, set()).add(codepoint)
    head, hhea, os2 = tt["head"], tt["hhea"], tt["OS/2"]
    metrics = FontMetrics(
        ascent=int(hhea.ascent),
        descent=int(hhea.descent),
        bbox=(int(head.xMin), int(head.yMin), int(head.xMax), int(head.yMax)),
        cap_height=int(getattr(os2, "sCapHeight", 750)),
        stem_v=int(10 + 220 * (os2.usWeightClass - 50) / 900),
        italic_angle=float(getattr(tt["post"], "italicAngle", 0)),
    )
    ps_name = next(r.toUnicode() for r in tt["name"].names if r.nameID == 6)
    try:
        subsetter = CidCffSubsetter(tt)
    except CffFormatError as exc:
        raise _Unsupported(str(exc)) from exc
    return ParsedFont(
        path=path,
        data=data,
        face=hb.Face(data),
        ps_name=ps_name,
        units_per_em=int(head.unitsPerEm),
        ros=(str(ros[0]), str(ros[1]), int(ros[2])),
        glyph_names=names,
        cids=cids,
        widths=widths,
        codepoints_by_name={k: frozenset(v) for k, v in by_name.items()},
        metrics=metrics,
        subsetter=subsetter,
    )


class CachedGlyphAccumulator(internals.SharedFontGlyphAccumulator):  # type: ignore[misc]
    """pyHanko's glyph accumulator (shaping, ToUnicode, text operators) over a
    shared :class:`ParsedFont`. One per document, like pyHanko's."""

    def __init__(
        self,
        writer: Any,
        font: ParsedFont,
        font_size: int,
        obj_stream: Any = None,
    ) -> None:
        # GlyphAccumulator.__init__ parses the font; the base sets up its
        # state from the shared parse instead
        super().__init__(
            writer,
            ps_name=font.ps_name,
            font_size=font_size,
            obj_stream=obj_stream,
            hb_font=hb.Font(font.face),
            glyph_names=font.glyph_names,
            units_per_em=font.units_per_em,
        )
        self._font = font

    def codepoints_by_glyph_name(self) -> Mapping[str, frozenset[int]]:
        return self._font.codepoints_by_name

    def cid_and_width(self, glyph_id: int) -> tuple[int, int]:
        glyphs: dict[int, tuple[int, int]] = self.glyphs
        result = glyphs.get(glyph_id)
        if result is None:
            result = glyphs[glyph_id] = (
                self._font.cids[glyph_id],
                self._font.widths[glyph_id],
            )
        return result

    def prepare_write(self) -> None:
        if self.write_prepared:
            return
        font, writer, obj_stream = self._font, self.writer, self.obj_stream
        program = font.subset_program(frozenset(self.glyphs))
        name = f"{self.subset_prefix}+{font.ps_name}"
        m = font.metrics

        font_file = generic.StreamObject(
            {generic.pdf_name("/Subtype"): generic.pdf_name("/CIDFontType0C")},
            stream_data=program,
        )
        font_file.compress()
        descriptor = generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/FontDescriptor"),
                generic.pdf_name("/FontName"): generic.pdf_name("/" + name),
                generic.pdf_name("/Flags"): generic.NumberObject(0b110),  # serif, symbolic
                generic.pdf_name("/FontBBox"): generic.ArrayObject(
                    [generic.NumberObject(v) for v in m.bbox]
                ),
                generic.pdf_name("/ItalicAngle"): generic.FloatObject(m.italic_angle),
                generic.pdf_name("/Ascent"): generic.NumberObject(m.ascent),
                generic.pdf_name("/Descent"): generic.NumberObject(m.descent),
                generic.pdf_name("/CapHeight"): generic.NumberObject(m.cap_height),
                generic.pdf_name("/StemV"): generic.NumberObject(m.stem_v),
                generic.pdf_name("/FontFile3"): writer.add_object(font_file),
            }
        )
        registry, ordering, supplement = font.ros
        cid_font = generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/Font"),
                generic.pdf_name("/Subtype"): generic.pdf_name("/CIDFontType0"),
                generic.pdf_name("/BaseFont"): generic.pdf_name("/" + name),
                generic.pdf_name("/CIDSystemInfo"): generic.DictionaryObject(
                    {
                        generic.pdf_name("/Registry"): generic.pdf_string(registry),
                        generic.pdf_name("/Ordering"): generic.pdf_string(ordering),
                        generic.pdf_name("/Supplement"): generic.NumberObject(supplement),
                    }
                ),
                generic.pdf_name("/FontDescriptor"): writer.add_object(
                    descriptor, obj_stream=obj_stream
                ),
                generic.pdf_name("/W"): _widths_array(self.glyphs.values(), font.units_per_em),
            }
        )
        type0 = generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/Font"),
                generic.pdf_name("/Subtype"): generic.pdf_name("/Type0"),
                generic.pdf_name("/BaseFont"): generic.pdf_name(f"/{name}-Identity-H"),
                generic.pdf_name("/Encoding"): generic.pdf_name("/Identity-H"),
                generic.pdf_name("/DescendantFonts"): generic.ArrayObject(
                    [writer.add_object(cid_font, obj_stream=obj_stream)]
                ),
            }
        )
        if self.cid_to_unicode:
            type0[generic.pdf_name("/ToUnicode")] = writer.add_object(self.tounicode_cmap())
        writer.add_object(type0, obj_stream, idnum=self.font_ref.idnum)
        self.mark_written()


def _widths_array(cid_widths: Any, units_per_em: int) -> Any:
    """The /W array: runs of consecutive CIDs with their widths (in 1/1000 em)."""
    entries = sorted(set(cid_widths))
    out: list[Any] = []
    run: list[Any] = []
    first = prev = -2
    for cid, width in entries:
        if run and cid != prev + 1:
            out += [generic.NumberObject(first), generic.ArrayObject(run)]
            run = []
        if not run:
            first = cid
        run.append(generic.NumberObject(round(width * 1000 / units_per_em)))
        prev = cid
    if run:
        out += [generic.NumberObject(first), generic.ArrayObject(run)]
    return generic.ArrayObject(out)


@dataclass(frozen=True)
class CachedFontFactory(FontEngineFactory):  # type: ignore[misc]
    """Drop-in for pyHanko's ``GlyphAccumulatorFactory`` that shares the
    parsed font between documents (see the module docstring)."""

    font_file: Path
    font_size: int = 10

    def create_font_engine(self, writer: Any, obj_stream: Any = None) -> CachedGlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs:
            obj_stream = writer.prepare_object_stream()
        return CachedGlyphAccumulator(
            writer, load_font(self.font_file), self.font_size, obj_stream=obj_stream
        )


def font_factory(path: Path, font_size: int = 10) -> FontEngineFactory:
    """The fastest pyHanko font engine factory for the OpenType font at
    ``path``: the cached one for CID-keyed CFF fonts, pyHanko's otherwise."""
    if is_cid_keyed_cff(path):
        return CachedFontFactory(path, font_size)
    return GlyphAccumulatorFactory(str(path), font_size)
