"""The bare cost of one llama.cpp decode step for 1, 2, 4... sequences at once.

Decoding n sequences in one step reads the weights once for all of them but does n times the
arithmetic. Where a step for n costs as much as k single steps, n visitors together can write
at most n/k times as fast as one: the ceiling the scheduler's crowd figures are held against.
This times the steps alone, on a context of its own, with no scheduling or sampling around them.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from studio.bench.stats import median
from studio.engines.llama_batch import decode, fill

PROMPT_TOKENS = 32  # read once per sequence before the timed steps


def step_ms(llm: Any, sizes: Sequence[int] = (1, 2, 4), steps: int = 12) -> dict[str, Any]:
    """Median milliseconds of a decode step writing one token for each of n sequences.

    ``llm`` is a loaded llama_cpp.Llama (its weights are shared, not loaded again). Also
    returns how many positions each sequence's cache holds afterwards, which shows that every
    step really decoded every sequence.
    """
    import llama_cpp
    from llama_cpp import _internals

    most = max(sizes)
    params = llama_cpp.llama_context_params.from_buffer_copy(llm.context_params)
    params.n_ctx = (PROMPT_TOKENS + steps * len(sizes) + 1) * most
    params.n_batch = params.n_ubatch = max(PROMPT_TOKENS, most)
    params.n_seq_max = most
    params.kv_unified = True  # as the studio's scheduler runs it
    context = _internals.LlamaContext(model=llm._model, params=params, verbose=False)
    batch = llama_cpp.llama_batch_init(params.n_batch, 0, most)
    vocab = llm.n_vocab()
    try:
        ctx, mem = context.ctx, llama_cpp.llama_get_memory(context.ctx)
        for seq in range(most):  # every sequence has a prompt of its own before timing starts
            prompt = [(seq * 7 + i) % vocab for i in range(PROMPT_TOKENS)]
            fill(batch, [(t, i, seq, i == PROMPT_TOKENS - 1) for i, t in enumerate(prompt)])
            decode(llama_cpp, ctx, batch)
        timings: dict[str, float] = {}
        positions = [PROMPT_TOKENS] * most  # the next position of each sequence
        for n in sizes:
            seconds = []
            for step in range(steps):
                fill(batch, [((step * 13 + seq) % vocab, positions[seq], seq, True)
                             for seq in range(n)])  # fmt: skip
                started = time.perf_counter()
                decode(llama_cpp, ctx, batch)
                seconds.append(time.perf_counter() - started)
                positions[:n] = [p + 1 for p in positions[:n]]
            timings[str(n)] = median(seconds) * 1000
        held = [llama_cpp.llama_memory_seq_pos_max(mem, seq) + 1 for seq in range(most)]
    finally:
        llama_cpp.llama_batch_free(batch)
        context.close()
    return {"step_ms": timings, "positions": held}


def crowd_ceiling(timings: dict[str, float], size: int) -> float | None:
    """size x t(1) / t(size): how many times one sequence's speed size sequences reach."""
    one, many = timings.get("1"), timings.get(str(size))
    return None if not one or not many else size * one / many
