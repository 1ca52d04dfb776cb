# pyHanko's PDF object and layout helpers are only partly annotated.
# mypy: disable-error-code="no-untyped-call"
"""Visible signature appearances: a text block in English or Japanese, with an
optional image (a hanko or a handwritten signature) beside or behind it.

The signer builds one style with :func:`stamp_style` and passes the values of
:func:`text_params` to pyHanko as ``appearance_text_params``; pyHanko fills in
``%(signer)s`` (the certificate's common name) and ``%(ts)s`` (signing time)
itself. Text is set in the bundled Shomei Serif JP font through
:mod:`signing.appearance.fonts`, which parses it once per process.

Placeholders a template may use: ``signer``, ``ts``, ``reason``, ``location``,
``organisation``, ``details`` (the reason and location lines that have a value),
``sep`` (": " or "："), and the labels ``label_signer``, ``label_date``,
``label_reason``, ``label_location``, ``label_organisation``,
``label_sealed_by`` in the chosen language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from fontTools.ttLib import TTLibError
from pyhanko.pdf_utils import content, generic, layout
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.stamp import BaseStampStyle, TextStampStyle

from signing import thirdparty_internals as internals
from signing.appearance.fonts import font_factory
from signing.appearance.hanko_image import StampImage, load_image
from signing.appearance.legibility import TEXT_FLOOR_PT as TEXT_FLOOR_PT
from signing.appearance.legibility import TEXT_WARN_PT as TEXT_WARN_PT
from signing.appearance.page_frames import APPEARANCE_MATRIX
from signing.errors import AppearanceError
from signing.model.text import has_japanese
from signing.resources import font_path

Language = Literal["en", "ja"]

DEFAULT_SIGN_TEMPLATE = "%(label_signer)s%(sep)s%(signer)s\n%(label_date)s%(sep)s%(ts)s%(details)s"
DEFAULT_SEAL_TEMPLATE = (
    "%(label_sealed_by)s%(sep)s%(organisation)s\n%(signer)s\n%(label_date)s%(sep)s%(ts)s%(details)s"
)
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S %Z"

LABELS: Mapping[Language, Mapping[str, str]] = {
    "en": {
        "label_signer": "Signed by",
        "label_date": "Date",
        "label_reason": "Reason",
        "label_location": "Location",
        "label_organisation": "Organisation",
        "label_sealed_by": "Sealed by",
        "sep": ": ",
    },
    "ja": {
        "label_signer": "署名者",
        "label_date": "日時",
        "label_reason": "理由",
        "label_location": "場所",
        "label_organisation": "組織",
        "label_sealed_by": "電子印",
        "sep": "：",
    },
}
# every % must start "%(" or "%%" (with a mapping, "% s" would print the mapping)
_UNNAMED = re.compile(r"%(?!\()")
#: %(name) followed by a flag, width or precision
_SIZED = re.compile(r"%\([^)]*\)[-#0 +*\d.]")
_FIELDS = ("signer", "ts", "reason", "location", "organisation", "details")
PLACEHOLDERS = frozenset(_FIELDS) | frozenset(LABELS["en"])


@dataclass(frozen=True)
class AppearanceSpec:
    """How a visible signature looks. Plain values only, so the GUI and the
    CLI can build and store it."""

    template: str | None = None
    """Text with ``%(name)s`` placeholders (see the module docstring);
    ``None`` for the default of the mode (sign or seal)."""

    image: Path | None = None
    """A hanko or handwritten-signature image (PNG, or anything Pillow reads)."""

    image_position: Literal["left", "behind"] = "left"
    """Draw the image left of the text, or faded behind it."""

    language: Literal["auto", "en", "ja"] = "auto"
    """Language of the labels; ``auto`` picks Japanese when the template or
    any value contains Japanese (or other CJK) characters."""


def resolve_language(spec: AppearanceSpec, *values: str | None) -> Language:
    """The label language for ``spec`` given the values shown."""
    if spec.language != "auto":
        return spec.language
    return "ja" if any(has_japanese(v) for v in (spec.template, *values)) else "en"


def text_params(
    spec: AppearanceSpec,
    *,
    seal: bool,
    reason: str | None,
    location: str | None,
    organisation: str | None,
    signer: str | None = None,
) -> dict[str, str]:
    """The ``appearance_text_params`` for pyHanko: the values and the labels
    in the chosen language. ``signer`` (the name pyHanko will show) is only
    used to choose the language; pyHanko supplies ``%(signer)s`` itself."""
    lang = resolve_language(spec, reason, location, organisation, signer)
    labels = LABELS[lang]
    if seal and not organisation:
        organisation = signer
    details = ""
    for label, value in (("label_reason", reason), ("label_location", location)):
        if value:
            details += f"\n{labels[label]}{labels['sep']}{value}"
    return {
        **labels,
        "reason": reason or "",
        "location": location or "",
        "organisation": organisation or "",
        "details": details,
    }


def check_template(template: str) -> None:
    """Raise :class:`AppearanceError` if ``template`` is malformed or uses a
    placeholder that :func:`text_params` and pyHanko do not provide."""
    probe = _Probe()
    try:
        if _UNNAMED.search(template.replace("%%", "")):
            raise ValueError("a % not followed by (name)s or %")
        if _SIZED.search(template.replace("%%", "")):
            # (%(signer)200000000s would make a string of that many spaces)
            raise ValueError("a width, precision or flag after %(name)")
        template % probe
    except (ValueError, TypeError) as exc:
        raise AppearanceError(
            f"The signature text template is malformed ({exc}). "
            "Write placeholders as %(name)s, and a literal percent sign as %%.",
            ja=f"署名の文字列テンプレートの書き方が正しくありません（{exc}）。"
            "差し込み項目は%(name)s、パーセント記号そのものは%%と書いてください。",
        ) from exc
    unknown = sorted(probe.used - PLACEHOLDERS)
    if unknown:
        raise AppearanceError(
            f"The signature text template uses unknown placeholder(s) "
            f"{', '.join(unknown)}; known: {', '.join(sorted(PLACEHOLDERS))}.",
            ja=f"署名の文字列テンプレートに不明な差し込み項目があります：{'、'.join(unknown)}"
            f"（使える項目: {'、'.join(sorted(PLACEHOLDERS))}）。",
        )


class _Probe(Mapping[str, str]):
    """Records which keys a %-template looks up."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def __getitem__(self, key: str) -> str:
        self.used.add(key)
        return ""

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def stamp_style(spec: AppearanceSpec, *, seal: bool) -> BaseStampStyle:
    """The pyHanko stamp style for ``spec``. The style holds no per-document
    state: one may serve any number of signatures, from any thread."""
    template = spec.template
    if template is None:
        template = DEFAULT_SEAL_TEMPLATE if seal else DEFAULT_SIGN_TEMPLATE
    else:
        check_template(template)
    font = font_path()
    try:
        # parses the font on first use (then cached): a damaged install shows here
        factory = font_factory(font)
    except (OSError, ValueError, TTLibError) as exc:
        raise AppearanceError(
            f"The signature font {font} is missing or damaged ({exc}). Reinstall Shomei.",
            ja=f"署名用のフォント{font}が見つからないか壊れています。"
            "Shomeiをインストールし直してください。",
        ) from exc
    image = load_image(spec.image) if spec.image is not None else None
    return ImageTextStampStyle(
        stamp_text=template,
        timestamp_format=TIMESTAMP_FORMAT,
        text_box_style=TextBoxStyle(font=factory, font_size=10, leading=13),
        border_width=1,
        border_color=(0.75, 0.1, 0.1) if seal else (0.2, 0.2, 0.2),
        image=image,
        image_position=spec.image_position,
    )


def text_size_on_page(
    style: BaseStampStyle,
    width: float,
    height: float,
    params: Mapping[str, str],
    user_unit: float = 1.0,
) -> float:
    """The size in points the stamp's text gets in a ``width`` x ``height``
    widget (user units, before /Rotate): the text is laid out at its font
    size, then shrunk with the rest of the stamp to fit the box."""
    from pyhanko.pdf_utils.writer import PdfFileWriter

    size = float(getattr(getattr(style, "text_box_style", None), "font_size", 0) or 0)
    if not isinstance(style, ImageTextStampStyle) or size <= 0:
        return size * user_unit
    stamp = ImageTextStamp(
        writer=PdfFileWriter(),  # a scratch file: only the layout is wanted
        style=style,
        text_params={"signer": "", **params},
        box=layout.BoxConstraints(width=width, height=height),
    )
    return size * internals.stamp_fit_scale(stamp) * user_unit


# --- the stamp ---------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ImageTextStampStyle(TextStampStyle):  # type: ignore[misc]
    """A text stamp with an optional image left of the text or behind it."""

    image: StampImage | None = None
    image_position: Literal["left", "behind"] = "left"
    image_opacity: float = 0.45
    """Opacity of an image drawn behind the text."""
    innsep: int = 4
    """Space around the image, in user units."""
    rotation: int = 0
    """The page's /Rotate: the appearance is drawn turned back by it, so
    that it reads upright where the page is shown turned."""

    def create_stamp(self, writer: Any, box: Any, text_params: dict[str, Any]) -> ImageTextStamp:
        return ImageTextStamp(writer=writer, style=self, box=box, text_params=text_params)


class ImageTextStamp(internals.TextStampHooks):  # type: ignore[misc]
    """pyHanko's text stamp with an image left of or behind the text (see
    :func:`signing.thirdparty_internals._text_stamp_hooks`)."""

    style: ImageTextStampStyle

    def __init__(
        self,
        writer: Any,
        style: ImageTextStampStyle,
        text_params: dict[str, Any] | None = None,
        box: layout.BoxConstraints | None = None,
    ) -> None:
        if style.rotation in (90, 270) and box is not None and box.width_defined:
            # laid out as shown: the widget's width is the shown height
            box = layout.BoxConstraints(width=box.height, height=box.width)
        super().__init__(writer=writer, style=style, text_params=text_params, box=box)

    def as_form_xobject(self) -> Any:
        xobject = super().as_form_xobject()
        matrix = APPEARANCE_MATRIX.get(self.style.rotation)
        if matrix is not None:
            xobject["/Matrix"] = generic.ArrayObject(generic.NumberObject(v) for v in matrix)
        return xobject

    def _writer(self) -> Any:
        assert self.writer is not None  # set by pyHanko before rendering
        return self.writer

    def _image_resource(self) -> bytes:
        image = self.style.image
        assert image is not None
        name = "/ShomeiImage"
        self.set_resource(
            category=content.ResourceType.XOBJECT,
            name=generic.pdf_name(name),
            value=image.xobject(self._writer()),
        )
        return name.encode("ascii")

    def layout_hook(
        self, natural: tuple[list[bytes], tuple[float, float]]
    ) -> tuple[list[bytes], tuple[float, float]]:
        text_commands, (text_w, text_h) = natural
        style = self.style
        if style.image is None or style.image_position != "left":
            return text_commands, (text_w, text_h)
        # The image takes the stamp's height (or the text's, if taller: the
        # whole is shrunk to fit afterwards), keeping its aspect ratio.
        sep = style.innsep
        box = self.box
        height = max(box.height, text_h) if box.height_defined else text_h
        img_h = height - 2 * sep
        img_w = img_h * style.image.width / style.image.height
        inner_w = img_w + 2 * sep + text_w
        inner_h = max(height, text_h)
        name = self._image_resource()
        commands = [
            b"q %g 0 0 %g %g %g cm %s Do Q" % (img_w, img_h, sep, (inner_h - img_h) / 2, name),
            b"q 1 0 0 1 %g %g cm" % (img_w + 2 * sep, (inner_h - text_h) / 2),
            *text_commands,
            b"Q",
        ]
        return commands, (inner_w, inner_h)

    def content_hook(self, commands: list[bytes]) -> list[bytes]:
        style = self.style
        if style.image is None or style.image_position != "behind":
            return commands
        rule = layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(style.innsep),
            inner_content_scaling=layout.InnerScaling.STRETCH_TO_FIT,
        )
        pos = rule.fit(self.box, style.image.width, style.image.height)
        name = self._image_resource()
        opacity = generic.FloatObject(style.image_opacity)
        self.set_resource(
            category=content.ResourceType.EXT_G_STATE,
            name=generic.pdf_name("/ShomeiImageGS"),
            value=generic.DictionaryObject(
                {generic.pdf_name("/ca"): opacity, generic.pdf_name("/CA"): opacity}
            ),
        )
        # the image is painted on the unit square: scale by its size first
        behind = b"q /ShomeiImageGS gs %s %g 0 0 %g 0 0 cm %s Do Q" % (
            pos.as_cm(),
            style.image.width,
            style.image.height,
            name,
        )
        return [behind, *commands]
