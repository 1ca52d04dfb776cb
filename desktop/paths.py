"""Where the desktop app finds its bundled files (cheap: no pyHanko)."""

from __future__ import annotations

import os
from pathlib import Path


def resources_dir() -> Path:
    """``resources/``: $SHOMEI_RESOURCES, else the core's answer (the checkout
    or the PyInstaller bundle)."""
    env = os.environ.get("SHOMEI_RESOURCES")
    if env:
        return Path(env)
    from signing.api import resources_dir as core_resources_dir

    return core_resources_dir()


def icon_path(name: str) -> Path:
    return resources_dir() / "icons" / name
