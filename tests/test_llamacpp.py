"""The llama.cpp backend: real conversion of tiny Qwen2/Llama models, real llama-cpp-python."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import launch_studio
from gradio_client import Client
from llama_cpp import Llama
from transformers import AutoModelForCausalLM

from studio.bench.measure import story_request
from studio.engines.base import EngineStatus, GenerationError, GenerationRequest
from studio.engines.gguf_convert import convert
from studio.engines.llamacpp import load_llama
from studio.engines.local import LocalEngine
from studio.params import validate
from studio.tasks.story import build_story_prompt
from studio.ui.status import describe_status

PROMPT = "The lighthouse keeper climbed the stairs at dusk"


def text(engine, request) -> str:
    return "".join(engine.stream(request, threading.Event()))


def detail(engine) -> str:
    """The engine's status line once loaded: backend, device, precision."""
    engine.load()
    return engine.status().detail


@pytest.mark.parametrize("family", ["qwen_dir", "llama_dir"])
def test_converted_model_computes_what_transformers_computes(request, family):
    # Every position's logits, f32 GGUF against the transformers model: a wrong tensor name,
    # layout or rope permutation shows here at once.
    folder = request.getfixturevalue(family)
    loaded = load_llama(str(folder), "f32")
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32)
    llm = Llama(loaded.model.model_path, n_ctx=128, logits_all=True, verbose=False)
    all_ids = loaded.tokenizer(PROMPT, add_special_tokens=False).input_ids
    for length in (1, 4, len(all_ids)):  # the next-token logits after each prefix
        ids = all_ids[:length]
        with torch.no_grad():
            expected = model(torch.tensor([ids])).logits[0, -1].numpy()
        llm.reset()
        llm.eval(ids)
        got = np.array(llm.scores[length - 1])
        assert np.abs(got - expected).max() < 0.02 * np.abs(expected).max()
        assert got.argmax() == expected.argmax()


@pytest.mark.parametrize("family", ["qwen_dir", "llama_dir"])
def test_greedy_text_matches_transformers(request, family):
    # Without repetition penalty: llama.cpp applies it to recent generated tokens only, where
    # transformers also counts the prompt (the README says so).
    folder = str(request.getfixturevalue(family))
    values = validate({"max_new_tokens": 24, "repetition_penalty": 1.0}, greedy=True)
    story = GenerationRequest(build_story_prompt(manuscript=PROMPT), values)
    reference = text(LocalEngine(folder, backend="transformers"), story)
    fast = LocalEngine(folder, backend="llama.cpp", gguf_type="f32")
    assert text(fast, story) == reference
    assert len(set(reference)) > 5  # varied text, so matching it means something


def test_auto_runs_llama_family_on_llama_cpp_and_others_on_transformers(qwen_dir, base_model_dir):
    assert detail(LocalEngine(str(qwen_dir))).startswith("llama.cpp, cpu, GGUF f16")
    assert detail(LocalEngine(str(base_model_dir))).startswith("transformers")
    # asking for a torch precision means transformers
    assert detail(LocalEngine(str(qwen_dir), dtype="float32")).startswith("transformers")


def test_conversion_is_kept_and_reused(qwen_dir):
    first = LocalEngine(str(qwen_dir), backend="llama.cpp", gguf_type="q8_0")
    first.load()
    path = Path(first.load().model.model_path)
    stamp = path.stat().st_mtime_ns
    again = LocalEngine(str(qwen_dir), backend="llama.cpp", gguf_type="q8_0")
    again.load()
    assert Path(again.load().model.model_path) == path and path.stat().st_mtime_ns == stamp
    assert not list(path.parent.glob("*.partial"))


def test_a_gguf_file_runs_directly(qwen_dir, tmp_path):
    gguf = convert(qwen_dir, tmp_path / "tiny.gguf", "f16")
    engine = LocalEngine(str(gguf))
    assert engine.load().backend == "llama.cpp"
    assert engine.load().kind == "chat"  # the chat template travels inside the file
    assert text(engine, story_request(PROMPT, 12))


def test_sampling_is_reproducible_by_seed(qwen_dir):
    engine = LocalEngine(str(qwen_dir), backend="llama.cpp")
    sampling = {"max_new_tokens": 16, "temperature": 1.2, "top_k": 0, "top_p": 1.0}

    def run(seed: int) -> str:
        values = validate({**sampling, "seed": seed})
        return text(engine, GenerationRequest(build_story_prompt(manuscript=PROMPT), values))

    assert run(7) == run(7)
    assert run(7) != run(8)  # (the length bound is checked against transformers, greedily)


def test_stop_ends_the_generation_and_frees_the_engine(qwen_dir):
    engine = LocalEngine(str(qwen_dir), backend="llama.cpp")
    stop = threading.Event()
    long_run = story_request(PROMPT, 400)
    pieces = []
    for piece in engine.stream(long_run, stop):
        pieces.append(piece)
        stop.set()
    assert len(pieces) <= 2  # the piece that was ready, and at most the flush
    started = time.perf_counter()
    assert text(engine, story_request(PROMPT, 4))  # the next request is not blocked
    assert time.perf_counter() - started < 10


def test_notes_what_llama_cpp_cannot_do(qwen_dir):
    engine = LocalEngine(str(qwen_dir), backend="llama.cpp")
    notes: list[str] = []
    values = validate({"max_new_tokens": 4, "no_repeat_ngram_size": 3}, greedy=True)
    prompt = build_story_prompt(manuscript=PROMPT)
    text(engine, GenerationRequest(prompt, values, notes.append))
    assert any("n-gram" in note for note in notes)


@pytest.mark.parametrize(
    ("model", "backend", "message"),
    [
        ("base_model_dir", "llama.cpp", "llama.cpp conversion covers"),
        ("missing.gguf", "auto", "not a readable GGUF"),
        ("qwen_dir", "llama.cpp-cuda", "llama.cpp"),
    ],
)
def test_what_llama_cpp_cannot_run_is_said_clearly(request, tmp_path, model, backend, message):
    if model.endswith("_dir"):
        model = str(request.getfixturevalue(model))
    else:
        (tmp_path / model).write_bytes(b"not a model")
        model = str(tmp_path / model)
    device = "cuda" if backend.endswith("cuda") else "auto"
    engine = LocalEngine(model, backend=backend.removesuffix("-cuda"), device=device)
    with pytest.raises(GenerationError, match=message):
        engine.load()


def test_the_studio_writes_through_llama_cpp(qwen_dir):
    engine = LocalEngine(str(qwen_dir))
    app, url = launch_studio(engine)
    try:
        client = Client(url, verbose=False)
        story, info = client.predict(
            manuscript="Once upon a time.", premise="", max_new_tokens=12, seed=3,
            api_name="/story",
        )  # fmt: skip
        assert story.startswith("Once upon a time.") and len(story) > len("Once upon a time.")
        assert info.startswith("Done")
        assert "llama.cpp" in engine.status().detail
    finally:
        app.close()


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        (EngineStatus("loading", "Qwen/Qwen2.5-0.5B-Instruct"), "⏳ Loading **Qwen/Qwen2.5-0.5B"),
        (
            EngineStatus(
                "loading", "m", None, "converting to GGUF f16 for llama.cpp (first start only)"
            ),
            "(converting to GGUF f16 for llama.cpp (first start only))",
        ),
        (
            EngineStatus("ready", "m", "chat", "llama.cpp, cpu, GGUF f16, 8192 tokens of context"),
            "instruct model · llama.cpp, cpu, GGUF f16",
        ),
    ],
)
def test_the_status_line_says_what_loading_does_and_which_backend_runs(status, shown):
    assert shown in describe_status(status)
