"""The validation walk is top down (issue #13): for each entry the pipeline
calls each step once, level (signatures), processes, entry_facts, verdict,
and each answers with a value; no step calls another step. Measured with
the profiler on real files (a signature alone; a signature followed by two
document timestamps), not read from the source: a callback handed down
counts too."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from signing.model.results import EntryKind
from signing.validation.engine import validate_pdf
from signing.validation.options import ValidationOptions
from tests.conftest import SHARED, need
from tests.walk_trace import STAGES, traced

EU = SHARED / "corpus" / "eu" / "pdf"
AT = ValidationOptions(offline=True, validation_time=datetime(2026, 1, 1, tzinfo=UTC))


def _step_calls(name: str) -> tuple[list[tuple[str, str]], list[EntryKind]]:
    path = EU / name
    need(path)
    validate_pdf(path, AT)  # (imports and trust material loaded outside the trace)
    walk, result = traced(lambda: validate_pdf(path, AT))
    steps = [(a, b) for a, b in walk.calls if a in STAGES and b in STAGES]
    return steps, [s.kind for s in result.signatures]


@pytest.mark.parametrize(
    "name",
    ["dss__pades-bes.pdf", "dss__pades-ltv.pdf"],
)
def test_each_step_once_per_entry_from_the_pipeline(name: str) -> None:
    steps, kinds = _step_calls(name)
    assert kinds and kinds[0] is EntryKind.SIGNATURE
    # (a run may start over, leniently or without speculation: the last
    # pass is the one judged, and it walks every entry)
    per_entry = {
        EntryKind.SIGNATURE: [
            ("pipeline", "level"),
            ("pipeline", "processes"),
            ("pipeline", "entry_facts"),
            ("pipeline", "verdict"),
        ],
        EntryKind.DOCUMENT_TIMESTAMP: [
            ("pipeline", "processes"),
            ("pipeline", "entry_facts"),
            ("pipeline", "verdict"),
        ],
    }
    expected = [call for kind in kinds for call in per_entry[kind]]
    assert steps[-len(expected) :] == expected
    assert all(caller == "pipeline" for caller, _ in steps), steps
