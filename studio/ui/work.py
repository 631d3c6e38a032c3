"""Your work: save and load whole projects, and export a tab's text with its provenance."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import gradio as gr

from studio.export import Provenance, export_docx, export_markdown, export_text, safe_filename
from studio.params import PARAMS_BY_NAME, ParamError, validate
from studio.project import MAX_PROJECT_BYTES, Project, ProjectError, TabState, from_json, to_json
from studio.ui.autosave import DRAFT_VERSION, Fields, restore_values
from studio.ui.runner import Runner

# Which saved field holds the text a tab exports.
EXPORT_FIELD = {"story": "manuscript", "lyrics": "lyrics", "translation": "translation"}
COPY_VARIANTS = ("variant_1", "variant_2", "variant_3", "variant_4")  # copy exports all of them
RUNNER_KEY = {"translation": "translate"}  # tabs whose runs the runner files under another key
FORMATS = {"Markdown (.md)": "md", "Plain text (.txt)": "txt", "Word (.docx)": "docx"}
SAMPLING_NAMES = {*PARAMS_BY_NAME, "greedy"}


def _flat(fields: Fields) -> list[tuple[str, str]]:
    return [(tab, name) for tab, comps in fields.items() for name in comps]


def _by_tab(fields: Fields, values: list[Any]) -> dict[str, dict[str, Any]]:
    tabs: dict[str, dict[str, Any]] = {}
    for (tab, name), value in zip(_flat(fields), values, strict=True):
        tabs.setdefault(tab, {})[name] = value
    return tabs


def project_from_values(title: str, fields: Fields, values: list[Any]) -> Project:
    """A Project holding every tab's current inputs and settings."""
    tabs = {}
    for tab, saved in _by_tab(fields, values).items():
        settings = {k: v for k, v in saved.items() if k in PARAMS_BY_NAME}
        sampling = validate(settings, greedy=bool(saved.get("greedy", False)))
        inputs = {k: v for k, v in saved.items() if k not in SAMPLING_NAMES and v is not None}
        tabs[tab] = TabState(inputs=inputs, sampling=sampling)
    return Project(title=title.strip(), tabs=tabs)


def values_from_project(project: Project, fields: Fields) -> list[Any]:
    """Component values restored from a project (unknown or missing ones are left as they are)."""
    tabs = {}
    for tab, state in project.tabs.items():
        tabs[tab] = {**state.inputs, **state.sampling.values, "greedy": state.sampling.greedy}
    return restore_values(fields, {"version": DRAFT_VERSION, "tabs": tabs})


def _temp_path(title: str, ext: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="studio-"))
    return folder / safe_filename(title or "Untitled", ext)


def save_project(title: str, fields: Fields, values: list[Any]) -> str:
    """Write the project JSON to a temporary file for download; its path."""
    try:
        text = to_json(project_from_values(title, fields, values))
    except (ProjectError, ParamError) as err:
        raise gr.Error(str(err), title="The project could not be saved") from err
    path = _temp_path(title, "json")
    path.write_text(text, encoding="utf-8")
    return str(path)


def load_project(path: str | None, fields: Fields) -> list[Any]:
    """Every component's value from an uploaded project; a bad file changes nothing."""
    if not path:
        return [gr.skip() for _ in _flat(fields)] + [gr.skip()]
    if Path(path).stat().st_size > MAX_PROJECT_BYTES:
        limit = MAX_PROJECT_BYTES // 1_000_000
        raise gr.Error(f"That file is over {limit} MB: not a project saved by this studio.",
                       title="The project could not be loaded")  # fmt: skip
    try:
        project = from_json(Path(path).read_bytes())
    except ProjectError as err:
        raise gr.Error(str(err), title="The project could not be loaded") from err
    return [*values_from_project(project, fields), project.title]


def export_tab(tab: str, kind: str, provenance_on: bool, title: str, model: str,
               saved: Mapping[str, Any], last_seed: int | None = None) -> str:  # fmt: skip
    """Export one tab's text as md, txt or docx (with provenance when asked); the file's path.

    With a random seed setting (-1), the provenance names ``last_seed``, the seed the visitor's
    latest run in that tab actually used.
    """
    if tab == "copywriting":
        texts = [str(saved.get(name) or "").strip() for name in COPY_VARIANTS]
        text = "\n\n".join(t for t in texts if t)
    else:
        text = str(saved.get(EXPORT_FIELD.get(tab, ""), "") or "")
    if not text.strip():
        raise gr.Error("There is no text in that tab to export yet.")
    settings = {k: v for k, v in saved.items() if k in PARAMS_BY_NAME}
    sampling = validate(settings, greedy=bool(saved.get("greedy", False)))
    if sampling["seed"] < 0 and last_seed is not None:
        sampling = sampling.with_seed(last_seed)
    provenance = Provenance(model=model, sampling=sampling) if provenance_on else None
    title = title.strip() or tab.capitalize()
    path = _temp_path(title, kind)
    if kind == "docx":
        return str(export_docx(title, text, provenance, path))
    render = export_markdown if kind == "md" else export_text
    path.write_text(render(title, text, provenance), encoding="utf-8")
    return str(path)


def build_work_panel(fields: Fields, runner: Runner) -> None:
    """The "Your work" accordion: project save/load and export, wired to every saved field."""
    components = [comp for comps in fields.values() for comp in comps.values()]
    with gr.Accordion("Your work: projects and export", open=False):
        with gr.Row():
            title = gr.Textbox("", label="Project title", scale=2, elem_id="project-title")
            save = gr.Button("Save project", scale=1, elem_id="project-save")
            load = gr.UploadButton("Load project", file_types=[".json"], scale=1,
                                   elem_id="project-load")  # fmt: skip
        with gr.Row():
            tab = gr.Dropdown([(t.capitalize(), t) for t in fields], value=next(iter(fields)),
                              label="Export the text of", scale=1)  # fmt: skip
            kind = gr.Radio(list(FORMATS.items()), value="md", label="Format", scale=2)
            provenance = gr.Checkbox(True, label="Add provenance (model, settings, seed, date)",
                                     scale=1)  # fmt: skip
            export = gr.Button("Export", scale=1, elem_id="export")
        file = gr.File(label="Your file", interactive=False, elem_id="work-file")
    quiet = {"show_progress": "hidden"}
    save.click(lambda title, *values: save_project(title, fields, list(values)),
               [title, *components], [file], api_name="project_save", **quiet)  # fmt: skip
    load.upload(lambda path: load_project(path, fields), [load], [*components, title],
                api_name="project_load", **quiet)  # fmt: skip

    def do_export(request: gr.Request, tab: str, kind: str, provenance: bool, title: str,
                  **values: Any) -> str:  # fmt: skip
        saved = _by_tab(fields, [values[f"field_{i}"] for i in range(len(components))])
        seed = runner.last_seed(request, RUNNER_KEY.get(tab, tab))
        return export_tab(tab, kind, provenance, title, runner.engine.status().model,
                          saved.get(tab, {}), seed)  # fmt: skip

    numbered = {f"field_{i}": comp for i, comp in enumerate(components)}
    export.click(do_export, inputs_kwargs={"tab": tab, "kind": kind, "provenance": provenance,
                                           "title": title, **numbered},
                 outputs=[file], api_name="export", **quiet)  # fmt: skip
