"""Concurrent visitors on llama.cpp: one decode step serves every active request at once.

On a CPU, writing a token means reading every weight once; decoding four sequences in one
batch reads them once for all four. A scheduler thread owns a llama.cpp context with one
sequence slot per concurrent request. Each request keeps its own sampler chain (its own
temperature, top-k/p, penalty and seed) and its own stop event, so visitors never affect each
other's text or Stop; they only share the speed.
"""

from __future__ import annotations

import ctypes
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from studio.engines.base import GenerationError

PENALTY_LAST_N = 64  # as llama-cpp-python's own default


@dataclass
class Sampling:
    """What one request samples with (greedy when temperature is 0)."""

    temperature: float
    top_k: int
    top_p: float
    min_p: float
    repetition_penalty: float
    seed: int


@dataclass
class _Request:
    prompt: list[int]
    sampling: Sampling
    budget: int  # tokens at most
    stop: threading.Event  # the visitor's Stop
    done: threading.Event = field(default_factory=threading.Event)  # finished, or caller gone
    out: queue.SimpleQueue = field(default_factory=queue.SimpleQueue)  # token ids, None at end
    slot: int = -1
    n_past: int = 0
    produced: int = 0
    last: int = -1
    sampler: Any = None
    error: BaseException | None = None

    def ended(self) -> bool:
        return self.done.is_set() or self.stop.is_set()


class BatchedLlama:
    """Requests to one llama.cpp model, decoded together by a scheduler thread."""

    def __init__(self, llm: Any, slots: int, context: int, stop_ids: frozenset[int]) -> None:
        import llama_cpp
        from llama_cpp import _internals

        self._lib, self._internals = llama_cpp, _internals
        self.slots, self.context, self.stop_ids = slots, context, stop_ids
        params = llama_cpp.llama_context_params.from_buffer_copy(llm.context_params)  # as Llama's
        params.n_ctx = context * slots
        params.n_batch = params.n_ubatch = max(512, slots)
        params.n_seq_max = slots
        params.kv_unified = True
        self._model = llm._model
        self._ctx = _internals.LlamaContext(model=llm._model, params=params, verbose=False)
        self._n_vocab = llm.n_vocab()
        self._batch = llama_cpp.llama_batch_init(params.n_batch, 0, slots)
        self._n_batch = params.n_batch
        self._pending: queue.SimpleQueue[_Request] = queue.SimpleQueue()
        self._wake = threading.Event()
        self._free = list(range(slots))
        self._cached: list[list[int]] = [[] for _ in range(slots)]  # tokens in each slot's cache
        self._active: list[_Request] = []
        threading.Thread(target=self._loop, name="studio-llama-batch", daemon=True).start()

    # -- the caller's side ---------------------------------------------------------------------
    def tokens(self, prompt: list[int], sampling: Sampling, budget: int,
               stop: threading.Event) -> Iterator[int]:  # fmt: skip
        """Token ids for this request as the scheduler writes them; ends on stop or budget."""
        request = _Request(list(prompt), sampling, budget, stop)
        self._pending.put(request)
        self._wake.set()
        try:
            while (token := request.out.get()) is not None and not stop.is_set():
                yield token
        finally:
            request.done.set()  # finished, or the caller went away: the slot is freed
            self._wake.set()
        if request.error is not None:
            raise GenerationError(f"llama.cpp failed while writing: {request.error}")

    def active(self) -> int:
        """How many requests are being written right now (for tests and diagnostics)."""
        return len(self._active)

    # -- the scheduler ---------------------------------------------------------------------------
    def _loop(self) -> None:
        while True:
            self._admit()
            self._finish_stopped()
            if not self._active:
                self._wake.wait()
                self._wake.clear()
                continue
            try:
                self._step()
            except Exception as err:  # every active request fails with it; the loop goes on
                for request in self._active:
                    request.error = err
                    request.done.set()
                    self._cached[request.slot] = [-1]  # unknown state: never reused

    def _admit(self) -> None:
        while self._free and not self._pending.empty():
            request = self._pending.get_nowait()
            if request.ended():
                request.out.put(None)
                continue
            request.slot = self._reuse(request.prompt)
            try:
                request.sampler = self._sampler(request.sampling)
                self._prefill(request)
            except Exception as err:  # one bad request fails alone
                request.error = err
                self._release(request, keep_cache=False)
                continue
            self._active.append(request)

    def _reuse(self, prompt: list[int]) -> int:
        """The free slot whose cache shares the longest start with prompt (a Story continued
        again re-reads only what changed); the rest of that cache is dropped."""
        slot = max(self._free, key=lambda s: _common(self._cached[s], prompt))
        self._free.remove(slot)
        keep = min(_common(self._cached[slot], prompt), len(prompt) - 1)  # re-read one: logits
        mem = self._lib.llama_get_memory(self._ctx.ctx)
        self._lib.llama_memory_seq_rm(mem, slot, keep, -1)
        self._cached[slot] = prompt[:keep]
        return slot

    def _prefill(self, request: _Request) -> None:
        """Read the prompt into the request's slot, then sample its first token."""
        prompt, begin = request.prompt, len(self._cached[request.slot])
        for start in range(begin, len(prompt), self._n_batch):
            chunk = prompt[start : start + self._n_batch]
            last = start + len(chunk) == len(prompt)
            self._fill([(t, start + i, request.slot, last and i == len(chunk) - 1)
                        for i, t in enumerate(chunk)])  # fmt: skip
            self._decode()
        request.n_past = len(prompt)
        self._cached[request.slot] = list(prompt)
        self._take(request, self._sample(request, len(chunk) - 1))

    def _step(self) -> None:
        """One token for every active request, in one decode."""
        active = list(self._active)
        self._fill([(r.last, r.n_past, r.slot, True) for r in active])
        self._decode()
        for index, request in enumerate(active):
            request.n_past += 1
            self._cached[request.slot].append(request.last)
            self._take(request, self._sample(request, index))

    def _take(self, request: _Request, token: int) -> None:
        request.last, request.produced = token, request.produced + 1
        if token in self.stop_ids:
            request.done.set()
            return
        request.out.put(token)
        if request.produced >= request.budget or request.n_past + 1 >= self.context:
            request.done.set()

    def _finish_stopped(self) -> None:
        for request in [r for r in self._active if r.ended()]:
            self._active.remove(request)
            self._release(request)

    def _release(self, request: _Request, keep_cache: bool = True) -> None:
        if not keep_cache:
            mem = self._lib.llama_get_memory(self._ctx.ctx)
            self._lib.llama_memory_seq_rm(mem, request.slot, -1, -1)
            self._cached[request.slot] = []
        if request.sampler is not None:
            request.sampler.close()
        self._free.append(request.slot)
        request.out.put(None)

    # -- llama.cpp calls ------------------------------------------------------------------------
    def _fill(self, rows: list[tuple[int, int, int, bool]]) -> None:
        batch = self._batch
        batch.n_tokens = len(rows)
        for i, (token, pos, slot, logits) in enumerate(rows):
            batch.token[i], batch.pos[i], batch.logits[i] = token, pos, logits
            batch.n_seq_id[i] = 1
            batch.seq_id[i][0] = slot

    def _decode(self) -> None:
        code = self._lib.llama_decode(self._ctx.ctx, self._batch)
        if code != 0:
            raise RuntimeError(f"llama_decode returned {code}")

    def _sample(self, request: _Request, index: int) -> int:
        return self._lib.llama_sampler_sample(request.sampler.sampler, self._ctx.ctx, index)

    def _sampler(self, s: Sampling) -> Any:
        sampler = self._internals.LlamaSampler()
        sampler.add_penalties(self._n_vocab, PENALTY_LAST_N, s.repetition_penalty, 0.0, 0.0)
        if s.temperature <= 0:
            sampler.add_greedy()
            return sampler
        sampler.add_top_k(s.top_k) if s.top_k > 0 else None
        sampler.add_top_p(s.top_p, 1)
        sampler.add_min_p(s.min_p, 1)
        sampler.add_temp(s.temperature)
        sampler.add_dist(ctypes.c_uint32(s.seed).value)
        return sampler


def _common(a: list[int], b: list[int]) -> int:
    """How many leading tokens two lists share."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
