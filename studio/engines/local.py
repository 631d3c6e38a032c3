"""The transformers engine: loads lazily once, streams tokens from a background thread."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from typing import Any

from studio.engines.base import EngineStatus, GenerationError, GenerationRequest
from studio.engines.loading import LoadedModel, load_model
from studio.tasks.languages import language
from studio.tasks.prompt import Prompt, TranslationJob

log = logging.getLogger(__name__)


class TransformersEngine:
    """A causal or seq2seq transformers model behind the Engine protocol.

    One generation runs at a time: the seed is set on torch's process-wide generator, so runs
    must not interleave for the same seed to give the same text.
    """

    def __init__(
        self,
        model_id: str,
        device: str = "auto",
        dtype: str = "auto",
        fallback: str = "",
        fallback_hint: str = "",
    ) -> None:
        self.model_id = model_id
        self.device = device
        self.dtype = dtype
        self.fallback = fallback  # loaded instead when model_id cannot be
        self.fallback_hint = fallback_hint  # one line on how to get a better model
        self._load_lock = threading.Lock()
        self._generate_lock = threading.Lock()
        self._loaded: LoadedModel | None = None
        self._loaded_id = ""
        self._error: GenerationError | None = None
        self._state = "idle"
        self._notice = ""

    # -- loading -----------------------------------------------------------------------------
    def status(self) -> EngineStatus:
        """Current load state and, once ready, the device and precision in use."""
        if self._loaded is not None:
            m = self._loaded
            return EngineStatus(
                "ready",
                self._loaded_id,
                m.kind,
                f"{m.device}, {m.dtype}, {m.context} tokens of context",
                self._notice,
            )
        if self._error is not None:
            return EngineStatus("failed", self.model_id, None, str(self._error))
        return EngineStatus(self._state, self.model_id)  # type: ignore[arg-type]

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
                self._loaded, self._loaded_id = (
                    load_model(self.model_id, self.device, self.dtype),
                    self.model_id,
                )
            except GenerationError as err:
                if not self.fallback:
                    self._error = err
                    raise
                log.warning("%s Falling back to %s.", err, self.fallback)
                try:
                    self._loaded = load_model(self.fallback, self.device, self.dtype)
                except GenerationError as fallback_err:
                    self._error = GenerationError(f"{err} The fallback failed too: {fallback_err}")
                    raise self._error from fallback_err
                self._loaded_id = self.fallback
                self._notice = f"{err} Using the built-in house model instead. {self.fallback_hint}"
            self._state = "ready"
            return self._loaded

    # -- generation --------------------------------------------------------------------------
    def stream(self, request: GenerationRequest, stop: threading.Event) -> Iterator[str]:
        """Yield generated text pieces; setting ``stop`` ends the generation thread."""
        loaded = self.load()
        if loaded.kind == "seq2seq":
            job = request.prompt.translation
            if job is None:
                raise GenerationError(
                    f"{self._loaded_id} is a translation model: use it from the Translation tab, "
                    "or start the studio with a writing model (--model)."
                )
            for i, paragraph in enumerate(_paragraphs(job.text)):
                if stop.is_set():
                    return
                if i:
                    yield "\n\n"
                inputs, extra = _seq2seq_inputs(loaded, job, paragraph, request)
                yield from self._run(loaded, inputs, {**extra}, request, stop)
            return
        inputs = _causal_inputs(loaded, request)
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
        from transformers import StoppingCriteriaList, TextIteratorStreamer

        tokenizer = loaded.tokenizer
        streamer = TextIteratorStreamer(
            tokenizer, skip_prompt=loaded.kind != "seq2seq", skip_special_tokens=True
        )
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
            for piece in streamer:
                if piece:
                    yield piece
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


def _render(loaded: LoadedModel, prompt: Prompt, user: str) -> str:
    """The text the model reads: the chat template for instruct models, else plain text."""
    if loaded.kind == "base":
        return user
    tokenizer = loaded.tokenizer
    messages = [{"role": "system", "content": prompt.system}, {"role": "user", "content": user}]
    try:
        return tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    except Exception:  # some templates refuse a system role: fold it into the user turn
        merged = [{"role": "user", "content": f"{prompt.system}\n\n{user}"}]
        return tokenizer.apply_chat_template(merged, tokenize=False, add_generation_prompt=True)


def _causal_inputs(loaded: LoadedModel, request: GenerationRequest) -> dict[str, Any]:
    """Tokenised prompt for a causal LM, trimmed from the start to leave room for the answer."""
    prompt = request.prompt
    if loaded.kind == "base" and not prompt.plain:
        raise GenerationError(
            "This model only continues text and cannot follow this task's instructions. "
            + (
                "For translation, start the studio with a translation model "
                "(--translation-model Helsinki-NLP/opus-mt-en-zh) or an instruct model "
                "(--model Qwen/Qwen2.5-0.5B-Instruct)."
                if prompt.translation
                else "Start the studio with an instruct model (--model)."
            )
        )
    user = prompt.plain if loaded.kind == "base" else prompt.user
    tokenizer = loaded.tokenizer
    max_new = int(request.sampling["max_new_tokens"])
    budget = max(loaded.context - min(max_new, loaded.context // 2), 1)
    text = _render(loaded, prompt, user)
    ids = tokenizer(text, add_special_tokens=loaded.kind == "base").input_ids
    if len(ids) > budget:
        dropped = len(ids) - budget
        request.notify(
            f"Your text is {len(ids)} tokens but the model reads at most {budget} alongside the "
            f"answer, so the first {dropped} tokens were left out."
        )
        if loaded.kind == "chat":
            user_ids = tokenizer(user, add_special_tokens=False).input_ids
            user = tokenizer.decode(user_ids[dropped:], skip_special_tokens=True)
            ids = tokenizer(_render(loaded, prompt, user), add_special_tokens=False).input_ids
        ids = ids[-budget:]
    import torch

    input_ids = torch.tensor([ids], dtype=torch.long)
    return {"input_ids": input_ids, "attention_mask": torch.ones_like(input_ids)}


def _paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, so long texts fit a translation model's window."""
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n")]
    return [p for p in parts if p] or [text.strip()]


def _seq2seq_inputs(
    loaded: LoadedModel, job: TranslationJob, paragraph: str, request: GenerationRequest
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Encoder inputs and generate() extras for translation models (Marian, NLLB, M2M100, T5)."""
    tokenizer, config = loaded.tokenizer, loaded.model.config
    source, target = language(job.source), language(job.target)
    extra: dict[str, Any] = {}
    prefixes = getattr(config, "task_specific_params", None) or {}
    prefix = prefixes.get(f"translation_{source.code}_to_{target.code}", {}).get("prefix", "")
    if hasattr(tokenizer, "src_lang"):  # multilingual models that name languages by tokens
        vocab = tokenizer.get_vocab()
        src_code, tgt_code = (
            (source.nllb, target.nllb) if target.nllb in vocab else (source.code, target.code)
        )
        tokenizer.src_lang = src_code
        tgt_token = tgt_code if tgt_code in vocab else f"__{tgt_code}__"
        if tgt_token not in vocab:
            raise GenerationError(
                f"{loaded.model.name_or_path} cannot translate into {target.name}."
            )
        extra["forced_bos_token_id"] = tokenizer.convert_tokens_to_ids(tgt_token)
    encoded = tokenizer(
        prefix + paragraph, return_tensors="pt", truncation=True, max_length=loaded.context
    )
    full = len(tokenizer(prefix + paragraph).input_ids)
    if full > loaded.context:
        request.notify(
            f"A paragraph of {full} tokens is longer than the model's {loaded.context}; its end "
            "was cut. Split it with a blank line to translate all of it."
        )
    return {"input_ids": encoded["input_ids"], "attention_mask": encoded["attention_mask"]}, extra
