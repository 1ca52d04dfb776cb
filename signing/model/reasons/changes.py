"""The reasons for what changed after a signature, in English and Japanese,
from the named changes (:class:`Change`) that
:mod:`signing.validation.change_facts` finds.

- content changed (pages, page content, catalog entries) after a signature
  with no lock: ``content-changed``, INVALID: what a reader sees is no
  longer what was signed (as iText and EU DSS conclude);
- changes nothing explains and nothing names as content:
  ``unexplained-changes``, INDETERMINATE, with what could be named;
- what deserves a word whatever the rest (:data:`WARNING_CODES`): a warning
  each, VALID_WITH_WARNINGS at most.

Used by :mod:`signing.validation.entry_facts`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from signing.model.reasons.validation import unexplained_changes
from signing.model.results import Reason, Verdict

#: the groups of named changes (:mod:`signing.validation.change_facts` finds them)
CONTENT = "content"
ANNOTATIONS = "annotations"
WARNINGS = "warning"


@dataclass(frozen=True)
class Change:
    """One named change: ``code`` is stable, ``where`` says where (page
    numbers, catalog keys, object numbers, byte counts)."""

    code: str
    group: str
    where: str


#: reason codes of the named warnings (one per kind of update)
WARNING_CODES = frozenset(
    {
        "need-appearances-set",
        "empty-signature-field-added",
        "visible-timestamp-added",
        "object-defined-twice",
        "bytes-after-eof",
    }
)

_WHAT: dict[str, tuple[str, str]] = {
    "pages-added": ("{where} page(s) added", "{where} ページの追加"),
    "pages-removed": ("{where} page(s) removed", "{where} ページの削除"),
    "pages-replaced": ("page(s) {where} replaced", "{where} ページ目の差し替え"),
    "page-content-changed": (
        "the content of page(s) {where} changed",
        "{where} ページ目の内容の変更",
    ),
    "catalog-changed": (
        "document-level entries changed ({where})",
        "文書レベルの項目の変更（{where}）",
    ),
    "annotations-changed": (
        "annotations on page(s) {where} added or changed",
        "{where} ページ目の注釈の追加・変更",
    ),
}

_WARNINGS: dict[str, tuple[str, str]] = {
    "need-appearances-set": (
        "An update after this signature asks viewers to redraw the form fields "
        "(/NeedAppearances): what they show may differ from the signed appearance.",
        "この署名の後の更新で、ビューアーにフォームフィールドの再描画を求める設定"
        "（/NeedAppearances）が加えられています。表示が署名時の外観と異なる可能性があります。",
    ),
    "empty-signature-field-added": (
        "An empty signature field was added after this signature ({where}).",
        "この署名の後に空の署名フィールドが追加されています（{where}）。",
    ),
    "visible-timestamp-added": (
        "A document timestamp shown on the page was added after this signature ({where}): "
        "its stamp is drawn over the signed page, and this signature does not cover it.",
        "この署名の後に、ページ上に表示されるドキュメントタイムスタンプが追加されています"
        "（{where}）。その表示は署名済みのページの上に描かれ、この署名の対象外です。",
    ),
    "object-defined-twice": (
        "An update after this signature defines objects twice (objects {where}): "
        "readers may disagree on which copy counts.",
        "この署名の後の更新で同じオブジェクトが二重に定義されています（{where}）。"
        "どちらが有効かはビューアーによって異なる可能性があります。",
    ),
    "bytes-after-eof": (
        "{where} bytes after the end of the last update (%%EOF) belong to no update; "
        "no reader shows them.",
        "最後の更新の終わり（%%EOF）の後に、どの更新にも属さない {where} バイトがあります。"
        "ビューアーはこれを表示しません。",
    ),
}


def _where(change: Change, lang: int) -> str:
    """Where, as the finder lists it (``"2, 3"``); Japanese lists take ``、``."""
    return change.where if lang == 0 else change.where.replace(", ", "、")


def _what(changes: Sequence[Change], lang: int) -> str:
    parts = [_WHAT[c.code][lang].format(where=_where(c, lang)) for c in changes if c.code in _WHAT]
    return ("; " if lang == 0 else "、").join(parts)


def content_changed(changes: Sequence[Change]) -> Reason | None:
    """INVALID, naming the content changes; None when there is none."""
    content = [c for c in changes if c.group == CONTENT]
    if not content:
        return None
    return Reason(
        "content-changed",
        f"After this signature the document's content was changed ({_what(content, 0)}): "
        "what a reader sees is no longer what was signed.",
        f"この署名の後に文書の内容が変更されています（{_what(content, 1)}）。"
        "表示される内容は署名されたものではありません。",
        Verdict.INVALID,
    )


def unexplained(changes: Sequence[Change]) -> Reason:
    """INDETERMINATE: changes not shown harmless, with what could be named."""
    named = [c for c in changes if c.group == ANNOTATIONS]
    return unexplained_changes(named=(_what(named, 0), _what(named, 1)) if named else None)


def warnings(changes: Sequence[Change]) -> list[Reason]:
    """One warning per named kind of update."""
    out = []
    for c in changes:
        if c.group != WARNINGS or c.code not in _WARNINGS:
            continue
        en, ja = _WARNINGS[c.code]
        out.append(
            Reason(
                c.code,
                en.format(where=_where(c, 0)),
                ja.format(where=_where(c, 1)),
                Verdict.VALID_WITH_WARNINGS,
            )
        )
    return out


__all__ = [
    "ANNOTATIONS",
    "CONTENT",
    "WARNINGS",
    "WARNING_CODES",
    "Change",
    "content_changed",
    "unexplained",
    "warnings",
]
