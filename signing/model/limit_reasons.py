"""Reasons for the resource bounds of :mod:`signing.pdf.limits` (issue 16):
the file may be genuine, but reading it would cost more than any real PDF
needs, so it cannot be judged. Re-exported by
:mod:`signing.model.reasons`, whose catalogue they belong to."""

from __future__ import annotations

from signing.model.results import Reason, Verdict


def _den(detail: str | None) -> str:
    detail = (detail or "").strip()
    return f" ({detail})" if detail else ""


def _dja(detail: str | None) -> str:
    detail = (detail or "").strip()
    return f"（詳細: {detail}）" if detail else ""


def xref_too_large(*, detail: str | None = None) -> Reason:
    return Reason(
        "xref-too-large",
        "The file declares far more objects than its size can hold; it was not read, "
        f"so its signatures cannot be judged{_den(detail)}.",
        "ファイルのサイズでは保持できない数のオブジェクトが宣言されているため"
        f"読み込みを中止しました。署名は判断できません{_dja(detail)}。",
        Verdict.INDETERMINATE,
    )


def token_too_long(*, detail: str | None = None) -> Reason:
    return Reason(
        "token-too-long",
        "The file holds a number, name or operator far longer than any real PDF needs; "
        f"it was not read in full, so the file cannot be judged{_den(detail)}.",
        "実際の PDF では考えられない長さの数値・名前・演算子が含まれているため"
        f"読み込みを中止しました。ファイルは判断できません{_dja(detail)}。",
        Verdict.INDETERMINATE,
    )


def string_too_large(*, detail: str | None = None) -> Reason:
    return Reason(
        "string-too-large",
        "The file holds a string (e.g. a signature's /Contents) far larger than any real "
        f"signature; it was not read, so the file cannot be judged{_den(detail)}.",
        "実際の署名では考えられない大きさの文字列（署名の /Contents など）が含まれているため"
        f"読み込みを中止しました。ファイルは判断できません{_dja(detail)}。",
        Verdict.INDETERMINATE,
    )


def too_many_revisions(*, detail: str | None = None) -> Reason:
    return Reason(
        "too-many-revisions",
        "The file has far more incremental updates than any real workflow makes; the "
        f"changes made after signing were not analysed, so it cannot be judged{_den(detail)}.",
        "実際の運用では考えられない数の増分更新があるため、署名後の変更を分析していません。"
        f"ファイルは判断できません{_dja(detail)}。",
        Verdict.INDETERMINATE,
    )


__all__ = ["string_too_large", "token_too_long", "too_many_revisions", "xref_too_large"]
