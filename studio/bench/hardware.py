"""The hardware ceiling: memory bandwidth over the bytes of weights read per generated token.

Decoding one token reads every weight once, so on a CPU its speed is bounded by how fast
memory streams the weights: tokens/s <= bandwidth / (parameters x bytes per parameter).
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

GIB = 1024**3


def measure_bandwidth(gib: float = 1.0, repeats: int = 10, threads: int | None = None,
                      device: str = "cpu") -> float:  # fmt: skip
    """Best-of-``repeats`` read bandwidth in bytes/s: torch ``.sum()`` over a float32 tensor
    in the memory of ``device`` (the CPU's, or a GPU's)."""
    import torch

    if threads:
        torch.set_num_threads(threads)
    sync = torch.cuda.synchronize if device.startswith("cuda") else (lambda: None)
    tensor = torch.ones(int(gib * GIB) // 4, dtype=torch.float32, device=device)
    tensor.sum()  # the first pass faults the pages in; it is not a read of warm memory
    best = float("inf")
    for _ in range(repeats):
        sync()
        start = time.perf_counter()
        tensor.sum()
        sync()
        best = min(best, time.perf_counter() - start)
    size = tensor.numel() * tensor.element_size()
    del tensor
    return size / best


def bandwidth_now(threads: int) -> float | None:
    """measure_bandwidth in a short-lived process (its 1 GiB never counts in this process's
    peak memory), in GB/s; None if it failed. Taken right beside a speed it is compared with,
    because this machine's bandwidth drifts with what its neighbours do."""
    code = "from studio.bench.hardware import measure_bandwidth as m; "
    code += f"print(m(repeats=5, threads={threads}))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip
    try:
        return float(done.stdout.strip().splitlines()[-1]) / 1e9
    except (ValueError, IndexError):
        return None


def weight_bytes(parameters: int, bytes_per_parameter: float) -> float:
    """Bytes of weights read to generate one token (each parameter read once)."""
    return parameters * bytes_per_parameter


def ceiling_tokens_per_s(
    bandwidth: float, parameters: int, bytes_per_parameter: float
) -> float | None:
    """The most tokens/s memory bandwidth (bytes/s) allows for this model, None if unknown."""
    per_token = weight_bytes(parameters, bytes_per_parameter)
    if bandwidth <= 0 or per_token <= 0:
        return None
    return bandwidth / per_token


def fraction_of(measured: float | None, ceiling: float | None) -> float | None:
    """measured / ceiling, or None when either is missing."""
    if measured is None or not ceiling:
        return None
    return measured / ceiling


def peak_rss_mb(pid: int | str = "self") -> float | None:
    """Peak resident memory of a process (this one by default) in MiB, None if unknown.

    Read from /proc (VmHWM) where there is one: ``getrusage``'s ru_maxrss would do for this
    process only elsewhere, because on Linux a child's maxrss starts at its parent's size at
    fork, so a worker started by a large parent would report the parent's memory.
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        if pid != "self":
            return None
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 1024**2 if sys.platform == "darwin" else peak / 1024  # bytes vs KiB
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # reported in kB
    return None
