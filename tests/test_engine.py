"""The transformers engine on tiny real models loaded through from_pretrained."""

import threading
import time

import pytest

from studio.engines.base import GenerationError, GenerationRequest
from studio.engines.local import LocalEngine
from studio.params import validate
from studio.tasks.story import build_story_prompt
from studio.tasks.translation import build_translation_prompt

GREEDY = validate({"max_new_tokens": 24, "repetition_penalty": 1.0}, greedy=True)


def run(engine, prompt, sampling=GREEDY, stop=None, notes=None):
    request = GenerationRequest(
        prompt, sampling, notify=(notes if notes is not None else []).append
    )
    return "".join(engine.stream(request, stop or threading.Event()))


def generate_threads():
    return [t for t in threading.enumerate() if t.name == "studio-generate" and t.is_alive()]


@pytest.mark.parametrize("fixture", ["base_model_dir", "chat_model_dir"])
def test_streamed_text_equals_plain_greedy_generate(fixture, request):
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder = str(request.getfixturevalue(fixture))
    engine = LocalEngine(folder)
    prompt = build_story_prompt("A lighthouse keeper finds a letter")
    streamed = run(engine, prompt)

    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForCausalLM.from_pretrained(folder)
    loaded = engine.load()
    if loaded.kind == "chat":
        messages = [
            {"role": "system", "content": prompt.system},
            {"role": "user", "content": prompt.user},
        ]
        text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        ids = tokenizer(text, add_special_tokens=False, return_tensors="pt").input_ids
    else:
        ids = tokenizer(prompt.plain, return_tensors="pt").input_ids
    with torch.inference_mode():
        out = model.generate(
            ids,
            attention_mask=torch.ones_like(ids),
            do_sample=False,
            max_new_tokens=24,
            pad_token_id=tokenizer.eos_token_id,
        )
    expected = tokenizer.decode(out[0, ids.shape[1] :], skip_special_tokens=True)
    assert streamed == expected and streamed


def test_kind_is_detected(chat_engine, base_model_dir, marian_dir):
    assert chat_engine.status().kind == "chat"
    assert LocalEngine(str(base_model_dir)).load().kind == "base"
    assert LocalEngine(str(marian_dir)).load().kind == "seq2seq"


def test_same_seed_same_text_and_different_seed_differs(chat_engine):
    prompt = build_story_prompt("Two rivals share an umbrella")
    texts = {
        seed: [
            run(
                chat_engine,
                prompt,
                validate({"seed": seed, "temperature": 1.5, "top_k": 0, "max_new_tokens": 20}),
            )
            for _ in range(2)
        ]
        for seed in (1, 2)
    }
    assert texts[1][0] == texts[1][1]
    assert texts[2][0] == texts[2][1]
    assert texts[1][0] != texts[2][0]


def test_stop_ends_the_generation_thread(chat_engine):
    stop = threading.Event()
    request = GenerationRequest(
        build_story_prompt("A long walk"), validate({"max_new_tokens": 100}, greedy=True)
    )
    # Slow the tiny model down (20 ms a token) so the Stop lands mid-generation.
    model = chat_engine.load().model
    original, calls = model.forward, []

    def slow_forward(*args, **kwargs):
        calls.append(1)
        time.sleep(0.02)
        return original(*args, **kwargs)

    model.forward = slow_forward
    try:
        threading.Timer(0.3, stop.set).start()  # the writer presses Stop from another thread
        list(chat_engine.stream(request, stop))
        deadline = time.time() + 5
        while generate_threads() and time.time() < deadline:
            time.sleep(0.05)
        assert not generate_threads()
        assert 2 <= len(calls) < 60  # stopped well before the 100 tokens asked for
    finally:
        del model.forward


def test_closing_the_stream_stops_the_thread(chat_engine):
    stop = threading.Event()
    stream = chat_engine.stream(
        GenerationRequest(build_story_prompt("x"), validate({"max_new_tokens": 100})), stop
    )
    next(stream)
    stream.close()  # what Gradio does when a visitor cancels or leaves
    deadline = time.time() + 5
    while generate_threads() and time.time() < deadline:
        time.sleep(0.05)
    assert not generate_threads()


def test_too_long_prompt_is_trimmed_with_a_warning(base_model_dir):
    engine = LocalEngine(str(base_model_dir))
    notes = []
    text = run(
        engine,
        build_story_prompt("", manuscript="The rain fell on the harbour. " * 200),
        notes=notes,
    )
    assert text
    assert len(notes) == 1 and "your manuscript was shortened" in notes[0]


def test_too_long_chat_prompt_keeps_the_template(chat_engine):
    notes = []
    assert run(chat_engine, build_story_prompt("rain " * 3000), notes=notes)
    assert "your text was shortened" in notes[0]


def test_marian_translates_paragraph_by_paragraph(marian_dir):
    engine = LocalEngine(str(marian_dir))
    out = run(
        engine, build_translation_prompt("The rain fell.\n\nShe opened the letter.", "en", "zh")
    )
    assert out.count("\n\n") == 1


def test_translation_model_refuses_other_tabs(marian_dir):
    engine = LocalEngine(str(marian_dir))
    with pytest.raises(GenerationError, match="translation model"):
        run(engine, build_story_prompt("a premise"))


def test_base_model_refuses_to_translate(base_model_dir):
    engine = LocalEngine(str(base_model_dir))
    with pytest.raises(GenerationError, match="translation model"):
        run(engine, build_translation_prompt("hello", "en", "zh"))


def test_missing_model_fails_clearly_and_quickly(tmp_path):
    engine = LocalEngine(str(tmp_path / "no-such-model"))
    started = time.time()
    with pytest.raises(GenerationError, match="could not be found"):
        engine.load()
    assert time.time() - started < 30
    status = engine.status()
    assert status.state == "failed" and "no-such-model" in status.detail


def test_errors_in_the_generation_thread_reach_the_caller(chat_engine, monkeypatch):
    def out_of_memory(**kwargs):
        kwargs["streamer"].put(kwargs["input_ids"])  # the prompt, as generate() does first
        raise RuntimeError("out of memory")

    monkeypatch.setattr(chat_engine.load().model, "generate", out_of_memory)
    with pytest.raises(GenerationError, match="failed while writing: out of memory"):
        run(chat_engine, build_story_prompt("a premise"))
    monkeypatch.undo()
    assert run(chat_engine, build_story_prompt("still works"))  # and the engine goes on


def test_background_loading_reports_progress(base_model_dir):
    engine = LocalEngine(str(base_model_dir))
    assert engine.status().state == "idle"
    engine.start_loading()
    deadline = time.time() + 30
    while engine.status().state != "ready" and time.time() < deadline:
        time.sleep(0.05)
    assert engine.status().state == "ready" and "cpu" in engine.status().detail


@pytest.mark.parametrize("fixture", ["base_model_dir", "chat_model_dir"])
def test_story_notes_survive_when_the_manuscript_is_trimmed(fixture, request, monkeypatch):
    from studio.engines import prompting

    engine = LocalEngine(str(request.getfixturevalue(fixture)))
    loaded = engine.load()
    manuscript = "\n\n".join(f"Paragraph {i}: the rain fell on the harbour." for i in range(120))
    prompt = build_story_prompt(
        "",
        manuscript=manuscript,
        memory="Mara is a lighthouse keeper.",
        authors_note="Build tension.",
    )
    notes = []
    request_ = GenerationRequest(prompt, GREEDY, notify=notes.append)
    ids = prompting.causal_inputs(loaded, request_)["input_ids"][0]
    seen = loaded.tokenizer.decode(ids)
    assert "Mara is a lighthouse keeper." in seen and "[Author's note: Build tension.]" in seen
    assert "Paragraph 119" in seen and "Paragraph 0:" not in seen
    assert len(ids) <= loaded.context and "your manuscript was shortened" in notes[0]
