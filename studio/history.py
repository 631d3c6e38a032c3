"""Undo and redo for a text, as an immutable value a visitor's gr.State can hold."""

from __future__ import annotations

from dataclasses import dataclass, replace

DEFAULT_LIMIT = 100  # versions kept for undo; the oldest are dropped first


@dataclass(frozen=True)
class Timeline:
    """The current text with the versions before it (past) and after it (future, for redo)."""

    present: str = ""
    past: tuple[str, ...] = ()
    future: tuple[str, ...] = ()
    limit: int = DEFAULT_LIMIT

    def commit(self, text: str) -> Timeline:
        """A timeline whose present is text; the old present goes to the past, redo is cleared."""
        if text == self.present:
            return self
        past = (*self.past, self.present)[-self.limit :]
        return replace(self, present=text, past=past, future=())

    def undo(self) -> Timeline:
        """Step back one version (unchanged when there is nothing to undo)."""
        if not self.past:
            return self
        return replace(self, present=self.past[-1], past=self.past[:-1],
                       future=(self.present, *self.future))  # fmt: skip

    def redo(self) -> Timeline:
        """Step forward one version (unchanged when there is nothing to redo)."""
        if not self.future:
            return self
        return replace(self, present=self.future[0], past=(*self.past, self.present),
                       future=self.future[1:])  # fmt: skip

    @property
    def can_undo(self) -> bool:
        """Whether undo would change anything."""
        return bool(self.past)

    @property
    def can_redo(self) -> bool:
        """Whether redo would change anything."""
        return bool(self.future)
