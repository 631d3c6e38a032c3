"""llama.cpp (through llama-cpp-python) as a backend of the local engine: the fast path on CPU.

Reads a GGUF file given directly, or converts a transformers Llama-family folder once (kept in
the studio's cache). Prompts are built and tokenised by the model's own transformers tokenizer,
exactly as on the transformers path, and llama.cpp receives token ids: both paths read the
same prompt, trimmed the same way.
"""

from __future__ import annotations

import json
import logging
import os
import random
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from studio.engines.base import GenerationError, GenerationRequest
from studio.engines.gguf_convert import cached_path, convert, supported
from studio.engines.llama_batch import BatchedLlama, Sampling
from studio.engines.loading import LoadedModel, check_reachable
from studio.engines.prompting import causal_inputs
from studio.engines.streaming import IncrementalDecoder

log = logging.getLogger(__name__)

MAX_CONTEXT = 8192  # llama.cpp allocates its whole KV cache up front: keep it laptop-sized
# What a conversion reads from a hub repository (not other weight formats it may also carry).
WEIGHTS_AND_TOKENIZER = ["*.json", "*.safetensors", "*.txt", "*.model", "*.jinja"]


def cache_dir() -> Path:
    """Where converted models are kept: STUDIO_CACHE_DIR, else the user's cache folder."""
    base = os.environ.get("STUDIO_CACHE_DIR") or Path(
        os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "creative-writing-studio"
    )
    return Path(base) / "gguf"


def available() -> bool:
    """Whether llama-cpp-python is installed."""
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        return False
    return True


def model_folder(model_id: str) -> Path:
    """The local folder of a model: the path itself, or the hub snapshot (downloaded once)."""
    path = Path(model_id).expanduser()
    if path.exists():
        return path
    check_reachable(model_id)
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(model_id, allow_patterns=WEIGHTS_AND_TOKENIZER))
    except Exception as err:
        raise GenerationError(f"Model {model_id!r} could not be found ({err}).") from err


def can_run(model_id: str) -> str:
    """Why this model cannot run on llama.cpp here, or "" when it can."""
    if not available():
        return "llama-cpp-python is not installed"
    path = Path(model_id).expanduser()
    if path.suffix == ".gguf":
        return "" if path.is_file() else f"{path} does not exist"
    return supported(model_folder(model_id))


def load_llama(model_id: str, file_type: str = "f16", threads: int = 0,
               progress: Any = None, parallel: int = 4) -> LoadedModel:  # fmt: skip
    """Load a GGUF file, or a transformers folder converted to GGUF of ``file_type`` once.

    Up to ``parallel`` requests are decoded together (studio.engines.llama_batch).
    """
    from llama_cpp import Llama
    from transformers import AutoTokenizer

    path = Path(model_id).expanduser()
    if path.suffix == ".gguf":
        _check_gguf(path)  # a clear message for a file that is not GGUF
        gguf_file, tokenizer = path, AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)
        eos: set[int] = set()
    else:
        folder = model_folder(model_id)
        gguf_file = cached_path(folder, file_type, cache_dir())
        if not gguf_file.exists():
            if progress:
                progress(f"converting to GGUF {file_type} for llama.cpp (first start only)")
            convert(folder, gguf_file, file_type)
        tokenizer = AutoTokenizer.from_pretrained(folder)
        eos = _generation_eos(folder)
    try:  # the batcher has the real context; this one only holds the weights
        model = Llama(str(gguf_file), n_ctx=64, n_threads=threads or _cores(), verbose=False)
    except ValueError as err:
        raise GenerationError(f"llama.cpp could not load {gguf_file} ({err}).") from err
    context = min(model._model.n_ctx_train(), MAX_CONTEXT)
    eos |= {t for t in (tokenizer.eos_token_id, model.token_eos()) if t is not None and t >= 0}
    return LoadedModel(
        model=model,
        tokenizer=tokenizer,
        kind="chat" if tokenizer.chat_template else "base",
        device="cpu",
        dtype=f"GGUF {file_type}" if path.suffix != ".gguf" else "GGUF",
        context=context,
        backend="llama.cpp",
        batcher=BatchedLlama(model, max(parallel, 1), context, frozenset(eos)),
    )


def _check_gguf(path: Path) -> None:
    """A clear message for a file that is not GGUF: GGUF files begin with the bytes "GGUF"."""
    try:
        with path.open("rb") as file:
            magic = file.read(4)
    except OSError as err:
        raise GenerationError(f"{path} is not a readable GGUF model file ({err}).") from err
    if magic != b"GGUF":
        raise GenerationError(f"{path} is not a readable GGUF model file (no GGUF header).")


def stream_llama(loaded: LoadedModel, request: GenerationRequest,
                 stop: threading.Event) -> Iterator[str]:  # fmt: skip
    """Yield text pieces from llama.cpp; ``stop`` ends this request at its next token."""
    ids = causal_inputs(loaded, request)["input_ids"][0].tolist()
    values = request.sampling.values
    budget = max(min(int(values["max_new_tokens"]), loaded.context - len(ids)), 1)
    if values["no_repeat_ngram_size"]:
        request.notify("llama.cpp has no no-repeat n-gram setting: it was not applied.")
    seed = int(values["seed"])
    greedy = request.sampling.is_greedy
    sampling = Sampling(
        temperature=0.0 if greedy else float(values["temperature"]),
        top_k=int(values["top_k"]),
        top_p=float(values["top_p"]),
        min_p=float(values["min_p"]),
        repetition_penalty=float(values["repetition_penalty"]),
        seed=seed if seed >= 0 else random.randrange(2**31),
    )
    decoder = IncrementalDecoder(loaded.tokenizer)
    for token in loaded.batcher.tokens(ids, sampling, budget, stop):
        piece = decoder.add([token])
        if piece:
            yield piece
    tail = decoder.flush()
    if tail:
        yield tail


def _generation_eos(folder: Path) -> set[int]:
    """End-of-text ids from generation_config.json (chat models often list several)."""
    path = folder / "generation_config.json"
    if not path.is_file():
        return set()
    value = json.loads(path.read_text(encoding="utf-8")).get("eos_token_id")
    values = value if isinstance(value, list) else [value]
    return {int(v) for v in values if isinstance(v, int)}


def _cores() -> int:
    """Threads for llama.cpp: the CPUs this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1
