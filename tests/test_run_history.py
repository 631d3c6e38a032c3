"""Per-tab generation history: bounded, immutable, comparable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from studio.params import validate
from studio.run_history import (
    MAX_ENTRIES,
    SUMMARY_CHARS,
    DiffRow,
    HistoryEntry,
    RunHistory,
    diff_lines,
    summarize_inputs,
    utc_timestamp,
)


def entry(text: str) -> HistoryEntry:
    return HistoryEntry(text, {"topic": "rain"}, validate({"seed": 3}), "m", "2025-01-31T12:00:00Z")


def filled(n: int) -> RunHistory:
    history = RunHistory()
    for i in range(n):
        history, _ = history.add(entry(f"run {i}"))
    return history


def test_an_empty_history_has_no_latest():
    assert RunHistory().latest() is None
    assert len(RunHistory()) == 0


@pytest.mark.parametrize(
    ("before", "dropped", "oldest", "length"),
    [
        (0, 0, "new", 1),
        (1, 0, "run 0", 2),
        (MAX_ENTRIES - 1, 0, "run 0", MAX_ENTRIES),
        (MAX_ENTRIES, 1, "run 1", MAX_ENTRIES),  # full: the oldest goes
    ],
)
def test_add_keeps_at_most_max_entries_and_reports_drops(before, dropped, oldest, length):
    history = filled(before)
    added, count = history.add(entry("new"))
    assert (count, added.get(0).text, len(added)) == (dropped, oldest, length)
    assert added.latest().text == "new"
    assert len(history) == before  # the old value is unchanged


def test_adding_many_to_a_full_history_keeps_the_newest():
    history = filled(MAX_ENTRIES + 7)
    assert [e.text for e in history][:2] == ["run 7", "run 8"]
    assert history.latest().text == f"run {MAX_ENTRIES + 6}"


@pytest.mark.parametrize(("index", "text"), [(0, "run 0"), (2, "run 2"), (-1, "run 2")])
def test_get_counts_from_the_oldest(index, text):
    assert filled(3).get(index).text == text


@pytest.mark.parametrize("index", [3, -4])
def test_get_outside_the_history_says_how_many_there_are(index):
    with pytest.raises(IndexError, match="there are 3"):
        filled(3).get(index)


def test_a_history_cannot_be_built_over_its_bound():
    with pytest.raises(ValueError, match=f"at most {MAX_ENTRIES}"):
        RunHistory(tuple(entry("x") for _ in range(MAX_ENTRIES + 1)))


@pytest.mark.parametrize(
    ("left", "right", "rows"),
    [
        ("a\nb", "a\nb", [("a", "a", "equal"), ("b", "b", "equal")]),
        ("a\nb\nc", "a\nB\nc", [("a", "a", "equal"), ("b", "B", "replace"), ("c", "c", "equal")]),
        ("a\nb", "a", [("a", "a", "equal"), ("b", "", "delete")]),
        ("a", "a\n\nnew", [("a", "a", "equal"), ("", "", "insert"), ("", "new", "insert")]),
        ("x\ny", "z", [("x", "z", "replace"), ("y", "", "replace")]),
        ("", "", []),
        ("第一行\n雨", "第一行\n雪", [("第一行", "第一行", "equal"), ("雨", "雪", "replace")]),
    ],
)
def test_diff_lines_pairs_rows_side_by_side(left, right, rows):
    assert diff_lines(left, right) == [DiffRow(*row) for row in rows]


def test_compare_diffs_two_entries_texts():
    history = RunHistory((entry("The rain\nfell softly."), entry("The rain\nfell hard.")))
    assert history.compare(0, 1) == [
        DiffRow("The rain", "The rain", "equal"),
        DiffRow("fell softly.", "fell hard.", "replace"),
    ]
    assert history.compare(1, 0)[1] == DiffRow("fell hard.", "fell softly.", "replace")


def test_record_stamps_utc_and_clips_long_inputs():
    when = datetime(2025, 1, 31, 14, 30, 5, 123456, tzinfo=timezone(timedelta(hours=2)))
    manuscript = "字" * (SUMMARY_CHARS + 10)
    recorded = HistoryEntry.record(
        "out", {"manuscript": manuscript, "n": 3}, validate({"seed": 8}), "m", when
    )
    assert recorded.created_at == "2025-01-31T12:30:05Z"
    assert len(recorded.inputs["manuscript"]) == SUMMARY_CHARS
    assert recorded.inputs["manuscript"].endswith("…")
    assert recorded.inputs["n"] == 3
    assert recorded.sampling["seed"] == 8


def test_summarize_inputs_keeps_short_values_as_they_are():
    inputs = {"topic": "x" * SUMMARY_CHARS, "flag": True, "ratio": 0.5}
    assert summarize_inputs(inputs) == inputs


def test_utc_timestamp_refuses_a_naive_time():
    with pytest.raises(ValueError, match="time zone"):
        utc_timestamp(datetime(2025, 1, 1))
    assert utc_timestamp().endswith("Z")
    assert datetime.fromisoformat(utc_timestamp()).tzinfo is not None
    assert abs(datetime.fromisoformat(utc_timestamp()) - datetime.now(UTC)).total_seconds() < 5


def test_an_entry_keeps_its_own_copy_of_the_inputs():
    inputs = {"topic": "rain"}
    recorded = HistoryEntry("t", inputs)
    inputs["topic"] = "snow"
    assert recorded.inputs == {"topic": "rain"}
