"""The readable validation report for people: HTML and PDF, English or Japanese.

Both formats are drawn from one list of blocks (:func:`report_blocks`), so they
state the same facts: the file verdict in words, then per signature its
verdict and reasons, who signed, when (claimed and proven), the PAdES level,
the EU qualification beside the Japanese status, integrity and what changed,
the chain with revocation status and source, and the timestamps.

Every string that came out of a PDF (names, field names, the signer's reason,
even reason sentences built from them) is hostile: it is escaped for the
output format, bidirectional-override and control characters are shown as
``[U+202E]`` instead of being obeyed, and very long values are cut.

The PDF embeds a per-report subset of the bundled Japanese font (converted to
TrueType outlines, which the PDF writer needs), uses no other font and loads
nothing from outside: it prints and archives as it is.
"""

from __future__ import annotations

import hashlib
import html
import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, lru_cache
from itertools import groupby
from pathlib import Path
from typing import IO, Any

import signing
from signing.errors import OutputError
from signing.model.labels import Lang, docmdp_label, label, utc_time, word
from signing.model.results import (
    CertificateInfo,
    FileResult,
    Reason,
    SignatureResult,
    TimestampInfo,
    Verdict,
)
from signing.reports.columns_text import path_text
from signing.reports.template import BANNER, CSS, MARK

# (re-exported: desktop.core_adapter still imports it from here)
from signing.sign.atomic_write import atomic_write
from signing.validation.story import EntryStory, FileStory, TrustListState, file_story, text

# --- blocks shared by both formats ----------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1: report title, 2: file, 3: signature, 4: section


@dataclass(frozen=True)
class Banner:
    verdict: Verdict
    text: str
    small: bool = False


@dataclass(frozen=True)
class Facts:
    """Field name / value rows; a value may hold several lines (``\\n``)."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Grid:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    #: relative column widths (PDF); equal when empty
    widths: tuple[float, ...] = ()


@dataclass(frozen=True)
class ReasonList:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Text:
    text: str


Block = Heading | Banner | Facts | Grid | ReasonList | Text

_MAX_VALUE = 1000
_UNSAFE = re.compile(
    "[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]"
)


def clean(text: str, limit: int = _MAX_VALUE) -> str:
    """Make a hostile string safe to show: invisible and direction-changing
    characters become visible ``[U+XXXX]`` marks, and it is cut after
    ``limit`` characters (the number cut is shown)."""
    if len(text) > limit:
        text = f"{text[:limit]}… (+{len(text) - limit:,})"
    return _UNSAFE.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def _time(moment: datetime | None, lang: Lang) -> str:
    if moment is None:
        return word("unknown", lang)
    return utc_time(moment, lang)


def _paren(text: str, lang: Lang) -> str:
    return f" ({text})" if lang == "en" else f"（{text}）"


def _yes_no(value: bool | None, lang: Lang) -> str:
    if value is None:
        return word("unknown", lang)
    return word("yes" if value else "no", lang)


def _opt(value: str | None, lang: Lang) -> str:
    return value if value else "—"


def _cert_name(cert: CertificateInfo | None, lang: Lang) -> str:
    if cert is None:
        return word("unknown", lang)
    return cert.common_name or cert.subject or word("unknown", lang)


def _reason_text(reason: Reason, lang: Lang) -> str:
    sentence = reason.en if lang == "en" else reason.ja
    # (Japanese puts no space after 。)
    tag = f" [{reason.code}]" if lang == "en" else f"[{reason.code}]"
    return f"{label(reason.severity, lang)}: {sentence}{tag}"


def _banner_text(verdict: Verdict, lang: Lang, what: str = "verdict") -> str:
    return f"{MARK[verdict]} {word(what, lang)}: {label(verdict, lang)}"


def _timestamp_row(kind: str, ts: TimestampInfo, lang: Lang) -> tuple[str, ...]:
    etsi = ts.indication.value if ts.indication else "—"
    if ts.subindication:
        etsi += f" / {ts.subindication}"
    return (
        kind,
        _time(ts.time, lang),
        _cert_name(ts.tsa, lang),
        f"{_yes_no(ts.intact, lang)} / {_yes_no(ts.trusted, lang)}",
        etsi,
        label(ts.qualification, lang),
    )


def _signature_blocks(
    sig: SignatureResult, entry: EntryStory, total: int, lang: Lang
) -> list[Block]:
    def w(key: str, **fields: object) -> str:
        return word(key, lang, **fields)

    n = entry.index
    quoted = f"“{sig.field_name}”" if lang == "en" else f"「{sig.field_name}」"
    blocks: list[Block] = [
        Heading(w("entry", kind=label(sig.kind, lang), n=n, total=total, field=quoted), 3),
        Banner(sig.verdict, _banner_text(sig.verdict, lang), small=True),
    ]
    # the deciding reason first (it is in the banner too), then the others
    shown = (entry.decisive, *entry.others) if entry.decisive in sig.reasons else entry.others
    if shown:
        blocks.append(ReasonList(tuple(_reason_text(r, lang) for r in shown)))

    signer = sig.signer
    blocks += [
        Heading(w("who"), 4),
        Facts(
            (
                (w("name"), _cert_name(signer, lang)),
                (w("organisation"), _opt(signer.organisation if signer else None, lang)),
                (w("country"), _opt(signer.country if signer else None, lang)),
                (w("signer_kind"), label(sig.signer_kind, lang)),
                (w("subject"), _opt(signer.subject if signer else None, lang)),
                (w("issuer"), _opt(signer.issuer if signer else None, lang)),
                (w("serial"), _opt(signer.serial_hex if signer else None, lang)),
                (w("key_algorithm"), _opt(signer.key_algorithm if signer else None, lang)),
            )
        ),
        Heading(w("when"), 4),
        Facts(
            (
                (w("claimed_time"), _time(sig.claimed_time, lang)),
                (
                    w("best_time"),
                    _time(entry.time.time, lang)
                    if entry.time.time is not None
                    else w("time_not_proven"),
                ),
                (w("time_source"), text(entry.time.message, lang)),
            )
        ),
        Heading(w("format"), 4),
        Facts(
            (
                (w("level"), label(sig.level, lang)),
                (
                    w("etsi"),
                    sig.indication.value + (f" / {sig.subindication}" if sig.subindication else ""),
                ),
                (w("subfilter"), _opt(sig.subfilter, lang)),
                (
                    w("algorithms"),
                    " / ".join(a for a in (sig.digest_algorithm, sig.signature_algorithm) if a)
                    or "—",
                ),
            )
        ),
    ]

    eu_lines = [text(entry.eu, lang)]
    # (the story's EU words already hold the first reason when not assessed)
    merged = entry.eu.en != label(sig.eu_qualification, "en")
    eu_lines += [text(r, lang) for r in sig.eu_reasons[1 if merged else 0 :]]
    if sig.eu_path is not None:  # the certificates this column decided on
        eu_lines.append(path_text(sig.eu_path, lang, eu=True))
    jp = sig.jp_status
    jp_lines = [text(entry.jp, lang) if entry.jp is not None else word("none", lang)]
    if sig.jp_path is not None:
        jp_lines.append(path_text(sig.jp_path, lang, eu=False))
    if jp and jp.long_term_profile:
        jp_lines.append(word("long_term_profile", lang))
    # the Japanese status's own reasons (revocation restricted to registered
    # verifiers, not a signature certificate...) beside it, as the EU ones
    jp_lines += [_reason_text(r, lang) for r in sig.reasons if r.code.startswith("jp-")]
    blocks += [
        Heading(w("status"), 4),
        Grid(
            (w("eu_qualification"), w("jp_status")), (("\n".join(eu_lines), "\n".join(jp_lines)),)
        ),
    ]

    mod = sig.modification
    rows: list[tuple[str, str]] = [(w("intact"), _yes_no(sig.intact, lang))]
    if mod is None:
        rows.append((w("covers"), word("unknown", lang)))
    else:
        covers = _yes_no(mod.covers_whole_file, lang)
        if mod.file_bytes:
            covers += _paren(
                w("covers_detail", signed=mod.signed_bytes, total=mod.file_bytes), lang
            )
        rows.append((w("covers"), covers))
    # one sentence for what changed (the story's): never "No" above a broken hash
    rows.append((w("modified"), text(entry.change.message, lang)))
    if mod is not None and mod.docmdp_level:
        rows.append((w("docmdp"), docmdp_label(mod.docmdp_level, lang)))
    rows.append((w("revocation"), text(entry.revocation, lang)))
    blocks += [Heading(w("integrity"), 4), Facts(tuple(rows))]

    if sig.chain:
        chain_rows = []
        for el in sig.chain:
            status = label(el.revocation_status, lang)
            if el.revocation_time is not None:
                status += f"\n{w('revocation_time')}: {_time(el.revocation_time, lang)}"
            if el.revocation_reason is not None:
                status += f"\n{w('revocation_reason')}: {label(el.revocation_reason, lang)}"
            anchor = _yes_no(el.is_trust_anchor, lang)
            if el.is_trust_anchor and el.certificate.trust_source:
                anchor += _paren(el.certificate.trust_source, lang)
            chain_rows.append(
                (
                    _cert_name(el.certificate, lang),
                    el.certificate.issuer,
                    _time(el.certificate.not_after, lang),
                    status,
                    label(el.revocation_source, lang),
                    anchor,
                )
            )
        blocks += [
            Heading(w("chain"), 4),
            Grid(
                (
                    w("certificate"),
                    w("issuer"),
                    w("valid_until"),
                    w("revocation_status"),
                    w("revocation_source"),
                    w("trust_anchor"),
                ),
                tuple(chain_rows),
            ),
        ]

    ts_rows = []
    if sig.signature_timestamp is not None:
        ts_rows.append(_timestamp_row(w("ts_signature"), sig.signature_timestamp, lang))
    ts_rows += [_timestamp_row(w("ts_archive"), ts, lang) for ts in sig.covering_timestamps]
    if ts_rows:
        blocks += [
            Heading(w("timestamps"), 4),
            Grid(
                (w("ts_kind"), w("time"), w("tsa"), w("ts_ok"), w("etsi"), w("qualification")),
                tuple(ts_rows),
            ),
        ]

    stated = [
        (w(key), value)
        for key, value in (
            ("signer_reason", sig.reason),
            ("signer_location", sig.location),
            ("signer_contact", sig.contact),
        )
        if value
    ]
    if stated:
        blocks += [Heading(w("stated"), 4), Facts(tuple(stated))]
    return blocks


def _file_blocks(
    result: FileResult, lang: Lang, trust_lists: TrustListState | None = None
) -> list[Block]:
    def w(key: str, **fields: object) -> str:
        return word(key, lang, **fields)

    story = file_story(result, trust_lists)
    blocks: list[Block] = [
        Heading(f"{w('file')}: {result.path}", 2),
        Banner(result.verdict, _banner_text(result.verdict, lang)),
        # the one reason that decides the verdict, as the CLI line and the app say
        Text(headline_text(story, lang)),
    ]
    if story.as_of is not None:  # a chosen time, not now: said before anything else
        blocks.append(Text(text(story.as_of, lang)))
    if result.error is not None:
        blocks.append(Text(w("error")))
    if story.notes:
        blocks += [
            Heading(w("file_reasons"), 4),
            ReasonList(tuple(_reason_text(r, lang) for r in story.notes)),
        ]
    blocks.append(
        Facts(
            (
                (w("signature_count"), str(result.signature_count)),
                (w("modified_after_last"), _yes_no(result.modified_after_last_signature, lang)),
                (
                    w(
                        "validation_time_chosen"
                        if result.validation_time_chosen
                        else "validation_time"
                    ),
                    _time(result.validation_time, lang),
                ),
                (w("sha256"), _opt(result.sha256_hex, lang)),
                (w("size"), w("bytes", n=result.file_bytes) if result.file_bytes else "—"),
            )
        )
    )
    if not result.signatures and result.error is None:
        blocks.append(Text(w("no_signatures")))
    total = len(result.signatures)
    for sig, entry in zip(result.signatures, story.entries, strict=True):
        blocks += _signature_blocks(sig, entry, total, lang)
    return blocks


def headline_text(story: FileStory, lang: Lang) -> str:
    """The headline as the report words it (``Why: <sentence>``)."""
    return f"{word('headline', lang)}: {text(story.headline, lang)}"


def report_blocks(
    results: Sequence[FileResult], lang: Lang, trust_lists: TrustListState | None = None
) -> list[Block]:
    """The report's content, format-neutral (HTML and PDF render these)."""
    if lang not in ("en", "ja"):
        raise ValueError(f"unknown language {lang!r}; use 'en' or 'ja'")
    blocks: list[Block] = [Heading(word("title", lang), 1)]
    lists_message = trust_lists.message if trust_lists is not None else None
    if lists_message is not None:
        blocks.append(Text(text(lists_message, lang)))
    if len(results) > 1:
        worst = max(r.verdict for r in results)
        blocks += [
            Banner(worst, _banner_text(worst, lang, "overall")),
            Grid(
                (word("file", lang), word("verdict", lang), word("signature_count", lang)),
                tuple(
                    (r.path, f"{MARK[r.verdict]} {label(r.verdict, lang)}", str(r.signature_count))
                    for r in results
                ),
                (0.6, 0.25, 0.15),
            ),
        ]
    for result in results:
        blocks += _file_blocks(result, lang, trust_lists)
    return blocks


def footer_text(results: Sequence[FileResult], lang: Lang, created: datetime) -> str:
    times = sorted({r.validation_time for r in results if r.validation_time is not None})
    when = ("、" if lang == "ja" else ", ").join(_time(t, lang) for t in times[:3])
    when = when or word("unknown", lang)
    return word(
        "footer", lang, version=signing.__version__, time=when, created=_time(created, lang)
    )


# --- HTML -------------------------------------------------------------------------


def _h(text: str) -> str:
    return html.escape(clean(text), quote=True).replace("\n", "<br>")


def _html_block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<h{block.level}>{_h(block.text)}</h{block.level}>"
    if isinstance(block, Banner):
        colour, background, style = BANNER[block.verdict]
        cls = "banner small" if block.small else "banner"
        return (
            f'<div class="{cls}" role="status" data-verdict="{block.verdict.name}" '
            f'style="border-style: {style}; border-color: {colour}; background: {background}">'
            f"{_h(block.text)}</div>"
        )
    if isinstance(block, Facts):
        rows = "".join(
            f'<tr><th scope="row">{_h(k)}</th><td dir="auto"><bdi>{_h(v)}</bdi></td></tr>'
            for k, v in block.rows
        )
        return f'<table class="facts">{rows}</table>'
    if isinstance(block, Grid):
        head = "".join(f'<th scope="col">{_h(c)}</th>' for c in block.header)
        body = "".join(
            "<tr>" + "".join(f'<td dir="auto"><bdi>{_h(c)}</bdi></td>' for c in row) + "</tr>"
            for row in block.rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    if isinstance(block, ReasonList):
        items = "".join(f'<li dir="auto"><bdi>{_h(t)}</bdi></li>' for t in block.items)
        return f'<ul class="reasons">{items}</ul>'
    return f'<p dir="auto"><bdi>{_h(block.text)}</bdi></p>'


def render_html(
    results: Sequence[FileResult],
    lang: Lang,
    *,
    created: datetime | None = None,
    trust_lists: TrustListState | None = None,
) -> str:
    """A self-contained, printable HTML document (inline CSS, no scripts, no
    external resources; a Content-Security-Policy forbids them even if some
    markup slipped through)."""
    created = created or datetime.now(UTC)
    body = "\n".join(_html_block(b) for b in report_blocks(results, lang, trust_lists))
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_h(word('title', lang))}</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n{body}\n"
        f"<footer>{_h(footer_text(results, lang, created))}</footer>\n</body>\n</html>\n"
    )


# --- PDF --------------------------------------------------------------------------


def _font_file() -> Path:
    from signing.resources import font_path

    path = font_path()
    if not path.is_file():
        raise OutputError(
            f"The bundled Japanese font is missing ({path}); reinstall Shomei.",
            ja=f"同梱の日本語フォントが見つかりません（{path}）。Shomeiをインストールし直してください。",
        )
    return path


def _truetype_subset(font_file: Path, text: str, ps_name: str) -> bytes:
    """The bundled font cut down to ``text``'s characters, its CFF outlines
    converted to TrueType ones (the PDF writer embeds TrueType only), named
    ``ps_name`` (the PDF writer keys fonts on that name: each subset needs its
    own)."""
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    font = TTFont(str(font_file))
    options = subset.Options()
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.glyph_names = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    if "glyf" not in font:
        glyph_set = font.getGlyphSet()
        order = font.getGlyphOrder()
        glyf = newTable("glyf")
        glyf.glyphOrder = order
        glyf.glyphs = {}
        for name in order:
            pen = TTGlyphPen(glyph_set)
            # 1 unit of 1000 per em: invisible; CFF contours run the other way
            glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
            glyf[name] = pen.glyph()
        font["glyf"] = glyf
        font["loca"] = newTable("loca")
        for tag in ("CFF ", "VORG"):
            if tag in font:
                del font[tag]
        maxp = newTable("maxp")
        maxp.tableVersion = 0x00010000
        for attr in (
            "maxZones",
            "maxTwilightPoints",
            "maxStorage",
            "maxFunctionDefs",
            "maxInstructionDefs",
            "maxStackElements",
            "maxSizeOfInstructions",
            "maxComponentElements",
        ):
            setattr(maxp, attr, 0)
        maxp.maxZones = 1
        font["maxp"] = maxp
        font["head"].glyphDataFormat = 0
        post = font["post"]
        post.formatType = 2.0
        post.extraNames = []
        post.mapping = {}
        font.sfntVersion = "\x00\x01\x00\x00"
    for record in font["name"].names:
        if record.nameID == 6:
            record.string = ps_name
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@lru_cache(maxsize=8)
def _register_font(chars: str) -> str:
    """Register a subset covering ``chars`` with the PDF writer; its name."""
    from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
    from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]

    name = "ShomeiSerifJP-" + hashlib.sha256(chars.encode("utf-8", "replace")).hexdigest()[:12]
    pdfmetrics.registerFont(TTFont(name, io.BytesIO(_truetype_subset(_font_file(), chars, name))))
    return name


#: fonts tried, in order, for characters the bundled font lacks (Hebrew,
#: Arabic, Cyrillic...): a TrueType font bundled beside it, else a common
#: system one. Without any, those characters print as empty boxes.
_FALLBACK_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/arial.ttf",
)


@cache
def _bundled_coverage() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(_font_file()), lazy=True) as font:
        return frozenset(font.getBestCmap())


@cache
def _fallback_font() -> tuple[str, frozenset[int]] | None:
    """(registered name, covered code points) of a fallback font, if any."""
    from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
    from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]

    candidates = sorted(_font_file().parent.glob("*.ttf")) + [Path(p) for p in _FALLBACK_FONTS]
    for path in candidates:
        if not path.is_file():
            continue
        try:
            font = TTFont("ShomeiFallback", str(path))
        except Exception:  # a broken system font is just not used
            continue
        pdfmetrics.registerFont(font)
        return "ShomeiFallback", frozenset(font.face.charToGlyph)
    return None


class _Markup:
    """Escape text for the PDF writer's paragraph markup, switching to the
    fallback font for characters the bundled font does not have."""

    def __init__(
        self,
        covered: frozenset[int],
        fallback: tuple[str, frozenset[int]] | None,
        limit: int = _MAX_VALUE,
    ):
        self.covered = covered
        self.fallback = fallback
        self.limit = limit

    def __call__(self, text: str) -> str:
        text = clean(text, self.limit)
        if self.fallback is None or all(ord(c) in self.covered or c == "\n" for c in text):
            return self._escape(text)
        name, extra = self.fallback
        out: list[str] = []
        for is_extra, run in groupby(
            text, key=lambda c: ord(c) not in self.covered and ord(c) in extra
        ):
            chunk = self._escape("".join(run))
            out.append(f'<font face="{name}">{chunk}</font>' if is_extra else chunk)
        return "".join(out)

    @staticmethod
    def _escape(text: str) -> str:
        return html.escape(text, quote=False).replace("\n", "<br/>")


def _pdf_story(blocks: Sequence[Block], font: str, lang: Lang, x: _Markup) -> list[Any]:
    from reportlab.lib import colors  # type: ignore[import-untyped]
    from reportlab.lib.styles import ParagraphStyle  # type: ignore[import-untyped]
    from reportlab.lib.units import mm  # type: ignore[import-untyped]
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle  # type: ignore[import-untyped]

    wrap = "CJK" if lang == "ja" else None
    body = ParagraphStyle("body", fontName=font, fontSize=8.5, leading=11.5, wordWrap=wrap)
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5)
    keep = ParagraphStyle("keep", parent=body, keepWithNext=1)
    head = {
        1: ParagraphStyle("h1", parent=keep, fontSize=16, leading=20, spaceAfter=6),
        2: ParagraphStyle("h2", parent=keep, fontSize=13, leading=16, spaceBefore=10, spaceAfter=4),
        3: ParagraphStyle("h3", parent=keep, fontSize=11, leading=14, spaceBefore=8, spaceAfter=3),
        4: ParagraphStyle("h4", parent=keep, fontSize=9.5, leading=12, spaceBefore=5, spaceAfter=2),
    }
    width = 180 * mm
    grid = [
        ("FONTNAME", (0, 0), (-1, -1), font),  # else the table sets Helvetica, not embedded
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    story: list[Any] = []
    for block in blocks:
        if isinstance(block, Heading):
            story.append(Paragraph(x(block.text), head[block.level]))
        elif isinstance(block, Banner):
            colour, background, style = BANNER[block.verdict]
            size = 10.5 if block.small else 13
            para = Paragraph(
                x(block.text), ParagraphStyle("b", parent=body, fontSize=size, leading=size * 1.3)
            )
            box: tuple[Any, ...] = ("BOX", (0, 0), (-1, -1), 2.5 if block.small else 3.5)
            box += (colors.HexColor(colour),)
            if style == "dashed":
                box += (None, (4, 2))
            elif style == "dotted":
                box += (None, (1, 2))
            table = Table([[para]], colWidths=[width])
            table.setStyle(
                TableStyle(
                    [grid[0], box, ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(background))]
                )
            )
            story += [table, Spacer(1, 4)]
        elif isinstance(block, Facts):
            rows = [[Paragraph(x(k), small), Paragraph(x(v), body)] for k, v in block.rows]
            table = Table(rows, colWidths=[0.32 * width, 0.68 * width], splitInRow=1)
            table.setStyle(
                TableStyle([*grid, ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2"))])
            )
            story += [table, Spacer(1, 3)]
        elif isinstance(block, Grid):
            n = len(block.header)
            data = [[Paragraph(x(c), small) for c in block.header]]
            data += [[Paragraph(x(c), small) for c in row] for row in block.rows]
            shares = block.widths or (1.0,) * n
            table = Table(
                data,
                colWidths=[width * w / sum(shares) for w in shares],
                repeatRows=1,
                splitInRow=1,
            )
            table.setStyle(
                TableStyle([*grid, ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6"))])
            )
            story += [table, Spacer(1, 3)]
        elif isinstance(block, ReasonList):
            items = [Paragraph("• " + x(t), body) for t in block.items]
            story.append(KeepTogether([*items, Spacer(1, 3)]))
        else:
            story.append(Paragraph(x(block.text), body))
    return story


def render_pdf(
    results: Sequence[FileResult],
    lang: Lang,
    out_path: str | os.PathLike[str],
    *,
    created: datetime | None = None,
    trust_lists: TrustListState | None = None,
) -> Path:
    """Write the report as a PDF to ``out_path`` (atomically: a temporary file
    in the same folder, then a rename). Every font is embedded (a subset of the
    bundled Japanese font, also used for Latin text). Returns the path."""
    from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
    from reportlab.lib.units import mm  # type: ignore[import-untyped]
    from reportlab.platypus import SimpleDocTemplate  # type: ignore[import-untyped]

    created = created or datetime.now(UTC)
    blocks = report_blocks(results, lang, trust_lists)
    footer = footer_text(results, lang, created)
    pages = [word("page", lang, n=n) for n in range(10)]
    chars = set(footer) | set("".join(pages)) | set("0123456789•[]+… ")
    for block in blocks:
        chars |= set(clean(_block_text(block)))
    covered = _bundled_coverage()
    font = _register_font("".join(sorted(c for c in chars if ord(c) in covered)))
    fallback = None if all(ord(c) in covered for c in chars - {"\n"}) else _fallback_font()
    # a hostile file can make one table cell taller than a page even with
    # rows split across pages; then the values are cut much shorter
    attempts = [_Markup(covered, fallback), _Markup(covered, fallback, limit=120)]

    def on_page(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 7)
        canvas.drawString(15 * mm, 9 * mm, clean(footer))
        canvas.drawRightString(195 * mm, 9 * mm, word("page", lang, n=doc.page))
        canvas.restoreState()

    def build(stream: IO[bytes]) -> None:
        doc = SimpleDocTemplate(
            stream,
            pagesize=A4,
            leftMargin=15 * mm,
            rightMargin=15 * mm,
            topMargin=15 * mm,
            bottomMargin=18 * mm,
            title=word("title", lang),
            author="Shomei",
            subject=word("title", lang),
            creator=f"Shomei {signing.__version__}",
            lang=lang,
            initialFontName=font,
        )
        from reportlab.platypus.doctemplate import LayoutError  # type: ignore[import-untyped]

        for n, markup in enumerate(attempts):
            try:
                story = _pdf_story(blocks, font, lang, markup)
                doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
                return
            except LayoutError as exc:
                if n == len(attempts) - 1:
                    raise OutputError(
                        f"The report cannot be laid out on pages: {exc}",
                        ja=f"レポートをページに割り付けられません：{exc}",
                    ) from exc
                stream.seek(0)
                stream.truncate()

    return atomic_write(Path(out_path), build)


def _block_text(block: Block) -> str:
    if isinstance(block, Heading | Banner | Text):
        return block.text
    if isinstance(block, Facts):
        return "".join(k + v for k, v in block.rows)
    if isinstance(block, Grid):
        return "".join(block.header) + "".join("".join(r) for r in block.rows)
    return "".join(block.items)


def write_report(
    results: Sequence[FileResult],
    lang: Lang,
    out_path: str | os.PathLike[str],
    *,
    created: datetime | None = None,
    trust_lists: TrustListState | None = None,
) -> Path:
    """The readable report in the format its name asks for, written atomically:
    ``.html``/``.htm`` gives HTML (UTF-8), anything else PDF."""
    if Path(out_path).suffix.lower() in (".html", ".htm"):
        page = render_html(results, lang, created=created, trust_lists=trust_lists)
        return atomic_write(Path(out_path), lambda s: s.write(page.encode("utf-8")))
    return render_pdf(results, lang, out_path, created=created, trust_lists=trust_lists)
