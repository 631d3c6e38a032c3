"""From token ids to streamed text, cheaply: every engine decodes through IncrementalDecoder.

transformers' TextIteratorStreamer decodes every token on the generating thread (and re-decodes
the whole line so far each time). Here the generating thread only hands over token ids; the
caller's thread decodes what has arrived since it last looked, in one go, so the model's thread
spends its time on the model.
"""

from __future__ import annotations

import queue
from collections.abc import Iterable, Iterator
from typing import Any

_REPLACEMENT = "\ufffd"  # what a partial UTF-8 sequence decodes to: wait for its next byte
_END = None


class IncrementalDecoder:
    """Decodes a growing list of token ids into the text each new batch of ids adds.

    Only a short window is re-decoded each time (from the last released point), which keeps
    multi-byte characters split across tokens (CJK in byte-level vocabularies) intact.
    """

    def __init__(self, tokenizer: Any, skip_special_tokens: bool = True) -> None:
        self.tokenizer = tokenizer
        self.skip_special_tokens = skip_special_tokens
        self.ids: list[int] = []
        self._prefix = 0  # ids[_prefix:_read] decode to text already released
        self._read = 0

    def _decode(self, ids: list[int]) -> str:
        return self.tokenizer.decode(ids, skip_special_tokens=self.skip_special_tokens)

    def add(self, ids: Iterable[int]) -> str:
        """The new text once these ids are appended ("" while a character is incomplete)."""
        self.ids.extend(ids)
        released = self._decode(self.ids[self._prefix : self._read])
        text = self._decode(self.ids[self._prefix :])
        if len(text) <= len(released) or text.endswith(_REPLACEMENT):
            return ""
        self._prefix, self._read = self._read, len(self.ids)
        return text[len(released) :]

    def flush(self) -> str:
        """Whatever is left at the end, incomplete characters included."""
        released = self._decode(self.ids[self._prefix : self._read])
        text = self._decode(self.ids[self._prefix :])
        self._prefix = self._read = len(self.ids)
        return text[len(released) :] if text.startswith(released) else ""


class TokenStream:
    """A ``generate(streamer=...)`` that hands token ids over to the thread iterating it.

    ``put`` and ``end`` run on the generating thread and only queue ids; iterating decodes
    everything that arrived since the last piece at once.
    """

    def __init__(self, tokenizer: Any, skip_prompt: bool, skip_special_tokens: bool = True):
        self._decoder = IncrementalDecoder(tokenizer, skip_special_tokens)
        self._skip_next = skip_prompt  # generate() first puts the prompt itself
        self._queue: queue.SimpleQueue[list[int] | None] = queue.SimpleQueue()

    def put(self, value: Any) -> None:
        """Called by generate() with the prompt, then with each new token."""
        if self._skip_next:
            self._skip_next = False
            return
        self._queue.put(value.reshape(-1).tolist())

    def end(self) -> None:
        """Called once generation is over (also after a failure)."""
        self._queue.put(_END)

    def __iter__(self) -> Iterator[str]:
        done = False
        while not done:
            batch = [self._queue.get()]
            while not self._queue.empty():  # everything that is already there, decoded once
                batch.append(self._queue.get_nowait())
            ids: list[int] = []
            for item in batch:
                if item is _END:
                    done = True
                    break
                ids.extend(item)
            piece = self._decoder.add(ids) if ids else ""
            if done:
                piece += self._decoder.flush()
            if piece:
                yield piece
