"""English (and other Latin-script) sounds: syllables and rhyme keys from the CMU dictionary.

Words the CMU Pronouncing Dictionary knows are exact; others are estimated from spelling.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Latin-script words; an apostrophe may join parts ("don't") or end a word ("lovin'").
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*['’]?")
_VOWELS = "aeiouyàáâäæèéêëìíîïòóôöœùúûüÿ"
_VOWEL_GROUP = re.compile(f"[{_VOWELS}]+")
# English vowel pairs usually said as two syllables (idea, radio, video, duo), except in
# -tion, -cial, -gion, qua-, gua- where the first letter is not a vowel sound.
_HIATUS = re.compile(r"(?<![cstg])i[ao]|iu|eo|(?<![qg])u[ao]")
_PYPHEN_LANGS = {"en": "en_US", "fr": "fr", "de": "de_DE", "es": "es"}


def plain_word(word: str) -> str:
    """Lower case, straight apostrophes, no accents, no surrounding punctuation or apostrophes."""
    word = word.replace("’", "'").lower().strip(' \t"“”«».,;:!?()[]{}-—–…')
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _hyphenator(lang: str):  # -> pyphen.Pyphen | None
    """A pyphen hyphenator for the language, or None when pyphen or its dictionary is missing."""
    try:
        import pyphen
    except ImportError:
        return None
    code = _PYPHEN_LANGS.get(lang.split("-")[0])
    return pyphen.Pyphen(lang=code) if code in pyphen.LANGUAGES else None


def cmu_phones(word: str) -> str | None:
    """The word's first CMU pronunciation ('F AY1 ER0'), trying 'lovin'' as 'loving'; or None."""
    import pronouncing

    word = plain_word(word)
    candidates = [word]
    if word.endswith("in'"):
        candidates.append(word[:-1] + "g")
    candidates.append(word.rstrip("'"))
    for candidate in candidates:
        phones = pronouncing.phones_for_word(candidate)
        if phones:
            return phones[0]
    return None


def vowel_groups(word: str) -> int:
    """An English syllable estimate from spelling: vowel groups, hiatus pairs, silent endings."""
    word = plain_word(word).replace("'", "")
    count = len(_VOWEL_GROUP.findall(word)) + len(_HIATUS.findall(word))
    if re.search(r"[^aeiouy]e$", word) and not re.search(r"[^aeiouy]le$", word) and count > 1:
        count -= 1  # silent final e: "make", but "table" keeps its "le"
    silent_ending = re.search(r"[^aeiouy](?:ed|es)$", word)
    if silent_ending and not re.search(r"(?:[td]ed|[sxz]es|[cs]hes|[cg]es)$", word) and count > 1:
        count -= 1  # "jumped", "makes"; but "wanted", "boxes", "pages" keep the syllable
    return max(1, count) if word else 0


def estimate_syllables(word: str, lang: str = "en") -> int:
    """Syllables from spelling: the larger of pyphen's pieces and the vowel-group estimate.

    pyphen never breaks near the ends of a word, so its count is a floor; on 8,000 CMU words the
    vowel-group estimate alone matched CMU 90% of the time, pyphen alone 61%, the larger 91%.
    """
    word = plain_word(word).replace("'", "")
    if not word:
        return 0
    if lang.split("-")[0] == "en":
        estimate = vowel_groups(word)
    else:  # most other Latin-script languages say every vowel group
        estimate = max(1, len(_VOWEL_GROUP.findall(word)))
    hyphenator = _hyphenator(lang)
    pieces = len(hyphenator.positions(word)) + 1 if hyphenator else 0
    return max(estimate, pieces)


def word_syllables(word: str, lang: str = "en") -> int:
    """Syllables in one word: CMU stress digits for English words it knows, else the estimate."""
    parts = [p for p in re.split(r"[-‐–—/\s]+", word) if plain_word(p)]
    if len(parts) > 1:  # "well-known", "and/or": the parts are looked up one by one
        return sum(word_syllables(p, lang) for p in parts)
    if not parts:
        return 0
    phones = cmu_phones(parts[0]) if lang.split("-")[0] == "en" else None
    if phones:
        return sum(ch.isdigit() for ch in phones)
    return estimate_syllables(parts[0], lang)


def spelling_rhyme(word: str) -> str | None:
    """A rhyme key from spelling: the last vowel group and what follows ('tastic' -> '~ic')."""
    word = plain_word(word).replace("'", "")
    if re.search(r"[^aeiouy]e$", word) and len(_VOWEL_GROUP.findall(word)) > 1:
        word = word[:-1]  # silent e: "flame" rhymes on "am(e)"
    match = re.search(f"[{_VOWELS}]+[^{_VOWELS}]*$", word)
    return f"~{match.group()}" if match else None


def english_rhyme(word: str) -> str | None:
    """The CMU rhyming part without stress ('cat' -> 'AE T'), else the spelling key ('~at')."""
    import pronouncing

    phones = cmu_phones(word)
    if phones is None:
        return spelling_rhyme(word)
    return re.sub(r"\d", "", pronouncing.rhyming_part(phones))


def english_rhymes(word: str) -> dict[int, list[str]]:
    """CMU words with the word's rhyme key (as english_rhyme gives it), by syllable count."""
    import pronouncing

    target = plain_word(word)
    key = english_rhyme(target)
    groups: dict[int, list[str]] = {}
    for rhyme in pronouncing.rhymes(target):
        # Keep only words whose first pronunciation rhymes, so check_lyrics agrees with us.
        if rhyme != target and rhyme.isalpha() and english_rhyme(rhyme) == key:
            groups.setdefault(word_syllables(rhyme), []).append(rhyme)
    return groups
