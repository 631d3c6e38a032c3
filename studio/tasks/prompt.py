"""The Prompt every task builds and every engine consumes."""

from __future__ import annotations

from dataclasses import dataclass


class TaskInputError(ValueError):
    """Task inputs a prompt cannot be built from; the message tells the writer what to fix."""


@dataclass(frozen=True)
class TranslationJob:
    """Source text and languages, for engines built for translation (seq2seq models)."""

    text: str
    source: str  # language code from studio.tasks.languages, e.g. "en"
    target: str


@dataclass(frozen=True)
class Prompt:
    """What to ask a model, in the forms different models understand.

    ``system`` and ``user`` are for instruct models with a chat template. ``plain`` is a
    continuation prompt for base models, which only continue text; empty when the task cannot be
    phrased as a continuation. ``translation`` is set by the Translation tab for seq2seq models.
    ``trimmable`` is a part of ``user`` and ``plain`` (the manuscript's beginning) that an engine
    shortens from its start first when the prompt is too long, so that notes survive longest.
    """

    system: str
    user: str
    plain: str = ""
    translation: TranslationJob | None = None
    trimmable: str = ""


def require(value: str, what: str) -> str:
    """The stripped value, or TaskInputError naming the missing field."""
    value = (value or "").strip()
    if not value:
        raise TaskInputError(f"Please fill in {what}.")
    return value
