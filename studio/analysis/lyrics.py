"""Lyrics analysis: syllables per line, rhyme keys, rhyme letters per stanza, scheme checks.

English uses the CMU Pronouncing Dictionary (spelling estimates for unknown words); Chinese
counts one syllable per character and rhymes on the pinyin final; Japanese and Korean count
characters (kana morae, hangul blocks). Other Latin-script languages use spelling estimates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from studio.analysis.cjk import (
    CJK,
    chinese_rhyme,
    chinese_rhymes,
    japanese_rhyme,
    korean_rhyme,
    mora_count,
)
from studio.analysis.english import (
    WORD,
    english_rhyme,
    english_rhymes,
    spelling_rhyme,
    word_syllables,
)

_TAG = re.compile(r"\[[^\]\n]*\]")
_TAG_LINE = re.compile(r"\[([^\]\n]*)\]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_KANA = re.compile(r"[\u3040-\u30ff]")
# Which lines of a four-line group must rhyme: a letter repeated later names an earlier partner.
SCHEMES: dict[str, str] = {"AABB": "AABB", "ABAB": "ABAB", "ABCB": "ABCB", "free": ""}
# User-facing messages, in one place so they can be translated.
MESSAGES = {
    "rhyme": "Should rhyme with line {partner} ({scheme}).",
    "no_rhyme_word": "No word to rhyme on; should rhyme with line {partner} ({scheme}).",
    "syllables": "{count} syllables; the target is {target} ± {tolerance}.",
}


@dataclass(frozen=True)
class LineAnalysis:
    """One non-blank line of lyrics: a [Section] tag line or a sung line with its sounds."""

    line_no: int  # 1-based line number in the text, as an editor shows it
    text: str  # the line without surrounding whitespace
    section: str | None  # the tag's name on a tag line; else the section above (None if none)
    is_tag: bool  # a "[Chorus]"-style line that starts a section
    stanza: int | None  # 0-based stanza number of a sung line; None on tag lines
    syllables: int  # 0 on tag lines
    rhyme_key: str | None  # what must match for two lines to rhyme; None on tag lines
    rhyme_letter: str  # "A", "B"... within the stanza; "" on tag lines and lines with no key


@dataclass(frozen=True)
class LineIssue:
    """A problem with one line: `index` points into analyse_lyrics's list for the same text."""

    index: int  # position in analyse_lyrics(text, lang), which includes tag lines
    line_no: int  # 1-based line number in the text
    kind: Literal["rhyme", "syllables"]
    message: str


def _is_cjk_language(lang: str) -> bool:
    return lang.split("-")[0] in ("zh", "ja", "ko")


def syllables(word: str, lang: str = "en") -> int:
    """Syllables in a word (or phrase): CMU for English, else estimates; one per CJK character."""
    latin_lang = "en" if _is_cjk_language(lang) else lang
    latin = CJK.sub(" ", word)
    return mora_count(word) + sum(word_syllables(w, latin_lang) for w in WORD.findall(latin))


def line_syllables(line: str, lang: str) -> int:
    """Syllables sung in a line, ignoring punctuation and [Section] tags (0 for a tag line)."""
    return syllables(_TAG.sub(" ", line), lang)


def rhyme_key(word_or_line: str, lang: str) -> str | None:
    """What the last word rhymes on (CMU rhyming part, pinyin final group...), None if no word.

    The script of the last word decides: an English word ending a Chinese line rhymes as English,
    hangul as Korean, kana as Japanese, Han characters as Chinese (as Japanese when lang is ja).
    """
    spaced = CJK.sub(lambda m: f" {m.group()} ", _TAG.sub(" ", word_or_line))
    tokens = WORD.findall(spaced)
    if not tokens:
        return None
    last = tokens[-1]
    if not CJK.fullmatch(last):
        is_english = lang.split("-")[0] == "en" or _is_cjk_language(lang)
        return english_rhyme(last) if is_english else spelling_rhyme(last)
    run = ""
    for token in reversed(tokens):  # the trailing run of CJK characters, for reading in context
        if not CJK.fullmatch(token):
            break
        run = token + run
    if _HANGUL.match(last):
        return korean_rhyme(run)
    if _KANA.match(last) or lang.split("-")[0] == "ja":
        return japanese_rhyme(run)
    return chinese_rhyme(run)


def _letter(index: int) -> str:
    """'A'..'Z', then 'A1'..'Z1' and so on."""
    return chr(ord("A") + index % 26) + (str(index // 26) if index >= 26 else "")


def analyse_lyrics(text: str, lang: str) -> list[LineAnalysis]:
    """Every non-blank line with its section, stanza, syllables, rhyme key and rhyme letter.

    A [Section] tag line starts a section and a stanza; a blank line starts a stanza. Letters
    are given per stanza: a line whose key matches an earlier line's gets that line's letter.
    """
    result: list[LineAnalysis] = []
    section: str | None = None
    stanza, new_stanza = -1, True
    letters: dict[str, str] = {}
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        tag = _TAG_LINE.fullmatch(line)
        if not line or tag:
            new_stanza = True
            if tag:
                section = tag.group(1).strip()
                result.append(LineAnalysis(line_no, line, section, True, None, 0, None, ""))
            continue
        if new_stanza:
            stanza, new_stanza, letters = stanza + 1, False, {}
        key = rhyme_key(line, lang)
        letter = letters.setdefault(key, _letter(len(letters))) if key else ""
        count = line_syllables(line, lang)
        result.append(LineAnalysis(line_no, line, section, False, stanza, count, key, letter))
    return result


def _rhyme_issues(lines: list[tuple[int, LineAnalysis]], scheme: str) -> list[LineIssue]:
    """Issues for one stanza's (index, line) pairs against the scheme, four lines at a time."""
    pattern = SCHEMES[scheme]
    issues: list[LineIssue] = []
    for pos, (index, line) in enumerate(lines if pattern else []):
        offset = pos % len(pattern)
        partner_offset = pattern[:offset].find(pattern[offset])
        if partner_offset < 0:
            continue
        partner = lines[pos - offset + partner_offset][1]
        if line.rhyme_key is not None and line.rhyme_key == partner.rhyme_key:
            continue
        name = "rhyme" if line.rhyme_key else "no_rhyme_word"
        message = MESSAGES[name].format(partner=partner.line_no, scheme=scheme)
        issues.append(LineIssue(index, line.line_no, "rhyme", message))
    return issues


def check_lyrics(
    text: str,
    lang: str,
    scheme: str,
    target_syllables: int | None = None,
    tolerance: int = 2,
) -> list[LineIssue]:
    """Lines that break the rhyme scheme (per four-line group of a stanza) or miss the syllables.

    The scheme ("AABB", "ABAB", "ABCB" or "free") repeats every four lines within a stanza; a
    shorter group is checked as far as it goes. A line's syllable count may differ from
    target_syllables by up to tolerance. Issues come in line order, rhyme before syllables.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"Unknown rhyme scheme {scheme!r}; choose one of {', '.join(SCHEMES)}.")
    if tolerance < 0:
        raise ValueError("The syllable tolerance cannot be negative.")
    analysis = analyse_lyrics(text, lang)
    stanzas: dict[int, list[tuple[int, LineAnalysis]]] = {}
    for index, line in enumerate(analysis):
        if line.stanza is not None:
            stanzas.setdefault(line.stanza, []).append((index, line))
    issues = [issue for lines in stanzas.values() for issue in _rhyme_issues(lines, scheme)]
    if target_syllables is not None:
        for index, line in enumerate(analysis):
            if not line.is_tag and abs(line.syllables - target_syllables) > tolerance:
                message = MESSAGES["syllables"].format(
                    count=line.syllables, target=target_syllables, tolerance=tolerance
                )
                issues.append(LineIssue(index, line.line_no, "syllables", message))
    return sorted(issues, key=lambda issue: (issue.index, issue.kind != "rhyme"))


def _share(groups: dict[int, list[str]], limit: int) -> dict[int, list[str]]:
    """At most limit words in all, taken in turn from each group, fewest syllables first."""
    taken = dict.fromkeys(sorted(groups), 0)
    total = 0
    while total < limit and any(taken[k] < len(groups[k]) for k in taken):
        for k in taken:
            if total < limit and taken[k] < len(groups[k]):
                taken[k] += 1
                total += 1
    return {k: groups[k][:n] for k, n in taken.items() if n}


def find_rhymes(word: str, lang: str, limit: int = 60) -> dict[int, list[str]]:
    """Words rhyming with word, grouped by syllable count; {} where no dictionary is known.

    English draws on the CMU dictionary (alphabetical within a group); Chinese on built-in
    common characters (group 1) and words (group 2), most common first.
    """
    if limit < 0:
        raise ValueError("The limit cannot be negative.")
    family = lang.split("-")[0]
    if family == "zh":
        groups = chinese_rhymes(word.strip())
    elif family == "en":
        groups = {k: sorted(v) for k, v in english_rhymes(word).items()}
    else:
        groups = {}
    return _share(groups, limit)
