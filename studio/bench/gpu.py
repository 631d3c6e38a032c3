"""The benchmark on a GPU: plain ``generate`` against the studio's engine, at bf16, for the
0.5B- and a 7B-sized Qwen2 config, against the GPU's memory bandwidth.

    python -m studio.bench.gpu [--models qwen-0.5b qwen-7b] [--device cuda] [--json PATH]

Meant to be run once, as one prepared command, where a GPU is lent (an H200: about 4.8 TB/s).
It needs torch, transformers and tokenizers only (no gradio, no llama.cpp, which is built for
CPUs here): each random-weight model is built on the device, saved, and loaded back through
the engine, the path users take. ``--device cpu --models qwen-mini`` runs it anywhere.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

NOMINAL_GB_S = {"NVIDIA H200": 4800.0, "NVIDIA H100 80GB HBM3": 3350.0}
# Qwen2.5-7B's shape: hidden 3584, 28 layers, 28 heads, 4 KV heads, untied embeddings.
QWEN_7B = {
    "hidden_size": 3584,
    "num_hidden_layers": 28,
    "num_attention_heads": 28,
    "num_key_value_heads": 4,
    "intermediate_size": 18944,
    "vocab_size": 152064,
}
MODELS = ("qwen-mini", "qwen-0.5b", "qwen-7b")


def config_for(name: str) -> Any:
    """The Qwen2 config of a benchmark model name (random weights, no end-of-text token)."""
    from studio.bench.models import QWEN_MINI, qwen_config

    if name == "qwen-mini":
        return qwen_config(**QWEN_MINI)
    if name == "qwen-7b":
        config = qwen_config(**QWEN_7B)
        config.tie_word_embeddings = False
        return config
    return qwen_config()


def build_on(device: str, name: str, folder: Path) -> Path:
    """Save a random bf16 model of this name (initialised on the device: fast) into folder."""
    import torch
    from transformers import AutoModelForCausalLM

    from studio.bench.models import build_tokenizer

    config = config_for(name)
    torch.manual_seed(0)
    with torch.device(device):
        model = AutoModelForCausalLM.from_config(config, dtype=torch.bfloat16)
    model.generation_config.eos_token_id = model.generation_config.bos_token_id = None
    model.save_pretrained(folder)
    build_tokenizer(config.vocab_size, config.max_position_embeddings).save_pretrained(folder)
    del model
    return folder


def measure(name: str, folder: Path, device: str, new_tokens: int, bandwidth: float) -> dict:
    """generate() and the engine on one model, and both as fractions of the ceiling."""
    from studio.bench.hardware import ceiling_tokens_per_s, fraction_of
    from studio.bench.measure import TokenClock, compare_in_process, story_request
    from studio.bench.models import prompt_for
    from studio.bench.worker import describe
    from studio.engines.local import LocalEngine

    engine = LocalEngine(str(folder), device=device, dtype="bfloat16", backend="transformers")
    started = time.perf_counter()
    loaded = engine.load()
    result: dict[str, Any] = {"model": name, "load_s": time.perf_counter() - started}
    result.update(describe(loaded))
    clock = TokenClock(loaded.model)
    request = story_request(prompt_for(loaded.tokenizer), new_tokens)
    result["in_process"] = compare_in_process(engine, loaded, clock, request, repeats=3)
    ceiling = ceiling_tokens_per_s(bandwidth * 1e9, result["params"], result["bytes_per_param"])
    result["ceiling_tok_s"] = ceiling
    for side in ("generate", "engine"):
        tok_s = result["in_process"][side]["decode_tok_s"]
        result[f"{side}_fraction"] = fraction_of(tok_s, ceiling)
    return result


def report(results: list[dict], machine: dict) -> str:
    """A plain table: one row per model."""
    lines = [f"studio.bench.gpu · {machine}"]
    for r in results:
        g, e = r["in_process"]["generate"], r["in_process"]["engine"]
        lines.append(
            f"{r['model']}: {r['params'] / 1e6:,.0f} M params, {r['dtype']}, "
            f"generate {g['decode_tok_s']:.1f} tok/s ({r['generate_fraction']:.2f} of ceiling "
            f"{r['ceiling_tok_s']:.0f}), engine {e['decode_tok_s']:.1f} tok/s "
            f"({e['decode_tok_s'] / g['decode_tok_s']:.2f}x generate), TTFT engine "
            f"{e['first_text_s'] * 1e3:.0f} ms, load {r['load_s']:.1f} s"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    """Build, measure and report each model in turn."""
    import torch

    from studio.bench.hardware import measure_bandwidth
    from studio.bench.worker import go_offline

    parser = argparse.ArgumentParser(prog="python -m studio.bench.gpu", description=__doc__)
    parser.add_argument("--models", nargs="+", choices=MODELS, default=["qwen-0.5b", "qwen-7b"])
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--max-new-tokens", type=int, default=64)
    parser.add_argument("--json", type=Path, default=Path("bench-results/gpu.json"))
    args = parser.parse_args(argv)
    go_offline()
    name = torch.cuda.get_device_name() if args.device == "cuda" else args.device
    measured = measure_bandwidth(gib=4 if args.device == "cuda" else 1, device=args.device) / 1e9
    machine = {"device": name, "measured_gb_s": measured, "nominal_gb_s": NOMINAL_GB_S.get(name),
               "torch": torch.__version__}  # fmt: skip
    results = []
    with tempfile.TemporaryDirectory(prefix="studio-gpu-bench-") as tmp:
        for model in args.models:
            folder = build_on(args.device, model, Path(tmp) / model)
            results.append(measure(model, folder, args.device, args.max_new_tokens,
                                   machine["nominal_gb_s"] or measured))  # fmt: skip
            print(report(results[-1:], machine), flush=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"machine": machine, "models": results}, indent=2))
    print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
