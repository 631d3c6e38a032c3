"""Copywriting tab: a brief into a prompt for marketing copy, and each format's channel limits.

Every format names the parts it is counted in (a search ad's headline and description, an
email's subject line and body) and the channel of studio.analysis.copy that counts each part,
so the tab can show "212 / 280" the way X itself would count it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from studio.analysis.copy import CHANNEL_LIMITS, channel_length
from studio.tasks.languages import Language, language
from studio.tasks.prompt import Prompt, TaskInputError, require


@dataclass(frozen=True)
class CopyPart:
    """One counted part of a piece of copy and how its channel counts it."""

    name: str  # shown before its count when a format has several parts
    channel: str  # a channel of studio.analysis.copy ("generic" counts graphemes)
    limit: int = 0  # characters as the channel counts them; 0 = no limit
    labels: tuple[str, ...] = ()  # line labels that start this part ("Headline: ..."), if any
    one_line: bool = False  # the part ends at its first line; what follows is the next part


@dataclass(frozen=True)
class CopyFormat:
    """A kind of copy: what the model is asked to write and the parts it is counted in."""

    label: str
    ask: str  # what the model is asked to write
    parts: tuple[CopyPart, ...]
    layout: str = ""  # the exact layout the answer must follow, for formats with labelled parts

    @property
    def limit(self) -> int:
        """The first part's limit, the one the prompt leads with; 0 when no part has one."""
        return next((part.limit for part in self.parts if part.limit), 0)


def _whole(name: str, limit: int = 0, channel: str = "generic") -> tuple[CopyPart, ...]:
    return (CopyPart(name, channel, CHANNEL_LIMITS.get(channel, limit)),)


_AD_HEADLINE = CopyPart(
    "Headline",
    "search_headline",
    CHANNEL_LIMITS["search_headline"],
    ("headline", "title", "标题"),
    one_line=True,
)
_AD_DESCRIPTION = CopyPart(
    "Description",
    "search_description",
    CHANNEL_LIMITS["search_description"],
    ("description", "描述"),
)
# An email subject line over about 60 characters is cut off in most inboxes.
_SUBJECT = CopyPart("Subject", "generic", 60, ("subject", "subject line", "主题"), one_line=True)
_BODY = CopyPart("Body", "generic", 0, ("body", "正文"))

FORMATS: dict[str, CopyFormat] = {
    "headline": CopyFormat("Headline", "one headline", _whole("Headline", 70)),
    "tagline": CopyFormat("Tagline", "one short, memorable tagline", _whole("Tagline", 50)),
    "product_description": CopyFormat(
        "Product description",
        "a product description of two short paragraphs",
        _whole("Description"),
    ),
    "social_post": CopyFormat(
        "Social post · X", "one social media post for X (Twitter)", _whole("Post", channel="x")
    ),
    "social_instagram": CopyFormat(
        "Social post · Instagram",
        "one Instagram caption: a hook in the first line, then a few relevant hashtags at the end",
        _whole("Caption", channel="instagram"),
    ),
    "social_linkedin": CopyFormat(
        "Social post · LinkedIn",
        "one LinkedIn post: a strong first line, short paragraphs, a question or call to "
        "action at the end",
        _whole("Post", channel="linkedin"),
    ),
    "ad": CopyFormat(
        "Search ad",
        "a search ad",
        (_AD_HEADLINE, _AD_DESCRIPTION),
        'Answer with exactly two lines and nothing else: "Headline: …" then "Description: …" '
        '(keep the labels "Headline:" and "Description:" in English).',
    ),
    "email": CopyFormat(
        "Marketing email",
        "a marketing email with one call to action",
        (_SUBJECT, _BODY),
        'Answer in this layout: a first line "Subject: …", then a blank line, then the body '
        '(keep the label "Subject:" in English).',
    ),
}
TONES = ("friendly", "professional", "playful", "bold", "luxurious", "urgent", "calm")


@dataclass(frozen=True)
class Framework:
    """A copywriting framework and the one line that explains it to the model."""

    label: str
    instruction: str  # empty for "none"


FRAMEWORKS: dict[str, Framework] = {
    "none": Framework("None", ""),
    "aida": Framework(
        "AIDA",
        "Follow AIDA: grab Attention, build Interest, stir Desire, then "
        "end with a clear call to Action.",
    ),
    "pas": Framework(
        "PAS",
        "Follow PAS: name the reader's Problem, Agitate it so it is felt, "
        "then present the product as the Solution.",
    ),
    "fab": Framework(
        "FAB",
        "Follow FAB: state a Feature, the Advantage it gives, and the "
        "Benefit to the reader's life.",
    ),
}

SYSTEM = (
    "You are an award-winning copywriter. You write clear, specific, persuasive copy, make no "
    "claims the brief does not support, and output only the copy itself."
)
TIGHTER = "Earlier drafts ran over the limit: make this one clearly shorter, well within it."
# Separators between words or phrases in "words to use / avoid", Western and CJK.
_WORD_SEPARATORS = re.compile(r"[,;\n，、；]+")


class PartCheck(NamedTuple):
    """One part of a piece of copy measured against its channel's limit."""

    part: str
    length: int
    limit: int  # 0 = no limit
    over: bool


def copy_format(format_key: str) -> CopyFormat:
    """The format for a key, or TaskInputError listing the formats we know."""
    try:
        return FORMATS[format_key]
    except KeyError:
        known = ", ".join(FORMATS)
        message = f"Unknown copy format {format_key!r}; choose one of {known}."
        raise TaskInputError(message) from None


def format_choices() -> list[tuple[str, str]]:
    """(label, key) pairs for a dropdown, each label with its limits, e.g. "Tagline (≤50)"."""
    choices = []
    for key, fmt in FORMATS.items():
        limits = [p for p in fmt.parts if p.limit]
        if len(fmt.parts) == 1 and limits:
            choices.append((f"{fmt.label} (≤{limits[0].limit})", key))
        elif limits:
            parts = ", ".join(f"{p.name.lower()} ≤{p.limit}" for p in limits)
            choices.append((f"{fmt.label} ({parts})", key))
        else:
            choices.append((fmt.label, key))
    return choices


def framework_choices() -> list[tuple[str, str]]:
    """(label, key) pairs for the framework selector."""
    return [(framework.label, key) for key, framework in FRAMEWORKS.items()]


def copy_limits(format_key: str) -> list[tuple[str, str, int]]:
    """(part name, channel, limit) for each counted part of a format; limit 0 = none."""
    return [(part.name, part.channel, part.limit) for part in copy_format(format_key).parts]


def split_words(text: str) -> list[str]:
    """Words or phrases from a comma-, semicolon- or line-separated list (CJK commas too)."""
    return [word.strip() for word in _WORD_SEPARATORS.split(text or "") if word.strip()]


def _label_pattern(labels: tuple[str, ...]) -> re.Pattern[str]:
    """A line that starts with one of the labels, allowing Markdown bold and a CJK colon."""
    names = "|".join(re.escape(label) for label in labels)
    return re.compile(rf"^[\s*_#>-]*(?:{names})[\s*_]*[:：][\s*_]*(.*?)[\s*_]*$", re.IGNORECASE)


def _match_label(line: str, parts: tuple[CopyPart, ...]) -> tuple[int | None, str]:
    """(index of the part the line's label starts, the rest of the line), or (None, line)."""
    for index, part in enumerate(parts):
        if part.labels:
            match = _label_pattern(part.labels).match(line)
            if match:
                return index, match.group(1)
    return None, line


def split_copy(text: str, format_key: str) -> list[tuple[str, str]]:
    """(part name, part text) for each part of a format, read from labelled lines.

    Unlabelled text falls back on position: a one-line part (a headline, a subject) takes the
    first line and the next part takes the rest. A preamble before a label is dropped.
    """
    parts = copy_format(format_key).parts
    if len(parts) == 1:
        return [(parts[0].name, (text or "").strip())]
    pieces: list[list[str]] = [[] for _ in parts]
    seen: set[int] = set()
    current = 0
    for line in (text or "").splitlines():
        index, rest = _match_label(line, parts)
        if index is not None and index not in seen:
            seen.add(index)
            current, pieces[index] = index, [rest]
            continue
        ends = parts[current].one_line and "".join(pieces[current]).strip()
        if line.strip() and ends and current + 1 < len(parts):
            current += 1
        pieces[current].append(line)
    return [
        (part.name, "\n".join(lines).strip()) for part, lines in zip(parts, pieces, strict=True)
    ]


def check_copy(text: str, format_key: str) -> list[PartCheck]:
    """Each part's length as its channel counts it, its limit, and whether it is over."""
    parts = copy_format(format_key).parts
    checks = []
    for part, (name, piece) in zip(parts, split_copy(text, format_key), strict=True):
        length = channel_length(piece, part.channel)
        checks.append(PartCheck(name, length, part.limit, bool(part.limit) and length > part.limit))
    return checks


def is_over(text: str, format_key: str) -> bool:
    """Whether any part of the copy is over its channel's limit."""
    return any(check.over for check in check_copy(text, format_key))


def _limit_unit(part: CopyPart, lang: Language) -> str:
    """How the channel counts, said so that the model can count the same way."""
    if part.channel == "x":
        if lang.cjk:
            return f" as X counts them (X counts each {lang.name} character as two, so at " \
                   f"most {part.limit // 2} of them)"  # fmt: skip
        return " as X counts them (an emoji counts as two, any link as 23)"
    if part.channel.startswith("search_") and lang.cjk:
        return f" (each {lang.name} character counts as two, so at most {part.limit // 2})"
    if lang.cjk:
        return f" (each {lang.name} character counts as one)"
    return ""


def _limit_line(fmt: CopyFormat, lang: Language) -> str:
    """The sentence that asks for the format's limits; empty when it has none."""
    limited = [part for part in fmt.parts if part.limit]
    if not limited:
        return ""
    if len(fmt.parts) == 1:
        part = limited[0]
        return f"Stay within {part.limit} characters{_limit_unit(part, lang)}."
    asks = [f"the {p.name.lower()} within {p.limit} characters{_limit_unit(p, lang)}"
            for p in limited]  # fmt: skip
    return f"Keep {' and '.join(asks)}."


def _word_lines(use_words: str, avoid_words: str) -> list[str]:
    lines = []
    if use := split_words(use_words):
        lines.append(f"Use these words or phrases: {', '.join(use)}.")
    if avoid := split_words(avoid_words):
        lines.append(f"Never use these words or phrases: {', '.join(avoid)}.")
    return lines


def _plain(brief: str, audience: str, fmt: CopyFormat, lang: Language) -> str:
    """A continuation prompt for base models, ending where the copy should start."""
    first = fmt.parts[0]
    lead = f"{first.labels[0].capitalize()}:" if first.labels else ""
    if lang.cjk:
        return f"产品：{brief}\n{fmt.label}：\n{lead}"
    return f"Product: {brief}\nAudience: {audience or 'everyone'}\n{fmt.label}:\n{lead}"


def build_copy_prompt(
    brief: str,
    format_key: str = "headline",
    audience: str = "",
    tone: str = "friendly",
    key_points: str = "",
    language_code: str = "en",
    framework: str = "none",
    use_words: str = "",
    avoid_words: str = "",
    tighter: bool = False,
) -> Prompt:
    """A prompt for one piece of copy in the chosen format, within the channel's limits.

    ``framework`` is a key of FRAMEWORKS (any case); ``use_words`` and ``avoid_words`` are
    comma- or line-separated lists; ``tighter`` asks for a clearly shorter draft after earlier
    ones ran over the limit.
    """
    brief = require(brief, "the product or brief")
    fmt = copy_format(format_key)
    lang = language(language_code)
    plan = FRAMEWORKS.get((framework or "none").strip().lower())
    if plan is None:
        known = ", ".join(f.label for f in FRAMEWORKS.values())
        raise TaskInputError(f"Unknown framework {framework!r}; choose one of {known}.")
    lines = [f"Write {fmt.ask} in {lang.name}.", f"Product / brief: {brief}",
             f"Tone: {tone or 'friendly'}."]  # fmt: skip
    if audience.strip():
        lines.append(f"Audience: {audience.strip()}.")
    if key_points.strip():
        lines.append(f"Key points to get across: {key_points.strip()}")
    lines += [plan.instruction, *_word_lines(use_words, avoid_words), _limit_line(fmt, lang)]
    lines += [fmt.layout, TIGHTER if tighter else ""]
    user = "\n".join(line for line in lines if line)
    return Prompt(SYSTEM, user, plain=_plain(brief, audience, fmt, lang))
