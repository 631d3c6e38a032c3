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
# Where the author's note goes: directly before the manuscript's last paragraph, so it weighs on
# what comes next without being the last thing the model reads (the manuscript's end is).
AUTHORS_NOTE_POSITION = "before the last paragraph of the manuscript"


def notes_block(memory: str) -> str:
    """The story notes ("memory") as the first block of a prompt."""
    return f"Story notes (characters, setting, style); stay consistent with them:\n{memory.strip()}"


def split_last_paragraph(manuscript: str) -> tuple[str, str]:
    """(everything before the last paragraph, the last paragraph) of a manuscript."""
    text = manuscript.rstrip()
    cut = text.rfind("\n\n")
    return (text[:cut], text[cut + 2 :]) if cut >= 0 else ("", text)


def build_story_prompt(
    premise: str = "",
    manuscript: str = "",
    genre: str = "literary",
    tone: str = "warm",
    pov: str = "third person limited",
    length_words: int = 400,
    language_code: str = "en",
    memory: str = "",
    authors_note: str = "",
) -> Prompt:
    """A prompt to start a story from the premise, or to continue the manuscript.

    Story notes come first; the author's note goes before the manuscript's last paragraph.
    When the prompt is too long for the model, the manuscript's beginning is trimmed first
    (``Prompt.trimmable``), so notes are trimmed last.
    """
    premise, manuscript = (premise or "").strip(), (manuscript or "").rstrip()
    memory, note = (memory or "").strip(), (authors_note or "").strip()
    if not premise and not manuscript:
        raise TaskInputError("Please write a premise, or paste the story you want to continue.")
    lang = language(language_code)
    style = f"Genre: {genre}. Tone: {tone}. Point of view: {pov}."
    length = length_phrase(length_words, language_code)
    notes = notes_block(memory) + "\n\n" if memory else ""
    plain_notes = f"[{memory}]\n\n" if memory else ""
    if manuscript:
        head, last = split_last_paragraph(manuscript)
        note_line = f"[Author's note: {note}]"
        body = f"{head}\n\n{note_line}\n\n{last}".lstrip() if note else manuscript
        user = (
            f"{notes}Continue this story with {length} of new text in {lang.name}. {style}\n"
            + (f"Where the story is heading: {premise}\n" if premise else "")
            + "Pick up exactly where it stops; do not repeat or summarise it.\n\n"
            f"Story so far:\n{body}"
        )
        return Prompt(
            SYSTEM, user, plain=plain_notes + body, trimmable=head if note else manuscript
        )
    guidance = f"\nAuthor's note: {note}" if note else ""
    user = (f"{notes}Write a {genre} story in {lang.name}, {length}. {style}\n"
            f"Premise: {premise}{guidance}")  # fmt: skip
    if lang.cjk:
        plain = f"{genre}故事。基调：{tone}。\n梗概：{premise}\n\n正文：\n"
    else:
        plain = f"A {genre} story, {tone}, told in the {pov}.\nPremise: {premise}\n\nStory:\n"
    return Prompt(SYSTEM, user, plain=plain_notes + plain)


def join_continuation(manuscript: str, addition: str, language_code: str = "en") -> str:
    """The manuscript with generated text appended the way a writer would type it.

    Text that brings its own leading whitespace, a manuscript ending in a line break, and
    CJK text (written without spaces) are joined directly; otherwise a space separates them.
    """
    if not manuscript or not addition:
        return manuscript + addition
    if addition[0].isspace() or manuscript[-1].isspace() or language(language_code).cjk:
        return manuscript + addition
    return f"{manuscript} {addition}"


def replace_passage(manuscript: str, passage: str, new_text: str) -> str:
    """The manuscript with the passage's last occurrence replaced by new_text.

    When the passage is no longer in the manuscript (the writer edited it), new_text is
    appended instead, so nothing the model wrote is lost.
    """
    passage, new_text = passage.strip(), new_text.strip()
    if not new_text:
        return manuscript
    at = manuscript.rfind(passage) if passage else -1
    if at < 0:
        return join_continuation(manuscript.rstrip(), "\n\n" + new_text)
    return manuscript[:at] + new_text + manuscript[at + len(passage) :]
