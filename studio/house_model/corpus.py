"""The house model's training text: Debian's fortune collections, English and Chinese.

Sources are Debian packages, so the corpus can be rebuilt offline on any Debian machine:
``apt-get install fortunes fortunes-zh``. Each entry (a quotation, a joke, a poem, a short
passage) becomes one training document; a fixed 2% of entries, chosen by a hash of their text,
is held out and never trained on.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

FORTUNE_DIR = Path("/usr/share/games/fortunes")
CHINESE_FILES = ("chinese", "tang300", "song100")  # from the fortunes-zh package
SKIPPED_FILES = ("ascii-art",)  # drawings, not text
HELD_OUT_EVERY = 50  # one entry in 50 is held out
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_SEPARATOR = re.compile(r"^%\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Source:
    """A Debian package the corpus reads, with its licence as its copyright file states."""

    package: str
    licence: str
    files: tuple[str, ...]


SOURCES = (
    Source("fortunes", "BSD-4-Clause-UC (fortune-mod); collected quotations", ()),
    Source("fortunes-zh", "GPL-3.0-or-later (collection); Tang and Song poems are public domain",
           CHINESE_FILES),
)  # fmt: skip


@dataclass
class Corpus:
    """Training and held-out documents, with per-file sizes for the model card."""

    train: list[str] = field(default_factory=list)
    held_out: list[str] = field(default_factory=list)
    files: dict[str, int] = field(default_factory=dict)  # file name -> characters used


def clean_entry(entry: str) -> str:
    """An entry without colour codes, trailing spaces or surrounding blank lines."""
    lines = [line.rstrip() for line in _ANSI.sub("", entry).replace("\r", "").split("\n")]
    return "\n".join(lines).strip()


def fortune_files(folder: Path = FORTUNE_DIR) -> list[Path]:
    """The fortune text files in folder (not the .dat indexes or .u8 links), sorted."""
    if not folder.is_dir():
        raise FileNotFoundError(
            f"{folder} not found: install the corpus with `apt-get install fortunes fortunes-zh`."
        )
    return sorted(
        p for p in folder.iterdir()
        if p.is_file() and not p.suffix and p.name not in SKIPPED_FILES
    )  # fmt: skip


def is_held_out(entry: str) -> bool:
    """Whether an entry belongs to the held-out set (fixed by its text, not by chance)."""
    return zlib.crc32(entry.encode("utf-8")) % HELD_OUT_EVERY == 0


def load_corpus(folder: Path = FORTUNE_DIR, limit_chars: int | None = None) -> Corpus:
    """Read, clean, de-duplicate and split every fortune file; limit_chars caps each file."""
    corpus, seen = Corpus(), set()
    files = fortune_files(folder)
    if not any(p.name in CHINESE_FILES for p in files):
        raise FileNotFoundError("Chinese text missing: `apt-get install fortunes-zh`.")
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        if limit_chars is not None:
            text = text[:limit_chars]
        used = 0
        for raw in _SEPARATOR.split(text):
            entry = clean_entry(raw)
            if len(entry) < 8 or entry in seen:
                continue
            seen.add(entry)
            used += len(entry)
            (corpus.held_out if is_held_out(entry) else corpus.train).append(entry)
        corpus.files[path.name] = used
    return corpus
