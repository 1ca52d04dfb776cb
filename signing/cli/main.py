"""Entry point of the headless command line."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import PinError, ShomeiError, UserCancelled
from .quiet_warnings import quiet_third_party_warnings

#: modules under signing.cli that each add subcommands through ``register``
COMMAND_MODULES = ("sign_cmd", "validate_cmd", "trust_cmd")

#: names the launcher treats as subcommands (anything else opens the GUI)
SUBCOMMANDS = frozenset({"sign", "seal", "timestamp", "extend", "validate", "trust"})

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_CANCELLED = 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="shomei",
        description="Sign, seal, timestamp and validate PDF documents (EU and Japanese trust).",
    )
    parser.add_argument("--version", action="version", version=f"shomei {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"{__package__}.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    quiet_third_party_warnings()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        code: int = args.func(args)
        return code
    except UserCancelled as exc:
        print(f"shomei: {exc}", file=sys.stderr)
        return EXIT_CANCELLED
    except ShomeiError as exc:
        if getattr(args, "json", False):
            doc: dict[str, object] = {"ok": False, "error": exc.code, "message": str(exc)}
            if isinstance(exc, PinError) and exc.tries_left is not None:
                doc["tries_left"] = exc.tries_left
            print(json.dumps(doc))
        print(f"shomei: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("shomei: interrupted", file=sys.stderr)
        return EXIT_CANCELLED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
