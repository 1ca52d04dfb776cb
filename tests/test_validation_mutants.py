"""Hostile bytes, generated: a good B-LT file with one byte changed, cut
short, or with bytes slipped in, at positions drawn from a fixed seed. The
engine must never raise, a change anywhere its signature covers must never
come out green, and validating beside the hashing (the big-file path, forced
here) must give the very same answer as hashing first."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from signing.trust.anchors import AnchorOrigin, TrustAnchor
from signing.validation import digests
from signing.validation.engine import validate_pdf
from signing.validation.model import FileResult, Verdict
from signing.validation.options import ValidationOptions
from signing.validation.report_json import results_to_json
from tests.pdf_factory import make_pdf
from tests.pki import PKI
from tests.test_validation_engine import sign

GREEN = (Verdict.VALID, Verdict.VALID_WITH_WARNINGS)
SEED = 20261127
FLIPS = 120
CUTS = 12
INSERTS = 12


@pytest.fixture(scope="module")
def good(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, list[range]]:
    """The file's bytes and the ranges its signature covers."""
    folder = tmp_path_factory.mktemp("mutants")
    path = sign(pki, make_pdf(folder / "plain.pdf"), folder / "good.pdf", "B-LT")
    data = path.read_bytes()
    with path.open("rb") as fh:
        a, la, b, lb = (int(x) for x in PdfFileReader(fh).embedded_signatures[0].byte_range)
    return data, [range(a, a + la), range(b, b + lb)]


@pytest.fixture(scope="module")
def options(pki: PKI) -> ValidationOptions:
    anchor = TrustAnchor(pki.cert_der("root"), AnchorOrigin.USER, "root.pem")
    # (a fixed time an hour after signing: the answers do not depend on the day)
    at = datetime.now(UTC) + timedelta(hours=1)
    return ValidationOptions(trust_anchors=(anchor,), offline=True, validation_time=at)


def _check(result: FileResult) -> None:
    """What holds for any file: an answer that serialises."""
    assert isinstance(result.verdict, Verdict)
    json.dumps(results_to_json([result]))


def _outcome(result: FileResult) -> tuple[object, ...]:
    return (
        result.verdict,
        result.error.code if result.error else None,
        tuple(
            (s.kind, s.verdict, s.indication, s.subindication, s.level, s.intact)
            for s in result.signatures
        ),
    )


def test_the_good_file_is_valid(
    good: tuple[bytes, list[range]], options: ValidationOptions, tmp_path: Path
) -> None:
    path = tmp_path / "good.pdf"
    path.write_bytes(good[0])
    assert validate_pdf(path, options).verdict is Verdict.VALID


def test_changed_bytes(
    good: tuple[bytes, list[range]],
    options: ValidationOptions,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data, covered = good
    rng = random.Random(SEED)
    green_outside = 0
    for n in range(FLIPS):
        # half the flips where the signature covers (most of a small file is
        # its /Contents placeholder), half anywhere
        span = rng.choice(covered) if n % 2 else range(len(data))
        at = rng.choice(span)
        mutant = bytearray(data)
        mutant[at] = (mutant[at] + rng.randrange(1, 256)) % 256
        path = tmp_path / f"flip-{n}.pdf"
        path.write_bytes(bytes(mutant))
        result = validate_pdf(path, options)
        _check(result)
        if any(at in r for r in covered):
            assert result.verdict not in GREEN, (at, result)
        else:  # inside /Contents: only the signature's own bytes changed
            green_outside += result.verdict in GREEN
        if n % 4 == 0:  # the same file validated beside its hashing
            with monkeypatch.context() as m:
                m.setattr(digests, "_THREAD_FROM", 0)
                assert _outcome(validate_pdf(path, options)) == _outcome(result), at
        path.unlink()
    # (a change in the hex padding after the signature's DER may stay valid;
    # a change in the signature itself may not: most flips there are red)
    assert green_outside < FLIPS


def test_cut_short_and_slipped_in(
    good: tuple[bytes, list[range]], options: ValidationOptions, tmp_path: Path
) -> None:
    data, _covered = good
    rng = random.Random(SEED + 1)
    mutants = [data[: rng.randrange(1, len(data))] for _ in range(CUTS)]
    for _ in range(INSERTS):
        at = rng.randrange(len(data))
        mutants.append(data[:at] + rng.randbytes(rng.randrange(1, 64)) + data[at:])
    for n, mutant in enumerate(mutants):
        path = tmp_path / f"mutant-{n}.pdf"
        path.write_bytes(mutant)
        result = validate_pdf(path, options)
        _check(result)
        assert result.verdict not in GREEN, (n, len(mutant), result)
        path.unlink()
