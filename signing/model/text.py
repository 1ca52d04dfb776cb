"""Facts about text that more than one part of Shomei needs."""

from __future__ import annotations

import re

# kana, CJK ideographs (and extension A, compatibility), CJK punctuation,
# full-width forms
_CJK = re.compile("[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def has_japanese(text: str | None) -> bool:
    """Whether ``text`` holds Japanese (or other CJK) characters: what picks
    Japanese labels for a stamp and a Japanese-capable font for a preview."""
    return bool(text) and _CJK.search(text or "") is not None
