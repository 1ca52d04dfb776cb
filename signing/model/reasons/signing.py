"""Warnings of signing: before it, about the certificate the key comes with
(a sign-vs-seal mismatch, from :func:`signing.certs.summary.
certificate_purpose`; the personal data of a JPKI signature certificate);
and after it, about what the new file carries (trust anchors taken from the
key or the file, skipped time-stamping servers, a small stamp text, a
signature that is not PAdES baseline, a self-signed time-stamping server)."""

from __future__ import annotations

from collections.abc import Sequence

from signing.model.reasons.text import Entry, from_table
from signing.model.results import Reason, Verdict

_TEXT: dict[str, Entry] = {
    "seal-certificate-used-to-sign": (
        "This certificate is an organisation's seal certificate (QcType eseal, or a legal "
        "person's subject), but the document is being signed as a person; consider sealing "
        "instead.",
        "この証明書は組織のeシール用証明書（QcType eseal、または法人のサブジェクト）ですが、"
        "個人として署名しようとしています。eシールとして付与することを検討してください。",
        Verdict.VALID_WITH_WARNINGS,
    ),
    "signing-certificate-used-to-seal": (
        "This certificate is a person's signing certificate (QcType esign, or a person's name "
        "in its subject), but the document is being sealed for an organisation; consider "
        "signing instead.",
        "この証明書は個人の署名用証明書（QcType esign、またはサブジェクトに個人名）ですが、"
        "組織のeシールとして付与しようとしています。個人の署名とすることを検討してください。",
        Verdict.VALID_WITH_WARNINGS,
    ),
    "jpki-privacy": (
        "This is a JPKI (My Number card) signature certificate. It contains your name, address, "
        "date of birth and sex, and every recipient of the signed document can read them.",
        "この証明書は公的個人認証（マイナンバーカード）の署名用電子証明書です。氏名・住所・"
        "生年月日・性別が記録されており、署名した文書を受け取るすべての人がそれを読めます。",
        Verdict.VALID_WITH_WARNINGS,
    ),
    "trust-anchor-from-key": (
        "No trust anchor was given; the root certificate in the key file was trusted.",
        "トラストアンカーが指定されなかったため、鍵ファイル内のルート証明書を信頼しました。",
        Verdict.VALID_WITH_WARNINGS,
    ),
    "trust-anchor-embedded": (
        "No trust anchor was given; the root certificates embedded in the signatures were "
        "trusted to collect validation data.",
        "トラストアンカーが指定されなかったため、署名に埋め込まれたルート証明書を"
        "信頼して検証データを集めました。",
        Verdict.VALID_WITH_WARNINGS,
    ),
    "tsa-skipped": (
        "Skipped time-stamping servers: {servers_en}",
        "応答しなかったため飛ばしたタイムスタンプサーバー: {servers_ja}",
        Verdict.VALID_WITH_WARNINGS,
    ),
    "stamp-text-small": (
        "The signature's text is small ({size:.1f} pt; {good:g} pt or more reads well): "
        "{shown_en}. A larger box makes it easier to read.",
        "署名の文字が小さくなります（{size:.1f} pt。{good:g} pt以上が読みやすい大きさです）。"
        "{shown_ja}。枠を大きくすると読みやすくなります。",
        Verdict.VALID_WITH_WARNINGS,
    ),
    "extended-not-pades-baseline": (
        "{field} is a {subfilter_en} signature, not a PAdES baseline one: it now carries what "
        "{target} asks for, but validators will not give it a PAdES level.",
        "{field}はPAdESベースラインではない{subfilter_ja}署名です。{target}に必要なデータは"
        "付加しましたが、検証ツールはPAdESのレベルを認めません。",
        Verdict.VALID_WITH_WARNINGS,
    ),
    "tsa-self-signed": (
        "The time-stamping server's certificate ({tsa}) is self-signed: validators will not "
        "trust the timestamp on {field} unless they trust that very certificate.",
        "タイムスタンプサーバーの証明書（{tsa}）は自己署名です。検証ツールがその証明書自体を"
        "信頼しない限り、{field}のタイムスタンプは信頼されません。",
        Verdict.VALID_WITH_WARNINGS,
    ),
}


def seal_certificate_used_to_sign() -> Reason:
    return from_table(_TEXT, "seal-certificate-used-to-sign")


def signing_certificate_used_to_seal() -> Reason:
    return from_table(_TEXT, "signing-certificate-used-to-seal")


def jpki_privacy() -> Reason:
    return from_table(_TEXT, "jpki-privacy")


def trust_anchor_from_key() -> Reason:
    return from_table(_TEXT, "trust-anchor-from-key")


def trust_anchor_embedded() -> Reason:
    return from_table(_TEXT, "trust-anchor-embedded")


def tsa_skipped(skipped: Sequence[str], skipped_ja: Sequence[str] | None = None) -> Reason:
    """Servers passed over (each "URL: cause", and in Japanese when the
    caller has it) before one answered."""
    return from_table(
        _TEXT,
        "tsa-skipped",
        servers_en="; ".join(skipped),
        servers_ja="／".join(skipped_ja if skipped_ja is not None else skipped),
    )


def stamp_text_small(size: float, good: float, shown_en: str, shown_ja: str) -> Reason:
    return from_table(
        _TEXT, "stamp-text-small", size=size, good=good, shown_en=shown_en, shown_ja=shown_ja
    )


def not_pades_baseline(field: str, subfilter: str, target: str) -> Reason:
    return from_table(
        _TEXT,
        "extended-not-pades-baseline",
        field=field,
        subfilter_en=subfilter or "legacy",
        subfilter_ja=subfilter or "旧形式の",
        target=target,
    )


def tsa_self_signed(tsa: str, field: str) -> Reason:
    return from_table(_TEXT, "tsa-self-signed", tsa=tsa, field=field)


__all__ = [
    "jpki_privacy",
    "not_pades_baseline",
    "seal_certificate_used_to_sign",
    "signing_certificate_used_to_seal",
    "stamp_text_small",
    "trust_anchor_embedded",
    "trust_anchor_from_key",
    "tsa_self_signed",
    "tsa_skipped",
]
