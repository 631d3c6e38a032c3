"""Loading a transformers model: device, precision, model family and context length.

torch and transformers are imported inside the functions so that importing the studio (and
serving its page) never waits for them.
"""

from __future__ import annotations

import os
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.engines.base import GenerationError, ModelKind

# Beyond this, a tokenizer's model_max_length is a placeholder ("no limit"), not a real window.
_SANE_CONTEXT = 1_000_000
_FALLBACK_CONTEXT = 2048


@dataclass
class LoadedModel:
    """A model ready to generate, with what the engine needs to know about it."""

    model: Any
    tokenizer: Any
    kind: ModelKind
    device: str
    dtype: str
    context: int  # the most tokens the model reads at once
    backend: str = "transformers"  # or "llama.cpp"
    batcher: Any = None  # llama.cpp: the scheduler that decodes concurrent requests together


def pick_device(requested: str) -> str:
    """The device to run on: the requested one if available, else CUDA, then MPS, then CPU."""
    import torch

    available = {
        "cpu": True,
        "cuda": torch.cuda.is_available(),
        "mps": bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()),
    }
    if requested != "auto":
        if not available.get(requested, False):
            raise GenerationError(f"Device {requested!r} is not available on this machine.")
        return requested
    return next(d for d in ("cuda", "mps", "cpu") if available[d])


def pick_dtype(requested: str, device: str) -> Any:
    """The torch dtype: bf16 (or fp16) on GPUs, fp32 on CPU, unless one is requested."""
    import torch

    if requested != "auto":
        return getattr(torch, requested)
    if device == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    if device == "mps":
        return torch.float16
    return torch.float32


def context_length(config: Any, tokenizer: Any) -> int:
    """The model's context window in tokens, from its config or its tokenizer."""
    for name in ("max_position_embeddings", "n_positions", "max_sequence_length"):
        value = getattr(config, name, None)
        if isinstance(value, int) and value > 0:
            return value
    value = getattr(tokenizer, "model_max_length", None)
    if isinstance(value, int) and 0 < value < _SANE_CONTEXT:
        return value
    return _FALLBACK_CONTEXT


def _hub_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "true", "yes", "on"}


def hub_reachable(timeout: float = 3.0) -> bool:
    """Whether the model hub answers at all within timeout seconds."""
    from huggingface_hub import constants

    try:
        urllib.request.urlopen(urllib.request.Request(constants.ENDPOINT, method="HEAD"),
                               timeout=timeout)  # fmt: skip
    except urllib.error.HTTPError:
        return True  # it answered, if only to refuse the bare address
    except (OSError, ValueError):
        return False
    return True


def check_reachable(model_id: str) -> None:
    """Fail in seconds, not a minute, for a hub id that is neither cached nor downloadable."""
    if Path(model_id).expanduser().exists() or _hub_offline():
        return  # a local folder, or transformers itself answers at once from the cache
    from huggingface_hub import try_to_load_from_cache

    try:
        cached = try_to_load_from_cache(model_id, "config.json")
    except ValueError:  # not a valid repo id: let from_pretrained explain
        return
    if isinstance(cached, str):
        return
    if not hub_reachable():
        raise GenerationError(
            f"Model {model_id!r} is not on this machine and the model hub cannot be reached "
            "(offline?)."
        )


def load_model(model_id: str, device: str = "auto", dtype: str = "auto") -> LoadedModel:
    """Load tokenizer and model from a hub id or local folder through ``from_pretrained``.

    Raises GenerationError with a message that says what is missing and how to fix it.
    """
    try:
        import torch  # noqa: F401
        from transformers import (
            AutoConfig,
            AutoModelForCausalLM,
            AutoModelForSeq2SeqLM,
            AutoTokenizer,
        )
    except ImportError as err:  # pragma: no cover - depends on the install
        raise GenerationError(
            f"The model engine needs torch and transformers ({err}). "
            "Install them with: pip install -r requirements.txt"
        ) from err

    check_reachable(model_id)
    try:
        config = AutoConfig.from_pretrained(model_id)
        tokenizer = AutoTokenizer.from_pretrained(model_id)
    except (OSError, ValueError) as err:
        raise GenerationError(
            f"Model {model_id!r} could not be found: it is neither a local folder nor "
            f"downloadable from the Hugging Face hub ({_first_line(err)})."
        ) from err
    device_name = pick_device(device)
    torch_dtype = pick_dtype(dtype, device_name)
    seq2seq = bool(getattr(config, "is_encoder_decoder", False))
    auto_class = AutoModelForSeq2SeqLM if seq2seq else AutoModelForCausalLM
    try:
        model = auto_class.from_pretrained(model_id, dtype=torch_dtype)
    except (OSError, ValueError) as err:
        raise GenerationError(
            f"Model {model_id!r} could not be loaded as a text generator ({_first_line(err)})."
        ) from err
    model = model.to(device_name).eval()
    if tokenizer.pad_token_id is None and tokenizer.eos_token_id is not None:
        tokenizer.pad_token = tokenizer.eos_token
    kind: ModelKind = "seq2seq" if seq2seq else ("chat" if tokenizer.chat_template else "base")
    return LoadedModel(
        model=model,
        tokenizer=tokenizer,
        kind=kind,
        device=device_name,
        dtype=str(torch_dtype).removeprefix("torch."),
        context=context_length(config, tokenizer),
    )


def _first_line(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return text[0][:300] if text else type(err).__name__
