"""Reasons behind an EU qualification, one function per stable code, each
with an English and a Japanese sentence (same style as
``signing.model.reasons``). Names and territories come from trusted
lists or certificates: they are kept verbatim and escaped by the renderer."""

from __future__ import annotations

from datetime import UTC, datetime

from signing.model.results import Reason, Verdict

_OK = Verdict.VALID
_WARN = Verdict.VALID_WITH_WARNINGS
_INDET = Verdict.INDETERMINATE

_LABEL_EN = {
    "QESig": "a qualified electronic signature (QES)",
    "QESeal": "a qualified electronic seal",
    "AdESig-QC": "an advanced electronic signature with a qualified certificate",
    "AdESeal-QC": "an advanced electronic seal with a qualified certificate",
    "AdESig": "an advanced electronic signature",
    "AdESeal": "an advanced electronic seal",
    "QTST": "a qualified electronic timestamp",
    "TST": "a timestamp that is not qualified",
    "not-qualified": "not qualified",
}
_LABEL_JA = {
    "QESig": "適格電子署名（QES）",
    "QESeal": "適格電子シール",
    "AdESig-QC": "適格証明書による高度電子署名",
    "AdESeal-QC": "適格証明書による高度電子シール",
    "AdESig": "高度電子署名",
    "AdESeal": "高度電子シール",
    "QTST": "適格タイムスタンプ",
    "TST": "適格ではないタイムスタンプ",
    "not-qualified": "適格ではありません",
}


def _day(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def result(label: str, service: str, territory: str) -> Reason:
    return Reason(
        "eu-qualification",
        f"Under the EU trusted list of {territory} (service {service!r}) this is "
        f"{_LABEL_EN.get(label, label)}.",
        f"{territory} のEUトラストリスト（サービス「{service}」）により、"
        f"{_LABEL_JA.get(label, label)}と判定されました。",
        _OK,
    )


def not_listed(subject: str) -> Reason:
    return Reason(
        "eu-not-listed",
        f"No EU trusted list names a qualified service that issued the certificate of "
        f"{subject!r}: it is not a qualified certificate.",
        f"「{subject}」の証明書を発行した適格サービスはEUトラストリストにありません。"
        "適格証明書ではありません。",
        _WARN,
    )


def trust_not_loaded() -> Reason:
    return Reason(
        "eu-trust-not-loaded",
        "The EU trusted lists are not loaded, so EU qualification was not assessed.",
        "EUトラストリストが読み込まれていないため、EUの適格性は評価されていません。",
        _WARN,
    )


def status_not_granted(service: str, territory: str, status: str, at: datetime) -> Reason:
    return Reason(
        "eu-service-not-granted",
        f"At {_day(at)} the service {service!r} in the trusted list of {territory} had the "
        f"status {status!r}, not 'granted': the certificate was not qualified then.",
        f"{_day(at)} 時点で {territory} のトラストリストのサービス「{service}」の状態は"
        f"「{status}」であり「granted」ではありませんでした。その時点で証明書は適格ではありません。",
        _WARN,
    )


def not_granted_at_issuance(service: str, territory: str, issued: datetime) -> Reason:
    return Reason(
        "eu-not-granted-at-issuance",
        f"When the certificate was issued ({_day(issued)}) the service {service!r} of "
        f"{territory} was not granted: the certificate is not qualified.",
        f"証明書の発行時（{_day(issued)}）に {territory} のサービス「{service}」は"
        "granted ではありませんでした。証明書は適格ではありません。",
        _WARN,
    )


def unknown_critical_extension(service: str, territory: str, ext: str) -> Reason:
    return Reason(
        "eu-unknown-critical-extension",
        f"The service {service!r} in the trusted list of {territory} carries a critical "
        f"extension ({ext}) that Shomei does not understand; it was not used.",
        f"{territory} のトラストリストのサービス「{service}」には理解できない重要拡張（{ext}）"
        "があるため、使用しませんでした。",
        _WARN,
    )


def no_qc_statement(subject: str) -> Reason:
    return Reason(
        "eu-no-qc-statement",
        f"The certificate of {subject!r} does not declare itself qualified "
        "(no QcCompliance statement) and the trusted list does not make it qualified.",
        f"「{subject}」の証明書は適格であることを宣言しておらず（QcCompliance なし）、"
        "トラストリストも適格としていません。",
        _WARN,
    )


def not_on_qscd(subject: str) -> Reason:
    return Reason(
        "eu-not-qscd",
        f"The private key of {subject!r} is not declared to be on a qualified signature "
        "creation device (QSCD).",
        f"「{subject}」の秘密鍵が適格署名生成装置（QSCD）上にあるとは宣言されていません。",
        _WARN,
    )


def web_certificate(subject: str) -> Reason:
    return Reason(
        "eu-web-certificate",
        f"The certificate of {subject!r} is qualified for website authentication only, "
        "not for signatures or seals.",
        f"「{subject}」の証明書はウェブサイト認証用の適格証明書であり、署名・シール用ではありません。",
        _WARN,
    )


def type_ambiguous(subject: str) -> Reason:
    return Reason(
        "eu-type-ambiguous",
        f"The certificate of {subject!r} declares several qualified types and the trusted "
        "list does not say which applies.",
        f"「{subject}」の証明書は複数の適格タイプを宣言しており、トラストリストもどれが"
        "適用されるかを示していません。",
        _INDET,
    )


def contradiction(detail: str) -> Reason:
    return Reason(
        "eu-contradiction",
        f"The trusted lists give contradictory information ({detail}); the qualification "
        "cannot be decided.",
        f"トラストリストの情報が矛盾しているため（{detail}）、適格性を判定できません。",
        _INDET,
    )


def ades_failed() -> Reason:
    return Reason(
        "eu-ades-failed",
        "The signature is not a valid advanced electronic signature, so it is not qualified.",
        "署名が有効な高度電子署名ではないため、適格ではありません。",
        Verdict.INVALID,
    )


def ades_indeterminate(would_be: str) -> Reason:
    if would_be == "not-qualified":  # ("would be not qualified" reads wrong)
        en = "it would not be qualified"
        ja = "有効であっても適格ではありません。"
    else:
        en = f"it would be {_LABEL_EN.get(would_be, would_be)}"
        ja = f"有効であれば{_LABEL_JA.get(would_be, would_be)}です。"
    return Reason(
        "eu-ades-indeterminate",
        f"The signature's validation is indeterminate; if it were valid {en}.",
        f"署名の検証結果が未確定です。{ja}",
        _INDET,
    )


def list_stale(territory: str, next_update: datetime, *, beyond_grace: bool) -> Reason:
    if beyond_grace:
        return Reason(
            "eu-list-stale",
            f"The trusted list of {territory} should have been replaced on "
            f"{_day(next_update)} and could not be refreshed since: the qualification "
            "that depends on it is indeterminate. Update the trusted lists.",
            f"{territory} のトラストリストは {_day(next_update)} に更新されるべきでしたが、"
            "更新できていません。このリストに依存する適格性は未確定です。トラストリストを更新してください。",
            _INDET,
        )
    return Reason(
        "eu-list-stale-grace",
        f"The trusted list of {territory} is past its planned update ({_day(next_update)}); "
        "it is still used for a short grace period.",
        f"{territory} のトラストリストは予定更新日（{_day(next_update)}）を過ぎていますが、"
        "猶予期間中のため使用しています。",
        _WARN,
    )


def tsa_not_listed(subject: str) -> Reason:
    return Reason(
        "eu-tsa-not-qualified",
        f"The time-stamping unit {subject!r} is not a granted qualified timestamp service "
        "(TSA/QTST) in any EU trusted list at the time of the timestamp.",
        f"タイムスタンプユニット「{subject}」は、タイムスタンプ時点でEUトラストリストの"
        "適格タイムスタンプサービス（TSA/QTST）として認められていません。",
        _WARN,
    )


def tsa_not_eu_listed(subject: str) -> Reason:
    return Reason(
        "eu-tsa-not-listed",
        f"No EU trusted list names the time-stamping unit {subject!r} or its CA: the "
        "timestamp has no EU status (it is neither a qualified nor a listed timestamp).",
        f"タイムスタンプユニット「{subject}」とその認証局はどのEUトラストリストにも"
        "掲載されていません。このタイムスタンプにEU上の位置づけはありません。",
        Verdict.VALID,
    )


def tsa_without_qc(subject: str, service: str, territory: str) -> Reason:
    return Reason(
        "eu-tsa-no-qc-statement",
        f"The time-stamping unit {subject!r} is listed under the qualified service {service!r} "
        f"of {territory}, but its certificate does not declare itself qualified: the "
        "timestamp is not qualified.",
        f"タイムスタンプユニット「{subject}」は {territory} の適格サービス「{service}」に"
        "掲載されていますが、証明書が適格を宣言していないため、適格タイムスタンプではありません。",
        _WARN,
    )


def type_out_of_scope(service: str, territory: str, qc_type: str) -> Reason:
    return Reason(
        "eu-type-out-of-scope",
        f"The service {service!r} of {territory} issues qualified certificates only for "
        f"other uses than this one ({qc_type}); it does not make this certificate qualified.",
        f"{territory} のサービス「{service}」は別の用途の適格証明書のみを発行しており"
        f"（この証明書は {qc_type}）、この証明書を適格とはしません。",
        _WARN,
    )


def foreign_legislation(subject: str) -> Reason:
    return Reason(
        "eu-foreign-legislation",
        f"The certificate of {subject!r} is qualified under the legislation of a country "
        "outside the EU (QcCClegislation) and no mutual recognition agreement applies.",
        f"「{subject}」の証明書はEU域外の法令に基づく適格証明書（QcCClegislation）であり、"
        "適用される相互承認協定がありません。",
        _WARN,
    )


def mutual_recognition(legal_id: str, territory: str) -> Reason:
    return Reason(
        "eu-mra",
        f"Recognised through the EU's mutual recognition agreement with {territory} ({legal_id}).",
        f"{territory} とのEU相互承認協定（{legal_id}）により認められています。",
        _OK,
    )


def no_agreement(service: str, territory: str) -> Reason:
    return Reason(
        "eu-no-mra",
        f"The service {service!r} of {territory} is not an EU service and no mutual "
        "recognition agreement with the EU that Shomei applies covers it; it does not make "
        "the certificate EU-qualified.",
        f"{territory} のサービス「{service}」はEUのサービスではなく、Shomei が適用する"
        "EUとの相互承認協定の対象でもないため、この証明書をEU適格とはしません。",
        _WARN,
    )


def authentication_certificate(subject: str) -> Reason:
    return Reason(
        "eu-authentication-certificate",
        f"The certificate {subject!r} is an authentication certificate (its key usage has "
        "digitalSignature without nonRepudiation): a signature made with it is never a "
        "qualified electronic signature or seal, whatever the trusted list says of its issuer.",
        f"証明書「{subject}」は認証用の証明書です（鍵用途がデジタル署名のみで、否認防止"
        "（nonRepudiation）を含みません）。この証明書による署名は、発行者がトラストリストで"
        "どう扱われていても、適格電子署名・適格電子シールにはなりません。",
        _WARN,
    )


def lists_out_of_date() -> Reason:
    """For the file's headline: an EU trusted list a signature rests on is past
    its NextUpdate at the validation time (EU DSS: TLNotExpired, a warning)."""
    return Reason(
        "eu-lists-out-of-date",
        "The EU trusted lists used for this file are out of date at the validation time: "
        "chains still use them, but the EU qualification that depends on them may be "
        "indeterminate. Update the trusted lists (shomei trust update, or trust import).",
        "このファイルの検証に使ったEUトラストリストは、検証時点で更新期限を過ぎています。"
        "証明書チェーンには引き続き使用しますが、それに依存するEUの適格性は未確定になることが"
        "あります。トラストリストを更新してください（shomei trust update または trust import）。",
        _WARN,
    )
