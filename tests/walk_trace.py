"""A trace of the two data walks, module by module (issue #13): which steps
of :mod:`signing.validation.pipeline`'s walk (a file becomes a verdict) or of
:func:`signing.sign.signer._sign_each` (a sign request becomes a new file)
the work passes through, and which module calls which. Used by
``tests/test_validation_walk.py`` (the walk visits each step once per entry,
none calls back up) and by ``benchmarks/trace_walk.py`` (the full sequences,
printed).
"""

from __future__ import annotations

import dis
import inspect
import sys
from collections.abc import Callable, Iterable, Mapping
from types import FrameType
from typing import Any, TypeVar

T = TypeVar("T")

#: module -> its name in the walk
WALK = {
    "signing.validation.pipeline": "pipeline",
    "signing.validation.processes": "processes",
    "signing.validation.entry_facts": "entry_facts",
    "signing.validation.level": "level",
    "signing.validation.verdict": "verdict",
    "signing.certs.summary": "facts",
    "signing.certs.cms": "facts",
    # (the data the file carries, read out of level.py by the restructuring)
    "signing.validation.embedded": "embedded",
}
#: functions that are not a step of the walk (module, function name) -> label
LEAVES = {("signing.validation.verdict", "reason"): "catalogue"}

#: the sign walk: module (or package, ending in ".") -> its name in the walk.
#: The packages the steps consult (pdf/, certs/, net/, model/, the re-validation
#: of the output) are one name each
SIGN_WALK = {
    "signing.api": "api",
    "signing.sign.signer": "signer",
    "signing.sign.request": "request",
    "signing.sign.placement": "placement",
    "signing.sign.tsa": "tsa",
    "signing.sign.doc_timestamp": "doc_timestamp",
    "signing.sign.output_check": "output_check",
    "signing.sign.level_gate": "level_gate",
    "signing.sign.atomic_write": "atomic_write",
    "signing.keys.": "keys",
    "signing.appearance.": "appearance",
    "signing.pdf.": "pdf",
    "signing.certs.": "certs",
    "signing.net.": "net",
    "signing.validation.": "validation",
    "signing.trust.": "trust",
}
#: the steps of the sign walk, in the order the signer takes them
SIGN_STAGES = (
    "signer",
    "placement",
    "keys",
    "appearance",
    "tsa",
    "doc_timestamp",
    "output_check",
    "level_gate",
    "atomic_write",
)


#: code that runs inside the function that holds it (a frame of its own in
#: Python 3.11, not a call to another function)
_INLINE = frozenset({"<genexpr>", "<listcomp>", "<dictcomp>", "<setcomp>"})


def _in(modules: Mapping[str, str], module: str) -> str | None:
    """``module``'s name in the walk: its own entry, else its package's."""
    if module in modules:
        return modules[module]
    package = module.rpartition(".")[0] + "."
    return modules.get(package)


#: the steps of the walk, top down; the rest of ``WALK`` are readers the
#: steps consult (certificate and CMS facts, the data the file carries)
STAGES = ("pipeline", "level", "processes", "entry_facts", "verdict")
_COROUTINE = inspect.CO_COROUTINE | inspect.CO_ITERABLE_COROUTINE | inspect.CO_GENERATOR


class Walk:
    """The walk modules the work passes through, as the profiler sees it.
    A coroutine that the event loop resumes is no new call (nor is its
    suspension a return): those events are skipped."""

    def __init__(
        self,
        modules: Mapping[str, str] = WALK,
        leaves: Mapping[tuple[str, str], str] = LEAVES,
    ) -> None:
        self.steps: list[str] = []
        self.calls: list[tuple[str, str]] = []
        self._modules = modules
        self._leaves = leaves
        self._started: set[FrameType] = set()

    def _label(self, frame: FrameType) -> str | None:
        if frame.f_code.co_name in _INLINE:
            return None
        module = frame.f_globals.get("__name__", "")
        leaf = self._leaves.get((module, frame.f_code.co_name))
        return leaf if leaf is not None else _in(self._modules, module)

    def _nearest(self, frame: FrameType | None) -> str | None:
        while frame is not None:
            label = self._label(frame)
            if label is not None:
                return label
            frame = frame.f_back
        return None

    def __call__(self, frame: FrameType, event: str, _arg: Any) -> None:
        if frame.f_code.co_flags & _COROUTINE:
            if event == "call" and frame in self._started:
                return  # resumed
            if event == "call":
                self._started.add(frame)
            elif _suspended(frame):
                return
        if event == "call":
            here = self._nearest(frame)
            caller = self._nearest(frame.f_back)
            if here is not None and caller is not None and here != caller:
                self.calls.append((caller, here))
        elif event == "return":
            here = self._nearest(frame.f_back)
        else:
            return
        if here is not None and (not self.steps or self.steps[-1] != here):
            self.steps.append(here)


def traced(run: Callable[[], T], walk: Walk | None = None) -> tuple[Walk, T]:
    """``run()`` under the profiler: the walk it took and its answer. Run it
    once beforehand, so that imports and prepared trust material stay out
    of the trace."""
    walk = walk if walk is not None else Walk()
    sys.setprofile(walk)
    try:
        result = run()
    finally:
        sys.setprofile(None)
    return walk, result


def _suspended(frame: FrameType) -> bool:
    """Is this "return" of a coroutine frame a suspension (it goes on later)?
    A coroutine that suspends stopped at a YIELD_VALUE; one that finished at
    a RETURN_VALUE."""
    code = frame.f_code.co_code
    op = code[frame.f_lasti] if 0 <= frame.f_lasti < len(code) else None
    return op is not None and dis.opname[op] == "YIELD_VALUE"


def collapsed(steps: list[str], keep: Iterable[str]) -> list[str]:
    wanted = set(keep)
    only = [s for s in steps if s in wanted]
    return [s for i, s in enumerate(only) if i == 0 or only[i - 1] != s]


def revisits(walk: list[str]) -> int:
    seen: set[str] = set()
    back = 0
    for step in walk:
        back += step in seen
        seen.add(step)
    return back
