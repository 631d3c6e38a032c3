"""The Copywriting tab's events: one text, variants side by side, live counts, fixing the over.

API endpoints (inputs by name; the sampling settings as in every tab):
  /copywriting          build_copy_prompt's inputs -> (text, info)
  /copywriting_variants the same and ``count`` -> (4 texts, 4 seed labels, 4 counts, info)
  /copywriting_fix      the same, ``variant_1..4`` and ``variant_seed_1..4`` -> like variants,
                        with only the variants over the limit rewritten, each with a new seed
  /stop_copywriting     stops the caller's generation in this tab
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import gradio as gr

from studio.params import MAX_SEED
from studio.tasks.copywriting import build_copy_prompt, check_copy, copy_format, is_over
from studio.tasks.prompt import Prompt, TaskInputError
from studio.ui.runner import Runner
from studio.ui.tabkit import QUEUED, wire_stop

TAB = "copywriting"
PRIVATE = {"api_visibility": "private", "queue": False, "show_progress": "hidden"}
OVER_CLASS = "copy-over-limit"  # styled in assets/studio.css
COUNT_CLASSES = ["studio-info", "copy-count"]
SEED_LABEL = re.compile(r"seed (\d+)")

# What this module says to the writer, in one place so it can be translated.
TEXT = {
    "one": "{length} / {limit}",
    "one_free": "{length} characters",
    "part": "{part} {length}/{limit}",
    "part_free": "{part} {length}",
    "over": " ⚠",
    "joiner": " · ",
    "all_within": "all within the limit",
    "some_over": "⚠ {n} over the limit",
    "none_over": "No variant is over the limit: nothing to rewrite.",
    "rewriting": "Rewriting {which}…",
    "rewrote": "Done · rewrote {which}",
    "stopped": "Stopped while rewriting {which}",
    "variant": "variant {n}",
    "variants": "variants {head} and {last}",
}


def count_line(text: str, format_key: str) -> str:
    """One variant's count against its limit: "212 / 280", "Headline 27/30 · Description 95/90 ⚠".

    Empty for empty text or an unknown format.
    """
    if not (text or "").strip():
        return ""
    try:
        checks = check_copy(text, format_key)
    except TaskInputError:
        return ""
    pieces = []
    for check in checks:
        single = len(checks) == 1
        key = ("one" if single else "part") + ("" if check.limit else "_free")
        pieces.append(TEXT[key].format(**check._asdict()) + (TEXT["over"] if check.over else ""))
    return TEXT["joiner"].join(pieces)


def live_count(text: str, format_key: str) -> gr.Markdown:
    """The count under a variant, with the over-limit class when any part is over."""
    line = count_line(text, format_key)
    over = bool(line) and is_over(text, format_key)
    return gr.Markdown(line, elem_classes=[*COUNT_CLASSES, *([OVER_CLASS] if over else [])])


def _over(texts: list[str], format_key: str) -> list[int]:
    """Indices of the non-empty texts over the format's limit."""
    return [i for i, text in enumerate(texts) if text.strip() and is_over(text, format_key)]


def _grid(texts: list[str], labels: list[str], format_key: str, size: int) -> list[str]:
    """Texts, seed labels and counts for every variant slot, padded with blanks to ``size``."""
    texts = [*texts, *[""] * (size - len(texts))]
    labels = [*labels, *[""] * (size - len(labels))]
    return [*texts, *labels, *[count_line(text, format_key) for text in texts]]


def _summary(texts: list[str], format_key: str) -> str:
    over = len(_over(texts, format_key))
    return TEXT["some_over"].format(n=over) if over else TEXT["all_within"]


def _names(indices: list[int]) -> str:
    """ "variant 2", "variants 1 and 3", "variants 1, 2 and 4" (1-based)."""
    numbers = [str(i + 1) for i in indices]
    if len(numbers) == 1:
        return TEXT["variant"].format(n=numbers[0])
    return TEXT["variants"].format(head=", ".join(numbers[:-1]), last=numbers[-1])


def fresh_seed(labels: list[str], seed: float | None) -> float | None:
    """The first seed for rewrites: past every seed shown, so none repeats; else ``seed``."""
    used = [int(match.group(1)) for label in labels if (match := SEED_LABEL.search(label or ""))]
    if not used:
        return seed
    first = max(used) + 1
    return first if first + len(labels) <= MAX_SEED else -1  # -1: a random one


def _clamp(count: float | None, size: int) -> int:
    return max(1, min(int(count if count is not None else size), size))


def _write_variants(runner: Runner, request: gr.Request, task: dict[str, Any], count: int,
                    settings: dict[str, Any], size: int) -> Iterator[list[str]]:  # fmt: skip
    """Stream ``count`` variants into a grid of ``size`` slots, then the over-limit summary."""
    fmt = task["format_key"]
    for texts, labels, info in runner.generate_variants(
        TAB, request, lambda: build_copy_prompt(**task), settings, count
    ):
        if not info.startswith("Writing"):
            info = f"{info}{TEXT['joiner']}{_summary(texts, fmt)}"
        yield [*_grid(texts, labels, fmt, size), info]


def _fix_variants(runner: Runner, request: gr.Request, task: dict[str, Any], texts: list[str],
                  labels: list[str], settings: dict[str, Any],
                  shown: int) -> Iterator[list[str]]:  # fmt: skip
    """Rewrite only the first ``shown`` variants that are over the limit, each with a new seed.

    The rest stay as they are. A rewrite replaces its variant once it has text, so a Stop keeps
    the originals not yet rewritten.
    """
    fmt, size = task["format_key"], len(texts)
    try:
        copy_format(fmt)
    except TaskInputError as err:
        raise gr.Error(str(err), title="Please check your input") from err
    flagged = [i for i in _over(texts, fmt) if i < shown]
    if not flagged:
        yield [*_grid(texts, labels, fmt, size), TEXT["none_over"]]
        return
    which = _names(flagged)
    settings = {**settings, "seed": fresh_seed(labels, settings.get("seed"))}

    def build() -> Prompt:
        return build_copy_prompt(**task, tighter=True)

    for new, new_labels, info in runner.generate_variants(TAB, request, build, settings,
                                                          len(flagged)):  # fmt: skip
        for j, i in enumerate(flagged):
            if new[j].strip():
                texts[i], labels[i] = new[j], new_labels[j]
        if info.startswith("Writing"):
            info = TEXT["rewriting"].format(which=which)
        else:
            done = info.startswith("Done")  # the runner's verb: Done or Stopped
            said = TEXT["rewrote" if done else "stopped"].format(which=which)
            info = TEXT["joiner"].join([said, _summary(texts, fmt)])
        yield [*_grid(texts, labels, fmt, size), info]


def wire_copywriting(runner: Runner, v: Any) -> list[gr.events.Dependency]:
    """Connect every Copywriting event; ``v`` is the tab's CopyView."""
    names, size = list(v.task), len(v.variants)
    inputs = {**v.task, **v.controls.inputs()}
    grid = [*v.variants, *v.seeds, *v.counts, v.info]

    def write_one(request: gr.Request, **values: Any):
        task = {name: values.pop(name) for name in names}
        fmt = task["format_key"]
        for text, info in runner.generate(TAB, request, lambda: build_copy_prompt(**task),
                                          values):  # fmt: skip
            count = "" if info.startswith("Writing") else count_line(text, fmt)
            yield text, TEXT["joiner"].join(filter(None, [info, count]))

    def write_variants(request: gr.Request, count: float | None, **values: Any):
        task = {name: values.pop(name) for name in names}
        yield from _write_variants(runner, request, task, _clamp(count, size), values, size)

    def fix_variants(request: gr.Request, count: float | None, **values: Any):
        task = {name: values.pop(name) for name in names}
        texts = [values.pop(f"variant_{i + 1}") or "" for i in range(size)]
        labels = [values.pop(f"variant_seed_{i + 1}") or "" for i in range(size)]
        shown = _clamp(count, size)
        yield from _fix_variants(runner, request, task, texts, labels, values, shown)

    # API only (no button): the single-text endpoint that earlier callers use.
    one = gr.on([], write_one, inputs_kwargs=inputs, outputs=[v.variants[0], v.info],
                api_name=TAB, **QUEUED)  # fmt: skip
    varied = gr.on([v.generate.click, v.task["brief"].submit, v.task["audience"].submit],
                   write_variants, inputs_kwargs={**inputs, "count": v.how_many},
                   outputs=grid, api_name=f"{TAB}_variants", **QUEUED)  # fmt: skip
    boxes = {f"variant_{i + 1}": box for i, box in enumerate(v.variants)}
    seeds = {f"variant_seed_{i + 1}": seed for i, seed in enumerate(v.seeds)}
    fixed = v.fix.click(fix_variants, inputs_kwargs={**inputs, "count": v.how_many, **boxes,
                                                     **seeds},
                        outputs=grid, api_name=f"{TAB}_fix", **QUEUED)  # fmt: skip
    wire_stop(runner, TAB, v.stop, v.variants[0], v.info, [one, varied, fixed])
    _wire_live(v)
    return [varied, fixed]


def _wire_live(v: Any) -> None:
    """Counts follow every change of a variant or the format; columns follow how many."""
    fmt = v.task["format_key"]
    for box, count in zip(v.variants, v.counts, strict=True):
        gr.on([box.change, fmt.change], live_count, inputs=[box, fmt], outputs=[count],
              **PRIVATE)  # fmt: skip

    def show(how_many: float) -> list[gr.Column]:
        return [gr.Column(visible=i < _clamp(how_many, len(v.columns)))
                for i in range(len(v.columns))]  # fmt: skip

    v.how_many.change(show, inputs=[v.how_many], outputs=v.columns, **PRIVATE)
