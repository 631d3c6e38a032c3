"""Incremental decoding: however ids arrive, the pieces add up to the whole decoded text."""

from __future__ import annotations

import threading

import pytest
import torch
from transformers import AutoTokenizer

from studio.engines.streaming import IncrementalDecoder, TokenStream

TEXTS = [
    "The lighthouse keeper climbed the stairs.",
    "床前明月光，疑是地上霜。举头望明月，低头思故乡。",
    "Mixed 中文 and English, with emoji 🎹 and café.",
    "  leading spaces\n\nand blank lines\t tabs",
]
BATCHES = [1, 2, 3, 7]  # how many ids arrive at once


@pytest.fixture(scope="module", params=["gpt2", "marian"])
def tokenizer(request, base_model_dir, marian_dir):
    """A byte-level BPE (GPT-2) and a sentencepiece (Marian) tokenizer, both trained in tests."""
    folder = base_model_dir if request.param == "gpt2" else marian_dir
    return AutoTokenizer.from_pretrained(str(folder))


def _pieces(tokenizer, ids: list[int], batch: int) -> list[str]:
    decoder = IncrementalDecoder(tokenizer)
    pieces = [decoder.add(ids[i : i + batch]) for i in range(0, len(ids), batch)]
    return [*pieces, decoder.flush()]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("batch", BATCHES)
def test_pieces_add_up_to_the_whole_text(tokenizer, text, batch):
    ids = tokenizer(text, add_special_tokens=False).input_ids
    whole = tokenizer.decode(ids, skip_special_tokens=True)
    assert "".join(_pieces(tokenizer, ids, batch)) == whole


def test_no_piece_holds_half_a_character(base_model_dir):
    # Byte-level BPE splits CJK characters across tokens: no piece may show a broken one.
    tokenizer = AutoTokenizer.from_pretrained(str(base_model_dir))
    ids = tokenizer("龘龘 鬱鬱 🎹🎹", add_special_tokens=False).input_ids
    pieces = _pieces(tokenizer, ids, 1)
    assert len(ids) > len("龘龘鬱鬱🎹🎹")  # the test means something: characters are split
    assert all("\ufffd" not in piece for piece in pieces)


def test_special_tokens_are_left_out(marian_dir):
    tokenizer = AutoTokenizer.from_pretrained(str(marian_dir))
    ids = [tokenizer.pad_token_id, *tokenizer("hello world").input_ids]  # ends with </s>
    text = "".join(_pieces(tokenizer, ids, 2))
    assert text == tokenizer.decode(ids, skip_special_tokens=True)
    assert "</s>" not in text and "<pad>" not in text


def test_token_stream_skips_the_prompt_and_ends(base_model_dir):
    tokenizer = AutoTokenizer.from_pretrained(str(base_model_dir))
    prompt = tokenizer("Once upon", return_tensors="pt").input_ids
    answer = tokenizer(" a time, 很久以前.", add_special_tokens=False).input_ids
    stream = TokenStream(tokenizer, skip_prompt=True)

    def produce() -> None:  # the way generate() calls a streamer, from its own thread
        stream.put(prompt)
        for token in answer:
            stream.put(torch.tensor([token]))
        stream.end()

    thread = threading.Thread(target=produce)
    thread.start()
    text = "".join(stream)
    thread.join()
    assert text == tokenizer.decode(answer, skip_special_tokens=True)
