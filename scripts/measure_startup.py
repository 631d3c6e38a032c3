"""Time a fresh ``python app.py`` to its first HTTP 200 and to the first streamed Story token.

    python scripts/measure_startup.py [--model house] [--runs 3]

Offline (HF_HUB_OFFLINE=1) and on 127.0.0.1 only. Prints one line per run and the median.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, deadline: float) -> float:
    """Seconds until url answers 200 (polling every 20 ms), or raise at the deadline."""
    while time.perf_counter() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return time.perf_counter()
        except OSError:
            time.sleep(0.02)
    raise TimeoutError(f"{url} did not answer in time")


def measure(model: str | None) -> tuple[float, float]:
    """(seconds to HTTP 200, seconds to the first streamed token) for one fresh start."""
    from gradio_client import Client

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    args = [sys.executable, "app.py", "--port", str(port)] + (["--model", model] if model else [])
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    started = time.perf_counter()
    process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        served = wait_for_http(url, started + 120) - started
        job = Client(url, verbose=False).submit(
            premise="A lighthouse keeper finds a letter from the future.", max_new_tokens=32,
            api_name="/story")  # fmt: skip
        for text, _info in job:
            if text:
                return served, time.perf_counter() - started
        raise RuntimeError(f"no text streamed: {job.outputs()}")
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    """Command line: run the measurement a few times and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="default: the studio's default model")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results = []
    for run in range(args.runs):
        served, first = measure(args.model)
        results.append((served, first))
        print(f"run {run + 1}: HTTP 200 after {served:.2f} s, first token after {first:.2f} s")
    print(
        f"median: HTTP 200 after {statistics.median(r[0] for r in results):.2f} s, "
        f"first token after {statistics.median(r[1] for r in results):.2f} s"
    )


if __name__ == "__main__":
    main()
