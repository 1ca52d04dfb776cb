"""Where the ``shomei`` entry point was before it moved to
:mod:`signing.cli.launcher`: an environment installed before the move still
has a ``shomei`` script naming ``desktop.launcher:main``. Remove once every
install has been refreshed (``pip install -e .`` writes the new script)."""

from __future__ import annotations

import sys

from signing.cli.launcher import GUI_VALIDATE, main

__all__ = ["GUI_VALIDATE", "main"]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
