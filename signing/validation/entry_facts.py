"""From pyHanko's results to the model: modifications, the chain with
revocation status and source, the signature timestamp, the reasons."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from typing import Any

from asn1crypto import x509
from pyhanko.pdf_utils import generic
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.diff_analysis.policy_api import DiffResult
from pyhanko.sign.validation import generic_cms
from pyhanko.sign.validation.ades import (
    ades_timestamp_validation,
)
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.policy_decl import (
    SignatureValidationSpec,
)
from pyhanko.sign.validation.status import SignatureCoverageLevel

from signing.certs.cms import (
    digest_algorithm,
    signature_algorithm,
    signature_timestamp_tokens,
)
from signing.certs.summary import certificate_info, signer_kind
from signing.model.reasons import changes as change_reasons
from signing.model.reasons.changes import Change
from signing.model.results import (
    ChainElement,
    ChangeKind,
    EntryKind,
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
from signing.validation.change_facts import FileChanges
from signing.validation.context import Entry, FileContext, path_ders
from signing.validation.level import (
    EmbeddedData,
    read_revinfo_archival,
)
from signing.validation.options import RevocationPolicy
from signing.validation.signed_bytes import (
    signed_dictionary,
    signed_revision,
    stated_entries_changed,
)
from signing.validation.tolerant_certs import normalise_signed_data
from signing.validation.verdict import (
    consistent_indication,
    indication_of,
    reason,
    reasons_for_subindication,
    subindication_name,
    verdict_for,
)


def modification_info(emb: EmbeddedPdfSignature, size: int) -> ModificationInfo:
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


def modification_reasons(
    mod: ModificationInfo, restricted: bool, changes: Sequence[Change] = ()
) -> list[Reason]:
    """The changes after signing, named where :mod:`change_facts` could:
    content changed after a signature with no lock is INVALID; changes
    nothing explains, INDETERMINATE; named updates a warning each."""
    if not mod.modified_after_signing:
        return []
    detail = mod.change_kind.value
    out: list[Reason] = []
    content = change_reasons.content_changed(changes)
    if not mod.changes_permitted:
        if restricted:
            out.append(reason("changes-not-permitted", detail=detail))
            if content is not None:
                out.append(content)
        else:
            out.append(content if content is not None else change_reasons.unexplained(changes))
    elif not (mod.change_kind is ChangeKind.LTA_UPDATES and _only_trailing(changes)):
        severity = (
            Verdict.VALID
            if mod.change_kind is ChangeKind.LTA_UPDATES
            else Verdict.VALID_WITH_WARNINGS
        )
        out.append(reason("modified-after-signing", detail=detail, severity=severity))
    out.extend(change_reasons.warnings(changes))
    return out


def _only_trailing(changes: Sequence[Change]) -> bool:
    """Nothing after the signature but bytes that are no update (no
    "validation data added" then: none was)."""
    return bool(changes) and all(c.code == "bytes-after-eof" for c in changes)


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


def entry_reasons(
    result: Any,
    emb: EmbeddedPdfSignature,
    mod: ModificationInfo,
    extra_reasons: list[Reason],
    changes: Sequence[Change] = (),
) -> tuple[Indication, list[Reason], bool]:
    """What a signature and a document timestamp share: the indication of
    pyHanko's result, the reasons (its sub-indication's, ``extra_reasons``,
    the changes after signing), and whether a certification signature
    restricts changes."""
    subindic = result.ades_subindic
    reasons: list[Reason] = reasons_for_subindication(subindic, result.failure_msg)
    # a weak-algorithm reason naming the algorithms and dates replaces the generic one
    if any(r.code == "weak-algorithm" for r in extra_reasons):
        reasons = [r for r in reasons if r.code != "weak-algorithm"]
    reasons.extend(extra_reasons)
    restricted = is_restricted(emb)
    reasons.extend(modification_reasons(mod, restricted, changes))
    return indication_of(subindic), reasons, restricted


def missing_revocation_reason(
    indication: Indication,
    subindic: Any,
    emb: EmbeddedPdfSignature,
    ctx: FileContext,
    status: Any = None,
) -> Reason | None:
    """Why an INDETERMINATE chain lacks revocation data: the file carries none for
    the signer (or the TSA) and none was fetched (offline) or could be. With the
    ``status`` of a validation that built its path to a trusted root, the reason
    names that root (the chain itself holds)."""
    if indication is not Indication.INDETERMINATE or subindic not in REVINFO_PROBLEMS:
        return None
    signer = emb.signer_cert
    embedded = ctx.dss.plus(read_revinfo_archival(emb.signer_info))
    if embedded.covers(signer):
        return None
    code = "offline-no-revocation" if ctx.options.offline else "revocation-unavailable"
    name = signer.subject.human_friendly
    return reason(code, subject=name, detail=name, anchor=_anchor_name(status))


def _anchor_name(status: Any) -> str | None:
    """The common name of the trusted root a pyHanko status's path reached."""
    path = getattr(status, "validation_path", None) if status is not None else None
    if path is None:
        return None
    try:
        root = next(iter(path.iter_certs(include_root=True)))
        name = root.subject.native.get("common_name")
        return str(name) if name else str(root.subject.human_friendly)
    except Exception:  # no readable root: the plain sentence
        return None


def signature_result(
    entry: Entry,
    emb: EmbeddedPdfSignature,
    result: Any,
    level: Level,
    mod: ModificationInfo,
    extra_reasons: list[Reason],
    ctx: FileContext,
    ts_info: TimestampInfo | None,
) -> SignatureResult:
    subindic = result.ades_subindic
    changes = named_changes(ctx, emb) if mod.modified_after_signing else ()
    indication, reasons, restricted = entry_reasons(result, emb, mod, extra_reasons, changes)
    if ctx.options.revocation_policy is RevocationPolicy.SKIP:
        reasons.append(reason("revocation-not-checked"))
    if ts_info is not None and ts_info.indication is Indication.TOTAL_FAILED:
        # a signature timestamp that does not verify is a forgery sign
        tsa = ts_info.tsa.subject if ts_info.tsa else None
        why = reason("timestamp-invalid", tsa=tsa, detail=ts_info.subindication or "")
        reasons.append(dataclasses.replace(why, severity=Verdict.INVALID))
    signer = emb.signer_cert
    missing = missing_revocation_reason(
        indication, result.ades_subindic, emb, ctx, result.api_status
    )
    if missing is not None:
        reasons.insert(0, missing)  # what is missing says more than "cannot be validated"
    # what the signer stated, as signed: a later rewrite of the dictionary
    # (same /Contents, another /Reason) must not speak for the signer
    stated = signed_dictionary(ctx.reader, entry.field, emb.byte_range)
    if stated is None:
        stated = entry.sig_obj
    elif stated_entries_changed(stated, entry.sig_obj):
        reasons.append(reason("signature-dictionary-changed"))
    status = result.api_status
    verdict = verdict_for(indication, mod.change_kind, mod.changes_permitted, restricted, reasons)
    best_time = getattr(result, "best_signature_time", None)
    if ts_info is not None and ts_info.trusted and best_time is None:
        best_time = ts_info.time
    if best_time is not None and best_time > ctx.timing.validation_time:
        # pyHanko dates what nothing proves earlier at the clock's now: as of
        # a past validation time, the signature is known to exist then
        best_time = ctx.timing.validation_time
    reasons = dedupe(reasons)
    indication, subindication = consistent_indication(
        verdict,
        indication,
        subindication_name(subindic),
        reasons,
        ts_info.subindication if ts_info is not None else None,
    )
    return SignatureResult(
        kind=EntryKind.SIGNATURE,
        field_name=entry.name,
        verdict=verdict,
        indication=indication,
        subindication=subindication,
        level=level,
        reasons=tuple(reasons),
        signer=certificate_info(signer, ctx.prep.anchor_tags.get(signer.sha256)),
        signer_kind=signer_kind(signer),
        digest_algorithm=digest_algorithm(emb.signer_info),
        signature_algorithm=signature_algorithm(emb.signer_info),
        subfilter=entry.subfilter,
        claimed_time=claimed_time(emb, stated),
        signature_timestamp=ts_info,
        best_time=best_time if indication is not Indication.TOTAL_FAILED else None,
        chain=chain_elements(status, signer, indication, subindic, ctx, emb),
        intact=bool(status is not None and status.intact),
        modification=mod,
        reason=sig_text(stated, "/Reason"),
        location=sig_text(stated, "/Location"),
        contact=sig_text(stated, "/ContactInfo"),
    )


def dedupe(reasons: list[Reason]) -> list[Reason]:
    seen: set[tuple[str, str]] = set()
    out: list[Reason] = []
    for r in reasons:
        if (r.code, r.en) not in seen:
            seen.add((r.code, r.en))
            out.append(r)
    return out


def safe(fn: Any) -> Any:
    try:
        return fn()
    except Exception:
        return None


def claimed_time(emb: EmbeddedPdfSignature, stated: Any) -> Any:
    """The signing time the signer claims: in the signed attributes, else
    the /M of the signature dictionary as signed."""
    signed_attr = safe(lambda: generic_cms.extract_self_reported_ts(emb.signer_info))
    if signed_attr is not None:
        return signed_attr
    return safe(lambda: generic.parse_pdf_date(stated["/M"], strict=False))


def sig_text(sig_obj: Any, key: str) -> str | None:
    try:
        value = sig_obj.get(key)
        if hasattr(value, "get_object"):
            # an encrypted file's string comes as a proxy: its text is the decrypted one
            value = value.get_object()
        return str(value) if value is not None else None
    except Exception:
        return None


async def signature_timestamp_info(
    emb: EmbeddedPdfSignature,
    status: Any,
    ctx: FileContext,
    spec: SignatureValidationSpec,
    entry: Entry | None = None,
) -> TimestampInfo | None:
    """The signature timestamp; its TSA certificate and validated path go to
    ``entry.tsa_ders`` (for the trust layers)."""
    ts_status = getattr(status, "timestamp_validity", None) if status is not None else None
    if ts_status is not None:
        cert = ts_status.signing_cert
        if entry is not None and cert is not None:
            tsa = bytes(cert.dump())
            entry.tsa_ders = (tsa, *path_ders(ts_status, tsa))
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
    if entry is not None and cert is not None:
        tsa = bytes(cert.dump())
        entry.tsa_ders = (tsa, *path_ders(st, tsa))
    return TimestampInfo(
        time=gen_time,
        tsa=certificate_info(cert, ctx.prep.anchor_tags.get(cert.sha256)) if cert else None,
        intact=bool(st is not None and st.intact and st.valid),
        trusted=indication is Indication.TOTAL_PASSED,
        indication=indication,
        subindication=subindication_name(res.ades_subindic),
    )


def chain_elements(
    status: Any,
    signer: x509.Certificate,
    indication: Indication,
    subindic: Any,
    ctx: FileContext,
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
        source = _revocation_source(cert, embedded, ctx)
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
    cert: x509.Certificate, embedded: EmbeddedData, ctx: FileContext
) -> RevocationSource:
    # the file's own data first: it is what keeps the signature verifiable
    # later; otherwise what pyHanko fetched for this certificate
    if embedded.covers(cert):
        return RevocationSource.EMBEDDED
    for fetchers in ctx.fetched:
        try:
            if any(True for _ in fetchers.ocsp_fetcher.fetched_responses_for_cert(cert)):
                return RevocationSource.FETCHED_OCSP
            if any(True for _ in fetchers.crl_fetcher.fetched_crls_for_cert(cert)):
                return RevocationSource.FETCHED_CRL
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
    return RevocationSource.NOT_AVAILABLE


REVINFO_PROBLEMS = frozenset(
    {
        AdESIndeterminate.CERTIFICATE_CHAIN_GENERAL_FAILURE,
        AdESIndeterminate.TRY_LATER,
        AdESIndeterminate.REVOCATION_OUT_OF_BOUNDS_NO_POE,
    }
)


def is_restricted(emb: EmbeddedPdfSignature) -> bool:
    """Does a certification (DocMDP) or a field lock (FieldMDP) say which
    changes are allowed after this signature?"""
    try:
        return emb.docmdp_level is not None or emb.fieldmdp is not None
    except Exception:  # an unreadable lock dictionary restricts as much as it can
        return True
