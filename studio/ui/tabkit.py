"""What every tab shares: the output area, the generation queue, Stop, and examples."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from studio.ui.runner import Runner

ASSETS = Path(__file__).resolve().parent.parent.parent / "assets"
# Every tab's Generate shares one queue (one model), served in fair order.
GENERATE_QUEUE = "generate"
# Every generating event shares one group, as many at once as queue(default_concurrency_limit)
# allows (app.py: --parallel): llama.cpp decodes them together, transformers takes turns.
QUEUED = {"concurrency_id": GENERATE_QUEUE, "concurrency_limit": "default"}


@dataclass
class OutputArea:
    """A tab's Generate/Stop buttons, its streamed text and the info line under it."""

    generate: gr.Button
    stop: gr.Button
    text: gr.Textbox
    info: gr.Markdown


def output_area(key: str, label: str, lines: int = 14) -> OutputArea:
    """Buttons, an output box with a copy button, and a one-line status under it.

    Elements get ids ``<key>-generate``, ``<key>-stop``, ``<key>-output`` and ``<key>-info``.
    """
    with gr.Row():
        generate = gr.Button("Generate", variant="primary", scale=3, elem_id=f"{key}-generate")
        stop = gr.Button("Stop", variant="stop", scale=1, elem_id=f"{key}-stop")
    text = gr.Textbox(
        label=label,
        lines=lines,
        max_lines=40,
        buttons=["copy"],
        interactive=False,
        autoscroll=True,
        elem_id=f"{key}-output",
    )
    info = gr.Markdown("", elem_classes=["studio-info"], elem_id=f"{key}-info")
    return OutputArea(generate, stop, text, info)


def wire_stop(runner: Runner, key: str, button: gr.Button, text: gr.Textbox, info: gr.Markdown,
              events: list[gr.events.Dependency]) -> None:  # fmt: skip
    """Stop cancels the tab's events and sets the visitor's stop event (``/stop_<key>``).

    The handler is queued, in a group of its own that never waits, so its message lands after
    the cancelled event's last update.
    """

    def stop(current: str, request: gr.Request) -> str:
        return runner.stop(key, request, current)

    button.click(stop, inputs=[text], outputs=[info], cancels=events, api_name=f"stop_{key}",
                 concurrency_limit=None, show_progress="hidden")  # fmt: skip


def examples(tab: str) -> list[dict[str, Any]]:
    """Example inputs for a tab from assets/examples.json (English and Chinese)."""
    data = json.loads((ASSETS / "examples.json").read_text(encoding="utf-8"))
    return data.get(tab, [])


def add_examples(tab: str, inputs: dict[str, gr.components.Component]) -> None:
    """A gr.Examples table that fills the named inputs of a tab."""
    rows = examples(tab)
    if not rows:
        return
    names = list(inputs)
    gr.Examples(
        examples=[[row.get(name, inputs[name].value) for name in names] for row in rows],
        inputs=[inputs[name] for name in names],
        label="Examples",
    )
