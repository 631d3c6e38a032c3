"""The local engine: loads lazily once on llama.cpp or transformers, streams text pieces."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from typing import Any

from studio.engines import backends
from studio.engines.base import EngineStatus, GenerationError, GenerationRequest
from studio.engines.llamacpp import stream_llama
from studio.engines.loading import LoadedModel
from studio.engines.prompting import causal_inputs, paragraphs, seq2seq_inputs
from studio.engines.streaming import TokenStream

log = logging.getLogger(__name__)


class LocalEngine:
    """A causal or seq2seq model behind the Engine protocol, on the backend ``backend`` picks
    (studio.engines.backends: llama.cpp on CPU where it can, transformers everywhere else).

    On transformers one generation runs at a time: the seed is set on torch's process-wide
    generator, so runs must not interleave for the same seed to give the same text. On
    llama.cpp up to ``parallel`` requests are decoded together, each with its own sampler.
    """

    def __init__(
        self,
        model_id: str,
        device: str = "auto",
        dtype: str = "auto",
        fallback: str = "",
        fallback_hint: str = "",
        backend: str = "auto",
        gguf_type: str = "f16",
        parallel: int = 4,
    ) -> None:
        self.model_id = model_id
        self.device = device
        self.dtype = dtype
        self.backend = backend
        self.gguf_type = gguf_type  # llama.cpp weights when it converts a transformers folder
        self.parallel = parallel  # llama.cpp: requests decoded together (transformers: one)
        self.fallback = fallback  # loaded instead when model_id cannot be
        self.fallback_hint = fallback_hint  # one line on how to get a better model
        self._load_lock = threading.Lock()
        self._generate_lock = threading.Lock()
        self._loaded: LoadedModel | None = None
        self._loaded_id = ""
        self._error: GenerationError | None = None
        self._state = "idle"
        self._notice = ""
        self._progress = ""  # what loading is doing now, for the status line

    # -- loading -----------------------------------------------------------------------------
    def status(self) -> EngineStatus:
        """Current load state and, once ready, the device and precision in use."""
        if self._loaded is not None:
            m = self._loaded
            return EngineStatus(
                "ready",
                self._loaded_id,
                m.kind,
                f"{m.backend}, {m.device}, {m.dtype}, {m.context} tokens of context",
                self._notice,
            )
        if self._error is not None:
            return EngineStatus("failed", self.model_id, None, str(self._error))
        return EngineStatus(self._state, self.model_id, None, self._progress)  # type: ignore[arg-type]

    def start_loading(self) -> None:
        """Load in a background thread; requests that arrive meanwhile wait for it."""
        threading.Thread(target=self._load_quietly, name="studio-load", daemon=True).start()

    def _load_quietly(self) -> None:
        with contextlib.suppress(GenerationError):  # kept in self._error for status()
            self.load()

    def load(self) -> LoadedModel:
        """The loaded model, loading it on first use (or raising the load error again)."""
        with self._load_lock:
            if self._loaded is not None:
                return self._loaded
            if self._error is not None:
                raise self._error
            self._state = "loading"
            try:
                self._loaded, self._loaded_id = self._load_one(self.model_id), self.model_id
            except GenerationError as err:
                if not self.fallback:
                    self._error = err
                    raise
                log.warning("%s Falling back to %s.", err, self.fallback)
                try:
                    self._loaded = self._load_one(self.fallback)
                except GenerationError as fallback_err:
                    self._error = GenerationError(f"{err} The fallback failed too: {fallback_err}")
                    raise self._error from fallback_err
                self._loaded_id = self.fallback
                self._notice = f"{err} Using the built-in house model instead. {self.fallback_hint}"
            self._state, self._progress = "ready", ""
            return self._loaded

    def _load_one(self, model_id: str) -> LoadedModel:
        def progress(message: str) -> None:
            self._progress = message

        return backends.load(model_id, self.backend, self.device, self.dtype, self.gguf_type,
                             progress, self.parallel)  # fmt: skip

    # -- generation --------------------------------------------------------------------------
    def stream(self, request: GenerationRequest, stop: threading.Event) -> Iterator[str]:
        """Yield generated text pieces; setting ``stop`` ends the generation thread."""
        loaded = self.load()
        if loaded.backend == "llama.cpp":
            yield from stream_llama(loaded, request, stop)
            return
        if loaded.kind == "seq2seq":
            job = request.prompt.translation
            if job is None:
                raise GenerationError(
                    f"{self._loaded_id} is a translation model: use it from the Translation tab, "
                    "or start the studio with a writing model (--model)."
                )
            for i, paragraph in enumerate(paragraphs(job.text)):
                if stop.is_set():
                    return
                if i:
                    yield "\n\n"
                inputs, extra = seq2seq_inputs(loaded, job, paragraph, request)
                yield from self._run(loaded, inputs, {**extra}, request, stop)
            return
        inputs = causal_inputs(loaded, request)
        yield from self._run(loaded, inputs, {}, request, stop)

    def _run(
        self,
        loaded: LoadedModel,
        inputs: dict[str, Any],
        extra: dict[str, Any],
        request: GenerationRequest,
        stop: threading.Event,
    ) -> Iterator[str]:
        import torch
        from transformers import StoppingCriteriaList

        tokenizer = loaded.tokenizer
        streamer = TokenStream(tokenizer, skip_prompt=loaded.kind != "seq2seq")
        kwargs = request.sampling.to_generate_kwargs()
        budget = loaded.context - inputs["input_ids"].shape[1]
        if loaded.kind != "seq2seq" and kwargs["max_new_tokens"] > budget:
            kwargs["max_new_tokens"] = max(budget, 1)
        kwargs.update(extra)
        seed = int(request.sampling["seed"])
        failure: list[BaseException] = []
        finished = threading.Event()  # this run's own end; ``stop`` belongs to the caller

        def generate() -> None:
            try:
                with self._generate_lock:
                    if stop.is_set() or finished.is_set():
                        return
                    if seed >= 0:
                        torch.manual_seed(seed)
                    with torch.inference_mode():
                        loaded.model.generate(
                            **{k: v.to(loaded.device) for k, v in inputs.items()},
                            **kwargs,
                            streamer=streamer,
                            stopping_criteria=StoppingCriteriaList([_StopOnEvent(stop, finished)]),
                            pad_token_id=tokenizer.pad_token_id,
                        )
            except Exception as err:  # reported to the writer below, never kills the server
                log.exception("generation failed")
                failure.append(err)
            finally:
                streamer.end()

        thread = threading.Thread(target=generate, name="studio-generate", daemon=True)
        thread.start()
        try:
            yield from streamer
        finally:
            # Reached on completion, on Stop, and when the visitor goes away (close()):
            # the thread then ends at its next token.
            finished.set()
        thread.join()
        if failure:
            raise GenerationError(f"The model failed while writing: {failure[0]}") from failure[0]


class _StopOnEvent:
    """A StoppingCriteria that ends generation once any of its events is set."""

    def __init__(self, *events: threading.Event) -> None:
        self.events = events

    def __call__(self, input_ids: Any, scores: Any, **kwargs: Any) -> Any:
        import torch

        stopped = any(event.is_set() for event in self.events)
        return torch.full((input_ids.shape[0],), stopped, dtype=torch.bool, device=input_ids.device)
