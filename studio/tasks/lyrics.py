"""Lyrics tab: a theme into a prompt for a song with sections and a rhyme scheme."""

from __future__ import annotations

from studio.tasks.languages import language
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

SYSTEM = (
    "You are a professional songwriter. You write singable lines with concrete images, keep "
    "the requested structure and rhyme scheme, and output only the lyrics with section tags."
)


def build_lyrics_prompt(
    theme: str,
    genre: str = "pop",
    structure: str = "verse-chorus",
    rhyme_scheme: str = "AABB",
    language_code: str = "en",
) -> Prompt:
    """A prompt for song lyrics with [Section] tags in the requested structure and scheme."""
    theme = require(theme, "the song's theme")
    sections = STRUCTURES.get(structure)
    if sections is None:
        raise TaskInputError(
            f"Unknown structure {structure!r}; choose one of {', '.join(STRUCTURES)}."
        )
    if rhyme_scheme not in RHYME_SCHEMES:
        raise TaskInputError(f"Rhyme scheme must be one of {', '.join(RHYME_SCHEMES)}.")
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
    if lang.cjk:
        plain = f"歌曲：{theme}\n风格：{genre}\n\n[{sections[0]}]\n"
    else:
        plain = f"Song: {theme}\nStyle: {genre}\n\n[{sections[0]}]\n"
    return Prompt(SYSTEM, user, plain=plain)
