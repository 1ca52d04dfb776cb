"""The ETSI EN 319 102-1 processes for one entry: basic, with-time or LTA
for a signature (chosen by its level), timestamp validation for a document
timestamp; plus what pyHanko leaves out (past validation of expired
signers, proof of existence for weak algorithms, trusted OCSP responders).

Second step of the walk (:mod:`signing.validation.pipeline`): for each
entry, integrity first (the signed bytes and the changes after signing),
then the certificate and trust (pyHanko's process), then time and
revocation (proven time, past validation, revocation). It answers with a
:class:`ProcessOutcome`, pyHanko's own terms; turning that into the model is
:mod:`signing.validation.entry_facts`'s step, never called from here.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from asn1crypto import x509
from pyhanko.pdf_utils.misc import PdfStrictReadError
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate, AdESPassed
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.diff_analysis.policy_api import DiffResult
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
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo

from signing.certs.cms import (
    signature_timestamp_tokens,
)
from signing.certs.key_usage import key_usage_reasons
from signing.certs.summary import common_name
from signing.model.reasons import weak_algorithm_dated
from signing.model.reasons.changes import Change
from signing.model.results import ChangeKind, Level, ModificationInfo, Reason, Verdict
from signing.pdf.limits import PdfLimitExceeded
from signing.thirdparty_internals import mark_integrity_checked
from signing.validation.algorithms import SignatureAlgorithmPolicy, weak_choices
from signing.validation.change_facts import FileChanges
from signing.validation.context import (
    Entry,
    FileContext,
    OfflineFetcherBackend,
    is_archive_timestamp,
    path_ders,
)
from signing.validation.embedded import EmbeddedData, certs_of, non_ca_issuer
from signing.validation.hostile import describe, safe
from signing.validation.signed_bytes import signed_revision
from signing.validation.tolerant_certs import normalise_signed_data
from signing.validation.trusted_responders import ResponderFacts, check_trusted_responders
from signing.validation.verdict import reason
from signing.validation.walk import EntryTask, ProcessOutcome, TokenCheck


def _responders(ctx: FileContext, embedded: EmbeddedData, signed_data: Any) -> ResponderFacts:
    pool = [*certs_of(signed_data), *embedded.certs, *ctx.prep.extra_certs]
    try:
        for token in signature_timestamp_tokens(signed_data["signer_infos"][0]):
            pool.extend(certs_of(token["content"]))
    except (ValueError, KeyError, TypeError, IndexError):
        pass
    return check_trusted_responders(embedded.ocsps, ctx.prep.responder_certs, pool)


def _spec(
    ctx: FileContext,
    embedded: EmbeddedData,
    as_of: datetime | None = None,
    responders: ResponderFacts | None = None,
) -> SignatureValidationSpec:
    return SignatureValidationSpec(
        cert_validation_policy=ctx.prep.cert_policy,
        revinfo_gathering_policy=ctx.revinfo_spec(),
        local_knowledge=embedded.knowledge(
            ctx.prep.extra_certs, responders.assertions if responders else ()
        ),
        key_usage_settings=ctx.prep.key_usage,
        signature_algorithm_policy=SignatureAlgorithmPolicy(as_of),
    )


def integrity(emb: EmbeddedPdfSignature, ctx: FileContext) -> list[Reason]:
    try:
        emb.compute_integrity_info(diff_policy=ctx.diffs)  # type: ignore[no-untyped-call]
        return []
    except Exception as exc:  # the diff analysis choked: counted as a change not allowed
        if isinstance(exc, PdfStrictReadError) and emb.reader.strict:
            raise
        emb.coverage = emb.coverage or SignatureCoverageLevel.UNCLEAR  # type: ignore[assignment]
        emb.diff_result = None
        mark_integrity_checked(emb)  # lets pyHanko summarise what we have
        if isinstance(exc, PdfLimitExceeded):  # (the cause, not a guess at one)
            return [reason(exc.code, detail=exc.detail)]
        return [reason("unexplained-changes", detail=describe(exc))]


def _checked(
    entry: Entry, ctx: FileContext
) -> tuple[EmbeddedPdfSignature, list[Reason], ModificationInfo]:
    """What every entry starts with (its signed data already made readable
    by the pipeline): the integrity and difference analysis, and the changes
    after signing."""
    emb = entry.emb
    assert emb is not None
    extra_reasons = integrity(emb, ctx)
    mod = modification_info(emb, ctx.size)
    if mod.covers_whole_file and file_changes(ctx).trailing():
        # the file was read up to its last update (junk after it ended in
        # %%EOF too): the signature covers that much, not the whole file
        mod = dataclasses.replace(mod, covers_whole_file=False, modified_after_signing=True)
    return emb, extra_reasons, mod


async def validate_signature_entry(task: EntryTask, ctx: FileContext) -> ProcessOutcome:
    entry, entries, embedded, level = task.entry, task.entries, task.embedded, task.level
    emb, extra_reasons, mod = _checked(entry, ctx)
    not_der = reason("signed-attributes-not-der", detail=task.not_der) if task.not_der else None
    responders = _responders(ctx, embedded, emb.signed_data)
    spec = _spec(ctx, embedded, responders=responders)
    has_ts = bool(signature_timestamp_tokens(emb.signer_info))
    result: Any = None
    # (pyHanko's LTA process sees only dictionaries typed /DocTimeStamp)
    if any(e.revision > entry.revision and _typed_doc_timestamp(e) for e in entries):
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
    if has_ts and result.ades_subindic is AdESIndeterminate.TRY_LATER:
        proof = _ProvenTimeProof(embedded, responders, extra_reasons)
        result = await _at_proven_time(emb, spec, ctx, result, proof)
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
    if result.ades_subindic in _CRYPTO_FAILURES:
        weak = _weak_reason(emb, ctx)
        if weak is not None:
            extra_reasons.append(weak)
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
    signer_revoked_at = None
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
            signer_revoked_at = revoked_at
    # DSS's default policy: a signer without nonRepudiation is a warning
    extra_reasons.extend(key_usage_reasons(emb.signer_cert))
    if not_der is not None and (
        not isinstance(result.ades_subindic, AdESFailure)
        or result.ades_subindic is AdESFailure.SIG_CRYPTO_FAILURE
    ):
        # signed over bytes a DER re-encoding does not give: as EU DSS, HASH_FAILURE
        result = dataclasses.replace(
            result, ades_subindic=AdESFailure.HASH_FAILURE, failure_msg=not_der.en
        )
    if not_der is not None:
        extra_reasons.append(not_der)
    xml = None
    if ctx.options.etsi_xml:
        # (as in pipeline._etsi_report: the ETSI classes only when asked for)
        from signing.validation import etsi_xml

        xml = etsi_xml.signature_report(emb, result)
    if xml:
        ctx.xml_reports[entry.name] = xml
    token = await _check_token(emb, result.api_status, ctx, spec, entry)
    entry.path_ders = path_ders(result.api_status, bytes(emb.signer_cert.dump()))
    return ProcessOutcome(
        task=task,
        emb=emb,
        result=result,
        modification=mod,
        changes=named_changes(ctx, emb) if mod.modified_after_signing else (),
        reasons=tuple(extra_reasons),
        token=token,
        not_der=not_der,
        revoked_at=signer_revoked_at,
    )


async def _check_token(
    emb: EmbeddedPdfSignature,
    status: Any,
    ctx: FileContext,
    spec: SignatureValidationSpec,
    entry: Entry,
) -> TokenCheck | None:
    """The signature timestamp; its TSA certificate and validated path go to
    ``entry.tsa_ders`` (for the trust layers)."""
    ts_status = getattr(status, "timestamp_validity", None) if status is not None else None
    if ts_status is not None:
        cert = ts_status.signing_cert
        if cert is not None:
            tsa = bytes(cert.dump())
            entry.tsa_ders = (tsa, *path_ders(ts_status, tsa))
        return TokenCheck(ts_status, ts_status.timestamp)
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
    if cert is not None:
        tsa = bytes(cert.dump())
        entry.tsa_ders = (tsa, *path_ders(st, tsa))
    return TokenCheck(st, gen_time, res.ades_subindic)


def modification_info(emb: EmbeddedPdfSignature, size: int) -> ModificationInfo:
    """What the signature covers, and what the changes after it amount to
    (pyHanko's difference analysis, checked against a DocMDP lock)."""
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


def file_changes(ctx: FileContext) -> FileChanges:
    if ctx.changes is None:
        ctx.changes = FileChanges(ctx.reader, ctx.stream, ctx.size)
    return ctx.changes


def named_changes(ctx: FileContext, emb: EmbeddedPdfSignature) -> tuple[Change, ...]:
    """What the updates after this signature's revision contain (computed
    once per revision for the file)."""
    base = signed_revision(ctx.reader, emb.byte_range)
    if base is None:
        base = emb.signed_revision
    return file_changes(ctx).after(base)


def _typed_doc_timestamp(entry: Entry) -> bool:
    return is_archive_timestamp(entry) and safe(
        lambda: entry.emb is not None and entry.emb.sig_object_type == "/DocTimeStamp"
    )


_CRYPTO_FAILURES = frozenset(
    {
        AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE,
        AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE_NO_POE,
    }
)


def _weak_reason(emb: EmbeddedPdfSignature, ctx: FileContext) -> Reason | None:
    """The weak-algorithm reason naming the signature's weak choices, their dates and
    the signing time, when they can be told (else the generic one stays)."""
    proven = _token_time(emb)
    signed = proven or safe(lambda: emb.self_reported_timestamp)
    digest = safe(lambda: str(emb.signer_info["digest_algorithm"]["algorithm"].native))
    key = safe(lambda: emb.signer_cert.public_key)
    choices = weak_choices(digest, key, proven or ctx.timing.validation_time)
    if not choices:
        return None
    return weak_algorithm_dated(choices, signed, proven=proven is not None)


def _revoked_reason(emb: EmbeddedPdfSignature, revoked_at: datetime) -> Reason:
    """Revoked, and the signer's own claimed signing time is after the
    revocation too: even by the signer's account the key was already
    revoked. That is INVALID, not merely unproven."""
    claimed = safe(lambda: emb.self_reported_timestamp)
    severity = (
        Verdict.INVALID if claimed is None or claimed >= revoked_at else Verdict.INDETERMINATE
    )
    return reason(
        "certificate-revoked",
        detail=revoked_at.isoformat(),
        when=revoked_at,
        subject=common_name(emb.signer_cert),  # (not the DN's English attribute names)
        severity=severity,
    )


def _not_after(cert: x509.Certificate) -> datetime:
    value: datetime = cert["tbs_certificate"]["validity"]["not_after"].native
    return value


async def _past_check(
    emb: EmbeddedPdfSignature, result: Any, spec: SignatureValidationSpec, ctx: FileContext
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


async def _at_proven_time(
    emb: EmbeddedPdfSignature,
    spec: SignatureValidationSpec,
    ctx: FileContext,
    result: Any,
    proof: _ProvenTimeProof,
) -> Any:
    """A timestamped signature whose revocation data is too old for the
    validation time (OCSP responses live minutes to days; a B-LT file keeps
    the ones from its signing). EN 319 102-1 (5.2.5.4) judges freshness
    against a time the signature is known to have existed, when there is
    one: the signature timestamp's, once that timestamp is valid and
    trusted now. So the chain is validated again at that proven time, on
    the file's own data (nothing fetched). With a freshness of zero, as that
    clause puts it, only data issued after that time may vouch for the
    signer: a response from before a revocation, still "fresh" a day later,
    cannot whitewash a signature made after it. Kept only when it passes."""
    # pyHanko's with-time process gets as far as TRY_LATER for the signer
    # only after the signature timestamp passed, and then reports the
    # token's time as the best signature time (else the clock's "now")
    proven: datetime | None = getattr(result, "best_signature_time", None)
    if proven is None or proven != _token_time(emb) or proven >= ctx.timing.validation_time:
        return result
    if not proof.embedded.covers(emb.signer_cert, issued_since=proven - _ISSUE_SLACK):
        return result
    revoked_at = proof.responders.revoked.get(emb.signer_cert.sha256)
    if revoked_at is not None and revoked_at <= proven:
        return result
    try:
        retry = await ades_with_time_validation(
            emb.signed_data,
            dataclasses.replace(spec, revinfo_gathering_policy=_LOCAL_ONLY),
            timing_info=ValidationTimingInfo(proven, proven, point_in_time_validation=True),
            raw_digest=emb.compute_digest(),
            extra_status_kwargs=emb.summarise_integrity_info(),
            status_cls=PdfSignatureStatus,
        )
    except Exception:  # pyHanko's process raised: the first answer stands
        return result
    if not isinstance(retry.ades_subindic, AdESPassed):
        return result
    proof.reasons.append(reason("validated-at-signature-time", when=proven))
    # the reports keep the validation time asked for; the chain is the retry's
    status: Any = retry.api_status
    if status is not None:
        status = dataclasses.replace(status, validation_time=ctx.timing.validation_time)
    return dataclasses.replace(retry, api_status=status)


@dataclasses.dataclass(frozen=True)
class _ProvenTimeProof:
    """What :func:`_at_proven_time` checks besides the chain: the file's own
    revocation data, the trusted responders' answers; and where it says why."""

    embedded: EmbeddedData
    responders: ResponderFacts
    reasons: list[Reason]


#: revocation data carries whole seconds, and is fetched just after the
#: timestamp: issued up to this long before the proven time still counts
_ISSUE_SLACK = timedelta(seconds=60)


_LOCAL_ONLY = RevocationInfoGatheringSpec(
    online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY,
    fetcher_backend=OfflineFetcherBackend(),  # (see context.OfflineFetcherBackend)
    certificate_fetching_rule=CertificateFetchingRule.NEVER_FETCH,
)


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
    emb: EmbeddedPdfSignature, spec: SignatureValidationSpec, ctx: FileContext
) -> Any:
    return await ades_with_time_validation(
        emb.signed_data,
        spec,
        timing_info=ctx.timing,
        raw_digest=emb.compute_digest(),
        extra_status_kwargs=emb.summarise_integrity_info(),
        status_cls=PdfSignatureStatus,
    )


async def validate_timestamp_entry(task: EntryTask, ctx: FileContext) -> ProcessOutcome:
    entry = task.entry
    emb, extra_reasons, mod = _checked(entry, ctx)
    spec = _spec(ctx, ctx.dss)
    result = await ades_timestamp_validation(
        emb.signed_data, spec, emb.compute_digest, timing_info=ctx.timing
    )
    best_time = ctx.timing.validation_time  # (for the ETSI report)
    if isinstance(result.ades_subindic, AdESIndeterminate):
        # a later document timestamp proves this one existed at its time:
        # validate there (the archive-timestamp chain of PAdES B-LTA)
        later = await _later_poe(entry, task.entries, ctx, spec)
        if later is not None:
            timing = ValidationTimingInfo(later, later, point_in_time_validation=True)
            retry = await ades_timestamp_validation(
                emb.signed_data, spec, emb.compute_digest, timing_info=timing
            )
            if isinstance(retry.ades_subindic, AdESPassed):
                result, best_time = retry, later
                extra_reasons.append(
                    reason(
                        "validated-at-later-timestamp",
                        detail=later.isoformat(),
                        severity=Verdict.VALID,
                    )
                )
    changes = named_changes(ctx, emb) if mod.modified_after_signing else ()
    cert = safe(lambda: emb.signer_cert)
    if cert is not None:
        entry.path_ders = path_ders(result.api_status, bytes(cert.dump()))
    return ProcessOutcome(
        task=task,
        emb=emb,
        result=result,
        modification=mod,
        changes=changes,
        reasons=tuple(extra_reasons),
        best_time=best_time,
    )


async def _later_poe(
    entry: Entry, entries: Sequence[Entry], ctx: FileContext, spec: SignatureValidationSpec
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
