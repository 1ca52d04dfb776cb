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
import dis
import inspect
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

from _common import REPO

#: module -> its name in the walk
WALK = {
    "signing.validation.pipeline": "pipeline",
    "signing.validation.processes": "processes",
    "signing.validation.entry_facts": "entry_facts",
    "signing.validation.level": "level",
    "signing.validation.verdict": "verdict",
    "signing.model.facts": "facts",
    # (the data the file carries, read out of level.py by the restructuring)
    "signing.validation.embedded": "embedded",
}
#: functions that are not a step of the walk (module, function name) -> label
LEAVES = {("signing.validation.verdict", "reason"): "catalogue"}


#: code that runs inside the function that holds it (a frame of its own in
#: Python 3.11, not a call to another function)
_INLINE = frozenset({"<genexpr>", "<listcomp>", "<dictcomp>", "<setcomp>"})


def _label(frame: FrameType) -> str | None:
    if frame.f_code.co_name in _INLINE:
        return None
    module = frame.f_globals.get("__name__", "")
    leaf = LEAVES.get((module, frame.f_code.co_name))
    return leaf if leaf is not None else WALK.get(module)


def _nearest(frame: FrameType | None) -> str | None:
    while frame is not None:
        label = _label(frame)
        if label is not None:
            return label
        frame = frame.f_back
    return None


#: the steps of the walk, top down; the rest of ``WALK`` are readers the
#: steps consult (certificate and CMS facts, the data the file carries)
STAGES = ("pipeline", "level", "processes", "entry_facts", "verdict")
_COROUTINE = inspect.CO_COROUTINE | inspect.CO_ITERABLE_COROUTINE | inspect.CO_GENERATOR


class Walk:
    """The walk modules the work passes through, as the profiler sees it.
    A coroutine that the event loop resumes is no new call (nor is its
    suspension a return): those events are skipped."""

    def __init__(self) -> None:
        self.steps: list[str] = []
        self.calls: list[tuple[str, str]] = []
        self._started: set[FrameType] = set()

    def __call__(self, frame: FrameType, event: str, _arg: Any) -> None:
        if frame.f_code.co_flags & _COROUTINE:
            if event == "call" and frame in self._started:
                return  # resumed
            if event == "call":
                self._started.add(frame)
            elif _suspended(frame):
                return
        if event == "call":
            here = _nearest(frame)
            caller = _nearest(frame.f_back)
            if here is not None and caller is not None and here != caller:
                self.calls.append((caller, here))
        elif event == "return":
            here = _nearest(frame.f_back)
        else:
            return
        if here is not None and (not self.steps or self.steps[-1] != here):
            self.steps.append(here)


def _suspended(frame: FrameType) -> bool:
    """Is this "return" of a coroutine frame a suspension (it goes on later)?
    A coroutine that suspends stopped at a YIELD_VALUE; one that finished at
    a RETURN_VALUE."""
    code = frame.f_code.co_code
    op = code[frame.f_lasti] if 0 <= frame.f_lasti < len(code) else None
    return op is not None and dis.opname[op] == "YIELD_VALUE"


def _collapsed(steps: list[str], keep: Iterable[str]) -> list[str]:
    wanted = set(keep)
    only = [s for s in steps if s in wanted]
    return [s for i, s in enumerate(only) if i == 0 or only[i - 1] != s]


def _revisits(walk: list[str]) -> int:
    seen: set[str] = set()
    back = 0
    for step in walk:
        back += step in seen
        seen.add(step)
    return back


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
        seq = _collapsed(walk.steps, keep)
        print(f"{title}: {len(seq) - 1} module changes, {_revisits(seq)} back to a visited module")
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
    """The result with today's wall-clock times masked: a validation without
    a fixed time (and pyHanko's proof-of-existence "now") reads the clock."""
    today = datetime.now(UTC)
    iso = today.strftime("%Y-%m-%dT")
    text = re.sub(re.escape(iso) + r"[0-9:.]+(Z|\+00:00)?", "NOW", text)
    py = f"datetime.datetime({today.year}, {today.month}, {today.day}, "
    return re.sub(re.escape(py) + r"[0-9, ]+tzinfo=datetime.timezone.utc\)", "NOW", text)


def snapshot(out: Path) -> None:
    sys.path.insert(0, str(REPO))
    from signing.validation.engine import validate_pdf
    from signing.validation.options import ValidationOptions
    from tests import test_validation_eu_corpus as eu

    shared = REPO.parent / "shared" / "corpus"
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
