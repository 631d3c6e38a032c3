"""Counting words and CJK characters."""

import pytest

from studio.textstats import count_text


@pytest.mark.parametrize(
    ("text", "words", "cjk", "chars"),
    [
        ("", 0, 0, 0),
        ("Hello, world!", 2, 0, 13),
        ("It's a well-known fact.", 4, 0, 23),
        ("春眠不觉晓", 0, 5, 5),
        ("我爱Python和AI。", 2, 3, 12),
        ("한국어 텍스트", 0, 6, 7),
        ("ひらがなとカタカナ", 0, 9, 9),
        ("line one\nline two", 4, 0, 16),
        ("Café ☕ 3.5 cups 🎉", 3, 0, 17),
    ],
)
def test_count_text(text, words, cjk, chars):
    counted = count_text(text)
    assert (counted.words, counted.cjk_chars, counted.chars) == (words, cjk, chars)


def test_describe_mentions_characters_for_chinese():
    assert count_text("春眠不觉晓").describe() == "5 字 · 5 characters"
    assert count_text("one").describe() == "1 word · 3 characters"
