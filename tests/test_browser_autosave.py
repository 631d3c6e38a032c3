"""Real browser: a draft survives a page reload and a server restart (issue 5)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS, free_port, needs_chromium

pytestmark = needs_chromium

ROOT = Path(__file__).resolve().parents[1]
DRAFT = "The lamp had burned all night. 灯亮了一整夜。"


def start_server(model_dir: Path, port: int, data_dir: Path) -> subprocess.Popen:
    """python app.py on the tiny model, with drafts' secret kept under data_dir."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "XDG_DATA_HOME": str(data_dir)}
    env.pop("STUDIO_STATE_SECRET", None)
    process = subprocess.Popen(
        [sys.executable, "app.py", "--model", str(model_dir), "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the studio did not start")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=30)


def manuscript(page) -> str:
    return page.locator("#story-manuscript textarea").input_value()


@pytest.mark.timeout(300)
def test_draft_survives_reload_and_server_restart(chat_model_dir, tmp_path):
    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    server = start_server(chat_model_dir, port, tmp_path)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context()
            page = context.new_page()
            page.goto(url)
            page.locator("#story-manuscript textarea").fill(DRAFT)
            page.locator("#tab-story").get_by_label("Story notes").fill("Mara keeps the light.")
            page.locator("#story-generate").click()
            page.wait_for_function(
                "() => /^(Done|Stopped)/.test(document.querySelector('#story-info').innerText)",
                timeout=60_000)  # fmt: skip
            written = manuscript(page)
            assert written.startswith(DRAFT) and len(written) > len(DRAFT)
            time.sleep(3.0)  # the autosave of the last change (slow when the machine is busy)

            page.reload()
            page.wait_for_function(
                "d => document.querySelector('#story-manuscript textarea')?.value === d",
                arg=written, timeout=45_000)  # fmt: skip

            stop_server(server)
            server = start_server(chat_model_dir, port, tmp_path)
            # The old page may be reconnecting to the stopped server: open the studio in a new
            # tab of the same browser (same storage), as a writer coming back would.
            page.close()
            page = context.new_page()
            page.goto(url)
            page.wait_for_function(
                "d => document.querySelector('#story-manuscript textarea')?.value === d",
                arg=written, timeout=45_000)  # fmt: skip
            notes = page.locator("#tab-story").get_by_label("Story notes").input_value()
            assert notes == "Mara keeps the light."
            browser.close()
    finally:
        stop_server(server)
