"""Entry point of the headless command line.

Exit codes, the same for every subcommand (also in ``shomei --help``):

==== ==========================================================================
0    done (``validate``: every file VALID)
1    error: bad arguments, an unreadable file, a refused or missing password
     or PIN (no terminal to ask on), a level not reached, an output that
     cannot be written; nothing was written
2    usage error found by the argument parser
3    ``validate``: at least one file INVALID
4    ``validate``: the worst file is INDETERMINATE
5    ``validate``: the worst file is VALID_WITH_WARNINGS
130  interrupted or cancelled at the terminal (Ctrl-C)
128+N ended by signal N (SIGTERM 143, SIGHUP 129); the partly written
     output is removed first
==== ==========================================================================

An unexpected fault is reported in one line too (as JSON with ``--json``);
``SHOMEI_DEBUG=1`` shows its traceback, and under any error the library's own
words on it (``ShomeiError.technical``; ``validate --verbose`` too).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import json
import os
import signal
import sys
import traceback
from collections.abc import Iterator, Sequence
from types import FrameType

from signing import __version__
from signing.cli.quiet_warnings import quiet_third_party_warnings
from signing.errors import NoSecretError, PinError, ShomeiError, UserCancelled

#: modules under signing.cli that each add subcommands through ``register``
COMMAND_MODULES = ("sign_cmd", "validate_cmd", "trust_cmd")

#: the environment variable holding an encrypted input PDF's password
#: (every command that reads PDFs)
PDF_PASSWORD_ENV = "SHOMEI_PDF_PASSWORD"

#: the module of each subcommand
COMMAND_OF = {
    "sign": "sign_cmd",
    "seal": "sign_cmd",
    "timestamp": "sign_cmd",
    "extend": "sign_cmd",
    "validate": "validate_cmd",
    "trust": "trust_cmd",
}

#: names the launcher treats as subcommands (anything else opens the GUI)
SUBCOMMANDS = frozenset(COMMAND_OF)

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_CANCELLED = 130

EXIT_CODES_EPILOG = """\
exit codes:
  0    done (validate: every file VALID)
  1    error (nothing was written): bad arguments, unreadable input, a missing
       or refused password/PIN, a PAdES level not reached, output not writable
  2    usage error
  3    validate: at least one file INVALID
  4    validate: the worst file is INDETERMINATE
  5    validate: the worst file is VALID_WITH_WARNINGS
  130  interrupted (Ctrl-C) or cancelled at the terminal
  143  ended by SIGTERM (129 by SIGHUP); the partial output is removed
"""

#: signals after which the temporary output files are removed
_CLEANUP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every subcommand, or with ``command`` (a subcommand's
    name) of that one's module only: a one-file ``shomei validate`` need not
    import the signing commands (their options, defaults and help are the
    same either way)."""
    parser = argparse.ArgumentParser(
        prog="shomei",
        description="Sign, seal, timestamp and validate PDF documents (EU and Japanese trust).",
        epilog=EXIT_CODES_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"shomei {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    names = [COMMAND_OF[command]] if command in COMMAND_OF else COMMAND_MODULES
    for name in names:
        module = importlib.import_module(f"{__package__}.{name}")
        module.register(sub)
    for p in sub.choices.values():
        p.epilog = EXIT_CODES_EPILOG
        p.formatter_class = argparse.RawDescriptionHelpFormatter
    return parser


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    from signing.api import remove_live_temp_files

    remove_live_temp_files()
    os._exit(128 + signum)


@contextlib.contextmanager
def _cleanup_on_signals() -> Iterator[None]:
    """While a command runs, SIGTERM and SIGHUP remove its partial output
    (Ctrl-C already does, through the normal unwinding)."""
    previous = {}
    try:
        for sig in _CLEANUP_SIGNALS:
            previous[sig] = signal.signal(sig, _on_signal)
    except ValueError:  # not the main thread (an embedding application)
        pass
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def message_lang(args: argparse.Namespace) -> str:
    """The language of the lines a command prints: Japanese with ``--lang
    ja`` (validate's report language; sign's and seal's appearance language,
    which is also theirs for the lines), English otherwise."""
    return "ja" if getattr(args, "lang", None) == "ja" else "en"


#: the tag before a warning or an error line, by language
WARNING_TAG = {"en": "shomei: warning: ", "ja": "shomei: 警告: "}
ERROR_TAG = {"en": "shomei: error: ", "ja": "shomei: エラー: "}


def _error(args: argparse.Namespace, exc: ShomeiError | Exception, code: str) -> None:
    lang = message_lang(args)
    # (a fault that is not ours: its own words, English)
    message = exc.text(lang) if isinstance(exc, ShomeiError) else f"{type(exc).__name__}: {exc}"
    if getattr(args, "json", False):
        doc: dict[str, object] = {"ok": False, "error": code, "message": message}
        if isinstance(exc, PinError) and exc.tries_left is not None:
            doc["tries_left"] = exc.tries_left
        print(json.dumps(doc, ensure_ascii=False))
    print(ERROR_TAG[lang] + message, file=sys.stderr)
    technical = getattr(exc, "technical", None)
    if technical and (getattr(args, "verbose", False) or os.environ.get("SHOMEI_DEBUG")):
        # (a library's own words: asked for with --verbose or SHOMEI_DEBUG=1,
        # never in the sentence)
        print(f"    ({technical})", file=sys.stderr)


@contextlib.contextmanager
def _collection_paused() -> Iterator[None]:
    """The command's modules import with the collector off: what they make
    lives as long as the process, and scanning it again as it grows cost
    about 10 ms of a one-file validate (which then freezes it, see
    validate_cmd._long_lived_setup); collection resumes as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def main(argv: Sequence[str] | None = None) -> int:
    quiet_third_party_warnings()
    argv = list(sys.argv[1:] if argv is None else argv)
    with _collection_paused():
        parser = build_parser(argv[0] if argv else None)
        args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    return run(args)


def run(args: argparse.Namespace) -> int:
    """Run the parsed command ``args.func(args)``; every failure becomes one
    line on stderr (and one JSON object with ``--json``) and its exit code."""
    try:
        with _cleanup_on_signals():
            code: int = args.func(args)
        return code
    except NoSecretError as exc:  # no terminal, or a scripted secret refused
        _error(args, exc, exc.code)
        return EXIT_ERROR
    except UserCancelled as exc:
        print(f"shomei: {exc.text(message_lang(args))}", file=sys.stderr)
        return EXIT_CANCELLED
    except ShomeiError as exc:
        _error(args, exc, exc.code)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print(
            "shomei: 中断しました" if message_lang(args) == "ja" else "shomei: interrupted",
            file=sys.stderr,
        )
        return EXIT_CANCELLED
    except Exception as exc:  # last resort: still one line (JSON with --json)
        if os.environ.get("SHOMEI_DEBUG"):
            traceback.print_exc()
        _error(args, exc, "internal")
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
