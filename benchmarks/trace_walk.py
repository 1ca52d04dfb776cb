"""The validation walk of one file, module by module (issue #13: "a result's
build bounces through pipeline, processes, entry_facts, verdict, level and
facts").

``trace FILE``: validates FILE offline under ``sys.setprofile`` and prints
the sequence of walk modules the work passes through (consecutive steps in
the same module collapsed), how many steps that is, how many of them come
back to a module already visited, and the calls from one walk module into
another (edges, with their count). The reason catalogue lookup
(``verdict.reason``) is shown as ``catalogue``: it is the neutral floor every
layer names its reasons with, not a step of the walk.

``sign-trace [LEVEL]``: signs a small PDF with the test PKI (its TSA, B-LTA
by default) through ``signing.api.sign_pdf`` and prints the same for the sign
walk (:data:`tests.walk_trace.SIGN_WALK`): the signer's steps in order, the
steps met more than once, and the calls from step to step that do not come
from the signer (a step calling another, or back up).

``snapshot OUT``: validates every corpus file (EU corpus with the anchors and
times of ``tests/test_validation_eu_corpus.py``, the attack and Japanese
corpora offline) and writes each result's ``repr`` to OUT as JSON, so that
two trees can be compared byte for byte (``cmp``): a change that moves code
must not change one field of one result.

Usage::

    .venv/bin/python benchmarks/trace_walk.py trace ../shared/corpus/eu/pdf/dss__pades-bes.pdf
    .venv/bin/python benchmarks/trace_walk.py sign-trace B-LTA
    .venv/bin/python benchmarks/trace_walk.py snapshot /tmp/walk.json
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import _common  # noqa: F401 (puts the repository on sys.path)

from tests.walk_trace import (
    SIGN_STAGES,
    SIGN_WALK,
    STAGES,
    WALK,
    Walk,
    collapsed,
    revisits,
    traced,
)


def trace(path: Path) -> None:
    from signing.validation.engine import validate_pdf
    from signing.validation.options import ValidationOptions

    options = ValidationOptions(offline=True, validation_time=datetime(2026, 1, 1, tzinfo=UTC))
    validate_pdf(path, options)  # (warm: imports and prepared trust material)
    walk, result = traced(lambda: validate_pdf(path, options))
    kinds = ", ".join(s.kind.value for s in result.signatures)
    print(f"{path.name}: {len(result.signatures)} entries ({kinds}), verdict {result.verdict.name}")
    for title, keep in (("all walk modules", set(WALK.values())), ("steps only", STAGES)):
        seq = collapsed(walk.steps, keep)
        print(f"{title}: {len(seq) - 1} module changes, {revisits(seq)} back to a visited module")
        print("  " + " -> ".join(seq))
    order = {s: i for i, s in enumerate(STAGES)}
    stage_calls = [(a, b) for a, b in walk.calls if a in order and b in order]
    up = [(a, b) for a, b in stage_calls if order[b] < order[a]]
    print(f"calls from step to step, in order ({len(stage_calls)}, {len(up)} up the order):")
    print("  " + ", ".join(f"{a}->{b}" for a, b in stage_calls))
    print("calls between modules (caller -> callee: count):")
    for (a, b), n in sorted(Counter(walk.calls).items()):
        print(f"  {a} -> {b}: {n}")


def sign_trace(level: str) -> None:
    from signing import api
    from tests.pdf_factory import make_pdf
    from tests.pki import start_pki
    from tests.sign_helpers import sign_with_pki

    work = Path(tempfile.mkdtemp(prefix="shomei-sign-trace-"))
    pki = start_pki(work / "pki")
    try:
        source = make_pdf(work / "in.pdf", pages=2)
        at = api.Level(level)
        # (warm: imports, fonts and the TSA's first answer outside the trace)
        sign_with_pki(pki, source, work / "warm.pdf", at)
        walk, out = traced(
            lambda: sign_with_pki(pki, source, work / "out.pdf", at), Walk(SIGN_WALK, {})
        )
    finally:
        pki.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"{out.name} signed at {level}")
    modules = sorted(set(SIGN_WALK.values()))
    for title, keep in (("all sign walk modules", modules), ("steps only", SIGN_STAGES)):
        seq = collapsed(walk.steps, keep)
        again = sorted({s for i, s in enumerate(seq) if s in seq[:i] and s != "signer"})
        print(f"{title}: {len(seq) - 1} module changes, {revisits(seq)} back to a visited module")
        print("  " + " -> ".join(seq))
        print(f"  met again (the signer apart): {', '.join(again) or 'none'}")
    stages = set(SIGN_STAGES)
    sideways = [(a, b) for a, b in walk.calls if a in stages and b in stages and a != "signer"]
    print(f"calls from step to step not made by the signer ({len(sideways)}):")
    for (a, b), n in sorted(Counter(sideways).items()):
        print(f"  {a} -> {b}: {n}")
    print("calls between modules (caller -> callee: count):")
    for (a, b), n in sorted(Counter(walk.calls).items()):
        print(f"  {a} -> {b}: {n}")


def _no_clock(text: str) -> str:
    """The result with today's wall-clock times masked (a validation without
    a fixed time, and pyHanko's proof-of-existence "now", read the clock)."""
    today = datetime.now(UTC)
    iso = today.strftime("%Y-%m-%dT")
    text = re.sub(re.escape(iso) + r"[0-9:.]+(Z|\+00:00)?", "NOW", text)
    py = f"datetime.datetime({today.year}, {today.month}, {today.day}, "
    text = re.sub(re.escape(py) + r"[0-9, ]+tzinfo=datetime.timezone.utc\)", "NOW", text)
    # (and where the corpus lies: two checkouts compare equal)
    return re.sub(r"path='[^']*/corpus/", "path='corpus/", text)


def snapshot(out: Path) -> None:
    from signing.validation.engine import validate_pdf
    from signing.validation.options import ValidationOptions
    from tests import test_validation_eu_corpus as eu
    from tests.conftest import SHARED

    shared = SHARED / "corpus"
    results: dict[str, str] = {}
    for name in sorted(eu.CASES):
        results[f"eu/{name}"] = _no_clock(repr(eu._validate(name)))
    at = ValidationOptions(offline=True, validation_time=datetime(2026, 1, 1, tzinfo=UTC))
    for folder in ("attacks", "jp"):
        for pdf in sorted((shared / folder).glob("*.pdf")):
            results[f"{folder}/{pdf.name}"] = _no_clock(repr(validate_pdf(pdf, at)))
    out.write_text(json.dumps(results, indent=1, sort_keys=True))
    print(f"{len(results)} results -> {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("trace").add_argument("file", type=Path)
    sub.add_parser("sign-trace").add_argument("level", nargs="?", default="B-LTA")
    sub.add_parser("snapshot").add_argument("out", type=Path)
    args = parser.parse_args()
    if args.command == "trace":
        trace(args.file)
    elif args.command == "sign-trace":
        sign_trace(args.level)
    else:
        snapshot(args.out)


if __name__ == "__main__":
    main()
