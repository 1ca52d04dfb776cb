"""The ``shomei`` executable: a subcommand runs headless, anything else
(no arguments, or files from "Open with") opens the desktop app.

It lives in :mod:`desktop` (the core never imports the GUI) and is kept free
of Qt and pyHanko imports so both paths start fast: PySide6 is imported only
on the way to a window (``desktop.app``), so the command line works where
PySide6 is not installed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

#: the desktop entry's "Validate signatures" action: open the window and only
#: validate the files given (never the sign screen)
GUI_VALIDATE = "--gui-validate"


#: said instead of Qt's abort when there is no screen to open a window on
NO_DISPLAY = {
    "en": "shomei: no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not "
    "set); use the command line instead, e.g. 'shomei sign --help' or 'shomei validate --help'.",
    "ja": "shomei: ウィンドウを開く画面がありません（DISPLAY も WAYLAND_DISPLAY も設定されて"
    "いません）。コマンドラインを使ってください（例: 'shomei sign --help'、"
    "'shomei validate --help'）。",
}


def no_display() -> bool:
    """On Linux and the BSDs, a window needs X11 or Wayland (or a Qt platform
    chosen explicitly, e.g. offscreen); elsewhere there is always a screen."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return False
    env = os.environ
    return not (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY") or env.get("QT_QPA_PLATFORM"))


def _language() -> str:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


def _gui_or_message() -> bool:
    if no_display():
        print(NO_DISPLAY[_language()], file=sys.stderr)
        return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    from signing.cli.quiet_warnings import quiet_third_party_warnings

    quiet_third_party_warnings(children=True)
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == GUI_VALIDATE:
        if not _gui_or_message():
            return 1
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
    if not _gui_or_message():
        return 1
    from desktop.app import run

    return run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
