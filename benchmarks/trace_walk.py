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

``snapshot OUT``: validates every corpus file (EU corpus with the anchors and
times of ``tests/test_validation_eu_corpus.py``, the attack and Japanese
corpora offline) and writes each result's ``repr`` to OUT as JSON, so that
two trees can be compared byte for byte (``cmp``): a change that moves code
must not change one field of one result.

Usage::

    .venv/bin/python benchmarks/trace_walk.py trace ../shared/corpus/eu/pdf/dss__pades-bes.pdf
    .venv/bin/python benchmarks/trace_walk.py snapshot /tmp/walk.json
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import _common  # noqa: F401 (puts the repository on sys.path)

from tests.walk_trace import STAGES, WALK, Walk, collapsed, revisits


def trace(path: Path) -> None:
    from signing.validation.engine import validate_pdf
    from signing.validation.options import ValidationOptions

    options = ValidationOptions(offline=True, validation_time=datetime(2026, 1, 1, tzinfo=UTC))
    validate_pdf(path, options)  # (warm: imports and prepared trust material)
    walk = Walk()
    sys.setprofile(walk)
    try:
        result = validate_pdf(path, options)
    finally:
        sys.setprofile(None)
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
    sub.add_parser("snapshot").add_argument("out", type=Path)
    args = parser.parse_args()
    if args.command == "trace":
        trace(args.file)
    else:
        snapshot(args.out)


if __name__ == "__main__":
    main()
