"""The Story tab: write a new story from a premise, or continue a manuscript."""

from __future__ import annotations

import gradio as gr

from studio.tasks import languages
from studio.tasks.story import GENRES, LENGTHS, POINTS_OF_VIEW, TONES, build_story_prompt
from studio.ui.controls import sampling_panel
from studio.ui.runner import Runner
from studio.ui.tabkit import add_examples, output_area, wire_generation


def build(runner: Runner) -> None:
    """The Story tab's components and events (inside an open gr.Blocks/gr.Tab)."""
    with gr.Row():
        with gr.Column(scale=2):
            premise = gr.Textbox(
                label="Premise",
                lines=3,
                placeholder="A lighthouse keeper finds a letter addressed to "
                "her, dated fifty years from now.",
            )
            manuscript = gr.Textbox(
                "", label="Story so far (optional: the model continues it)", lines=6
            )
            with gr.Row():
                genre = gr.Dropdown(
                    list(GENRES), value="literary", label="Genre", allow_custom_value=True
                )
                tone = gr.Dropdown(list(TONES), value="warm", label="Tone", allow_custom_value=True)
            with gr.Row():
                pov = gr.Dropdown(
                    list(POINTS_OF_VIEW), value="third person limited", label="Point of view"
                )
                length = gr.Dropdown(list(LENGTHS.items()), value=400, label="Length")
                lang = gr.Dropdown(languages.choices(), value="en", label="Write in")
        with gr.Column(scale=3):
            out = output_area("story", "Story", lines=18)
    controls = sampling_panel(temperature=0.85, max_new_tokens=600)
    inputs = {
        "premise": premise,
        "manuscript": manuscript,
        "genre": genre,
        "tone": tone,
        "pov": pov,
        "length_words": length,
        "language_code": lang,
    }
    add_examples("story", inputs)
    wire_generation(runner, "story", build_story_prompt, inputs, controls, out, [premise])
