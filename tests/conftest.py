"""Shared fixtures: tiny real models built once per session, and a real studio server."""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

# Never reach for the hub in tests: a hub id then fails in seconds, not a minute.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
# Models converted for llama.cpp go to a folder of this run, not the user's cache.
os.environ.setdefault("STUDIO_CACHE_DIR", tempfile.mkdtemp(prefix="studio-test-cache-"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tiny_models import build_gpt2, build_llama_family, build_marian


@pytest.fixture(scope="session")
def base_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny GPT-2 base model (no chat template)."""
    return build_gpt2(tmp_path_factory.mktemp("gpt2-base"))


@pytest.fixture(scope="session")
def chat_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny GPT-2 with a chat template, standing in for an instruct model."""
    return build_gpt2(tmp_path_factory.mktemp("gpt2-chat"), chat=True)


@pytest.fixture(scope="session")
def marian_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny Marian translation model with a sentencepiece tokenizer."""
    return build_marian(tmp_path_factory.mktemp("marian"))


@pytest.fixture(scope="session")
def qwen_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny Qwen2 chat model: the family llama.cpp runs (with the default model's layout)."""
    return build_llama_family(tmp_path_factory.mktemp("qwen2"), "qwen2")


@pytest.fixture(scope="session")
def llama_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny Llama chat model (its q/k weights are permuted on conversion)."""
    return build_llama_family(tmp_path_factory.mktemp("llama"), "llama")


@pytest.fixture(scope="session")
def chat_engine(chat_model_dir: Path):
    """A loaded engine on the tiny chat model, shared by the engine tests."""
    from studio.engines.local import LocalEngine

    engine = LocalEngine(str(chat_model_dir))
    engine.load()
    return engine


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def launch_studio(engine, translator=None, parallel: int = 1) -> tuple[object, str]:
    """Build and launch the real app on 127.0.0.1; returns (app, url)."""
    from studio.config import StudioConfig
    from studio.ui import build_app, launch_options

    config = StudioConfig(model="unused", port=free_port())
    app = build_app(engine, config, translator)
    app.queue(default_concurrency_limit=parallel)
    app.launch(**launch_options(config), prevent_thread_lock=True, quiet=True)
    return app, app.local_url


@pytest.fixture(scope="session")
def studio_url(chat_engine):
    """URL of a running studio on the tiny chat model."""
    app, url = launch_studio(chat_engine)
    yield url
    app.close()


@contextmanager
def slowed(engine, delay: float = 0.04, endless: bool = True):
    """The engine's tiny model slowed to one token per ``delay`` seconds, so streaming and Stop
    can be watched; ``endless`` suppresses its end-of-text so only Stop (or the length) ends it.
    """
    model = engine.load().model
    original = model.forward

    def slow_forward(*args, **kwargs):
        time.sleep(delay)
        return original(*args, **kwargs)

    model.forward = slow_forward
    if endless:
        model.generation_config.min_new_tokens = 2048
    try:
        yield model
    finally:
        del model.forward
        model.generation_config.min_new_tokens = None


CHROMIUM = os.environ.get("STUDIO_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
# CI installs Chromium (.ci/run); there a missing browser fails instead of skipping silently.
needs_chromium = pytest.mark.skipif(
    shutil.which(CHROMIUM) is None and not os.environ.get("CI"),
    reason="Debian chromium is not installed (bash scripts/install-test-deps.sh)",
)


@contextmanager
def browser_page(url: str, height: int = 1000):
    """A page of headless Debian Chromium (driven by Playwright) opened at url."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": height})
        page.goto(url)
        try:
            yield page
        finally:
            browser.close()
