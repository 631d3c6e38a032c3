"""The benchmark's visitors against a real studio on 127.0.0.1 (the tiny base model)."""

from __future__ import annotations

import pytest
from conftest import launch_studio

from studio.bench.models import Manuscripts, build_tokenizer
from studio.bench.page import PageVisitor, story_endpoint
from studio.bench.visitors import PieceClock, continue_story, open_client, visit_together
from studio.engines.local import LocalEngine


@pytest.fixture(scope="module")
def studio(base_model_dir):
    engine = PieceClock(LocalEngine(str(base_model_dir), backend="transformers"))
    app, url = launch_studio(engine, parallel=2)
    client = open_client(url)
    yield engine, url, client
    client.close()
    app.close()


def test_a_page_visitor_gets_what_gradio_client_gets(studio):
    # Greedy, so both clients must end with the same manuscript: the visitor applied every
    # streamed diff correctly, and it saw the text grow before the end.
    _, url, client = studio
    visitor = PageVisitor(url, story_endpoint(client))
    try:
        visit = visitor.continue_story("The lighthouse keeper", 24)
    finally:
        visitor.close()
    job = client.submit(manuscript="The lighthouse keeper", greedy=True, max_new_tokens=24,
                        api_name="/story")  # fmt: skip
    expected = job.result()[0]
    assert visit.text == expected and len(expected) > len("The lighthouse keeper")
    assert visit.start < visit.first <= visit.end
    assert continue_story(client, "The lighthouse keeper", 24).ttft > 0


def test_visitors_together_count_every_streamed_token(studio):
    engine, url, client = studio
    manuscripts = Manuscripts(engine.engine.load().tokenizer)
    crowd = visit_together(url, story_endpoint(client), manuscripts, 12, 2, engine)
    assert crowd["visitors"] == 2 and len(crowd["ttft_s"]) == 2
    assert 0 < crowd["tokens"] <= 24  # pieces streamed by the two timed requests only
    assert crowd["aggregate_tok_s"] == pytest.approx(crowd["tokens"] / crowd["wall_s"])


def test_manuscripts_are_new_each_time_and_the_same_length():
    tokenizer = build_tokenizer(1000)
    manuscripts = Manuscripts(tokenizer)
    texts = [manuscripts() for _ in range(60)]
    assert len(set(texts)) == 60
    assert {len(tokenizer(t).input_ids) for t in texts} == {32}
