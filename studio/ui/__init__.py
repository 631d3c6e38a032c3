"""The Gradio UI: build_app() assembles the tabs around engines it is given; it never launches."""

from __future__ import annotations

from typing import Any

import gradio as gr

from studio.config import StudioConfig
from studio.engines.base import Engine
from studio.ui import copywriting, lyrics, story, translation
from studio.ui.runner import Runner, session_of
from studio.ui.status import describe_status
from studio.ui.tabkit import ASSETS

TITLE = "Creative Writing Studio"


def build_app(engine: Engine, config: StudioConfig | None = None) -> gr.Blocks:
    """The whole studio as a gr.Blocks: a status line and the four writing tabs."""
    runner = Runner(engine)
    with gr.Blocks(title=TITLE, analytics_enabled=False) as app:
        with gr.Row(elem_classes=["studio-header"]):
            gr.Markdown(
                f"# ✍️ {TITLE}\nYour own models, on your own machine. "
                "Nothing you write leaves it unless you share a link."
            )
        status = gr.Markdown(describe_status(engine.status()), elem_id="model-status")
        with gr.Tabs():
            with gr.Tab("Story", id="story", elem_id="tab-story"):
                story.build(runner)
            with gr.Tab("Copywriting", id="copywriting", elem_id="tab-copywriting"):
                copywriting.build(runner)
            with gr.Tab("Lyrics", id="lyrics", elem_id="tab-lyrics"):
                lyrics.build(runner)
            with gr.Tab("Translation", id="translation", elem_id="tab-translation"):
                translation.build(runner)

        # Poll the load state each second until the model is ready or failed, then stop.
        timer = gr.Timer(1.0)

        def refresh() -> tuple[str, gr.Timer]:
            current = engine.status()
            return describe_status(current), gr.Timer(
                active=current.state not in ("ready", "failed")
            )

        timer.tick(
            refresh,
            outputs=[status, timer],
            api_visibility="private",
            queue=False,
            show_progress="hidden",
        )
        app.load(
            refresh,
            outputs=[status, timer],
            api_visibility="private",
            queue=False,
            show_progress="hidden",
        )

        def model_status() -> str:
            """The model status line: which model is in use, loading, or missing and why."""
            return describe_status(engine.status())

        gr.api(model_status, api_name="status")

        def leave(request: gr.Request) -> None:
            # Closing the page stops that visitor's generations, and only theirs.
            runner.stops.stop(session_of(request))

        app.unload(leave)
    app.studio_runner = runner  # type: ignore[attr-defined]  # for tests and diagnostics
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
