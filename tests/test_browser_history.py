"""Real browser: each generation lands in the tab's history, which can be shown and restored."""

import pytest
from conftest import browser_page, launch_studio, needs_chromium

pytestmark = needs_chromium


@pytest.fixture
def page(chat_engine):
    app, url = launch_studio(chat_engine)
    with browser_page(url, height=1400) as page:
        page.wait_for_selector("#story-manuscript textarea")
        yield page
    app.close()


def continue_story(page, count):
    page.locator("#story-generate").click()
    page.wait_for_function(
        "n => document.querySelector('#story-history-note')?.innerText.startsWith(n + ' ')",
        arg=str(count), timeout=60_000)  # fmt: skip
    return page.locator("#story-manuscript textarea").input_value()


def test_generations_are_kept_shown_and_restored(page):
    page.locator("#story-manuscript textarea").fill("The lamp had burned all night.")
    page.get_by_text("History of each tab").click()
    first = continue_story(page, 1)
    second = continue_story(page, 2)
    assert second.startswith(first) and second != first
    page.wait_for_function(  # newest first: the table shows entries 2 and 1
        "() => [...document.querySelectorAll('#story-history-table tbody tr')]"
        ".map(r => r.cells[0].innerText.trim()).join(',') === '2,1'",
        timeout=10_000,
    )
    page.get_by_role("button", name="Restore into the tab").first.click()  # entry 1: the first
    page.wait_for_function(
        "t => document.querySelector('#story-manuscript textarea').value === t",
        arg=first, timeout=10_000)  # fmt: skip


def test_new_draft_clears_everything_and_can_be_undone(page):
    box = page.locator("#story-manuscript textarea")
    box.fill("A draft worth keeping.")
    page.locator("#new-draft").click()
    page.wait_for_function(
        "() => document.querySelector('#story-manuscript textarea').value === ''", timeout=10_000
    )
    page.locator("#undo-new-draft").click()
    page.wait_for_function(
        "() => document.querySelector('#story-manuscript textarea').value === "
        "'A draft worth keeping.'", timeout=10_000)  # fmt: skip


def test_export_from_the_page_gives_a_file(page):
    page.wait_for_selector("#model-status >> text=✅", timeout=30_000)  # the page's load events ran
    page.locator("#story-manuscript textarea").fill("灯塔亮了一整夜。 The lamp burned all night.")
    page.get_by_text("Your work: projects and export").click()
    title = page.locator("#project-title textarea, #project-title input").first
    title.wait_for(timeout=10_000)
    # On a busy machine the just-opened panel may still be mounting and reset a value typed
    # at once (no person types that fast): type again until the value has stayed a moment.
    for _ in range(5):
        title.fill("Lighthouse")
        title.press("Tab")  # the value is sent on blur at the latest
        page.wait_for_timeout(1000)
        if title.input_value() == "Lighthouse":
            break
    assert title.input_value() == "Lighthouse"
    page.locator("#export").click()
    page.locator("#work-file a[href*='Lighthouse.md']").first.wait_for(timeout=20_000)
