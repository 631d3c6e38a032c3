"""The bundled house model: its corpus, its training recipe, and the offline fallback."""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from conftest import free_port
from gradio_client import Client

from studio.engines.base import GenerationError, GenerationRequest
from studio.engines.local import LocalEngine
from studio.house_model import HOUSE_DIR, resolve_model
from studio.house_model.corpus import clean_entry, is_held_out, load_corpus
from studio.house_model.train import TINY, run
from studio.params import validate
from studio.tasks.copywriting import build_copy_prompt
from studio.tasks.lyrics import build_lyrics_prompt
from studio.tasks.story import build_story_prompt
from studio.tasks.translation import build_translation_prompt

ROOT = Path(__file__).resolve().parents[1]


def write(engine, prompt, seed=3):
    request = GenerationRequest(prompt, validate({"seed": seed, "max_new_tokens": 40}))
    return "".join(engine.stream(request, threading.Event()))


def test_clean_entry_strips_colour_codes_and_blank_lines():
    raw = "\n\x1b[32m《春晓》\x1b[m   \n\x1b[33m作者：孟浩然\x1b[m\n春眠不觉晓\n\n"
    assert clean_entry(raw) == "《春晓》\n作者：孟浩然\n春眠不觉晓"


def test_held_out_split_is_fixed_by_text_and_about_two_percent():
    entries = [f"entry number {i}" for i in range(5000)]
    held = [e for e in entries if is_held_out(e)]
    assert held == [e for e in entries if is_held_out(e)]
    assert 50 <= len(held) <= 150


def test_corpus_reads_dedups_and_splits(tmp_path):
    (tmp_path / "fortunes").write_text(
        "A wise saying here.\n%\nA wise saying here.\n%\nOther words of wisdom.\n%\n",
        encoding="utf-8",
    )
    (tmp_path / "tang300").write_text("\x1b[32m《静夜思》\x1b[m\n床前明月光\n%\n", encoding="utf-8")
    (tmp_path / "fortunes.dat").write_bytes(b"\x00\x01")
    corpus = load_corpus(tmp_path)
    assert sorted(corpus.train + corpus.held_out) == sorted(
        ["A wise saying here.", "Other words of wisdom.", "《静夜思》\n床前明月光"]
    )
    assert set(corpus.files) == {"fortunes", "tang300"}


def test_missing_corpus_says_how_to_install_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="apt-get install fortunes"):
        load_corpus(tmp_path / "nowhere")
    (tmp_path / "fortunes").write_text("Only English here.\n%\n", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="fortunes-zh"):
        load_corpus(tmp_path)


def test_tiny_training_run_produces_a_loadable_model(tmp_path):
    record = run(tmp_path, TINY)
    assert record["model_perplexity"] > 1 and record["unigram_perplexity"] > 1
    saved = json.loads((tmp_path / "training.json").read_text())
    assert saved["recipe"]["steps"] == TINY.steps
    engine = LocalEngine(str(tmp_path))
    assert engine.load().kind == "base"
    assert write(engine, build_story_prompt("A walk in the rain"))


def test_house_is_resolved_by_name():
    assert resolve_model("house") == str(HOUSE_DIR)
    assert resolve_model(" House ") == str(HOUSE_DIR)
    assert resolve_model("Qwen/Qwen2.5-0.5B-Instruct") == "Qwen/Qwen2.5-0.5B-Instruct"


@pytest.fixture(scope="module")
def house_engine():
    engine = LocalEngine(resolve_model("house"))
    engine.load()
    return engine


@pytest.mark.parametrize(
    "prompt",
    [
        build_story_prompt("A lighthouse keeper finds a letter"),
        build_story_prompt("雨夜里的旧书店", language_code="zh"),
        build_copy_prompt("A folding coffee cup", "tagline"),
        build_lyrics_prompt("the river I grew up by"),
        build_lyrics_prompt("回家的路", language_code="zh"),
    ],
    ids=["story-en", "story-zh", "copy", "lyrics-en", "lyrics-zh"],
)
def test_house_model_writes_for_every_writing_tab(house_engine, prompt):
    assert house_engine.status().kind == "base"
    assert len(write(house_engine, prompt).strip()) > 5


def test_house_model_refuses_to_translate_and_points_to_a_translator(house_engine):
    with pytest.raises(GenerationError, match="--translation-model"):
        write(house_engine, build_translation_prompt("The rain had stopped.", "en", "zh"))


def test_unreachable_hub_model_falls_back_to_the_house_model():
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    process = subprocess.Popen(
        [sys.executable, "app.py", "--model", "no-such-org/no-such-model", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if httpx.get(url, timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        client = Client(url, verbose=False)
        text, info = client.predict(
            premise="A lighthouse keeper", max_new_tokens=12, api_name="/story"
        )
        assert text and info.startswith("Done")
        status = client.predict(api_name="/status")
        assert "no-such-org/no-such-model" in status and "house model" in status
        assert "--model" in status  # one line on how to get a better model
    finally:
        process.terminate()
        process.wait(timeout=30)
