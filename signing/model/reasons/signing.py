"""Warnings shown before signing, about the certificate the key comes with:
a sign-vs-seal mismatch (its purpose, from :func:`signing.certs.summary.
certificate_purpose`) and the personal data of a JPKI signature certificate."""

from __future__ import annotations

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
}


def seal_certificate_used_to_sign() -> Reason:
    return from_table(_TEXT, "seal-certificate-used-to-sign")


def signing_certificate_used_to_seal() -> Reason:
    return from_table(_TEXT, "signing-certificate-used-to-seal")


def jpki_privacy() -> Reason:
    return from_table(_TEXT, "jpki-privacy")


__all__ = ["jpki_privacy", "seal_certificate_used_to_sign", "signing_certificate_used_to_seal"]
