"""The attack corpus (``corpus/attacks/MANIFEST.tsv``): 54 rows, forged or
manipulated PDFs and 3 unmodified controls.

Every attack must come out non-green *for a reason other than trust*: the
demo signers are untrusted, so "not VALID" alone would prove nothing. Each
attack must show an integrity signal: a failed signature or timestamp, a
malformed signature, changes after signing beyond long-term-validation
updates, or a file that cannot be read. Controls must be intact, cover the
whole file and be unmodified (and, untrusted, still not VALID).

Run with ``-s`` to see the table.
"""

from __future__ import annotations

import csv
from functools import cache

import pytest

from signing.model.results import ChangeKind, FileResult, Indication, Verdict
from signing.validation.engine import validate_pdf
from signing.validation.options import ValidationOptions
from tests.conftest import SHARED, have, need

ATTACKS = SHARED / "corpus" / "attacks"
GREEN = (Verdict.VALID, Verdict.VALID_WITH_WARNINGS)


def _rows() -> list[dict[str, str]]:
    if not (ATTACKS / "MANIFEST.tsv").is_file():
        return []
    with open(ATTACKS / "MANIFEST.tsv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


ROWS = _rows()


def _is_control(row: dict[str, str]) -> bool:
    return row["attack_class"].startswith("control")


@cache
def _validate(name: str) -> FileResult:
    return validate_pdf(ATTACKS / name, ValidationOptions(offline=True))


def integrity_signals(result: FileResult) -> list[str]:
    """Why this file is not acceptable, leaving trust aside."""
    signals: list[str] = []
    if result.error is not None:
        signals.append(f"file: {result.error.code}")
    for s in result.signatures:
        if s.indication is Indication.TOTAL_FAILED:
            signals.append(f"{s.field_name}: {s.subindication}")
        ts = s.signature_timestamp
        if (
            s.kind.value == "signature"
            and ts is not None
            and ts.indication is Indication.TOTAL_FAILED
        ):
            signals.append(f"{s.field_name}: timestamp {ts.subindication}")
        mod = s.modification
        if mod is not None and mod.modified_after_signing:
            if mod.change_kind not in (ChangeKind.NONE, ChangeKind.LTA_UPDATES):
                signals.append(f"{s.field_name}: modified ({mod.change_kind.value})")
            elif not mod.changes_permitted:
                signals.append(f"{s.field_name}: changes not permitted")
    return signals


def describe(result: FileResult) -> str:
    parts = [result.verdict.name]
    for s in result.signatures:
        mod = s.modification
        change = mod.change_kind.value if mod and mod.modified_after_signing else "unmodified"
        parts.append(f"{s.field_name[:14]}={s.verdict.name}/{s.subindication or 'OK'}/{change}")
    if result.error is not None:
        parts.append(f"error={result.error.code}")
    return " ".join(parts)


def test_manifest_rows() -> None:
    # the manifest holds 54 rows: 51 attacks and 3 controls
    assert len(ROWS) == 54
    assert sum(_is_control(r) for r in ROWS) == 3


@pytest.mark.parametrize("row", ROWS, ids=[r["file"][:80] for r in ROWS])
def test_attack_file(row: dict[str, str]) -> None:
    need(ATTACKS / row["file"])  # a missing file would come out non-green: no proof
    result = _validate(row["file"])
    if _is_control(row):
        assert result.signatures, "the control's signature must be found"
        for s in result.signatures:
            assert s.intact, describe(result)
            assert s.modification is not None
            assert s.modification.covers_whole_file, describe(result)
            assert not s.modification.modified_after_signing
        assert not integrity_signals(result), describe(result)
        assert result.verdict not in GREEN  # untrusted demo signer
        return
    assert result.verdict not in GREEN, describe(result)
    assert integrity_signals(result), (
        f"non-green only because of trust: {describe(result)} (expected: {row['expected_verdict']})"
    )
    if "modified after signing" in row["expected_verdict"]:
        assert any(
            s.modification is not None and s.modification.modified_after_signing
            for s in result.signatures
        ), describe(result)


def test_attack_table() -> None:
    lines = ["| file | expected | ours | signals |", "|---|---|---|---|"]
    for row in ROWS:
        if not have(ATTACKS / row["file"]):
            lines.append(f"| {row['file']} | (missing: tests/data/fetch.py) | | |")
            continue
        result = _validate(row["file"])
        signals = "; ".join(integrity_signals(result)) or "-"
        lines.append(
            f"| {row['file']} | {row['expected_verdict'][:70]} | {describe(result)} | {signals} |"
        )
    print("\n" + "\n".join(lines))
