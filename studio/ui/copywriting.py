"""The Copywriting tab: a brief, a format with its channel limit, and variants side by side.

Each variant has its seed and a live count against the channel's limit; the ones over it are
flagged and can be rewritten on their own while the others stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import gradio as gr

from studio.tasks import languages
from studio.tasks.copywriting import TONES, format_choices, framework_choices
from studio.ui.controls import SamplingControls, sampling_panel
from studio.ui.runner import Runner
from studio.ui.tabkit import add_examples

MAX_VARIANTS = 4
DEFAULT_VARIANTS = 3

# Labels of this tab's components, in one place so they can be translated.
LABELS = {
    "brief": "Product or brief",
    "brief_hint": "A reusable bamboo coffee cup that folds flat.",
    "format": "Format",
    "format_info": "Counted as each channel counts: X counts CJK characters and emoji as two "
    "and a link as 23; search ads count wide characters as two.",
    "framework": "Framework",
    "framework_info": "AIDA: attention, interest, desire, action · PAS: problem, agitate, "
    "solution · FAB: features, advantages, benefits",
    "audience": "Audience",
    "audience_hint": "commuters who care about waste",
    "tone": "Tone",
    "language": "Write in",
    "key_points": "Key points (optional)",
    "use_words": "Words to use (optional)",
    "avoid_words": "Words to avoid (optional)",
    "words_hint": "comma-separated: pocket, fold flat",
    "how_many": "Variants",
    "generate": "Generate",
    "stop": "Stop",
    "variant": "Variant {n}",
    "fix": "Regenerate the ones over the limit",
}


@dataclass
class CopyView:
    """Every component of the Copywriting tab, by role (never looked up by string)."""

    task: dict[str, gr.components.Component]  # build_copy_prompt's inputs, by parameter name
    controls: SamplingControls
    how_many: gr.Slider
    generate: gr.Button
    stop: gr.Button
    info: gr.Markdown
    columns: list[gr.Column]  # one per variant, hidden beyond how_many
    variants: list[gr.Textbox]  # the first is #copywriting-output
    seeds: list[gr.Markdown]  # "seed 12": the seed that wrote each variant
    counts: list[gr.Markdown]  # "212 / 280", with ⚠ and the over-limit class when over
    fix: gr.Button
    events: list = field(default_factory=list)  # the events that write variants

    @property
    def main_outputs(self) -> list[gr.Textbox]:
        """The variants, which the tab's history records and restores together."""
        return list(self.variants)

    def saved_fields(self) -> dict[str, gr.components.Component]:
        """What autosave keeps: inputs, settings, how many variants, their texts and seeds."""
        variants = {f"variant_{i + 1}": box for i, box in enumerate(self.variants)}
        seeds = {f"variant_seed_{i + 1}": seed for i, seed in enumerate(self.seeds)}
        return {**self.task, **self.controls.inputs(), "count": self.how_many, **variants,
                **seeds}  # fmt: skip


def _brief_column() -> dict[str, gr.components.Component]:
    brief = gr.Textbox(label=LABELS["brief"], lines=3, placeholder=LABELS["brief_hint"],
                       elem_id="copywriting-brief")  # fmt: skip
    fmt = gr.Dropdown(format_choices(), value="headline", label=LABELS["format"],
                      info=LABELS["format_info"], elem_id="copywriting-format")  # fmt: skip
    framework = gr.Radio(framework_choices(), value="none", label=LABELS["framework"],
                         info=LABELS["framework_info"])  # fmt: skip
    audience = gr.Textbox("", label=LABELS["audience"], placeholder=LABELS["audience_hint"])
    with gr.Row():
        tone = gr.Dropdown(list(TONES), value="friendly", label=LABELS["tone"],
                           allow_custom_value=True)  # fmt: skip
        lang = gr.Dropdown(languages.choices(), value="en", label=LABELS["language"])
    key_points = gr.Textbox("", label=LABELS["key_points"], lines=2)
    with gr.Row():
        use = gr.Textbox("", label=LABELS["use_words"], placeholder=LABELS["words_hint"])
        avoid = gr.Textbox("", label=LABELS["avoid_words"], placeholder=LABELS["words_hint"])
    return {"brief": brief, "format_key": fmt, "audience": audience, "tone": tone,
            "key_points": key_points, "language_code": lang, "framework": framework,
            "use_words": use, "avoid_words": avoid}  # fmt: skip


def _variants_column() -> dict:
    with gr.Row():
        how_many = gr.Slider(1, MAX_VARIANTS, value=DEFAULT_VARIANTS, step=1,
                             label=LABELS["how_many"], scale=2,
                             elem_id="copywriting-how-many")  # fmt: skip
        generate = gr.Button(LABELS["generate"], variant="primary", scale=2,
                             elem_id="copywriting-generate")  # fmt: skip
        stop = gr.Button(LABELS["stop"], variant="stop", scale=1, elem_id="copywriting-stop")
    info = gr.Markdown("", elem_classes=["studio-info"], elem_id="copywriting-info")
    columns, boxes, seeds, counts = [], [], [], []
    with gr.Row(equal_height=True):
        for i in range(MAX_VARIANTS):
            with gr.Column(min_width=220, visible=i < DEFAULT_VARIANTS) as column:
                columns.append(column)
                box_id = "copywriting-output" if i == 0 else f"copywriting-variant-{i}"
                boxes.append(gr.Textbox("", label=LABELS["variant"].format(n=i + 1), lines=8,
                                        max_lines=30, buttons=["copy"], interactive=True,
                                        elem_id=box_id))  # fmt: skip
                counts.append(gr.Markdown("", elem_classes=["studio-info", "copy-count"],
                                          elem_id=f"copywriting-count-{i}"))  # fmt: skip
                seeds.append(gr.Markdown("", elem_classes=["studio-info"],
                                         elem_id=f"copywriting-seed-{i}"))  # fmt: skip
    fix = gr.Button(LABELS["fix"], elem_id="copywriting-fix")
    return {"how_many": how_many, "generate": generate, "stop": stop, "info": info,
            "columns": columns, "variants": boxes, "seeds": seeds, "counts": counts,
            "fix": fix}  # fmt: skip


def build(runner: Runner) -> CopyView:
    """The Copywriting tab's components and events (inside an open gr.Blocks/gr.Tab)."""
    from studio.ui.copywriting_events import wire_copywriting

    with gr.Row():
        with gr.Column(scale=2):
            task = _brief_column()
            controls = sampling_panel(temperature=0.9, max_new_tokens=200)
        with gr.Column(scale=3):
            parts = _variants_column()
    view = CopyView(task=task, controls=controls, **parts)
    add_examples("copywriting", {k: task[k] for k in ("brief", "format_key", "audience", "tone",
                                                      "language_code")})  # fmt: skip
    view.events = wire_copywriting(runner, view)
    return view
