"""Per-tab generation history: what was asked, what came back, and how, as immutable values.

Kept apart from studio/history.py (undo/redo of one text): this is the log of generations a
writer can look back on, restore and compare. Values are plain frozen dataclasses so a
visitor's gr.State can deep-copy them and studio/project.py can save them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import zip_longest
from typing import NamedTuple

from studio.params import Sampling, validate

MAX_ENTRIES = 50  # generations kept per tab; the oldest are dropped first
SUMMARY_CHARS = 500  # an input longer than this is clipped in the history (the manuscript...)
ELLIPSIS = "…"

Scalar = str | int | float | bool


def utc_timestamp(when: datetime | None = None) -> str:
    """An ISO 8601 UTC time to the second, e.g. '2025-01-31T12:00:00Z' (now when when is None)."""
    when = datetime.now(UTC) if when is None else when
    if when.tzinfo is None:
        raise ValueError("a timestamp needs a time zone; naive datetimes are ambiguous")
    return when.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def summarize_inputs(inputs: Mapping[str, Scalar], limit: int = SUMMARY_CHARS) -> dict[str, Scalar]:
    """A copy of a tab's inputs with each text clipped to limit characters (ending in '…')."""
    return {
        name: value[: limit - 1] + ELLIPSIS
        if isinstance(value, str) and len(value) > limit
        else value
        for name, value in inputs.items()
    }


@dataclass(frozen=True)
class HistoryEntry:
    """One generation: the output text, the inputs behind it, the settings (seed used) and model."""

    text: str
    inputs: dict[str, Scalar] = field(default_factory=dict)  # summarised task inputs
    sampling: Sampling = field(default_factory=lambda: validate({}))  # with the seed actually used
    model: str = ""
    created_at: str = ""  # ISO 8601 UTC, see utc_timestamp()

    def __post_init__(self) -> None:
        # A private copy: a caller mutating its dict later must not rewrite history.
        object.__setattr__(self, "inputs", dict(self.inputs))

    @classmethod
    def record(
        cls,
        text: str,
        inputs: Mapping[str, Scalar],
        sampling: Sampling,
        model: str,
        when: datetime | None = None,
    ) -> HistoryEntry:
        """An entry stamped now (or at when), with long inputs clipped by summarize_inputs."""
        return cls(text, summarize_inputs(inputs), sampling, model, utc_timestamp(when))


class DiffRow(NamedTuple):
    """One row of a side-by-side comparison; tag is equal, replace, delete or insert."""

    left: str
    right: str
    tag: str


def diff_lines(left: str, right: str) -> list[DiffRow]:
    """Line-by-line rows pairing left with right, for a two-column view (e.g. gr.Dataframe)."""
    a, b = left.splitlines(), right.splitlines()
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        pairs = zip_longest(a[i1:i2], b[j1:j2], fillvalue="")
        rows.extend(DiffRow(x, y, tag) for x, y in pairs)
    return rows


@dataclass(frozen=True)
class RunHistory:
    """A tab's generations, oldest first, at most MAX_ENTRIES of them."""

    entries: tuple[HistoryEntry, ...] = ()

    def __post_init__(self) -> None:
        entries = tuple(self.entries)
        if len(entries) > MAX_ENTRIES:
            raise ValueError(f"a history holds at most {MAX_ENTRIES} entries, got {len(entries)}")
        if not all(isinstance(e, HistoryEntry) for e in entries):
            raise TypeError("a history holds HistoryEntry values only")
        object.__setattr__(self, "entries", entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[HistoryEntry]:
        return iter(self.entries)

    def add(self, entry: HistoryEntry) -> tuple[RunHistory, int]:
        """A history with entry appended and how many of the oldest entries were dropped."""
        entries = (*self.entries, entry)
        dropped = max(0, len(entries) - MAX_ENTRIES)
        return RunHistory(entries[dropped:]), dropped

    def get(self, i: int) -> HistoryEntry:
        """Entry i, 0 being the oldest (negative counts from the newest); IndexError if none."""
        if not -len(self.entries) <= i < len(self.entries):
            raise IndexError(f"no history entry {i}; there are {len(self.entries)}")
        return self.entries[i]

    def latest(self) -> HistoryEntry | None:
        """The newest entry, or None when nothing has been generated yet."""
        return self.entries[-1] if self.entries else None

    def compare(self, i: int, j: int) -> list[DiffRow]:
        """Side-by-side line diff of entry i's text (left) and entry j's text (right)."""
        return diff_lines(self.get(i).text, self.get(j).text)
