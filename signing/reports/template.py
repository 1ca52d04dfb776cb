"""The words and the look of the readable report (HTML and PDF).

Every heading and field name in both languages, and the inline CSS of the HTML
report. Verdicts are always written in words and marked by a border style as
well as a colour, so a black-and-white print still tells them apart.
"""

from __future__ import annotations

from signing.model.labels import Lang
from signing.model.results import Verdict

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
}


def word(key: str, lang: Lang, **fields: object) -> str:
    en, ja = WORDS[key]
    text = en if lang == "en" else ja
    return text.format(**fields) if fields else text


#: banner look per verdict: (border colour, background, border style)
BANNER: dict[Verdict, tuple[str, str, str]] = {
    Verdict.VALID: ("#1b5e20", "#e8f5e9", "solid"),
    Verdict.VALID_WITH_WARNINGS: ("#8a5a00", "#fff8e1", "dashed"),
    Verdict.INDETERMINATE: ("#8a5a00", "#fff8e1", "dotted"),
    Verdict.INVALID: ("#b71c1c", "#ffebee", "double"),
}

#: a plain-text mark in front of the verdict word (no special glyphs needed)
MARK: dict[Verdict, str] = {
    Verdict.VALID: "[OK]",
    Verdict.VALID_WITH_WARNINGS: "[!]",
    Verdict.INDETERMINATE: "[?]",
    Verdict.INVALID: "[X]",
}

CSS = """
* { box-sizing: border-box; }
body { font-family: "Noto Sans JP", "Hiragino Sans", "Yu Gothic", "Meiryo", "Noto Sans",
       "Segoe UI", Arial, sans-serif; margin: 2em; color: #111; line-height: 1.45; }
h1 { font-size: 1.5em; margin: 0 0 .6em; }
h2 { font-size: 1.25em; margin: 1.6em 0 .4em; border-bottom: 2px solid #444;
     overflow-wrap: anywhere; }
h3 { font-size: 1.1em; margin: 1.2em 0 .3em; overflow-wrap: anywhere; }
h4 { font-size: 1em; margin: .9em 0 .2em; color: #333; }
.banner { border-width: 4px; padding: .5em .8em; margin: .4em 0 .8em; font-weight: bold;
          font-size: 1.15em; }
.banner.small { font-size: 1em; border-width: 3px; }
table { border-collapse: collapse; width: 100%; margin: .2em 0 .6em; }
th, td { border: 1px solid #999; padding: .25em .45em; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: #eee; }
table.facts th { width: 32%; font-weight: normal; background: #f4f4f4; }
ul.reasons { margin: .2em 0 .6em; padding-left: 1.4em; }
ul.reasons li .sev { font-weight: bold; }
.sig { page-break-inside: avoid; }
footer { margin-top: 2em; border-top: 1px solid #999; padding-top: .4em; font-size: .85em;
         color: #333; }
@media print {
  body { margin: 0; }
  .banner { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { page-break-before: auto; page-break-after: avoid; }
}
"""
