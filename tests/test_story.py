"""The Story workflow through the API: continue in place, retry, undo/redo, variants, actions."""

import pytest
from gradio_client import Client

BASE = {"premise": "A lighthouse keeper finds a letter", "max_new_tokens": 12}
MANUSCRIPT = "The lamp had burned all night.\n\nAt dawn, Mara climbed down to the rocks."


@pytest.fixture
def client(studio_url):
    return Client(studio_url, verbose=False)  # a fresh visitor with an empty history


def test_continue_appends_to_the_manuscript_in_place(client):
    text, info = client.predict(**BASE, manuscript=MANUSCRIPT, seed=1, api_name="/story")
    assert text.startswith(MANUSCRIPT) and len(text) > len(MANUSCRIPT)
    assert info.startswith("Done · seed 1")


def test_retry_replaces_only_the_last_generation(client):
    first, _ = client.predict(**BASE, manuscript=MANUSCRIPT, seed=1, api_name="/story")
    again, _ = client.predict(**BASE, manuscript=first, seed=2, api_name="/story_retry")
    assert again.startswith(MANUSCRIPT) and again != first
    same, _ = client.predict(**BASE, manuscript=again, seed=1, api_name="/story_retry")
    assert same == first  # same seed, same base: the same continuation


def test_undo_and_redo_walk_through_versions(client):
    first, _ = client.predict(**BASE, manuscript=MANUSCRIPT, seed=1, api_name="/story")
    second, _ = client.predict(**BASE, manuscript=first, seed=2, api_name="/story")
    assert client.predict(second, api_name="/story_undo") == first
    assert client.predict(first, api_name="/story_undo") == MANUSCRIPT
    assert client.predict(MANUSCRIPT, api_name="/story_redo") == first
    assert client.predict(first, api_name="/story_redo") == second


def test_undo_keeps_the_writers_own_edits(client):
    first, _ = client.predict(**BASE, manuscript=MANUSCRIPT, seed=1, api_name="/story")
    edited = first + " She smiled."
    assert client.predict(edited, api_name="/story_undo") == first
    assert client.predict(first, api_name="/story_redo") == edited


def test_variants_side_by_side_each_with_its_seed(client):
    *outputs, info = client.predict(
        **BASE, manuscript=MANUSCRIPT, seed=10, count=3, api_name="/story_variants"
    )
    boxes, seeds = outputs[:4], outputs[4:]
    assert [bool(b) for b in boxes] == [True, True, True, False]
    assert seeds == ["seed 10", "seed 11", "seed 12", ""]
    assert info.startswith("Done · 3 variants")
    one, _ = client.predict(**BASE, manuscript=MANUSCRIPT, seed=11, api_name="/story")
    assert one[len(MANUSCRIPT) :].strip() == boxes[1].strip()  # variant 2 is seed 11's text


@pytest.mark.parametrize("action", ["rewrite", "expand", "describe", "brainstorm"])
def test_passage_actions(client, action):
    result, info = client.predict(
        action=action,
        passage="Mara climbed down to the rocks.",
        instruction="more tension",
        manuscript=MANUSCRIPT,
        max_new_tokens=8,
        seed=3,
        api_name="/story_action",
    )
    assert result and info.startswith("Done")
