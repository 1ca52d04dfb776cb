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

Reasons are built through :mod:`signing.validation.reasons` when it defines a
function for the code (``reasons.hash_mismatch(...)``); until then a local
sentence in both languages is used, so the codes never depend on who wrote
the sentence.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pyhanko.sign.ades.report import AdESFailure, AdESIndeterminate, AdESPassed, AdESSubIndic

from signing.validation.model import ChangeKind, FileResult, Indication, Reason, Verdict

_W = Verdict.VALID_WITH_WARNINGS
_I = Verdict.INDETERMINATE
_X = Verdict.INVALID

#: code -> (severity, English, Japanese); ``{detail}`` and other fields are
#: filled from the keyword arguments
_LOCAL: dict[str, tuple[Verdict, str, str]] = {
    "no-signatures": (_I, "The file contains no signature.", "このファイルには署名がありません。"),
    "not-a-pdf": (_X, "This is not a PDF file: {detail}", "PDF ファイルではありません: {detail}"),
    "truncated-pdf": (
        _X,
        "The PDF file is truncated: {detail}",
        "PDF ファイルが途中で切れています: {detail}",
    ),
    "unreadable-pdf": (
        _X,
        "The PDF file cannot be read: {detail}",
        "PDF ファイルを読み取れません: {detail}",
    ),
    "file-too-large": (
        _I,
        "The file is too large to validate: {detail}",
        "ファイルが大きすぎて検証できません: {detail}",
    ),
    "encrypted-pdf": (
        _I,
        "The file is encrypted and cannot be opened without its password ({detail}).",
        "ファイルは暗号化されており、パスワードなしでは開けません（{detail}）。",
    ),
    "file-unreadable": (
        _I,
        "The file cannot be opened: {detail}",
        "ファイルを開けません: {detail}",
    ),
    "signature-structure": (
        _X,
        "The signature dictionary is malformed ({problem}): {detail}",
        "署名辞書が不正です（{problem}）: {detail}",
    ),
    "cms-unreadable": (
        _X,
        "The signature data (CMS) cannot be decoded: {detail}",
        "署名データ（CMS）を解読できません: {detail}",
    ),
    "validation-error": (
        _I,
        "The signature could not be validated because of an error: {detail}",
        "エラーのため署名を検証できませんでした: {detail}",
    ),
    "hash-mismatch": (
        _X,
        "The signed content does not match the signature: the document was altered.",
        "署名対象の内容が署名と一致しません。文書が改ざんされています。",
    ),
    "signature-crypto-failure": (
        _X,
        "The cryptographic signature value is wrong.",
        "署名値の暗号検証に失敗しました。",
    ),
    "certificate-revoked": (
        _X,
        "The signer's certificate was revoked before the signature was made.",
        "署名者の証明書は署名より前に失効しています。",
    ),
    "revoked-no-poe": (
        _I,
        "The signer's certificate is revoked and there is no proof that the signature "
        "existed before the revocation.",
        "署名者の証明書は失効しており、失効前に署名が存在した証拠がありません。",
    ),
    "revocation-unavailable": (
        _I,
        "The revocation status of the certificates could not be obtained ({detail}).",
        "証明書の失効情報を取得できませんでした（{detail}）。",
    ),
    "revocation-not-checked": (
        _W,
        "Revocation was not checked (validation settings).",
        "失効確認は行われていません（検証設定）。",
    ),
    "untrusted-chain": (
        _I,
        "The signer's certificate does not chain up to a trusted anchor.",
        "署名者の証明書は信頼できるトラストアンカーにつながりません。",
    ),
    "certificate-expired": (
        _I,
        "The certificate had expired and there is no proof of existence before expiry.",
        "証明書は期限切れであり、期限内に署名が存在した証拠がありません。",
    ),
    "certificate-not-yet-valid": (
        _X,
        "The certificate was not yet valid when the signature was made.",
        "署名時点で証明書はまだ有効ではありませんでした。",
    ),
    "weak-algorithm": (
        _I,
        "An algorithm or key size is too weak for this validation time ({detail}).",
        "検証時点では弱いアルゴリズムまたは鍵長が使われています。",
    ),
    "signing-certificate-missing": (
        _I,
        "The signer's certificate cannot be found in the signature.",
        "署名者の証明書が署名に含まれていません。",
    ),
    "timestamp-problem": (
        _I,
        "The signature timestamp could not be validated ({detail}).",
        "署名タイムスタンプを検証できませんでした（{detail}）。",
    ),
    "timestamp-invalid": (
        _X,
        "The signature timestamp is invalid: it does not match the signature or its own "
        "signature fails ({detail}).",
        "署名タイムスタンプは無効です。署名と一致しないか、タイムスタンプ自体の署名を検証できません"
        "（{detail}）。",
    ),
    "indeterminate": (
        _I,
        "The signature could not be fully validated ({detail}).",
        "署名を完全には検証できませんでした（{detail}）。",
    ),
    "failed": (
        _X,
        "The signature is not valid ({detail}).",
        "署名は有効ではありません（{detail}）。",
    ),
    "modified-after-signing": (
        _W,
        "The file was changed after this signature ({detail}).",
        "この署名の後にファイルが変更されています（{detail}）。",
    ),
    "changes-not-permitted": (
        _X,
        "Changes made after this signature break its certification or field locks ({detail}).",
        "この署名の後に、認証署名またはフィールドロックで禁止された変更が加えられています（{detail}）。",
    ),
    "unexplained-changes": (
        _I,
        "Changes made after this signature cannot be shown to be harmless ({detail}).",
        "この署名の後の変更が無害であることを確認できません（{detail}）。",
    ),
    "encrypt-entry-ignored": (
        _W,
        "The file's /Encrypt entry is not an encryption dictionary ({detail}): the file was "
        "read as not encrypted.",
        "ファイルの /Encrypt 項目が暗号化辞書ではありません（{detail}）。暗号化されていない"
        "ファイルとして読み込みました。",
    ),
    "signature-dictionary-changed": (
        _X,
        "The signature dictionary was rewritten after signing (what the signer stated, such as "
        "the reason or the location, was changed); the statements shown are those signed.",
        "署名後に署名辞書が書き換えられています（理由や場所など署名者の記載が変更されています）。"
        "表示している記載は署名時のものです。",
    ),
    "unsupported-signature-format": (
        _I,
        "The signature format is not supported ({detail}).",
        "この署名形式には対応していません（{detail}）。",
    ),
    "lenient-parsing": (
        _W,
        "The PDF has syntax errors; it was read in lenient mode.",
        "PDF に構文エラーがあるため、寛容モードで読み込みました。",
    ),
    "archive-timestamp-not-used": (
        _W,
        "The later document timestamp could not be used as proof of existence ({detail}).",
        "後続のドキュメントタイムスタンプを存在証明として利用できませんでした（{detail}）。",
    ),
    "weak-algorithm-before-sunset": (
        _W,
        "A weak algorithm is used; accepted because the signature timestamp proves the "
        "signature existed before it stopped being acceptable ({detail}).",
        "弱いアルゴリズムが使われていますが、許容期限前に署名が存在したことを署名タイムスタンプ"
        "が証明しているため受け入れました（{detail}）。",
    ),
    "validated-at-later-timestamp": (
        _W,
        "Validated at the time proven by a later document timestamp ({detail}).",
        "後続のドキュメントタイムスタンプが証明する時刻（{detail}）で検証しました。",
    ),
}


def reason(code: str, *, severity: Verdict | None = None, **fields: Any) -> Reason:
    """A Reason for ``code``; from the reports helper's module when it has one."""
    try:
        module: Any = importlib.import_module("signing.validation.reasons")
        factory = getattr(module, code.replace("-", "_"), None)
    except ImportError:
        factory = None
    if factory is not None:
        try:
            params = inspect.signature(factory).parameters
            takes_any = any(p.kind is p.VAR_KEYWORD for p in params.values())
            accepted = {k: v for k, v in fields.items() if takes_any or k in params}
            made = factory(**accepted)
            if isinstance(made, Reason):
                return made if severity is None else dataclasses.replace(made, severity=severity)
        except (TypeError, ValueError):
            pass
    default_sev, en, ja = _LOCAL.get(code, (_I, code + " {detail}", code + " {detail}"))
    safe = _Fields(fields)
    return Reason(
        code=code,
        en=en.format_map(safe),
        ja=ja.format_map(safe),
        severity=severity if severity is not None else default_sev,
    )


class _Fields(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "-"


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
