"""Two visitors on one server: each sees only their own work, and Stop is per visitor."""

import time

import pytest
from conftest import launch_studio, slowed
from gradio_client import Client


@pytest.fixture
def slow_url(chat_engine):
    """A studio whose tiny model writes ~20 tokens/s and never stops on its own."""
    with slowed(chat_engine, delay=0.05):
        app, url = launch_studio(chat_engine)
        yield url
        app.close()


def wait(job, seconds):
    deadline = time.time() + seconds
    while not job.done() and time.time() < deadline:
        time.sleep(0.05)
    return job.done()


def test_one_visitors_stop_does_not_stop_another(slow_url):
    anna, ben = Client(slow_url, verbose=False), Client(slow_url, verbose=False)
    call = {"premise": "A long night", "max_new_tokens": 60, "seed": 1}
    anna_job = anna.submit(
        **{**call, "max_new_tokens": 400}, manuscript="Anna's draft.", api_name="/story"
    )
    time.sleep(0.8)
    ben_job = ben.submit(**call, manuscript="Ben's draft.", api_name="/story")
    time.sleep(0.5)
    anna.predict("Anna's draft.", api_name="/stop_story")
    assert wait(anna_job, 10)
    anna_text, anna_info = anna_job.outputs()[-1]
    assert anna_text.startswith("Anna's draft.") and "Ben" not in anna_text
    assert anna_info.startswith("Stopped")
    assert wait(ben_job, 30)  # 60 tokens at 20/s: Ben's run goes to the end
    ben_text, ben_info = ben_job.outputs()[-1]
    assert ben_text.startswith("Ben's draft.") and "Anna" not in ben_text
    assert ben_info.startswith("Done")


def test_undo_history_is_per_visitor(studio_url):
    anna, ben = Client(studio_url, verbose=False), Client(studio_url, verbose=False)
    call = {"premise": "x", "max_new_tokens": 4, "seed": 2}
    anna_text, _ = anna.predict(**call, manuscript="Anna.", api_name="/story")
    ben_text, _ = ben.predict(**call, manuscript="Ben.", api_name="/story")
    assert anna.predict(anna_text, api_name="/story_undo") == "Anna."
    assert ben.predict(ben_text, api_name="/story_undo") == "Ben."
