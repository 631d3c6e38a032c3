"""The history panel's pure parts: recording, the dropped-entry note, the table, joined texts."""

import pytest

from studio.run_history import MAX_ENTRIES, RunHistory
from studio.ui.history_panel import history_rows, join_texts, record_run, split_text


@pytest.mark.parametrize(
    ("texts", "count"),
    [(["One."], 1), (["A", "B", "C", "D"], 4), (["A", "", "C", ""], 4), (["只有一个"], 4)],
)
def test_joined_texts_split_back(texts, count):
    joined = join_texts(texts)
    parts = split_text(joined, count)
    assert [p for p in parts if p] == [t for t in texts if t]
    assert len(parts) == count


def test_record_keeps_settings_seed_and_model():
    history, note = record_run(RunHistory(), "The lamp burned.",
                               {"premise": "x", "temperature": 0.7, "seed": -1, "greedy": False},
                               seed=42, model="house")  # fmt: skip
    entry = history.latest()
    assert entry.text == "The lamp burned." and entry.model == "house"
    assert entry.sampling["seed"] == 42 and entry.sampling["temperature"] == 0.7
    assert entry.inputs == {"premise": "x"} and note.startswith("1 generation")


def test_history_says_when_it_drops_the_oldest():
    history, note = RunHistory(), ""
    for i in range(MAX_ENTRIES + 1):
        history, note = record_run(history, f"text {i}", {}, seed=i, model="m")
    assert len(history) == MAX_ENTRIES and "oldest was dropped" in note
    assert history.get(0).text == "text 1"


def test_table_lists_newest_first_and_escapes_pipes():
    history, _ = record_run(RunHistory(), "first | text", {}, seed=1, model="m")
    history, _ = record_run(history, "second", {"greedy": True}, seed=2, model="m")
    rows = history_rows(history).splitlines()[2:]
    assert rows[0].startswith("| 2 |") and "greedy" in rows[0]
    assert rows[1].startswith("| 1 |") and "first \\| text" in rows[1]
    assert history_rows(RunHistory()).startswith("No generations")
