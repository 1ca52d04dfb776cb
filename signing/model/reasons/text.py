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


def detail_ja(detail: str | None) -> str:
    """``（詳細: detail）`` for a Japanese sentence, or nothing (as :func:`detail_en`)."""
    detail = (detail or "").strip().rstrip(".")
    return f"（詳細: {detail}）" if detail and not is_internal(detail) else ""


def ja_list(items: Iterable[object]) -> str:
    """Items joined the Japanese way (``、``, never an ASCII ``", "``)."""
    return "、".join(str(i) for i in items)
