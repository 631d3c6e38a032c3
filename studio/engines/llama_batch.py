"""Concurrent visitors on llama.cpp: one decode step serves every active request at once.

On a CPU, writing a token means reading every weight once; decoding four sequences in one
batch reads them once for all four. A scheduler thread owns a llama.cpp context with one
sequence slot per concurrent request. Each request keeps its own sampler chain (its own
temperature, top-k/p, penalty and seed) and its own stop event, so visitors never affect each
other's text or Stop; they only share the speed.

A newly arrived prompt is read in the same decode steps as the others' next tokens, a chunk at
a time while anyone is writing, so a long manuscript never freezes another visitor's stream
and prompts that arrive together are read together.
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
# Prompt tokens read per decode step while other requests are writing: big enough to read a
# prompt at nearly full speed, small enough that the writers' next tokens come promptly.
PROMPT_CHUNK = 128


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
    produced: int = 0  # tokens sampled; 0 while its prompt is still being read
    last: int = -1
    sampler: Any = None
    error: BaseException | None = None

    def ended(self) -> bool:
        return self.done.is_set() or self.stop.is_set()


class BatchedLlama:
    """Requests to one llama.cpp model, decoded together by a scheduler thread."""

    def __init__(self, llm: Any, slots: int, context: int, stop_ids: frozenset[int],
                 chunk: int = PROMPT_CHUNK) -> None:  # fmt: skip
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
        self._n_batch, self._chunk = params.n_batch, max(1, min(chunk, params.n_batch))
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
        """Free slots go to waiting requests; their prompts are read by the next steps."""
        while self._free and not self._pending.empty():
            request = self._pending.get_nowait()
            if request.ended():
                request.out.put(None)
                continue
            try:
                request.sampler = self._sampler(request.sampling)
            except Exception as err:  # one bad request fails alone
                request.error = err
                request.out.put(None)
                continue
            request.slot = self._reuse(request.prompt)
            self._active.append(request)

    def _reuse(self, prompt: list[int]) -> int:
        """A free slot for prompt, holding as much of prompt's start as any slot has read.

        Its own cache counts (a Story continued again re-reads only what changed), and so
        does any other slot's, busy or not (visitors of a tab share its system prompt): with
        one unified cache, sharing those cells with another sequence copies nothing.
        """
        slot = max(self._free, key=lambda s: _common(self._cached[s], prompt))
        source = max(range(self.slots), key=lambda s: _common(self._cached[s], prompt))
        keep = min(_common(self._cached[source], prompt), len(prompt) - 1)  # re-read one: logits
        mem = self._lib.llama_get_memory(self._ctx.ctx)
        self._free.remove(slot)
        if source != slot and keep > _common(self._cached[slot], prompt):
            self._lib.llama_memory_seq_rm(mem, slot, -1, -1)
            self._lib.llama_memory_seq_cp(mem, source, slot, 0, keep)
        else:
            self._lib.llama_memory_seq_rm(mem, slot, keep, -1)
        self._cached[slot] = prompt[:keep]
        return slot

    def _step(self) -> None:
        """One decode: the next token of every writing request, and prompt tokens of those
        still reading; then each request whose row has logits samples its next token."""
        rows, outputs, read = self._plan()
        self._fill(rows)
        self._decode()
        for request, _ in outputs:
            if request.produced:  # its last token is now in the cache
                self._cached[request.slot].append(request.last)
        for request, chunk in read:
            self._cached[request.slot].extend(chunk)
        for request, index in outputs:
            self._take(request, self._sample(request, index))

    def _plan(self) -> tuple[list[tuple[int, int, int, bool]], list[tuple[_Request, int]],
                             list[tuple[_Request, list[int]]]]:  # fmt: skip
        """The batch rows (token, position, slot, logits?), the rows to sample from, and the
        prompt chunks read: a whole batch of prompt when nobody writes, else a chunk."""
        rows: list[tuple[int, int, int, bool]] = []
        outputs: list[tuple[_Request, int]] = []
        for request in self._active:
            if request.produced:
                rows.append((request.last, len(self._cached[request.slot]), request.slot, True))
                outputs.append((request, len(rows) - 1))
        room = self._n_batch - len(rows)
        room = min(room, self._chunk) if rows else room
        read: list[tuple[_Request, list[int]]] = []
        for request in self._active:
            done = len(self._cached[request.slot])
            if request.produced or room <= 0:
                continue
            chunk = request.prompt[done : done + room]
            ends = done + len(chunk) == len(request.prompt)
            rows += [(token, done + i, request.slot, ends and i == len(chunk) - 1)
                     for i, token in enumerate(chunk)]  # fmt: skip
            read.append((request, chunk))
            if ends:
                outputs.append((request, len(rows) - 1))
            room -= len(chunk)
        return rows, outputs, read

    def _take(self, request: _Request, token: int) -> None:
        request.last, request.produced = token, request.produced + 1
        if token in self.stop_ids:
            request.done.set()
            return
        request.out.put(token)
        if (
            request.produced >= request.budget
            or len(self._cached[request.slot]) + 1 >= self.context
        ):
            request.done.set()

    def _finish_stopped(self) -> None:
        for request in [r for r in self._active if r.ended()]:
            self._active.remove(request)
            self._release(request)

    def _release(self, request: _Request) -> None:
        """Free the slot; its cache stays for a later prompt with the same start."""
        if request.sampler is not None:
            request.sampler.close()
        self._free.append(request.slot)
        request.out.put(None)

    # -- llama.cpp calls ------------------------------------------------------------------------
    def _fill(self, rows: list[tuple[int, int, int, bool]]) -> None:
        fill(self._batch, rows)

    def _decode(self) -> None:
        decode(self._lib, self._ctx.ctx, self._batch)

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


def fill(batch: Any, rows: list[tuple[int, int, int, bool]]) -> None:
    """Put rows of (token, position, sequence, logits?) into a llama_batch."""
    batch.n_tokens = len(rows)
    for i, (token, pos, seq, logits) in enumerate(rows):
        batch.token[i], batch.pos[i], batch.logits[i] = token, pos, logits
        batch.n_seq_id[i] = 1
        batch.seq_id[i][0] = seq


def decode(lib: Any, ctx: Any, batch: Any) -> None:
    """llama_decode, raising on failure."""
    code = lib.llama_decode(ctx, batch)
    if code != 0:
        raise RuntimeError(f"llama_decode returned {code}")


def _common(a: list[int], b: list[int]) -> int:
    """How many leading tokens two lists share."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
