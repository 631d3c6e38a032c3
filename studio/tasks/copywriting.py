"""Copywriting tab: a brief into a prompt for one piece of marketing copy."""

from __future__ import annotations

from dataclasses import dataclass

from studio.tasks.languages import language
from studio.tasks.prompt import Prompt, require


@dataclass(frozen=True)
class CopyFormat:
    """A kind of copy and the channel's length limit in characters (0 = none)."""

    label: str
    ask: str  # what the model is asked to write
    limit: int = 0


FORMATS: dict[str, CopyFormat] = {
    "headline": CopyFormat("Headline", "one headline", 70),
    "tagline": CopyFormat("Tagline", "one short, memorable tagline", 50),
    "product_description": CopyFormat(
        "Product description", "a product description of two short paragraphs"
    ),
    "social_post": CopyFormat("Social post (X)", "one social media post for X", 280),
    "ad": CopyFormat(
        "Search ad",
        "a search ad: a headline line (max 30 characters), then a description "
        "line (max 90 characters)",
        120,
    ),
    "email": CopyFormat(
        "Marketing email",
        "a marketing email: a subject line, then a short body with one call to action",
    ),
}
TONES = ("friendly", "professional", "playful", "bold", "luxurious", "urgent", "calm")

SYSTEM = (
    "You are an award-winning copywriter. You write clear, specific, persuasive copy, make no "
    "claims the brief does not support, and output only the copy itself."
)


def build_copy_prompt(
    brief: str,
    format_key: str = "headline",
    audience: str = "",
    tone: str = "friendly",
    key_points: str = "",
    language_code: str = "en",
) -> Prompt:
    """A prompt for one piece of copy in the chosen format, within the channel's limit."""
    brief = require(brief, "the product or brief")
    fmt = FORMATS.get(format_key)
    if fmt is None:
        raise ValueError(f"unknown copy format {format_key!r}")
    lang = language(language_code)
    lines = [f"Write {fmt.ask} in {lang.name}.", f"Product / brief: {brief}", f"Tone: {tone}."]
    if audience.strip():
        lines.append(f"Audience: {audience.strip()}.")
    if key_points.strip():
        lines.append(f"Key points to get across: {key_points.strip()}")
    if fmt.limit:
        unit = "characters (each Chinese character counts as one)" if lang.cjk else "characters"
        lines.append(f"Stay within {fmt.limit} {unit}.")
    if lang.cjk:
        plain = f"产品：{brief}\n{fmt.label}：\n"
    else:
        plain = f"Product: {brief}\nAudience: {audience or 'everyone'}\n{fmt.label}:\n"
    return Prompt(SYSTEM, "\n".join(lines), plain=plain)
