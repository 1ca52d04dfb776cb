# pyHanko's PDF object helpers are only partly annotated.
# mypy: disable-error-code="no-untyped-call"
"""Images for signature appearances (a hanko, a handwritten signature),
decoded, downscaled and compressed once per file, then written into each
signed document as a ready-made image XObject.

pyHanko's ``pil_image`` re-encodes the pixels for every document; for a
scanned hanko that is a megabyte through zlib per signature.
"""

from __future__ import annotations

import threading
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError
from pyhanko.pdf_utils import generic

from signing.errors import AppearanceError

#: longest side of an image once loaded; a phone photo of a hanko would
#: otherwise add megabytes to every signed file
MAX_IMAGE_PIXELS = 600


@dataclass(frozen=True, eq=False)
class StampImage:
    """Pixels ready to embed: 8 bits per component, Flate-compressed."""

    width: int
    height: int
    #: "/DeviceRGB" or "/DeviceGray"
    colour_space: str
    samples: bytes
    #: the alpha channel (a soft mask), or None when the image is opaque
    alpha: bytes | None

    def xobject(self, writer: Any) -> Any:
        """Add the image (and its soft mask) to ``writer``; returns its reference."""
        pdf_name = generic.pdf_name
        entries = {
            pdf_name("/Type"): pdf_name("/XObject"),
            pdf_name("/Subtype"): pdf_name("/Image"),
            pdf_name("/Width"): generic.NumberObject(self.width),
            pdf_name("/Height"): generic.NumberObject(self.height),
            pdf_name("/BitsPerComponent"): generic.NumberObject(8),
            pdf_name("/Filter"): pdf_name("/FlateDecode"),
        }
        image = generic.DictionaryObject(
            {**entries, pdf_name("/ColorSpace"): pdf_name(self.colour_space)}
        )
        if self.alpha is not None:
            mask = generic.DictionaryObject(
                {**entries, pdf_name("/ColorSpace"): pdf_name("/DeviceGray")}
            )
            image[pdf_name("/SMask")] = writer.add_object(
                generic.StreamObject(mask, encoded_data=self.alpha)
            )
        return writer.add_object(generic.StreamObject(image, encoded_data=self.samples))


#: larger images are refused before they are decoded (an 81-million-pixel
#: PNG took 628 MB to decode, only to be shrunk)
MAX_SOURCE_PIXELS = 40_000_000

_images: dict[tuple[Path, int, int], StampImage] = {}
_images_lock = threading.Lock()


def load_image(path: Path) -> StampImage:
    """The image at ``path``, at most :data:`MAX_IMAGE_PIXELS` on its longest
    side, ready to embed; cached while the file is unchanged (path, size, mtime)."""
    try:
        resolved = path.resolve()
        st = resolved.stat()
        key = (resolved, st.st_size, st.st_mtime_ns)
        with _images_lock:
            cached = _images.get(key)
        if cached is not None:
            return cached
        with Image.open(resolved) as img:
            if img.width * img.height > MAX_SOURCE_PIXELS:
                raise AppearanceError(
                    f"The signature image {path} is {img.width} x {img.height} pixels; "
                    f"use one of at most {MAX_SOURCE_PIXELS // 1_000_000} million pixels "
                    f"(it is shown at most {MAX_IMAGE_PIXELS} pixels wide).",
                    ja=f"署名画像{path}は{img.width}×{img.height}ピクセルです。"
                    f"{MAX_SOURCE_PIXELS // 1_000_000}百万ピクセル以下の画像を使ってください"
                    f"（表示は最大で幅{MAX_IMAGE_PIXELS}ピクセルです）。",
                )
            img.draft(img.mode, (MAX_IMAGE_PIXELS, MAX_IMAGE_PIXELS))  # (JPEG: decode smaller)
            img.load()
            prepared = _prepare(img)
    except (
        OSError,
        UnidentifiedImageError,
        Image.DecompressionBombError,
        ValueError,
        SyntaxError,
    ) as exc:  # (ValueError: e.g. an oversized text chunk; SyntaxError: a broken PNG)
        raise AppearanceError(
            f"The signature image {path} could not be read ({exc}). Use a PNG or JPEG file.",
            ja=f"署名画像{path}を読み取れませんでした。PNGかJPEGのファイルを使ってください。",
        ) from exc
    with _images_lock:
        _images[key] = prepared
    return prepared


def _prepare(img: Image.Image) -> StampImage:
    has_alpha = img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info
    grey = img.mode in ("1", "L", "LA", "I", "I;16", "F")
    img = img.convert(("LA" if grey else "RGBA") if has_alpha else ("L" if grey else "RGB"))
    if max(img.size) > MAX_IMAGE_PIXELS:
        img.thumbnail((MAX_IMAGE_PIXELS, MAX_IMAGE_PIXELS), Image.Resampling.LANCZOS)
    alpha = None
    if has_alpha:
        mask = img.getchannel("A")
        if mask.getextrema() != (255, 255):  # fully opaque: no mask needed
            alpha = zlib.compress(mask.tobytes())
        img = img.convert("L" if grey else "RGB")
    return StampImage(
        width=img.width,
        height=img.height,
        colour_space="/DeviceGray" if grey else "/DeviceRGB",
        samples=zlib.compress(img.tobytes()),
        alpha=alpha,
    )
