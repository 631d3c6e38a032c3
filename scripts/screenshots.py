"""Take the README's screenshots: each tab after a real generation, in headless Chromium.

python scripts/screenshots.py [--model house] [--out assets]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
# (tab id, api key, label of the main input, example text)
SHOTS = [
    ("story", "story", "Premise", "一位老裁缝在关店前的最后一夜，接到了一件奇怪的订单。"),
    ("copywriting", "copywriting", "Product or brief", "A folding coffee cup that fits a pocket."),
    ("lyrics", "lyrics", "Theme", "the river I grew up by"),
    ("translation", "translate", "Text to translate", "The rain had stopped.\n\n雨停了。"),
]


def main() -> None:
    """Launch the studio on 127.0.0.1 and save one PNG per tab."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="house")
    parser.add_argument("--out", type=Path, default=ROOT / "assets")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from playwright.sync_api import sync_playwright

    from studio.config import StudioConfig
    from studio.engines.local import LocalEngine
    from studio.house_model import resolve_model
    from studio.ui import build_app, launch_options

    engine = LocalEngine(resolve_model(args.model))
    engine.load()
    config = StudioConfig(model=args.model, port=7871)
    app = build_app(engine, config)
    app.queue().launch(**launch_options(config), prevent_thread_lock=True, quiet=True)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(app.local_url)
            page.wait_for_selector("text=✅")
            for tab, key, label, text in SHOTS:
                page.get_by_role("tab", name=tab.capitalize()).click()
                page.locator(f"#tab-{tab}").get_by_label(label).fill(text)
                page.locator(f"#{key}-generate").click()
                page.wait_for_function(
                    f"() => /^(Done|Stopped)/.test(document.querySelector('#{key}-info')"
                    ".innerText) || document.querySelector('.toast-body')",
                    timeout=120_000,
                )
                time.sleep(1.5)  # let a message toast finish appearing
                page.screenshot(path=str(args.out / f"screenshot-{tab}.png"))
                print("saved", args.out / f"screenshot-{tab}.png")
            browser.close()
    finally:
        app.close()


if __name__ == "__main__":
    main()
