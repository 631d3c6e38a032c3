"""Real browser: the Lyrics tab's analysis highlights the line that breaks the rhyme scheme."""

import pytest
from conftest import browser_page, launch_studio, needs_chromium

pytestmark = needs_chromium

# Line 5 ("tune") should rhyme with line 4 ("long") in AABB; lines 2 and 3 rhyme.
LYRIC = """[Verse 1]
The cat sat on the mat
I wore a funny hat
The night is dark and long
We sing a happy tune"""


@pytest.fixture(scope="module")
def lyrics_studio(chat_engine):
    app, url = launch_studio(chat_engine)
    yield url
    app.close()


@pytest.fixture
def page(lyrics_studio):
    with browser_page(lyrics_studio, height=1200) as page:
        yield page


def test_analyse_highlights_the_line_that_breaks_aabb(page, tmp_path):
    page.wait_for_selector("text=Creative Writing Studio")
    page.get_by_role("tab", name="Lyrics").click()
    page.locator("#lyrics-output textarea").fill(LYRIC)  # typed or pasted: the box is editable
    page.locator("#lyrics-analyse").click()

    flagged = page.locator("#lyrics-analysis .highlighted")
    flagged.first.wait_for(timeout=30_000)
    assert flagged.count() == 1
    assert flagged.locator(".text").inner_text() == "We sing a happy tune"
    assert flagged.locator(".label").inner_text().lower() == "should rhyme with line 4 (aabb)."
    plain = page.locator("#lyrics-analysis .text:not(.highlighted .text)").all_inner_texts()
    assert "The cat sat on the mat" in plain and "I wore a funny hat" in plain
    summary = page.locator("#lyrics-summary").inner_text()
    assert "Flagged lines: 1" in summary and "line 5: Should rhyme with line 4" in summary
    page.screenshot(path=str(tmp_path / "lyrics-analysis.png"), full_page=True)

    # Rewrite flagged lines: only line 5 is rewritten in place, then the lyric is re-analysed.
    page.locator("#lyrics-fix").click()
    page.wait_for_function(
        "() => document.querySelector('#lyrics-info').innerText.includes('rewrote 1 of 1')",
        timeout=30_000,
    )
    lines = page.locator("#lyrics-output textarea").input_value().splitlines()
    assert len(lines) == 5 and lines[:4] == LYRIC.splitlines()[:4]
