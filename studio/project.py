"""The project file: every tab's inputs, outputs, settings and history in one versioned JSON file.

``to_json`` and ``from_json`` are pure. ``from_json`` reads untrusted files: it checks the size
before decoding and the nesting before parsing, refuses NaN, Infinity and absurd numbers while
parsing, then checks every field against the schema. Anything wrong raises ProjectError with a
message naming the field, so a malformed file changes nothing.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from studio import __version__
from studio.params import ParamError, Sampling, validate
from studio.run_history import MAX_ENTRIES, HistoryEntry, RunHistory, Scalar

FORMAT = "creative-writing-studio/project"
VERSION = 1
TABS = ("story", "copywriting", "lyrics", "translation")
MAX_PROJECT_BYTES = 5_000_000  # a whole novel is ~1 MB of UTF-8; the rest is room for history
MAX_TEXT_CHARS = 2_000_000  # one text field (a manuscript); the file bound applies as well
MAX_SHORT_CHARS = 300  # a title, a model name or path
MAX_FIELDS = 64  # names in one inputs, outputs or sampling object
MAX_DEPTH = 8  # the schema nests 6 deep (project > tabs > tab > history > entry > inputs)
MAX_CONTAINERS = 5_000  # objects and lists in a file; 4 tabs x 50 entries need ~900
MAX_INT_DIGITS = 16  # integers beyond 10**16 are no setting the studio has
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
# A JSON string, unrolled so the regex engine never backtracks or recurses per character.
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_TOP_KEYS = ("format", "version", "studio_version", "title", "notes", "tabs")
_TAB_KEYS = ("inputs", "outputs", "sampling", "history")
_ENTRY_KEYS = ("text", "inputs", "sampling", "model", "created_at")


class ProjectError(ValueError):
    """A project file that cannot be read (or a project that cannot be saved); says why."""


@dataclass(frozen=True)
class TabState:
    """One tab's saved state: inputs by parameter name, outputs by name, settings, history."""

    inputs: dict[str, Scalar] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    sampling: Sampling = field(default_factory=lambda: validate({}))
    history: RunHistory = field(default_factory=RunHistory)

    def __post_init__(self) -> None:
        # Private copies, so the caller's dicts changing later cannot change a saved state.
        object.__setattr__(self, "inputs", dict(self.inputs))
        object.__setattr__(self, "outputs", dict(self.outputs))


@dataclass(frozen=True)
class Project:
    """A writer's whole project: a title, free notes and the tabs that hold anything."""

    title: str = ""
    notes: str = ""  # the writer's own notes on the project; never sent to a model
    tabs: dict[str, TabState] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tabs", dict(self.tabs))

    def tab(self, name: str) -> TabState:
        """The state of a tab (an empty TabState when the project has none); KeyError if unknown."""
        if name not in TABS:
            raise KeyError(f"unknown tab {name!r}; the tabs are {', '.join(TABS)}")
        return self.tabs.get(name, TabState())

    def with_tab(self, name: str, state: TabState) -> Project:
        """A copy of the project with one tab's state replaced."""
        self.tab(name)  # refuse unknown names here rather than at save time
        return Project(self.title, self.notes, {**self.tabs, name: state})


@dataclass(frozen=True)
class _Where:
    """Where a value sits, for messages: 'tabs.story.inputs.premise', 'text of history entry 3'."""

    path: str = ""
    owner: str = "the project file"

    def child(self, key: str) -> _Where:
        return _Where(f"{self.path}.{key}" if self.path else key, self.owner)

    def __str__(self) -> str:
        if self.owner == "the project file":
            return self.path or self.owner
        return f"{self.path} of {self.owner}" if self.path else self.owner


# ---- reading: bytes -> JSON value, with the hostile cases refused before they cost anything


def _decode(text: str | bytes) -> str:
    limit = f"a project file holds at most {MAX_PROJECT_BYTES // 1_000_000} MB"
    if isinstance(text, (bytes, bytearray)):
        if len(text) > MAX_PROJECT_BYTES:
            raise ProjectError(f"This file is {len(text) / 1e6:.1f} MB; {limit}.")
        try:
            return bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise ProjectError(
                f"This is not a project file: it is not UTF-8 text ({err})."
            ) from None
    if not isinstance(text, str):
        raise ProjectError(f"A project file is text or bytes, got {type(text).__name__}.")
    # Characters never outnumber UTF-8 bytes, so a long string is refused before encoding it.
    size = len(text) if len(text) > MAX_PROJECT_BYTES else len(text.encode("utf-8", "replace"))
    if size > MAX_PROJECT_BYTES:
        raise ProjectError(f"This file is {size / 1e6:.1f} MB; {limit}.")
    return text.removeprefix("\ufeff")


def _check_nesting(text: str) -> None:
    """Refuse deep nesting and floods of containers before json.loads recurses into them."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    if len(brackets) > 2 * MAX_CONTAINERS:
        raise ProjectError(f"This file has too many objects and lists (over {MAX_CONTAINERS}).")
    depth = 0
    for char in brackets:
        depth += 1 if char in "[{" else -1
        if depth > MAX_DEPTH:
            raise ProjectError(f"This file is nested deeper than {MAX_DEPTH} levels.")


def _reject_constant(name: str) -> Any:
    raise ProjectError(f"This file contains {name}, which is not a number a project can hold.")


def _parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise ProjectError(f"This file contains a number too large to be a setting: {digits[:20]}…")
    return int(digits)


def _parse_float(digits: str) -> float:
    value = float(digits)
    if not math.isfinite(value):
        raise ProjectError(f"This file contains a number out of range: {digits[:20]}.")
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:  # json.loads would silently keep the last one
            raise ProjectError(f"This file names {key[:40]!r} twice in one object.")
        seen.add(key)
    return dict(pairs)


def _parse(text: str | bytes) -> Any:
    decoded = _decode(text)
    _check_nesting(decoded)
    try:
        return json.loads(decoded, parse_constant=_reject_constant, parse_int=_parse_int,
                          parse_float=_parse_float, object_pairs_hook=_unique_keys)  # fmt: skip
    except json.JSONDecodeError as err:
        raise ProjectError(
            f"This is not a project file: it is not valid JSON ({err.msg} at line {err.lineno}, "
            f"column {err.colno})."
        ) from None
    except RecursionError:  # _check_nesting makes this unreachable; kept as a second wall
        raise ProjectError(f"This file is nested deeper than {MAX_DEPTH} levels.") from None


# ---- checking: JSON value -> Project, every field by name


def _object(value: Any, where: _Where, required: tuple[str, ...], allowed: tuple[str, ...]) -> dict:
    if not isinstance(value, dict):
        raise ProjectError(f"{where} must be an object.")
    for key in value:
        if key not in allowed:
            raise ProjectError(f"{where} has an unknown field {str(key)[:40]!r}.")
    for key in required:
        if key not in value:
            raise ProjectError(f"{where} has no {key!r}.")
    return value


def _text(value: Any, where: _Where, limit: int = MAX_TEXT_CHARS) -> str:
    if not isinstance(value, str):
        raise ProjectError(f"{where} must be text.")
    if len(value) > limit:
        raise ProjectError(f"{where} is longer than {limit:,} characters.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a "\\ud800" escape: unsavable
        raise ProjectError(f"{where} is not valid Unicode text.") from None
    return value


def _scalar(value: Any, where: _Where) -> Scalar:
    if isinstance(value, str):
        return _text(value, where)
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and abs(value) < 10**MAX_INT_DIGITS:
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    raise ProjectError(f"{where} must be text, a finite number or true/false.")


def _named(value: Any, where: _Where) -> dict:
    if not isinstance(value, dict):
        raise ProjectError(f"{where} must be an object.")
    if len(value) > MAX_FIELDS:
        raise ProjectError(f"{where} has more than {MAX_FIELDS} fields.")
    for key in value:
        if not isinstance(key, str) or not _NAME.fullmatch(key):
            raise ProjectError(f"{where} has a field with an invalid name: {str(key)[:40]!r}.")
    return value


def _inputs(value: Any, where: _Where) -> dict[str, Scalar]:
    return {k: _scalar(v, where.child(k)) for k, v in _named(value, where).items()}


def _outputs(value: Any, where: _Where) -> dict[str, str]:
    return {k: _text(v, where.child(k)) for k, v in _named(value, where).items()}


def _sampling(value: Any, where: _Where) -> Sampling:
    values = dict(_named(value, where))
    greedy = values.pop("greedy", False)
    for name, number in values.items():
        if number is None:  # params.validate would read null as "use the default"
            raise ProjectError(f"{where.child(name)} must be a number.")
    try:
        return validate(values, greedy)
    except ParamError as err:
        raise ProjectError(f"{where}: {err}") from None


def _timestamp(value: Any, where: _Where) -> str:
    text = _text(value, where, limit=40)
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        when = None
    if when is None or when.utcoffset() is None or when.utcoffset().total_seconds() != 0:
        raise ProjectError(f"{where} must be a UTC time like 2025-01-31T12:00:00Z, got {text!r}.")
    return text


def _entry(value: Any, where: _Where) -> HistoryEntry:
    data = _object(value, where, _ENTRY_KEYS, _ENTRY_KEYS)
    return HistoryEntry(
        text=_text(data["text"], where.child("text")),
        inputs=_inputs(data["inputs"], where.child("inputs")),
        sampling=_sampling(data["sampling"], where.child("sampling")),
        model=_text(data["model"], where.child("model"), limit=MAX_SHORT_CHARS),
        created_at=_timestamp(data["created_at"], where.child("created_at")),
    )


def _history(value: Any, where: _Where, tab: str) -> RunHistory:
    if not isinstance(value, list):
        raise ProjectError(f"{where} must be a list.")
    if len(value) > MAX_ENTRIES:
        raise ProjectError(f"{where} has {len(value)} entries; at most {MAX_ENTRIES} are kept.")
    entries = (
        _entry(e, _Where(owner=f"history entry {n} in {tab}")) for n, e in enumerate(value, 1)
    )
    return RunHistory(tuple(entries))


def _tab(value: Any, where: _Where, tab: str) -> TabState:
    data = _object(value, where, _TAB_KEYS, _TAB_KEYS)
    return TabState(
        inputs=_inputs(data["inputs"], where.child("inputs")),
        outputs=_outputs(data["outputs"], where.child("outputs")),
        sampling=_sampling(data["sampling"], where.child("sampling")),
        history=_history(data["history"], where.child("history"), tab),
    )


def _tabs(value: Any) -> dict[str, TabState]:
    if not isinstance(value, dict):
        raise ProjectError("tabs must be an object.")
    for name in value:
        if name not in TABS:
            raise ProjectError(
                f"Unknown tab {str(name)[:40]!r} in tabs; this studio has {', '.join(TABS)}."
            )
    return {name: _tab(value[name], _Where(f"tabs.{name}"), name) for name in TABS if name in value}


def _read(data: Any) -> Project:
    root = _Where()
    if not isinstance(data, dict):
        raise ProjectError("This is not a project file: it holds no JSON object.")
    if data.get("format") != FORMAT:
        raise ProjectError(f"This is not a project file: its format is not {FORMAT!r}.")
    if "version" not in data:
        raise ProjectError(
            f"This project file has no version; this studio reads version {VERSION}."
        )
    version = data["version"]
    if version != VERSION or isinstance(version, bool):
        raise ProjectError(
            f"This project file is version {version!r}; this studio reads version {VERSION}."
        )
    data = _object(data, root, ("format", "version", "tabs"), _TOP_KEYS)
    _text(data.get("studio_version", ""), root.child("studio_version"), limit=40)
    return Project(
        title=_text(data.get("title", ""), root.child("title"), limit=MAX_SHORT_CHARS),
        notes=_text(data.get("notes", ""), root.child("notes")),
        tabs=_tabs(data["tabs"]),
    )


def from_json(text: str | bytes) -> Project:
    """The Project in a project file; ProjectError naming the problem for anything malformed."""
    return _read(_parse(text))


# ---- writing: Project -> JSON text, checked by the same reader so what we save we can load


def _sampling_dict(sampling: Sampling) -> dict[str, Any]:
    return {**sampling.values, "greedy": sampling.greedy}


def _entry_dict(entry: HistoryEntry) -> dict[str, Any]:
    return {"text": entry.text, "inputs": entry.inputs, "sampling": _sampling_dict(entry.sampling),
            "model": entry.model, "created_at": entry.created_at}  # fmt: skip


def _tab_dict(state: TabState) -> dict[str, Any]:
    return {"inputs": state.inputs, "outputs": state.outputs,
            "sampling": _sampling_dict(state.sampling),
            "history": [_entry_dict(e) for e in state.history]}  # fmt: skip


def project_dict(project: Project) -> dict[str, Any]:
    """The project as the JSON-ready dict of the file format (not yet checked)."""
    return {"format": FORMAT, "version": VERSION, "studio_version": __version__,
            "title": project.title, "notes": project.notes,
            "tabs": {name: _tab_dict(state) for name, state in project.tabs.items()}}  # fmt: skip


def history_to_list(history: RunHistory) -> list[dict[str, Any]]:
    """A tab's history as the JSON-ready list the project file (and the browser) stores."""
    return [_entry_dict(entry) for entry in history]


def history_from_list(value: Any, tab: str) -> RunHistory:
    """A tab's history from a stored list, checked like a project file's (ProjectError if not)."""
    return _history(value, _Where(f"{tab} history"), tab)


def to_json(project: Project) -> str:
    """The project file's text; ProjectError if from_json would refuse it (bad value, too big)."""
    if not isinstance(project, Project) or not all(
        isinstance(state, TabState) for state in project.tabs.values()
    ):
        raise ProjectError("Only a Project whose tabs are TabState values can be saved.")
    data = project_dict(project)
    _read(data)
    text = json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False)
    size = len(text.encode("utf-8"))
    if size > MAX_PROJECT_BYTES:
        raise ProjectError(
            f"This project is {size / 1e6:.1f} MB; a project file holds at most "
            f"{MAX_PROJECT_BYTES // 1_000_000} MB. Clear some history and save again."
        )
    return text
