"""Hard resource bounds (issue 16): each hostile file of the issue, generated
here from a good signed file, ends with a verdict and the precise reason (in
English and Japanese), never a traceback; and the faster lookups that make
the bounds hold give pyHanko's own answers. (Time and memory figures are in
``benchmarks/bench_hostile.py``; no timed assertion here.)"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from pyhanko.pdf_utils import misc
from pyhanko.pdf_utils.generic import ByteStringObject, NumberObject, Reference, TextStringObject
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.xref import XRefCache

from signing import thirdparty_internals as internals
from signing.errors import DocumentError
from signing.model.results import FileResult, Reason, Verdict
from signing.pdf import limits as pdf_limits
from signing.pdf import limits_tokens as pdf_limits_tokens
from signing.pdf import limits_xref as pdf_limits_xref
from signing.pdf.document import open_pdf
from signing.secrets import NoSecret
from signing.validation.diff_reuse import RevisionDiffs
from signing.validation.engine import validate_pdf
from tests import hostile_pdfs
from tests.pdf_factory import make_pdf
from tests.pki import PKI
from tests.test_validation_engine import sign, trusting

GREEN = (Verdict.VALID, Verdict.VALID_WITH_WARNINGS)


@pytest.fixture(scope="module")
def seed(pki: PKI, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("bounds")
    return sign(pki, make_pdf(folder / "plain.pdf"), folder / "seed.pdf", "B-B").read_bytes()


def _validate(pki: PKI, tmp_path: Path, data: bytes, **kw: object) -> FileResult:
    path = tmp_path / "hostile.pdf"
    path.write_bytes(data)
    return validate_pdf(path, trusting(pki, offline=True, **kw))


def _reason(result: FileResult, code: str) -> Reason:
    found = [
        r
        for r in (*result.reasons, *(r for s in result.signatures for r in s.reasons))
        if r.code == code
    ]
    assert found, (code, result)
    why = found[0]
    assert why.en and why.ja and why.en != why.ja
    return why


def _indeterminate_because(result: FileResult, code: str) -> Reason:
    assert result.verdict is Verdict.INDETERMINATE, result
    return _reason(result, code)


@pytest.mark.parametrize("declared", [10**7, 2 * 10**9])
def test_declared_xref_entries_are_checked_before_any_is_stored(
    pki: PKI, seed: bytes, tmp_path: Path, declared: int
) -> None:
    result = _validate(pki, tmp_path, hostile_pdfs.xref_index_bomb(seed, declared))
    why = _indeterminate_because(result, "xref-too-large")
    assert str(declared) in why.en
    assert result.error is not None and result.error.code == "xref-too-large"


def test_the_xref_bound_protects_signing_too(seed: bytes, tmp_path: Path) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(hostile_pdfs.xref_index_bomb(seed, 2 * 10**9))
    with pytest.raises(DocumentError, match="2000000000 entries"):
        open_pdf(path, NoSecret())


def test_too_many_revisions_are_not_read(pki: PKI, seed: bytes, tmp_path: Path) -> None:
    result = _validate(pki, tmp_path, hostile_pdfs.empty_updates(seed, 10_000))
    why = _indeterminate_because(result, "too-many-revisions")
    assert str(pdf_limits.MAX_REVISIONS) in why.en and str(pdf_limits.MAX_REVISIONS) in why.ja


def test_many_revisions_under_the_limit_are_analysed(pki: PKI, seed: bytes, tmp_path: Path) -> None:
    result = _validate(pki, tmp_path, hostile_pdfs.empty_updates(seed, 300))
    (sig,) = result.signatures
    assert sig.intact and sig.modification is not None
    assert sig.modification.modified_after_signing
    assert "too-many-revisions" not in {r.code for r in result.reasons}


def _multi_revision_reader(seed: bytes) -> PdfFileReader:
    data = hostile_pdfs.long_token(hostile_pdfs.empty_updates(seed, 5), 10)
    data = hostile_pdfs.text_like_contents(hostile_pdfs.empty_updates(data, 3), 2, 64)
    return PdfFileReader(io.BytesIO(data), strict=False)


def test_indexed_lookups_give_pyhankos_answers(seed: bytes) -> None:
    pdf_limits.install()
    reader = _multi_revision_reader(seed)
    ours = reader.xrefs
    assert isinstance(ours, pdf_limits_xref.IndexedXRefCache)
    theirs = XRefCache(reader, internals.xref_sections(ours))
    refs = {
        (idnum, gen)
        for section in internals.xref_sections(ours)
        for idnum, (gen, _) in section.xref_data.standard_xrefs.items()
    }
    refs |= {(n, g + 1) for n, g in refs} | {(999, 0)}  # wrong generations, unknown objects

    def answer(cache: XRefCache, method: str, ref: Reference) -> object:
        try:
            return getattr(cache, method)(ref)
        except KeyError:
            return KeyError

    for idnum, gen in sorted(refs):
        ref = Reference(idnum, gen)
        for method in ("get_last_change", "get_introducing_revision"):
            assert answer(ours, method, ref) == answer(theirs, method, ref), (method, ref)
        for revision in range(ours.total_revisions):
            assert ours.get_historical_ref(ref, revision) == theirs.get_historical_ref(
                ref, revision
            ), (ref, revision)


def test_incremental_trailer_views_are_pyhankos(seed: bytes) -> None:
    from pyhanko.pdf_utils.xref import TrailerDictionary

    pdf_limits.install()
    trailer = _multi_revision_reader(seed).trailer
    assert isinstance(trailer, pdf_limits_xref.IncrementalTrailer)
    revisions = len(internals.trailer_revisions(trailer))
    for revision in (*range(revisions), None):
        assert trailer.flatten(revision) == TrailerDictionary.flatten(trailer, revision)
        for key in ("/Root", "/Prev", "/Size", "/Encrypt", "/Info", "/Type", "/W"):
            try:
                expected: object = TrailerDictionary.raw_get(trailer, key, revision=revision)
            except KeyError:
                expected = KeyError
            try:
                got: object = trailer.raw_get(key, revision=revision)
            except KeyError:
                got = KeyError
            assert got == expected, (key, revision)


@pytest.mark.parametrize(
    ("length", "kind"), [(3 * 10**6, "number"), (10 * 2**20, "name")], ids=["number", "name"]
)
def test_long_tokens_are_capped(
    pki: PKI, seed: bytes, tmp_path: Path, length: int, kind: str
) -> None:
    result = _validate(pki, tmp_path, hostile_pdfs.long_token(seed, length, kind))
    assert result.verdict not in GREEN
    _reason(result, "token-too-long")
    (sig,) = result.signatures
    assert sig.intact  # (the signed revision itself is fine)


@pytest.mark.parametrize(
    "data",
    [b"123 ", b"-4.5]", b"+.5/X", b"17", b"9" * 5000 + b" "],
    ids=["int", "float", "signed", "at-eof", "long"],
)
def test_numbers_read_as_pyhanko_reads_them(data: bytes) -> None:
    pattern = NumberObject.NumberPattern
    ours, theirs = io.BytesIO(data), io.BytesIO(data)
    value = pdf_limits_tokens.read_until_regex(ours, pattern, ignore_eof=True)
    assert value == misc.read_until_regex(theirs, pattern, ignore_eof=True)
    assert ours.tell() == theirs.tell()


@pytest.mark.parametrize(
    "data",
    [b"Name/Next", b"Name>>", b"Name", b"Na#20me ", b"N" * 5000 + b"("],
    ids=["slash", "dict-end", "at-eof", "escape", "long"],
)
def test_names_read_as_pyhanko_reads_them(data: bytes) -> None:
    ours, theirs = io.BytesIO(data), io.BytesIO(data)
    assert pdf_limits_tokens.read_until_delimiter(ours) == misc.read_until_delimiter(theirs)
    assert ours.tell() == theirs.tell()


LITERALS = [
    b"(abc) x",
    b"(a(b)c)",
    b"(a\\)b)",
    b"(\\101\\1012)",
    b"(a\\\r\nb)",
    b"(a\\\nb)",
    b"(\\n\\t\\(\\\\)",
    b"(" + b"x" * 4094 + b"\\101(\\)))",  # an escape across a chunk boundary
]


@pytest.mark.parametrize("data", LITERALS, ids=range(len(LITERALS)))
def test_literal_strings_read_as_pyhanko_reads_them(data: bytes) -> None:
    ours, theirs = io.BytesIO(data), io.BytesIO(data)
    value = pdf_limits_tokens.read_string_literal_bytes(ours)
    assert value == pdf_limits_tokens.PYHANKO_LITERAL(theirs)
    assert ours.tell() == theirs.tell()


@pytest.mark.parametrize("data", [b"(abc", b"(\\q)", b"(\\"], ids=["open", "escape", "eof"])
def test_literal_strings_fail_as_pyhanko_fails(data: bytes) -> None:
    with pytest.raises(misc.PdfReadError) as theirs:
        pdf_limits_tokens.PYHANKO_LITERAL(io.BytesIO(data))
    with pytest.raises(type(theirs.value)):
        pdf_limits_tokens.read_string_literal_bytes(io.BytesIO(data))


def test_long_literal_strings_stay_bytes_and_are_capped() -> None:
    long = b"(" + b"S" * pdf_limits_tokens.LITERAL_BYTES_FROM + b")"
    assert type(pdf_limits_tokens.read_string_from_stream(io.BytesIO(long))) is ByteStringObject
    assert type(pdf_limits_tokens.read_string_from_stream(io.BytesIO(b"(S)"))) is TextStringObject
    with pdf_limits.bounded(None) as budget, pytest.raises(pdf_limits.PdfLimitExceeded):
        pdf_limits_tokens.read_string_literal_bytes(
            io.BytesIO(b"(" + b"S" * (pdf_limits.MAX_LITERAL_STRING + 10) + b")")
        )
    assert [code for code, _ in budget.tripped] == ["string-too-large"]


def test_token_cap_raises_and_is_recorded() -> None:
    with pdf_limits.bounded(None) as budget:
        with pytest.raises(pdf_limits.PdfLimitExceeded):
            pdf_limits_tokens.read_until_delimiter(io.BytesIO(b"N" * (pdf_limits.MAX_TOKEN + 10)))
        with pytest.raises(pdf_limits.PdfLimitExceeded):
            pdf_limits_tokens.read_until_regex(
                io.BytesIO(b"1" * (pdf_limits.MAX_TOKEN + 10)), re.compile(b"[^0-9]")
            )
    assert [code for code, _ in budget.tripped] == ["token-too-long"] * 2


def test_a_huge_contents_is_not_decoded(pki: PKI, seed: bytes, tmp_path: Path) -> None:
    data = hostile_pdfs.text_like_contents(seed, 1, pdf_limits.MAX_HEX_STRING + 2)
    result = _validate(pki, tmp_path, data)
    assert result.verdict not in GREEN
    _reason(result, "string-too-large")
    # the field that could not be read is not called malformed (INVALID)
    forged = [s for s in result.signatures if s.field_name != "Sig1"]
    assert forged and all(s.verdict is Verdict.INDETERMINATE for s in forged)
    assert result.verdict is Verdict.INDETERMINATE


def test_fields_past_the_cap_are_counted_not_read(pki: PKI, seed: bytes, tmp_path: Path) -> None:
    data = hostile_pdfs.text_like_contents(seed, 300, 4096)
    result = _validate(pki, tmp_path, data, max_signatures=40)
    assert len(result.signatures) == 40
    assert result.verdict not in GREEN
    why = _reason(result, "too-many-signatures")
    assert "301" in why.en and "301" in why.ja
    # the forged fields read are malformed signatures, named as such
    assert any(r.code == "cms-unreadable" for s in result.signatures for r in s.reasons)
    # fields far past the cap are not even listed: "at least" so many
    capped = _validate(pki, tmp_path, data, max_signatures=2)
    assert len(capped.signatures) == 2
    assert "21+" in _reason(capped, "too-many-signatures").en
    # (the good signature comes first, and is still judged)
    assert result.signatures[0].field_name == "Sig1" and result.signatures[0].intact


def test_the_deadline_stops_the_difference_analysis(seed: bytes) -> None:
    """pyHanko's review of the revisions after a signature asks the deadline
    before each pair of revisions it compares."""
    reader = PdfFileReader(io.BytesIO(hostile_pdfs.empty_updates(seed, 20)), strict=False)
    with pdf_limits.bounded(time.monotonic() - 1), pytest.raises(pdf_limits.DeadlineReached):
        RevisionDiffs().review_file(reader, 1)
    # outside a bounded block (or with time left) the same review completes
    RevisionDiffs().review_file(reader, 1)


@contextmanager
def _file_context(path: Path, options: Any) -> Iterator[tuple[Any, Any]]:
    """``path`` opened as the pipeline opens a file: its FileContext under
    ``options`` (validated now) and its reader, while the file is open."""
    from datetime import UTC, datetime

    from pyhanko_certvalidator.ltv.types import ValidationTimingInfo

    from signing.validation import pipeline
    from signing.validation.context import FileContext
    from signing.validation.embedded import EmbeddedData
    from signing.validation.hostile import open_reader

    now = datetime.now(UTC)
    size = path.stat().st_size
    with path.open("rb") as fh:
        reader, _lenient = open_reader(fh, size)
        timing = ValidationTimingInfo(now, now, False)
        prepared = pipeline.prepared(options)
        ctx = FileContext(str(path), reader, fh, size, options, prepared, timing, EmbeddedData())
        yield ctx, reader


def test_the_deadline_ends_an_entry_under_way(pki: PKI, seed: bytes, tmp_path: Path) -> None:
    """An entry whose time runs out inside pyHanko's processes (here: at its
    first check) ends there; the entries done stand, and what follows (the
    reports) runs without the deadline."""
    from signing.validation import pipeline
    from signing.validation.entries import collect_entries

    path = tmp_path / "updates.pdf"
    path.write_bytes(hostile_pdfs.empty_updates(seed, 50))
    with _file_context(path, trusting(pki, offline=True)) as (ctx, _reader):
        entries = collect_entries(ctx)
        assert len(entries) == 1
        with pdf_limits.bounded(time.monotonic() - 1) as budget:
            results = pipeline._run_entries(entries, entries, ctx, time.monotonic() + 60)
            assert results == [] and budget.deadline is None
            pdf_limits.check_time()  # (lifted: no longer raises)


def test_pyhankos_own_list_holds_only_the_fields_read(
    pki: PKI, seed: bytes, tmp_path: Path
) -> None:
    """pyHanko's LTA process walks the reader's list of every signature,
    hashing each (2,000 copies of a B-LTA signature took 81 s): past the cap
    it holds the ones read, nothing more."""
    from signing.validation.entries import collect_entries
    from tests.test_validation_limits import _with_copies

    (tmp_path / "seed.pdf").write_bytes(seed)
    many = _with_copies(tmp_path / "seed.pdf", tmp_path / "many.pdf", 30)
    options = trusting(pki, offline=True, max_signatures=4)
    with _file_context(many, options) as (ctx, reader):
        entries = collect_entries(ctx)
        assert len(entries) == 31
        assert [e.field_name for e in reader.embedded_signatures] == [e.name for e in entries[:4]]
