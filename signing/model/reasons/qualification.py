"""Reasons behind the EU column (codes ``eu-*``): an EU qualification and
why it could not be assessed. Names and territories come from trusted lists
or certificates: they are kept verbatim and escaped by the renderer."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from signing.model.labels import service_status_label
from signing.model.reasons.text import Entry, from_table, is_internal
from signing.model.results import Reason, Verdict

_OK = Verdict.VALID
_WARN = Verdict.VALID_WITH_WARNINGS
_INDET = Verdict.INDETERMINATE
_BAD = Verdict.INVALID

#: a category (``Qualification`` value) inside a sentence
_CATEGORY: dict[str, tuple[str, str]] = {
    "QESig": ("a qualified electronic signature (QES)", "適格電子署名（QES）"),
    "QESeal": ("a qualified electronic seal", "適格電子シール"),
    "AdESig-QC": (
        "an advanced electronic signature with a qualified certificate",
        "適格証明書による高度電子署名",
    ),
    "AdESeal-QC": (
        "an advanced electronic seal with a qualified certificate",
        "適格証明書による高度電子シール",
    ),
    "AdESig": ("an advanced electronic signature", "高度電子署名"),
    "AdESeal": ("an advanced electronic seal", "高度電子シール"),
    "QTST": ("a qualified electronic timestamp", "適格タイムスタンプ"),
    "TST": ("a timestamp that is not qualified", "適格ではないタイムスタンプ"),
    "not-qualified": ("not qualified", "適格ではありません"),
}

_TEXT: dict[str, Entry] = {
    "eu-qualification": (
        "Under the EU trusted list of {territory} (service {service!r}) this is {label_en}.",
        "{territory} のEUトラストリスト（サービス「{service}」）により、"
        "{label_ja}と判定されました。",
        _OK,
    ),
    "eu-not-listed": (
        "No EU trusted list names a qualified service that issued the certificate of "
        "{subject!r}: it is not a qualified certificate.",
        "「{subject}」の証明書を発行した適格サービスはEUトラストリストにありません。"
        "適格証明書ではありません。",
        _WARN,
    ),
    "eu-trust-not-loaded": (
        "The EU trusted lists are not loaded, so EU qualification was not assessed.",
        "EUトラストリストが読み込まれていないため、EUの適格性は評価されていません。",
        _WARN,
    ),
    "eu-service-not-granted": (
        "At {at} the service {service!r} in the trusted list of {territory} had the "
        "status {status!r}, not 'granted': the certificate was not qualified then.",
        "{at} 時点で {territory} のトラストリストのサービス「{service}」の状態は"
        "「{status_ja}」であり「承認済み（granted）」ではありませんでした。"
        "その時点で証明書は適格ではありません。",
        _WARN,
    ),
    "eu-not-granted-at-issuance": (
        "When the certificate was issued ({issued}) the service {service!r} of "
        "{territory} was not granted: the certificate is not qualified.",
        "証明書の発行時（{issued}）に {territory} のサービス「{service}」は"
        "「承認済み（granted）」ではありませんでした。証明書は適格ではありません。",
        _WARN,
    ),
    "eu-unknown-critical-extension": (
        "The service {service!r} in the trusted list of {territory} carries a critical "
        "extension ({ext}) that Shomei does not understand; it was not used.",
        "{territory} のトラストリストのサービス「{service}」には理解できない重要拡張（{ext}）"
        "があるため、使用しませんでした。",
        _WARN,
    ),
    "eu-no-qc-statement": (
        "The certificate of {subject!r} does not declare itself qualified "
        "(no QcCompliance statement) and the trusted list does not make it qualified.",
        "「{subject}」の証明書は適格であることを宣言しておらず（QcCompliance なし）、"
        "トラストリストも適格としていません。",
        _WARN,
    ),
    "eu-not-qscd": (
        "The private key of {subject!r} is not declared to be on a qualified signature "
        "creation device (QSCD).",
        "「{subject}」の秘密鍵が適格署名生成装置（QSCD）上にあるとは宣言されていません。",
        _WARN,
    ),
    "eu-web-certificate": (
        "The certificate of {subject!r} is qualified for website authentication only, "
        "not for signatures or seals.",
        "「{subject}」の証明書はウェブサイト認証用の適格証明書であり、署名・シール用ではありません。",
        _WARN,
    ),
    "eu-type-ambiguous": (
        "The certificate of {subject!r} declares several qualified types and the trusted "
        "list does not say which applies.",
        "「{subject}」の証明書は複数の適格タイプを宣言しており、トラストリストもどれが"
        "適用されるかを示していません。",
        _INDET,
    ),
    "eu-contradiction": (
        "The trusted lists give contradictory information ({detail}); the qualification "
        "cannot be decided.",
        "トラストリストの情報が矛盾しているため（{detail_ja}）、適格性を判定できません。",
        _INDET,
    ),
    "eu-ades-failed": (
        "The signature is not a valid advanced electronic signature, so it is not qualified.",
        "署名が有効な高度電子署名ではないため、適格ではありません。",
        _BAD,
    ),
    "eu-ades-indeterminate": (
        "The signature's validation is indeterminate; if it were valid {would_en}.",
        "署名の検証結果が未確定です。{would_ja}",
        _INDET,
    ),
    "eu-list-stale": (
        "The trusted list of {territory} should have been replaced on {next_update} and "
        "could not be refreshed since: the qualification that depends on it is "
        "indeterminate. Update the trusted lists.",
        "{territory} のトラストリストは {next_update} に更新されるべきでしたが、"
        "更新できていません。このリストに依存する適格性は未確定です。トラストリストを更新してください。",
        _INDET,
    ),
    "eu-list-stale-grace": (
        "The trusted list of {territory} is past its planned update ({next_update}); "
        "it is still used for a short grace period.",
        "{territory} のトラストリストは予定更新日（{next_update}）を過ぎていますが、"
        "猶予期間中のため使用しています。",
        _WARN,
    ),
    "eu-tsa-not-qualified": (
        "The time-stamping unit {subject!r} is not a granted qualified timestamp service "
        "(TSA/QTST) in any EU trusted list at the time of the timestamp.",
        "タイムスタンプユニット「{subject}」は、タイムスタンプ時点でEUトラストリストの"
        "適格タイムスタンプサービス（TSA/QTST）として認められていません。",
        _WARN,
    ),
    "eu-tsa-not-listed": (
        "No EU trusted list names the time-stamping unit {subject!r} or its CA: the "
        "timestamp has no EU status (it is neither a qualified nor a listed timestamp).",
        "タイムスタンプユニット「{subject}」とその認証局はどのEUトラストリストにも"
        "掲載されていません。このタイムスタンプにEU上の位置づけはありません。",
        _OK,
    ),
    "eu-tsa-no-qc-statement": (
        "The time-stamping unit {subject!r} is listed under the qualified service "
        "{service!r} of {territory}, but its certificate does not declare itself "
        "qualified: the timestamp is not qualified.",
        "タイムスタンプユニット「{subject}」は {territory} の適格サービス「{service}」に"
        "掲載されていますが、証明書が適格を宣言していないため、適格タイムスタンプではありません。",
        _WARN,
    ),
    "eu-type-out-of-scope": (
        "The service {service!r} of {territory} issues qualified certificates only for "
        "other uses than this one ({qc_type}); it does not make this certificate qualified.",
        "{territory} のサービス「{service}」は別の用途の適格証明書のみを発行しており"
        "（この証明書は {qc_type}）、この証明書を適格とはしません。",
        _WARN,
    ),
    "eu-foreign-legislation": (
        "The certificate of {subject!r} is qualified under the legislation of a country "
        "outside the EU (QcCClegislation) and no mutual recognition agreement applies.",
        "「{subject}」の証明書はEU域外の法令に基づく適格証明書（QcCClegislation）であり、"
        "適用される相互承認協定がありません。",
        _WARN,
    ),
    "eu-mra": (
        "Recognised through the EU's mutual recognition agreement with {territory} ({legal_id}).",
        "{territory} とのEU相互承認協定（{legal_id}）により認められています。",
        _OK,
    ),
    "eu-no-mra": (
        "The service {service!r} of {territory} is not an EU service and no mutual "
        "recognition agreement with the EU that Shomei applies covers it; it does not make "
        "the certificate EU-qualified.",
        "{territory} のサービス「{service}」はEUのサービスではなく、Shomei が適用する"
        "EUとの相互承認協定の対象でもないため、この証明書をEU適格とはしません。",
        _WARN,
    ),
    "eu-authentication-certificate": (
        "The certificate {subject!r} is an authentication certificate (its key usage has "
        "digitalSignature without nonRepudiation): a signature made with it is never a "
        "qualified electronic signature or seal, whatever the trusted list says of its issuer.",
        "証明書「{subject}」は認証用の証明書です（鍵用途がデジタル署名のみで、否認防止"
        "（nonRepudiation）を含みません）。この証明書による署名は、発行者がトラストリストで"
        "どう扱われていても、適格電子署名・適格電子シールにはなりません。",
        _WARN,
    ),
    # for the file's headline: an EU trusted list a signature rests on is past its
    # NextUpdate at the validation time (EU DSS: TLNotExpired, a warning)
    "eu-lists-out-of-date": (
        "The EU trusted lists used for this file are out of date at the validation time: "
        "chains still use them, but the EU qualification that depends on them may be "
        "indeterminate. Update the trusted lists (shomei trust update, or trust import).",
        "このファイルの検証に使ったEUトラストリストは、検証時点で更新期限を過ぎています。"
        "証明書チェーンには引き続き使用しますが、それに依存するEUの適格性は未確定になることが"
        "あります。トラストリストを更新してください（shomei trust update または trust import）。",
        _WARN,
    ),
    "eu-trust-disabled": (
        "EU qualification was not assessed: the EU trusted lists are turned off.",
        "EUトラストリストが無効のため、EUの適格性は評価されていません。",
        _OK,
    ),
    "eu-trust-unavailable": (
        "EU qualification could not be assessed: {detail_en}",
        "EUの適格性を評価できませんでした：{detail_ja}",
        _WARN,
    ),
    "eu-timestamp-failed": (
        "The timestamp does not validate, so it is not qualified.",
        "タイムスタンプの検証に失敗したため、適格ではありません。",
        _BAD,
    ),
}


def _r(code: str, **fields: object) -> Reason:
    return from_table(_TEXT, code, **fields)


def _day(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def result(label: str, service: str, territory: str) -> Reason:
    en, ja = _CATEGORY.get(label, (label, label))
    return _r("eu-qualification", territory=territory, service=service, label_en=en, label_ja=ja)


def not_listed(subject: str) -> Reason:
    return _r("eu-not-listed", subject=subject)


def trust_not_loaded() -> Reason:
    return _r("eu-trust-not-loaded")


def status_not_granted(service: str, territory: str, status: str, at: datetime) -> Reason:
    # the list's own word kept beside ours; an unknown word as the list writes it
    known = service_status_label(status.lower(), "ja")
    status_ja = f"{known}（{status}）" if known != status.lower() else status
    return _r(
        "eu-service-not-granted",
        at=_day(at),
        service=service,
        territory=territory,
        status=status,
        status_ja=status_ja,
    )


def not_granted_at_issuance(service: str, territory: str, issued: datetime) -> Reason:
    return _r(
        "eu-not-granted-at-issuance", issued=_day(issued), service=service, territory=territory
    )


def unknown_critical_extension(service: str, territory: str, ext: str) -> Reason:
    return _r("eu-unknown-critical-extension", service=service, territory=territory, ext=ext)


def no_qc_statement(subject: str) -> Reason:
    return _r("eu-no-qc-statement", subject=subject)


def not_on_qscd(subject: str) -> Reason:
    return _r("eu-not-qscd", subject=subject)


def web_certificate(subject: str) -> Reason:
    return _r("eu-web-certificate", subject=subject)


def type_ambiguous(subject: str) -> Reason:
    return _r("eu-type-ambiguous", subject=subject)


def contradiction(detail: str, detail_ja: str | None = None) -> Reason:
    """``detail``: what disagrees (qualifier and service names), in English
    and, when the caller has it, in Japanese."""
    return _r("eu-contradiction", detail=detail, detail_ja=detail_ja or detail)


def ades_failed() -> Reason:
    return _r("eu-ades-failed")


def ades_indeterminate(would_be: str) -> Reason:
    if would_be == "not-qualified":  # ("would be not qualified" reads wrong)
        en, ja = "it would not be qualified", "有効であっても適格ではありません。"
    else:
        label_en, label_ja = _CATEGORY.get(would_be, (would_be, would_be))
        en, ja = f"it would be {label_en}", f"有効であれば{label_ja}です。"
    return _r("eu-ades-indeterminate", would_en=en, would_ja=ja)


def list_stale(territory: str, next_update: datetime, *, beyond_grace: bool) -> Reason:
    code = "eu-list-stale" if beyond_grace else "eu-list-stale-grace"
    return _r(code, territory=territory, next_update=_day(next_update))


def tsa_not_listed(subject: str) -> Reason:
    return _r("eu-tsa-not-qualified", subject=subject)


def tsa_not_eu_listed(subject: str) -> Reason:
    return _r("eu-tsa-not-listed", subject=subject)


def tsa_without_qc(subject: str, service: str, territory: str) -> Reason:
    return _r("eu-tsa-no-qc-statement", subject=subject, service=service, territory=territory)


def type_out_of_scope(service: str, territory: str, qc_type: str) -> Reason:
    return _r("eu-type-out-of-scope", service=service, territory=territory, qc_type=qc_type)


def foreign_legislation(subject: str) -> Reason:
    return _r("eu-foreign-legislation", subject=subject)


def mutual_recognition(legal_id: str, territory: str) -> Reason:
    return _r("eu-mra", legal_id=legal_id, territory=territory)


def no_agreement(service: str, territory: str) -> Reason:
    return _r("eu-no-mra", service=service, territory=territory)


def authentication_certificate(subject: str) -> Reason:
    return _r("eu-authentication-certificate", subject=subject)


def lists_out_of_date() -> Reason:
    return _r("eu-lists-out-of-date")


def trust_disabled() -> Reason:
    return _r("eu-trust-disabled")


def trust_unavailable(detail: str) -> Reason:
    """``detail`` says why; a library's own words stay in ``technical``."""
    if detail.strip() and not is_internal(detail):
        return _r("eu-trust-unavailable", detail_en=detail, detail_ja=detail)
    unknown = _r(
        "eu-trust-unavailable",
        detail_en="the EU trusted lists could not be used.",
        detail_ja="EUのトラストリストを利用できません。",
    )
    return dataclasses.replace(unknown, technical=detail or None)


def timestamp_failed() -> Reason:
    return _r("eu-timestamp-failed")


__all__ = [
    "ades_failed",
    "ades_indeterminate",
    "authentication_certificate",
    "contradiction",
    "foreign_legislation",
    "list_stale",
    "lists_out_of_date",
    "mutual_recognition",
    "no_agreement",
    "no_qc_statement",
    "not_granted_at_issuance",
    "not_listed",
    "not_on_qscd",
    "result",
    "status_not_granted",
    "timestamp_failed",
    "trust_disabled",
    "trust_not_loaded",
    "trust_unavailable",
    "tsa_not_eu_listed",
    "tsa_not_listed",
    "tsa_without_qc",
    "type_ambiguous",
    "type_out_of_scope",
    "unknown_critical_extension",
    "web_certificate",
]
