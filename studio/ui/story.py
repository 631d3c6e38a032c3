"""The Story tab: a manuscript you continue in place, with notes, variants and passage actions."""

from __future__ import annotations

from dataclasses import dataclass, field

import gradio as gr

from studio.history import Timeline
from studio.tasks import languages
from studio.tasks.passage import ACTIONS
from studio.tasks.story import GENRES, LENGTHS, POINTS_OF_VIEW, TONES
from studio.ui.controls import SamplingControls, sampling_panel
from studio.ui.runner import Runner
from studio.ui.tabkit import add_examples

MAX_VARIANTS = 4


@dataclass
class StoryView:
    """Every component of the Story tab, by role (never looked up by string)."""

    task: dict[str, gr.components.Component]  # build_story_prompt's inputs, by parameter name
    controls: SamplingControls
    timeline: gr.State
    last_base: gr.State  # the manuscript before the last continuation, for Retry
    manuscript: gr.Textbox
    continue_: gr.Button
    retry: gr.Button
    undo: gr.Button
    redo: gr.Button
    stop: gr.Button
    info: gr.Markdown
    variant_count: gr.Slider
    write_variants: gr.Button
    variants: list[gr.Textbox]
    variant_seeds: list[gr.Markdown]
    use_variant: list[gr.Button]
    passage: gr.Textbox
    action: gr.Radio
    instruction: gr.Textbox
    run_action: gr.Button
    result: gr.Textbox
    replace: gr.Button
    insert: gr.Button
    events: list = field(default_factory=list)  # the events that write into the manuscript

    @property
    def main_outputs(self) -> list[gr.Textbox]:
        """The text the tab's history records and restores."""
        return [self.manuscript]

    def saved_fields(self) -> dict[str, gr.components.Component]:
        """What autosave keeps: inputs, settings, the manuscript, variants and results."""
        variants = {f"variant_{i}": box for i, box in enumerate(self.variants)}
        return {**self.task, **self.controls.inputs(), **variants, "passage": self.passage,
                "action": self.action, "instruction": self.instruction,
                "result": self.result}  # fmt: skip


def _manuscript_column() -> dict:
    manuscript = gr.Textbox("", label="Manuscript", lines=20, max_lines=60, buttons=["copy"],
                            elem_id="story-manuscript", autoscroll=True,
                            placeholder="Write or paste your story here, or start from a premise "
                                        "on the right. Continue writes on at the end.")  # fmt: skip
    with gr.Row():
        continue_ = gr.Button("Continue", variant="primary", scale=3, elem_id="story-generate")
        retry = gr.Button("Retry", scale=1, elem_id="story-retry")
        undo = gr.Button("Undo", scale=1, elem_id="story-undo")
        redo = gr.Button("Redo", scale=1, elem_id="story-redo")
        stop = gr.Button("Stop", variant="stop", scale=1, elem_id="story-stop")
    info = gr.Markdown("", elem_classes=["studio-info"], elem_id="story-info")
    return {"manuscript": manuscript, "continue_": continue_, "retry": retry, "undo": undo,
            "redo": redo, "stop": stop, "info": info}  # fmt: skip


def _variants_panel() -> dict:
    with gr.Accordion("Variants: several continuations side by side", open=False):
        with gr.Row():
            count = gr.Slider(2, MAX_VARIANTS, value=3, step=1, label="How many", scale=2)
            write = gr.Button("Write variants", scale=1, elem_id="story-variants")
        boxes, seeds, uses = [], [], []
        with gr.Row(equal_height=True):
            for i in range(MAX_VARIANTS):
                with gr.Column(min_width=200):
                    boxes.append(
                        gr.Textbox(
                            "",
                            label=f"Variant {i + 1}",
                            lines=8,
                            interactive=False,
                            elem_id=f"story-variant-{i}",
                        )
                    )
                    seeds.append(gr.Markdown("", elem_classes=["studio-info"]))
                    uses.append(gr.Button("Use this", size="sm", elem_id=f"story-use-{i}"))
    return {"variant_count": count, "write_variants": write, "variants": boxes,
            "variant_seeds": seeds, "use_variant": uses}  # fmt: skip


def _passage_panel() -> dict:
    with gr.Accordion("Work on a passage (select text in the manuscript)", open=False):
        passage = gr.Textbox("", label="Passage", lines=4, elem_id="story-passage")
        with gr.Row():
            action = gr.Radio([(name.capitalize(), name) for name in ACTIONS], value="rewrite",
                              label="Action", scale=2)  # fmt: skip
            instruction = gr.Textbox(
                "",
                label="Instruction (for Rewrite)",
                scale=2,
                placeholder="more tension, shorter sentences…",
            )
            run = gr.Button("Run", scale=1, elem_id="story-action")
        result = gr.Textbox("", label="Result", lines=6, buttons=["copy"],
                            elem_id="story-result")  # fmt: skip
        with gr.Row():
            replace = gr.Button("Replace the passage with the result", size="sm")
            insert = gr.Button("Add the result at the end", size="sm")
    return {"passage": passage, "action": action, "instruction": instruction, "run_action": run,
            "result": result, "replace": replace, "insert": insert}  # fmt: skip


def _settings_column() -> dict[str, gr.components.Component]:
    premise = gr.Textbox("", label="Premise or where the story is heading", lines=3,
                         placeholder="A lighthouse keeper finds a letter dated fifty years "
                                     "from now.")  # fmt: skip
    memory = gr.Textbox(
        "",
        label="Story notes (characters, setting, style)",
        lines=4,
        info="Always given to the model first; kept longest when space runs out.",
    )
    note = gr.Textbox(
        "",
        label="Author's note",
        lines=2,
        info="Steers what comes next; placed before your last paragraph.",
    )
    with gr.Row():
        genre = gr.Dropdown(list(GENRES), value="literary", label="Genre", allow_custom_value=True)
        tone = gr.Dropdown(list(TONES), value="warm", label="Tone", allow_custom_value=True)
    with gr.Row():
        pov = gr.Dropdown(list(POINTS_OF_VIEW), value="third person limited", label="Point of view")
        length = gr.Dropdown(list(LENGTHS.items()), value=400, label="Length")
        lang = gr.Dropdown(languages.choices(), value="en", label="Write in")
    return {"premise": premise, "memory": memory, "authors_note": note, "genre": genre,
            "tone": tone, "pov": pov, "length_words": length, "language_code": lang}  # fmt: skip


def build(runner: Runner) -> StoryView:
    """The Story tab's components and events (inside an open gr.Blocks/gr.Tab)."""
    from studio.ui.story_events import wire_story

    with gr.Row():
        with gr.Column(scale=3):
            main = _manuscript_column()
            variants = _variants_panel()
            passage = _passage_panel()
        with gr.Column(scale=2):
            task = _settings_column()
            controls = sampling_panel(temperature=0.85, max_new_tokens=300)
    task["manuscript"] = main["manuscript"]
    view = StoryView(task=task, controls=controls, timeline=gr.State(Timeline()),
                     last_base=gr.State(None), **main, **variants, **passage)  # fmt: skip
    add_examples("story", {k: task[k] for k in ("premise", "genre", "tone", "language_code")})
    view.events = wire_story(runner, view)
    return view
