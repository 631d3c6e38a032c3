"""Languages the studio writes and translates, with the codes translation models use."""

from __future__ import annotations

from dataclasses import dataclass

from studio.tasks.prompt import TaskInputError


@dataclass(frozen=True)
class Language:
    """A language with its English name, own name and per-model-family codes."""

    code: str  # ISO 639-1, also the M2M100 code
    name: str  # English name, used in prompts
    native: str  # the language's own name, shown in menus
    nllb: str  # NLLB-200 code
    cjk: bool = False  # counted in characters rather than words


LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", "English", "eng_Latn"),
    Language("zh", "Simplified Chinese", "简体中文", "zho_Hans", cjk=True),
    Language("zh-Hant", "Traditional Chinese", "繁體中文", "zho_Hant", cjk=True),
    Language("ja", "Japanese", "日本語", "jpn_Jpan", cjk=True),
    Language("ko", "Korean", "한국어", "kor_Hang", cjk=True),
    Language("fr", "French", "Français", "fra_Latn"),
    Language("de", "German", "Deutsch", "deu_Latn"),
    Language("es", "Spanish", "Español", "spa_Latn"),
)
BY_CODE: dict[str, Language] = {lang.code: lang for lang in LANGUAGES}


def language(code: str) -> Language:
    """The Language for a code, or TaskInputError listing the codes we know."""
    try:
        return BY_CODE[code]
    except KeyError:
        known = ", ".join(BY_CODE)
        raise TaskInputError(f"Unknown language {code!r}; choose one of {known}.") from None


def choices() -> list[tuple[str, str]]:
    """(label, code) pairs for a dropdown, e.g. ("简体中文 (Simplified Chinese)", "zh")."""
    return [
        (lang.native if lang.native == lang.name else f"{lang.native} ({lang.name})", lang.code)
        for lang in LANGUAGES
    ]


# Chinese prose runs at roughly 1.6 characters per English word of the same content.
CJK_CHARS_PER_WORD = 1.6


def length_phrase(words: int, code: str) -> str:
    """How to ask for a length in a language: characters for CJK, words otherwise."""
    if language(code).cjk:
        return f"about {round(words * CJK_CHARS_PER_WORD, -1):.0f} characters"
    return f"about {words} words"
