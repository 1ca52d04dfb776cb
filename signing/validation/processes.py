"""The ETSI EN 319 102-1 processes for one entry: basic, with-time or LTA
for a signature (chosen by its level), timestamp validation for a document
timestamp; plus what pyHanko leaves out (past validation of expired
signers, proof of existence for weak algorithms, trusted OCSP responders).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any

from asn1crypto import core, x509
from pyhanko.pdf_utils.misc import PdfStrictReadError
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate, AdESPassed
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
    digest_algorithm,
    signature_algorithm,
    signature_timestamp_tokens,
)
from signing.certs.key_usage import key_usage_reasons
from signing.certs.summary import certificate_info
from signing.model.reasons import weak_algorithm_dated
from signing.model.results import (
    EntryKind,
    Indication,
    Level,
    ModificationInfo,
    Reason,
    SignatureResult,
    TimestampInfo,
    Verdict,
)
from signing.pdf.limits import PdfLimitExceeded
from signing.thirdparty_internals import mark_integrity_checked
from signing.validation.algorithms import SignatureAlgorithmPolicy, weak_choices
from signing.validation.context import Entry, FileContext, is_archive_timestamp, path_ders
from signing.validation.der_check import der_problem
from signing.validation.entry_facts import (
    chain_elements,
    dedupe,
    entry_reasons,
    file_changes,
    missing_revocation_reason,
    modification_info,
    named_changes,
    safe,
    signature_result,
    signature_timestamp_info,
)
from signing.validation.hostile import describe
from signing.validation.level import (
    EmbeddedData,
    certs_of,
    detect_level,
    non_ca_issuer,
    read_revinfo_archival,
)
from signing.validation.plain_ecdsa import normalise_plain_ecdsa
from signing.validation.tolerant_certs import normalise_signed_data
from signing.validation.trusted_responders import ResponderFacts, check_trusted_responders
from signing.validation.verdict import (
    consistent_indication,
    reason,
    subindication_name,
    verdict_for,
)


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
    """What every entry starts with: its signed data made readable, the
    integrity and difference analysis, and the changes after signing."""
    emb = entry.emb
    assert emb is not None
    normalise_signed_data(emb.signed_data)
    normalise_plain_ecdsa(emb.signed_data)
    extra_reasons = integrity(emb, ctx)
    mod = modification_info(emb, ctx.size)
    if mod.covers_whole_file and file_changes(ctx).trailing():
        # the file was read up to its last update (junk after it ended in
        # %%EOF too): the signature covers that much, not the whole file
        mod = dataclasses.replace(mod, covers_whole_file=False, modified_after_signing=True)
    return emb, extra_reasons, mod


async def validate_signature_entry(
    entry: Entry, entries: list[Entry], ctx: FileContext
) -> SignatureResult:
    emb, extra_reasons, mod = _checked(entry, ctx)
    # (before the validation, which may leave the attributes re-encoded)
    not_der = _signed_attributes_not_der(emb)
    embedded = ctx.dss.plus(read_revinfo_archival(emb.signer_info))
    later_docts = [
        e.revision for e in entries if e.revision > entry.revision and is_archive_timestamp(e)
    ]
    level = detect_level(
        subfilter=entry.subfilter,
        signer_cert=emb.signer_cert,
        signed_data=emb.signed_data,
        signer_info=emb.signer_info,
        embedded=embedded,
        later_document_timestamps=later_docts,
        dss_revision=ctx.dss_revision,
        anchors=ctx.prep.anchor_digests,
    )
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
    ts_info = await signature_timestamp_info(emb, result.api_status, ctx, spec, entry)
    entry.path_ders = path_ders(result.api_status, bytes(emb.signer_cert.dump()))
    out = signature_result(entry, emb, result, level, mod, extra_reasons, ctx, ts_info)
    if not_der is not None:
        # the document was not changed: only the attributes' encoding is wrong
        kept = tuple(r for r in out.reasons if r.code != "hash-mismatch")
        out = dataclasses.replace(out, reasons=kept, intact=False)
    return out


def _signed_attributes_not_der(emb: EmbeddedPdfSignature) -> Reason | None:
    """The reason when the signer's signed attributes are not DER-encoded."""
    try:
        attrs = emb.signer_info["signed_attrs"]
        if isinstance(attrs, core.Void):
            return None
        problem = der_problem(attrs.dump())
    except (ValueError, KeyError, TypeError):
        return None
    return None if problem is None else reason("signed-attributes-not-der", detail=problem)


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
        subject=emb.signer_cert.subject.human_friendly,
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


async def validate_timestamp_entry(
    entry: Entry, entries: list[Entry], ctx: FileContext
) -> SignatureResult:
    emb, extra_reasons, mod = _checked(entry, ctx)
    spec = _spec(ctx, ctx.dss)
    result = await ades_timestamp_validation(
        emb.signed_data, spec, emb.compute_digest, timing_info=ctx.timing
    )
    best_time = ctx.timing.validation_time  # (for the ETSI report)
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
                result, best_time = retry, later
                extra_reasons.append(
                    reason(
                        "validated-at-later-timestamp",
                        detail=later.isoformat(),
                        severity=Verdict.VALID,
                    )
                )
    subindic = result.ades_subindic
    changes = named_changes(ctx, emb) if mod.modified_after_signing else ()
    indication, reasons, restricted = entry_reasons(result, emb, mod, extra_reasons, changes)
    missing = missing_revocation_reason(indication, subindic, emb, ctx, result.api_status)
    if missing is not None:
        reasons.insert(0, missing)
    verdict = verdict_for(indication, mod.change_kind, mod.changes_permitted, restricted, reasons)
    indication, subindication = consistent_indication(
        verdict, indication, subindication_name(subindic), reasons
    )
    if ctx.options.etsi_xml:
        # (loaded on first use: its XML bindings cost ~5 MiB a process)
        from signing.validation import etsi_timestamps

        outcome = etsi_timestamps.TimestampOutcome(
            indication, subindication, ctx.timing.validation_time, best_time
        )
        xml = etsi_timestamps.timestamp_objects(entry, entries, result, outcome)
        if xml:
            ctx.xml_objects.append(xml)
    status = result.api_status
    cert = safe(lambda: emb.signer_cert)
    if cert is not None:
        entry.path_ders = path_ders(status, bytes(cert.dump()))
    tst_time = safe(
        lambda: emb.signed_data["encap_content_info"]["content"].parsed["gen_time"].native
    )
    token = TimestampInfo(
        time=tst_time,
        tsa=certificate_info(cert, ctx.prep.anchor_tags.get(cert.sha256)) if cert else None,
        intact=bool(status is not None and status.intact and status.valid),
        trusted=indication is Indication.TOTAL_PASSED,
        indication=indication,
        subindication=subindication,
    )
    return SignatureResult(
        kind=EntryKind.DOCUMENT_TIMESTAMP,
        field_name=entry.name,
        verdict=verdict,
        indication=indication,
        subindication=subindication,
        level=Level.NONE,
        reasons=tuple(dedupe(reasons)),
        signer=token.tsa,
        digest_algorithm=digest_algorithm(emb.signer_info),
        signature_algorithm=signature_algorithm(emb.signer_info),
        subfilter=entry.subfilter,
        claimed_time=tst_time,
        signature_timestamp=token,
        best_time=tst_time if indication is Indication.TOTAL_PASSED else None,
        chain=chain_elements(status, cert, indication, subindic, ctx, emb) if cert else (),
        intact=token.intact,
        modification=mod,
    )


async def _later_poe(
    entry: Entry, entries: list[Entry], ctx: FileContext, spec: SignatureValidationSpec
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
