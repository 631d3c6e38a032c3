"""Through the running app: the real studio launched in-process, visited the way its page does.

Each visitor has its own session and thread and calls the Story tab's ``/story`` endpoint the
way the page does (studio.bench.page); gradio_client is timed beside it for reference. Only
127.0.0.1 is contacted.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from studio.bench.page import OPENING, PageVisitor, Visit, story_endpoint
from studio.bench.stats import median, percentile, rate


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PieceClock:
    """An engine wrapper that timestamps every text piece it streams (one per token with the
    benchmark's tokenizer): the token clock for backends without forward hooks (llama.cpp)."""

    def __init__(self, engine: Any) -> None:
        self.engine, self.model_id = engine, engine.model_id
        self.times: list[float] = []

    def reset(self) -> None:
        """Forget the timestamps so far."""
        self.times = []

    def status(self) -> Any:
        return self.engine.status()

    def start_loading(self) -> None:
        self.engine.start_loading()

    def stream(self, request: Any, stop: threading.Event) -> Any:
        for piece in self.engine.stream(request, stop):
            self.times.append(time.perf_counter())
            yield piece


def launch_studio(engine: Any, parallel: int = 4) -> tuple[Any, str]:
    """Build and launch the real app on 127.0.0.1 the way app.py does; returns (app, url)."""
    from studio.config import StudioConfig
    from studio.ui import build_app, launch_options

    config = StudioConfig(model=str(engine.model_id), port=free_port(), parallel=parallel)
    app = build_app(engine, config)
    app.queue(default_concurrency_limit=config.parallel)
    app.launch(**launch_options(config), prevent_thread_lock=True, quiet=True)
    return app, app.local_url


def open_client(url: str) -> Any:
    """A gradio_client visitor of the studio at url (telemetry off)."""
    from gradio_client import Client

    return Client(url, verbose=False, analytics_enabled=False)


def continue_story(client: Any, manuscript: str, max_new_tokens: int) -> Visit:
    """gradio_client asks ``/story`` to continue the manuscript greedily; timed like a page."""
    first = None
    start = time.perf_counter()
    job = client.submit(manuscript=manuscript, greedy=True, max_new_tokens=max_new_tokens,
                        api_name="/story")  # fmt: skip
    for update in job:
        text = update[0] if isinstance(update, (list, tuple)) else update
        if first is None and isinstance(text, str) and len(text) > len(manuscript):
            first = time.perf_counter()
    job.result()  # raises if the app reported an error
    return Visit(start, first, time.perf_counter())


def visit_together(url: str, endpoint: Any, manuscripts: Callable[[], str], max_new_tokens: int,
                   count: int, clock: Any) -> dict[str, Any]:  # fmt: skip
    """``count`` visitors, each with its page open, ask at the same moment, each for its own
    manuscript; aggregate tokens/s and TTFT percentiles.

    Each visitor's session is opened first by a short request, as loading the page does.
    Tokens are counted by ``clock``: the model's forward passes, or the pieces streamed.
    """
    visitors = [PageVisitor(url, endpoint) for _ in range(count)]
    for visitor in visitors:
        visitor.continue_story(OPENING, 1)
    texts = [manuscripts() for _ in visitors]
    gate = threading.Barrier(count)

    def one(i: int) -> Visit:
        gate.wait()
        return visitors[i].continue_story(texts[i], max_new_tokens)

    clock.reset()
    with ThreadPoolExecutor(count) as pool:
        visits = list(pool.map(one, range(count)))
    for visitor in visitors:
        visitor.close()
    wall = max(v.end for v in visits) - min(v.start for v in visits)
    ttfts = [v.ttft for v in visits if v.ttft is not None]
    return {
        "visitors": count,
        "tokens": len(clock.times),
        "wall_s": wall,
        "aggregate_tok_s": rate(len(clock.times), wall),
        "ttft_p50_s": percentile(ttfts, 50) if ttfts else None,
        "ttft_p95_s": percentile(ttfts, 95) if ttfts else None,
        "ttft_s": [v.ttft for v in visits],
    }


def through_ui(engine: Any, clock: Any, manuscripts: Callable[[], str], max_new_tokens: int,
               repeats: int, crowds: tuple[int, ...]) -> dict[str, Any]:  # fmt: skip
    """On one launched app: single-visitor TTFT (``repeats`` times) as the page sees it and
    through gradio_client, then each crowd size.

    A short first visit warms the server's first-request paths, which are not per-visit costs.
    """
    app, url = launch_studio(engine)
    try:
        client = open_client(url)
        endpoint = story_endpoint(client)
        visit_together(url, endpoint, manuscripts, 4, 1, clock)
        single = [visit_together(url, endpoint, manuscripts, max_new_tokens, 1, clock)
                  for _ in range(repeats)]  # fmt: skip
        continue_story(client, OPENING, 1)  # opens the client's session
        via_client = [continue_story(client, manuscripts(), max_new_tokens).ttft
                      for _ in range(repeats)]  # fmt: skip
        client.close()
        crowd = [visit_together(url, endpoint, manuscripts, max_new_tokens, n, clock)
                 for n in crowds]  # fmt: skip
    finally:
        app.close()
    return {
        "ttft_s": median([s["ttft_p50_s"] for s in single]),
        "gradio_client_ttft_s": median(via_client),
        "tok_s": median([s["aggregate_tok_s"] for s in single]),
        "single": single,
        "crowds": crowd,
    }
