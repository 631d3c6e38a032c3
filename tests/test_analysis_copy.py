"""Counting copy the way people and channels do: graphemes, X's weighting, ad widths."""

import pytest

from studio.analysis.copy import (
    CHANNEL_LIMITS,
    channel_length,
    grapheme_count,
    graphemes,
    over_limit,
)

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # 👨‍👩‍👧: man ZWJ woman ZWJ girl
THUMBS_MEDIUM = "\U0001f44d\U0001f3fd"  # 👍🏽: thumbs up + skin tone
FLAG_CN = "\U0001f1e8\U0001f1f3"  # 🇨🇳: two regional indicators
FLAG_ENGLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"

SAMPLES = [
    ("", 0),
    ("abc", 3),
    (THUMBS_MEDIUM, 1),
    (FAMILY, 1),
    (FLAG_CN, 1),
    (FLAG_CN + "\U0001f1fa\U0001f1f8", 2),  # 🇨🇳🇺🇸
    (FLAG_ENGLAND, 1),
    ("1\ufe0f\u20e3", 1),  # keycap 1️⃣
    ("\u2764\ufe0f", 1),  # ❤️
    ("e\u0301", 1),  # e + combining acute
    ("Cafe\u0301 au lait", 12),
    ("Z\u0351\u036b\u0343a\u0350l", 3),  # stacked combining marks
    ("春眠不觉晓", 5),
    ("한국어", 3),
    ("\u1100\u1161\u11a8", 1),  # 각 as conjoining jamo
    ("नमस्ते", 3),  # न म स्ते: a virama joins the conjunct
    ("a\r\nb", 3),  # CR LF is one
    (f"I {THUMBS_MEDIUM} this {FAMILY}!", 11),
]


@pytest.mark.parametrize(("text", "count"), SAMPLES)
def test_grapheme_count(text, count):
    assert grapheme_count(text) == count
    assert "".join(graphemes(text)) == text


@pytest.mark.parametrize(("text", "count"), SAMPLES)
def test_graphemes_agree_with_the_regex_package(text, count):
    regex = pytest.importorskip("regex")  # an independent implementation of \X
    assert graphemes(text) == regex.findall(r"\X", text)


@pytest.mark.parametrize(
    ("text", "length"),
    [
        ("hello", 5),
        ("春眠不觉晓", 10),  # CJK ideographs weigh 2
        ("こんにちは", 10),  # kana
        ("안녕", 4),  # hangul
        (THUMBS_MEDIUM, 2),  # an emoji weighs 2 however many code points it has
        (FAMILY, 2),
        (FLAG_CN, 2),
        ("e\u0301", 1),  # normalised to é first
        ("naïve café", 10),
        ("https://example.com/a/very/long/path/that/goes/on/and/on", 23),
        ("Read https://example.com/x.", 29),  # the full stop is not part of the URL
        ("Shop at www.example.org today", 37),
        ("Visit shop.com now", 33),
        ("mail me@shop.com", 16),  # an e-mail address is not a link
        ("“quotes” and — dashes…", 23),  # quotes and dashes weigh 1, but … (U+2026) 2
        ("Price: €5 → ok", 16),  # € and → are outside X's light ranges: 2 each
    ],
)
def test_x_length(text, length):
    assert channel_length(text, "x") == length


@pytest.mark.parametrize(
    ("text", "channel", "length"),
    [
        (f"{FAMILY} family", "instagram", 8),
        (f"{FAMILY} family", "linkedin", 8),
        (f"{FAMILY} family", "generic", 8),
        ("https://example.com/a/very/long/path", "instagram", 36),
        ("Fresh bread", "search_headline", 11),
        ("新鲜面包 daily", "search_headline", 14),  # ads count double-width characters twice
        ("ｆｕｌｌ", "search_description", 8),  # full-width Latin too
    ],
)
def test_channel_length(text, channel, length):
    assert channel_length(text, channel) == length


def test_channel_limits():
    assert CHANNEL_LIMITS == {
        "x": 280,
        "instagram": 2200,
        "linkedin": 3000,
        "search_headline": 30,
        "search_description": 90,
    }


@pytest.mark.parametrize(
    ("text", "channel", "over"),
    [
        ("a" * 280, "x", 0),
        ("a" * 281, "x", 1),
        ("中" * 141, "x", 2),
        ("中" * 140, "x", 0),
        (THUMBS_MEDIUM * 140, "x", 0),
        (THUMBS_MEDIUM * 141, "x", 2),
        ("a" * 31, "search_headline", 1),
        ("中" * 15, "search_headline", 0),
        ("中" * 16, "search_headline", 2),
        (FAMILY * 2201, "instagram", 1),
        ("a" * 10_000, "generic", 0),
    ],
)
def test_over_limit(text, channel, over):
    assert over_limit(text, channel) == over


def test_unknown_channel_is_an_error():
    with pytest.raises(ValueError, match="tiktok"):
        channel_length("hi", "tiktok")
    with pytest.raises(ValueError):
        over_limit("hi", "X")
