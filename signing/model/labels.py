"""Words for people, in English and Japanese: for every enum of the result model
(:func:`label`) and every heading and field name of a report (:func:`word`).

Reports, the command line and the GUI show these words; colour is never the only
carrier of a verdict. ``label(Verdict.VALID, "ja")`` gives ``"有効"``.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Literal

from signing.model.results import (
    ChainElement,
    ChangeKind,
    EntryKind,
    Indication,
    Level,
    Qualification,
    RevocationReason,
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
    # RevocationReason (RFC 5280 CRLReason)
    RevocationReason.UNSPECIFIED: ("No reason given", "理由の指定なし"),
    RevocationReason.KEY_COMPROMISE: ("Key compromise", "鍵の危殆化"),
    RevocationReason.CA_COMPROMISE: ("CA compromise", "認証局の危殆化"),
    RevocationReason.AFFILIATION_CHANGED: ("Affiliation changed", "所属の変更"),
    RevocationReason.SUPERSEDED: ("Superseded", "新しい証明書に置き換え"),
    RevocationReason.CESSATION_OF_OPERATION: ("Cessation of operation", "業務の停止"),
    RevocationReason.CERTIFICATE_HOLD: ("Certificate on hold", "証明書の一時停止"),
    RevocationReason.REMOVE_FROM_CRL: ("Removed from the CRL", "CRLからの削除"),
    RevocationReason.PRIVILEGE_WITHDRAWN: ("Privilege withdrawn", "権限の取り消し"),
    RevocationReason.AA_COMPROMISE: ("Attribute authority compromise", "属性認証局の危殆化"),
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


#: the headings and field names of the reports and the GUI
WORDS: dict[str, tuple[str, str]] = {
    "title": ("Signature validation report", "署名検証レポート"),
    "summary": ("Summary", "概要"),
    "files": ("Files", "ファイル数"),
    "file": ("File", "ファイル"),
    "verdict": ("Verdict", "判定"),
    "overall": ("Overall verdict", "総合判定"),
    "sha256": ("SHA-256 of the file", "ファイルの SHA-256"),
    "size": ("Size", "サイズ"),
    "bytes": ("{n:,} bytes", "{n:,} バイト"),
    "signature_count": ("Signatures", "署名の数"),
    "modified_after_last": (
        "Changed after the last signature",
        "最後の署名の後の変更",
    ),
    "validation_time": ("Validation time", "検証時刻"),
    "validation_time_chosen": (
        "Validation time (chosen, not now)",
        "検証時刻（現在ではなく指定した日時）",
    ),
    "error": ("The file cannot be validated", "このファイルは検証できません"),
    "file_reasons": ("Findings for the whole file", "ファイル全体についての所見"),
    "no_signatures": ("The file contains no signatures.", "このファイルには署名がありません。"),
    "entry": ("{kind} {n} of {total}: field {field}", "{kind} {n}／{total}（フィールド{field}）"),
    "reasons": ("Reasons", "理由"),
    "who": ("Who", "署名者"),
    "name": ("Name", "氏名・名称"),
    "organisation": ("Organisation", "組織"),
    "country": ("Country", "国"),
    "signer_kind": ("Signature or seal", "署名の種別"),
    "subject": ("Certificate subject", "証明書のサブジェクト"),
    "issuer": ("Issuer", "発行者"),
    "serial": ("Serial number", "シリアル番号"),
    "key_algorithm": ("Key", "鍵"),
    "when": ("When", "日時"),
    "claimed_time": (
        "Signing time claimed by the signer (not proven)",
        "署名者が申告した署名時刻（未証明）",
    ),
    "best_time": ("Proven time", "証明された時刻"),
    "headline": ("Why", "判定の理由"),
    "decisive": ("Deciding reason", "判定を決めた理由"),
    "revocation": ("Revocation of the signer's certificate", "署名者証明書の失効状態"),
    "technical": ("Technical detail", "技術的な詳細"),
    "claimed": ("claimed by the signer, not proven", "署名者の申告、未証明"),
    "time_source": ("Proof of time", "時刻の根拠"),
    "time_by_tsa": ("Signature timestamp by {tsa}", "{tsa} による署名タイムスタンプ"),
    "time_not_proven": ("Not proven", "証明されていません"),
    "format": ("Format", "形式"),
    "level": ("PAdES level", "PAdES レベル"),
    "etsi": ("ETSI EN 319 102-1 result", "ETSI EN 319 102-1 の結果"),
    "subfilter": ("Sub-filter", "サブフィルタ"),
    "algorithms": ("Algorithms", "アルゴリズム"),
    "status": ("Legal status", "法的な位置づけ"),
    "eu_qualification": ("EU qualification (eIDAS)", "EU の適格性（eIDAS）"),
    "jp_status": ("Japanese status", "日本の制度上の位置づけ"),
    "integrity": ("Integrity and changes", "完全性と変更"),
    "intact": ("Signed content intact", "署名対象の完全性"),
    "covers": ("Covers the whole file", "ファイル全体を対象"),
    "covers_detail": ("{signed:,} of {total:,} bytes", "{total:,} バイト中 {signed:,} バイト"),
    "modified": ("Changed after signing", "署名後の変更"),
    "change_kind": ("What changed", "変更の内容"),
    "permitted": ("Changes permitted", "変更の可否"),
    "docmdp": ("Certification (DocMDP) permits", "作成者署名（DocMDP）の許可範囲"),
    "chain": ("Certificate chain", "証明書チェーン"),
    "certificate": ("Certificate", "証明書"),
    "valid_until": ("Valid until", "有効期限"),
    "revocation_status": ("Revocation", "失効状態"),
    "revocation_source": ("Source", "失効情報の入手元"),
    "revocation_time": ("Revoked on", "失効日時"),
    "revocation_reason": ("Reason", "失効理由"),
    "trust_anchor": ("Trust anchor", "トラストアンカー"),
    "timestamps": ("Timestamps", "タイムスタンプ"),
    "ts_kind": ("Kind", "種類"),
    "ts_signature": ("Signature timestamp", "署名タイムスタンプ"),
    "ts_archive": ("Document (archive) timestamp", "ドキュメント（アーカイブ）タイムスタンプ"),
    "time": ("Time", "時刻"),
    "tsa": ("Time-stamping authority", "タイムスタンプ局"),
    "ts_ok": ("Intact / trusted", "完全性／信頼"),
    "qualification": ("Qualification", "適格性"),
    "stated": ("Stated by the signer (not verified)", "署名者の記載事項（未検証）"),
    "signer_reason": ("Reason", "理由"),
    "signer_location": ("Location", "場所"),
    "signer_contact": ("Contact", "連絡先"),
    "yes": ("Yes", "はい"),
    "no": ("No", "いいえ"),
    "unknown": ("Unknown", "不明"),
    "none": ("None", "なし"),
    "footer": (
        "Validated by Shomei {version}. Validation time: {time}. Report created: {created}.",
        "Shomei {version} で検証。検証時刻: {time}。レポート作成: {created}。",
    ),
    "page": ("Page {n}", "{n} ページ"),
    "long_term_profile": (
        "Long-term signature profile (ISO 14533-3)",
        "長期署名プロファイル（ISO 14533-3）",
    ),
    # the trust paths of the column text (signing.reports.columns_text)
    "path": ("path", "パス"),
    "path_anchor": ("anchor", "アンカー"),
    "path_incomplete": (
        "chain incomplete: issuer {issuer} not found",
        "チェーン不完全：発行者 {issuer} が見つからない",
    ),
    "path_eu_none": (
        "no EU trusted list names these certificates",
        "どのEUトラストリストにもこれらの証明書は掲載されていない",
    ),
    "path_jp_none": (
        "not a Japanese anchor of the list",
        "日本のリストのアンカーではない",
    ),
    "path_none": ("no path", "パスなし"),
    "entry_signature": ("signature", "署名"),
    "entry_document-timestamp": ("document timestamp", "ドキュメントタイムスタンプ"),
}


def word(key: str, lang: Lang, **fields: object) -> str:
    """The heading or field name ``key`` in ``lang``, its ``{fields}`` filled in."""
    en, ja = WORDS[key]
    text = en if lang == "en" else ja
    return text.format(**fields) if fields else text


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


def revocation_text(element: ChainElement, lang: Lang) -> str:
    """A chain certificate's revocation in words, one fact a line: its
    status, when and why it was revoked (when known), and where the answer
    came from."""
    sep = ": " if lang == "en" else "："
    lines = [label(element.revocation_status, lang)]
    if element.revocation_time is not None:
        lines.append(word("revocation_time", lang) + sep + utc_time(element.revocation_time, lang))
    if element.revocation_reason is not None:
        lines.append(word("revocation_reason", lang) + sep + label(element.revocation_reason, lang))
    lines.append(word("revocation_source", lang) + sep + label(element.revocation_source, lang))
    return "\n".join(lines)


#: a trusted-list service's status (ETSI TS 119 612: the last part of its URI)
_SERVICE_STATUS: dict[str, tuple[str, str]] = {
    "granted": ("granted", "承認済み"),
    "withdrawn": ("withdrawn", "取り消し済み"),
    "recognisedatnationallevel": ("recognised at national level", "国レベルで承認"),
    "deprecatedatnationallevel": ("deprecated at national level", "国レベルで廃止"),
    "undersupervision": ("under supervision", "監督下"),
    "supervisionincessation": ("supervision in cessation", "監督の終了中"),
    "supervisionceased": ("supervision ceased", "監督終了"),
    "supervisionrevoked": ("supervision revoked", "監督の取り消し"),
    "accredited": ("accredited", "認定済み"),
    "accreditationceased": ("accreditation ceased", "認定終了"),
    "accreditationrevoked": ("accreditation revoked", "認定の取り消し"),
    "setbynationallaw": ("set by national law", "国内法で指定"),
    "deprecatedbynationallaw": ("deprecated by national law", "国内法で廃止"),
}


def service_status_label(status: str, lang: Lang) -> str:
    """Words for a trusted-list service status ("granted", "withdrawn", ...);
    a status not in ETSI TS 119 612 is shown as it is."""
    en, ja = _SERVICE_STATUS.get(status, (status, status))
    return en if lang == "en" else ja


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
        RevocationReason,
        ChangeKind,
        Qualification,
    )
