"""Reasons behind the Japanese column (codes ``jp-*``): what the Japanese list
says of the chain a signature ends at. Service names come from the list, in
both languages (``names``: English, Japanese)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from signing.model.reasons.text import Entry, from_table, ja_list
from signing.model.results import Reason, Verdict

Names = tuple[str, str]

_TEXT: dict[str, Entry] = {
    "jp-policy-not-counting": (
        "The certificate has none of the policies that count under {en} ({policies_en}).",
        "証明書に {ja} で対象となるポリシー（{policies_ja}）がない。",
        Verdict.VALID_WITH_WARNINGS,
    ),
    "jp-key-usage-not-counting": (
        "The certificate lacks key usage {key_usage}, required under {en}.",
        "証明書に鍵用途 {key_usage} がない（{ja} で必須）。",
        Verdict.VALID_WITH_WARNINGS,
    ),
    "jp-eku-not-counting": (
        "The certificate lacks extended key usage {eku}, required under {en}.",
        "証明書に拡張鍵用途 {eku} がない（{ja} で必須）。",
        Verdict.VALID_WITH_WARNINGS,
    ),
    "jp-anchor-wrong-use": (
        "The chain ends at {en}, a {use}-only root, not a document-signing anchor.",
        "チェーンの終点 {ja} は {use} 専用のルートで、文書署名のアンカーではない。",
        Verdict.VALID_WITH_WARNINGS,
    ),
    "jp-service-deprecated": (
        "The Japanese list marks {en} as deprecated: the chain no longer leads to a "
        "recognised Japanese service.",
        "日本のリストでは {ja} は廃止（deprecated）とされており、"
        "チェーンは認定された日本のサービスにつながらない。",
        Verdict.VALID_WITH_WARNINGS,
    ),
    "jp-not-signature-certificate": (
        "not a signature certificate under the Act: this signature was made with "
        "a user-authentication certificate ({en}).",
        "法に基づく署名用電子証明書ではない：利用者証明用（認証用）電子証明書で"
        "署名されている（{ja}）。",
        Verdict.VALID_WITH_WARNINGS,
    ),
    "jp-anchor-not-valid-at-time": (
        "The anchor generation of {en} was not valid at {at:%Y-%m-%d %H:%M} UTC "
        "(valid {not_before:%Y-%m-%d} to {not_after:%Y-%m-%d}).",
        "{ja} のこの世代は {at:%Y-%m-%d %H:%M} UTC に有効ではなかった"
        "（有効期間 {not_before:%Y-%m-%d}〜{not_after:%Y-%m-%d}）。",
        Verdict.VALID_WITH_WARNINGS,
    ),
    "jp-not-accredited-at-time": (
        "{en} is accredited from {since}{until_en}; this timestamp ({at:%Y-%m-%d}) "
        "falls outside that period and is not an accredited timestamp.",
        "{ja} の認定期間は {since}{until_ja}で、"
        "このタイムスタンプ（{at:%Y-%m-%d}）は認定タイムスタンプではない。",
        Verdict.VALID,
    ),
    "jp-accreditation-unverified": (
        "{en} is said to hold an accreditation ({basis_en}), but it has not been "
        "verified against the official register: it is treated as a commercial CA.",
        "{ja} は認定（{basis_ja}）を受けているとされるが、公的な登録簿で確認できて"
        "いないため、民間認証局として扱う。",
        Verdict.VALID,
    ),
    "jp-revocation-restricted": (
        "chain verified to {en}; revocation status is only available to registered verifiers",
        "{ja}までの証明書チェーンは検証済み。失効情報は登録された署名検証者のみが確認できる",
        Verdict.INDETERMINATE,
    ),
    "jp-revocation-no-url": (
        "chain verified to {en}; revocation status is not published at any URL (the "
        "certificate names its CRL by directory name only) and the file carries none",
        "{ja}までの証明書チェーンは検証済み。失効情報は URL で公開されて"
        "おらず（CRL 配布点はディレクトリ名のみ）、ファイルにも含まれていない",
        Verdict.INDETERMINATE,
    ),
}


def _r(code: str, names: Names, **fields: object) -> Reason:
    return from_table(_TEXT, code, en=names[0], ja=names[1], **fields)


def policy_not_counting(names: Names, policy_prefixes: Sequence[str]) -> Reason:
    return _r(
        "jp-policy-not-counting",
        names,
        policies_en=", ".join(policy_prefixes),
        policies_ja=ja_list(policy_prefixes),
    )


def key_usage_not_counting(names: Names, key_usage: str) -> Reason:
    return _r("jp-key-usage-not-counting", names, key_usage=key_usage)


def eku_not_counting(names: Names, eku: str) -> Reason:
    return _r("jp-eku-not-counting", names, eku=eku)


def anchor_wrong_use(names: Names, use: str) -> Reason:
    """``use``: "TLS" or "S/MIME", the only use of the root the chain ends at."""
    return _r("jp-anchor-wrong-use", names, use=use)


def service_deprecated(names: Names) -> Reason:
    return _r("jp-service-deprecated", names)


def not_signature_certificate(names: Names) -> Reason:
    return _r("jp-not-signature-certificate", names)


def anchor_not_valid_at_time(
    names: Names, at: datetime, not_before: datetime, not_after: datetime
) -> Reason:
    return _r(
        "jp-anchor-not-valid-at-time", names, at=at, not_before=not_before, not_after=not_after
    )


def not_accredited_at_time(
    names: Names, at: datetime, since: datetime | None, until: datetime | None
) -> Reason:
    return _r(
        "jp-not-accredited-at-time",
        names,
        at=at,
        since=f"{since:%Y-%m-%d}" if since else "?",
        until_en=f" to {until:%Y-%m-%d}" if until else "",
        until_ja=f"〜{until:%Y-%m-%d}" if until else " 以降",
    )


def accreditation_unverified(names: Names, basis: Names) -> Reason:
    """``basis``: the accreditation the list claims, in English and Japanese."""
    return _r("jp-accreditation-unverified", names, basis_en=basis[0], basis_ja=basis[1])


def revocation_restricted(ca: Names) -> Reason:
    return _r("jp-revocation-restricted", ca)


def revocation_no_url(names: Names) -> Reason:
    return _r("jp-revocation-no-url", names)


__all__ = [
    "accreditation_unverified",
    "anchor_not_valid_at_time",
    "anchor_wrong_use",
    "eku_not_counting",
    "key_usage_not_counting",
    "not_accredited_at_time",
    "not_signature_certificate",
    "policy_not_counting",
    "revocation_no_url",
    "revocation_restricted",
    "service_deprecated",
]
