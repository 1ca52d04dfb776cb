"""The ``shomei`` executable: a subcommand runs headless, anything else
(no arguments, or files from "Open with") opens the desktop app.

Kept free of Qt and pyHanko imports so both paths start fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

#: the desktop entry's "Validate signatures" action: open the window and only
#: validate the files given (never the sign screen)
GUI_VALIDATE = "--gui-validate"


def main(argv: Sequence[str] | None = None) -> int:
    from signing.cli.quiet_warnings import quiet_third_party_warnings

    quiet_third_party_warnings()
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == GUI_VALIDATE:
        from desktop.app import run as run_gui

        return run_gui(args[1:], validate_only=True)

    # The CLI module (argparse, json) is only looked at when the first
    # argument could be a subcommand: not for a bare launch, nor for the
    # absolute paths a desktop's "Open with" passes.
    if args and not os.path.isabs(args[0]):
        from signing.cli.main import SUBCOMMANDS

        if args[0] in SUBCOMMANDS or args[0].startswith("-"):
            from signing.cli.main import main as cli_main

            return cli_main(args)
    from desktop.app import run

    return run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
