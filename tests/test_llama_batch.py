"""Concurrent requests on llama.cpp are decoded together, yet each is written as if alone."""

from __future__ import annotations

import threading
import time

import pytest
from conftest import launch_studio
from gradio_client import Client

from studio.engines.base import GenerationRequest
from studio.engines.local import LocalEngine
from studio.params import validate
from studio.tasks.story import build_story_prompt

PROMPTS = ["The lighthouse keeper", "Rain fell on the harbour", "她慢慢打开信", "Our new cup"]


@pytest.fixture(scope="module")
def engine(qwen_dir):
    engine = LocalEngine(str(qwen_dir), backend="llama.cpp", gguf_type="f32", parallel=4)
    engine.load()
    return engine


def request(manuscript: str, tokens: int = 16, **settings) -> GenerationRequest:
    greedy = not settings
    values = validate({"max_new_tokens": tokens, "repetition_penalty": 1.0, **settings},
                      greedy=greedy)  # fmt: skip
    return GenerationRequest(build_story_prompt(manuscript=manuscript), values)


def write(engine, req, stop=None) -> str:
    return "".join(engine.stream(req, stop or threading.Event()))


def together(engine, requests, stops=None) -> list[str]:
    """Every request at once, each from its own thread (as Gradio's workers call the engine)."""
    results = [""] * len(requests)
    stops = stops or [threading.Event() for _ in requests]

    def one(i: int) -> None:
        results[i] = write(engine, requests[i], stops[i])

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_each_request_writes_what_it_writes_alone(engine):
    alone = [write(engine, request(p)) for p in PROMPTS]
    assert len(set(alone)) == len(PROMPTS)  # four different texts
    assert together(engine, [request(p) for p in PROMPTS]) == alone


def test_one_visitors_sampling_settings_do_not_touch_anothers(engine):
    # Greedy beside hot sampling and a heavy penalty: each request has its own sampler chain.
    # (Sampled text itself may differ by a token once in a while when batched: the same
    # arithmetic in a different order rounds differently, which can tip a near-tie.)
    greedy = request(PROMPTS[0])
    alone = write(engine, greedy)
    others = [request(PROMPTS[1], temperature=1.3, top_k=0, top_p=1.0, seed=3),
              request(PROMPTS[2], temperature=0.7, repetition_penalty=1.8, seed=5)]  # fmt: skip
    assert together(engine, [greedy, *others])[0] == alone
    assert together(engine, [*others, greedy])[2] == alone


def test_one_visitors_stop_does_not_stop_another(engine):
    anna_stop, pieces = threading.Event(), []

    def anna() -> None:  # presses Stop after her third piece
        for piece in engine.stream(request(PROMPTS[0], 300), anna_stop):
            pieces.append(piece)
            if len(pieces) == 3:
                anna_stop.set()

    thread = threading.Thread(target=anna)
    thread.start()
    ben = write(engine, request(PROMPTS[1], 200))
    thread.join(30)
    assert len(pieces) <= 4  # nothing after her Stop (but a character it had begun)
    assert ben == write(engine, request(PROMPTS[1], 200))  # written to the end, unchanged


def test_a_cached_prompt_start_is_reused_correctly(engine, qwen_dir):
    # The same manuscript continued again, then a longer one that shares its start: each must
    # read exactly as on a fresh engine (the slot cache must not leak old tokens).
    base = "The lighthouse keeper climbed the stairs"
    first, again = write(engine, request(base)), write(engine, request(base))
    longer = write(engine, request(base + " and lit the lamp"))
    fresh = LocalEngine(str(qwen_dir), backend="llama.cpp", gguf_type="f32", parallel=1)
    assert first == again == write(fresh, request(base))
    assert longer == write(fresh, request(base + " and lit the lamp"))


def test_visitors_write_at_the_same_time_through_the_studio(engine):
    app, url = launch_studio(engine, parallel=4)
    try:
        clients = [Client(url, verbose=False) for _ in range(3)]
        batcher, most = engine.load().batcher, 0
        jobs = [c.submit(manuscript=p, premise="", max_new_tokens=400, seed=1, api_name="/story")
                for c, p in zip(clients, PROMPTS, strict=False)]  # fmt: skip
        deadline = time.time() + 30
        while time.time() < deadline and not all(j.done() for j in jobs):
            most = max(most, batcher.active())
            time.sleep(0.001)
        assert most == 3  # the three visitors were written for in the same decode steps
        for client, job, prompt in zip(clients, jobs, PROMPTS, strict=False):
            client.predict(prompt, api_name="/stop_story")
            text, info = job.result(timeout=30)
            assert text.startswith(prompt) and info.startswith(("Stopped", "Done"))
    finally:
        app.close()


def test_a_long_prompt_is_read_in_chunks_while_another_writes(engine):
    # Ben's long manuscript arrives while Anna is writing: it is read four tokens per step,
    # in the same steps as Anna's next tokens, so her stream keeps flowing; both texts are
    # what each writes alone.
    from studio.engines.llama_batch import BatchedLlama, Sampling

    loaded = engine.load()
    batcher = BatchedLlama(loaded.model, 2, loaded.context, loaded.batcher.stop_ids, chunk=4)
    greedy = Sampling(temperature=0.0, top_k=0, top_p=1.0, min_p=0.0, repetition_penalty=1.0,
                      seed=0)  # fmt: skip
    anna_ids = loaded.tokenizer(PROMPTS[0]).input_ids
    ben_ids = loaded.tokenizer(" ".join(PROMPTS[1:] * 3)).input_ids  # nothing in common

    def write_alone(ids: list[int], budget: int) -> list[int]:
        return list(batcher.tokens(ids, greedy, budget, threading.Event()))

    anna_alone, ben_alone = write_alone(anna_ids, 60), write_alone(ben_ids, 8)
    batcher._cached = [[] for _ in batcher._cached]  # forget the cached prompts: read anew
    steps, fill, decode = [], batcher._fill, batcher._decode
    batcher._fill = lambda rows: (steps.append(rows), fill(rows))
    batcher._decode = lambda: (time.sleep(0.002), decode())  # a slower model: Ben comes early
    anna, ben_asked = [], threading.Event()

    def anna_writes() -> None:
        for token in batcher.tokens(anna_ids, greedy, 60, threading.Event()):
            anna.append(token)
            if len(anna) == 3:
                ben_asked.set()

    thread = threading.Thread(target=anna_writes)
    thread.start()
    ben_asked.wait(30)
    ben = list(batcher.tokens(ben_ids, greedy, 8, threading.Event()))
    thread.join(30)
    assert anna == anna_alone and ben == ben_alone
    anna_slot = steps[0][0][2]  # she came first and was read alone
    mixed = [
        [r for r in rows if r[2] != anna_slot]
        for rows in steps
        if any(r[2] == anna_slot for r in rows) and any(r[2] != anna_slot for r in rows)
    ]
    read = [r for rows in mixed for r in rows if r[1] < len(ben_ids)]  # fmt: skip
    assert len(mixed) >= len(ben_ids) // 4 - 1  # many steps served both of them
    assert all(len([r for r in rows if r[1] < len(ben_ids)]) <= 4 for rows in mixed)
    assert [r[0] for r in read] == ben_ids  # his whole prompt, in order, once


def test_a_prompt_start_another_visitor_read_is_shared_not_read_again(engine, qwen_dir):
    # Anna is writing; Ben's prompt starts with the same 20 tokens as hers (a tab's system
    # prompt, say): his slot shares her cached start and reads only the rest, and he writes
    # what he would write on a fresh engine.
    from studio.engines.llama_batch import BatchedLlama, Sampling

    loaded = engine.load()
    batcher = BatchedLlama(loaded.model, 2, loaded.context, loaded.batcher.stop_ids)
    greedy = Sampling(temperature=0.0, top_k=0, top_p=1.0, min_p=0.0, repetition_penalty=1.0,
                      seed=0)  # fmt: skip
    shared = loaded.tokenizer(" ".join(PROMPTS)).input_ids[:20]
    anna_ids = shared + loaded.tokenizer(" and so it began").input_ids
    ben_ids = shared + loaded.tokenizer(" Rain again").input_ids
    fresh = BatchedLlama(loaded.model, 1, loaded.context, loaded.batcher.stop_ids)
    ben_alone = list(fresh.tokens(ben_ids, greedy, 8, threading.Event()))
    steps, fill = [], batcher._fill
    batcher._fill = lambda rows: (steps.append(rows), fill(rows))
    anna_going, anna_stop = threading.Event(), threading.Event()

    def anna_writes() -> None:
        for _ in batcher.tokens(anna_ids, greedy, 400, anna_stop):
            anna_going.set()

    thread = threading.Thread(target=anna_writes)
    thread.start()
    anna_going.wait(30)
    steps.clear()
    ben = list(batcher.tokens(ben_ids, greedy, 8, threading.Event()))
    anna_stop.set()
    thread.join(30)
    assert ben == ben_alone
    assert len(anna_ids) >= len(ben_ids)  # so rows below len(ben_ids) are Ben's prompt
    read = [r for rows in steps for r in rows if r[1] < len(ben_ids)]
    assert [(r[1], r[0]) for r in read] == list(enumerate(ben_ids))[len(shared) :]


def test_the_benchmark_times_bare_decode_steps_of_every_batch_size(engine):
    from studio.bench.decode_steps import PROMPT_TOKENS, crowd_ceiling, step_ms

    result = step_ms(engine.load().model, sizes=(1, 3), steps=4)
    assert set(result["step_ms"]) == {"1", "3"}
    assert all(ms > 0 for ms in result["step_ms"].values())
    # each step wrote one token for every sequence of its batch, and for no other
    assert result["positions"] == [PROMPT_TOKENS + 8, PROMPT_TOKENS + 4, PROMPT_TOKENS + 4]
    assert crowd_ceiling(result["step_ms"], 3) == pytest.approx(
        3 * result["step_ms"]["1"] / result["step_ms"]["3"]
    )
    assert crowd_ceiling(result["step_ms"], 4) is None  # not measured
