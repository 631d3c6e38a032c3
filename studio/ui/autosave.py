"""Autosave: every tab's inputs, settings and outputs, kept in the visitor's own browser.

The draft lives in gr.BrowserState (localStorage, encrypted with a secret that survives server
restarts), so it is restored on reload and after a restart, and it never leaves the browser.
"New draft" clears it deliberately, and can be undone.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import gradio as gr

DRAFT_VERSION = 1
STORAGE_KEY = "creative-writing-studio-draft"
# A restored value must have the type its component holds; anything else is ignored.
_KINDS: dict[type, tuple[type, ...]] = {
    gr.Textbox: (str,),
    gr.Dropdown: (str, int, float),
    gr.Radio: (str, int, float),
    gr.Slider: (int, float),
    gr.Checkbox: (bool,),
    gr.Markdown: (str,),
}

Fields = Mapping[str, Mapping[str, gr.components.Component]]


def _flat(fields: Fields) -> list[tuple[str, str, gr.components.Component]]:
    return [(tab, name, comp) for tab, comps in fields.items() for name, comp in comps.items()]


def _accepts(component: gr.components.Component, value: Any) -> bool:
    kinds = next((k for cls, k in _KINDS.items() if isinstance(component, cls)), ())
    if isinstance(value, bool) and bool not in kinds:
        return False
    return isinstance(value, kinds)


def snapshot(fields: Fields, values: list[Any]) -> dict[str, Any]:
    """The draft to store: {version, saved_at, tabs: {tab: {name: value}}}."""
    tabs: dict[str, dict[str, Any]] = {}
    for (tab, name, _), value in zip(_flat(fields), values, strict=True):
        tabs.setdefault(tab, {})[name] = value
    return {"version": DRAFT_VERSION, "saved_at": time.time(), "tabs": tabs}


def restore_values(fields: Fields, draft: Any) -> list[Any]:
    """Per component, the saved value when it is present and of the right type, else a skip."""
    tabs = draft.get("tabs") if isinstance(draft, dict) else None
    if not isinstance(tabs, dict) or draft.get("version") != DRAFT_VERSION:
        return [gr.skip() for _ in _flat(fields)]
    out: list[Any] = []
    for tab, name, component in _flat(fields):
        saved = tabs.get(tab)
        value = saved.get(name) if isinstance(saved, dict) else None
        out.append(value if value is not None and _accepts(component, value) else gr.skip())
    return out


def wire_autosave(app: gr.Blocks, fields: Fields, secret: str, new_draft: gr.Button,
                  undo_new: gr.Button) -> gr.BrowserState:  # fmt: skip
    """Save on every change, restore on load, and wire New draft (with its undo)."""
    components = [comp for _, _, comp in _flat(fields)]
    defaults = [comp.value for comp in components]
    state = gr.BrowserState(None, storage_key=STORAGE_KEY, secret=secret)
    previous = gr.State(None)  # the draft New draft replaced, for its undo
    quiet = {"api_visibility": "private", "queue": False, "show_progress": "hidden"}

    def save(*values: Any) -> dict[str, Any]:
        return snapshot(fields, list(values))

    gr.on([comp.change for comp in components], save, inputs=components, outputs=[state],
          trigger_mode="always_last", **quiet)  # fmt: skip
    app.load(lambda draft: restore_values(fields, draft), inputs=[state], outputs=components,
             **quiet)  # fmt: skip

    def clear(*values: Any):
        return [*defaults, snapshot(fields, list(values)), gr.Button(visible=True)]

    new_draft.click(clear, inputs=components, outputs=[*components, previous, undo_new], **quiet)

    def undo(draft: Any):
        return [*restore_values(fields, draft), None, gr.Button(visible=False)]

    undo_new.click(undo, inputs=[previous], outputs=[*components, previous, undo_new], **quiet)
    return state
