"""Big files are validated beside their hashing, with the digests the
signatures claim (:class:`signing.validation.digests.Speculation`): the
verdicts must be exactly those of hashing first, and a changed byte must be
caught all the same."""

from __future__ import annotations

import hashlib
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.general import byte_range_digest

from signing.model.results import EntryKind, FileResult, Level, Verdict
from signing.validation import change_facts, digests
from signing.validation.diff_rules import SHOMEI_DIFF_POLICY
from signing.validation.engine import validate_pdf
from signing.validation.options import ValidationOptions
from tests.pki import PKI
from tests.test_validation_attacks import ATTACKS
from tests.test_validation_attacks import ROWS as ATTACK_ROWS
from tests.test_validation_engine import trusting


class _Spy:
    """Records what each validation's speculation came to."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, threshold: int) -> None:
        self.started = 0
        self.confirmed: list[bool] = []
        monkeypatch.setattr(digests, "_THREAD_FROM", threshold)
        start = digests.Speculation.start.__func__  # type: ignore[attr-defined]
        confirm = digests.Speculation.confirm

        def spy_start(cls: type, *args: Any) -> Any:
            found = start(cls, *args)
            self.started += found is not None
            return found

        def spy_confirm(speculation: digests.Speculation) -> tuple[bool, str | None]:
            answer = confirm(speculation)
            self.confirmed.append(answer[0])
            return answer

        monkeypatch.setattr(digests.Speculation, "start", classmethod(spy_start))
        monkeypatch.setattr(digests.Speculation, "confirm", spy_confirm)


def _outcome(result: FileResult) -> list[tuple[object, ...]]:
    return [
        (
            s.kind,
            s.verdict,
            s.indication,
            s.subindication,
            s.level,
            s.intact,
            s.best_time,
            sorted(r.code for r in s.reasons),
            s.modification,
        )
        for s in result.signatures
    ]


def test_claimed_digests_are_the_real_ones(big_lta: Path) -> None:
    with big_lta.open("rb") as fh:
        sigs = PdfFileReader(fh).embedded_signatures
        assert [s.sig_object_type for s in sigs] == ["/Sig", "/DocTimeStamp"]
        for sig in sigs:
            _, real = byte_range_digest(fh, byte_range=sig.byte_range, md_algorithm="sha256")
            assert digests.claimed_digest(sig) == real


def test_intact_big_file_validated_beside_hashing(
    pki: PKI, big_lta: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    interval = sys.getswitchinterval()
    spy = _Spy(monkeypatch, threshold=1024 * 1024)
    result = validate_pdf(big_lta, trusting(pki, offline=True))
    assert spy.started == 1 and spy.confirmed == [True]
    sig = next(s for s in result.signatures if s.kind is EntryKind.SIGNATURE)
    assert sig.level is Level.B_LTA and sig.intact
    assert result.verdict is Verdict.VALID, [r.code for r in sig.reasons]
    # the whole-file hash came from the same thread
    assert result.sha256_hex == hashlib.sha256(big_lta.read_bytes()).hexdigest()
    assert sys.getswitchinterval() == interval  # the GIL hand-over setting is put back


def test_changed_byte_caught_and_validated_again(
    pki: PKI, big_lta: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = bytearray(big_lta.read_bytes())
    data[len(data) // 2] ^= 0x01  # inside the first revision's big image
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(bytes(data))
    options = trusting(pki, offline=True)
    reviews: list[int] = []
    policy = type(SHOMEI_DIFF_POLICY)
    review = policy.review_file
    monkeypatch.setattr(policy, "review_file", lambda *a: reviews.append(1) or review(*a))
    named: list[int] = []
    content = change_facts._content_changes
    monkeypatch.setattr(change_facts, "_content_changes", lambda *a: named.append(1) or content(*a))
    hashed_first = validate_pdf(changed, options)  # (below the threshold: no speculation)
    reviews_once, named_once = len(reviews), len(named)
    assert reviews_once >= 1 and named_once >= 1
    spy = _Spy(monkeypatch, threshold=1024 * 1024)
    passes: list[int] = []
    run = digests._run
    monkeypatch.setattr(digests, "_run", lambda *a: passes.append(1) or run(*a))
    beside = validate_pdf(changed, options)
    assert spy.started == 1 and spy.confirmed == [False]  # the claims were wrong: run again
    # ... with the digests the speculation computed: the file is hashed once,
    # and the difference analysis of the void run is not made again
    assert len(passes) == 1
    assert len(reviews) == 2 * reviews_once and len(named) == 2 * named_once
    assert beside.verdict is Verdict.INVALID
    assert all(not s.intact for s in beside.signatures)
    assert {s.subindication for s in beside.signatures} == {"HASH_FAILURE"}
    assert _outcome(beside) == _outcome(hashed_first)
    assert beside.sha256_hex == hashlib.sha256(bytes(data)).hexdigest()


@pytest.mark.parametrize("changed", [False, True], ids=["intact", "changed"])
def test_a_refuted_claim_is_known_once_hashed(
    big_lta: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changed: bool
) -> None:
    data = bytearray(big_lta.read_bytes())
    if changed:
        data[len(data) // 2] ^= 0x01
    path = tmp_path / "file.pdf"
    path.write_bytes(bytes(data))
    monkeypatch.setattr(digests, "_THREAD_FROM", 1024 * 1024)
    with path.open("rb") as fh:
        speculation = digests.Speculation.start(fh, PdfFileReader(fh).embedded_signatures, False)
        assert speculation is not None
        confirmed, _ = speculation.confirm()
        assert confirmed is not changed
        assert speculation.refuted() is changed  # (the run beside it can stop early)


def test_small_and_in_memory_files_are_hashed_first(big_lta: Path) -> None:
    with big_lta.open("rb") as fh:
        sigs = PdfFileReader(fh).embedded_signatures
        assert digests.Speculation.start(fh, sigs, True) is None  # under 8 MiB
        assert not any(s.external_digests for s in sigs)


@pytest.mark.parametrize("row", ATTACK_ROWS, ids=[r["file"][:80] for r in ATTACK_ROWS])
def test_hostile_files_same_outcome_beside_hashing(
    row: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every forged file of the attack corpus comes out exactly the same when
    validated beside its hashing (threshold 0: every file speculates)."""
    at = datetime(2026, 11, 1, tzinfo=UTC)
    options = ValidationOptions(offline=True, validation_time=at)
    path = ATTACKS / row["file"]
    hashed_first = validate_pdf(path, options)
    spy = _Spy(monkeypatch, threshold=0)
    beside = validate_pdf(path, options)
    assert _outcome(beside) == _outcome(hashed_first)
    assert beside.verdict is hashed_first.verdict
    assert beside.modified_after_last_signature is hashed_first.modified_after_last_signature
    assert len(spy.confirmed) == spy.started  # every speculation was settled
    # (as of a past validation time, nothing is dated after it)
    assert all(s.best_time is None or s.best_time <= at for s in beside.signatures)
