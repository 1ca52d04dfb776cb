"""Where the desktop app finds its bundled files (cheap: no core import)."""

from __future__ import annotations

import os
from pathlib import Path


def resources_dir() -> Path:
    """The ``resources/`` folder: $SHOMEI_RESOURCES, else the checkout's."""
    env = os.environ.get("SHOMEI_RESOURCES")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "resources"


def icon_path(name: str) -> Path:
    return resources_dir() / "icons" / name
