"""Story actions on a passage the writer selects: Rewrite, Expand, Describe, Brainstorm."""

from __future__ import annotations

from studio.tasks.languages import language
from studio.tasks.prompt import Prompt, TaskInputError
from studio.tasks.story import SYSTEM, notes_block

# How much of the manuscript before the passage is shown to the model as context (characters).
CONTEXT_CHARS = 2000
BRAINSTORM_IDEAS = 5

ACTIONS = {
    "rewrite": "Rewrite the passage below{how}. Keep its events and point of view.",
    "expand": "Expand the passage below to about twice its length: slow the moment down with "
              "concrete detail, gesture and inner life, without adding new events.",
    "describe": "Rewrite the passage below so the reader experiences it through the senses: "
                "what is seen, heard, smelled, touched and tasted.",
    "brainstorm": f"Suggest {BRAINSTORM_IDEAS} different ideas for what could happen next, one "
                  "short numbered line each, each surprising but true to the characters.",
}  # fmt: skip
PLAIN_EN = {
    "rewrite": "{passage}\n\nThe same passage, rewritten{how}:\n",
    "expand": "{passage}\n\nThe same moment, told slowly and in full detail:\n",
    "describe": "{passage}\n\nWhat it looked, sounded, smelled and felt like:\n",
    "brainstorm": "{passage}\n\nIdeas for what happens next:\n1.",
}
PLAIN_ZH = {
    "rewrite": "{passage}\n\n改写{how}：\n",
    "expand": "{passage}\n\n扩写，细节更丰富：\n",
    "describe": "{passage}\n\n那一刻的所见、所闻、所嗅、所感：\n",
    "brainstorm": "{passage}\n\n接下来可能发生的事：\n1.",
}


def build_passage_prompt(
    action: str,
    passage: str,
    instruction: str = "",
    manuscript: str = "",
    memory: str = "",
    language_code: str = "en",
) -> Prompt:
    """A prompt for one action on a passage; brainstorm may use the manuscript's end instead."""
    if action not in ACTIONS:
        raise TaskInputError(f"Unknown action {action!r}; choose one of {', '.join(ACTIONS)}.")
    passage, manuscript = (passage or "").strip(), (manuscript or "").strip()
    if action == "brainstorm" and not passage:
        passage = manuscript[-CONTEXT_CHARS:]
    if not passage:
        raise TaskInputError("Paste or select the passage to work on first.")
    lang = language(language_code)
    instruction = (instruction or "").strip()
    how = f" ({instruction})" if instruction else ""
    context = manuscript[: -len(passage)] if manuscript.endswith(passage) else manuscript
    parts = [notes_block(memory)] if memory.strip() else []
    if context and action != "brainstorm":
        parts.append(f"Earlier in the story (for context only):\n{context[-CONTEXT_CHARS:]}")
    task = ACTIONS[action].format(how=f" so that it is {instruction}" if instruction else "")
    parts.append(f"{task} Write in {lang.name}. Output only the new text.\n\nPassage:\n{passage}")
    plain = (PLAIN_ZH if lang.cjk else PLAIN_EN)[action].format(passage=passage, how=how)
    return Prompt(SYSTEM, "\n\n".join(parts), plain=plain)
