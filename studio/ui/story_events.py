"""The Story tab's events: continue, retry, undo/redo, variants and passage actions."""

from __future__ import annotations

from typing import Any

import gradio as gr

from studio.history import Timeline
from studio.tasks.passage import build_passage_prompt
from studio.tasks.story import build_story_prompt, join_continuation, replace_passage
from studio.ui.runner import Runner
from studio.ui.tabkit import QUEUED, wire_stop

PRIVATE = {"api_visibility": "private", "queue": False, "show_progress": "hidden"}


def _write_on(runner: Runner, request: gr.Request, timeline: Timeline, base: str,
              values: dict[str, Any], task_names: list[str]):  # fmt: skip
    """Stream a continuation of base into the manuscript; the result becomes a new version."""
    task = {name: values.pop(name) for name in task_names}
    task["manuscript"] = base
    lang = task["language_code"]
    text, info = base, ""
    for text, info in runner.generate(
        "story",
        request,
        lambda: build_story_prompt(**task),
        values,
        shape=lambda t: join_continuation(base, t, lang),
    ):
        yield text, info, timeline, base
    yield text, info, timeline.commit(text), base


def _undo(manuscript: str, timeline: Timeline) -> tuple[str, Timeline]:
    timeline = timeline.commit(manuscript).undo()
    return timeline.present, timeline


def _redo(manuscript: str, timeline: Timeline) -> tuple[str, Timeline]:
    timeline = timeline.commit(manuscript).redo()
    return timeline.present, timeline


def wire_story(runner: Runner, v: Any) -> list[gr.events.Dependency]:
    """Connect every Story event (``v`` is the tab's StoryView); the events that write on."""
    names = list(v.task)
    outputs = [v.manuscript, v.info, v.timeline, v.last_base]

    def continue_story(request: gr.Request, timeline: Timeline, **values: Any):
        manuscript = values["manuscript"]
        yield from _write_on(runner, request, timeline.commit(manuscript), manuscript, values,
                             names)  # fmt: skip

    def retry_story(request: gr.Request, timeline: Timeline, last_base: str | None,
                    **values: Any):  # fmt: skip
        base = values["manuscript"] if last_base is None else last_base
        yield from _write_on(runner, request, timeline.commit(values["manuscript"]), base,
                             values, names)  # fmt: skip

    kwargs = {**v.task, **v.controls.inputs(), "timeline": v.timeline}
    continued = gr.on(
        [v.continue_.click, v.task["premise"].submit],
        continue_story,
        inputs_kwargs=kwargs,
        outputs=outputs,
        api_name="story",
        **QUEUED,
    )
    retried = v.retry.click(retry_story, inputs_kwargs={**kwargs, "last_base": v.last_base},
                            outputs=outputs, api_name="story_retry", **QUEUED)  # fmt: skip
    v.undo.click(_undo, [v.manuscript, v.timeline], [v.manuscript, v.timeline],
                 api_name="story_undo", queue=False)  # fmt: skip
    v.redo.click(_redo, [v.manuscript, v.timeline], [v.manuscript, v.timeline],
                 api_name="story_redo", queue=False)  # fmt: skip
    varied = _wire_variants(runner, v, names)
    acted = _wire_passage(runner, v)

    wire_stop(runner, "story", v.stop, v.manuscript, v.info,
              [continued, retried, varied, acted])  # fmt: skip
    return [continued, retried]


def _wire_variants(runner: Runner, v: Any, names: list[str]) -> gr.events.Dependency:
    count_max = len(v.variants)

    def write_variants(request: gr.Request, count: float, **values: Any):
        task = {name: values.pop(name) for name in names}
        n = max(1, min(int(count), count_max))
        for texts, labels, info in runner.generate_variants(
            "story", request, lambda: build_story_prompt(**task), values, n
        ):
            blank = [""] * (count_max - n)
            yield *texts, *blank, *labels, *blank, info

    event = v.write_variants.click(
        write_variants, inputs_kwargs={**v.task, **v.controls.inputs(), "count": v.variant_count},
        outputs=[*v.variants, *v.variant_seeds, v.info], api_name="story_variants", **QUEUED,
    )  # fmt: skip

    def use(manuscript: str, variant: str, timeline: Timeline, lang: str):
        text = join_continuation(manuscript, variant, lang)
        return text, timeline.commit(manuscript).commit(text)

    for box, button in zip(v.variants, v.use_variant, strict=True):
        button.click(use, [v.manuscript, box, v.timeline, v.task["language_code"]],
                     [v.manuscript, v.timeline], **PRIVATE)  # fmt: skip
    return event


def _wire_passage(runner: Runner, v: Any) -> gr.events.Dependency:
    def selected(event: gr.SelectData) -> str:
        return event.value if isinstance(event.value, str) else ""

    v.manuscript.select(selected, None, v.passage, **PRIVATE)

    def run_action(request: gr.Request, action: str, passage: str, instruction: str,
                   manuscript: str, memory: str, language_code: str, **values: Any):  # fmt: skip
        def build():
            return build_passage_prompt(action, passage, instruction, manuscript, memory,
                                        language_code)  # fmt: skip

        yield from runner.generate("story", request, build, values)

    event = v.run_action.click(
        run_action,
        inputs_kwargs={"action": v.action, "passage": v.passage, "instruction": v.instruction,
                       "manuscript": v.manuscript, "memory": v.task["memory"],
                       "language_code": v.task["language_code"], **v.controls.inputs()},
        outputs=[v.result, v.info], api_name="story_action", **QUEUED,
    )  # fmt: skip

    def replace(manuscript: str, passage: str, result: str, timeline: Timeline):
        text = replace_passage(manuscript, passage, result)
        return text, timeline.commit(manuscript).commit(text)

    def insert(manuscript: str, result: str, timeline: Timeline):
        text = replace_passage(manuscript, "", result)
        return text, timeline.commit(manuscript).commit(text)

    v.replace.click(replace, [v.manuscript, v.passage, v.result, v.timeline],
                    [v.manuscript, v.timeline], **PRIVATE)  # fmt: skip
    v.insert.click(insert, [v.manuscript, v.result, v.timeline], [v.manuscript, v.timeline],
                   **PRIVATE)  # fmt: skip
    return event
