"""The Copywriting tab: headlines, taglines, descriptions, posts, ads and emails."""

from __future__ import annotations

import gradio as gr

from studio.tasks import languages
from studio.tasks.copywriting import FORMATS, TONES, build_copy_prompt
from studio.ui.controls import sampling_panel
from studio.ui.runner import Runner
from studio.ui.tabkit import add_examples, output_area, wire_generation


def build(runner: Runner) -> None:
    """The Copywriting tab's components and events."""
    with gr.Row():
        with gr.Column(scale=2):
            brief = gr.Textbox(
                label="Product or brief",
                lines=3,
                placeholder="A reusable bamboo coffee cup that folds flat.",
            )
            fmt = gr.Dropdown(
                [
                    (f.label + (f" (≤{f.limit} chars)" if f.limit else ""), k)
                    for k, f in FORMATS.items()
                ],
                value="headline",
                label="Format",
            )
            audience = gr.Textbox(
                "", label="Audience", placeholder="commuters who care about waste"
            )
            key_points = gr.Textbox("", label="Key points (optional)", lines=2)
            with gr.Row():
                tone = gr.Dropdown(
                    list(TONES), value="friendly", label="Tone", allow_custom_value=True
                )
                lang = gr.Dropdown(languages.choices(), value="en", label="Write in")
        with gr.Column(scale=3):
            out = output_area("copywriting", "Copy", lines=10)
    controls = sampling_panel(temperature=0.9, max_new_tokens=200)
    inputs = {
        "brief": brief,
        "format_key": fmt,
        "audience": audience,
        "tone": tone,
        "key_points": key_points,
        "language_code": lang,
    }
    add_examples("copywriting", inputs)
    wire_generation(
        runner, "copywriting", build_copy_prompt, inputs, controls, out, [brief, audience]
    )
