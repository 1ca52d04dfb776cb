"""One file through pyHanko: open safely, find every signature and document
timestamp, run the AdES process that fits its level, collect the facts.

Used by :mod:`signing.validation.engine`; not a public API.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import os
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from asn1crypto import x509
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfError, PdfStrictReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate, AdESPassed
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel
from pyhanko.sign.diff_analysis.policy_api import DiffResult
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation.ades import (
    ades_basic_validation,
    ades_lta_validation,
    ades_timestamp_validation,
    ades_with_time_validation,
)
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.policy_decl import (
    CertificateFetchingRule,
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
from pyhanko_certvalidator.policy_decl import (
    NO_REVOCATION,
    REQUIRE_REVINFO,
    CertRevTrustPolicy,
    FreshnessReqType,
)
from pyhanko_certvalidator.registry import SimpleTrustManager

from signing.validation import etsi_xml
from signing.validation.algorithms import ChainAlgorithmPolicy, SignatureAlgorithmPolicy
from signing.validation.facts import (
    certificate_info,
    digest_algorithm,
    signature_algorithm,
    signature_timestamp_tokens,
    signer_kind,
)
from signing.validation.hostile import Problem, Unreadable, check_signature_dictionary, describe
from signing.validation.hostile import open_reader as _open_reader
from signing.validation.level import (
    EmbeddedData,
    certs_of,
    detect_level,
    non_ca_issuer,
    read_dss,
    read_revinfo_archival,
)
from signing.validation.model import (
    ChainElement,
    ChangeKind,
    EntryKind,
    FileResult,
    Indication,
    Level,
    ModificationInfo,
    Reason,
    RevocationSource,
    RevocationStatus,
    SignatureResult,
    TimestampInfo,
    Verdict,
)
from signing.validation.options import RevocationPolicy, ValidationOptions
from signing.validation.tolerant_certs import normalise_signed_data, tolerant
from signing.validation.trusted_responders import ResponderFacts, check_trusted_responders
from signing.validation.verdict import (
    indication_of,
    reason,
    reasons_for_subindication,
    subindication_name,
    verdict_for,
)

TIMESTAMP_SUBFILTER = "/ETSI.RFC3161"


# --- trust material, parsed once per process --------------------------------


@dataclass(frozen=True)
class Prepared:
    trust_roots: tuple[x509.Certificate, ...]
    anchor_certs: dict[bytes, x509.Certificate]
    anchor_tags: dict[bytes, str]
    extra_certs: tuple[x509.Certificate, ...]
    cert_policy: CertValidationPolicySpec
    revinfo_spec: RevocationInfoGatheringSpec
    key_usage: KeyUsageConstraints
    problems: tuple[str, ...]


_PREPARED: dict[ValidationOptions, Prepared] = {}


def prepared(options: ValidationOptions) -> Prepared:
    """Trust anchors and policies for ``options``, cached per process."""
    hit = _PREPARED.get(options)
    if hit is not None:
        return hit
    roots: list[x509.Certificate] = []
    tags: dict[bytes, str] = {}
    problems: list[str] = []
    for anchor in options.trust_anchors:
        try:
            cert = tolerant(x509.Certificate.load(anchor.cert_der))
            roots.append(cert)
            tags.setdefault(cert.sha256, anchor.tag)
        except ValueError as exc:
            problems.append(f"trust anchor {anchor.tag}: {describe(exc)}")
    for path in options.user_trust_files:
        try:
            for cert in load_certs_from_pemder([str(path)]):  # type: ignore[no-untyped-call]
                roots.append(tolerant(cert))
                tags.setdefault(cert.sha256, f"user:{path.name}")
        except (OSError, ValueError) as exc:
            problems.append(f"trust file {path}: {describe(exc)}")
    extra: list[x509.Certificate] = []
    for der in options.extra_certs:
        try:
            extra.append(tolerant(x509.Certificate.load(der)))
        except ValueError as exc:
            problems.append(f"extra certificate: {describe(exc)}")
    if options.revocation_policy is RevocationPolicy.SKIP:
        rev = CertRevTrustPolicy(NO_REVOCATION)
    else:
        rev = CertRevTrustPolicy(
            REQUIRE_REVINFO,
            freshness_req_type=FreshnessReqType.MAX_DIFF_REVOCATION_VALIDATION,
        )
    cert_policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=roots),
        revinfo_policy=rev,
        algorithm_usage_policy=ChainAlgorithmPolicy(),
    )
    if options.offline:
        revinfo_spec = RevocationInfoGatheringSpec(
            online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY,
            certificate_fetching_rule=CertificateFetchingRule.NEVER_FETCH,
        )
    else:
        revinfo_spec = RevocationInfoGatheringSpec(
            online_fetching_rule=RevinfoOnlineFetchingRule.ALWAYS_FETCH,
            fetcher_backend=RequestsFetcherBackend(per_request_timeout=options.timeout_s),
            certificate_fetching_rule=(
                CertificateFetchingRule.FOLLOW_ONLINE_RULE
                if options.fetch_certificates
                else CertificateFetchingRule.NEVER_FETCH
            ),
        )
    prep = Prepared(
        trust_roots=tuple(roots),
        anchor_certs={c.sha256: c for c in roots},
        anchor_tags=tags,
        extra_certs=tuple(extra),
        cert_policy=cert_policy,
        revinfo_spec=revinfo_spec,
        key_usage=KeyUsageConstraints(),
        problems=tuple(problems),
    )
    if len(_PREPARED) > 8:
        _PREPARED.clear()
    _PREPARED[options] = prep
    return prep


# --- one file ---------------------------------------------------------------


@dataclass
class _Entry:
    name: str
    sig_obj: Any
    field: Any
    is_timestamp: bool
    subfilter: str | None
    problem: Problem | None = None
    problem_code: str = "signature-structure"
    emb: EmbeddedPdfSignature | None = None
    revision: int = 1 << 30


@dataclass
class _FileContext:
    path: str
    reader: PdfFileReader
    stream: IO[bytes]
    size: int
    options: ValidationOptions
    prep: Prepared
    timing: ValidationTimingInfo
    dss: EmbeddedData
    dss_revision: int | None = None
    xml_reports: list[str] = dataclasses.field(default_factory=list)


def validate_stream(
    path: str,
    stream: IO[bytes],
    size: int,
    options: ValidationOptions,
    prep: Prepared,
    validation_time: datetime,
) -> FileResult:
    try:
        return _validate_reader(path, stream, size, options, prep, validation_time, True)
    except _NeedLenient:
        return _validate_reader(path, stream, size, options, prep, validation_time, False)


class _NeedLenient(Exception):
    """A strict-syntax error surfaced while validating: start over leniently."""


def _validate_reader(
    path: str,
    stream: IO[bytes],
    size: int,
    options: ValidationOptions,
    prep: Prepared,
    validation_time: datetime,
    strict: bool,
) -> FileResult:
    try:
        reader, lenient = _open_reader(stream, size, strict)
    except Unreadable as exc:
        return _file_problem(path, exc.problem, validation_time, size, _sha256(stream))
    timing = ValidationTimingInfo(
        validation_time=validation_time,
        best_signature_time=validation_time,
        point_in_time_validation=options.validation_time is not None,
    )
    file_reasons: list[Reason] = []
    if lenient:
        file_reasons.append(reason("lenient-parsing"))
    try:
        dss = read_dss(reader)
    except Exception:
        dss = EmbeddedData()
    ctx = _FileContext(
        path, reader, stream, size, options, prep, timing, dss, _dss_revision(reader)
    )
    try:
        entries = _collect_entries(ctx)
    except Exception as exc:
        return _file_problem(
            path, Problem("unreadable-pdf", describe(exc)), validation_time, size, _sha256(stream)
        )
    sha = _digest_pass(stream, entries)
    results = [_run_entry(entry, entries, ctx) for entry in entries]
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
    modified_after_last = bool(
        last is not None
        and last.modification is not None
        and last.modification.modified_after_signing
        and last.modification.change_kind is not ChangeKind.LTA_UPDATES
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
        etsi_report_xml=etsi_xml.merge_reports(ctx.xml_reports) if options.etsi_xml else None,
    )


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


_CHUNK = 1024 * 1024


def _digest_pass(stream: IO[bytes], entries: list[_Entry]) -> str:
    """One read of the file for its SHA-256 and every signature's /ByteRange
    digest (handed to pyHanko, which would otherwise read the file again):
    validating a large file costs about one read and hash."""
    jobs: list[tuple[EmbeddedPdfSignature, str, Any, list[tuple[int, int]]]] = []
    for entry in entries:
        emb = entry.emb
        if emb is None:
            continue
        try:
            algo = emb.external_md_algorithm
            if algo in emb.external_digests or algo.startswith("shake"):
                continue
            hasher = hashlib.new(algo)
            start1, len1, start2, len2 = (int(x) for x in emb.byte_range)
        except (ValueError, TypeError, AttributeError):
            continue  # pyHanko computes (or refuses) it itself
        jobs.append((emb, algo, hasher, [(start1, start1 + len1), (start2, start2 + len2)]))
    whole = hashlib.sha256()
    stream.seek(0)
    pos = 0
    # hashlib releases the GIL on large updates: on a big file the whole-file
    # hash runs on a second core while this thread does the signatures'
    side = ThreadPoolExecutor(max_workers=1) if jobs and _big(stream) else None
    pending: Future[None] | None = None
    try:
        while chunk := stream.read(_CHUNK):
            end = pos + len(chunk)
            view = memoryview(chunk)
            if side is not None:
                if pending is not None:
                    pending.result()
                pending = side.submit(whole.update, view)
            else:
                whole.update(view)
            for _, _, hasher, ranges in jobs:
                for lo, hi in ranges:
                    a, b = max(lo, pos), min(hi, end)
                    if a < b:
                        hasher.update(view[a - pos : b - pos])
            pos = end
        if pending is not None:
            pending.result()
    finally:
        if side is not None:
            side.shutdown(wait=True)
    for emb, algo, hasher, _ in jobs:
        emb.external_digests[algo] = hasher.digest()
    return whole.hexdigest()


def _big(stream: IO[bytes]) -> bool:
    try:
        return os.fstat(stream.fileno()).st_size >= 8 * _CHUNK
    except (OSError, AttributeError, ValueError):
        return False


def _sha256(stream: IO[bytes]) -> str:
    stream.seek(0)
    h = hashlib.sha256()
    while chunk := stream.read(1024 * 1024):
        h.update(chunk)
    return h.hexdigest()


def _file_problem(
    path: str, problem: Problem, validation_time: datetime, size: int, sha: str | None
) -> FileResult:
    why = reason(problem.code, detail=problem.detail)
    return FileResult(
        path=path,
        verdict=max(why.severity, Verdict.INDETERMINATE),
        error=why,
        validation_time=validation_time,
        sha256_hex=sha,
        file_bytes=size,
        reasons=(why,),
    )


def _collect_entries(ctx: _FileContext) -> list[_Entry]:
    entries: list[_Entry] = []
    for fq_name, sig_obj_ref, field_ref in enumerate_sig_fields(ctx.reader, filled_status=True):
        try:
            sig_obj = sig_obj_ref.get_object()
        except Exception as exc:
            entries.append(
                _Entry(
                    str(fq_name),
                    None,
                    field_ref,
                    False,
                    None,
                    Problem("signature-unreadable", describe(exc)),
                )
            )
            continue
        if not isinstance(sig_obj, generic.DictionaryObject):
            entries.append(
                _Entry(
                    str(fq_name),
                    sig_obj,
                    field_ref,
                    False,
                    None,
                    Problem("signature-not-dictionary", "The signature value is not a dictionary."),
                )
            )
            continue
        subfilter = _name_or_none(sig_obj.get("/SubFilter"))
        sig_type = _name_or_none(sig_obj.get("/Type"))
        is_ts = sig_type == "/DocTimeStamp" or subfilter == TIMESTAMP_SUBFILTER
        entry = _Entry(str(fq_name), sig_obj, field_ref, is_ts, subfilter)
        entry.problem = check_signature_dictionary(sig_obj, ctx.stream, ctx.size)
        if entry.problem is None:
            try:
                entry.emb = EmbeddedPdfSignature(ctx.reader, field_ref, str(fq_name))
                entry.revision = entry.emb.signed_revision
            except Exception as exc:
                entry.problem = Problem("cms-unreadable", describe(exc))
                entry.problem_code = "cms-unreadable"
        entries.append(entry)
    entries.sort(key=lambda e: e.revision)
    return entries


def _name_or_none(value: Any) -> str | None:
    try:
        return str(value) if value is not None else None
    except Exception:
        return None


def _run_entry(entry: _Entry, entries: list[_Entry], ctx: _FileContext) -> SignatureResult:
    kind = EntryKind.DOCUMENT_TIMESTAMP if entry.is_timestamp else EntryKind.SIGNATURE
    if entry.problem is not None or entry.emb is None:
        problem = entry.problem or Problem("signature-unreadable", "unknown")
        why = reason(entry.problem_code, problem=problem.code, detail=problem.detail)
        return SignatureResult(
            kind=kind,
            field_name=entry.name,
            verdict=Verdict.INVALID,
            indication=Indication.TOTAL_FAILED,
            subindication="FORMAT_FAILURE",
            level=Level.NONE,
            reasons=(why,),
            subfilter=entry.subfilter,
        )
    try:
        entry.emb.compute_digest()
    except Exception as exc:  # unknown digest algorithm, unreadable byte range
        why = reason("cms-unreadable", detail=describe(exc))
        return SignatureResult(
            kind=kind,
            field_name=entry.name,
            verdict=Verdict.INVALID,
            indication=Indication.TOTAL_FAILED,
            subindication="FORMAT_FAILURE",
            level=Level.NONE,
            reasons=(why,),
            subfilter=entry.subfilter,
        )
    try:
        if entry.is_timestamp:
            return asyncio.run(_timestamp(entry, entries, ctx))
        return asyncio.run(_signature(entry, entries, ctx))
    except PdfStrictReadError as exc:
        if ctx.reader.strict:
            raise _NeedLenient() from exc
        return _crashed(entry, kind, exc)
    except _MALFORMED as exc:  # pyHanko choked on the structure: a malformed signature
        why = reason("cms-unreadable", detail=describe(exc))
        return SignatureResult(
            kind=kind,
            field_name=entry.name,
            verdict=Verdict.INVALID,
            indication=Indication.TOTAL_FAILED,
            subindication="FORMAT_FAILURE",
            level=Level.NONE,
            reasons=(why,),
            subfilter=entry.subfilter,
        )
    except Exception as exc:  # anything else: cannot be validated, with the cause
        return _crashed(entry, kind, exc)


#: what pyHanko raises on malformed signatures and files (issue 3: these are
#: INVALID with their cause, never a crash)
_MALFORMED = (AssertionError, KeyError, AttributeError, IndexError, PdfError)


def _crashed(entry: _Entry, kind: EntryKind, exc: BaseException) -> SignatureResult:
    why = reason("validation-error", detail=describe(exc))
    return SignatureResult(
        kind=kind,
        field_name=entry.name,
        verdict=Verdict.INDETERMINATE,
        indication=Indication.INDETERMINATE,
        subindication="GENERIC",
        level=Level.NONE,
        reasons=(why,),
        subfilter=entry.subfilter,
    )


def _responders(ctx: _FileContext, embedded: EmbeddedData, signed_data: Any) -> ResponderFacts:
    pool = [*certs_of(signed_data), *embedded.certs, *ctx.prep.extra_certs]
    try:
        for token in signature_timestamp_tokens(signed_data["signer_infos"][0]):
            pool.extend(certs_of(token["content"]))
    except (ValueError, KeyError, TypeError, IndexError):
        pass
    return check_trusted_responders(embedded.ocsps, ctx.prep.anchor_certs, pool)


def _spec(
    ctx: _FileContext,
    embedded: EmbeddedData,
    as_of: datetime | None = None,
    responders: ResponderFacts | None = None,
) -> SignatureValidationSpec:
    return SignatureValidationSpec(
        cert_validation_policy=ctx.prep.cert_policy,
        revinfo_gathering_policy=ctx.prep.revinfo_spec,
        local_knowledge=embedded.knowledge(
            ctx.prep.extra_certs, responders.assertions if responders else ()
        ),
        key_usage_settings=ctx.prep.key_usage,
        signature_algorithm_policy=SignatureAlgorithmPolicy(as_of),
    )


def _integrity(emb: EmbeddedPdfSignature) -> list[Reason]:
    try:
        emb.compute_integrity_info(diff_policy=DEFAULT_DIFF_POLICY)  # type: ignore[no-untyped-call]
        return []
    except Exception as exc:  # the diff analysis choked: counted as a change not allowed
        if isinstance(exc, PdfStrictReadError) and emb.reader.strict:
            raise
        emb.coverage = emb.coverage or SignatureCoverageLevel.UNCLEAR  # type: ignore[assignment]
        emb.diff_result = None
        emb._integrity_checked = True  # lets pyHanko summarise what we have
        return [reason("unexplained-changes", detail=describe(exc))]


def _modification(emb: EmbeddedPdfSignature, size: int) -> ModificationInfo:
    coverage = emb.coverage
    whole = coverage == SignatureCoverageLevel.ENTIRE_FILE
    diff = emb.diff_result
    if whole:
        kind = ChangeKind.NONE
    elif isinstance(diff, DiffResult):
        kind = {
            ModificationLevel.NONE: ChangeKind.LTA_UPDATES,  # only new revisions, no change
            ModificationLevel.LTA_UPDATES: ChangeKind.LTA_UPDATES,
            ModificationLevel.FORM_FILLING: ChangeKind.FORM_FILLING,
            ModificationLevel.ANNOTATIONS: ChangeKind.ANNOTATIONS,
        }.get(diff.modification_level, ChangeKind.OTHER)
    else:
        kind = ChangeKind.OTHER
    docmdp = emb.docmdp_level
    permitted = kind is not ChangeKind.OTHER
    if docmdp is not None and isinstance(diff, DiffResult) and not whole:
        permitted = permitted and diff.modification_level.value <= docmdp.value
    try:
        br = [int(x) for x in emb.byte_range]
        signed = br[1] + br[3] + (br[2] - br[1])
    except (TypeError, ValueError, IndexError):
        signed = 0
    return ModificationInfo(
        covers_whole_file=whole,
        modified_after_signing=not whole,
        change_kind=kind,
        changes_permitted=permitted,
        signed_bytes=signed,
        file_bytes=size,
        docmdp_level=_docmdp_name(docmdp),
    )


def _docmdp_name(level: Any) -> str | None:
    if level is None:
        return None
    return {1: "no-changes", 2: "form-filling", 3: "annotations"}.get(int(level.value), "other")


def _restricted(emb: EmbeddedPdfSignature) -> bool:
    """Does a certification (DocMDP) or a field lock (FieldMDP) say which
    changes are allowed after this signature?"""
    try:
        return emb.docmdp_level is not None or emb.fieldmdp is not None
    except Exception:  # an unreadable lock dictionary restricts as much as it can
        return True


def _modification_reasons(mod: ModificationInfo, restricted: bool) -> list[Reason]:
    if not mod.modified_after_signing:
        return []
    detail = mod.change_kind.value
    if not mod.changes_permitted:
        return [
            reason("changes-not-permitted" if restricted else "unexplained-changes", detail=detail)
        ]
    severity = (
        Verdict.VALID if mod.change_kind is ChangeKind.LTA_UPDATES else Verdict.VALID_WITH_WARNINGS
    )
    return [reason("modified-after-signing", detail=detail, severity=severity)]


async def _signature(entry: _Entry, entries: list[_Entry], ctx: _FileContext) -> SignatureResult:
    emb = entry.emb
    assert emb is not None
    normalise_signed_data(emb.signed_data)
    extra_reasons = _integrity(emb)
    mod = _modification(emb, ctx.size)
    embedded = ctx.dss.plus(read_revinfo_archival(emb.signer_info))
    # only real /DocTimeStamp objects make an archive timestamp (RFC 3161
    # tokens in /Sig dictionaries are validated as timestamps, nothing more)
    later_docts = [
        e.revision
        for e in entries
        if e.is_timestamp
        and e.emb is not None
        and e.revision > entry.revision
        and e.emb.sig_object_type == "/DocTimeStamp"
    ]
    level = detect_level(
        subfilter=entry.subfilter,
        signer_cert=emb.signer_cert,
        signed_data=emb.signed_data,
        signer_info=emb.signer_info,
        embedded=embedded,
        later_document_timestamps=later_docts,
        dss_revision=ctx.dss_revision,
    )
    responders = _responders(ctx, embedded, emb.signed_data)
    spec = _spec(ctx, embedded, responders=responders)
    has_ts = bool(signature_timestamp_tokens(emb.signer_info))
    result: Any = None
    if later_docts:
        # a document timestamp follows: the LTA process (EN 319 102-1, 5.6.3)
        # can use it as proof of existence. pyHanko's LTA process answers
        # INDETERMINATE for many good B-T / B-LT files, so its answer only
        # stands when it passes or when the simpler process does no better.
        try:
            result = await ades_lta_validation(
                emb,
                # (changes after signing are analysed once, by us, for every entry)
                PdfSignatureValidationSpec(spec, diff_policy=None),
                timing_info=ctx.timing,
            )
            lta_failure = str(getattr(result.ades_subindic, "standard_name", ""))
        except Exception as exc:  # pyHanko's LTA process raised: fall back below
            lta_failure = describe(exc)
    if result is None or not isinstance(result.ades_subindic, AdESPassed):
        if has_ts:
            simple = await _with_time(emb, spec, ctx)
        else:
            # (the basic process builds a plain CMS status: no PDF coverage fields)
            simple = await ades_basic_validation(
                emb.signed_data, spec, timing_info=ctx.timing, raw_digest=emb.compute_digest()
            )
        if result is None or isinstance(simple.ades_subindic, AdESPassed):
            if result is not None and level is Level.B_LTA:
                extra_reasons.append(reason("archive-timestamp-not-used", detail=lta_failure))
            result = simple
    if has_ts and result.ades_subindic in _CRYPTO_FAILURES:
        # a weak algorithm past its sunset: acceptable if the signature
        # timestamp proves the signature existed before (re-checked there;
        # the timestamp itself is validated in the same run)
        proven = _token_time(emb)
        if proven is not None:
            retry = await _with_time(
                emb, _spec(ctx, embedded, as_of=proven, responders=responders), ctx
            )
            if isinstance(retry.ades_subindic, AdESPassed):
                result = retry
                extra_reasons.append(
                    reason(
                        "weak-algorithm-before-sunset",
                        detail=proven.isoformat(),
                        severity=Verdict.VALID_WITH_WARNINGS,
                    )
                )
    if result.ades_subindic is AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND:
        broken = non_ca_issuer(emb.signer_cert, [*certs_of(emb.signed_data), *embedded.certs])
        if broken is not None:
            # no trusted path, and the file's own chain cannot be one either
            result = dataclasses.replace(
                result,
                ades_subindic=AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE,
                failure_msg=(
                    f"The certificate is issued by {broken.subject.human_friendly}, "
                    "which is not a certification authority."
                ),
            )
    if has_ts and isinstance(result.ades_subindic, AdESPassed):
        result = await _past_check(emb, result, spec, ctx)
    details = getattr(result.api_status, "revocation_details", None)
    if (
        result.ades_subindic in (AdESIndeterminate.REVOKED_NO_POE, AdESFailure.REVOKED)
        and details is not None
        and not details.ca_revoked
    ):
        extra_reasons.append(_revoked_reason(emb, details.revocation_date))
    revoked_at = responders.revoked.get(emb.signer_cert.sha256)
    if revoked_at is not None and not isinstance(result.ades_subindic, AdESPassed):
        poe = getattr(result, "best_signature_time", None) or ctx.timing.validation_time
        if poe >= revoked_at:
            # a trusted responder says the signer was revoked before any proof
            # of existence (pyHanko could not use that responder itself)
            result = dataclasses.replace(
                result,
                ades_subindic=AdESIndeterminate.REVOKED_NO_POE,
                failure_msg=f"The signing certificate was revoked on {revoked_at.isoformat()}.",
            )
            extra_reasons.append(_revoked_reason(emb, revoked_at))
    xml = etsi_xml.signature_report(emb, result) if ctx.options.etsi_xml else None
    if xml:
        ctx.xml_reports.append(xml)
    ts_info = await _signature_timestamp_info(emb, result.api_status, ctx, spec)
    return _signature_result(entry, emb, result, level, mod, extra_reasons, ctx, ts_info)


_REVINFO_PROBLEMS = frozenset(
    {
        AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE,
        AdESIndeterminate.TRY_LATER,
        AdESIndeterminate.REVOCATION_OUT_OF_BOUNDS_NO_POE,
    }
)

_CRYPTO_FAILURES = frozenset(
    {
        AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE,
        AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE_NO_POE,
    }
)


def _revoked_reason(emb: EmbeddedPdfSignature, revoked_at: datetime) -> Reason:
    """Revoked, and the signer's own claimed signing time is after the
    revocation too: even by the signer's account the key was already
    revoked. That is INVALID, not merely unproven."""
    claimed = _safe(lambda: emb.self_reported_timestamp)
    severity = (
        Verdict.INVALID if claimed is None or claimed >= revoked_at else Verdict.INDETERMINATE
    )
    return reason(
        "certificate-revoked",
        detail=revoked_at.isoformat(),
        when=revoked_at,
        subject=emb.signer_cert.subject.human_friendly,
        severity=severity,
    )


def _not_after(cert: x509.Certificate) -> datetime:
    value: datetime = cert["tbs_certificate"]["validity"]["not_after"].native
    return value


async def _past_check(
    emb: EmbeddedPdfSignature, result: Any, spec: SignatureValidationSpec, ctx: _FileContext
) -> Any:
    """What pyHanko's with-time process skips for expired certificates
    (EN 319 102-1, 5.5.4): the proven time must fall inside the signer's
    validity, and the chain must hold (revocation included) at that time."""
    poe: datetime | None = getattr(result, "best_signature_time", None)
    if poe is None:
        return result
    signer = emb.signer_cert
    if poe > _not_after(signer):
        return dataclasses.replace(
            result,
            ades_subindic=AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
            failure_msg=(
                f"The signing certificate expired on {_not_after(signer).isoformat()}, "
                f"before the earliest proof of existence ({poe.isoformat()})."
            ),
        )
    path = getattr(result.api_status, "validation_path", None)
    certs = list(path.iter_certs(include_root=False)) if path is not None else [signer]
    if all(_not_after(c) >= ctx.timing.validation_time for c in certs):
        return result
    # a certificate has expired since: validate again at the proven time,
    # with the revocation data from then (the file's, or the cache's)
    timing = ValidationTimingInfo(poe, poe, point_in_time_validation=True)
    past = await ades_with_time_validation(
        emb.signed_data,
        spec,
        timing_info=timing,
        raw_digest=emb.compute_digest(),
        extra_status_kwargs=emb.summarise_integrity_info(),
        status_cls=PdfSignatureStatus,
    )
    if isinstance(past.ades_subindic, AdESPassed):
        return result
    return past


def _token_time(emb: EmbeddedPdfSignature) -> datetime | None:
    """genTime of the first signature timestamp token (not yet validated)."""
    try:
        token = signature_timestamp_tokens(emb.signer_info)[0]
        gen_time: datetime = (
            token["content"]["encap_content_info"]["content"].parsed["gen_time"].native
        )
        return gen_time
    except (IndexError, ValueError, KeyError, TypeError, AttributeError):
        return None


async def _with_time(
    emb: EmbeddedPdfSignature, spec: SignatureValidationSpec, ctx: _FileContext
) -> Any:
    return await ades_with_time_validation(
        emb.signed_data,
        spec,
        timing_info=ctx.timing,
        raw_digest=emb.compute_digest(),
        extra_status_kwargs=emb.summarise_integrity_info(),
        status_cls=PdfSignatureStatus,
    )


def _signature_result(
    entry: _Entry,
    emb: EmbeddedPdfSignature,
    result: Any,
    level: Level,
    mod: ModificationInfo,
    extra_reasons: list[Reason],
    ctx: _FileContext,
    ts_info: TimestampInfo | None,
) -> SignatureResult:
    subindic = result.ades_subindic
    indication = indication_of(subindic)
    reasons: list[Reason] = reasons_for_subindication(subindic, result.failure_msg)
    reasons.extend(extra_reasons)
    restricted = _restricted(emb)
    reasons.extend(_modification_reasons(mod, restricted))
    if ctx.options.revocation_policy is RevocationPolicy.SKIP:
        reasons.append(reason("revocation-not-checked"))
    if ts_info is not None and ts_info.indication is Indication.TOTAL_FAILED:
        # a signature timestamp that does not verify is a forgery sign
        tsa = ts_info.tsa.subject if ts_info.tsa else None
        why = reason("timestamp-invalid", tsa=tsa, detail=ts_info.subindication or "")
        reasons.append(dataclasses.replace(why, severity=Verdict.INVALID))
    signer = emb.signer_cert
    if indication is Indication.INDETERMINATE and result.ades_subindic in _REVINFO_PROBLEMS:
        embedded = ctx.dss.plus(read_revinfo_archival(emb.signer_info))
        if not embedded.covers(signer):
            code = "offline-no-revocation" if ctx.options.offline else "revocation-unavailable"
            reasons.append(
                reason(
                    code,
                    subject=signer.subject.human_friendly,
                    detail=signer.subject.human_friendly,
                )
            )
    status = result.api_status
    verdict = verdict_for(indication, mod.change_kind, mod.changes_permitted, restricted, reasons)
    best_time = getattr(result, "best_signature_time", None)
    if ts_info is not None and ts_info.trusted and best_time is None:
        best_time = ts_info.time
    return SignatureResult(
        kind=EntryKind.SIGNATURE,
        field_name=entry.name,
        verdict=verdict,
        indication=indication,
        subindication=subindication_name(subindic),
        level=level,
        reasons=tuple(_dedupe(reasons)),
        signer=certificate_info(signer, ctx.prep.anchor_tags.get(signer.sha256)),
        signer_kind=signer_kind(signer),
        digest_algorithm=digest_algorithm(emb.signer_info),
        signature_algorithm=signature_algorithm(emb.signer_info),
        subfilter=entry.subfilter,
        claimed_time=_safe(lambda: emb.self_reported_timestamp),
        signature_timestamp=ts_info,
        best_time=best_time if indication is not Indication.TOTAL_FAILED else None,
        chain=_chain(status, signer, indication, subindic, ctx, emb),
        intact=bool(status is not None and status.intact),
        modification=mod,
        reason=_text(entry.sig_obj, "/Reason"),
        location=_text(entry.sig_obj, "/Location"),
        contact=_text(entry.sig_obj, "/ContactInfo"),
    )


def _dedupe(reasons: list[Reason]) -> list[Reason]:
    seen: set[tuple[str, str]] = set()
    out: list[Reason] = []
    for r in reasons:
        if (r.code, r.en) not in seen:
            seen.add((r.code, r.en))
            out.append(r)
    return out


def _safe(fn: Any) -> Any:
    try:
        return fn()
    except Exception:
        return None


def _text(sig_obj: Any, key: str) -> str | None:
    try:
        value = sig_obj.get(key)
        return str(value) if value is not None else None
    except Exception:
        return None


async def _signature_timestamp_info(
    emb: EmbeddedPdfSignature, status: Any, ctx: _FileContext, spec: SignatureValidationSpec
) -> TimestampInfo | None:
    ts_status = getattr(status, "timestamp_validity", None) if status is not None else None
    if ts_status is not None:
        cert = ts_status.signing_cert
        ok = bool(ts_status.intact and ts_status.valid)
        return TimestampInfo(
            time=ts_status.timestamp,
            tsa=certificate_info(cert, ctx.prep.anchor_tags.get(cert.sha256)) if cert else None,
            intact=ok,
            trusted=bool(ok and ts_status.trusted),
            indication=(
                Indication.TOTAL_PASSED
                if ok and ts_status.trusted
                else Indication.INDETERMINATE
                if ok
                else Indication.TOTAL_FAILED
            ),
        )
    tokens = signature_timestamp_tokens(emb.signer_info)
    if not tokens:
        return None
    # the signature's own process stopped before looking at its timestamp:
    # validate the token by itself (EN 319 102-1, 5.4), over the signature value
    signature_value = bytes(emb.signer_info["signature"].native)
    try:
        tst_sd = tokens[0]["content"]
        normalise_signed_data(tst_sd)
        res = await ades_timestamp_validation(
            tst_sd,
            spec,
            lambda algo: hashlib.new(algo, signature_value).digest(),
            timing_info=ctx.timing,
        )
        gen_time = tst_sd["encap_content_info"]["content"].parsed["gen_time"].native
    except Exception:  # an unreadable token: nothing to report about it
        return None
    st = res.api_status
    cert = getattr(st, "signing_cert", None)
    indication = indication_of(res.ades_subindic)
    return TimestampInfo(
        time=gen_time,
        tsa=certificate_info(cert, ctx.prep.anchor_tags.get(cert.sha256)) if cert else None,
        intact=bool(st is not None and st.intact and st.valid),
        trusted=indication is Indication.TOTAL_PASSED,
        indication=indication,
        subindication=subindication_name(res.ades_subindic),
    )


def _chain(
    status: Any,
    signer: x509.Certificate,
    indication: Indication,
    subindic: Any,
    ctx: _FileContext,
    emb: EmbeddedPdfSignature,
) -> tuple[ChainElement, ...]:
    path = getattr(status, "validation_path", None) if status is not None else None
    certs: list[x509.Certificate]
    if path is not None:
        try:
            certs = list(path.iter_certs(include_root=True))
            certs.reverse()  # leaf first
        except Exception:
            certs = [signer]
    else:
        certs = [signer]
    embedded = ctx.dss.plus(read_revinfo_archival(emb.signer_info))
    revoked = getattr(status, "revocation_details", None) if status is not None else None
    skip = ctx.options.revocation_policy is RevocationPolicy.SKIP
    out: list[ChainElement] = []
    for i, cert in enumerate(certs):
        tag = ctx.prep.anchor_tags.get(cert.sha256)
        is_anchor = tag is not None or (path is not None and i == len(certs) - 1)
        info = certificate_info(cert, tag)
        if is_anchor:
            out.append(
                ChainElement(
                    info, RevocationStatus.NOT_CHECKED, RevocationSource.NOT_NEEDED, None, True
                )
            )
            continue
        source = _revocation_source(cert, embedded, ctx, path is not None and not skip)
        if revoked is not None and (revoked.ca_revoked == (i > 0)):
            rstatus = RevocationStatus.REVOKED
            rtime = revoked.revocation_date
        elif skip or path is None:
            rstatus, rtime = RevocationStatus.NOT_CHECKED, None
        elif indication is Indication.TOTAL_PASSED:
            rstatus, rtime = RevocationStatus.GOOD, None
        elif subindic in (AdESIndeterminate.TRY_LATER,) or source is RevocationSource.NOT_AVAILABLE:
            rstatus, rtime = RevocationStatus.UNKNOWN, None
        else:
            rstatus, rtime = RevocationStatus.UNKNOWN, None
        out.append(ChainElement(info, rstatus, source, rtime, False))
    return tuple(out)


def _revocation_source(
    cert: x509.Certificate, embedded: EmbeddedData, ctx: _FileContext, validated: bool
) -> RevocationSource:
    if embedded.covers(cert):
        return RevocationSource.EMBEDDED
    if ctx.options.offline or not validated:
        return RevocationSource.NOT_AVAILABLE
    # pyHanko fetched what it needed: OCSP when the certificate names a
    # responder, else the CRL
    try:
        if cert.ocsp_urls:
            return RevocationSource.FETCHED_OCSP
        if cert.crl_distribution_points:
            return RevocationSource.FETCHED_CRL
    except (ValueError, KeyError):
        pass
    return RevocationSource.NOT_AVAILABLE


async def _timestamp(entry: _Entry, entries: list[_Entry], ctx: _FileContext) -> SignatureResult:
    emb = entry.emb
    assert emb is not None
    normalise_signed_data(emb.signed_data)
    extra_reasons = _integrity(emb)
    mod = _modification(emb, ctx.size)
    spec = _spec(ctx, ctx.dss)
    result = await ades_timestamp_validation(
        emb.signed_data, spec, emb.compute_digest, timing_info=ctx.timing
    )
    if isinstance(result.ades_subindic, AdESIndeterminate):
        # a later document timestamp proves this one existed at its time:
        # validate there (the archive-timestamp chain of PAdES B-LTA)
        later = await _later_poe(entry, entries, ctx, spec)
        if later is not None:
            timing = ValidationTimingInfo(later, later, point_in_time_validation=True)
            retry = await ades_timestamp_validation(
                emb.signed_data, spec, emb.compute_digest, timing_info=timing
            )
            if isinstance(retry.ades_subindic, AdESPassed):
                result = retry
                extra_reasons.append(
                    reason(
                        "validated-at-later-timestamp",
                        detail=later.isoformat(),
                        severity=Verdict.VALID,
                    )
                )
    subindic = result.ades_subindic
    indication = indication_of(subindic)
    reasons = reasons_for_subindication(subindic, result.failure_msg)
    reasons.extend(extra_reasons)
    restricted = _restricted(emb)
    reasons.extend(_modification_reasons(mod, restricted))
    verdict = verdict_for(indication, mod.change_kind, mod.changes_permitted, restricted, reasons)
    status = result.api_status
    cert = _safe(lambda: emb.signer_cert)
    tst_time = _safe(
        lambda: emb.signed_data["encap_content_info"]["content"].parsed["gen_time"].native
    )
    token = TimestampInfo(
        time=tst_time,
        tsa=certificate_info(cert, ctx.prep.anchor_tags.get(cert.sha256)) if cert else None,
        intact=bool(status is not None and status.intact and status.valid),
        trusted=indication is Indication.TOTAL_PASSED,
        indication=indication,
        subindication=subindication_name(subindic),
    )
    return SignatureResult(
        kind=EntryKind.DOCUMENT_TIMESTAMP,
        field_name=entry.name,
        verdict=verdict,
        indication=indication,
        subindication=subindication_name(subindic),
        level=Level.NONE,
        reasons=tuple(_dedupe(reasons)),
        signer=token.tsa,
        digest_algorithm=digest_algorithm(emb.signer_info),
        signature_algorithm=signature_algorithm(emb.signer_info),
        subfilter=entry.subfilter,
        claimed_time=tst_time,
        signature_timestamp=token,
        best_time=tst_time if indication is Indication.TOTAL_PASSED else None,
        chain=_chain(status, cert, indication, subindic, ctx, emb) if cert else (),
        intact=token.intact,
        modification=mod,
    )


async def _later_poe(
    entry: _Entry, entries: list[_Entry], ctx: _FileContext, spec: SignatureValidationSpec
) -> datetime | None:
    """The time of the nearest later document timestamp that validates now."""
    for other in entries:
        if not other.is_timestamp or other.emb is None or other.revision <= entry.revision:
            continue
        try:
            normalise_signed_data(other.emb.signed_data)
            res = await ades_timestamp_validation(
                other.emb.signed_data, spec, other.emb.compute_digest, timing_info=ctx.timing
            )
        except Exception:
            continue
        if isinstance(res.ades_subindic, AdESPassed):
            gen_time: datetime = (
                other.emb.signed_data["encap_content_info"]["content"].parsed["gen_time"].native
            )
            return gen_time
    return None


__all__ = ["Prepared", "prepared", "validate_stream"]
