"""Length of copy as each channel counts it: graphemes, X's weighted length, ad-width rules.

Graphemes (user-perceived characters) follow Unicode's extended grapheme clusters closely
enough for copy: combining marks, emoji ZWJ sequences, skin tones, keycaps, tag flags and
regional-indicator flag pairs count as one. No dependency beyond the standard library.
"""

from __future__ import annotations

import re
import unicodedata

CHANNEL_LIMITS: dict[str, int] = {
    "x": 280,
    "instagram": 2200,
    "linkedin": 3000,
    "search_headline": 30,
    "search_description": 90,
}
CHANNELS = (*CHANNEL_LIMITS, "generic")  # "generic" counts graphemes and has no limit

_ZWJ = "\u200d"
# X (twitter-text config v3): these code points weigh 1, every other code point 2; an emoji
# sequence weighs 2 in all; a URL weighs 23 whatever its length (t.co wraps it).
_X_LIGHT = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
_X_URL_WEIGHT = 23
_URL = re.compile(
    r"(?<![\w@.])(?:https?://|www\.)[^\s<>\"]+"
    r"|(?<![\w@.\-])(?:[a-z0-9-]+\.)+(?:com|org|net|io|co|ai|app|dev|edu|gov|me|ly|info|biz)"
    r"\b(?:/[^\s<>\"]*)?",
    re.IGNORECASE,
)
_URL_TRAILING = ".,;:!?'\")]}"  # punctuation after a URL ends the sentence, not the URL
_PICTOGRAPHIC = (
    (0x1F000, 0x1FAFF),
    (0x1FC00, 0x1FFFD),
    (0x2600, 0x27BF),
    (0x2300, 0x23FF),
    (0x2B00, 0x2BFF),
    (0x2190, 0x21FF),
    (0x3030, 0x3030),
    (0x303D, 0x303D),
    (0x3297, 0x3299),
    (0x00A9, 0x00A9),
    (0x00AE, 0x00AE),
    (0x203C, 0x203C),
    (0x2049, 0x2049),
    (0x2122, 0x2122),
    (0x2139, 0x2139),
)
# Viramas that join the next consonant into a conjunct cluster (Unicode 15.1 rule GB9c).
_LINKERS = set("\u094d\u09cd\u0acd\u0b4d\u0c4d\u0d4d")
# Conjoining jamo that form one syllable: leading (L), vowel (V), trailing (T) and precomposed.
_HANGUL_JOINS = {
    ("L", "L"), ("L", "V"), ("L", "LV"), ("L", "LVT"),
    ("V", "V"), ("V", "T"), ("LV", "V"), ("LV", "T"), ("T", "T"), ("LVT", "T"),
}  # fmt: skip


def _in(cp: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(lo <= cp <= hi for lo, hi in ranges)


def _is_regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def _is_extend(ch: str) -> bool:
    """Marks, ZWJ, variation selectors, skin tones and tag characters: they join what precedes."""
    cp = ord(ch)
    return (
        unicodedata.category(ch) in ("Mn", "Mc", "Me")
        or ch == _ZWJ
        or 0xFE00 <= cp <= 0xFE0F
        or 0x1F3FB <= cp <= 0x1F3FF
        or 0xE0020 <= cp <= 0xE007F
        or 0xE0100 <= cp <= 0xE01EF
    )


def _hangul_kind(ch: str) -> str:
    """The Hangul syllable type of a character: L, V, T, LV, LVT, or '' for other characters."""
    cp = ord(ch)
    if 0x1100 <= cp <= 0x115F or 0xA960 <= cp <= 0xA97F:
        return "L"
    if 0x1160 <= cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
        return "V"
    if 0x11A8 <= cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FB:
        return "T"
    if 0xAC00 <= cp <= 0xD7A3:
        return "LV" if (cp - 0xAC00) % 28 == 0 else "LVT"
    return ""


def _joins(cluster: str, ch: str) -> bool:
    """Whether ch continues the grapheme cluster that ends the text so far."""
    prev = cluster[-1]
    if prev == "\r" and ch == "\n":
        return True
    if prev in "\r\n" or ch in "\r\n":
        return False
    if _is_extend(ch):
        return True
    if prev == _ZWJ and _in(ord(cluster[0]), _PICTOGRAPHIC) and _in(ord(ch), _PICTOGRAPHIC):
        return True  # 👨‍👩‍👧: pictographs joined by ZWJ
    if _is_regional(ch) and _is_regional(cluster[0]):
        return len(cluster) == 1  # flags pair regional indicators two by two
    if prev in _LINKERS and unicodedata.category(ch) == "Lo":
        return True
    return (_hangul_kind(prev), _hangul_kind(ch)) in _HANGUL_JOINS


def graphemes(text: str) -> list[str]:
    """The text split into user-perceived characters (extended grapheme clusters, closely)."""
    clusters: list[str] = []
    for ch in text:
        if clusters and _joins(clusters[-1], ch):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return clusters


def grapheme_count(text: str) -> int:
    """How many user-perceived characters the text has (👍🏽, 👨‍👩‍👧, 🇨🇳 and é each count 1)."""
    return len(graphemes(text))


def _is_emoji(cluster: str) -> bool:
    """Whether a grapheme is an emoji: a pictograph, a flag, or a sequence made with emoji parts."""
    if _is_regional(cluster[0]):
        return True
    for ch in cluster[1:]:  # emoji style, keycap, ZWJ, skin tone, tag (subdivision flags)
        cp = ord(ch)
        if ch in "\ufe0f\u20e3\u200d" or 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F:
            return True
    return ord(cluster[0]) >= 0x2190 and _in(ord(cluster[0]), _PICTOGRAPHIC)


def _x_weight(text: str) -> int:
    """X's weight of text without URLs: emoji 2, light code points 1, all others 2."""
    total = 0
    for cluster in graphemes(text):
        if _is_emoji(cluster):
            total += 2
        else:
            total += sum(1 if _in(ord(c), _X_LIGHT) else 2 for c in cluster)
    return total


def x_length(text: str) -> int:
    """The weighted length X counts against 280: NFC, URLs 23, CJK and emoji 2, Latin 1."""
    text = unicodedata.normalize("NFC", text)
    total, start = 0, 0
    for match in _URL.finditer(text):
        url = match.group().rstrip(_URL_TRAILING)
        total += _x_weight(text[start : match.start()]) + _X_URL_WEIGHT
        start = match.start() + len(url)
    return total + _x_weight(text[start:])


def _ad_width(text: str) -> int:
    """Search-ad length: double-width (East Asian wide) characters count 2, the rest 1."""
    wide = ("W", "F")
    return sum(2 if unicodedata.east_asian_width(g[0]) in wide else 1 for g in graphemes(text))


def channel_length(text: str, channel: str) -> int:
    """The length the channel counts: X weighting, double-width for search ads, else graphemes."""
    if channel not in CHANNELS:
        raise ValueError(f"Unknown channel {channel!r}; choose one of {', '.join(CHANNELS)}.")
    if channel == "x":
        return x_length(text)
    if channel.startswith("search_"):
        return _ad_width(text)
    return grapheme_count(text)


def over_limit(text: str, channel: str) -> int:
    """How many characters the text is over the channel's limit; 0 when within or no limit."""
    limit = CHANNEL_LIMITS.get(channel)
    length = channel_length(text, channel)
    return max(0, length - limit) if limit is not None else 0
