"""From pyHanko's results to the model: modifications, the chain with
revocation status and source, the signature timestamp, the reasons.

Third step of the walk (:mod:`signing.validation.pipeline`): it reads a
:class:`~signing.validation.processes.ProcessOutcome` and answers with
:class:`EntryFacts`, everything the verdict is made from. Weighing those
facts into a verdict is :mod:`signing.validation.verdict`'s step.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from asn1crypto import x509
from pyhanko.pdf_utils import generic
from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate, AdESPassed, AdESSubIndic
from pyhanko.sign.validation import generic_cms
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

from signing.certs.cms import digest_algorithm, signature_algorithm
from signing.certs.summary import certificate_info, common_name, signer_kind
from signing.model.reasons import changes as change_reasons
from signing.model.reasons.changes import Change
from signing.model.results import (
    CertificateInfo,
    ChainElement,
    ChangeKind,
    EntryKind,
    Indication,
    Level,
    ModificationInfo,
    Reason,
    RevocationReason,
    RevocationSource,
    RevocationStatus,
    SignatureResult,
    TimestampInfo,
    Verdict,
)
from signing.validation.context import FileContext
from signing.validation.embedded import EmbeddedData
from signing.validation.hostile import safe
from signing.validation.options import RevocationPolicy
from signing.validation.signed_bytes import signed_dictionary, stated_entries_changed
from signing.validation.verdict import reason
from signing.validation.walk import EntryFacts, ProcessOutcome, TokenCheck


def signature_facts(outcome: ProcessOutcome, ctx: FileContext) -> EntryFacts:
    entry, emb, result, mod = outcome.task.entry, outcome.emb, outcome.result, outcome.modification
    subindic = result.ades_subindic
    ts_info = timestamp_info(outcome.token, ctx) if outcome.token is not None else None
    indication, reasons, restricted = entry_reasons(outcome)
    if ctx.options.revocation_policy is RevocationPolicy.SKIP:
        reasons.append(reason("revocation-not-checked"))
    if ts_info is not None and ts_info.indication is Indication.TOTAL_FAILED:
        # a signature timestamp that does not verify is a forgery sign
        tsa = ts_info.tsa.subject if ts_info.tsa else None
        why = reason("timestamp-invalid", tsa=tsa, detail=ts_info.subindication or "")
        reasons.append(dataclasses.replace(why, severity=Verdict.INVALID))
    signer = emb.signer_cert
    missing = missing_revocation_reason(indication, subindic, outcome, ctx)
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
    best_time = getattr(result, "best_signature_time", None)
    if ts_info is not None and ts_info.trusted and best_time is None:
        best_time = ts_info.time
    if best_time is not None and best_time > ctx.timing.validation_time:
        # pyHanko dates what nothing proves earlier at the clock's now: as of
        # a past validation time, the signature is known to exist then
        best_time = ctx.timing.validation_time
    draft = SignatureResult(
        kind=EntryKind.SIGNATURE,
        field_name=entry.name,
        verdict=Verdict.INDETERMINATE,
        indication=indication,
        subindication=subindication_name(subindic),
        level=Level.NONE,
        signer=certificate_info(signer, ctx.prep.anchor_tags.get(signer.sha256)),
        signer_kind=signer_kind(signer),
        digest_algorithm=digest_algorithm(emb.signer_info),
        signature_algorithm=signature_algorithm(emb.signer_info),
        subfilter=entry.subfilter,
        claimed_time=claimed_time(emb, stated),
        signature_timestamp=ts_info,
        best_time=best_time,
        chain=chain_elements(
            status,
            signer,
            indication=indication,
            subindic=subindic,
            ctx=ctx,
            embedded=outcome.task.embedded,
            revoked_at=outcome.revoked_at,
        ),
        intact=bool(status is not None and status.intact),
        modification=mod,
        reason=sig_text(stated, "/Reason"),
        location=sig_text(stated, "/Location"),
        contact=sig_text(stated, "/ContactInfo"),
    )
    return EntryFacts(
        draft=draft,
        reasons=tuple(reasons),
        restricted=restricted,
        timestamp_subindication=ts_info.subindication if ts_info is not None else None,
        not_der=outcome.not_der is not None,
    )


def timestamp_facts(outcome: ProcessOutcome, ctx: FileContext) -> EntryFacts:
    entry, emb, result, mod = outcome.task.entry, outcome.emb, outcome.result, outcome.modification
    subindic = result.ades_subindic
    indication, reasons, restricted = entry_reasons(outcome)
    missing = missing_revocation_reason(indication, subindic, outcome, ctx)
    if missing is not None:
        reasons.insert(0, missing)
    status = result.api_status
    cert = safe(lambda: emb.signer_cert)
    tst_time = safe(
        lambda: emb.signed_data["encap_content_info"]["content"].parsed["gen_time"].native
    )
    tsa = certificate_info(cert, ctx.prep.anchor_tags.get(cert.sha256)) if cert else None
    token = TimestampInfo(
        time=tst_time,
        tsa=tsa,
        intact=bool(status is not None and status.intact and status.valid),
        trusted=indication is Indication.TOTAL_PASSED,
        indication=indication,
        subindication=subindication_name(subindic),
    )
    embedded = outcome.task.embedded

    def chain(indication: Indication) -> tuple[ChainElement, ...]:
        if cert is None:
            return ()
        return chain_elements(
            status, cert, indication=indication, subindic=subindic, ctx=ctx, embedded=embedded
        )

    draft = SignatureResult(
        kind=EntryKind.DOCUMENT_TIMESTAMP,
        field_name=entry.name,
        verdict=Verdict.INDETERMINATE,
        indication=indication,
        subindication=subindication_name(subindic),
        level=Level.NONE,
        signer=tsa,
        digest_algorithm=digest_algorithm(emb.signer_info),
        signature_algorithm=signature_algorithm(emb.signer_info),
        subfilter=entry.subfilter,
        claimed_time=tst_time,
        signature_timestamp=token,
        best_time=tst_time,
        chain=chain(indication),
        intact=token.intact,
        modification=mod,
    )
    return EntryFacts(
        draft=draft,
        reasons=tuple(reasons),
        restricted=restricted,
        # (revocation reads "good" only for a passed timestamp: the verdict
        # step takes this reading when it turns the indication to failed)
        chain_if_failed=chain(Indication.TOTAL_FAILED),
    )


def timestamp_info(check: TokenCheck, ctx: FileContext) -> TimestampInfo:
    """The signature timestamp as the model shows it."""
    status = check.status
    if check.ades_subindic is None:  # validated inside the signature's process
        cert = status.signing_cert
        ok = bool(status.intact and status.valid)
        return TimestampInfo(
            time=check.time,
            tsa=certificate_info(cert, ctx.prep.anchor_tags.get(cert.sha256)) if cert else None,
            chain=_tsa_chain(status, ctx),
            intact=ok,
            trusted=bool(ok and status.trusted),
            indication=(
                Indication.TOTAL_PASSED
                if ok and status.trusted
                else Indication.INDETERMINATE
                if ok
                else Indication.TOTAL_FAILED
            ),
        )
    cert = getattr(status, "signing_cert", None)
    indication = indication_of(check.ades_subindic)
    return TimestampInfo(
        time=check.time,
        tsa=certificate_info(cert, ctx.prep.anchor_tags.get(cert.sha256)) if cert else None,
        intact=bool(status is not None and status.intact and status.valid),
        trusted=indication is Indication.TOTAL_PASSED,
        indication=indication,
        subindication=subindication_name(check.ades_subindic),
        chain=_tsa_chain(status, ctx),
    )


def _tsa_chain(status: Any, ctx: FileContext) -> tuple[CertificateInfo, ...]:
    """The TSA's validated path, its certificate first (for the viewer)."""
    path = getattr(status, "validation_path", None) if status is not None else None
    if path is None:
        return ()
    try:
        certs = list(path.iter_certs(include_root=True))
    except Exception:  # no readable path: the viewer shows the TSA alone
        return ()
    certs.reverse()
    return tuple(certificate_info(c, ctx.prep.anchor_tags.get(c.sha256)) for c in certs)


def indication_of(subindic: AdESSubIndic) -> Indication:
    if isinstance(subindic, AdESPassed):
        return Indication.TOTAL_PASSED
    if isinstance(subindic, AdESFailure):
        return Indication.TOTAL_FAILED
    return Indication.INDETERMINATE


def subindication_name(subindic: AdESSubIndic) -> str | None:
    if isinstance(subindic, AdESPassed):
        return None
    return str(subindic.standard_name)


_SUBINDIC_REASONS: dict[AdESSubIndic, str] = {
    AdESFailure.HASH_FAILURE: "hash-mismatch",
    AdESFailure.SIG_CRYPTO_FAILURE: "signature-crypto-failure",
    AdESFailure.REVOKED: "certificate-revoked",
    AdESFailure.NOT_YET_VALID: "certificate-not-yet-valid",
    AdESIndeterminate.REVOKED_NO_POE: "revoked-no-poe",
    AdESIndeterminate.REVOKED_CA_NO_POE: "revoked-no-poe",
    AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND: "untrusted-chain",
    AdESIndeterminate.OUT_OF_BOUNDS_NO_POE: "certificate-expired",
    AdESIndeterminate.EXPIRED: "certificate-expired",
    AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE: "weak-algorithm",
    AdESIndeterminate.CRYPTO_CONSTRAINTS_FAILURE_NO_POE: "weak-algorithm",
    AdESIndeterminate.NO_SIGNING_CERTIFICATE_FOUND: "signing-certificate-missing",
    AdESIndeterminate.TRY_LATER: "revocation-unavailable",
}


def reasons_for_subindication(subindic: AdESSubIndic, failure_msg: str | None) -> list[Reason]:
    if isinstance(subindic, AdESPassed):
        return []
    detail = failure_msg or str(subindic.standard_name)
    code = _SUBINDIC_REASONS.get(subindic)
    if code is None:
        code = "failed" if isinstance(subindic, AdESFailure) else "indeterminate"
    return [reason(code, detail=detail, subindication=subindic.standard_name)]


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


def entry_reasons(outcome: ProcessOutcome) -> tuple[Indication, list[Reason], bool]:
    """What a signature and a document timestamp share: the indication of
    pyHanko's result, the reasons (its sub-indication's, the processes' own,
    the changes after signing), and whether a certification signature
    restricts changes."""
    result, extra_reasons = outcome.result, outcome.reasons
    subindic = result.ades_subindic
    reasons: list[Reason] = reasons_for_subindication(subindic, result.failure_msg)
    # a weak-algorithm reason naming the algorithms and dates replaces the generic one
    if any(r.code == "weak-algorithm" for r in extra_reasons):
        reasons = [r for r in reasons if r.code != "weak-algorithm"]
    reasons.extend(extra_reasons)
    restricted = is_restricted(outcome.emb)
    reasons.extend(modification_reasons(outcome.modification, restricted, outcome.changes))
    return indication_of(subindic), reasons, restricted


def missing_revocation_reason(
    indication: Indication,
    subindic: Any,
    outcome: ProcessOutcome,
    ctx: FileContext,
) -> Reason | None:
    """Why an INDETERMINATE chain lacks revocation data: the file carries none for
    the signer (or the TSA) and none was fetched (offline) or could be. With the
    ``status`` of a validation that built its path to a trusted root, the reason
    names that root (the chain itself holds)."""
    if indication is not Indication.INDETERMINATE or subindic not in REVINFO_PROBLEMS:
        return None
    signer = outcome.emb.signer_cert
    if outcome.task.embedded.covers(signer):
        return None
    code = "offline-no-revocation" if ctx.options.offline else "revocation-unavailable"
    # the sentence names the certificate by its common name (asn1crypto's
    # readable DN has English attribute names, "Common Name: …", in both
    # languages); the whole DN stays the detail
    name = common_name(signer)
    return reason(
        code,
        subject=name,
        detail=signer.subject.human_friendly,
        anchor=_anchor_name(outcome.result.api_status),
    )


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


def chain_elements(
    status: Any,
    signer: x509.Certificate,
    *,
    indication: Indication,
    subindic: Any,
    ctx: FileContext,
    embedded: EmbeddedData,
    revoked_at: datetime | None = None,
) -> tuple[ChainElement, ...]:
    """The chain, leaf first, with each certificate's revocation status
    (``revoked_at``: the signer's revocation by a trusted responder pyHanko
    could not use itself, so that the chain says what the reason says)."""
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
        reason = None
        if revoked is not None and (revoked.ca_revoked == (i > 0)):
            rstatus = RevocationStatus.REVOKED
            rtime = revoked.revocation_date
            reason = revocation_reason(revoked)
        elif revoked_at is not None and i == 0:
            rstatus, rtime = RevocationStatus.REVOKED, revoked_at
        elif skip or path is None:
            rstatus, rtime = RevocationStatus.NOT_CHECKED, None
        elif indication is Indication.TOTAL_PASSED:
            rstatus, rtime = RevocationStatus.GOOD, None
        elif subindic in (AdESIndeterminate.TRY_LATER,) or source is RevocationSource.NOT_AVAILABLE:
            rstatus, rtime = RevocationStatus.UNKNOWN, None
        else:
            rstatus, rtime = RevocationStatus.UNKNOWN, None
        out.append(ChainElement(info, rstatus, source, rtime, False, reason))
    return tuple(out)


def revocation_reason(details: Any) -> RevocationReason | None:
    """The reason in pyHanko's revocation details (None when absent or not
    one of RFC 5280's)."""
    reason = getattr(details, "revocation_reason", None)
    return RevocationReason.from_native(getattr(reason, "native", reason))


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
