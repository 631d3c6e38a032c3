"""One real browser: headless Debian Chromium driven by Playwright against the real app."""

import threading
import time

import pytest
from conftest import browser_page, launch_studio, needs_chromium, slowed

pytestmark = needs_chromium


@pytest.fixture
def slow_studio(chat_engine):
    """The studio with the tiny model slowed to ~25 tokens/s and never ending on its own."""
    with slowed(chat_engine):
        app, url = launch_studio(chat_engine)
        yield url
        app.close()


@pytest.fixture
def page(slow_studio):
    with browser_page(slow_studio) as page:
        yield page


OUTPUT = {"story": "#story-manuscript", "translate": "#translate-output"}


def output_length(page, key):
    return len(page.locator(f"{OUTPUT[key]} textarea").input_value())


def generate_and_stop(page, key):
    page.locator(f"#{key}-generate").click()
    # Text streams in: the output grows over several reads while the model writes.
    page.wait_for_function(
        "box => document.querySelector(`${box} textarea`).value.length > 0",
        arg=OUTPUT[key],
        timeout=30_000,
    )
    first = output_length(page, key)
    page.wait_for_function(  # and keeps growing while the model writes
        "([box, n]) => document.querySelector(`${box} textarea`).value.length > n",
        arg=[OUTPUT[key], first],
        timeout=20_000,
    )
    page.locator(f"#{key}-stop").click()
    page.wait_for_function(
        "key => document.querySelector(`#${key}-info`).innerText.startsWith('Stopped')",
        arg=key,
        timeout=15_000,
    )
    stopped = output_length(page, key)
    time.sleep(1.0)
    assert output_length(page, key) == stopped  # nothing more arrives after Stop


def test_story_and_translation_stream_and_stop(page, tmp_path):
    page.wait_for_selector("text=Creative Writing Studio")
    story = page.locator("#tab-story")
    story.get_by_label("Premise").fill("A lighthouse keeper finds a letter from the future.")
    generate_and_stop(page, "story")
    page.screenshot(path=str(tmp_path / "story.png"))

    page.get_by_role("tab", name="Translation").click()
    translation = page.locator("#tab-translation")
    translation.get_by_label("Text to translate").fill("The rain had stopped.\n\n雨停了。")
    # Sample rather than decode greedily: the tiny random model's greedy text has no spaces,
    # and streamers release text at word boundaries.
    translation.get_by_text("Sampling settings").click()
    translation.get_by_label("Greedy (deterministic)").uncheck()
    generate_and_stop(page, "translate")


def test_closing_the_page_stops_that_visitors_generation(page):
    page.wait_for_selector("text=Creative Writing Studio")
    page.locator("#tab-story").get_by_label("Premise").fill("A very long walk.")
    page.locator("#story-generate").click()
    page.wait_for_function(
        "() => document.querySelector('#story-manuscript textarea').value.length > 0",
        timeout=30_000)  # fmt: skip
    assert generate_threads()
    page.close()
    deadline = time.time() + 30
    while generate_threads() and time.time() < deadline:
        time.sleep(0.2)
    assert not generate_threads()  # ended long before its 600 tokens (24 s at this speed)


def generate_threads():
    return [t for t in threading.enumerate() if t.name == "studio-generate" and t.is_alive()]
