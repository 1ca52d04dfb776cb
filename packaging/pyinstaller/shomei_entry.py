"""PyInstaller entry point: the same launcher as the ``shomei`` console script."""

import sys

from desktop.launcher import main

if __name__ == "__main__":
    sys.exit(main())
