"""From ETSI indication + coverage + modifications to the verdict for people.

Rules (issue 3):
- TOTAL-FAILED -> INVALID; INDETERMINATE -> INDETERMINATE;
- TOTAL-PASSED and covering the whole file (or followed only by DSS /
  document-timestamp updates) -> VALID;
- TOTAL-PASSED followed by permitted changes (form filling, annotations), or
  validated without revocation checking -> VALID_WITH_WARNINGS;
- changes after signing that are not permitted -> INVALID.
- A file's verdict is the worst of its signatures and timestamps; a file
  without any -> INDETERMINATE ("no-signatures").

Reasons are built through :mod:`signing.model.reasons`, the one
catalogue of sentences (``reasons.hash_mismatch(...)``).

Last step of the walk (:mod:`signing.validation.pipeline`): :func:`judge`
weighs an entry's :class:`~signing.validation.entry_facts.EntryFacts` into
its result. It reads values only; it calls no step of the walk.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from signing.model import reasons
from signing.model.results import (
    ChangeKind,
    EntryKind,
    FileResult,
    Indication,
    Level,
    ModificationInfo,
    Reason,
    SignatureResult,
    Verdict,
)

if TYPE_CHECKING:
    from signing.validation.walk import EntryFacts


def reason(code: str, *, severity: Verdict | None = None, **fields: Any) -> Reason:
    """The Reason for ``code`` from the catalogue (:mod:`signing.model.reasons`,
    one function per code, called with the keywords it accepts); a code
    without a function gets a generic sentence that keeps the code."""
    factory = getattr(reasons, code.replace("-", "_"), None)
    made: Reason | None = None
    if factory is not None:
        params = inspect.signature(factory).parameters
        takes_any = any(p.kind is p.VAR_KEYWORD for p in params.values())
        accepted = {k: v for k, v in fields.items() if takes_any or k in params}
        try:
            candidate = factory(**accepted)
        except (TypeError, ValueError):
            candidate = None
        if isinstance(candidate, Reason):
            made = candidate
    if made is None:
        detail = fields.get("detail")
        made = reasons.unknown_problem(code, detail=str(detail) if detail is not None else None)
    return made if severity is None else dataclasses.replace(made, severity=severity)


def judge(facts: EntryFacts, level: Level = Level.NONE) -> SignatureResult:
    """The result of one entry: its verdict from its facts, the ETSI
    indication that agrees with it, its reasons once each, and ``level``
    (a signature's, detected before the processes)."""
    if facts.draft.kind is EntryKind.DOCUMENT_TIMESTAMP:
        return _judge_timestamp(facts)
    draft = facts.draft
    verdict = verdict_for(
        draft.indication, draft.modification, restricted=facts.restricted, reasons=facts.reasons
    )
    kept = dedupe(facts.reasons)
    indication, subindication = consistent_indication(
        verdict, draft.indication, draft.subindication, kept, facts.timestamp_subindication
    )
    out = dataclasses.replace(
        draft,
        verdict=verdict,
        indication=indication,
        subindication=subindication,
        level=level,
        reasons=tuple(kept),
        best_time=draft.best_time if indication is not Indication.TOTAL_FAILED else None,
    )
    if facts.not_der:
        # the document was not changed: only the attributes' encoding is wrong
        without = tuple(r for r in out.reasons if r.code != "hash-mismatch")
        out = dataclasses.replace(out, reasons=without, intact=False)
    return out


def _judge_timestamp(facts: EntryFacts) -> SignatureResult:
    draft = facts.draft
    verdict = verdict_for(
        draft.indication, draft.modification, restricted=facts.restricted, reasons=facts.reasons
    )
    indication, subindication = consistent_indication(
        verdict, draft.indication, draft.subindication, facts.reasons
    )
    token = draft.signature_timestamp
    if token is not None:
        token = dataclasses.replace(
            token,
            trusted=indication is Indication.TOTAL_PASSED,
            indication=indication,
            subindication=subindication,
        )
    return dataclasses.replace(
        draft,
        verdict=verdict,
        indication=indication,
        subindication=subindication,
        reasons=tuple(dedupe(facts.reasons)),
        signature_timestamp=token,
        best_time=draft.best_time if indication is Indication.TOTAL_PASSED else None,
        chain=draft.chain if indication is draft.indication else facts.chain_if_failed,
    )


def dedupe(reasons: Iterable[Reason]) -> list[Reason]:
    """Each reason once (same code and sentence), first occurrence kept."""
    seen: set[tuple[str, str]] = set()
    out: list[Reason] = []
    for r in reasons:
        if (r.code, r.en) not in seen:
            seen.add((r.code, r.en))
            out.append(r)
    return out


def verdict_for(
    indication: Indication,
    modification: ModificationInfo | None,
    *,
    restricted: bool,
    reasons: Iterable[Reason] = (),
) -> Verdict:
    """``restricted``: a certification (DocMDP) or field lock (FieldMDP) says
    which changes are allowed; breaking it is INVALID. Without one, changes
    pyHanko cannot explain leave the verdict INDETERMINATE: nothing forbade
    them, but nobody can vouch for what the reader now sees."""
    change_kind = modification.change_kind if modification is not None else ChangeKind.NONE
    changes_permitted = modification.changes_permitted if modification is not None else True
    if indication is Indication.TOTAL_FAILED:
        base = Verdict.INVALID
    elif indication is Indication.INDETERMINATE:
        base = Verdict.INDETERMINATE
    else:
        base = Verdict.VALID
    if not changes_permitted or change_kind is ChangeKind.OTHER:
        base = max(base, Verdict.INVALID if restricted else Verdict.INDETERMINATE)
    elif change_kind in (ChangeKind.FORM_FILLING, ChangeKind.ANNOTATIONS):
        base = max(base, Verdict.VALID_WITH_WARNINGS)
    for r in reasons:
        base = max(base, r.severity)
    return base


def file_error(
    path: str,
    code: str,
    detail: str,
    *,
    validation_time: datetime,
    file_bytes: int = 0,
    sha256_hex: str | None = None,
    severity: Verdict | None = None,
    also: tuple[Reason, ...] = (),
) -> FileResult:
    """The result for a file that cannot be validated at all (unreadable,
    not a PDF, too large): the reason ``code`` with its specific cause
    (``severity``: its weight, when not the code's own), ``also`` other
    reasons, and a verdict no better than INDETERMINATE."""
    why = reason(code, detail=detail, severity=severity)
    verdict = max([why.severity, Verdict.INDETERMINATE, *(r.severity for r in also)])
    return FileResult(
        path=path,
        verdict=verdict,
        error=why,
        validation_time=validation_time,
        file_bytes=file_bytes,
        sha256_hex=sha256_hex,
        reasons=(why, *also),
    )


#: reason code -> the TOTAL-FAILED sub-indication it stands for
_FAILED_SUB: dict[str, str] = {
    "hash-mismatch": "HASH_FAILURE",
    "signature-crypto-failure": "SIG_CRYPTO_FAILURE",
    "signature-invalid": "SIG_CRYPTO_FAILURE",
    "signature-structure": "FORMAT_FAILURE",
    "byterange-invalid": "FORMAT_FAILURE",
    "cms-unreadable": "FORMAT_FAILURE",
    # changes a certification or a field lock forbids: the signed document
    # is not the one shown (EN 319 102-1 format checking; DSS says so too)
    "changes-not-permitted": "FORMAT_FAILURE",
    "docmdp-violation": "FORMAT_FAILURE",
    "modified-after-signing": "FORMAT_FAILURE",
    # after a signature with no lock: pages or page content changed, or the
    # signer's own statements rewritten (what is shown is not what was signed)
    "content-changed": "FORMAT_FAILURE",
    "signature-dictionary-changed": "FORMAT_FAILURE",
}
_TS_FAILED = frozenset({"HASH_FAILURE", "SIG_CRYPTO_FAILURE", "FORMAT_FAILURE"})


def consistent_indication(
    verdict: Verdict,
    indication: Indication,
    subindication: str | None,
    reasons: Iterable[Reason],
    timestamp_subindication: str | None = None,
) -> tuple[Indication, str | None]:
    """The ETSI indication that agrees with the verdict: an entry INVALID for
    its integrity, its structure or forbidden changes is TOTAL-FAILED with
    the matching sub-indication (a signature whose field lock was broken is
    never TOTAL-PASSED; an altered signature is never "no chain found")."""
    if verdict is not Verdict.INVALID or indication is Indication.TOTAL_FAILED:
        return indication, subindication
    for r in reasons:
        if r.severity is not Verdict.INVALID:
            continue
        if r.code == "timestamp-invalid":
            sub = timestamp_subindication if timestamp_subindication in _TS_FAILED else None
            return Indication.TOTAL_FAILED, sub or "SIG_CRYPTO_FAILURE"
        sub = _FAILED_SUB.get(r.code)
        if sub is not None:
            return Indication.TOTAL_FAILED, sub
    return indication, subindication
