"""PyInstaller entry point: the same launcher as the ``shomei`` console script."""

import sys

from signing.cli.launcher import main

if __name__ == "__main__":
    sys.exit(main())
