"""Runs one visitor's generation on the shared engine and turns it into UI updates."""

from __future__ import annotations

import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import gradio as gr

from studio.engines.base import Engine, GenerationError, GenerationRequest
from studio.params import MAX_SEED, PARAMS_BY_NAME, ParamError, Sampling, validate
from studio.tasks.prompt import Prompt, TaskInputError
from studio.textstats import count_text

# The page is updated at most this often while text streams: smooth to the eye, and a fast
# model is not slowed down by one UI update per token.
UPDATE_INTERVAL_S = 0.04
MAX_REMEMBERED_SEEDS = 10_000  # (visitor, tab) pairs; the least recently used are forgotten


class StopSignals:
    """One stop event per visitor and tab, so one visitor's Stop never halts another's."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._events: dict[tuple[str, str], threading.Event] = {}

    def begin(self, session: str, tab: str) -> threading.Event:
        """A fresh event for a new generation (an older one still running is stopped)."""
        event = threading.Event()
        with self._lock:
            old = self._events.get((session, tab))
            self._events[(session, tab)] = event
        if old is not None:
            old.set()
        return event

    def stop(self, session: str, tab: str | None = None) -> None:
        """Stop this visitor's generation in one tab, or in every tab when tab is None."""
        with self._lock:
            events = [e for (s, t), e in self._events.items() if s == session and tab in (None, t)]
        for event in events:
            event.set()

    def end(self, session: str, tab: str, event: threading.Event) -> None:
        """Forget a finished generation's event (unless a newer one replaced it)."""
        with self._lock:
            if self._events.get((session, tab)) is event:
                del self._events[(session, tab)]

    def active(self) -> int:
        """How many generations are registered (for tests and diagnostics)."""
        with self._lock:
            return len(self._events)


def session_of(request: gr.Request | None) -> str:
    """The visitor's session id (one per open page, or per gradio_client Client)."""
    return getattr(request, "session_hash", None) or "anonymous"


class Runner:
    """Validates a request, streams it from the engine and reports progress to the writer."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.stops = StopSignals()
        self._seeds: OrderedDict[tuple[str, str], int] = OrderedDict()
        self._seeds_lock = threading.Lock()

    def last_seed(self, request: gr.Request | None, tab: str) -> int | None:
        """The seed this visitor's latest run in tab used (for history and provenance)."""
        return self._seeds.get((session_of(request), tab))

    def _remember_seed(self, request: gr.Request | None, tab: str, seed: int) -> None:
        key = (session_of(request), tab)
        with self._seeds_lock:
            self._seeds[key] = seed
            self._seeds.move_to_end(key)
            while len(self._seeds) > MAX_REMEMBERED_SEEDS:
                self._seeds.popitem(last=False)

    def generate(
        self,
        tab: str,
        request: gr.Request | None,
        build: Callable[[], Prompt],
        settings: dict[str, Any],
        shape: Callable[[str], str] = str,
        engine: Engine | None = None,
    ) -> Iterator[tuple[str, str]]:
        """Yield (shape(text so far), info line) while the engine writes.

        ``engine`` overrides the runner's own (the Translation tab's translation model).
        Bad input and engine failures become gr.Error messages for the writer.
        """
        prompt, sampling = _prepare(build, settings)
        self._remember_seed(request, tab, int(sampling["seed"]))
        note = _seed_note(sampling)
        text, start = "", time.perf_counter()
        yield shape(""), f"Writing… ({note})"
        with self._stop_event(tab, request) as stop:
            try:
                for text in _paced(self._texts(prompt, sampling, stop, engine)):
                    yield shape(text), f"Writing… ({note})"
            except gr.Error as err:  # keep what was written, and say why it ended
                yield shape(text), f"Not finished: {err.message}"
                raise
        verb = "Stopped" if stop.is_set() else "Done"
        yield shape(text), _summary(verb, note, text, time.perf_counter() - start)

    def generate_variants(
        self,
        tab: str,
        request: gr.Request | None,
        build: Callable[[], Prompt],
        settings: dict[str, Any],
        count: int,
    ) -> Iterator[tuple[list[str], list[str], str]]:
        """Yield (texts, seed labels, info) while writing ``count`` variants one after another.

        Variant i uses seed + i, so each one can be reproduced on its own.
        """
        prompt, sampling = _prepare(build, settings)
        seeds = [int(sampling["seed"]) + i for i in range(count)]
        self._remember_seed(request, tab, seeds[0])
        texts, labels = [""] * count, [f"seed {seed}" for seed in seeds]
        start = time.perf_counter()
        with self._stop_event(tab, request) as stop:
            for i, seed in enumerate(seeds):
                one = sampling.with_seed(min(seed, MAX_SEED))
                for texts[i] in _paced(self._texts(prompt, one, stop)):
                    yield texts, labels, f"Writing variant {i + 1} of {count}…"
                if stop.is_set():
                    break
        verb = "Stopped" if stop.is_set() else "Done"
        info = f"{verb} · {count} variants · {time.perf_counter() - start:.1f} s"
        yield texts, labels, info

    @contextmanager
    def _stop_event(self, tab: str, request: gr.Request | None) -> Iterator[threading.Event]:
        """This visitor's stop event for one run in one tab, forgotten when the run ends."""
        session = session_of(request)
        stop = self.stops.begin(session, tab)
        try:
            yield stop
        finally:
            self.stops.end(session, tab, stop)

    def _texts(self, prompt: Prompt, sampling: Sampling, stop: threading.Event,
               engine: Engine | None = None) -> Iterator[str]:  # fmt: skip
        """The text so far after each piece the engine writes; engine errors become gr.Error."""
        text, request = "", GenerationRequest(prompt, sampling, _warn)
        try:
            for piece in (engine or self.engine).stream(request, stop):
                text += piece
                yield text
        except GenerationError as err:
            raise gr.Error(str(err), title="The model could not write this") from err

    def stop(self, tab: str, request: gr.Request | None, text: str) -> str:
        """Stop the calling visitor's generation in this tab; the new info line."""
        self.stops.stop(session_of(request), tab)
        return f"Stopped · {count_text(text or '').describe()} kept"


def _paced(texts: Iterator[str], interval: float = UPDATE_INTERVAL_S) -> Iterator[str]:
    """The growing text at most once per interval, and always its final state."""
    last_sent, pending = 0.0, None
    for text in texts:
        pending = text
        now = time.perf_counter()
        if now - last_sent >= interval:
            last_sent, pending = now, None
            yield text
    if pending is not None:
        yield pending


def _prepare(build: Callable[[], Prompt], settings: dict[str, Any]) -> tuple[Prompt, Sampling]:
    """The prompt and validated sampling (with a concrete seed), or gr.Error for bad input."""
    try:
        greedy = settings.get("greedy", False)
        sampling = validate(
            {k: v for k, v in settings.items() if k in PARAMS_BY_NAME},
            greedy=False if greedy is None else greedy,
        )
        prompt = build()
    except (ParamError, TaskInputError) as err:
        raise gr.Error(str(err), title="Please check your input") from err
    seed = int(sampling["seed"])
    return prompt, sampling.with_seed(random.randint(0, MAX_SEED) if seed < 0 else seed)


def _seed_note(sampling: Sampling) -> str:
    return "greedy" if sampling.is_greedy else f"seed {sampling['seed']}"


def _summary(verb: str, note: str, text: str, seconds: float) -> str:
    return f"{verb} · {note} · {count_text(text).describe()} · {seconds:.1f} s"


def _warn(message: str) -> None:
    gr.Warning(message)
