"""Words for people, in English and Japanese, for every enum of the result model.

Reports, the command line and the GUI show these words; colour is never the only
carrier of a verdict. ``label(Verdict.VALID, "ja")`` gives ``"有効"``.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Literal

from signing.model.results import (
    ChangeKind,
    EntryKind,
    Indication,
    Level,
    Qualification,
    RevocationSource,
    RevocationStatus,
    SignerKind,
    Verdict,
)

Lang = Literal["en", "ja"]
LANGS: tuple[Lang, ...] = ("en", "ja")

_LABELS: dict[enum.Enum, tuple[str, str]] = {
    # Verdict
    Verdict.VALID: ("Valid", "有効"),
    Verdict.VALID_WITH_WARNINGS: ("Valid with warnings", "有効（警告あり）"),
    Verdict.INDETERMINATE: ("Indeterminate", "判定不能"),
    Verdict.INVALID: ("Invalid", "無効"),
    # Indication (ETSI EN 319 102-1)
    Indication.TOTAL_PASSED: ("Total passed", "合格（TOTAL-PASSED）"),
    Indication.INDETERMINATE: ("Indeterminate", "判定不能（INDETERMINATE）"),
    Indication.TOTAL_FAILED: ("Total failed", "不合格（TOTAL-FAILED）"),
    # Level
    Level.NONE: ("Not a PAdES baseline signature", "PAdES ベースライン署名ではありません"),
    Level.B_B: ("PAdES B-B (basic)", "PAdES B-B（基本）"),
    Level.B_T: ("PAdES B-T (with time)", "PAdES B-T（タイムスタンプ付き）"),
    Level.B_LT: ("PAdES B-LT (long term)", "PAdES B-LT（長期検証情報付き）"),
    Level.B_LTA: (
        "PAdES B-LTA (long term with archive)",
        "PAdES B-LTA（アーカイブタイムスタンプ付き）",
    ),
    # EntryKind
    EntryKind.SIGNATURE: ("Signature", "署名"),
    EntryKind.DOCUMENT_TIMESTAMP: ("Document timestamp", "ドキュメントタイムスタンプ"),
    # SignerKind
    SignerKind.NATURAL_PERSON: ("Signature (natural person)", "署名（自然人）"),
    SignerKind.LEGAL_PERSON: ("Seal (legal person)", "eシール（法人）"),
    SignerKind.UNKNOWN: ("Unknown", "種別不明"),
    # RevocationSource
    RevocationSource.EMBEDDED: ("Embedded in the file", "ファイルに埋め込み済み"),
    RevocationSource.FETCHED_OCSP: ("Fetched by OCSP", "OCSP で取得"),
    RevocationSource.FETCHED_CRL: ("Fetched CRL", "CRL で取得"),
    RevocationSource.NOT_AVAILABLE: ("Not available", "取得できません"),
    RevocationSource.NOT_NEEDED: ("Not needed (trust anchor)", "不要（トラストアンカー）"),
    # RevocationStatus
    RevocationStatus.GOOD: ("Not revoked", "失効していません"),
    RevocationStatus.REVOKED: ("Revoked", "失効しています"),
    RevocationStatus.UNKNOWN: ("Status unknown", "失効状態は不明です"),
    RevocationStatus.NOT_CHECKED: ("Not checked", "未確認"),
    # ChangeKind
    ChangeKind.NONE: ("No change", "変更なし"),
    ChangeKind.LTA_UPDATES: (
        "Long-term validation data and timestamps only",
        "長期検証情報とタイムスタンプの追加のみ",
    ),
    ChangeKind.FORM_FILLING: ("Form filling", "フォームへの入力"),
    ChangeKind.ANNOTATIONS: ("Annotations", "注釈の追加・変更"),
    ChangeKind.OTHER: ("Other changes", "その他の変更"),
    # Qualification
    Qualification.QESIG: ("Qualified electronic signature", "適格電子署名（QESig）"),
    Qualification.QESEAL: ("Qualified electronic seal", "適格eシール（QESeal）"),
    Qualification.ADESIG_QC: (
        "Advanced electronic signature with a qualified certificate",
        "適格証明書に基づく高度電子署名（AdESig-QC）",
    ),
    Qualification.ADESEAL_QC: (
        "Advanced electronic seal with a qualified certificate",
        "適格証明書に基づく高度eシール（AdESeal-QC）",
    ),
    Qualification.ADESIG: ("Advanced electronic signature", "高度電子署名（AdESig）"),
    Qualification.ADESEAL: ("Advanced electronic seal", "高度eシール（AdESeal）"),
    Qualification.QTST: ("Qualified electronic timestamp", "適格タイムスタンプ（QTST）"),
    Qualification.TST: ("Timestamp (not qualified)", "タイムスタンプ（非適格）"),
    Qualification.NOT_QUALIFIED: ("Not qualified", "適格ではありません"),
    Qualification.NOT_EU_LISTED: ("Not on an EU trusted list", "EUトラストリストに掲載なし"),
    Qualification.INDETERMINATE: ("Qualification indeterminate", "適格性は判定不能です"),
    Qualification.NOT_ASSESSED: ("Not assessed", "評価していません"),
}


def utc_time(moment: datetime, lang: str) -> str:
    """A moment in UTC, written the way each language writes dates (naive = UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    if lang == "en":
        return moment.strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M:%S} UTC"


def label(value: enum.Enum, lang: Lang) -> str:
    """The word for ``value`` in ``lang`` ("en" or "ja").

    Raises ``KeyError`` for an enum member without a label (a test walks every
    member so that cannot ship) and ``ValueError`` for an unknown language.
    """
    en, ja = _LABELS[value]
    if lang == "en":
        return en
    if lang == "ja":
        return ja
    raise ValueError(f"unknown language {lang!r}; use 'en' or 'ja'")


_DOCMDP: dict[str, tuple[str, str]] = {
    "no-changes": ("No changes", "変更不可"),
    "form-filling": ("Form filling and signing", "フォーム入力と署名"),
    "annotations": ("Form filling, signing and annotations", "フォーム入力・署名・注釈"),
}


def docmdp_label(level: str | None, lang: Lang) -> str:
    """Words for a certification's permission (``"no-changes"``,
    ``"form-filling"``, ``"annotations"``); an unknown value is shown as is."""
    en, ja = _DOCMDP.get(level or "", (level or "-", level or "-"))
    return en if lang == "en" else ja


def labelled_enums() -> tuple[type[enum.Enum], ...]:
    """Every enum type that has labels (for tests and translators)."""
    return (
        Verdict,
        Indication,
        Level,
        EntryKind,
        SignerKind,
        RevocationSource,
        RevocationStatus,
        ChangeKind,
        Qualification,
    )
