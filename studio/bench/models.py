"""The models measured: random-weight models with real architectures, and the house model.

Timing does not depend on weight values, so the random models are built from configs and a
synthetic tokenizer that can decode every id, saved with ``save_pretrained`` and loaded back
through the studio's own engine, the same path users hit. Their end-of-text token is removed so
every generation writes exactly the tokens asked for.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROMPT_TOKENS = 32  # every model reads a prompt of this many tokens
# Continued by the house model; trimmed to PROMPT_TOKENS of its own tokens.
PASSAGE = (
    "The lighthouse keeper climbed the narrow stairs at dusk, as he had done every evening for "
    "forty years. Rain drummed on the glass. Below, the harbour lights came on one by one, and "
    "a single boat was still out on the dark water, rocking against the wind."
)


@dataclass(frozen=True)
class ModelSpec:
    """One benchmark model: its name, a one-line description and how to build its folder."""

    name: str
    description: str
    build: Callable[[Path], Path]  # writes the model into the folder and returns it


BYTES = 256  # the byte-level alphabet: ids below this are single bytes
SPACE = "\u0120"  # how byte-level vocabularies spell a space ("G" with a dot above)


def token_name(i: int) -> str:
    """The text synthetic token i (at or above BYTES) decodes to: a space and a letter word."""
    return f" t{i}"


def build_tokenizer(vocab_size: int, model_max_length: int = 2048) -> Any:
    """A byte-level BPE tokenizer in which every one of ``vocab_size`` ids decodes.

    Ids below 256 are the byte-level alphabet, so any text encodes (one token per byte, there
    are no merges); every other id decodes to ``token_name(id)``, a word with a leading space
    as in GPT-2 and Qwen vocabularies (letters, so transformers' streamer releases it at once).
    transformers may rebuild it as the architecture's own tokenizer class (it does for Qwen2),
    which keeps vocabulary, merges and byte-level decoding. No special tokens of its own.
    """
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    alphabet = sorted(pre_tokenizers.ByteLevel.alphabet())
    vocab = {char: i for i, char in enumerate(alphabet)}
    vocab.update({SPACE + token_name(i).lstrip(): i for i in range(len(vocab), vocab_size)})
    core = Tokenizer(models.BPE(vocab=vocab, merges=[]))
    core.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    core.decoder = decoders.ByteLevel()
    return PreTrainedTokenizerFast(tokenizer_object=core, model_max_length=model_max_length)


def qwen_config(**sizes: int) -> Any:
    """A Qwen2 config, Qwen2.5-0.5B-sized unless sizes say otherwise (no end-of-text token)."""
    from transformers import Qwen2Config

    shape = {"hidden_size": 896, "num_hidden_layers": 24, "num_attention_heads": 14,
             "num_key_value_heads": 2, "intermediate_size": 4864, "vocab_size": 151936,
             "max_position_embeddings": 32768, **sizes}  # fmt: skip
    return Qwen2Config(**shape, tie_word_embeddings=True, bos_token_id=None, eos_token_id=None)


# About 40 M parameters, for the quick run: the llama.cpp path in seconds.
QWEN_MINI = {
    "hidden_size": 512,
    "num_hidden_layers": 8,
    "num_attention_heads": 8,
    "intermediate_size": 1536,
    "vocab_size": 32000,
    "max_position_embeddings": 4096,
}


def gpt2_config() -> Any:
    """A GPT-2-124M config: the defaults, without an end-of-text token."""
    from transformers import GPT2Config

    return GPT2Config(bos_token_id=None, eos_token_id=None)


def build_random(config: Any, folder: Path) -> Path:
    """Save a randomly initialised causal LM of this config and its tokenizer into folder."""
    import torch
    from transformers import AutoModelForCausalLM

    torch.manual_seed(0)
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    model.generation_config.eos_token_id = None
    model.generation_config.bos_token_id = None
    context = getattr(config, "max_position_embeddings", None) or config.n_positions
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    build_tokenizer(config.vocab_size, context).save_pretrained(folder)
    del model
    return folder


def prepare_house(folder: Path) -> Path:
    """A copy of the bundled house model whose end-of-text token no longer stops generation."""
    from studio.house_model import HOUSE_DIR

    shutil.copytree(HOUSE_DIR, folder, dirs_exist_ok=True)
    for name in ("config.json", "generation_config.json"):
        path = folder / name
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            data["eos_token_id"] = None
            path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return folder


def prompt_for(tokenizer: Any, length: int = PROMPT_TOKENS, text: str = PASSAGE) -> str:
    """The first ``length`` tokens of text (PASSAGE) in this tokenizer, as text."""
    ids = tokenizer(text, add_special_tokens=False).input_ids[:length]
    return tokenizer.decode(ids)


class Manuscripts:
    """Prompts of the same length that no earlier request sent: PASSAGE rotated by one more
    character each time. Every timed request then reads its whole prompt, as a writer's new
    request does, instead of finding it in llama.cpp's prompt cache."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer, self.sent = tokenizer, 0

    def __call__(self) -> str:
        """The next manuscript (unique for the first len(PASSAGE) calls)."""
        k = self.sent % len(PASSAGE)
        self.sent += 1
        return prompt_for(self.tokenizer, text=PASSAGE[k:] + " " + PASSAGE[:k])


SPECS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec(
            "qwen-0.5b",
            "Qwen2.5-0.5B-sized Qwen2, random weights",
            lambda folder: build_random(qwen_config(), folder),
        ),
        ModelSpec(
            "qwen-mini",
            "a 40M-parameter Qwen2, random weights (llama.cpp and transformers)",
            lambda folder: build_random(qwen_config(**QWEN_MINI), folder),
        ),
        ModelSpec(
            "gpt2-124m",
            "GPT-2 124M (GPT2Config defaults), random weights",
            lambda folder: build_random(gpt2_config(), folder),
        ),
        ModelSpec("house", "the bundled house model (5M GPT-2)", prepare_house),
    )
}
QUICK_MODELS = ("qwen-mini", "house")
FULL_MODELS = ("qwen-mini", "gpt2-124m", "house", "qwen-0.5b")  # the slowest last
