"""The project file: what is saved loads back equal; every malformed file is refused by name."""

from __future__ import annotations

import copy
import json
import re
import time

import pytest

from studio.params import validate
from studio.project import (
    FORMAT,
    MAX_PROJECT_BYTES,
    MAX_TEXT_CHARS,
    VERSION,
    Project,
    ProjectError,
    TabState,
    from_json,
    project_dict,
    to_json,
)
from studio.run_history import MAX_ENTRIES, HistoryEntry, RunHistory

DELETE = object()


def entry(text: str, seed: int = 7, when: str = "2025-01-31T12:00:00Z") -> HistoryEntry:
    return HistoryEntry(
        text, {"topic": "雨夜", "rhyme": True}, validate({"seed": seed}), "tiny-gpt2", when
    )


def sample_project() -> Project:
    story = TabState(
        inputs={
            "premise": "A lighthouse keeper finds a letter.",
            "memory": "Mara, 60, stubborn.",
            "authors_note": "",
            "genre": "literary",
            "tone": "warm",
            "length_words": 400,
            "language_code": "zh",
            "manuscript": "第一章\n\n灯塔亮了。",
        },
        outputs={"variant_0": "She read it twice.", "result": ""},
        sampling=validate({"temperature": 0.85, "max_new_tokens": 300, "seed": 1234}),
        history=RunHistory((entry("灯塔亮了。"), entry("The lamp went out.", seed=99))),
    )
    lyrics = TabState(
        inputs={"topic": "rain", "syllables": 8, "strict": False, "ratio": 0.5},
        sampling=validate({}, greedy=True),
    )
    return Project(
        "灯塔 / The Lighthouse",
        "Ending: the letter is hers.",
        {"story": story, "lyrics": lyrics, "translation": TabState()},
    )


def valid() -> dict:
    return json.loads(to_json(sample_project()))


def edited(path: tuple, value) -> str:
    data = copy.deepcopy(valid())
    *parents, last = path
    target = data
    for key in parents:
        target = target[key]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    return json.dumps(data, ensure_ascii=False)


def test_round_trip_gives_an_equal_project():
    project = sample_project()
    text = to_json(project)
    assert from_json(text) == project
    assert from_json(text.encode("utf-8")) == project
    assert to_json(from_json(text)) == text


def test_the_file_names_its_format_and_keeps_cjk_readable():
    text = to_json(sample_project())
    data = json.loads(text)
    assert (data["format"], data["version"]) == (FORMAT, VERSION)
    assert "灯塔亮了" in text  # not \\u escapes: a writer can read the file
    assert data["tabs"]["story"]["history"][1]["sampling"]["seed"] == 99


def test_a_file_written_by_hand_to_the_documented_schema_loads():
    text = """{
      "format": "creative-writing-studio/project", "version": 1, "title": "Rain",
      "tabs": {"lyrics": {
        "inputs": {"topic": "rain", "lines": 8},
        "outputs": {"text": "Rain on the roof"},
        "sampling": {"temperature": 1, "greedy": false},
        "history": [{"text": "Rain on the roof", "inputs": {"topic": "rain"},
                     "sampling": {"seed": 5}, "model": "m", "created_at": "2025-02-01T08:00:00Z"}]
      }}}"""
    project = from_json("\ufeff" + text)  # with the BOM some Windows editors add
    lyrics = project.tab("lyrics")
    assert lyrics.inputs == {"topic": "rain", "lines": 8}
    assert lyrics.sampling["temperature"] == 1.0 and lyrics.sampling["top_p"] == 0.95
    assert lyrics.history.latest().sampling["seed"] == 5
    assert project.tab("story") == TabState()  # absent tabs read as empty


def test_brackets_inside_text_are_not_nesting():
    text = edited(("tabs", "story", "inputs", "premise"), "[[[[[[[[[[{{{{{{{{{{" * 200)
    assert from_json(text).tab("story").inputs["premise"].startswith("[[[[")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ("", "not valid JSON"),
        ("[]", "holds no JSON object"),
        ('"a story"', "holds no JSON object"),
        (b"\xff\xfe{}", "not UTF-8"),
        ("[" * 100 + "]" * 100, "nested deeper than 8"),
        ("[" * 1_000_000, "too many objects"),
        ("[" + "{}," * 20_000 + "{}]", "too many objects"),
        ('{"a": 1, "a": 2}', "names 'a' twice"),
        ('{"a": NaN}', "contains NaN"),
        ('{"a": -Infinity}', "contains -Infinity"),
        ('{"a": 1e999}', "out of range"),
        ('{"a": ' + "9" * 5000 + "}", "too large"),
        (b" " * 50_000_000, "at most 5 MB"),
        (" " * 50_000_000, "at most 5 MB"),
        ("字" * (MAX_PROJECT_BYTES // 3 + 1), "at most 5 MB"),  # few characters, many bytes
    ],
)
def test_hostile_or_broken_text_is_refused(text, message):
    started = time.perf_counter()
    with pytest.raises(ProjectError, match=message):
        from_json(text)
    assert time.perf_counter() - started < 5  # refused early, not after chewing on it


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("format",), "something/else", "its format is not 'creative-writing-studio/project'"),
        (("format",), DELETE, "its format is not"),
        (("version",), 2, "version 2; this studio reads version 1"),
        (("version",), "1", "version '1'; this studio reads version 1"),
        (("version",), True, "this studio reads version 1"),
        (("version",), DELETE, "has no version; this studio reads version 1"),
        (("tabs",), DELETE, "the project file has no 'tabs'"),
        (("extra",), 1, "the project file has an unknown field 'extra'"),
        (("title",), 5, "title must be text"),
        (("notes",), None, "notes must be text"),
        (("tabs",), [], "tabs must be an object"),
        (("tabs", "poetry"), {}, "Unknown tab 'poetry' in tabs"),
        (("tabs", "story"), "x", "tabs.story must be an object"),
        (("tabs", "story", "outputs"), DELETE, "tabs.story has no 'outputs'"),
        (("tabs", "story", "colour"), 1, "tabs.story has an unknown field 'colour'"),
        (("tabs", "story", "inputs"), [], "tabs.story.inputs must be an object"),
        (("tabs", "story", "inputs", "premise"), ["a"], "tabs.story.inputs.premise must be text"),
        (("tabs", "story", "inputs", "premise"), None, "tabs.story.inputs.premise must be text"),
        (("tabs", "story", "inputs", "premise"), {"a": 1}, "inputs.premise must be text"),
        (("tabs", "story", "inputs", "premise"), "x" * (MAX_TEXT_CHARS + 1), "longer than"),
        (("tabs", "story", "inputs", "premise"), "\ud800", "premise is not valid Unicode"),
        (("tabs", "story", "inputs", "bad name"), 1, "invalid name: 'bad name'"),
        (("tabs", "story", "inputs"), {f"k{i}": 1 for i in range(65)}, "more than 64 fields"),
        (("tabs", "story", "outputs", "variant_0"), 3, "tabs.story.outputs.variant_0 must be text"),
        (("tabs", "lyrics", "sampling", "temperature"), 7, "tabs.lyrics.sampling: Temperature"),
        (("tabs", "lyrics", "sampling", "temperature"), "hot", "Temperature must be a number"),
        (("tabs", "lyrics", "sampling", "temperature"), None, "sampling.temperature must be a n"),
        (("tabs", "lyrics", "sampling", "top_k"), 2.5, "Top-k must be a whole number"),
        (("tabs", "lyrics", "sampling", "warmth"), 1, "Unknown sampling parameter"),
        (("tabs", "lyrics", "sampling", "greedy"), "yes", "Greedy must be true or false"),
        (("tabs", "story", "history"), {}, "tabs.story.history must be a list"),
        (("tabs", "story", "history", 1), [], "history entry 2 in story must be an object"),
        (("tabs", "story", "history", 1, "text"), DELETE, "history entry 2 in story has no 'text'"),
        (("tabs", "story", "history", 0, "text"), 1, "text of history entry 1 in story must be"),
        (("tabs", "story", "history", 0, "why"), 1, "history entry 1 in story has an unknown"),
        (("tabs", "story", "history", 0, "model"), "m" * 301, "model of history entry 1 in"),
        (("tabs", "story", "history", 0, "inputs", "topic"), [], "inputs.topic of history entry"),
        (("tabs", "story", "history", 0, "sampling", "seed"), 1.5, "Seed must be a whole number"),
        (("tabs", "story", "history", 0, "sampling", "seed"), -2, "Seed must be between"),
        (("tabs", "story", "history", 0, "created_at"), "yesterday", "created_at of history entry"),
        (("tabs", "story", "history", 0, "created_at"), "2025-01-31T12:00:00", "must be a UTC"),
        (("tabs", "story", "history", 0, "created_at"), "2025-01-31T12:00+02:00", "must be a UTC"),
    ],
)
def test_each_malformed_field_is_refused_by_name(path, value, message):
    with pytest.raises(ProjectError, match=re.escape(message)):
        from_json(edited(path, value))


def test_too_many_history_entries_are_refused():
    data = valid()
    data["tabs"]["lyrics"]["history"] = [data["tabs"]["story"]["history"][0]] * (MAX_ENTRIES + 1)
    with pytest.raises(ProjectError, match=f"lyrics.history has {MAX_ENTRIES + 1} entries"):
        from_json(json.dumps(data))


def test_deep_nesting_inside_a_field_is_refused_before_parsing():
    text = edited(("tabs", "story", "inputs", "premise"), "placeholder")
    with pytest.raises(ProjectError, match="nested deeper"):
        from_json(text.replace('"placeholder"', "[" * 9 + "]" * 9))


@pytest.mark.parametrize(
    ("project", "message"),
    [
        (Project(tabs={"poetry": TabState()}), "Unknown tab 'poetry'"),
        (Project(tabs={"story": TabState(inputs={1: "x"})}), "invalid name: '1'"),
        (Project(tabs={"story": TabState(inputs={"x": float("nan")})}), "inputs.x must be"),
        (Project(tabs={"story": TabState(inputs={"x": 10**40})}), "inputs.x must be"),
        (Project(tabs={"story": TabState(outputs={"x": None})}), "outputs.x must be text"),
        (Project(tabs={"story": "not a tab state"}), "TabState"),
        (
            Project(tabs={"story": TabState(history=RunHistory((entry("x", when="now"),)))}),
            "created_at of history entry 1 in story",
        ),
    ],
)
def test_a_project_that_could_not_be_loaded_is_not_saved(project, message):
    with pytest.raises(ProjectError, match=message):
        to_json(project)


def test_a_project_over_the_size_bound_is_not_saved():
    long = "Rain on the roof. " * 12_000  # ~216 kB a text, 50 of them per tab
    history = RunHistory(tuple(entry(long) for _ in range(MAX_ENTRIES)))
    project = Project(tabs={"story": TabState(history=history)})
    with pytest.raises(ProjectError, match="Clear some history"):
        to_json(project)


def test_project_tab_and_with_tab():
    project = sample_project()
    changed = project.with_tab("lyrics", TabState(inputs={"topic": "snow"}))
    assert changed.tab("lyrics").inputs == {"topic": "snow"}
    assert project.tab("lyrics").inputs["topic"] == "rain"  # the original is unchanged
    with pytest.raises(KeyError, match="poetry"):
        project.with_tab("poetry", TabState())


def test_a_tab_state_keeps_its_own_copy_of_the_inputs():
    inputs = {"premise": "before"}
    state = TabState(inputs=inputs)
    inputs["premise"] = "after"
    assert state.inputs == {"premise": "before"}
    assert project_dict(Project(tabs={"story": state}))["tabs"]["story"]["inputs"] == {
        "premise": "before"
    }
