"""Runs one visitor's generation on the shared engine and turns it into UI updates."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import gradio as gr

from studio.engines.base import Engine, GenerationError, GenerationRequest
from studio.params import MAX_SEED, PARAMS_BY_NAME, ParamError, validate
from studio.tasks.prompt import Prompt, TaskInputError
from studio.textstats import count_text


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

    def generate(
        self,
        tab: str,
        request: gr.Request | None,
        build: Callable[[], Prompt],
        settings: dict[str, Any],
    ) -> Iterator[tuple[str, str]]:
        """Yield (text so far, info line) while the engine writes; errors become gr.Error."""
        try:
            greedy = settings.pop("greedy", False)
            sampling = validate(
                {k: v for k, v in settings.items() if k in PARAMS_BY_NAME},
                greedy=False if greedy is None else greedy,
            )
            prompt = build()
        except (ParamError, TaskInputError) as err:
            raise gr.Error(str(err), title="Please check your input") from err
        seed = int(sampling["seed"])
        if seed < 0:
            seed = random.randint(0, MAX_SEED)
        sampling = sampling.with_seed(seed)
        session = session_of(request)
        stop = self.stops.begin(session, tab)
        seed_note = "greedy" if sampling.is_greedy else f"seed {seed}"
        text, start = "", time.perf_counter()
        yield "", f"Writing… ({seed_note})"
        try:
            for piece in self.engine.stream(GenerationRequest(prompt, sampling, _warn), stop):
                text += piece
                yield text, f"Writing… ({seed_note})"
        except GenerationError as err:
            raise gr.Error(str(err), title="The model could not write this") from err
        finally:
            self.stops.end(session, tab, stop)
        elapsed = time.perf_counter() - start
        # The stop event is only ever set for this visitor: Stop, leaving, or a newer request.
        verb = "Stopped" if stop.is_set() else "Done"
        yield text, f"{verb} · {seed_note} · {count_text(text).describe()} · {elapsed:.1f} s"

    def stop(self, tab: str, request: gr.Request | None, text: str) -> str:
        """Stop the calling visitor's generation in this tab; the new info line."""
        self.stops.stop(session_of(request), tab)
        return f"Stopped · {count_text(text or '').describe()} kept"


def _warn(message: str) -> None:
    gr.Warning(message)
