"""The Gradio UI: build_app() assembles the tabs around engines it is given; it never launches."""

from __future__ import annotations

import secrets
from typing import Any

import gradio as gr

from studio.config import StudioConfig
from studio.engines.base import Engine
from studio.ui import copywriting, lyrics, story, translation
from studio.ui.autosave import wire_autosave
from studio.ui.history_panel import build_history
from studio.ui.runner import Runner, session_of
from studio.ui.status import describe_engines
from studio.ui.tabkit import ASSETS
from studio.ui.work import build_work_panel

TITLE = "Creative Writing Studio"


def build_app(
    engine: Engine,
    config: StudioConfig | None = None,
    translator: Engine | None = None,
    state_secret: str | None = None,
) -> gr.Blocks:
    """The whole studio as a gr.Blocks: a status line and the four writing tabs.

    ``engine`` writes for every tab; ``translator``, when given, is a dedicated translation
    model the Translation tab can choose instead. ``state_secret`` encrypts the drafts kept in
    each visitor's browser: pass a stable one so drafts survive a restart.
    """
    runner = Runner(engine)
    with gr.Blocks(title=TITLE, analytics_enabled=False) as app:
        with gr.Row(elem_classes=["studio-header"]):
            gr.Markdown(
                f"# ✍️ {TITLE}\nYour own models, on your own machine. "
                "Nothing you write leaves it unless you share a link."
            )
        engines = [engine] if translator is None else [engine, translator]
        status = gr.Markdown(describe_engines(engines), elem_id="model-status")
        with gr.Tabs():
            with gr.Tab("Story", id="story", elem_id="tab-story"):
                views = {"story": story.build(runner)}
            with gr.Tab("Copywriting", id="copywriting", elem_id="tab-copywriting"):
                views["copywriting"] = copywriting.build(runner)
            with gr.Tab("Lyrics", id="lyrics", elem_id="tab-lyrics"):
                views["lyrics"] = lyrics.build(runner)
            with gr.Tab("Translation", id="translation", elem_id="tab-translation"):
                views["translation"] = translation.build(runner, translator)
        with gr.Row():
            new_draft = gr.Button("New draft", size="sm", scale=0, elem_id="new-draft")
            undo_new = gr.Button("Undo new draft", size="sm", scale=0, visible=False,
                                 elem_id="undo-new-draft")  # fmt: skip
        fields = {tab: view.saved_fields() for tab, view in views.items() if view is not None}
        secret = state_secret or secrets.token_hex(16)
        wire_autosave(app, fields, secret, new_draft, undo_new)
        build_work_panel(fields, runner)
        with gr.Accordion("History of each tab", open=False):
            for tab, view in views.items():
                if view is not None and getattr(view, "events", None):
                    with gr.Tab(tab.capitalize()):
                        build_history(app, tab, runner, engine, view.main_outputs, fields[tab],
                                      view.events, secret)  # fmt: skip

        # Poll the load state each second until every model is ready or failed, then stop.
        timer = gr.Timer(1.0)

        def refresh() -> tuple[str, gr.Timer]:
            loading = any(e.status().state not in ("ready", "failed") for e in engines)
            return describe_engines(engines), gr.Timer(active=loading)

        quiet = {"api_visibility": "private", "queue": False, "show_progress": "hidden"}
        timer.tick(refresh, outputs=[status, timer], **quiet)
        app.load(refresh, outputs=[status, timer], **quiet)

        def model_status() -> str:
            """The model status line: which models are in use, loading, or missing and why."""
            return describe_engines(engines)

        gr.api(model_status, api_name="status")

        def leave(request: gr.Request) -> None:
            # Closing the page stops that visitor's generations, and only theirs.
            runner.stops.stop(session_of(request))

        app.unload(leave)
    app.studio_runner = runner  # type: ignore[attr-defined]  # for tests and diagnostics
    app.studio_fields = fields  # type: ignore[attr-defined]
    return app


def launch_options(config: StudioConfig) -> dict[str, Any]:
    """Keyword arguments for ``launch()``: privacy defaults, theme, CSS, network settings."""
    return {
        "server_name": config.host,
        "server_port": config.port,
        "share": config.share,
        "auth": config.auth_pair,
        "run_history": False,  # Gradio would keep prompts and outputs in localStorage
        "show_error": True,
        "theme": gr.themes.Soft(),
        "css": (ASSETS / "studio.css").read_text(encoding="utf-8"),
        "footer_links": ["api"],
    }
