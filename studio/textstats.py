"""Counting text the way writers do: words for alphabetic scripts, characters for CJK."""

from __future__ import annotations

import re
from dataclasses import dataclass

# CJK ideographs, kana, hangul and their compatibility blocks: each counts as one character.
_CJK = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]"
)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class TextCount:
    """Words outside CJK runs, CJK characters, and all visible characters."""

    words: int
    cjk_chars: int
    chars: int

    def describe(self) -> str:
        """A short summary such as '120 words · 45 字 · 800 characters'."""
        parts = []
        if self.words or not self.cjk_chars:
            parts.append(f"{self.words} word{'s' if self.words != 1 else ''}")
        if self.cjk_chars:
            parts.append(f"{self.cjk_chars} 字")
        parts.append(f"{self.chars} characters")
        return " · ".join(parts)


def count_text(text: str) -> TextCount:
    """Count words (non-CJK), CJK characters and characters (user-perceived, no newlines)."""
    cjk = len(_CJK.findall(text))
    words = len(_WORD.findall(_CJK.sub(" ", text)))
    chars = len(text.replace("\r", "").replace("\n", ""))
    return TextCount(words, cjk, chars)
