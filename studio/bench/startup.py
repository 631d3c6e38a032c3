"""A fresh ``python app.py --model FOLDER``: seconds to its first HTTP 200 and first token.

Starts python app.py as a writer would, continuing a fixed manuscript instead of a premise so
that any tokenizer (the synthetic ones included) can read the prompt.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from studio.bench.hardware import peak_rss_mb
from studio.bench.visitors import free_port, open_client

ROOT = Path(__file__).resolve().parents[2]  # where app.py lives


def wait_for_http(url: str, deadline: float, process: subprocess.Popen | None = None) -> float:
    """The perf_counter time url first answers 200 (polling every 20 ms).

    Raises at the deadline, or as soon as ``process`` (the server) has exited.
    """
    while time.perf_counter() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"app.py exited with code {process.returncode} before serving")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return time.perf_counter()
        except OSError:
            time.sleep(0.02)
    raise TimeoutError(f"{url} did not answer in time")


def first_token_at(url: str, manuscript: str, max_new_tokens: int) -> float:
    """The perf_counter time the first new text of a Story continuation reaches the client."""
    job = open_client(url).submit(manuscript=manuscript, greedy=True,
                                  max_new_tokens=max_new_tokens, api_name="/story")  # fmt: skip
    for update in job:
        text = update[0] if isinstance(update, (list, tuple)) else update
        if isinstance(text, str) and len(text) > len(manuscript):
            return time.perf_counter()
    raise RuntimeError(f"no text streamed: {job.outputs()[-1:]}")


def measure_app_start(
    folder: Path, manuscript: str, max_new_tokens: int, timeout: float = 300
) -> dict[str, Any]:
    """Start app.py offline on 127.0.0.1 and time it; the process is stopped afterwards."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    args = [sys.executable, "app.py", "--port", str(port), "--host", "127.0.0.1",
            "--model", str(folder)]  # fmt: skip
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:  # a pipe could fill and block
        started = time.perf_counter()
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                   stderr=log)  # fmt: skip
        try:
            served = wait_for_http(url, started + timeout, process) - started
            first = first_token_at(url, manuscript, max_new_tokens) - started
            peak = peak_rss_mb(process.pid)
        except Exception as err:
            raise RuntimeError(f"{err} (app.py said: {_tail(log)})") from err
        finally:
            process.terminate()
            process.wait(timeout=30)
    return {
        "start_to_200_s": served,
        "start_to_first_token_s": first,
        "peak_rss_mb": peak,
    }


def _tail(log: Any, lines: int = 3) -> str:
    """The last lines of a log file, joined on one line."""
    log.seek(0)
    return " | ".join(log.read().strip().splitlines()[-lines:])
