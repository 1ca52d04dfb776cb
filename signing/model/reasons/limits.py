"""Reasons for the resource bounds of :mod:`signing.pdf.limits` (issue 16):
the file may be genuine, but reading it would cost more than any real PDF
needs, so it cannot be judged; or the process validating it in a batch
died (killed, out of memory)."""

from __future__ import annotations

import re

from signing.model.reasons.text import Entry, detail_en, detail_ja, from_table
from signing.model.results import Reason, Verdict

_TEXT: dict[str, Entry] = {
    "xref-too-large": (
        "The file declares far more objects than its size can hold; it was not read, "
        "so its signatures cannot be judged{den}.",
        "ファイルのサイズでは保持できない数のオブジェクトが宣言されているため"
        "読み込みを中止しました。署名は判断できません{dja}。",
        Verdict.INDETERMINATE,
    ),
    "token-too-long": (
        "The file holds a number, name or operator far longer than any real PDF needs; "
        "it was not read in full, so the file cannot be judged{den}.",
        "実際の PDF では考えられない長さの数値・名前・演算子が含まれているため"
        "読み込みを中止しました。ファイルは判断できません{dja}。",
        Verdict.INDETERMINATE,
    ),
    "string-too-large": (
        "The file holds a string (e.g. a signature's /Contents) far larger than any real "
        "signature; it was not read, so the file cannot be judged{den}.",
        "実際の署名では考えられない大きさの文字列（署名の /Contents など）が含まれているため"
        "読み込みを中止しました。ファイルは判断できません{dja}。",
        Verdict.INDETERMINATE,
    ),
    "too-many-revisions": (
        "The file has far more incremental updates than any real workflow makes; the "
        "changes made after signing were not analysed, so it cannot be judged{den}.",
        "実際の運用では考えられない数の増分更新があるため、署名後の変更を分析していません。"
        "ファイルは判断できません{dja}。",
        Verdict.INDETERMINATE,
    ),
    "validation-process-stopped": (
        "The file was not validated: the process validating it stopped unexpectedly{den}, "
        "e.g. ended by the system or out of memory. Validate this file again on its own.",
        "このファイルは検証されていません。検証中のプロセスが予期せず終了しました{dja}"
        "（システムによる強制終了やメモリ不足など）。このファイルだけをもう一度検証してください。",
        Verdict.INDETERMINATE,
    ),
}


def _r(code: str, detail: str | None) -> Reason:
    return from_table(_TEXT, code, den=detail_en(detail), dja=detail_ja(detail))


def xref_too_large(*, detail: str | None = None) -> Reason:
    return _r("xref-too-large", detail)


def token_too_long(*, detail: str | None = None) -> Reason:
    return _r("token-too-long", detail)


def string_too_large(*, detail: str | None = None) -> Reason:
    return _r("string-too-large", detail)


def too_many_revisions(*, detail: str | None = None) -> Reason:
    # the bound's number told in Japanese too (the English detail is not)
    bound = re.search(r"\d[\d,]*", detail or "")
    dja = f"（{bound.group(0)} 件を超える増分更新）" if bound else ""
    return from_table(_TEXT, "too-many-revisions", den=detail_en(detail), dja=dja)


def validation_process_stopped(*, detail: str | None = None) -> Reason:
    """A batch worker died on this file (``detail``: the signal, e.g. SIGKILL)."""
    return _r("validation-process-stopped", detail)


__all__ = [
    "string_too_large",
    "token_too_long",
    "too_many_revisions",
    "validation_process_stopped",
    "xref_too_large",
]
