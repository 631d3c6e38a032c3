"""The Translation tab: faithful translation with an instruct model or a translation model."""

from __future__ import annotations

import gradio as gr

from studio.tasks import languages
from studio.tasks.translation import build_translation_prompt
from studio.ui.controls import sampling_panel
from studio.ui.runner import Runner
from studio.ui.tabkit import add_examples, output_area, wire_generation


def build(runner: Runner) -> None:
    """The Translation tab's components and events."""
    with gr.Row():
        with gr.Column():
            with gr.Row():
                source = gr.Dropdown(languages.choices(), value="en", label="From")
                swap = gr.Button("⇄", scale=0, min_width=48)
                target = gr.Dropdown(languages.choices(), value="zh", label="To")
            text = gr.Textbox(
                label="Text to translate",
                lines=14,
                placeholder="Paragraphs are kept; separate them with a blank line.",
            )
        with gr.Column():
            out = output_area("translate", "Translation", lines=14)
    swap.click(
        lambda s, t: (t, s),
        inputs=[source, target],
        outputs=[source, target],
        api_visibility="private",
        queue=False,
    )
    # Translation wants fidelity over surprise: greedy by default.
    controls = sampling_panel(
        greedy=True, temperature=0.3, max_new_tokens=1024, repetition_penalty=1.0
    )
    inputs = {"text": text, "source": source, "target": target}
    add_examples("translation", inputs)
    wire_generation(runner, "translate", build_translation_prompt, inputs, controls, out, [])
