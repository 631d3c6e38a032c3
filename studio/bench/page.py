"""A visitor that talks to the studio the way its page does, for the UI timings.

The page's JavaScript client opens a session when the page loads, then for each request POSTs
``/gradio_api/queue/join`` and reads the answer from the queue's event stream. ``PageVisitor``
does the same over one kept-alive HTTP connection, so what it measures is the studio's own
overhead. gradio_client, which the benchmark also times, adds its own on top: a new HTTP client
for each call and a message loop that looks for news every 50 ms. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

STORY_API = "/story"
OPENING = "Once"  # what a visitor's first, untimed request continues: it opens the session


@dataclass(frozen=True)
class Visit:
    """One visitor's Story continuation; perf_counter timestamps."""

    start: float
    first: float | None  # the first update whose manuscript grew
    end: float
    text: str = ""  # the manuscript at the end

    @property
    def ttft(self) -> float | None:
        """Seconds from the request to the first new text on the visitor's side."""
        return None if self.first is None else self.first - self.start


class PageVisitor:
    """One writer with the Story page open: a session of its own, one connection."""

    def __init__(self, url: str, endpoint: Any) -> None:
        import httpx

        self._http = httpx.Client(base_url=url.rstrip("/"), timeout=httpx.Timeout(300.0))
        self._endpoint = endpoint  # gradio_client's description of /story: argument order
        self.session = uuid.uuid4().hex

    def close(self) -> None:
        """Close the visitor's connection."""
        self._http.close()

    def continue_story(self, manuscript: str, max_new_tokens: int) -> Visit:
        """Ask /story to continue the manuscript greedily; time until the manuscript grows."""
        payload = self._payload(manuscript=manuscript, greedy=True, max_new_tokens=max_new_tokens)
        start = time.perf_counter()
        joined = self._http.post("/gradio_api/queue/join", json=payload)
        joined.raise_for_status()
        first, outputs, updates = None, [manuscript], 0
        with self._http.stream("GET", "/gradio_api/queue/data",
                               params={"session_hash": self.session}) as stream:  # fmt: skip
            for line in stream.iter_lines():
                message = json.loads(line[5:]) if line.startswith("data:") else {}
                kind = message.get("msg")
                if kind == "process_generating":
                    outputs = _updated(outputs, message["output"]["data"], updates == 0)
                    updates += 1
                    text = outputs[0]
                    if first is None and isinstance(text, str) and len(text) > len(manuscript):
                        first = time.perf_counter()
                elif kind == "process_completed":
                    if not message.get("success", True):
                        raise RuntimeError(f"the studio reported an error: {message['output']}")
                    break
        return Visit(start, first, time.perf_counter(), outputs[0])

    def _payload(self, **values: Any) -> dict[str, Any]:
        """The join request for /story with these values and the defaults for the rest."""
        from gradio_client.utils import construct_args

        endpoint = self._endpoint
        data = construct_args(endpoint.parameters_info, (), values)
        data = endpoint.insert_empty_state(*data)
        return {"data": list(data), "fn_index": endpoint.fn_index, "session_hash": self.session}


def _updated(outputs: list[Any], data: list[Any], first: bool) -> list[Any]:
    """The outputs after one streamed update: the first carries values, later ones diffs."""
    from gradio_client.utils import apply_diff

    if first:
        return list(data)
    return [apply_diff(old, diff) for old, diff in zip(outputs, data, strict=False)]


def story_endpoint(client: Any) -> Any:
    """gradio_client's description of the studio's /story endpoint (argument order, defaults)."""
    for endpoint in client.endpoints.values():
        if getattr(endpoint, "api_name", None) == STORY_API:
            return endpoint
    raise LookupError(f"the studio has no {STORY_API} endpoint")
