"""Creative Writing Studio: start the studio.  python app.py --help for the options."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> None:
    """Parse settings, create the shared engine, build the UI and serve it."""
    # Privacy first: no usage statistics leave the machine. Set before gradio is imported.
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from studio.engines.openmp import keep_threads_spinning

    keep_threads_spinning()  # before torch or llama.cpp loads libgomp
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    from studio.config import StudioConfig
    from studio.engines.local import LocalEngine
    from studio.house_model import GET_A_BETTER_MODEL, HOUSE_DIR, resolve_model
    from studio.secret import browser_state_secret
    from studio.ui import build_app, launch_options

    config = StudioConfig.from_args(argv)
    model = resolve_model(config.model)
    # A model that cannot be had falls back to the bundled house model, with a notice.
    fallback = str(HOUSE_DIR) if model != str(HOUSE_DIR) and HOUSE_DIR.is_dir() else ""
    engine = LocalEngine(
        model,
        device=config.device,
        dtype=config.dtype,
        fallback=fallback,
        fallback_hint=GET_A_BETTER_MODEL,
        backend=config.backend,
        gguf_type=config.gguf_type,
        parallel=config.parallel,
    )
    translator = None
    if config.translation_model:
        # Translation models are seq2seq: backend auto runs them on transformers.
        translator = LocalEngine(resolve_model(config.translation_model),
                                 device=config.device, dtype=config.dtype)  # fmt: skip
    # A stable secret: drafts saved in visitors' browsers survive a restart of the studio.
    app = build_app(engine, config, translator, state_secret=browser_state_secret())
    # Up to --parallel visitors write at once: llama.cpp decodes them together; on transformers
    # they take turns inside the engine (one generation at a time).
    app.queue(default_concurrency_limit=config.parallel)
    # Models load behind the page, which serves at once. They start after the UI is built:
    # on 2 cores, building it beside torch's imports slowed both (HTTP 200 0.2-0.3 s later).
    for each in (engine, translator):
        if each is not None:
            each.start_loading()
    try:
        app.launch(**launch_options(config), prevent_thread_lock=True)
    except OSError as err:
        sys.exit(f"Could not start the studio on {config.host}:{config.port}: {err}")
    if config.share and not app.share_url:
        logging.getLogger("studio").warning(
            "No public link could be created (is this machine offline?). The studio is still "
            "serving locally at %s",
            app.local_url,
        )
    app.block_thread()


if __name__ == "__main__":
    main()
