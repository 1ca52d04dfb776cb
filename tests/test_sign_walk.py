"""The sign walk is top down too (issue #13): a sign request goes through
:func:`signing.sign.signer._sign_each`, which calls each step (output check,
key, placement, appearance, TSA, document timestamp, re-reading, level gate,
atomic write) and gets an answer back; no step calls back up into the
signer. Two steps consult another, downwards: the document timestamp asks
the TSA, and the placement reads the page's frame and the stamp's text size
from appearance/ (the box is converted with the frame of the very file
signed). Measured with the profiler on a real B-LTA
signing with a visible stamp (the level gate refuses an output short of
it), not read from the source."""

from __future__ import annotations

from pathlib import Path

from signing.sign.request import FieldPlacement, Level
from tests.pdf_factory import make_pdf
from tests.pki import PKI
from tests.sign_helpers import sign_with_pki
from tests.walk_trace import SIGN_STAGES, SIGN_WALK, Walk, traced


def test_the_signer_calls_each_step_and_none_calls_back(pki: PKI, tmp_path: Path) -> None:
    source = make_pdf(tmp_path / "in.pdf", pages=2)
    box = FieldPlacement(page=1, box=(50, 50, 250, 120))
    sign_with_pki(pki, source, tmp_path / "warm.pdf", Level.B_LTA, box)  # (imports, fonts)
    walk, _out = traced(
        lambda: sign_with_pki(pki, source, tmp_path / "out.pdf", Level.B_LTA, box),
        Walk(SIGN_WALK, {}),
    )
    stages = set(SIGN_STAGES)
    step_calls = {(a, b) for a, b in walk.calls if a in stages and b in stages}
    from_signer = {b for a, b in step_calls if a == "signer"}
    assert from_signer >= stages - {"signer"}, sorted(stages - from_signer)
    assert not any(b == "signer" for _a, b in walk.calls), "a step called back into the signer"
    sideways = {(a, b) for a, b in step_calls if a != "signer"}
    assert sideways <= {("doc_timestamp", "tsa"), ("placement", "appearance")}, sorted(sideways)
