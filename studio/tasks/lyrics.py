"""Lyrics tab: prompts for a song with sections, a rhyme scheme and a syllable target per line,
and for rewriting one flagged line of a lyric in place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from studio.tasks.languages import Language, language
from studio.tasks.prompt import Prompt, TaskInputError, require

GENRES = ("pop", "folk", "rock", "hip-hop", "ballad", "country", "R&B", "Mandopop", "children's")
STRUCTURES = {
    "verse-chorus": ["Verse 1", "Chorus", "Verse 2", "Chorus"],
    "verse-chorus-bridge": ["Verse 1", "Chorus", "Verse 2", "Chorus", "Bridge", "Chorus"],
    "verse-prechorus-chorus": [
        "Verse 1",
        "Pre-Chorus",
        "Chorus",
        "Verse 2",
        "Pre-Chorus",
        "Chorus",
    ],
    "ballad (verses only)": ["Verse 1", "Verse 2", "Verse 3"],
}
RHYME_SCHEMES = ("AABB", "ABAB", "ABCB", "free")
MAX_SYLLABLES_PER_LINE = 24  # a sung line longer than this is really two lines

SYSTEM = (
    "You are a professional songwriter. You write singable lines with concrete images, keep "
    "the requested structure and rhyme scheme, and output only the lyrics with section tags."
)


FIX_SYSTEM = (
    "You are a professional songwriter revising a lyric. You rewrite only the line you are "
    "asked to, keep its meaning, mood and language, and output only the new line: no quotes, "
    "no line number, no comments."
)
MAX_RHYME_HINTS = 8  # rhyming words offered to the model when a line must rhyme
_TAG = re.compile(r"\[[^\]\n]*\]")
_NUMBERING = re.compile(r"^(?:line\s*)?\d+\s*[:：.)]\s*", re.IGNORECASE)
_WRAPPING = " \t\"'“”‘’「」『』*"


def _check_scheme(rhyme_scheme: str) -> str:
    if rhyme_scheme not in RHYME_SCHEMES:
        raise TaskInputError(f"Rhyme scheme must be one of {', '.join(RHYME_SCHEMES)}.")
    return rhyme_scheme


def _check_target(syllables_per_line: float | None) -> int:
    """The syllable target as an int (0 = none), or TaskInputError when out of range."""
    target = int(syllables_per_line or 0)
    if target != (syllables_per_line or 0) or not 0 <= target <= MAX_SYLLABLES_PER_LINE:
        raise TaskInputError(
            f"Syllables per line must be a whole number from 0 (no target) "
            f"to {MAX_SYLLABLES_PER_LINE}."
        )
    return target


def _length_phrase(target: int, lang: Language) -> str:
    """How long a line should be: syllables, or characters for Chinese, Japanese and Korean."""
    return f"about {target} {'characters' if lang.cjk else 'syllables'}"


def build_lyrics_prompt(
    theme: str,
    genre: str = "pop",
    structure: str = "verse-chorus",
    rhyme_scheme: str = "AABB",
    language_code: str = "en",
    syllables_per_line: int = 0,
) -> Prompt:
    """A prompt for song lyrics with [Section] tags in the requested structure and scheme.

    ``syllables_per_line`` asks for lines of about that many syllables (characters in CJK
    languages); 0 sets no target.
    """
    theme = require(theme, "the song's theme")
    sections = STRUCTURES.get(structure)
    if sections is None:
        raise TaskInputError(
            f"Unknown structure {structure!r}; choose one of {', '.join(STRUCTURES)}."
        )
    _check_scheme(rhyme_scheme)
    target = _check_target(syllables_per_line)
    lang = language(language_code)
    tags = " ".join(f"[{s}]" for s in sections)
    rhyme = (
        "Lines need not rhyme."
        if rhyme_scheme == "free"
        else f"Each four-line stanza rhymes {rhyme_scheme}."
    )
    if lang.cjk and rhyme_scheme != "free":
        rhyme += " Rhyme on the final vowel (韵母) of the last character."
    user = (
        f"Write {genre} song lyrics in {lang.name} about: {theme}\n"
        f"Structure, with each section tag on its own line: {tags}\n{rhyme}"
    )
    if target:
        user += f"\nKeep every line to {_length_phrase(target, lang)}."
    if lang.cjk:
        plain = f"歌曲：{theme}\n风格：{genre}\n" + (f"每行约{target}字\n" if target else "")
    else:
        plain = f"Song: {theme}\nStyle: {genre}\n" + (
            f"About {target} syllables per line\n" if target else ""
        )
    return Prompt(SYSTEM, user, plain=plain + f"\n[{sections[0]}]\n")


def _sung_line(lines: list[str], line_index: int) -> str:
    """The stripped line at line_index, or TaskInputError when it is blank, a tag or missing."""
    line = lines[line_index].strip() if 0 <= line_index < len(lines) else ""
    if not line or _TAG.fullmatch(line):
        raise TaskInputError(f"Line {line_index + 1} is not a sung line of the lyrics.")
    return line


def build_line_fix_prompt(
    lyrics: str,
    line_index: int,
    reason: str,
    rhyme_scheme: str = "AABB",
    syllables_per_line: int = 0,
    language_code: str = "en",
    rhyme_word: str = "",
    rhymes: Sequence[str] = (),
) -> Prompt:
    """A prompt to rewrite line ``line_index`` (0-based, as str.splitlines counts) of a lyric.

    ``reason`` says why the line was flagged; ``rhyme_word`` is the word it must rhyme with and
    ``rhymes`` words that do, when known. The chat form shows the whole lyric with line numbers
    and asks for only the new line; the plain form (base models) is the lyric up to that line.
    """
    if not (lyrics or "").strip():
        raise TaskInputError("Please fill in the lyrics.")
    lines = lyrics.splitlines()
    old = _sung_line(lines, line_index)
    _check_scheme(rhyme_scheme)
    target = _check_target(syllables_per_line)
    lang = language(language_code)
    numbered = "\n".join(f"{i}: {line}".rstrip() for i, line in enumerate(lines, start=1))
    asks = [f"Why it was flagged: {reason.strip()}"] if reason.strip() else []
    if rhyme_scheme != "free":
        asks.append(f"The lyric rhymes {rhyme_scheme} in each four-line stanza.")
    if rhyme_word:
        hints = ", ".join(rhymes[:MAX_RHYME_HINTS])
        such = f", such as: {hints}" if hints else ""
        asks.append(f'End the line on a word that rhymes with "{rhyme_word}"{such}.')
    if target:
        asks.append(f"Make the line {_length_phrase(target, lang)} long.")
    user = (
        f"Song lyrics in {lang.name}, with line numbers:\n\n{numbered}\n\n"
        f"Rewrite line {line_index + 1}: {old}\n" + "\n".join(asks) + "\n"
        f"Keep its meaning, mood and language ({lang.name}). Output only the new line."
    )
    return Prompt(
        FIX_SYSTEM, user, plain=_fix_plain(lines[:line_index], rhyme_scheme, target, lang)
    )


def _fix_plain(before: list[str], rhyme_scheme: str, target: int, lang: Language) -> str:
    """A base model's continuation prompt: a heading with the form, then the lines before."""
    if lang.cjk:
        form = [f"押韵：{rhyme_scheme}"] if rhyme_scheme != "free" else []
        form += [f"每行约{target}字"] if target else []
        heading = "歌词" + (f"（{'，'.join(form)}）" if form else "")
    else:
        form = [f"rhyme scheme {rhyme_scheme}"] if rhyme_scheme != "free" else []
        form += [f"about {target} syllables per line"] if target else []
        heading = "Song lyrics" + (f" ({', '.join(form)})" if form else "")
    body = "\n".join(before)
    return f"{heading}\n\n{body}\n" if body else f"{heading}\n\n"


def _clean_line(raw: str) -> str:
    return _NUMBERING.sub("", raw.strip(_WRAPPING)).strip(_WRAPPING)


def first_line(output: str) -> tuple[str, bool]:
    """The first lyric line in a model's output, cleaned, and whether it is complete.

    Section tags, blank lines and lead-ins ending in a colon are skipped; line numbers and
    wrapping quotes are removed. A line is complete once a newline follows it.
    """
    parts = output.split("\n")
    for i, raw in enumerate(parts):
        line = _clean_line(raw)
        if line and not _TAG.fullmatch(line) and not line.endswith((":", "：")):
            return line, i < len(parts) - 1
    return "", False


def replace_line(lyrics: str, line_index: int, new_line: str) -> str:
    """The lyrics with one line (0-based, as str.splitlines counts) replaced, indent kept."""
    lines = lyrics.splitlines()
    old = lines[line_index]
    indent = old[: len(old) - len(old.lstrip())]
    lines[line_index] = indent + " ".join(new_line.split())
    return "\n".join(lines) + ("\n" if lyrics.endswith(("\n", "\r")) else "")
