"""Reasons behind a signature's verdict: the file, the signature, its
certificates, its time, its revocation data, what changed after it, and the
file's summary (see :mod:`signing.model.reasons` for the catalogue's rules)."""

from __future__ import annotations

import contextlib
import dataclasses
import enum
from datetime import datetime

from signing.model.labels import docmdp_label, label, utc_time
from signing.model.reasons.causes import not_der
from signing.model.reasons.text import INTERNAL_TEXT as INTERNAL_TEXT
from signing.model.reasons.text import detail_en as _den
from signing.model.reasons.text import detail_ja as _dja
from signing.model.reasons.text import ja_list
from signing.model.results import ChangeKind, Indication, Reason, Verdict

__all__ = [
    "SUBINDICATIONS",
    "all_valid",
    "archive_timestamp_not_used",
    "authentication_certificate",
    "byterange_invalid",
    "cannot_parse",
    "certificate_expired",
    "certificate_not_yet_valid",
    "certificate_revoked",
    "change_since_signing",
    "changes_not_permitted",
    "cms_unreadable",
    "docmdp_violation",
    "encrypt_entry_ignored",
    "encrypted_pdf",
    "eu_not_assessable",
    "failed",
    "file_too_large",
    "file_unreadable",
    "from_subindication",
    "hash_mismatch",
    "indeterminate",
    "jp_not_assessable",
    "key_usage_not_for_signing",
    "lenient_parsing",
    "modified_after_signing",
    "no_poe",
    "no_signatures",
    "no_signing_certificate",
    "not_a_pdf",
    "not_covering_whole_file",
    "not_pades_baseline",
    "offline_no_revocation",
    "revocation_not_checked",
    "revocation_unavailable",
    "revocation_words",
    "revoked_no_poe",
    "signature_crypto_failure",
    "signature_dictionary_changed",
    "signature_invalid",
    "signature_structure",
    "signature_valid",
    "signed_attributes_not_der",
    "signing_certificate_missing",
    "time_by_archive_timestamp",
    "time_by_document_timestamp",
    "time_by_signature_timestamp",
    "time_by_untrusted_timestamp",
    "time_claimed_by_signer",
    "time_limit_reached",
    "timestamp_invalid",
    "timestamp_problem",
    "timestamp_untrusted",
    "too_many_signatures",
    "truncated_pdf",
    "trust_lists_missing",
    "trust_lists_stale",
    "unexplained_changes",
    "unknown_problem",
    "unreadable_pdf",
    "unsupported_signature_format",
    "untrusted_chain",
    "validated_at_later_timestamp",
    "validated_at_signature_time",
    "validation_error",
    "validation_time_chosen",
    "weak_algorithm",
    "weak_algorithm_before_sunset",
    "weak_algorithm_dated",
]

_OK = Verdict.VALID
_WARN = Verdict.VALID_WITH_WARNINGS
_INDET = Verdict.INDETERMINATE
_BAD = Verdict.INVALID


def _when(moment: datetime | None, lang: str) -> str:
    if moment is None:
        return "an unknown time" if lang == "en" else "日時不明"
    return utc_time(moment, lang)


def _name(subject: str | None, lang: str) -> str:
    if not subject:
        return "(unnamed)" if lang == "en" else "（名前なし）"
    return f"“{subject}”" if lang == "en" else f"「{subject}」"


# --- overall -----------------------------------------------------------------


def signature_valid() -> Reason:
    return Reason(
        "signature-valid",
        "The signature is valid.",
        "署名は有効です。",
        _OK,
    )


def no_signatures() -> Reason:
    return Reason(
        "no-signatures",
        "The file contains no signatures.",
        "このファイルには署名がありません。",
        _INDET,
    )


def cannot_parse(detail: str) -> Reason:
    """The file (or a signature in it) cannot be read; ``detail`` says why."""
    detail = detail.strip() or "no detail"
    return Reason(
        "cannot-parse",
        f"The file cannot be read as a signed PDF: {detail}",
        f"ファイルを署名付き PDF として読み取れません: {detail}",
        _BAD,
        technical=detail,
    )


def not_a_pdf(*, detail: str | None = None) -> Reason:
    return Reason(
        "not-a-pdf",
        f"This is not a PDF file{_den(detail)}.",
        f"PDF ファイルではありません{_dja(detail)}。",
        _BAD,
        technical=detail,
    )


def truncated_pdf(*, detail: str | None = None) -> Reason:
    return Reason(
        "truncated-pdf",
        f"The PDF file is truncated: its end is missing{_den(detail)}.",
        f"PDF ファイルが途中で切れています。末尾が欠けています{_dja(detail)}。",
        _BAD,
        technical=detail,
    )


def unreadable_pdf(*, detail: str | None = None) -> Reason:
    return Reason(
        "unreadable-pdf",
        f"The PDF file is damaged and cannot be read{_den(detail)}.",
        f"PDF ファイルが破損しているため読み取れません{_dja(detail)}。",
        _BAD,
        technical=detail,
    )


def file_too_large(*, detail: str | None = None) -> Reason:
    return Reason(
        "file-too-large",
        f"The file is too large to validate{_den(detail)}.",
        f"ファイルが大きすぎるため検証できません{_dja(detail)}。",
        _INDET,
        technical=detail,
    )


def file_unreadable(*, detail: str | None = None) -> Reason:
    return Reason(
        "file-unreadable",
        f"The file cannot be opened{_den(detail)}.",
        f"ファイルを開けません{_dja(detail)}。",
        _INDET,
        technical=detail,
    )


def cms_unreadable(*, detail: str | None = None) -> Reason:
    return Reason(
        "cms-unreadable",
        f"The signature data (CMS) cannot be decoded{_den(detail)}.",
        f"署名データ（CMS）を解読できません{_dja(detail)}。",
        _BAD,
        technical=detail,
    )


def validation_error(*, detail: str | None = None) -> Reason:
    return Reason(
        "validation-error",
        f"The signature could not be validated because of an error{_den(detail)}.",
        f"エラーのため署名を検証できませんでした{_dja(detail)}。",
        _INDET,
        technical=detail,
    )


#: what is wrong with a signature dictionary (the engine's problem codes)
_STRUCTURE: dict[str, tuple[str, str]] = {
    "contents-missing": (
        "the signature value (/Contents) is missing",
        "署名値（/Contents）がありません",
    ),
    "contents-indirect": (
        "the signature value (/Contents) is an indirect reference",
        "署名値（/Contents）が間接参照になっています",
    ),
    "contents-null": ("the signature value (/Contents) is null", "署名値（/Contents）が null です"),
    "contents-not-string": (
        "the signature value (/Contents) is not a string",
        "署名値（/Contents）が文字列ではありません",
    ),
    "contents-empty": ("the signature value (/Contents) is empty", "署名値（/Contents）が空です"),
    "byte-range-missing": (
        "the signed byte range (/ByteRange) is missing",
        "署名対象のバイト範囲（/ByteRange）がありません",
    ),
    "byte-range-indirect": (
        "the signed byte range (/ByteRange) is an indirect reference",
        "署名対象のバイト範囲（/ByteRange）が間接参照になっています",
    ),
    "byte-range-malformed": (
        "the signed byte range (/ByteRange) is malformed",
        "署名対象のバイト範囲（/ByteRange）の形式が不正です",
    ),
    "byte-range-overlap": (
        "the two parts of the signed byte range (/ByteRange) overlap",
        "署名対象のバイト範囲（/ByteRange）の 2 つの範囲が重なっています",
    ),
    "byte-range-beyond-eof": (
        "the signed byte range (/ByteRange) goes beyond the end of the file",
        "署名対象のバイト範囲（/ByteRange）がファイルの末尾を超えています",
    ),
    "byte-range-gap": (
        "the part left out of the signed byte range is not exactly the signature value",
        "署名対象から除外された部分が署名値と一致しません",
    ),
    "signature-not-dictionary": (
        "the signature field's value is not a signature dictionary",
        "署名フィールドの値が署名辞書ではありません",
    ),
}


def signature_structure(*, problem: str | None = None, detail: str | None = None) -> Reason:
    """A malformed signature dictionary (``problem``: the engine's code for
    what is wrong, e.g. ``"byte-range-overlap"``); always INVALID: such a
    signature proves nothing."""
    en, ja = _STRUCTURE.get(problem or "", ("it cannot be read", "読み取れません"))
    if problem in _STRUCTURE and problem != "byte-range-malformed":
        detail = None  # the sentence already says it all
    return Reason(
        "signature-structure",
        f"The signature dictionary is malformed: {en}{_den(detail)}.",
        f"署名辞書が不正です。{ja}{_dja(detail)}。",
        _BAD,
        technical=detail,
    )


def lenient_parsing() -> Reason:
    return Reason(
        "lenient-parsing",
        "The PDF has syntax errors; it was read in lenient mode.",
        "PDF に構文エラーがあるため、寛容モードで読み込みました。",
        _WARN,
    )


def time_limit_reached(seconds: float = 0.0, done: int = 0, count: int = 0) -> Reason:
    if not count:  # stopped while the file itself was being read
        return Reason(
            "time-limit-reached",
            f"Validation of this file stopped after {seconds:g} s while the file was being "
            "read (it is built to be slow, or it is very large), so it cannot be judged.",
            f"このファイルの検証は読み込み中に {seconds:g} 秒で打ち切りました"
            "（検証を遅らせるよう作られたファイルか、非常に大きなファイルです）。"
            "ファイルは判断できません。",
            _INDET,
        )
    return Reason(
        "time-limit-reached",
        f"Validation of this file stopped after {seconds:g} s (servers did not answer in "
        f"time, or the file is built to be slow): {done} of its {count} signatures and "
        "document timestamps were validated, so the file as a whole cannot be judged.",
        f"このファイルの検証は {seconds:g} 秒で打ち切りました"
        "（サーバーが時間内に応答しないか、検証を遅らせるよう作られたファイルです）。"
        f"署名とドキュメントタイムスタンプ {count} 件のうち {done} 件のみ検証したため、"
        "ファイル全体は判断できません。",
        _INDET,
    )


def too_many_signatures(count: int = 0, limit: int = 0) -> Reason:
    return Reason(
        "too-many-signatures",
        f"This file holds {count} signatures and document timestamps; only the first "
        f"{limit} were validated, so the file as a whole cannot be judged.",
        f"このファイルには署名とドキュメントタイムスタンプが {count} 件あります。"
        f"最初の {limit} 件のみ検証したため、ファイル全体は判断できません。",
        _INDET,
    )


def unsupported_signature_format(*, detail: str | None = None) -> Reason:
    return Reason(
        "unsupported-signature-format",
        f"This signature format is not supported{_den(detail)}.",
        f"この署名形式には対応していません{_dja(detail)}。",
        _INDET,
        technical=detail,
    )


def failed(*, detail: str | None = None, subindication: str | None = None) -> Reason:
    """TOTAL-FAILED for a sub-indication without a code of its own."""
    made = from_subindication(Indication.TOTAL_FAILED, subindication)
    return dataclasses.replace(made, code="failed")


def indeterminate(*, detail: str | None = None, subindication: str | None = None) -> Reason:
    """INDETERMINATE for a sub-indication without a code of its own."""
    made = from_subindication(Indication.INDETERMINATE, subindication)
    return dataclasses.replace(made, code="indeterminate")


# --- integrity ---------------------------------------------------------------


def hash_mismatch(*, detail: str | None = None, subindication: str | None = None) -> Reason:
    return Reason(
        "hash-mismatch",
        "The document was changed after signing: the signed content no longer matches its hash.",
        "署名後に文書が変更されています（署名対象データのハッシュ値が一致しません）。",
        _BAD,
    )


def signature_crypto_failure(
    *, detail: str | None = None, subindication: str | None = None
) -> Reason:
    """The engine's code for :func:`signature_invalid`."""
    return dataclasses.replace(signature_invalid(), code="signature-crypto-failure")


def signature_invalid() -> Reason:
    return Reason(
        "signature-invalid",
        "The signature value cannot be verified with the signer's public key: "
        "the signature is invalid.",
        "署名者の公開鍵で署名値を検証できません。署名は無効です。",
        _BAD,
    )


def byterange_invalid() -> Reason:
    return Reason(
        "byterange-invalid",
        "The signature's byte range is malformed: it must cover the whole revision "
        "except the signature value itself.",
        "署名のバイト範囲（ByteRange）が不正です。署名値を除く版全体を対象とする必要があります。",
        _BAD,
    )


def not_covering_whole_file(signed_bytes: int, file_bytes: int) -> Reason:
    added = max(file_bytes - signed_bytes, 0)
    return Reason(
        "not-covering-whole-file",
        f"The signature covers only the first {signed_bytes:,} of {file_bytes:,} bytes; "
        f"{added:,} bytes were added after signing.",
        f"署名の対象はファイル全体 {file_bytes:,} バイトのうち先頭の {signed_bytes:,} バイト"
        f"のみです。署名後に {added:,} バイトが追加されています。",
        _WARN,
    )


_CHANGES: dict[ChangeKind, tuple[str, str, str, Verdict]] = {
    ChangeKind.NONE: (
        "not-modified-after-signing",
        "The document has not been changed after signing.",
        "署名後に文書は変更されていません。",
        _OK,
    ),
    ChangeKind.LTA_UPDATES: (
        "modified-after-signing",
        "After signing, only long-term validation data and document timestamps were added.",
        "署名後に追加されたのは長期検証情報とドキュメントタイムスタンプのみです。",
        _OK,
    ),
    ChangeKind.FORM_FILLING: (
        "modified-after-signing",
        "The document was changed after signing: form fields were filled in.",
        "署名後に文書が変更されています（フォームへの入力）。",
        _WARN,
    ),
    ChangeKind.ANNOTATIONS: (
        "modified-after-signing",
        "The document was changed after signing: annotations were added or changed.",
        "署名後に文書が変更されています（注釈の追加・変更）。",
        _WARN,
    ),
    ChangeKind.OTHER: (
        "modified-after-signing",
        "The document was changed after signing in a way that is not allowed for a "
        "signed document.",
        "署名後に文書が変更されています。この変更は署名済みの文書には認められないものです。",
        _BAD,
    ),
}


def _change_kind(change_kind: ChangeKind | None, detail: str | None) -> ChangeKind:
    if change_kind is not None:
        return change_kind
    try:
        return ChangeKind(detail)
    except ValueError:
        return ChangeKind.OTHER


def modified_after_signing(
    change_kind: ChangeKind | None = None, *, detail: str | None = None
) -> Reason:
    """What changed after the signature, from the difference analysis (the
    engine passes the kind's value as ``detail``). One code for every kind
    (the kind itself is in the modification facts); the severity follows it:
    LTA updates only VALID, form filling or annotations VALID_WITH_WARNINGS,
    anything else INVALID."""
    code, en, ja, severity = _CHANGES[_change_kind(change_kind, detail)]
    return Reason(code, en, ja, severity)


def changes_not_permitted(*, detail: str | None = None) -> Reason:
    """Changes after signing that a certification (DocMDP) or a field lock
    (FieldMDP) forbids."""
    return Reason(
        "changes-not-permitted",
        "The changes made after signing are forbidden by the certification signature "
        "or the field locks.",
        "署名後の変更は、作成者署名（DocMDP）またはフィールドロックで禁止されています。",
        _BAD,
    )


def unexplained_changes(
    *, detail: str | None = None, named: tuple[str, str] | None = None
) -> Reason:
    """Changes after signing that cannot be shown harmless, with nothing that
    forbade them: ``detail`` is a :class:`ChangeKind` value (or text), ``named``
    what could be named of them, in English and Japanese."""
    what_en, what_ja = named or (detail, detail)
    if named is None:
        with contextlib.suppress(ValueError):
            what_en, what_ja = label(ChangeKind(detail), "en"), label(ChangeKind(detail), "ja")
    return Reason(
        "unexplained-changes",
        f"The document was changed after signing and the changes cannot be shown to be "
        f"harmless{_den(what_en)}.",
        f"署名後に文書が変更されており、その変更が無害であることを確認できません{_dja(what_ja)}。",
        _INDET,
    )


def docmdp_violation(level: str | None) -> Reason:
    """``level``: the certification's permission, e.g. ``"form-filling"``."""
    en_level, ja_level = docmdp_label(level, "en").lower(), docmdp_label(level, "ja")
    return Reason(
        "docmdp-violation",
        f"The document was changed after certification in a way the certification "
        f"signature forbids (allowed: {en_level}).",
        f"作成者署名（DocMDP）で禁止されている変更が、認証後に加えられています"
        f"（許可されている変更: {ja_level}）。",
        _BAD,
    )


# --- certificates and revocation ---------------------------------------------
#
# ``subject`` may be left out: the sentence then speaks of "the signer's
# certificate". ``detail`` and ``subindication`` are accepted from the engine
# (which calls every function by its code with those keywords) and used only
# where they add something a person can act on.


def _cert_en(subject: str | None) -> str:
    return f"The certificate {_name(subject, 'en')}" if subject else "The signer's certificate"


def _cert_ja(subject: str | None) -> str:
    return f"証明書{_name(subject, 'ja')}" if subject else "署名者の証明書"


def untrusted_chain(
    subject: str | None = None, *, detail: str | None = None, subindication: str | None = None
) -> Reason:
    return Reason(
        "untrusted-chain",
        f"{_cert_en(subject)} does not chain to a trusted root certificate.",
        f"{_cert_ja(subject)}は信頼されたルート証明書につながっていません。",
        _INDET,
    )


def no_signing_certificate() -> Reason:
    return Reason(
        "no-signing-certificate",
        "The signer's certificate cannot be found in the signature.",
        "署名の中に署名者の証明書が見つかりません。",
        _INDET,
    )


def signing_certificate_missing(
    *, detail: str | None = None, subindication: str | None = None
) -> Reason:
    """The engine's code for :func:`no_signing_certificate`."""
    return dataclasses.replace(no_signing_certificate(), code="signing-certificate-missing")


def certificate_revoked(
    subject: str | None = None,
    when: datetime | None = None,
    *,
    detail: str | None = None,
    subindication: str | None = None,
) -> Reason:
    """Revoked before the signature was proven to exist (``when``: the
    revocation time, when known)."""
    en_when = f" on {_when(when, 'en')}" if when else ""
    ja_when = f"（失効日時: {_when(when, 'ja')}）" if when else ""
    return Reason(
        "certificate-revoked",
        f"{_cert_en(subject)} was revoked{en_when}, before the signature was proven to exist.",
        f"{_cert_ja(subject)}は失効しています{ja_when}。署名の存在が証明された時点より前に"
        f"失効しています。",
        _BAD,
    )


def revoked_no_poe(*, detail: str | None = None, subindication: str | None = None) -> Reason:
    """Revoked, and no proof that the signature existed before (for the signer
    or, with ``subindication="REVOKED_CA_NO_POE"``, a CA of the chain)."""
    made = from_subindication(Indication.INDETERMINATE, subindication or "REVOKED_NO_POE")
    if not made.code.startswith("etsi-revoked"):
        made = from_subindication(Indication.INDETERMINATE, "REVOKED_NO_POE")
    return dataclasses.replace(made, code="revoked-no-poe")


def certificate_expired(
    subject: str | None = None,
    when: datetime | None = None,
    *,
    detail: str | None = None,
    subindication: str | None = None,
) -> Reason:
    """Expired (``when``: its notAfter) with no proof that the signature
    existed before."""
    en_when = f" on {_when(when, 'en')}" if when else ""
    ja_when = f"（有効期限: {_when(when, 'ja')}）" if when else ""
    return Reason(
        "certificate-expired",
        f"{_cert_en(subject)} expired{en_when} and there is no proof that the signature "
        f"existed before it expired.",
        f"{_cert_ja(subject)}は有効期限が切れています{ja_when}。期限内に署名が存在していたことを"
        f"証明できません。",
        _INDET,
    )


def certificate_not_yet_valid(
    subject: str | None = None,
    when: datetime | None = None,
    *,
    detail: str | None = None,
    subindication: str | None = None,
) -> Reason:
    """The signature was made before the certificate's validity began
    (``when``: its notBefore)."""
    en_when = f" (valid from {_when(when, 'en')})" if when else ""
    ja_when = f"（有効期間の開始: {_when(when, 'ja')}）" if when else ""
    return Reason(
        "certificate-not-yet-valid",
        f"{_cert_en(subject)} was not yet valid when the signature was made{en_when}.",
        f"署名の時点で{_cert_ja(subject)}はまだ有効期間前でした{ja_when}。",
        _BAD,
    )


def signed_attributes_not_der(*, detail: str | None = None) -> Reason:
    """The signed attributes are stored in an encoding other than DER (``detail``:
    what breaks DER): the signature does not verify over their DER encoding,
    which is what a CMS signature covers; EU DSS reports HASH_FAILURE."""
    cause = not_der(detail) if detail else None
    what = f" ({cause.en})" if cause else ""
    what_ja = f"（{cause.ja}）" if cause else ""
    return Reason(
        "signed-attributes-not-der",
        f"The signature's signed attributes are not DER-encoded{what}. A CMS signature "
        "covers their DER encoding, and the signature does not verify over it: the "
        "signature is not intact (hash failure, as EU DSS reports it).",
        f"署名の署名対象属性（signed attributes）が DER で符号化されていません{what_ja}。"
        "CMS の署名は DER 符号化に対して計算されるものであり、それに対して署名を検証できないため、"
        "署名は完全ではありません（EU DSS と同じくハッシュ不一致）。",
        _BAD,
    )


def authentication_certificate(subject: str | None = None) -> Reason:
    """Made with a certificate whose key usage is digitalSignature without
    nonRepudiation (an ID card's authentication certificate): a warning, as
    in EU DSS's default policy."""
    return Reason(
        "authentication-certificate",
        "The signature was made with an authentication certificate"
        + (f" ({_name(subject, 'en')})" if subject else "")
        + ": its key usage allows digital signatures for authentication but not "
        "non-repudiation, so it does not show the signer's commitment to the document, and "
        "the signature is never a qualified electronic signature.",
        "この署名は認証用の証明書"
        + (f"{_name(subject, 'ja')}" if subject else "")
        + "で作成されています。鍵用途は認証のためのデジタル署名のみで、否認防止（nonRepudiation）を"
        "含まないため、文書への署名者の同意を示すものではなく、適格電子署名にもなりません。",
        _WARN,
    )


def key_usage_not_for_signing(
    subject: str | None = None, usages: list[str] | None = None
) -> Reason:
    """The signer's certificate does not allow nonRepudiation (and is not an
    authentication certificate either): a warning, as in EU DSS's default policy."""
    listed_en = ", ".join(usages or ()) or "none stated"
    listed_ja = ja_list(usages or ()) or "記載なし"
    return Reason(
        "key-usage-not-for-signing",
        f"{_cert_en(subject)} does not allow non-repudiation (key usage: {listed_en}), so it "
        f"was not issued for signing documents.",
        f"{_cert_ja(subject)}の鍵用途に否認防止（nonRepudiation）が含まれていません"
        f"（鍵用途: {listed_ja}）。文書への署名のために発行された証明書ではありません。",
        _WARN,
    )


def revocation_unavailable(
    subject: str | None = None, *, detail: str | None = None, subindication: str | None = None
) -> Reason:
    return Reason(
        "revocation-unavailable",
        f"Revocation information for {_cert_en(subject).replace('The ', 'the ', 1)} cannot "
        f"be obtained, so whether it was revoked is unknown.",
        f"{_cert_ja(subject)}の失効情報を取得できません。失効しているかどうかを確認できません。",
        _INDET,
    )


def revocation_not_checked() -> Reason:
    return Reason(
        "revocation-not-checked",
        "Revocation was not checked (validation settings).",
        "検証設定により、失効確認を行っていません。",
        _WARN,
    )


def offline_no_revocation(anchor: str | None = None) -> Reason:
    """Offline, without the revocation data the file should carry; ``anchor``: the
    trusted root the chain was built to."""
    if anchor:
        return Reason(
            "offline-no-revocation",
            f"The certificate chain was built to the trusted root {anchor}, but validated "
            "offline: the file does not carry the revocation information needed and none "
            "was fetched, so the chain cannot be confirmed.",
            f"信頼されたルート {anchor} までの証明書チェーンは構築できましたが、オフラインで"
            "検証したため、ファイルに必要な失効情報が含まれておらず取得もしていないので、"
            "チェーンを確定できません。",
            _INDET,
        )
    return Reason(
        "offline-no-revocation",
        "Validated offline: the file does not carry the revocation information needed, "
        "and none was fetched.",
        "オフラインで検証しました。ファイルに必要な失効情報が含まれておらず、"
        "失効情報を取得していません。",
        _INDET,
    )


def weak_algorithm(
    name: str | None = None,
    *,
    detail: str | None = None,
    subindication: str | None = None,
    choices: list[tuple[str, datetime]] | None = None,
    signed: datetime | None = None,
    proven: bool = False,
) -> Reason:
    """An algorithm too weak at the validation time: ``name`` when known; with
    ``choices`` the signature's own algorithms past their sunset, named with
    their dates and the signing time (``proven``: a timestamp proves it)."""
    if choices:
        return _weak_dated(choices, signed, proven)
    if name:
        en = f"The algorithm {name} is no longer considered secure."
        ja = f"アルゴリズム {name} は現在では安全とみなされません。"
    else:
        en = "An algorithm or key size used is too weak at the validation time."
        ja = "検証時点では安全とみなされないアルゴリズムまたは鍵長が使われています。"
    return Reason("weak-algorithm", en, ja, _INDET)


def weak_algorithm_dated(
    choices: list[tuple[str, datetime]], signed: datetime | None, proven: bool = False
) -> Reason:
    """:func:`weak_algorithm` with the dates (the engine's name for it)."""
    return weak_algorithm(choices=choices, signed=signed, proven=proven)


def _weak_dated(
    choices: list[tuple[str, datetime]], signed: datetime | None, proven: bool
) -> Reason:
    names_en = ", ".join(f"{n} (accepted until {d:%Y-%m-%d})" for n, d in choices)
    names_ja = ja_list(f"{n}（{d:%Y-%m-%d} まで許容）" for n, d in choices)
    if signed is None:
        when_en, when_ja = "no signing time is known", "署名時刻は不明です"
    elif proven:
        when_en = f"its timestamp proves it existed on {signed:%Y-%m-%d}"
        when_ja = f"タイムスタンプにより {signed:%Y-%m-%d} の存在が証明されています"
    else:
        when_en = (
            f"it was signed on {signed:%Y-%m-%d} by the signer's own clock, which no "
            "timestamp proves"
        )
        when_ja = (
            f"署名者の時計では {signed:%Y-%m-%d} に署名されていますが、"
            "タイムスタンプによる証明はありません"
        )
    return Reason(
        "weak-algorithm",
        f"The signature uses {names_en}; {when_en}, so it cannot be shown to have been made "
        "while these algorithms were still accepted.",
        f"この署名は {names_ja} を使用しています。{when_ja}。これらのアルゴリズムが"
        "許容されていた時期に署名されたことを示せません。",
        _INDET,
    )


# --- time --------------------------------------------------------------------


def timestamp_invalid(tsa: str | None = None, *, document: bool = False) -> Reason:
    """A signature timestamp (or, with ``document=True``, a document timestamp)
    whose token does not match what it stamps or whose signature fails."""
    en_what = "document timestamp" if document else "signature timestamp"
    ja_what = "ドキュメントタイムスタンプ" if document else "署名タイムスタンプ"
    en_by = f" (time-stamping authority {_name(tsa, 'en')})" if tsa else ""
    ja_by = f"（タイムスタンプ局{_name(tsa, 'ja')}）" if tsa else ""
    return Reason(
        "document-timestamp-invalid" if document else "timestamp-invalid",
        f"The {en_what}{en_by} is invalid: it does not match the data it stamps "
        f"or its own signature cannot be verified.",
        f"{ja_what}{ja_by}は無効です。対象データと一致しないか、"
        f"タイムスタンプ自体の署名を検証できません。",
        _BAD if document else _INDET,
    )


def timestamp_problem(*, detail: str | None = None) -> Reason:
    return Reason(
        "timestamp-problem",
        f"The signature timestamp cannot be validated{_den(detail)}.",
        f"署名タイムスタンプを検証できません{_dja(detail)}。",
        _INDET,
        technical=detail,
    )


def archive_timestamp_not_used() -> Reason:
    return Reason(
        "archive-timestamp-not-used",
        "A later document timestamp could not be used as proof of existence.",
        "後続のドキュメントタイムスタンプを存在証明として利用できませんでした。",
        _WARN,
    )


def validated_at_later_timestamp(
    when: datetime | None = None, *, detail: str | None = None
) -> Reason:
    """Validated at the time a later document timestamp proves (``detail``:
    that time in ISO 8601, as the engine passes it)."""
    if when is None and detail:
        try:
            when = datetime.fromisoformat(detail.replace("Z", "+00:00"))
        except ValueError:
            when = None
    return Reason(
        "validated-at-later-timestamp",
        f"Validated at {_when(when, 'en')}, the time proven by a later document timestamp.",
        f"後続のドキュメントタイムスタンプが証明する時刻（{_when(when, 'ja')}）で検証しました。",
        _OK,
    )


def validated_at_signature_time(when: datetime | None = None) -> Reason:
    """The file's revocation data, too old for the validation time, was
    judged at the signing time the signature timestamp proves."""
    return Reason(
        "validated-at-signature-time",
        "The revocation data in the file is older than accepted at the validation time; "
        f"it was judged at {_when(when, 'en')}, the signing time proven by the "
        "signature timestamp.",
        "ファイル内の失効情報は検証時点では古すぎるため、署名タイムスタンプが証明する"
        f"署名時刻（{_when(when, 'ja')}）で判断しました。",
        _OK,
    )


def timestamp_untrusted(tsa: str | None) -> Reason:
    return Reason(
        "timestamp-untrusted",
        f"The time-stamping authority {_name(tsa, 'en')} is not trusted.",
        f"タイムスタンプ局{_name(tsa, 'ja')}は信頼されていません。",
        _INDET,
    )


def no_poe(subject: str | None = None) -> Reason:
    """No proof of existence at a time when ``subject``'s certificate (or, when
    not given, the signature's material) was still valid."""
    if subject:
        en = (
            f"There is no proof that the signature existed while the certificate "
            f"{_name(subject, 'en')} was still valid."
        )
        ja = (
            f"証明書{_name(subject, 'ja')}が有効であった時点で"
            f"署名が存在していたことを証明できません。"
        )
    else:
        en = "There is no proof that the signature existed at a time when it could be validated."
        ja = "検証可能な時点で署名が存在していたことを証明できません（存在証明がありません）。"
    return Reason("no-poe", en, ja, _INDET)


# --- format ------------------------------------------------------------------


def not_pades_baseline(subfilter: str | None) -> Reason:
    sub = subfilter or "(none)"
    return Reason(
        "not-pades-baseline",
        f"The signature uses the sub-filter {sub}, which is not a PAdES baseline format.",
        f"この署名のサブフィルタは {sub} で、PAdES ベースラインの形式ではありません。",
        _WARN,
    )


# --- ETSI EN 319 102-1 sub-indications ----------------------------------------

#: sub-indications whose sentence differs between TOTAL-FAILED (first pair)
#: and INDETERMINATE (second pair)
_SUB_SPLIT: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "EXPIRED": (
        (
            "The signature was created after the signer's certificate expired.",
            "署名者の証明書の有効期限が切れた後に署名されています。",
        ),
        (
            "The signer's certificate has expired and there is no proof that the signature "
            "existed before it expired.",
            "署名者の証明書は有効期限が切れており、期限内に署名が存在していたことを証明できません。",
        ),
    ),
    "NOT_YET_VALID": (
        (
            "The signature was created before the signer's certificate became valid.",
            "署名者の証明書の有効期間が始まる前に署名されています。",
        ),
        (
            "The signing time is before the start of the signer's certificate validity.",
            "署名時刻が署名者の証明書の有効期間の開始より前です。",
        ),
    ),
}

#: sub-indication -> (English, Japanese)
_SUB: dict[str, tuple[str, str]] = {
    "FORMAT_FAILURE": (
        "The signature is not correctly formatted: it does not conform to the signature "
        "format standards.",
        "署名の形式が正しくありません（署名形式の規格に適合していません）。",
    ),
    "HASH_FAILURE": (
        "The document was changed after signing: the hash of the signed data does not "
        "match the signed hash.",
        "署名後に文書が変更されています（署名対象データのハッシュ値が一致しません）。",
    ),
    "SIG_CRYPTO_FAILURE": (
        "The signature value cannot be verified with the signer's public key.",
        "署名者の公開鍵で署名値を検証できません。",
    ),
    "REVOKED": (
        "The signer's certificate is revoked: it was revoked before the signature was "
        "proven to exist.",
        "署名者の証明書は失効しています（署名の存在が証明された時点より前に失効しています）。",
    ),
    "SIG_CONSTRAINTS_FAILURE": (
        "The signature does not meet the constraints of the validation policy "
        "(for example, a required signed attribute is missing).",
        "署名が検証ポリシーの制約を満たしていません（必須の署名属性が欠けているなど）。",
    ),
    "CHAIN_CONSTRAINTS_FAILURE": (
        "The certificate chain does not meet the constraints of the validation policy.",
        "証明書チェーンが検証ポリシーの制約を満たしていません。",
    ),
    "CERTIFICATE_CHAIN_GENERAL_FAILURE": (
        "The certificate chain cannot be validated.",
        "証明書チェーンを検証できません。",
    ),
    "CRYPTO_CONSTRAINTS_FAILURE": (
        "An algorithm or key size used is not considered secure by the validation policy.",
        "使用されているアルゴリズムまたは鍵長は、検証ポリシー上安全とみなされません。",
    ),
    "POLICY_PROCESSING_ERROR": (
        "The signature policy cannot be processed.",
        "署名ポリシーを処理できません。",
    ),
    "SIGNATURE_POLICY_NOT_AVAILABLE": (
        "The signature policy referenced by the signature is not available.",
        "署名が参照している署名ポリシーを入手できません。",
    ),
    "TIMESTAMP_ORDER_FAILURE": (
        "The timestamps are not in the required order (for example, the signature timestamp "
        "is later than an archive timestamp).",
        "タイムスタンプの時刻の順序が正しくありません（署名タイムスタンプがアーカイブ"
        "タイムスタンプより後であるなど）。",
    ),
    "NO_SIGNING_CERTIFICATE_FOUND": (
        "The signer's certificate cannot be found.",
        "署名者の証明書が見つかりません。",
    ),
    "NO_CERTIFICATE_CHAIN_FOUND": (
        "No certificate chain from the signer to a trusted root certificate can be built.",
        "署名者の証明書から信頼されたルート証明書までの証明書チェーンを構築できません。",
    ),
    "REVOKED_NO_POE": (
        "The signer's certificate has been revoked and there is no proof that the "
        "signature existed before the revocation.",
        "署名者の証明書は失効しており、失効前に署名が存在していたことを証明できません。",
    ),
    "REVOKED_CA_NO_POE": (
        "A certification authority's certificate in the chain has been revoked and there "
        "is no proof that the signature existed before the revocation.",
        "証明書チェーン内の認証局の証明書が失効しており、失効前に署名が存在していたことを"
        "証明できません。",
    ),
    "OUT_OF_BOUNDS_NO_POE": (
        "The validation time is outside the validity period of a certificate in the chain "
        "and there is no proof that the signature existed within it.",
        "検証時刻が証明書チェーン内の証明書の有効期間外であり、有効期間内に署名が存在して"
        "いたことを証明できません。",
    ),
    "REVOCATION_OUT_OF_BOUNDS_NO_POE": (
        "The revocation information is not recent enough for the validation time and there "
        "is no proof that the signature existed when it was issued.",
        "失効情報が検証時刻に対して古すぎ、その発行時点で署名が存在していたことを証明できません。",
    ),
    "OUT_OF_BOUNDS_NOT_REVOKED": (
        "A certificate in the chain has expired; it was not revoked, but there is no proof "
        "that the signature existed before it expired.",
        "証明書チェーン内の証明書の有効期限が切れています。失効はしていませんが、期限内に"
        "署名が存在していたことを証明できません。",
    ),
    "CRYPTO_CONSTRAINTS_FAILURE_NO_POE": (
        "An algorithm used is no longer considered secure and there is no proof that the "
        "signature existed while it still was.",
        "使用されているアルゴリズムは現在では安全とみなされず、安全とされていた時期に"
        "署名が存在していたことを証明できません。",
    ),
    "NO_POE": (
        "There is no proof that the signature existed at a time when it could still be validated.",
        "検証可能な時点で署名が存在していたことを証明できません（存在証明がありません）。",
    ),
    "TRY_LATER": (
        "Not all the information needed for validation is available yet; validate again later.",
        "検証に必要な情報がまだ揃っていません。時間をおいて再度検証してください。",
    ),
    "SIGNED_DATA_NOT_FOUND": (
        "The signed data cannot be found.",
        "署名対象のデータが見つかりません。",
    ),
    "GENERIC": (
        "The signature cannot be validated; no more specific reason is known.",
        "署名を検証できません（詳しい理由は不明です）。",
    ),
}

#: every ETSI EN 319 102-1 sub-indication this catalogue knows
SUBINDICATIONS: tuple[str, ...] = (*_SUB, *_SUB_SPLIT)


def _norm(value: object) -> str:
    """``"HASH_FAILURE"``, ``"hash-failure"`` or an enum member (pyHanko's
    ``AdESFailure.HASH_FAILURE``, our :class:`Indication`) -> ``"HASH_FAILURE"``."""
    if isinstance(value, Indication):
        text = value.value
    elif isinstance(value, enum.Enum):
        text = value.name
    else:
        text = str(value)
    return text.strip().upper().replace("-", "_").replace(" ", "_")


def _indication(value: Indication | str | object) -> Indication:
    text = _norm(value)
    if text in ("TOTAL_PASSED", "PASSED"):
        return Indication.TOTAL_PASSED
    if text in ("TOTAL_FAILED", "FAILED"):
        return Indication.TOTAL_FAILED
    return Indication.INDETERMINATE


def from_subindication(indication: Indication | str | object, subindication: object) -> Reason:
    """The reason for an ETSI EN 319 102-1 indication and sub-indication.

    Accepts our :class:`Indication`, pyHanko's ``AdESStatus`` or a string, and a
    sub-indication as a string (``"HASH_FAILURE"`` or ``"HASH-FAILURE"``) or an
    enum member. An unknown sub-indication is reported as such (with its name),
    never dropped; an unknown indication counts as INDETERMINATE.
    """
    ind = _indication(indication)
    if subindication is None or _norm(subindication) in ("", "OK", "NONE"):
        if ind is Indication.TOTAL_PASSED:
            return signature_valid()
        sub = "GENERIC"
    else:
        sub = _norm(subindication)
    severity = {
        Indication.TOTAL_PASSED: _OK,
        Indication.INDETERMINATE: _INDET,
        Indication.TOTAL_FAILED: _BAD,
    }[ind]
    code = "etsi-" + sub.lower().replace("_", "-")
    if sub in _SUB_SPLIT:
        failed, indeterminate = _SUB_SPLIT[sub]
        en, ja = failed if ind is Indication.TOTAL_FAILED else indeterminate
        return Reason(code, en, ja, severity)
    entry = _SUB.get(sub)
    if entry is None:
        return Reason(
            code,
            f"The signature cannot be validated (ETSI sub-indication {sub}).",
            f"署名を検証できません（ETSI サブインディケーション {sub}）。",
            severity,
        )
    en, ja = entry
    return Reason(code, en, ja, severity)


# --- codes the engine passes without a function of their own before ----------


def encrypted_pdf(*, detail: str | None = None) -> Reason:
    return Reason(
        "encrypted-pdf",
        f"The file is encrypted and cannot be opened without its password{_den(detail)}.",
        f"ファイルは暗号化されており、パスワードなしでは開けません{_dja(detail)}。",
        _INDET,
        technical=detail,
    )


def weak_algorithm_before_sunset(
    when: datetime | None = None, *, detail: str | None = None
) -> Reason:
    """A weak algorithm, accepted because the signature timestamp proves the
    signature existed before it stopped being acceptable (``detail``: that
    time in ISO 8601, as the engine passes it)."""
    if when is None and detail:
        with contextlib.suppress(ValueError):
            when = datetime.fromisoformat(detail.replace("Z", "+00:00"))
    return Reason(
        "weak-algorithm-before-sunset",
        "A weak algorithm is used; accepted because the signature timestamp proves the "
        f"signature existed at {_when(when, 'en')}, before it stopped being acceptable.",
        "弱いアルゴリズムが使われていますが、許容期限前の"
        f"{_when(when, 'ja')}に署名が存在したことを署名タイムスタンプが"
        "証明しているため受け入れました。",
        _WARN,
    )


def unknown_problem(code: str, *, detail: str | None = None) -> Reason:
    """A code without a sentence of its own (kept, so scripts see it)."""
    return Reason(
        code,
        f"The signature could not be fully validated{_den(detail)}.",
        f"署名を完全には検証できませんでした{_dja(detail)}。",
        _INDET,
        technical=detail,
    )


# --- the verdict story (signing/validation/story.py) ----------------------------
#
# What a person reads beside the reasons: when the signature is proven to
# have existed, what changed since signing, the revocation status, the state
# of the trusted lists. Severity VALID: these describe, the reasons decide.


def _tsa(tsa: str | None, lang: str) -> str:
    return _name(tsa, lang) if tsa else ("(unnamed)" if lang == "en" else "（名前なし）")


def time_by_signature_timestamp(when: datetime, tsa: str | None) -> Reason:
    return Reason(
        "time-signature-timestamp",
        f"{_when(when, 'en')}: proven by the signature timestamp of {_tsa(tsa, 'en')}.",
        f"{_when(when, 'ja')}（タイムスタンプ局{_tsa(tsa, 'ja')}の署名タイムスタンプによる証明）",
        _OK,
    )


def time_by_document_timestamp(when: datetime, tsa: str | None) -> Reason:
    """A document timestamp's own time: the time-stamping authority certifies it."""
    return Reason(
        "time-document-timestamp",
        f"{_when(when, 'en')}: certified by the time-stamping authority {_tsa(tsa, 'en')}.",
        f"{_when(when, 'ja')}（タイムスタンプ局{_tsa(tsa, 'ja')}による証明）",
        _OK,
    )


def time_by_archive_timestamp(when: datetime, tsa: str | None) -> Reason:
    return Reason(
        "time-archive-timestamp",
        f"Existed by {_when(when, 'en')}: proven by a later document timestamp of "
        f"{_tsa(tsa, 'en')}.",
        f"{_when(when, 'ja')}までに存在（タイムスタンプ局{_tsa(tsa, 'ja')}の"
        "後続ドキュメントタイムスタンプによる証明）",
        _OK,
    )


def time_by_untrusted_timestamp(when: datetime, tsa: str | None) -> Reason:
    return Reason(
        "time-untrusted-timestamp",
        f"{_when(when, 'en')}, stated by the time-stamping authority {_tsa(tsa, 'en')}; "
        "not proven: that timestamp is not trusted or not valid.",
        f"{_when(when, 'ja')}（タイムスタンプ局{_tsa(tsa, 'ja')}の記載。"
        "このタイムスタンプは信頼できないか無効なため、証明されていません）",
        _OK,
    )


def time_claimed_by_signer(when: datetime | None) -> Reason:
    if when is None:
        return Reason(
            "time-not-proven",
            "Not proven: no timestamp, and the signer stated no time.",
            "証明されていません（タイムスタンプがなく、署名者も時刻を記載していません）。",
            _OK,
        )
    return Reason(
        "time-not-proven",
        f"Not proven: {_when(when, 'en')} is claimed by the signer.",
        f"証明されていません（{_when(when, 'ja')}は署名者の申告です）。",
        _OK,
    )


#: what changed since signing, one vocabulary: code -> (English, Japanese)
_CHANGE_STORY: dict[str, tuple[str, str]] = {
    "change-none": ("No.", "いいえ。"),
    "change-validation-data": (
        "Yes: only validation data and timestamps were added",
        "はい。長期検証情報とタイムスタンプの追加のみ",
    ),
    "change-form-filled": ("Yes: form fields were filled in", "はい。フォームへの入力"),
    "change-annotations": (
        "Yes: annotations were added or changed",
        "はい。注釈の追加・変更",
    ),
    "change-content": (
        "Yes: pages or content were changed",
        "はい。ページまたは内容の変更",
    ),
    "change-signed-content": (
        "Yes: the signed content itself was altered (its hash no longer matches)",
        "はい。署名対象の内容そのものが改変されています（ハッシュ値が一致しません）",
    ),
    "change-unclassified": (
        "Yes: the changes cannot be classified",
        "はい。変更の種類を分類できません",
    ),
    "change-unknown": (
        "Cannot be told: the signature could not be checked",
        "判断できません（署名を検査できませんでした）",
    ),
}


def change_since_signing(code: str, allowed: bool | None) -> Reason:
    """``allowed``: None when saying so would add nothing (no change, unknown)."""
    en, ja = _CHANGE_STORY[code]
    if allowed is not None:
        en += " (allowed)." if allowed else " (NOT allowed)."
        ja += "（許容される変更）。" if allowed else "（許容されない変更）。"
    elif not en.endswith("."):
        en, ja = en + ".", ja + "。"
    return Reason(code, en, ja, _OK)


def revocation_words(
    status: str, when: datetime | None = None, *, source: str | None = None
) -> Reason:
    """The signer's revocation status in words (``status``: a
    :class:`RevocationStatus` value; ``source``: a :class:`RevocationSource`
    label, already in words, as ``(en, ja)`` joined by ``"|"``)."""
    src_en, _, src_ja = (source or "").partition("|")
    if status == "revoked":
        return Reason(
            "revocation-revoked",
            f"Revoked on {_when(when, 'en')}." if when else "Revoked (date unknown).",
            f"{_when(when, 'ja')}に失効しています。" if when else "失効しています（日時不明）。",
            _OK,
        )
    if status == "good":
        return Reason(
            "revocation-good",
            f"Not revoked (checked: {src_en.lower()})." if src_en else "Not revoked.",
            f"失効していません（確認方法: {src_ja}）。" if src_ja else "失効していません。",
            _OK,
        )
    if status == "not-needed":
        return Reason(
            "revocation-not-needed",
            "Not needed: the certificate is itself a trust anchor.",
            "不要です（証明書自体がトラストアンカーです）。",
            _OK,
        )
    if status == "unknown":
        return Reason(
            "revocation-unknown",
            "Unknown: no usable revocation information.",
            "不明です（利用できる失効情報がありません）。",
            _OK,
        )
    return Reason("revocation-unchecked", "Not checked.", "確認していません。", _OK)


def all_valid(count: int) -> Reason:
    if count == 1:
        return signature_valid()
    return Reason(
        "all-valid",
        f"All {count} signatures and timestamps are valid.",
        f"{count} 件の署名とタイムスタンプはすべて有効です。",
        _OK,
    )


def trust_lists_stale(late: tuple[tuple[str, int], ...]) -> Reason:
    """``late``: (list, days past its next update) for every stale list."""
    en = ", ".join(
        f"{key}: {days} day{'s' if days != 1 else ''} past its update" for key, days in late
    )
    ja = ja_list(f"{key}: 更新予定日を {days} 日超過" for key, days in late)
    return Reason(
        "trust-lists-stale",
        f"Trusted lists are out of date ({en}).",
        f"トラストリストが古くなっています（{ja}）。",
        _WARN,
    )


def validation_time_chosen(when: datetime) -> Reason:
    """The validation was made as of ``when``, a moment the user chose
    (``shomei validate --at``, the app's Settings › Validation), not the
    current time: every verdict, list and certificate state is as of then."""
    return Reason(
        "validation-time-chosen",
        f"Validated as of {_when(when, 'en')}, a time chosen for this validation (not now): "
        "certificates, revocation and trusted lists are judged as they were then.",
        f"{_when(when, 'ja')}の時点で検証しました"
        "（現在ではなく、この検証のために指定した日時です）。証明書、失効情報、トラストリストはその時点の状態で判断しています。",
        _OK,
    )


def trust_lists_missing(keys: tuple[str, ...] = ()) -> Reason:
    """``keys``: the lists never downloaded (the first five are named)."""
    more = len(keys) - 5
    which_en = ", ".join(keys[:5]) + (f" and {more} more" if more > 0 else "")
    which_ja = ja_list(keys[:5]) + (f" ほか {more} 件" if more > 0 else "")
    which_en = f" ({which_en})" if keys else ""
    which_ja = f"（{which_ja}）" if keys else ""
    return Reason(
        "trust-lists-missing",
        f"Trusted lists have not been downloaded yet{which_en}.",
        f"トラストリストがまだダウンロードされていません{which_ja}。",
        _WARN,
    )


def eu_not_assessable(*, detail: str | None = None) -> Reason:
    """The EU column when its own reason quotes a library's error: the
    ``eu-trust-unavailable`` reason, as a note of the column (VALID)."""
    from signing.model.reasons.qualification import trust_unavailable

    return dataclasses.replace(trust_unavailable(detail or ""), severity=_OK)


def jp_not_assessable(*, detail: str | None = None) -> Reason:
    """The Japanese column when its own words quote a library's error."""
    return Reason(
        "jp-not-assessed",
        "Not assessed (the Japanese trust list or the certificates could not be used).",
        "評価していません（日本のトラストリストまたは証明書を利用できません）。",
        _OK,
        technical=detail,
    )


def encrypt_entry_ignored(*, detail: str | None = None) -> Reason:
    """A trailer /Encrypt that is not an encryption dictionary: read as a
    file that is not encrypted (as EU DSS reads it)."""
    return Reason(
        "encrypt-entry-ignored",
        f"The file's /Encrypt entry is not an encryption dictionary{_den(detail)}: the file "
        "was read as not encrypted.",
        f"ファイルの /Encrypt 項目が暗号化辞書ではありません{_dja(detail)}。暗号化されていない"
        "ファイルとして読み込みました。",
        _WARN,
    )


def signature_dictionary_changed() -> Reason:
    """The signature dictionary was rewritten after signing (another /Reason,
    /Location...): what is shown is what was signed."""
    return Reason(
        "signature-dictionary-changed",
        "The signature dictionary was rewritten after signing (what the signer stated, such as "
        "the reason or the location, was changed); the statements shown are those signed.",
        "署名後に署名辞書が書き換えられています（理由や場所など署名者の記載が変更されています）。"
        "表示している記載は署名時のものです。",
        _BAD,
    )
