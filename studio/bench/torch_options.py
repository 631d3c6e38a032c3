"""torch-level speed options beside plain fp32 ``generate``: bf16 weights, and int8 dynamic
quantization of the Linear layers (weights and activations in int8, lossy).

Each is timed with plain ``generate`` on the same prompt, and its greedy tokens are compared
with fp32's, position by position. (A static KV cache with ``torch.compile`` was tried by hand
and is not repeated here: it compiled for over a minute and decoded no faster on this CPU.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from studio.bench.fast import greedy_match
from studio.bench.measure import TokenClock
from studio.bench.stats import decode_rate

OPTIONS = ("bf16", "int8-dynamic")
WARM_UP_TOKENS = 8


def load_with(folder: Path, option: str) -> Any:
    """The model in folder with one speed option applied."""
    import torch
    from transformers import AutoModelForCausalLM

    if option == "bf16":
        return AutoModelForCausalLM.from_pretrained(folder, dtype=torch.bfloat16)
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32)
    return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)


def greedy_ids(model: Any, inputs: dict[str, Any], new_tokens: int) -> tuple[list[int], float]:
    """Greedy new token ids (exactly new_tokens) and the decode rate after the first."""
    import torch

    clock = TokenClock(model)
    with torch.inference_mode():
        out = model.generate(**inputs, max_new_tokens=new_tokens, min_new_tokens=new_tokens,
                             do_sample=False, pad_token_id=0)  # fmt: skip
    clock.close()
    ids = out[0, inputs["input_ids"].shape[1] :].tolist()
    return ids, decode_rate(clock.times)


def measure_torch_options(folder: Path, loaded: Any, prompt: str, new_tokens: int) -> dict:
    """Decode tokens/s and greedy agreement with fp32 of each option, and fp32's own rate."""
    inputs = loaded.tokenizer(prompt, return_tensors="pt")
    reference, fp32_rate = greedy_ids(loaded.model, inputs, new_tokens)
    results: dict[str, Any] = {"fp32": {"decode_tok_s": fp32_rate}}
    for option in OPTIONS:
        model = load_with(folder, option)
        greedy_ids(model, inputs, WARM_UP_TOKENS)
        ids, tok_s = greedy_ids(model, inputs, new_tokens)
        results[option] = {"decode_tok_s": tok_s, **greedy_match(ids, reference)}
        del model
    return results
