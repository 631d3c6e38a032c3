"""In-process timings: plain ``model.generate`` (the baseline) against the engine's stream.

A forward hook timestamps every forward pass of the model, one per generated token, so the
baseline and the engine are timed by the same clock without touching the engine's code.
"""

from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass
from typing import Any

from studio.bench.stats import decode_rate, median, rate
from studio.engines.base import GenerationRequest
from studio.engines.loading import LoadedModel
from studio.engines.prompting import causal_inputs
from studio.params import validate
from studio.tasks.story import build_story_prompt

WARM_UP_TOKENS = 16  # per side, before anything is timed


class TokenClock:
    """Timestamps (perf_counter) of every forward pass of a model since the last reset."""

    def __init__(self, model: Any) -> None:
        self.times: list[float] = []
        self._handle = model.register_forward_hook(self._tick)

    def _tick(self, *_: Any) -> None:
        self.times.append(time.perf_counter())

    def reset(self) -> None:
        """Forget the timestamps so far."""
        self.times = []

    def close(self) -> None:
        """Remove the hook from the model."""
        self._handle.remove()


@dataclass(frozen=True)
class Run:
    """One timed generation; times are seconds from the call."""

    seconds: float  # until the generation returned (or the stream was exhausted)
    tokens: int  # forward passes = tokens generated
    first_token_s: float | None  # the first forward pass (the first token exists)
    first_text_s: float | None  # the first text the caller received (streams only)
    decode_tok_s: float | None  # tokens per second after the first token

    @property
    def total_tok_s(self) -> float | None:
        """Tokens per second over the whole call, prompt processing included."""
        return rate(self.tokens, self.seconds)


def story_request(manuscript: str, max_new_tokens: int) -> GenerationRequest:
    """The request the Story tab sends to continue a manuscript greedily."""
    sampling = validate({"max_new_tokens": max_new_tokens}, greedy=True)
    return GenerationRequest(build_story_prompt(manuscript=manuscript), sampling)


def _run(clock: TokenClock, start: float, end: float, first_text: float | None = None) -> Run:
    times = list(clock.times)
    return Run(
        seconds=end - start,
        tokens=len(times),
        first_token_s=times[0] - start if times else None,
        first_text_s=None if first_text is None else first_text - start,
        decode_tok_s=decode_rate(times),
    )


def time_generate(loaded: LoadedModel, request: GenerationRequest, clock: TokenClock) -> Run:
    """Plain ``model.generate`` on the engine's own inputs and generate() arguments."""
    import torch

    inputs = {k: v.to(loaded.device) for k, v in causal_inputs(loaded, request).items()}
    kwargs = request.sampling.to_generate_kwargs()
    clock.reset()
    start = time.perf_counter()
    with torch.inference_mode():
        loaded.model.generate(**inputs, **kwargs, pad_token_id=loaded.tokenizer.pad_token_id)
    return _run(clock, start, time.perf_counter())


def time_engine(engine: Any, request: GenerationRequest, clock: TokenClock) -> Run:
    """The engine's ``stream``, consumed the way the UI consumes it."""
    clock.reset()
    first_text = None
    start = time.perf_counter()
    for piece in engine.stream(request, threading.Event()):
        if first_text is None and piece:
            first_text = time.perf_counter()
    return _run(clock, start, time.perf_counter(), first_text)


def summarise(runs: list[Run]) -> dict[str, Any]:
    """Medians of each field over repeated runs, plus every run for the record."""
    keys = ("seconds", "tokens", "first_token_s", "first_text_s", "decode_tok_s")
    summary: dict[str, Any] = {k: median([getattr(r, k) for r in runs]) for k in keys}
    summary["total_tok_s"] = median([r.total_tok_s for r in runs])
    summary["runs"] = [asdict(r) for r in runs]
    return summary


def compare_in_process(
    engine: Any, loaded: LoadedModel, clock: TokenClock, request: GenerationRequest, repeats: int
) -> dict[str, Any]:
    """Baseline and engine ``repeats`` times each, after a short warm-up of each.

    The warm-up pays first-use costs (allocations, kernel choices) that are not decode speed;
    the order alternates so that neither side always runs right after the other.
    """
    warm = story_request(request.prompt.plain, WARM_UP_TOKENS)
    time_generate(loaded, warm, clock)
    time_engine(engine, warm, clock)
    generate_runs, engine_runs = [], []
    for i in range(repeats):
        if i % 2:
            engine_runs.append(time_engine(engine, request, clock))
        generate_runs.append(time_generate(loaded, request, clock))
        if not i % 2:
            engine_runs.append(time_engine(engine, request, clock))
    return {"generate": summarise(generate_runs), "engine": summarise(engine_runs)}
