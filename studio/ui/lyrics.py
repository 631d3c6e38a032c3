"""The Lyrics tab: songs with section tags and a rhyme scheme."""

from __future__ import annotations

import gradio as gr

from studio.tasks import languages
from studio.tasks.lyrics import GENRES, RHYME_SCHEMES, STRUCTURES, build_lyrics_prompt
from studio.ui.controls import sampling_panel
from studio.ui.runner import Runner
from studio.ui.tabkit import add_examples, output_area, wire_generation


def build(runner: Runner) -> None:
    """The Lyrics tab's components and events."""
    with gr.Row():
        with gr.Column(scale=2):
            theme = gr.Textbox(
                label="Theme",
                lines=2,
                placeholder="leaving home for the city, and the river I grew up by",
            )
            with gr.Row():
                genre = gr.Dropdown(
                    list(GENRES), value="pop", label="Genre / mood", allow_custom_value=True
                )
                structure = gr.Dropdown(list(STRUCTURES), value="verse-chorus", label="Structure")
            with gr.Row():
                rhyme = gr.Radio(list(RHYME_SCHEMES), value="AABB", label="Rhyme scheme")
                lang = gr.Dropdown(languages.choices(), value="en", label="Write in")
        with gr.Column(scale=3):
            out = output_area("lyrics", "Lyrics", lines=18)
    controls = sampling_panel(temperature=0.9, max_new_tokens=400)
    inputs = {
        "theme": theme,
        "genre": genre,
        "structure": structure,
        "rhyme_scheme": rhyme,
        "language_code": lang,
    }
    add_examples("lyrics", inputs)
    wire_generation(runner, "lyrics", build_lyrics_prompt, inputs, controls, out, [theme])
