"""History per tab: every generation kept in the visitor's browser, browsable and comparable."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import gradio as gr

from studio.engines.base import Engine
from studio.params import PARAMS_BY_NAME, ParamError, validate
from studio.project import ProjectError, history_from_list, history_to_list
from studio.run_history import MAX_ENTRIES, HistoryEntry, RunHistory
from studio.ui.runner import Runner

HEADERS = ["#", "time (UTC)", "seed", "model", "ending"]
# Tabs with several texts (copy variants) keep them as one entry, joined by this line.
JOINER = "\n\n―――\n\n"


def join_texts(texts: list[str]) -> str:
    """Several outputs as one history text (empty ones left out)."""
    return JOINER.join(t.strip() for t in texts if (t or "").strip())


def split_text(text: str, count: int) -> list[str]:
    """A history text back into count outputs (missing ones empty, extra ones kept in the last)."""
    parts = text.split(JOINER)
    if len(parts) > count:
        parts = [*parts[: count - 1], JOINER.join(parts[count - 1 :])]
    return parts + [""] * (count - len(parts))


SAMPLING_NAMES = {*PARAMS_BY_NAME, "greedy"}


def load_history(stored: Any, tab: str) -> RunHistory:
    """The history kept in the browser; an unreadable one starts afresh rather than failing."""
    try:
        return history_from_list(stored or [], tab)
    except ProjectError:
        return RunHistory()


def _cell(value: Any) -> str:
    return " ".join(str(value).split()).replace("|", "\\|")


def history_rows(history: RunHistory) -> str:
    """A Markdown table with one row per entry, newest first, numbered from 1 (the oldest)."""
    if not len(history):
        return "No generations yet in this tab."
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    for number, entry in reversed(list(enumerate(history, 1))):
        seed = "greedy" if entry.sampling.is_greedy else entry.sampling["seed"]
        when = entry.created_at.replace("T", " ").rstrip("Z")
        cells = [number, when, seed, entry.model, entry.text[-80:]]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines)


def record_run(history: RunHistory, text: str, saved: Mapping[str, Any], seed: int | None,
               model: str) -> tuple[RunHistory, str]:  # fmt: skip
    """History with a new entry for text, and a note when the oldest entry was dropped."""
    settings = {k: v for k, v in saved.items() if k in PARAMS_BY_NAME}
    try:
        sampling = validate(settings, greedy=bool(saved.get("greedy", False)))
    except ParamError:
        sampling = validate({})
    if seed is not None:
        sampling = sampling.with_seed(seed)
    inputs = {k: v for k, v in saved.items()
              if k not in SAMPLING_NAMES and isinstance(v, str | int | float | bool)}  # fmt: skip
    history, dropped = history.add(HistoryEntry.record(text, inputs, sampling, model))
    if dropped:
        note = (
            f"History keeps the last {MAX_ENTRIES} generations of this tab; the oldest was dropped."
        )
    else:
        note = f"{len(history)} generation(s) in this tab's history."
    return history, note


def _entry(history: RunHistory, number: float | None) -> HistoryEntry:
    index = int(number or 0) - 1
    if not 0 <= index < len(history):
        raise gr.Error(f"Pick an entry between 1 and {len(history)}.")
    return history.get(index)


def build_history(app: gr.Blocks, tab: str, runner: Runner, engine: Engine,
                  outputs: list[gr.Textbox], fields: Mapping[str, gr.components.Component],
                  events: list[gr.events.Dependency], secret: str) -> None:  # fmt: skip
    """One tab's history panel, fed by its generation events (``<tab>_history_*`` endpoints)."""
    state = gr.BrowserState([], storage_key=f"creative-writing-studio-history-{tab}",
                            secret=secret)  # fmt: skip
    with gr.Column():
        note = gr.Markdown("", elem_classes=["studio-info"], elem_id=f"{tab}-history-note")
        table = gr.Markdown("No generations yet in this tab.", elem_id=f"{tab}-history-table")
        with gr.Row():
            first = gr.Number(1, label="Entry #", precision=0, minimum=1, scale=1)
            second = gr.Number(2, label="Compare with #", precision=0, minimum=1, scale=1)
            show = gr.Button("Show", scale=1)
            restore = gr.Button("Restore into the tab", scale=1)
            compare = gr.Button("Compare", scale=1)
        preview = gr.Textbox("", label="Entry", lines=6, interactive=False, buttons=["copy"])
        diff = gr.Dataframe(headers=["first", "second", "change"], interactive=False, wrap=True,
                            visible=False)  # fmt: skip

    texts = {f"history_text_{i}": box for i, box in enumerate(outputs)}

    def record(request: gr.Request, history_stored: Any, **saved: Any):
        history = load_history(history_stored, tab)
        text = join_texts([saved.pop(name) for name in texts])
        if not text:
            return gr.skip(), gr.skip(), gr.skip()
        history, message = record_run(history, text, saved, runner.last_seed(request, tab),
                                      engine.status().model)  # fmt: skip
        return history_to_list(history), history_rows(history), message

    inputs = {**fields, "history_stored": state, **texts}
    for event in events:
        event.then(record, inputs_kwargs=inputs, outputs=[state, table, note],
                   api_visibility="private", show_progress="hidden")  # fmt: skip

    def refresh(stored: Any):
        return history_rows(load_history(stored, tab))

    app.load(refresh, [state], [table], api_visibility="private", show_progress="hidden")
    gr.on([show.click], lambda s, n: _entry(load_history(s, tab), n).text, [state, first],
          [preview], api_name=f"{tab}_history_show")  # fmt: skip

    def restore_entry(stored: Any, number: float) -> str | tuple[str, ...]:
        parts = split_text(_entry(load_history(stored, tab), number).text, len(outputs))
        return parts[0] if len(parts) == 1 else tuple(parts)

    restore.click(restore_entry, [state, first], outputs, api_name=f"{tab}_history_restore")

    def compare_entries(stored: Any, a: float, b: float):
        history = load_history(stored, tab)
        left, right = _entry(history, a), _entry(history, b)
        rows = [[r.left, r.right, r.tag] for r in RunHistory((left, right)).compare(0, 1)]
        return gr.Dataframe(value=rows, visible=True)

    compare.click(compare_entries, [state, first, second], [diff],
                  api_name=f"{tab}_history_compare")  # fmt: skip
