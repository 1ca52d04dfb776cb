"""``shomei validate FILE|DIR ...``: validate received PDFs.

Trust: the EU trusted lists, Shomei's Japanese list and every ``--trust``
file, from the trusted-list cache (seeded from the lists bundled with the app;
``shomei trust update`` refreshes it); ``--no-eu`` / ``--no-jp`` leave a layer
out. The summary table has one EU and one JP column (the EU qualification and
the Japanese status of the file's signatures, never merged).

Exit codes: 0 every file VALID; 5 the worst is VALID_WITH_WARNINGS; 4 the
worst is INDETERMINATE; 3 at least one INVALID; 1 error (bad arguments, an
unreadable trust file, an output that cannot be written).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from signing import api
from signing.api import TrustListState, current_trust_lists, file_story, text
from signing.cli.main import PDF_PASSWORD_ENV
from signing.errors import ShomeiError
from signing.model import reasons
from signing.model.results import EntryKind, FileResult, Verdict

if TYPE_CHECKING:
    from signing.api import ValidationOptions

EXIT_VALID = 0
EXIT_ERROR = 1
EXIT_INVALID = 3
EXIT_INDETERMINATE = 4
EXIT_WARNINGS = 5


class ValidateUsageError(ShomeiError):
    code = "usage"


def register(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser(
        "validate",
        help="validate the signatures and timestamps of PDF files",
        description=(
            "Validate every signature and document timestamp (ETSI EN 319 102-1). "
            "Exit code 0 only if every file is VALID; 5 valid with warnings, "
            "4 indeterminate, 3 invalid, 1 error."
        ),
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="FILE|DIR", help="PDF files or folders")
    p.add_argument("--json", action="store_true", help="print the JSON report on stdout")
    p.add_argument("--xml", type=Path, metavar="OUT.xml", help="write the ETSI TS 119 102-2 report")
    p.add_argument(
        "--report", type=Path, metavar="OUT.pdf|OUT.html", help="write the readable report"
    )
    p.add_argument(
        "--lang",
        choices=("en", "ja"),
        default="en",
        help="language of the report and of the lines printed",
    )
    p.add_argument(
        "--trust",
        type=Path,
        action="append",
        default=[],
        metavar="ROOT.pem",
        help="add a trust anchor (PEM or DER; repeatable)",
    )
    p.add_argument(
        "--no-eu",
        action="store_true",
        help="do not use the EU trusted lists (the EU column says not assessed)",
    )
    p.add_argument(
        "--no-jp",
        action="store_true",
        help="do not use Shomei's Japanese trust list (the JP column says not assessed)",
    )
    p.add_argument(
        "--trust-cache",
        "--cache-dir",
        dest="trust_cache",
        type=Path,
        metavar="DIR",
        help="trusted-list cache folder (as shomei trust --cache-dir; default: the user's)",
    )
    p.add_argument(
        "--offline", action="store_true", help="use only what the files carry (no OCSP/CRL)"
    )
    p.add_argument(
        "--at",
        metavar="TIME",
        help="validate at this moment (ISO 8601, e.g. 2025-01-31T12:00:00Z; default: now)",
    )
    p.add_argument(
        "--workers", type=int, default=0, help="parallel processes (default: up to 4, per core)"
    )
    p.add_argument(
        "--timeout", type=float, default=10.0, help="seconds per OCSP/CRL request (default 10)"
    )
    p.add_argument(
        "--pdf-password-file",
        metavar="FILE",
        help="file holding the password of encrypted PDFs (or set SHOMEI_PDF_PASSWORD)",
    )
    p.add_argument(
        "--verbose",
        action="store_true",
        help="show pyHanko's own warnings on stderr, and the raw cause under each line",
    )
    p.set_defaults(func=run)


def parse_time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValidateUsageError(
            f"--at: {text!r} is not a date and time (use e.g. 2025-01-31T12:00:00Z).",
            ja=f"--at：{text!r}は日時ではありません（例：2025-01-31T12:00:00Z）。",
        ) from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def exit_code(results: Sequence[FileResult]) -> int:
    worst = max((r.verdict for r in results), default=Verdict.INDETERMINATE)
    return {
        Verdict.VALID: EXIT_VALID,
        Verdict.VALID_WITH_WARNINGS: EXIT_WARNINGS,
        Verdict.INDETERMINATE: EXIT_INDETERMINATE,
        Verdict.INVALID: EXIT_INVALID,
    }[worst]


def _column(values: Sequence[str]) -> str:
    """One cell for the values of a file's signatures (``-`` for none)."""
    return ",".join(dict.fromkeys(values)) or "-"


def headline_line(result: FileResult, lang: str = "en", *, verbose: bool = False) -> str | None:
    """The one line a person reads under the table for a file that is not
    VALID: the story's headline (the reason that decides the verdict, across
    all its signatures), with the raw cause only when ``verbose``."""
    if result.verdict is Verdict.VALID:
        return None
    story = file_story(result)
    line = f"  {result.path}: {text(story.headline, lang)}"
    if verbose and story.headline.technical:
        line += f"\n    ({story.headline.technical})"
    return line


def summary_table(results: Sequence[FileResult], lang: str = "en", *, verbose: bool = False) -> str:
    rows = [("VERDICT", "SIGS", "LEVELS", "CHANGED", "EU", "JP", "FILE")]
    for r in results:
        sigs = [s for s in r.signatures if s.kind is EntryKind.SIGNATURE]
        levels = ",".join(sorted({s.level.value for s in sigs}))
        rows.append(
            (
                r.verdict.name,
                str(r.signature_count),
                levels or "-",
                "yes" if r.modified_after_last_signature else "no",
                _column([s.eu_qualification.value for s in sigs]),
                _column([s.jp_status.code for s in sigs if s.jp_status is not None]),
                r.path,
            )
        )
    n = len(rows[0]) - 1
    widths = [max(len(row[i]) for row in rows) for i in range(n)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row[:n], widths, strict=True)) + "  " + row[n]
        for row in rows
    ]
    for r in results:
        line = headline_line(r, lang, verbose=verbose)
        if line is not None:
            lines.append(line)
    return "\n".join(lines)


@contextlib.contextmanager
def _long_lived_setup() -> Iterator[None]:
    """Importing pyHanko and loading the trusted lists allocate ~200,000
    objects that live as long as the process; with collection on, Python
    scans them all over again (~0.1 s of a one-file run). They are made with
    the collector off, then frozen (moved out of its sight, as before a fork);
    collection then resumes as it was, for the files' own garbage."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def run(args: argparse.Namespace) -> int:
    with _long_lived_setup():
        files, options = _prepare(args)
    return _run(args, files, options)


def _prepare(args: argparse.Namespace) -> tuple[list[Path], ValidationOptions]:
    """The files and options of the run (usage errors first), with the trust
    material loaded."""
    if not args.verbose:
        # every problem pyHanko logs comes back as a reason in the results;
        # its tracebacks on stderr would only bury the summary
        for name in ("pyhanko", "pyhanko_certvalidator"):
            logging.getLogger(name).setLevel(logging.CRITICAL)

    for trust in args.trust:
        if not trust.is_file():
            raise ValidateUsageError(
                f"--trust: {trust} is not a readable file.",
                ja=f"--trust：{trust}は読み取れるファイルではありません。",
            )
    if args.workers < 0:
        raise ValidateUsageError(
            "--workers must be 0 (automatic) or more.",
            ja="--workersには0（自動）以上を指定してください。",
        )
    missing = [str(p) for p in args.paths if not p.exists()]
    if missing:
        raise ValidateUsageError(
            "No such file or folder: " + ", ".join(missing) + ".",
            ja="ファイルまたはフォルダーが見つかりません：" + "、".join(missing) + "。",
        )
    files = api.collect_pdfs(args.paths)
    if not files:
        raise ValidateUsageError(
            "No PDF files found in " + ", ".join(map(str, args.paths)) + ".",
            ja="PDFファイルが見つかりません：" + "、".join(map(str, args.paths)) + "。",
        )
    _check_outputs(args, files)
    options = api.ValidationOptions(
        validation_time=parse_time(args.at) if args.at else None,
        offline=args.offline,
        trust=api.TrustConfig(
            eu_enabled=not args.no_eu,
            eu_cache_dir=args.trust_cache,
            jp_enabled=not args.no_jp,
            user_anchor_files=tuple(args.trust),
        ),
        timeout_s=args.timeout,
        pdf_password=_pdf_password(args),
        # the ETSI XML costs about a third of a small file's validation: only
        # when an output carries it
        etsi_xml=bool(args.xml or args.json),
        file_sha256=bool(args.json or args.report or args.xml),
    )
    # once per process, the engine finds it cached (a failure is met again,
    # and reported, by each file's validation)
    with contextlib.suppress(Exception):
        api.prepared(options)
    return files, options


def _run(args: argparse.Namespace, files: list[Path], options: ValidationOptions) -> int:
    workers = args.workers or min(4, os.cpu_count() or 1, len(files))
    order = {str(f): i for i, f in enumerate(files)}
    show_progress = sys.stderr.isatty() and len(files) > 1 and not args.json

    def progress(done: int, total: int, result: FileResult) -> None:
        if show_progress:
            print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

    results = sorted(
        api.validate_many(files, options, workers=workers, progress=progress),
        key=lambda r: order.get(r.path, len(order)),
    )
    if show_progress:
        print(file=sys.stderr)
    # judged at the validation time (--at), as the lists' use in the results is
    lists = _trust_lists(options.trust, options.validation_time)
    if lists is not None and lists.message is not None:
        # once per run, apart from the results: it is about this computer
        print(text(lists.message, args.lang), file=sys.stderr)
    if options.validation_time is not None:  # --at: every verdict is as of then
        chosen = reasons.validation_time_chosen(options.validation_time)
        print(text(chosen, args.lang), file=sys.stderr)
    _write_outputs(results, args, lists)
    if args.json:
        json.dump(_json(results, lists), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(summary_table(results, args.lang, verbose=args.verbose))
        _print_columns(results, args.lang)
    return exit_code(results)


def _pdf_password(args: argparse.Namespace) -> str | None:
    """From ``--pdf-password-file`` or ``SHOMEI_PDF_PASSWORD`` (as for signing)."""
    if args.pdf_password_file:
        # (the signing commands' module: only for the file)
        from signing.cli.sign_cmd import read_secret_file

        return read_secret_file(args.pdf_password_file)
    return os.environ.get(PDF_PASSWORD_ENV) or None


def _print_columns(results: Sequence[FileResult], lang: str) -> None:
    """Each entry's reasons and its EU and JP columns, with the path each decided on."""
    text = api.columns_text(results, "ja" if lang == "ja" else "en")
    if text:
        print()
        print(text)


def _trust_lists(config: Any, at: datetime | None) -> TrustListState | None:
    try:
        return current_trust_lists(config, at)
    except Exception as exc:  # the lists' state is a note: never fail the run for it
        logging.getLogger(__name__).warning("trusted-list state unknown: %s", exc)
        return None


def _json(results: Sequence[FileResult], lists: TrustListState | None = None) -> Any:
    return api.results_to_json(results, lists)


def _check_outputs(args: argparse.Namespace, files: Sequence[Path]) -> None:
    """A report never replaces a file being validated, nor the other report."""
    from signing.errors import OutputError

    outputs = [Path(p) for p in (args.xml, args.report) if p]
    try:
        for out in outputs:
            api.check_output_path(out, tuple(files))
    except OutputError as exc:
        raise ValidateUsageError(str(exc), ja=exc.text("ja")) from exc
    if len(outputs) == 2 and outputs[0].resolve() == outputs[1].resolve():
        raise ValidateUsageError(
            "--xml and --report name the same file; give each its own.",
            ja="--xmlと--reportが同じファイルを指しています。別々のファイルを指定してください。",
        )


def _write_outputs(
    results: Sequence[FileResult], args: argparse.Namespace, lists: TrustListState | None = None
) -> None:
    if args.xml:
        api.write_etsi_xml(results, args.xml)
    if args.report:
        api.write_report(results, args.lang, args.report, trust_lists=lists)
