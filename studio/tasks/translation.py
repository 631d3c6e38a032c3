"""Translation tab: source text and languages into a prompt (LLM) or a job (seq2seq model)."""

from __future__ import annotations

from studio.tasks.languages import language
from studio.tasks.prompt import Prompt, TaskInputError, TranslationJob, require

SYSTEM = (
    "You are a professional literary translator. You translate faithfully and naturally, keep "
    "names, numbers, formatting and paragraph breaks, and output only the translation."
)


def build_translation_prompt(text: str, source: str = "en", target: str = "zh") -> Prompt:
    """A prompt (and a TranslationJob) to translate text from source into target language."""
    text = require(text, "the text to translate")
    src, tgt = language(source), language(target)
    if src.code == tgt.code:
        raise TaskInputError("Source and target language are the same; pick another target.")
    user = (
        f"Translate the following {src.name} text into {tgt.name}. Keep the meaning, tone and "
        f"paragraph breaks. Output only the translation.\n\n{text}"
    )
    # No plain prompt: a base model cannot be trusted to translate, so it is refused clearly.
    return Prompt(SYSTEM, user, plain="", translation=TranslationJob(text, src.code, tgt.code))
