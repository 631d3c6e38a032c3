"""Translation glossaries: parse a pasted term list, ask for it in the prompt, check the result."""

from __future__ import annotations

import csv
import re
import unicodedata

from studio.tasks.prompt import TaskInputError

MAX_ENTRIES = 500
MAX_TERM_CHARS = 200
_SOURCE_HEADERS = {"source", "source term", "term", "original", "from", "word"}
_TARGET_HEADERS = {"target", "target term", "translation", "translated", "to"}
_ARROW = re.compile(r"\s*(?:→|->|=>|=)\s*")
# Letters and digits of scripts that separate words with spaces: a term in them must match
# whole words ("cat" is not in "category"); CJK terms match anywhere.
_WORD_CHAR = r"[^\W_\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"


class GlossaryError(TaskInputError):
    """A glossary that cannot be read; the message names the line to fix."""


def _content_lines(text: str) -> list[tuple[int, str]]:
    """(1-based line number, line) for lines that are not blank or '#' comments."""
    text = text.removeprefix("\ufeff")
    lines = enumerate(text.splitlines(), start=1)
    return [(n, line) for n, line in lines if line.strip() and not line.lstrip().startswith("#")]


def _delimiter(first_line: str) -> str:
    """'\\t' for TSV, '→' for arrow or '=' lines, else ',' for CSV: decided by the first line."""
    if "\t" in first_line:
        return "\t"
    if "→" in first_line or (_ARROW.search(first_line) and "," not in first_line):
        return "→"
    return ","


def _fields(line: str, delimiter: str) -> list[str]:
    """The stripped fields of one line, quotes removed, trailing empty fields dropped."""
    if delimiter == "→":
        fields = _ARROW.split(line, maxsplit=1)
    else:
        fields = next(csv.reader([line], delimiter=delimiter, skipinitialspace=True))
    fields = [f.strip() for f in fields]
    while len(fields) > 2 and not fields[-1]:
        fields.pop()
    return fields


def _pair(fields: list[str], line_no: int, delimiter: str) -> tuple[str, str]:
    """The (source, target) of one line's fields, or GlossaryError saying what is wrong."""
    where = f"Glossary line {line_no}"
    if len(fields) < 2:
        sep = {"\t": "a tab", "→": "→", ",": "a comma"}[delimiter]
        raise GlossaryError(f"{where}: expected a term and its translation separated by {sep}.")
    if len(fields) > 2:
        raise GlossaryError(
            f"{where}: expected 2 fields but found {len(fields)}; "
            'put a term that contains the separator in "double quotes".'
        )
    source, target = fields
    if not source or not target:
        raise GlossaryError(f"{where}: the {'term' if not source else 'translation'} is empty.")
    if max(len(source), len(target)) > MAX_TERM_CHARS:
        raise GlossaryError(f"{where}: a term is longer than {MAX_TERM_CHARS} characters.")
    return source, target


def parse_glossary(text: str) -> list[tuple[str, str]]:
    """(source, target) pairs from CSV, TSV or 'source → target' / 'source = target' lines.

    The format is decided by the first line; a header row such as 'source,target', blank lines
    and '#' comments are skipped. Raises GlossaryError naming the line that cannot be used.
    """
    lines = _content_lines(text or "")
    if not lines:
        return []
    delimiter = _delimiter(lines[0][1])
    pairs: dict[str, tuple[str, int]] = {}  # source -> (target, line it came from)
    for index, (line_no, line) in enumerate(lines):
        fields = _fields(line, delimiter)
        if index == 0 and len(fields) == 2 and _is_header(fields):
            continue
        source, target = _pair(fields, line_no, delimiter)
        if source in pairs:
            known, known_line = pairs[source]
            if known != target:
                raise GlossaryError(
                    f"Glossary line {line_no}: {source!r} is already translated as {known!r} "
                    f"on line {known_line}."
                )
            continue
        if len(pairs) == MAX_ENTRIES:
            raise GlossaryError(f"Glossary line {line_no}: more than {MAX_ENTRIES} entries.")
        pairs[source] = (target, line_no)
    return [(source, target) for source, (target, _) in pairs.items()]


def _is_header(fields: list[str]) -> bool:
    """Whether a first row names the columns ('source,target', 'Term,Translation'...)."""
    return fields[0].casefold() in _SOURCE_HEADERS and fields[1].casefold() in _TARGET_HEADERS


def glossary_instructions(pairs: list[tuple[str, str]]) -> str:
    """A prompt block asking for these translations of these terms; '' when there are none."""
    if not pairs:
        return ""
    lines = "\n".join(f"- {source} → {target}" for source, target in pairs)
    return f"Use these translations for these terms:\n{lines}"


def _occurs(term: str, text: str) -> bool:
    """Whether term occurs in text: ignoring case, as whole words for space-separated scripts."""
    term, text = unicodedata.normalize("NFC", term.strip()), unicodedata.normalize("NFC", text)
    if not term:
        return False
    before = rf"(?<!{_WORD_CHAR})" if re.match(_WORD_CHAR, term) else ""
    after = rf"(?!{_WORD_CHAR})" if re.match(_WORD_CHAR, term[-1]) else ""
    pattern = before + r"\s+".join(map(re.escape, term.split())) + after
    return re.search(pattern, text, re.IGNORECASE) is not None


def unmet_terms(
    pairs: list[tuple[str, str]], source_text: str, translation: str
) -> list[tuple[str, str]]:
    """The pairs whose term occurs in the source text but whose translation is not used."""
    return [
        (source, target)
        for source, target in pairs
        if _occurs(source, source_text) and not _occurs(target, translation)
    ]
