"""Measure one model in a process of its own, so its peak memory is its alone.

    python -m studio.bench.worker --model gpt2-124m --folder PATH [--repeats 1] [--crowds 4 8]

Prints one line, ``BENCH-RESULT {json}``, that the benchmark's parent process gathers.
"""

from __future__ import annotations

import argparse
import json
import os
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

MARKER = "BENCH-RESULT "
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",  # no model hub: every model is a local folder
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",  # neither the app nor gradio_client phones home
    "NO_PROXY": "127.0.0.1,localhost",  # the visitors talk to 127.0.0.1 directly
    "no_proxy": "127.0.0.1,localhost",
}


def go_offline() -> None:
    """Set the environment that keeps every byte on this machine (before importing the hub),
    and the OpenMP waiting policy app.py sets (before torch or llama.cpp loads)."""
    from studio.engines.openmp import keep_threads_spinning

    os.environ.update(OFFLINE_ENV)
    keep_threads_spinning()


def describe(loaded: Any) -> dict[str, Any]:
    """Size and precision of a loaded model: what the hardware ceiling is computed from."""
    import torch

    params = list(loaded.model.parameters())  # tied weights are listed once
    count = sum(p.numel() for p in params)
    size = sum(p.numel() * p.element_size() for p in params)
    return {
        "params": count,
        "dtype": loaded.dtype,
        "bytes_per_param": size / count,
        "weight_mb": size / 1024**2,
        "device": loaded.device,
        "kind": loaded.kind,
        "threads": torch.get_num_threads(),
    }


def _step(errors: dict[str, str], name: str, fn: Callable[[], Any]) -> Any:
    """fn(), or None with the error recorded under name: one failed step spoils no other."""
    try:
        return fn()
    except Exception as err:
        traceback.print_exc()
        errors[name] = f"{type(err).__name__}: {err}"
        return None


def measure_model(
    name: str, folder: Path, repeats: int, crowds: tuple[int, ...], max_new_tokens: int
) -> dict[str, Any]:
    """Every per-model figure: in-process, through the UI, app.py start-up and peak memory."""
    from studio.bench.fast import measure_llama_cpp
    from studio.bench.hardware import peak_rss_mb
    from studio.bench.measure import TokenClock, compare_in_process, story_request
    from studio.bench.models import Manuscripts, prompt_for
    from studio.bench.startup import measure_app_start
    from studio.bench.torch_options import measure_torch_options
    from studio.bench.visitors import PieceClock, through_ui
    from studio.engines.llamacpp import can_run as llama_cpp_reason
    from studio.engines.local import LocalEngine
    from studio.engines.prompting import causal_inputs

    result: dict[str, Any] = {"model": name, "new_tokens": max_new_tokens, "errors": {}}
    errors = result["errors"]
    engine = LocalEngine(str(folder), backend="transformers")  # llama.cpp: see fast.py
    started = time.perf_counter()
    loaded = engine.load()
    result["load_s"] = time.perf_counter() - started
    result.update(describe(loaded))
    prompt = prompt_for(loaded.tokenizer)  # in-process (no prompt cache) and app.py start
    manuscripts = Manuscripts(loaded.tokenizer)  # llama.cpp and the UI: a new one each time
    request = story_request(prompt, max_new_tokens)
    result["prompt_tokens"] = causal_inputs(loaded, request)["input_ids"].shape[1]
    clock = TokenClock(loaded.model)
    result["in_process"] = _step(
        errors, "in_process", lambda: compare_in_process(engine, loaded, clock, request, repeats)
    )
    # Through the UI: the backend app.py would pick for this model.
    ui_engine, ui_clock, result["ui_backend"] = engine, clock, "transformers"
    if not llama_cpp_reason(folder):
        result["llama_cpp"] = _step(
            errors, "llama_cpp",
            lambda: measure_llama_cpp(folder, engine, manuscripts, max_new_tokens, repeats),
        )  # fmt: skip
        ui_engine = ui_clock = PieceClock(LocalEngine(str(folder), backend="llama.cpp"))
        result["ui_backend"] = "llama.cpp"
    result["ui"] = _step(
        errors, "ui",
        lambda: through_ui(ui_engine, ui_clock, manuscripts, max_new_tokens, repeats, crowds),
    )  # fmt: skip
    clock.close()
    result["peak_rss_mb"] = peak_rss_mb()  # app.py, started next, reports its own
    result["torch_options"] = _step(  # after the peak: it loads the model twice more
        errors, "torch_options",
        lambda: measure_torch_options(folder, loaded, prompt, max_new_tokens),
    )  # fmt: skip
    result["app"] = _step(errors, "app", lambda: measure_app_start(folder, prompt, max_new_tokens))
    return result


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: measure one model and print its figures as one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="a name from studio.bench.models.SPECS")
    parser.add_argument("--folder", required=True, type=Path, help="the model's saved folder")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--crowds", type=int, nargs="*", default=[4])
    parser.add_argument("--max-new-tokens", type=int, default=64)
    args = parser.parse_args(argv)
    go_offline()
    result = measure_model(
        args.model, args.folder, args.repeats, tuple(args.crowds), args.max_new_tokens
    )
    print(MARKER + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
