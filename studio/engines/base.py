"""The Engine protocol: one streaming method that every backend implements."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol

from studio.params import Sampling
from studio.tasks.prompt import Prompt

ModelKind = Literal["chat", "base", "seq2seq"]
LoadState = Literal["idle", "loading", "ready", "failed"]


class GenerationError(RuntimeError):
    """A generation that cannot run or failed; the message is meant for the writer."""


def _ignore(_: str) -> None:
    return None


@dataclass(frozen=True)
class GenerationRequest:
    """One request: what to write and how to sample it.

    ``notify`` receives warnings for the writer (a trimmed prompt, say) while the text streams.
    """

    prompt: Prompt
    sampling: Sampling
    notify: Callable[[str], None] = field(default=_ignore, compare=False)


@dataclass(frozen=True)
class EngineStatus:
    """What an engine can say about itself to the status line of the UI."""

    state: LoadState
    model: str
    kind: ModelKind | None = None
    detail: str = ""  # device and precision when ready, the reason when failed
    notice: str = ""  # a standing message for the writer, e.g. "fell back to the house model"


class Engine(Protocol):
    """A text generator shared by every tab and every visitor."""

    def status(self) -> EngineStatus:
        """The engine's current load state, for the UI."""
        ...

    def start_loading(self) -> None:
        """Begin loading in the background, so the page can serve while the model loads."""
        ...

    def stream(self, request: GenerationRequest, stop: threading.Event) -> Iterator[str]:
        """Yield text pieces as they are generated until done or until ``stop`` is set.

        Raises GenerationError with a writer-facing message when the request cannot run.
        """
        ...
