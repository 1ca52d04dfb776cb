"""One file through pyHanko: open safely, find every signature and document
timestamp, hash the file once (:mod:`signing.validation.digests`), and walk
each entry down the steps, each called once from here and answering with a
value (none calls back up)::

    pipeline -> level        (signatures: the PAdES level, from what the file carries)
             -> processes    (integrity, certificate and trust, time and revocation)
             -> entry_facts  (pyHanko's answer in the model's terms)
             -> verdict      (the verdict, the ETSI indication that agrees with it)

Used by :mod:`signing.validation.engine`; not a public API.
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import time
from collections.abc import Callable
from datetime import datetime
from typing import IO, Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfError, PdfStrictReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo

from signing.model.reasons.changes import WARNING_CODES
from signing.model.results import (
    ChangeKind,
    EntryKind,
    FileResult,
    Indication,
    Level,
    Qualification,
    Reason,
    SignatureResult,
    Verdict,
)
from signing.pdf import limits as pdf_limits
from signing.trust.environment import EntryCertificates, pool_of
from signing.validation.change_facts import FileChanges
from signing.validation.context import (
    Entry,
    FileContext,
    Prepared,
    is_archive_timestamp,
    prepared,
)
from signing.validation.der_check import signed_attributes_not_der
from signing.validation.diff_reuse import RevisionDiffs
from signing.validation.digests import KnownDigests, Speculation, digest_file
from signing.validation.embedded import EmbeddedData, certs_of, read_dss, read_revinfo_archival
from signing.validation.entries import collect_entries, fields_listed
from signing.validation.entry_facts import signature_facts, timestamp_facts
from signing.validation.hostile import Problem, Unreadable, describe
from signing.validation.hostile import open_reader as _open_reader
from signing.validation.level import detect_level
from signing.validation.options import ValidationOptions
from signing.validation.plain_ecdsa import normalise_plain_ecdsa
from signing.validation.processes import validate_signature_entry, validate_timestamp_entry
from signing.validation.signed_bytes import digest_matches, raw_signature_broken
from signing.validation.tolerant_certs import normalise_signed_data
from signing.validation.verdict import file_error, judge, reason
from signing.validation.walk import EntryTask, ProcessOutcome


def validate_stream(
    path: str,
    stream: IO[bytes],
    *,
    size: int,
    options: ValidationOptions,
    prep: Prepared,
    validation_time: datetime,
) -> FileResult:
    # (one deadline for the file, whatever the number of runs)
    deadline = time.monotonic() + options.max_file_seconds
    run = _Run(
        path=path,
        stream=stream,
        size=size,
        options=options,
        prep=prep,
        validation_time=validation_time,
        how=_How(strict=True, speculate=True, deadline=deadline),
    )
    # the parser's bounds and the deadline hold inside pyHanko too
    with pdf_limits.bounded(deadline) as budget:
        try:
            while True:  # each retry turns one option off for good: at most three runs
                try:
                    result = _validate_opened(run)
                    break
                except _NeedLenient:
                    run = dataclasses.replace(
                        run,
                        how=dataclasses.replace(run.how, strict=False),
                        diffs=None,
                        changes=None,
                    )
                except _Mispredicted as exc:
                    run = dataclasses.replace(
                        run,
                        how=dataclasses.replace(run.how, speculate=False),
                        known=exc.known,
                        diffs=exc.diffs,
                        changes=exc.changes,
                    )
        except pdf_limits.DeadlineReached:
            # (stopped before any entry was under way: nothing to report but that)
            why = reason("time-limit-reached", seconds=options.max_file_seconds)
            return FileResult(
                path=path,
                verdict=Verdict.INDETERMINATE,
                error=why,
                validation_time=validation_time,
                file_bytes=size,
                reasons=(why,),
            )
    return _with_tripped_limits(result, budget)


def _with_tripped_limits(result: FileResult, budget: pdf_limits.Budget) -> FileResult:
    """Name every bound that tripped while the file was read, even where
    pyHanko caught the error and carried on: the file cannot be judged."""
    have = {r.code for r in result.reasons} | {e.code for e in (result.error,) if e}
    added: list[Reason] = []
    for code, detail in budget.tripped:
        if code not in have:
            have.add(code)
            added.append(reason(code, detail=detail))
    if not added:
        return result
    verdict = max(result.verdict, *(r.severity for r in added))
    return dataclasses.replace(result, verdict=verdict, reasons=(*result.reasons, *added))


@dataclasses.dataclass(frozen=True)
class _How:
    """How a run reads the file: strict PDF syntax or lenient, and whether
    validation may run beside the hashing (:class:`Speculation`)."""

    strict: bool
    speculate: bool
    #: no further entry is started after this (``time.monotonic()``)
    deadline: float


@dataclasses.dataclass(frozen=True)
class _Run:
    """One run over one file: what is read, how, and as of when."""

    path: str
    stream: IO[bytes]
    size: int
    options: ValidationOptions
    prep: Prepared
    validation_time: datetime
    how: _How
    #: the real digests a voided run computed (see :class:`_Mispredicted`)
    known: KnownDigests | None = None
    #: the difference analyses and named changes a voided run made (they
    #: depend on the file's bytes and how they are parsed, not on any digest)
    diffs: RevisionDiffs | None = None
    changes: FileChanges | None = None


class _NeedLenient(Exception):
    """A strict-syntax error surfaced while validating: start over leniently."""


class _Mispredicted(Exception):
    """A digest differs from the one its signature claims: the run that
    assumed it is void, validate again with the real digests (``known``:
    those the speculation computed, so the file is not hashed twice)."""

    def __init__(
        self, known: KnownDigests | None, diffs: RevisionDiffs, changes: FileChanges | None
    ) -> None:
        super().__init__()
        self.known = known
        self.diffs = diffs
        self.changes = changes


#: stream payloads read from the file beyond this are freed right after the
#: file (see :func:`_validate_opened`)
_BIG_PAYLOADS = 8 * 1024 * 1024


def _validate_opened(run: _Run) -> FileResult:
    options = run.options
    try:
        reader, lenient = _open_reader(run.stream, run.size, run.how.strict, options.pdf_password)
    except Unreadable as exc:
        sha = digest_file(run.stream, [], True) if options.file_sha256 else None
        return _file_problem(run, exc.problem, sha, with_stream=True)
    try:
        return _validate_reader(run, reader, lenient)
    finally:
        loaded = getattr(reader, "loaded_bytes", 0)
        del reader
        if loaded >= _BIG_PAYLOADS and gc.isenabled():
            # large payloads had to be read (the difference analysis compared
            # a changed big stream): they sit in pyHanko's cyclic object
            # graphs, free them now rather than at some later collection. A
            # host that switched automatic collection off (the GUI, which
            # collects on its own thread only) is left to collect itself.
            gc.collect()


def _validate_reader(run: _Run, reader: PdfFileReader, lenient: bool) -> FileResult:
    path, stream, size, options = run.path, run.stream, run.size, run.options
    prep, validation_time, how = run.prep, run.validation_time, run.how
    timing = ValidationTimingInfo(
        validation_time=validation_time,
        best_signature_time=validation_time,
        point_in_time_validation=options.validation_time is not None,
    )
    file_reasons: list[Reason] = []
    if lenient:
        file_reasons.append(reason("lenient-parsing"))
    ignored = getattr(reader, "encrypt_entry_ignored", None)
    if ignored is not None:
        file_reasons.append(reason("encrypt-entry-ignored", detail=ignored))
    try:
        dss = read_dss(reader)
    except Exception:
        dss = EmbeddedData()
    ctx = FileContext(
        path=path,
        reader=reader,
        stream=stream,
        size=size,
        options=options,
        prep=prep,
        timing=timing,
        dss=dss,
        dss_revision=_dss_revision(reader),
        diffs=run.diffs or RevisionDiffs(),
        changes=run.changes.for_reader(reader) if run.changes is not None else None,
    )
    try:
        entries = collect_entries(ctx)
    except Exception as exc:
        sha = digest_file(stream, [], True) if options.file_sha256 else None
        return _file_problem(run, Problem("unreadable-pdf", describe(exc)), sha, with_stream=True)
    if len(entries) > options.max_signatures:
        # (the others stay in ``entries``: later document timestamps still
        # count for the levels of those validated)
        # (fields are not even listed past a point: "at least" that many)
        listed = len(entries)
        count: int | str = listed if listed < fields_listed(options) else f"{listed}+"
        file_reasons.append(
            reason("too-many-signatures", count=count, limit=options.max_signatures)
        )
    validated = entries[: options.max_signatures]
    signatures = [e.emb for e in validated if e.emb is not None]
    ahead = Speculation.start(stream, signatures, options.file_sha256) if how.speculate else None
    if ahead is None:
        sha = digest_file(stream, signatures, options.file_sha256, run.known)
        results = _run_entries(validated, entries, ctx, how.deadline)
    else:
        try:
            # (stopped between entries once the hashing has refuted a claim)
            results = _run_entries(validated, entries, ctx, how.deadline, ahead.refuted)
        except BaseException:
            ahead.cancel()
            raise
        confirmed, sha = ahead.confirm()
        if not confirmed:
            raise _Mispredicted(ahead.known(), ctx.diffs, ctx.changes)
    if len(results) < len(validated):
        file_reasons.append(
            reason(
                "time-limit-reached",
                seconds=options.max_file_seconds,
                done=len(results),
                count=len(validated),
            )
        )
        validated = validated[: len(results)]
    if prep.trust_env is not None:
        results = _trust_columns(validated, results, ctx, validation_time)
        file_reasons.extend(_stale_lists(results))
    results = _with_covering_timestamps(validated, results, ctx.dss_revision)
    if not results:
        why = reason("no-signatures")
        return FileResult(
            path=path,
            verdict=Verdict.INDETERMINATE,
            validation_time=validation_time,
            sha256_hex=sha,
            file_bytes=size,
            reasons=(why, *file_reasons),
        )
    verdict = max(r.verdict for r in results)
    for r in file_reasons:
        verdict = max(verdict, r.severity)
    sigs = [r for r in results if r.kind is EntryKind.SIGNATURE]
    last = sigs[-1] if sigs else None
    # (validation data alone is no modification; a named warning is one, so
    # the file says what its last signature says)
    modified_after_last = bool(
        last is not None
        and last.modification is not None
        and last.modification.modified_after_signing
        and (
            last.modification.change_kind is not ChangeKind.LTA_UPDATES
            or any(r.code in WARNING_CODES for r in last.reasons)
        )
    )
    return FileResult(
        path=path,
        verdict=verdict,
        signatures=tuple(results),
        modified_after_last_signature=modified_after_last,
        validation_time=validation_time,
        sha256_hex=sha,
        file_bytes=size,
        reasons=tuple(file_reasons),
        etsi_report_xml=_etsi_report(ctx, results) if options.etsi_xml else None,
    )


def _etsi_report(ctx: FileContext, results: list[SignatureResult]) -> str | None:
    """The file's ETSI report, each signature's with its EU qualification
    (``vr:SignatureQuality``) when the EU layer assessed it, and each
    document timestamp's validation objects."""
    # (imported here: pyHanko's generated ETSI classes take ~0.25 s to import,
    # and only a report that carries the XML needs them)
    from signing.validation import etsi_xml

    by_field = {r.field_name: r for r in results}
    reports = []
    for name, xml in ctx.xml_reports.items():
        result = by_field.get(name)
        if result is not None:
            xml = etsi_xml.with_status(xml, result.indication, result.subindication)
        if result is not None and result.eu_qualification is not Qualification.NOT_ASSESSED:
            xml = etsi_xml.with_signature_quality(xml, result.eu_qualification, result.indication)
        reports.append(xml)
    objects = ctx.xml_objects
    if not reports and any(r.kind is EntryKind.SIGNATURE for r in results):
        # no "no signature found" report for a file whose signatures could
        # not be reported (as before: no report at all)
        objects = []
    return etsi_xml.merge_reports(reports, objects)


def _stale_lists(results: list[SignatureResult]) -> list[Reason]:
    """The headline's word that a trusted list a signature rests on is past
    its NextUpdate (EU DSS's default policy: TLNotExpired, a warning)."""
    from signing.model.reasons.qualification import lists_out_of_date

    stale = any(
        r.code in ("eu-list-stale", "eu-list-stale-grace") for s in results for r in s.eu_reasons
    )
    return [lists_out_of_date()] if stale else []


def _trust_columns(
    entries: list[Entry], results: list[SignatureResult], ctx: FileContext, now: datetime
) -> list[SignatureResult]:
    """The EU and Japanese columns of every entry, from the certificates the
    validation has already parsed (nothing is read again)."""
    env = ctx.prep.trust_env
    assert env is not None
    dss_pool = [bytes(c.dump()) for c in ctx.dss.certs]
    archives = [
        e.revision
        for e in entries
        if is_archive_timestamp(e) and _covers_dss(ctx.reader, e.revision)
    ]
    out: list[SignatureResult] = []
    for entry, result in zip(entries, results, strict=True):
        out.append(env.annotate(result, _entry_certs(entry, dss_pool, archives), now=now))
    return out


def _entry_certs(
    entry: Entry, dss_pool: list[bytes], archives: list[int]
) -> EntryCertificates | None:
    emb = entry.emb
    if entry.problem is not None or emb is None:
        return None
    try:
        signer = bytes(emb.signer_cert.dump())
        cms_pool = [bytes(c.dump()) for c in certs_of(emb.signed_data)]
    except Exception:  # no readable signer certificate: nothing to assess
        return None
    return EntryCertificates(
        signer_der=signer,
        path_ders=entry.path_ders,
        tsa_der=entry.tsa_ders[0] if entry.tsa_ders else None,
        tsa_path_ders=entry.tsa_ders[1:],
        pool_ders=pool_of(cms_pool, dss_pool),
        archived=any(r > entry.revision for r in archives),
    )


def _covers_dss(reader: PdfFileReader, revision: int) -> bool:
    """Does the revision a document timestamp signs hold a DSS (validation data)?"""
    try:
        return "/DSS" in reader.get_historical_root(revision)
    except Exception:  # an unreadable revision: not an archive timestamp
        return False


def _dss_revision(reader: PdfFileReader) -> int | None:
    """The revision that introduced the /DSS dictionary (or the catalog
    holding it directly); None when there is no DSS. Later updates only add
    data (for timestamps), so a document timestamp from this revision on
    covers the validation data it started with."""
    try:
        root_ref = reader.trailer.raw_get("/Root")
        dss = reader.root.raw_get("/DSS")
    except (KeyError, AttributeError):
        return None
    except Exception:  # a broken catalog: no usable DSS
        return None
    try:
        ref = dss if isinstance(dss, generic.IndirectObject) else root_ref
        rev: int = (
            reader.xrefs.get_introducing_revision(ref.reference)
            if isinstance(dss, generic.IndirectObject)
            else reader.xrefs.get_last_change(ref.reference)
        )
        return rev
    except Exception:  # unknown: treat as added last (no B-LTA from it)
        return 1 << 30


def _with_covering_timestamps(
    entries: list[Entry], results: list[SignatureResult], dss_revision: int | None = None
) -> list[SignatureResult]:
    """Attach to each signature the document timestamps added after it (its
    archive timestamps, in order), and lower a level that only a failed
    document timestamp gave: the level reached counts working timestamps."""
    stamps = [
        (entry, result)
        for entry, result in zip(entries, results, strict=True)
        if result.kind is EntryKind.DOCUMENT_TIMESTAMP
        and entry.emb is not None
        and result.signature_timestamp is not None
    ]
    out: list[SignatureResult] = []
    for entry, result in zip(entries, results, strict=True):
        if result.kind is EntryKind.SIGNATURE and entry.emb is not None:
            later = [(e, r) for e, r in stamps if e.revision > entry.revision]
            working = [
                e
                for e, r in later
                if r.indication is not Indication.TOTAL_FAILED and is_archive_timestamp(e)
            ]
            level = result.level
            if level is Level.B_LTA and not any(
                dss_revision is None or e.revision >= dss_revision for e in working
            ):
                level = Level.B_LT
            if (
                level in (Level.B_T, Level.B_LT)
                and result.signature_timestamp is None
                and not working
            ):
                level = Level.B_B  # its only time proof was a failed document timestamp
            covering = tuple(r.signature_timestamp for _, r in later if r.signature_timestamp)
            if covering or level is not result.level:
                result = dataclasses.replace(result, covering_timestamps=covering, level=level)
        out.append(result)
    return out


#: files that cannot be read as PDF: "cannot be processed" (ETSI's
#: INDETERMINATE), unless a signature in them is proven broken
_CANNOT_PARSE = frozenset({"not-a-pdf", "truncated-pdf", "unreadable-pdf"})


def _file_problem(
    run: _Run, problem: Problem, sha: str | None, *, with_stream: bool = False
) -> FileResult:
    """The result of a file that cannot be read as PDF (``with_stream``: its
    bytes may still prove a signature in it broken)."""
    # a file that cannot be parsed at all is INDETERMINATE (it may be
    # genuine), unless its raw bytes prove a signature in it broken
    unreadable: dict[str, Any] = {}
    if problem.code in _CANNOT_PARSE:
        also: tuple[Reason, ...] = ()
        if with_stream and raw_signature_broken(run.stream, run.size):
            also = (reason("hash-mismatch", detail="HASH_FAILURE", subindication="HASH_FAILURE"),)
        unreadable = {"severity": Verdict.INDETERMINATE, "also": also}
    return file_error(
        run.path,
        problem.code,
        problem.detail,
        validation_time=run.validation_time,
        file_bytes=run.size,
        sha256_hex=sha,
        **unreadable,
    )


def _run_entries(
    validated: list[Entry],
    entries: list[Entry],
    ctx: FileContext,
    deadline: float,
    void: Callable[[], bool] | None = None,
) -> list[SignatureResult]:
    """Each entry in turn; none is started once the file's time is up (a
    forged file can make every signature wait out the network timeouts), or
    once ``void()`` says the run's results will be thrown away."""
    results: list[SignatureResult] = []
    for entry in validated:
        if results and time.monotonic() > deadline:
            break
        if void is not None and void():
            break
        try:
            results.append(_run_entry(entry, entries, ctx))
        except pdf_limits.DeadlineReached:
            # stopped inside this entry: the ones done stand, the file says
            # how far it got; what follows (reports) runs without a deadline
            pdf_limits.lift_deadline()
            break
    return results


def _run_entry(entry: Entry, entries: list[Entry], ctx: FileContext) -> SignatureResult:
    kind = EntryKind.DOCUMENT_TIMESTAMP if entry.is_timestamp else EntryKind.SIGNATURE
    if entry.problem is not None or entry.emb is None:
        problem = entry.problem or Problem("signature-unreadable", "unknown")
        why = reason(entry.problem_code, problem=problem.code, detail=problem.detail)
        # (a bound that tripped proves nothing about the signature)
        return _not_validated(entry, kind, why, failed=why.code not in pdf_limits.CODES)
    try:
        entry.emb.compute_digest()
    except Exception as exc:  # unknown digest algorithm, unreadable byte range
        why = reason("cms-unreadable", detail=describe(exc))
        return _not_validated(entry, kind, why)
    try:
        result = _walk(entry, entries, ctx)
    except PdfStrictReadError as exc:
        if ctx.reader.strict:
            raise _NeedLenient() from exc
        return _tampered(entry, kind) or _crashed(entry, kind, exc)
    except _MALFORMED as exc:  # pyHanko choked on the structure: a malformed signature
        why = reason("cms-unreadable", detail=describe(exc))
        return _tampered(entry, kind) or _not_validated(entry, kind, why)
    except Exception as exc:  # anything else: cannot be validated, with the cause
        return _tampered(entry, kind) or _crashed(entry, kind, exc)
    if result.verdict is not Verdict.INVALID and not result.intact:
        return _tampered(entry, kind, result) or result
    return result


def _walk(entry: Entry, entries: list[Entry], ctx: FileContext) -> SignatureResult:
    """One entry down the steps, each called once: the level (signatures),
    the processes, the facts, the verdict."""
    emb = entry.emb
    assert emb is not None
    # its signed data made readable (certificates as DSS reads them, plain
    # ECDSA values), and the validation data the file carries for it
    normalise_signed_data(emb.signed_data)
    normalise_plain_ecdsa(emb.signed_data)
    # (before the revocation archive is read from the signed attributes)
    not_der = None if entry.is_timestamp else signed_attributes_not_der(emb.signer_info)
    embedded = ctx.dss.plus(read_revinfo_archival(emb.signer_info))
    if entry.is_timestamp:
        task = EntryTask(entry=entry, entries=tuple(entries), embedded=embedded)
        outcome = asyncio.run(validate_timestamp_entry(task, ctx))
        result = judge(timestamp_facts(outcome, ctx))
        _timestamp_objects(outcome, result, ctx)
        return result
    level = detect_level(
        subfilter=entry.subfilter,
        signer_cert=emb.signer_cert,
        signed_data=emb.signed_data,
        signer_info=emb.signer_info,
        embedded=embedded,
        later_document_timestamps=[
            e.revision for e in entries if e.revision > entry.revision and is_archive_timestamp(e)
        ],
        dss_revision=ctx.dss_revision,
        anchors=ctx.prep.anchor_digests,
    )
    task = EntryTask(
        entry=entry, entries=tuple(entries), embedded=embedded, level=level, not_der=not_der
    )
    outcome = asyncio.run(validate_signature_entry(task, ctx))
    return judge(signature_facts(outcome, ctx), level)


def _timestamp_objects(outcome: ProcessOutcome, result: SignatureResult, ctx: FileContext) -> None:
    """The ETSI validation objects of a document timestamp, with its final
    indication (for the file's report)."""
    if not ctx.options.etsi_xml:
        return
    # (loaded on first use: its XML bindings cost ~5 MiB a process)
    from signing.validation import etsi_timestamps

    told = etsi_timestamps.TimestampOutcome(
        indication=result.indication,
        subindication=result.subindication,
        validation_time=ctx.timing.validation_time,
        best_time=outcome.best_time or ctx.timing.validation_time,
    )
    task = outcome.task
    xml = etsi_timestamps.timestamp_objects(task.entry, task.entries, outcome.result, told)
    if xml:
        ctx.xml_objects.append(xml)


def _tampered(
    entry: Entry, kind: EntryKind, result: SignatureResult | None = None
) -> SignatureResult | None:
    """INVALID / HASH_FAILURE when the signed bytes changed, whatever a
    later step of the validation made of the damaged data; None otherwise."""
    if entry.emb is None or digest_matches(entry.emb) is not False:
        return None
    why = reason("hash-mismatch", detail="HASH_FAILURE", subindication="HASH_FAILURE")
    base = result or _not_validated(entry, kind, why)
    others = tuple(r for r in result.reasons if r.code != why.code) if result else ()
    return dataclasses.replace(
        base,
        verdict=Verdict.INVALID,
        indication=Indication.TOTAL_FAILED,
        subindication="HASH_FAILURE",
        reasons=(why, *others),
        intact=False,
        best_time=None,
    )


#: what pyHanko raises on malformed signatures and files (issue 3: these are
#: INVALID with their cause, never a crash)
_MALFORMED = (AssertionError, KeyError, AttributeError, IndexError, PdfError)


def _crashed(entry: Entry, kind: EntryKind, exc: BaseException) -> SignatureResult:
    why = reason("validation-error", detail=describe(exc))
    result = _not_validated(entry, kind, why, failed=False)
    if entry.emb is not None and digest_matches(entry.emb):
        # the signed bytes are those signed: say so, whatever broke later
        result = dataclasses.replace(result, intact=True)
    return result


def _not_validated(
    entry: Entry, kind: EntryKind, why: Reason, failed: bool = True
) -> SignatureResult:
    """An entry no process could judge: INVALID (FORMAT_FAILURE) when it is
    malformed, INDETERMINATE (GENERIC) when validating it broke."""
    return SignatureResult(
        kind=kind,
        field_name=entry.name,
        verdict=Verdict.INVALID if failed else Verdict.INDETERMINATE,
        indication=Indication.TOTAL_FAILED if failed else Indication.INDETERMINATE,
        subindication="FORMAT_FAILURE" if failed else "GENERIC",
        level=Level.NONE,
        reasons=(why,),
        subfilter=entry.subfilter,
    )


__all__ = ["Prepared", "prepared", "validate_stream"]
