"""Undo/redo sequences, by table."""

import pytest

from studio.history import Timeline


def play(steps, limit=100):
    timeline = Timeline("v0", limit=limit)
    for step in steps:
        timeline = getattr(timeline, step)() if step in ("undo", "redo") else timeline.commit(step)
    return timeline


@pytest.mark.parametrize(
    ("steps", "present", "can_undo", "can_redo"),
    [
        ([], "v0", False, False),
        (["v1"], "v1", True, False),
        (["v1", "undo"], "v0", False, True),
        (["v1", "undo", "redo"], "v1", True, False),
        (["v1", "v2", "undo", "undo"], "v0", False, True),
        (["v1", "v2", "undo", "undo", "undo"], "v0", False, True),  # nothing more to undo
        (["v1", "redo"], "v1", True, False),  # nothing to redo
        (["v1", "v2", "undo", "v3"], "v3", True, False),  # a new version clears redo
        (["v1", "v2", "undo", "v3", "undo", "undo"], "v0", False, True),
        (["v1", "v1"], "v1", True, False),  # an unchanged text is not a new version
    ],
)
def test_undo_redo_sequences(steps, present, can_undo, can_redo):
    timeline = play(steps)
    assert (timeline.present, timeline.can_undo, timeline.can_redo) == (present, can_undo, can_redo)


def test_history_is_bounded_and_drops_the_oldest():
    timeline = play([f"v{i}" for i in range(1, 8)], limit=3)
    assert timeline.past == ("v4", "v5", "v6")
    for _ in range(5):
        timeline = timeline.undo()
    assert timeline.present == "v4"
