"""Which backend runs a model: llama.cpp on CPU where it can, transformers everywhere else.

``auto`` (the default) picks llama.cpp when all of these hold: no GPU is in use, no torch
precision was asked for, llama-cpp-python is installed and the model is a GGUF file or a
Llama-family folder (Llama, Qwen2, Mistral). Its f16 weights are half the bytes of fp32 to read
per token, and llama.cpp's CPU kernels run close to the memory-bandwidth limit (see the README's
Performance section). If llama.cpp cannot load the model, transformers does, with a notice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from studio.engines.base import GenerationError
from studio.engines.loading import LoadedModel, load_model, pick_device

log = logging.getLogger(__name__)


def choose(model_id: str, backend: str, device: str, dtype: str) -> tuple[str, str]:
    """The backend to use and, for auto, why it is not llama.cpp ("" when it is)."""
    from studio.engines import llamacpp

    if backend != "auto":
        return backend, ""
    if dtype != "auto":
        return "transformers", f"--dtype {dtype} is a transformers precision"
    if device not in ("auto", "cpu") or pick_device(device) != "cpu":
        return "transformers", "a GPU is in use"
    try:
        reason = llamacpp.can_run(model_id)
    except GenerationError as err:  # not found: transformers says so in its own words
        reason = str(err)
    return ("transformers", reason) if reason else ("llama.cpp", "")


def load(model_id: str, backend: str = "auto", device: str = "auto", dtype: str = "auto",
         gguf_type: str = "f16", progress: Callable[[str], None] | None = None,
         parallel: int = 4) -> LoadedModel:  # fmt: skip
    """Load model_id on the chosen backend (auto falls back to transformers if llama.cpp fails)."""
    from studio.engines import llamacpp

    if Path(model_id).suffix == ".gguf" and not llamacpp.available():
        raise GenerationError(
            "GGUF files run on llama.cpp: install it with  pip install llama-cpp-python"
        )
    chosen, why_not = choose(model_id, backend, device, dtype)
    if chosen == "transformers":
        if Path(model_id).suffix == ".gguf":
            raise GenerationError("A GGUF file runs on llama.cpp, not transformers (--backend).")
        if why_not:
            log.info("Running %s on transformers: %s.", model_id, why_not.rstrip("."))
        return load_model(model_id, device, dtype)
    if device not in ("auto", "cpu"):
        raise GenerationError("llama.cpp runs on the CPU here: use --device cpu (or auto).")
    reason = llamacpp.can_run(model_id) if backend == "llama.cpp" else ""  # auto: choose() did
    if reason:
        raise GenerationError(f"Cannot run {model_id} on llama.cpp: {reason}.")
    try:
        return llamacpp.load_llama(model_id, gguf_type, progress=progress, parallel=parallel)
    except GenerationError as err:
        if backend == "llama.cpp" or Path(model_id).suffix == ".gguf":
            raise
        log.warning("llama.cpp could not load %s (%s); using transformers instead.", model_id, err)
        return load_model(model_id, device, dtype)
