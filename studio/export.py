"""Export a text as Markdown, plain text or Word (.docx), with an optional provenance block.

The provenance block records how the text was made (model, settings, seed, date, studio
version); passing None leaves it out entirely, metadata included.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from studio import __version__
from studio.params import PARAMS, Sampling, validate
from studio.run_history import HistoryEntry

STUDIO_NAME = "Creative Writing Studio"
PROVENANCE_HEADING = "Provenance"
DEFAULT_EAST_ASIAN_FONT = "SimSun"  # 宋体: on every Chinese Windows; Word falls back elsewhere
MAX_FILENAME_BYTES = 150  # well under the 255-byte limit of most file systems, CJK is 3 each
# Characters XML 1.0 cannot hold; lxml refuses them, so a stray \x0c from a model would crash.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_STYLES = ("Normal", "Title", "Heading 2")  # the styles export_docx uses
_PARAGRAPH_BREAK = re.compile(r"\n(?:[ \t]*\n)+")
_UNSAFE = re.compile(r'[/\\<>:"|?*]')  # separators and what Windows forbids in names
_WINDOWS_RESERVED = re.compile(r"(CON|PRN|AUX|NUL|COM\d|LPT\d)(\..*)?", re.IGNORECASE)


@dataclass(frozen=True)
class Provenance:
    """How a text was made: model, sampling settings (the seed used), date and studio version."""

    model: str
    sampling: Sampling = field(default_factory=lambda: validate({}))
    date: datetime = field(default_factory=lambda: datetime.now(UTC))
    studio_version: str = __version__

    @classmethod
    def of(cls, entry: HistoryEntry) -> Provenance:
        """The provenance of a generation in the run history."""
        return cls(entry.model, entry.sampling, datetime.fromisoformat(entry.created_at))

    def lines(self) -> list[tuple[str, str]]:
        """(label, value) pairs, e.g. ('Seed', '42'), in the order they are shown."""
        seed = int(self.sampling["seed"])
        date = self.date.astimezone(UTC) if self.date.tzinfo else self.date.replace(tzinfo=UTC)
        return [
            ("Model", self.model or "unknown"),
            ("Settings", settings_summary(self.sampling)),
            ("Seed", "random, not recorded" if seed < 0 else str(seed)),
            ("Date", date.strftime("%Y-%m-%d %H:%M UTC")),
            ("Made with", f"{STUDIO_NAME} {self.studio_version}"),
        ]


def settings_summary(sampling: Sampling) -> str:
    """The settings that shaped the text, e.g. 'Temperature 0.8, Top-p 0.95, …'.

    The seed is left out (it has its own line); in greedy mode so are the sampling-only
    settings, which had no effect.
    """
    shown = [p for p in PARAMS if p.name != "seed" and not (sampling.is_greedy and p.sampling_only)]
    values = ", ".join(f"{p.label} {sampling[p.name]:g}" for p in shown)
    return f"greedy decoding, {values}" if sampling.is_greedy else values


def _one_line(title: str) -> str:
    return " ".join(title.split())


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs (blank-line separated), line breaks inside them kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    return [p.strip("\n") for p in _PARAGRAPH_BREAK.split(text) if p.strip()]


def export_markdown(title: str, text: str, provenance: Provenance | None) -> str:
    """A Markdown document: '# title' (if any), the text, then the provenance list when given.

    Single line breaks become Markdown hard breaks (two trailing spaces) so verse keeps its lines.
    """
    parts = [f"# {_one_line(title)}"] if title.strip() else []
    parts += [p.replace("\n", "  \n") for p in paragraphs(text)]
    if provenance is not None:
        rows = "\n".join(f"- **{label}:** {value}" for label, value in provenance.lines())
        parts += ["---", f"**{PROVENANCE_HEADING}**", rows]
    return "\n\n".join(parts) + "\n"


def export_text(title: str, text: str, provenance: Provenance | None) -> str:
    """Plain text: the title line (if any), the text, then 'Label: value' lines when given."""
    parts = [_one_line(title)] if title.strip() else []
    parts += paragraphs(text)
    if provenance is not None:
        rows = "\n".join(f"{label}: {value}" for label, value in provenance.lines())
        parts += [f"-- {PROVENANCE_HEADING} --\n{rows}"]
    return "\n\n".join(parts) + "\n"


def _docx_document(east_asian_font: str):
    """A blank document whose defaults and styles name east_asian_font for CJK characters."""
    try:
        import docx
        from docx.oxml.ns import qn
    except ImportError as err:  # pragma: no cover - a dependency in requirements.txt
        raise RuntimeError("Word export needs python-docx: pip install python-docx") from err
    document = docx.Document()
    styles = document.styles
    rfonts = styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts")
    rfonts += [styles[n].element.get_or_add_rPr().get_or_add_rFonts() for n in _STYLES]
    for element in rfonts:
        # Word prefers a theme font over a named one, so the theme attribute has to go.
        element.attrib.pop(qn("w:eastAsiaTheme"), None)
        element.set(qn("w:eastAsia"), east_asian_font)
    # The template's metadata says "python-docx"; a writer's file should say nothing of the sort.
    props = document.core_properties
    props.author = props.comments = props.last_modified_by = ""
    props.created = props.modified = datetime.now(UTC)
    return document


def export_docx(
    title: str,
    text: str,
    provenance: Provenance | None,
    path: str | Path,
    *,
    east_asian_font: str = DEFAULT_EAST_ASIAN_FONT,
) -> Path:
    """Write a .docx to path (title, one Word paragraph per paragraph, provenance when given)."""
    document = _docx_document(east_asian_font)
    title, text = _NOT_XML.sub("", title), _NOT_XML.sub("", text)
    if title.strip():
        document.add_heading(_one_line(title), level=0)
        document.core_properties.title = _one_line(title)
    for paragraph in paragraphs(text):
        para = document.add_paragraph()
        lines = paragraph.split("\n")
        for n, line in enumerate(lines):
            run = para.add_run(line)
            if n < len(lines) - 1:
                run.add_break()  # a line break inside the paragraph, as in verse
    if provenance is not None:
        document.add_heading(PROVENANCE_HEADING, level=2)
        for label, value in provenance.lines():
            document.add_paragraph(f"{label}: {value}")
        document.core_properties.comments = "; ".join(f"{k}: {v}" for k, v in provenance.lines())
    path = Path(path)
    document.save(str(path))
    return path


def safe_filename(title: str, ext: str) -> str:
    """A file name from a title: CJK kept; separators, control and reserved characters removed."""
    name = unicodedata.normalize("NFC", title)
    name = "".join(" " if c.isspace() else c for c in name)  # tabs and newlines too
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    name = " ".join(_UNSAFE.sub(" ", name).split()).strip(" .")
    while len(name.encode("utf-8")) > MAX_FILENAME_BYTES:
        name = name[:-1].rstrip(" .")
    if not name:
        name = "untitled"
    if _WINDOWS_RESERVED.fullmatch(name):
        name = f"_{name}"
    ext = re.sub(r"[^A-Za-z0-9]", "", ext)
    return f"{name}.{ext}" if ext else name
