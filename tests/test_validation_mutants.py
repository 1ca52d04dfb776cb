"""Hostile bytes, generated: a good B-LT file with one byte changed, cut
short, or with bytes slipped in, at positions drawn from a fixed seed. The
engine must never raise, a change anywhere its signature covers must never
come out green, and validating beside the hashing (the big-file path, forced
here) must give the very same answer as hashing first.

The mutation harness (:func:`test_mutation_harness`, issue 16) runs a few
hundred mutants of each of a B-B, a B-LT and a B-LTA file: flips,
truncations, appended garbage, crafted incremental updates, broken xrefs,
oversized /Index and long tokens (built by :mod:`tests.hostile_pdfs`). For
every mutant: no crash of the engine, no green verdict when signed bytes
changed, no green signature that does not say it was modified when bytes
were appended, and the file ends inside the engine's own deadline (the
engine says ``time-limit-reached`` otherwise: no wall-clock assertion). Slow
mutants are printed (``-s``) for a look, not failed on."""

from __future__ import annotations

import dataclasses
import json
import random
import resource
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from signing.model.results import FileResult, Verdict
from signing.reports.json_report import results_to_json
from signing.trust.anchors import AnchorOrigin, TrustAnchor
from signing.validation import digests
from signing.validation.engine import validate_pdf
from signing.validation.options import RevocationPolicy, ValidationOptions
from tests import hostile_pdfs
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


# --- the mutation harness ------------------------------------------------------

HARNESS_SEED = 20261207
#: mutants of each kind per seed file (about 200 per seed)
PER_KIND = {
    "flip-signed": 50,
    "flip-anywhere": 30,
    "cut": 20,
    "garbage-appended": 20,
    "update-page": 10,
    "update-empty": 10,
    "update-fields": 10,
    "broken-xref": 25,
    "oversized-index": 10,
    "long-token": 15,
    "long-text": 10,
}
#: the engine's own per-file deadline in the harness: generous (a small file
#: takes well under a second), so only a runaway mutant reaches it
HARNESS_SECONDS = 30.0
#: peak memory of the whole test process allowed (the xref bomb of issue 16
#: took 2.24 GB for one file)
HARNESS_PEAK_MIB = 1536
#: mutants slower than this are printed
SLOW_SECONDS = 2.0


@dataclass(frozen=True)
class Mutant:
    kind: str
    data: bytes
    #: a byte the signatures cover was changed or removed
    signed_bytes_changed: bool
    #: bytes were added after the end of the good file
    appended: bool
    #: the reason code the engine must give (a bound that must trip)
    expect_code: str | None = None


@pytest.fixture(scope="module")
def seeds(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[bytes, range]]:
    """Each seed's bytes and the bytes every signature in it covers (the
    first signature's byte range; the others cover more)."""
    folder = tmp_path_factory.mktemp("harness")
    plain = make_pdf(folder / "plain.pdf", text="Mutation harness")
    out = {}
    for level in ("B-B", "B-LT", "B-LTA"):
        path = sign(pki, plain, folder / f"{level}.pdf", level)
        with path.open("rb") as fh:
            a, _la, b, lb = (int(x) for x in PdfFileReader(fh).embedded_signatures[0].byte_range)
        assert a == 0
        out[level] = (path.read_bytes(), range(0, b + lb))
    return out


def _covered(data: bytes, signed_end: int) -> list[range]:
    """The signed ranges of the first signature (its /Contents excluded)."""
    with_contents = data[:signed_end]
    start = with_contents.index(b"/Contents <") + len(b"/Contents ")
    end = with_contents.index(b">", start) + 1
    return [range(0, start), range(end, signed_end)]


def _mutants(data: bytes, signed: range, rng: random.Random) -> Iterator[Mutant]:
    covered = _covered(data, signed.stop)
    size = len(data)

    def flip(at: int) -> bytes:
        out = bytearray(data)
        out[at] = (out[at] + rng.randrange(1, 256)) % 256
        return bytes(out)

    makers: dict[str, Callable[[], Mutant]] = {
        "flip-signed": lambda: (lambda at: Mutant("flip-signed", flip(at), True, False))(
            rng.choice(rng.choice(covered))
        ),
        "flip-anywhere": lambda: (
            lambda at: Mutant("flip-anywhere", flip(at), any(at in r for r in covered), False)
        )(rng.randrange(size)),
        "cut": lambda: (lambda at: Mutant("cut", data[:at], at < signed.stop, False))(
            rng.randrange(1, size)
        ),
        "garbage-appended": lambda: Mutant(
            "garbage-appended",
            data + rng.choice([b"", b"\n", b"%%EOF\n"]) + rng.randbytes(rng.randrange(1, 200)),
            False,
            True,
        ),
        "update-page": lambda: Mutant(
            "update-page", hostile_pdfs.long_token(data, rng.randrange(1, 20)), False, True
        ),
        "update-empty": lambda: Mutant(
            "update-empty", hostile_pdfs.empty_updates(data, rng.randrange(1, 40)), False, True
        ),
        "update-fields": lambda: Mutant(
            "update-fields",
            hostile_pdfs.text_like_contents(data, rng.randrange(1, 4), rng.randrange(2, 5000)),
            False,
            True,
        ),
        "broken-xref": lambda: _broken_xref(data, signed, rng),
        "oversized-index": lambda: Mutant(
            "oversized-index",
            hostile_pdfs.xref_index_bomb(data, rng.randrange(10**6, 2 * 10**9)),
            False,
            True,
            "xref-too-large",
        ),
        "long-token": lambda: Mutant(
            "long-token",
            hostile_pdfs.long_token(
                data, rng.randrange(70_000, 400_000), rng.choice(["number", "name"])
            ),
            False,
            True,
            "token-too-long",
        ),
        "long-text": lambda: Mutant(
            "long-text",
            hostile_pdfs.long_token(
                data, rng.randrange(70_000, 400_000), rng.choice(["string", "comment"])
            ),
            False,
            True,
        ),
    }
    for kind, count in PER_KIND.items():
        for _ in range(count):
            yield makers[kind]()


def _broken_xref(data: bytes, signed: range, rng: random.Random) -> Mutant:
    """A digit changed in an xref offset or a startxref value, anywhere in
    the file (the signed revision's own xref is signed bytes)."""
    spots = [i for marker in (b"startxref", b" 00000 n", b"xref") for i in _all(data, marker)]
    at = rng.choice(spots)
    digits = [
        i for i in range(max(0, at - 12), min(len(data), at + 24)) if data[i : i + 1].isdigit()
    ]
    if not digits:
        digits = [at]
    pos = rng.choice(digits)
    out = bytearray(data)
    out[pos] = ord(str(rng.randrange(10))) if out[pos] != ord("0") else ord("9")
    changed = out[pos] != data[pos]
    return Mutant("broken-xref", bytes(out), changed and pos < signed.stop, False)


def _all(data: bytes, needle: bytes) -> list[int]:
    out, at = [], data.find(needle)
    while at >= 0:
        out.append(at)
        at = data.find(needle, at + 1)
    return out


def _codes(result: FileResult) -> set[str]:
    codes = {r.code for r in result.reasons}
    codes |= {r.code for s in result.signatures for r in s.reasons}
    if result.error is not None:
        codes.add(result.error.code)
    return codes


def _judge(mutant: Mutant, result: FileResult) -> list[str]:
    """What is wrong with the engine's answer to ``mutant`` (nothing: [])."""
    wrong = []
    codes = _codes(result)
    if result.error is not None and result.error.code == "validation-error":
        wrong.append(f"the engine crashed: {result.error.en}")
    if "time-limit-reached" in codes:
        wrong.append("the engine's own deadline was reached")
    if mutant.signed_bytes_changed and result.verdict in GREEN:
        wrong.append("green although signed bytes changed")
    if mutant.appended:
        for sig in result.signatures:
            if sig.verdict in GREEN and not (
                sig.modification is not None and sig.modification.modified_after_signing
            ):
                wrong.append(f"{sig.field_name} green without modified-after-signing")
    if mutant.expect_code is not None:
        if mutant.expect_code not in codes:
            wrong.append(f"no {mutant.expect_code} reason (got {sorted(codes)})")
        if result.verdict in GREEN:
            wrong.append(f"green although {mutant.expect_code}")
    return wrong


@pytest.mark.parametrize("level", ["B-B", "B-LT", "B-LTA"])
def test_mutation_harness(
    seeds: dict[str, tuple[bytes, range]], options: ValidationOptions, tmp_path: Path, level: str
) -> None:
    data, signed = seeds[level]
    opts = dataclasses.replace(options, max_file_seconds=HARNESS_SECONDS, etsi_xml=False)
    if level == "B-B":  # (no revocation data in the file: green only when not asked for)
        opts = dataclasses.replace(opts, revocation_policy=RevocationPolicy.SKIP)
    path = tmp_path / "mutant.pdf"
    path.write_bytes(data)
    assert validate_pdf(path, opts).verdict in GREEN  # (else nothing below could fail)
    rng = random.Random(f"{HARNESS_SEED}-{level}")
    failures: list[str] = []
    slow: list[tuple[float, str]] = []
    kinds: Counter[str] = Counter()
    greens: Counter[str] = Counter()
    for n, mutant in enumerate(_mutants(data, signed, rng)):
        path.write_bytes(mutant.data)
        start = time.perf_counter()
        result = validate_pdf(path, opts)  # (never raises: that is asserted too)
        took = time.perf_counter() - start
        _check(result)
        kinds[mutant.kind] += 1
        greens[mutant.kind] += result.verdict in GREEN
        if took > SLOW_SECONDS:
            slow.append((took, f"#{n} {mutant.kind} ({len(mutant.data)} bytes)"))
        failures += [f"#{n} {mutant.kind}: {why}" for why in _judge(mutant, result)]
    for took, what in sorted(slow, reverse=True):
        print(f"slow mutant of {level}: {what}: {took:.1f} s")
    print(f"{level}: {sum(kinds.values())} mutants, green by kind: {dict(greens)}")
    assert sum(kinds.values()) == sum(PER_KIND.values())
    assert not failures, "\n".join(failures)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert peak_mib < HARNESS_PEAK_MIB, peak_mib
