"""python -m studio.bench [--quick] [--json PATH] [--models NAME ...]

Builds each model into a temporary folder, measures it in a worker process of its own (so its
peak memory is its alone), adds the memory-bandwidth ceiling, prints a table and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from studio.bench.worker import MARKER, OFFLINE_ENV, go_offline

DEFAULT_JSON = Path("bench-results/bench.json")
WORKER_TIMEOUT_S = 900  # one model, everything included; a safety net, not a threshold


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line: quick or full, where the JSON goes, which models."""
    from studio.bench.models import SPECS

    parser = argparse.ArgumentParser(prog="python -m studio.bench", description=__doc__)
    quick = "a 40M Qwen2 and the house model, one repeat, 4 visitors only"
    parser.add_argument("--quick", action="store_true", help=quick)
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write figures")
    parser.add_argument("--models", nargs="+", choices=sorted(SPECS), help="override the set")
    parser.add_argument("--max-new-tokens", type=int, default=64)
    return parser.parse_args(argv)


def describe_machine() -> dict[str, Any]:
    """CPU count, torch threads, library versions and the measured read bandwidth."""
    import gradio
    import torch
    import transformers

    from studio.bench.hardware import measure_bandwidth

    threads = torch.get_num_threads()  # the workers use the same default
    return {
        "cpus": os.cpu_count(),
        "torch_threads": threads,
        "bandwidth_gb_s": measure_bandwidth(threads=threads) / 1e9,
        "python": sys.version.split()[0],
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "gradio": gradio.__version__,
    }


def run_worker(name: str, folder: Path, quick: bool, max_new_tokens: int) -> dict[str, Any]:
    """Measure one model in its own process; its JSON line, or a record of why it failed."""
    crowds = ["4"] if quick else ["4", "8"]
    args = [sys.executable, "-m", "studio.bench.worker", "--model", name, "--folder", str(folder),
            "--repeats", "1" if quick else "2", "--max-new-tokens", str(max_new_tokens),
            "--crowds", *crowds]  # fmt: skip
    env = {**os.environ, **OFFLINE_ENV}
    try:
        done = subprocess.run(args, capture_output=True, text=True, env=env,
                              timeout=WORKER_TIMEOUT_S, check=False)  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"model": name, "errors": {"worker": f"timed out after {WORKER_TIMEOUT_S} s"}}
    for line in done.stdout.splitlines():
        if line.startswith(MARKER):
            return json.loads(line[len(MARKER) :])
    tail = " | ".join(done.stderr.strip().splitlines()[-3:])
    return {"model": name, "errors": {"worker": f"exit {done.returncode}: {tail}"}}


def add_ceiling(result: dict[str, Any], bandwidth_gb_s: float) -> None:
    """The bandwidth ceiling for this model, and the measured speeds as fractions of it."""
    from studio.bench.hardware import ceiling_tokens_per_s, fraction_of
    from studio.bench.report import pick

    if not result.get("params"):
        return
    ceiling = ceiling_tokens_per_s(bandwidth_gb_s * 1e9, result["params"],
                                   result["bytes_per_param"])  # fmt: skip
    result["ceiling"] = {
        "tok_s": ceiling,
        "weight_bytes_per_token": result["params"] * result["bytes_per_param"],
        "generate_fraction": fraction_of(pick(result, "in_process.generate.decode_tok_s"), ceiling),
        "engine_fraction": fraction_of(pick(result, "in_process.engine.decode_tok_s"), ceiling),
    }
    for figures in (result.get("llama_cpp") or {}).values():  # its own, smaller weights
        measured = figures.get("bandwidth_gb_s") or bandwidth_gb_s  # beside its timed runs
        figures["ceiling_tok_s"] = measured * 1e9 / figures["weight_bytes"]
        figures["fraction"] = fraction_of(figures["decode_tok_s"], figures["ceiling_tok_s"])


def measure_all(names: Sequence[str], quick: bool, max_new_tokens: int,
                bandwidth_gb_s: float) -> list[dict[str, Any]]:  # fmt: skip
    """Build, measure and annotate each model in turn (never two at once: they share CPUs)."""
    from studio.bench.models import SPECS

    results = []
    with tempfile.TemporaryDirectory(prefix="studio-bench-") as tmp:
        os.environ["STUDIO_CACHE_DIR"] = str(Path(tmp) / "cache")  # GGUF conversions, for all
        for name in names:
            print(f"· {name}: building…", file=sys.stderr, flush=True)
            started = time.perf_counter()
            folder = SPECS[name].build(Path(tmp) / name)
            build_s = time.perf_counter() - started
            print(f"· {name}: measuring…", file=sys.stderr, flush=True)
            result = run_worker(name, folder, quick, max_new_tokens)
            result.update(description=SPECS[name].description, build_s=build_s)
            add_ceiling(result, bandwidth_gb_s)
            results.append(result)
    return results


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark, print the table and write the JSON file."""
    from studio.bench.models import FULL_MODELS, QUICK_MODELS
    from studio.bench.report import format_report

    args = parse_args(argv)
    go_offline()
    started = time.perf_counter()
    names = args.models or (QUICK_MODELS if args.quick else FULL_MODELS)
    print("· measuring memory bandwidth…", file=sys.stderr, flush=True)
    machine = describe_machine()
    results = measure_all(names, args.quick, args.max_new_tokens, machine["bandwidth_gb_s"])
    payload = {
        "quick": args.quick,
        "machine": machine,
        "models": results,
        "wall_s": time.perf_counter() - started,
    }
    print(format_report(payload))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    print(f"\nfigures written to {args.json}")


if __name__ == "__main__":
    main()
