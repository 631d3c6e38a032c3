"""Story tab: a premise (or a manuscript to continue) into a prompt."""

from __future__ import annotations

from studio.tasks.languages import language, length_phrase
from studio.tasks.prompt import Prompt, TaskInputError

GENRES = (
    "literary",
    "fantasy",
    "science fiction",
    "mystery",
    "romance",
    "horror",
    "historical",
    "children's",
    "wuxia",
)
TONES = ("warm", "dark", "humorous", "tense", "melancholic", "whimsical", "matter-of-fact")
POINTS_OF_VIEW = (
    "first person",
    "second person",
    "third person limited",
    "third person omniscient",
)
LENGTHS = {"flash (~150 words)": 150, "short (~400 words)": 400, "long (~900 words)": 900}

SYSTEM = (
    "You are a skilled novelist and writing partner. You write vivid, concrete prose with "
    "natural dialogue, and you never explain the story or add notes: you output story text only."
)


def build_story_prompt(
    premise: str,
    manuscript: str = "",
    genre: str = "literary",
    tone: str = "warm",
    pov: str = "third person limited",
    length_words: int = 400,
    language_code: str = "en",
) -> Prompt:
    """A prompt to write a new story from the premise, or to continue the manuscript."""
    premise, manuscript = (premise or "").strip(), (manuscript or "").rstrip()
    if not premise and not manuscript:
        raise TaskInputError("Please write a premise, or paste the story you want to continue.")
    lang = language(language_code)
    style = f"Genre: {genre}. Tone: {tone}. Point of view: {pov}."
    length = length_phrase(length_words, language_code)
    if manuscript:
        user = (
            f"Continue this story with {length} of new text in {lang.name}. {style}\n"
            + (f"Where the story is heading: {premise}\n" if premise else "")
            + "Pick up exactly where it stops; do not repeat or summarise it.\n\n"
            f"Story so far:\n{manuscript}"
        )
        return Prompt(SYSTEM, user, plain=manuscript)
    user = f"Write a {genre} story in {lang.name}, {length}. {style}\nPremise: {premise}"
    if lang.cjk:
        plain = f"{genre}故事。基调：{tone}。\n梗概：{premise}\n\n正文：\n"
    else:
        plain = f"A {genre} story, {tone}, told in the {pov}.\nPremise: {premise}\n\nStory:\n"
    return Prompt(SYSTEM, user, plain=plain)
