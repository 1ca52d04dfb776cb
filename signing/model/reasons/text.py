"""Small pieces the catalogue's sentences are built from, in both languages."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from signing.model.results import Reason, Verdict

#: one catalogue entry: the English and the Japanese sentence (``str.format``
#: templates over the constructor's fields; a field's value is never read as
#: a template), and how much it weighs on the verdict
Entry = tuple[str, str, Verdict]


def from_table(table: Mapping[str, Entry], code: str, **fields: object) -> Reason:
    """The reason ``code`` of ``table`` with its fields filled in."""
    en, ja, severity = table[code]
    return Reason(code, en.format(**fields), ja.format(**fields), severity)


#: what internal text looks like: a Python exception's name, a traceback, or
#: ``SomeLibraryName: ...`` (how :func:`hostile.describe` writes exceptions)
INTERNAL_TEXT = re.compile(r"\b[A-Z]\w*(Error|Exception)\b|Traceback|^[A-Z][a-z]+[A-Z]\w*:")


def is_internal(text: str | None) -> bool:
    """Whether ``text`` is a library's own wording, not a sentence for people
    (it then goes to ``Reason.technical`` only)."""
    return bool(text and INTERNAL_TEXT.search(text))


def detail_en(detail: str | None) -> str:
    """`` (detail)`` to end an English sentence with, or nothing (also when
    the detail is internal text: that stays in ``Reason.technical``)."""
    detail = (detail or "").strip().rstrip(".")
    return f" ({detail})" if detail and not is_internal(detail) else ""


#: English prose: two words in a row ("No %PDF- header in …", "has 2 numbers")
ENGLISH_PROSE = re.compile(r"[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}")


def detail_ja(detail: str | None) -> str:
    """``（詳細: detail）`` for a Japanese sentence, or nothing (as
    :func:`detail_en`; also when the detail is English prose, a parser's or a
    library's words: those stay in ``Reason.technical``, never inside the
    Japanese sentence)."""
    detail = (detail or "").strip().rstrip(".")
    if not detail or is_internal(detail) or ENGLISH_PROSE.search(detail):
        return ""
    return f"（詳細: {detail}）"


def ja_list(items: Iterable[object]) -> str:
    """Items joined the Japanese way (``、``, never an ASCII ``", "``)."""
    return "、".join(str(i) for i in items)
