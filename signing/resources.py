"""Where the bundled read-only resources (fonts, icons, trust lists,
translations) live: the repository's ``resources/`` folder in a checkout, or
the unpacked bundle when frozen by PyInstaller."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    """The ``resources/`` folder (a checkout, an editable install, or the
    PyInstaller bundle, which must add it as ``resources``)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def font_path() -> Path:
    """The bundled Japanese-capable OpenType font (see resources/fonts/README.md)."""
    return resources_dir() / "fonts" / "ShomeiSerifJP-Regular.otf"
