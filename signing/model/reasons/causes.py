"""Why a library said no, as a phrase in both languages: the causes that go
inside an error's sentence ("The signing certificate cannot be used: <cause>").

pyhanko-certvalidator, pyHanko's trusted-list check, a time-stamping server's
PKIStatus and failInfo, and cryptography's certificate parser each explain
themselves in English of their own. The known explanations are mapped here,
by code, from the facts the exception carries (its class, dates, a CRL
reason, a status word), never by reading its prose; the prose itself is only
ever the error's technical detail (``ShomeiError.technical``: ``--verbose``,
the log, the app's collapsed details). An unknown explanation gets the
generic phrase of its kind, never its English.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from signing.model.labels import label, utc_time
from signing.model.results import RevocationReason

__all__ = [
    "Cause",
    "certificate_parse",
    "certificate_path",
    "crl_reason",
    "file_problem",
    "list_signature",
    "not_der",
    "tsa_refusal",
]


@dataclass(frozen=True)
class Cause:
    """One cause: a stable code, and the phrase in English and Japanese (no
    leading capital, no final stop: it completes a sentence)."""

    code: str
    en: str
    ja: str

    def text(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en


# --- certificate paths (pyhanko-certvalidator) -------------------------------


def crl_reason(name: str | None) -> tuple[str, str]:
    """A revocation reason (asn1crypto's ``CRLReason.native``) in both
    languages, in the words of the certificate viewer (lower case inside a
    sentence, "CA" and "CRL" kept)."""
    reason = RevocationReason.from_native(name or "unspecified")
    if reason is None:
        return ("reason not stated", "理由不明")
    en = label(reason, "en")
    if not en[1:2].isupper():
        en = en[:1].lower() + en[1:]
    return (en, label(reason, "ja"))


#: the cause kinds of a certificate path, with their phrases ({when}, {reason})
_PATH = {
    "revoked": (
        "it was revoked on {when_en} ({reason_en})",
        "{when_ja}に失効しています（理由：{reason_ja}）",
    ),
    "revoked-ca": (
        "a certificate of its chain was revoked on {when_en} ({reason_en})",
        "チェーン上の証明書が{when_ja}に失効しています（理由：{reason_ja}）",
    ),
    "expired": ("it expired on {when_en}", "{when_ja}に有効期限が切れています"),
    "expired-ca": (
        "a certificate of its chain expired on {when_en}",
        "チェーン上の証明書が{when_ja}に有効期限切れになっています",
    ),
    "not-yet-valid": ("it is valid only from {when_en}", "有効期間の開始は{when_ja}です"),
    "revocation-stale": (
        "the revocation information found is older than allowed",
        "見つかった失効情報が古すぎます",
    ),
    "revocation-missing": (
        "no revocation information could be found for it or its chain",
        "この証明書またはチェーンの失効情報が見つかりません",
    ),
    "no-proof-of-existence": (
        "there is no proof that the signature existed while the certificates were valid",
        "証明書の有効期間中に署名が存在したことを証明できません",
    ),
    "no-issuer": (
        "no issuer certificate leading to a trusted root was found",
        "信頼されたルートにつながる発行者の証明書が見つかりません",
    ),
    "issuer-fetch": (
        "the issuer certificate could not be downloaded",
        "発行者の証明書をダウンロードできませんでした",
    ),
    "unusable": (
        "its key usage or extended key usage does not allow this use",
        "鍵用途または拡張鍵用途がこの用途を許可していません",
    ),
    "path-invalid": (
        "its certificate chain is not valid",
        "証明書チェーンが有効ではありません",
    ),
    "unknown": ("it could not be validated", "検証できませんでした"),
}


def certificate_path(
    kind: str, *, when: datetime | None = None, reason: str | None = None
) -> Cause:
    """Why a certificate path was refused: ``kind`` one of the kinds above
    (an unknown one is told as ``unknown``), ``when`` the revocation,
    expiry or start date, ``reason`` the CRL reason's name."""
    kind = kind if kind in _PATH else "unknown"
    en, ja = _PATH[kind]
    reason_en, reason_ja = crl_reason(reason)
    fields = {
        "when_en": utc_time(when, "en") if when else "an unknown date",
        "when_ja": utc_time(when, "ja") if when else "日時不明",
        "reason_en": reason_en,
        "reason_ja": reason_ja,
    }
    return Cause(f"cert-{kind}", en.format(**fields), ja.format(**fields))


# --- a time-stamping server's refusal (RFC 3161 PKIStatusInfo) ---------------

_PKI_STATUS = {
    "rejection": ("refused the request", "要求を拒否しました"),
    "waiting": (
        "has not issued the timestamp yet (waiting)",
        "まだタイムスタンプを発行していません",
    ),
    "revocation_warning": (
        "refused: its certificate is about to be revoked",
        "拒否しました（証明書がまもなく失効します）",
    ),
    "revocation_notification": (
        "refused: its certificate has been revoked",
        "拒否しました（証明書が失効しています）",
    ),
}

_FAIL_INFO = {
    "bad_alg": ("it does not accept the hash algorithm", "ハッシュアルゴリズムを受け付けません"),
    "bad_request": ("the request is not permitted", "この要求は許可されていません"),
    "bad_data_format": ("the request is malformed", "要求の形式が不正です"),
    "time_not_available": ("its time source is not available", "時刻を取得できません"),
    "unaccepted_policy": (
        "it does not offer the policy asked for",
        "要求されたポリシーに対応していません",
    ),
    "unaccepted_extension": (
        "it does not accept an extension of the request",
        "要求の拡張を受け付けません",
    ),
    "add_info_not_available": (
        "the additional information asked for is not available",
        "要求された追加情報を利用できません",
    ),
    "system_failure": ("it had an internal failure", "サーバー内部でエラーが発生しました"),
}


def tsa_refusal(status: str | None, fail_info: Sequence[str] = ()) -> Cause:
    """A time-stamping server's refusal from its PKIStatus (asn1crypto's
    name) and failInfo bits; its free-text statusString is never part of it
    (a server's words: technical detail only)."""
    en, ja = _PKI_STATUS.get(status or "", _PKI_STATUS["rejection"])
    known = [_FAIL_INFO[f] for f in fail_info if f in _FAIL_INFO]
    if known:
        en += ": " + "; ".join(e for e, _ in known)
        ja += "（" + "。".join(j for _, j in known) + "）"
    code = "tsa-" + (status or "rejection").replace("_", "-")
    return Cause(code, en, ja)


# --- a trusted list's signature (pyHanko's XAdES check) ----------------------

_LIST_SIGNATURE = {
    "FORMAT_FAILURE": (
        "the signed data holds no trusted list",
        "署名されたデータにトラストリストが含まれていません",
    ),
    "SIG_CRYPTO_FAILURE": (
        "the signature value does not verify",
        "署名値を検証できません",
    ),
    "HASH_FAILURE": (
        "the list was changed after it was signed",
        "署名後にリストが変更されています",
    ),
}

#: what pyHanko reports when none of the expected signers made the signature
_NO_SIGNER = (
    "it was not made by any of the expected signer certificates, or it is broken",
    "想定される署名者の証明書のいずれによっても作成されていないか、壊れています",
)


def list_signature(subindication: str | None) -> Cause:
    """Why a trusted list's XAdES signature was refused, from pyHanko's AdES
    sub-indication name (``GENERIC``: no expected signer verified it)."""
    en, ja = _LIST_SIGNATURE.get(subindication or "", _NO_SIGNER)
    code = "list-signature-" + (subindication or "generic").lower().replace("_", "-")
    return Cause(code, en, ja)


# --- signed attributes that are not DER (signing.validation.der_check) -----------

#: what breaks DER, as der_check says it, in Japanese
_NOT_DER_JA = {
    "truncated": "途中で切れています",
    "truncated tag": "タグが途中で切れています",
    "truncated length": "長さが途中で切れています",
    "an indefinite length": "不定長の長さがあります",
    "a length with leading zero bytes": "長さに先頭のゼロバイトがあります",
    "a long-form length where the short form is required": "長さが不要な長形式で書かれています",
    "a length beyond the data": "長さがデータを超えています",
    "nesting too deep": "入れ子が多すぎます",
    "a member longer than its parent": "要素が外側の要素より長くなっています",
    "SET OF members out of DER order": "SET OFの要素がDERの順序になっていません",
    "a BOOLEAN other than 00 or FF": "BOOLEANの値が00・FF以外です",
    "data after the end": "末尾の後ろにデータがあります",
}


def not_der(problem: str) -> Cause:
    """What breaks DER (:func:`signing.validation.der_check.der_problem`'s
    words); an unknown problem gets a generic Japanese phrase."""
    ja = _NOT_DER_JA.get(problem, "DERの形式ではありません")
    return Cause("not-der", problem, ja)


# --- files and folders (an OSError's errno; anything else unreadable) -----------

_ERRNO = {
    errno.ENOENT: ("it does not exist", "存在しません"),
    errno.EACCES: ("permission is denied", "アクセスが拒否されました"),
    errno.EPERM: ("permission is denied", "アクセスが拒否されました"),
    errno.ENOSPC: ("the disk is full", "ディスクの空き容量がありません"),
    errno.EROFS: ("the disk is read-only", "読み取り専用のディスクです"),
    errno.EISDIR: ("it is a folder", "フォルダーです"),
    errno.ENOTDIR: ("a part of its path is not a folder", "パスの途中がフォルダーではありません"),
    errno.EIO: ("the disk could not be read or written", "ディスクの読み書きに失敗しました"),
    errno.ENAMETOOLONG: ("its name is too long", "名前が長すぎます"),
}


def file_problem(exc: BaseException) -> Cause:
    """Why a file or folder could not be used: an OSError by its errno (the
    system's English ``strerror`` is technical detail); anything else (a
    damaged archive, XML that does not parse) says the content is unreadable."""
    number = exc.errno if isinstance(exc, OSError) else None
    if number in _ERRNO:
        en, ja = _ERRNO[number]
        return Cause(f"file-{errno.errorcode[number].lower()}", en, ja)
    if isinstance(exc, OSError):
        return Cause("file-os-error", "it could not be read or written", "読み書きできませんでした")
    return Cause("file-unreadable", "its content cannot be read", "内容を読み取れません")


# --- a certificate that cannot be parsed --------------------------------------


def certificate_parse() -> Cause:
    """A certificate the parser refused (cryptography's or asn1crypto's words
    on the DER are technical detail only)."""
    return Cause(
        "certificate-unparseable",
        "a certificate is not valid DER (X.509)",
        "証明書がX.509（DER）として正しくありません",
    )
