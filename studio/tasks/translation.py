"""Translation tab: source text and languages into a prompt (LLM) or a job (seq2seq model)."""

from __future__ import annotations

from studio.tasks.glossary import glossary_instructions
from studio.tasks.languages import language
from studio.tasks.prompt import Prompt, TaskInputError, TranslationJob, require

SYSTEM = (
    "You are a professional literary translator. You translate faithfully and naturally, keep "
    "names, numbers, formatting and paragraph breaks, and output only the translation."
)
REGISTERS = {
    "formal": "Use a formal, polite register (e.g. 您, vous, Sie, です/ます where the language "
              "has one).",
    "neutral": "",
    "informal": "Use a relaxed, informal register (e.g. 你, tu, du, plain forms).",
}  # fmt: skip
STYLES = {
    "literal": "Stay close to the source's wording and sentence structure.",
    "literary": "Write natural, idiomatic prose a native reader would enjoy, keeping the meaning, "
                "imagery and tone.",
}  # fmt: skip
# A chunk is translated in one request: long enough for context, short enough for small models.
CHUNK_CHARS = 1200


def build_translation_prompt(
    text: str,
    source: str = "en",
    target: str = "zh",
    register: str = "neutral",
    style: str = "literary",
    glossary: list[tuple[str, str]] | None = None,
) -> Prompt:
    """A prompt (and a TranslationJob) to translate text from source into target language.

    Register, style and glossary shape the instruct-model prompt; a seq2seq translation model
    takes only the text and languages (its glossary is checked afterwards instead).
    """
    text = require(text, "the text to translate")
    src, tgt = language(source), language(target)
    if src.code == tgt.code:
        raise TaskInputError("Source and target language are the same; pick another target.")
    if register not in REGISTERS or style not in STYLES:
        raise TaskInputError(f"Register must be one of {', '.join(REGISTERS)} and style one of "
                             f"{', '.join(STYLES)}.")  # fmt: skip
    rules = [STYLES[style], REGISTERS[register], glossary_instructions(glossary or [])]
    user = (
        f"Translate the following {src.name} text into {tgt.name}. Keep the paragraph breaks. "
        "Output only the translation.\n" + "\n".join(rule for rule in rules if rule) + f"\n\n{text}"
    )
    # No plain prompt: a base model cannot be trusted to translate, so it is refused clearly.
    return Prompt(SYSTEM, user, plain="", translation=TranslationJob(text, src.code, tgt.code))


def translation_chunks(text: str, max_chars: int = CHUNK_CHARS) -> list[str]:
    """Paragraphs grouped into chunks of at most about max_chars, never splitting a paragraph."""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    chunks: list[str] = []
    for paragraph in paragraphs:
        if chunks and len(chunks[-1]) + len(paragraph) + 2 <= max_chars:
            chunks[-1] += "\n\n" + paragraph
        else:
            chunks.append(paragraph)
    return chunks
