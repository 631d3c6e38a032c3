"""End to end: the real app on 127.0.0.1, called through gradio_client."""

import time

import httpx
import pytest
from conftest import launch_studio, slowed
from gradio_client import Client

TAB_CALLS = {
    "/story": {"premise": "A lighthouse keeper finds a letter", "language_code": "zh"},
    "/copywriting": {"brief": "A folding coffee cup", "format_key": "social_post"},
    "/lyrics": {"theme": "the river I grew up by", "rhyme_scheme": "ABCB"},
    "/translate": {"text": "The rain fell.\n\nShe smiled.", "source": "en", "target": "zh"},
}


@pytest.fixture(scope="module")
def client(studio_url):
    return Client(studio_url, verbose=False)


@pytest.mark.parametrize("endpoint", list(TAB_CALLS))
def test_every_tab_streams_text(client, endpoint):
    job = client.submit(**TAB_CALLS[endpoint], max_new_tokens=16, seed=7, api_name=endpoint)
    updates = list(job)
    assert len(updates) >= 3  # the empty start, at least one piece, and the final summary
    text, info = updates[-1][:2]
    assert text and info.startswith("Done")


def test_same_seed_through_the_api_gives_the_same_text(client):
    call = dict(TAB_CALLS["/story"], temperature=1.2, max_new_tokens=12, seed=42)
    first = client.predict(**call, api_name="/story")
    second = client.predict(**call, api_name="/story")
    assert first[0] == second[0] and "seed 42" in first[1]


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"temperature": 7}, "Temperature"),
        ({"max_new_tokens": 0}, "Max new tokens"),
        ({"top_p": 1.5}, "Top-p"),
        ({"premise": "  "}, "premise"),
    ],
)
def test_bad_requests_get_a_clear_error_and_the_server_keeps_serving(client, override, message):
    with pytest.raises(Exception, match=message):
        client.predict(**{**TAB_CALLS["/story"], **override}, api_name="/story")
    _, info = client.predict(**TAB_CALLS["/story"], max_new_tokens=5, api_name="/story")
    assert info.startswith("Done")


def test_stop_through_the_api_ends_that_generation(client, chat_engine):
    with slowed(chat_engine, delay=0.05, endless=False):
        job = client.submit(**TAB_CALLS["/lyrics"], max_new_tokens=400, greedy=True,
                            repetition_penalty=1.0, api_name="/lyrics")  # fmt: skip
        time.sleep(1.0)
        started = time.time()
        client.predict("", api_name="/stop_lyrics")
        while not job.done() and time.time() - started < 10:
            time.sleep(0.05)
        assert job.done() and time.time() - started < 10  # 400 tokens would take 20 s
    assert client.predict(**TAB_CALLS["/lyrics"], max_new_tokens=4, api_name="/lyrics")[1]


def test_missing_model_still_serves_and_says_what_is_missing(tmp_path):
    from studio.engines.local import LocalEngine

    engine = LocalEngine(str(tmp_path / "missing-model"))
    engine.start_loading()
    app, url = launch_studio(engine)
    try:
        assert httpx.get(url, timeout=10).status_code == 200
        with pytest.raises(Exception, match="could not be found"):
            Client(url, verbose=False).predict(**TAB_CALLS["/story"], api_name="/story")
        assert engine.status().state == "failed"
    finally:
        app.close()


def test_no_run_history_or_analytics(studio_url):
    config = httpx.get(studio_url.rstrip("/") + "/config", timeout=10).json()
    assert config.get("run_history") is False
    assert config.get("analytics_enabled") is False
