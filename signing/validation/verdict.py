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
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate, AdESPassed, AdESSubIndic

from signing.model import reasons
from signing.model.results import ChangeKind, FileResult, Indication, Reason, Verdict


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


def verdict_for(
    indication: Indication,
    change_kind: ChangeKind,
    changes_permitted: bool,
    restricted: bool,
    extra: Iterable[Reason] = (),
) -> Verdict:
    """``restricted``: a certification (DocMDP) or field lock (FieldMDP) says
    which changes are allowed; breaking it is INVALID. Without one, changes
    pyHanko cannot explain leave the verdict INDETERMINATE: nothing forbade
    them, but nobody can vouch for what the reader now sees."""
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
    for r in extra:
        base = max(base, r.severity)
    return base


def file_error(
    path: str,
    code: str,
    detail: str,
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
