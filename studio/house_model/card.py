"""The house model's card (README.md): corpus, licence, size, training, perplexity, samples.

Samples are generated through the studio's own engine and prompt builders, with fixed seeds,
so they show exactly what a writer gets from each tab.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from studio.engines.base import GenerationError, GenerationRequest
from studio.engines.local import LocalEngine
from studio.house_model.corpus import HELD_OUT_EVERY
from studio.params import validate
from studio.tasks.copywriting import build_copy_prompt
from studio.tasks.lyrics import build_lyrics_prompt
from studio.tasks.prompt import Prompt
from studio.tasks.story import build_story_prompt
from studio.tasks.translation import build_translation_prompt

SAMPLE_PROMPTS: list[tuple[str, Prompt]] = [
    ("Story (English)", build_story_prompt("A lighthouse keeper finds a letter from the future.")),
    ("Story (中文)", build_story_prompt("一位老裁缝在关店前的最后一夜接到奇怪的订单",
                                      language_code="zh")),
    ("Copywriting", build_copy_prompt("A folding coffee cup that fits in a pocket", "tagline")),
    ("Lyrics (English)", build_lyrics_prompt("the river I grew up by", "folk")),
    ("Lyrics (中文)", build_lyrics_prompt("深夜回家的路", "Mandopop", language_code="zh")),
    ("Translation", build_translation_prompt("The rain had stopped.", "en", "zh")),
]  # fmt: skip


def samples(model_dir: Path, seed: int = 7, max_new_tokens: int = 80) -> list[tuple[str, str]]:
    """(tab, text) pairs written by the model in model_dir for each sample prompt."""
    engine = LocalEngine(str(model_dir), device="cpu")
    sampling = validate({"seed": seed, "max_new_tokens": max_new_tokens, "temperature": 0.8})
    written = []
    for tab, prompt in SAMPLE_PROMPTS:
        try:
            text = "".join(engine.stream(GenerationRequest(prompt, sampling), threading.Event()))
        except GenerationError as err:
            text = f"(refused, as the tab shows it: {err})"
        written.append((tab, (prompt.plain + text).strip()))
    return written


def write_card(out: Path, record: dict[str, Any]) -> Path:
    """Write README.md for the model in out from its training record and fresh samples."""
    recipe, corpus = record["recipe"], record["corpus"]
    size_mb = sum(p.stat().st_size for p in out.iterdir() if p.is_file()) / 1e6
    files = ", ".join(f"`{name}` ({chars:,})" for name, chars in sorted(corpus["files"].items()))
    sources = "\n".join(f"| `{s['package']}` (Debian) | {s['licence']} |"
                        for s in corpus["sources"])  # fmt: skip
    ratio = record["unigram_perplexity"] / record["model_perplexity"]
    shown = "\n\n".join(f"**{tab}**\n\n```text\n{text}\n```" for tab, text in samples(out))
    card = f"""---
license: gpl-3.0
language: [en, zh]
library_name: transformers
pipeline_tag: text-generation
---

# Creative Writing Studio house model

A small GPT-2 ({record["parameters"] / 1e6:.1f} M parameters, {recipe["n_layer"]} layers, hidden
size {recipe["n_embd"]}, {recipe["context"]} tokens of context, {recipe["vocab_size"]}-token
byte-level BPE) trained from scratch by `python -m studio.house_model.train`, so that the studio
writes something on a machine that cannot reach a model hub. It is a **base model**: it continues
text and does not follow instructions, and it cannot translate. Its writing is rough; use an
instruct model (see the studio's README) for real work.

## Training data

Debian's fortune collections, read from the installed packages (`apt-get install fortunes
fortunes-zh`): quotations, jokes, short passages and poems in English, and modern Chinese
passages with Tang and Song poetry. One entry in {HELD_OUT_EVERY} is held out by a hash of its text
and never trained on.

| source | licence |
|---|---|
{sources}

Characters used per file: {files}.

Training entries: {corpus["train_entries"]:,} ({corpus["train_tokens"]:,} tokens);
held-out entries: {corpus["held_out_entries"]:,} ({corpus["held_out_tokens"]:,} tokens).
The weights are derived from GPL-3.0-or-later material and are released under the same licence.

## Training

{recipe["steps"]} steps of {recipe["batch"]} windows of {recipe["context"]} tokens, AdamW
(peak learning rate {recipe["lr"]}, cosine decay), seed {recipe["seed"]}, on
{record["threads"]} CPU threads with torch {record["torch"]}: **{record["train_seconds"] / 60:.1f}
minutes**. Saved in float16 safetensors: {size_mb:.1f} MB.

## Evaluation (held-out text)

| model | perplexity |
|---|---|
| this model | {record["model_perplexity"]:.1f} |
| unigram model, same tokenizer | {record["unigram_perplexity"]:.1f} |

The model's perplexity is {ratio:.1f}x lower than the unigram baseline.

## Samples

Generated through the studio's own engine and each tab's prompt (seed 7, temperature 0.8, 80
new tokens); the prompt is shown before the model's text.

{shown}
"""
    path = out / "README.md"
    path.write_text(card, encoding="utf-8")
    return path
