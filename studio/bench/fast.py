"""The llama.cpp backend against plain transformers, for the models it runs (Llama family).

For each GGUF type: conversion time, decode tokens/s and time to first text through the
studio's engine, the weight bytes read per token (for the bandwidth ceiling) and how often its
greedy text matches transformers at full precision, word by word (the benchmark's synthetic
tokens are one word each).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from studio.bench.measure import WARM_UP_TOKENS, story_request
from studio.bench.stats import decode_rate, median, rate
from studio.engines.base import GenerationRequest
from studio.params import validate
from studio.tasks.story import build_story_prompt

GGUF_TYPES = ("f16", "q8_0")  # f16: the default; q8_0: the lossy, faster option
CROWD = 4  # concurrent requests decoded together


def together(engine: Any, requests: list[GenerationRequest]) -> float | None:
    """Aggregate tokens/s of these requests streamed at once, each from its own thread."""
    counts = [0] * len(requests)

    def one(i: int) -> None:
        for _ in engine.stream(requests[i], threading.Event()):
            counts[i] += 1  # one piece per token with the benchmark's tokenizer

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(requests))]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return rate(sum(counts), time.perf_counter() - start)


def timed_stream(engine: Any, request: GenerationRequest) -> tuple[str, dict[str, Any]]:
    """The engine's text and its timings: one timestamp per text piece (one per token here)."""
    start = time.perf_counter()
    pieces, times = [], []
    for piece in engine.stream(request, threading.Event()):
        pieces.append(piece)
        times.append(time.perf_counter())
    timing = {
        "first_text_s": times[0] - start if times else None,
        "decode_tok_s": decode_rate(times),
        "pieces": len(times),
    }
    return "".join(pieces), timing


def greedy_match(words: list[str], reference: list[str]) -> dict[str, Any]:
    """Share of positions with the same word, and how many words agree before the first change."""
    same = [a == b for a, b in zip(words, reference, strict=False)]
    prefix = next((i for i, ok in enumerate(same) if not ok), len(same))
    return {"match": sum(same) / max(len(reference), 1), "same_prefix": prefix}


def greedy_request(manuscript: str, max_new_tokens: int) -> GenerationRequest:
    """Greedy, without repetition penalty (which llama.cpp applies to generated tokens only):
    what differs between the backends is then precision alone."""
    sampling = validate({"max_new_tokens": max_new_tokens, "repetition_penalty": 1.0}, greedy=True)
    return GenerationRequest(build_story_prompt(manuscript=manuscript), sampling)


def measure_llama_cpp(folder: Path, transformers_engine: Any, manuscripts: Callable[[], str],
                      max_new_tokens: int, repeats: int) -> dict[str, Any]:  # fmt: skip
    """Every GGUF type on llama.cpp: conversion, speed and greedy agreement with transformers.

    Every request continues a manuscript no earlier one sent, so each reads its whole prompt.
    """
    from studio.bench.decode_steps import crowd_ceiling, step_ms
    from studio.bench.hardware import bandwidth_now
    from studio.engines.local import LocalEngine

    def fresh(count: int = 1) -> list[GenerationRequest]:
        return [greedy_request(manuscripts(), max_new_tokens) for _ in range(count)]

    request = fresh()[0]
    reference, _ = timed_stream(transformers_engine, request)
    results: dict[str, Any] = {}
    for gguf_type in GGUF_TYPES:
        engine = LocalEngine(str(folder), backend="llama.cpp", gguf_type=gguf_type,
                             parallel=CROWD)  # fmt: skip
        started = time.perf_counter()
        loaded = engine.load()  # converts once (into STUDIO_CACHE_DIR), then loads
        load_s = time.perf_counter() - started
        timed_stream(engine, story_request(manuscripts(), WARM_UP_TOKENS))
        before = bandwidth_now(loaded.model.n_threads)
        runs = [timed_stream(engine, r) for r in [request, *fresh(repeats - 1)]]
        after = bandwidth_now(loaded.model.n_threads)
        steps = step_ms(loaded.model, (1, 2, CROWD))["step_ms"]
        path = Path(loaded.model.model_path)
        results[gguf_type] = {
            "load_s": load_s,
            "weight_bytes": path.stat().st_size,
            "bandwidth_gb_s": median([before, after]),  # just before and after the timed runs
            "bandwidth_before_after_gb_s": [before, after],
            "decode_tok_s": median([t["decode_tok_s"] for _, t in runs]),
            "first_text_s": median([t["first_text_s"] for _, t in runs]),
            **greedy_match(runs[0][0].split(), reference.split()),
            "one_tok_s": together(engine, fresh()),
            f"crowd_{CROWD}_tok_s": together(engine, fresh(CROWD)),
            "step_ms": steps,  # a bare decode step for 1, 2 and CROWD sequences at once
            f"crowd_{CROWD}_ceiling": crowd_ceiling(steps, CROWD),
        }
        del engine, loaded
    return results
