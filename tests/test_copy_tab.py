"""The Copywriting tab: prompts, channel limits, live counts, variants and fixing the over-long."""

import os
import re
import shutil
import time

import pytest
from conftest import slowed
from gradio_client import Client

from studio.analysis.copy import CHANNEL_LIMITS, grapheme_count, x_length
from studio.tasks import TaskInputError
from studio.tasks.copywriting import (
    FORMATS,
    FRAMEWORKS,
    TIGHTER,
    build_copy_prompt,
    check_copy,
    copy_limits,
    is_over,
    split_copy,
    split_words,
)
from studio.tasks.languages import LANGUAGES, language
from studio.ui.copywriting_events import count_line, fresh_seed

BRIEF = "A folding coffee cup that fits in a pocket"

# --- the prompt -----------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(FRAMEWORKS))
def test_each_framework_is_explained_and_only_that_one(key):
    user = build_copy_prompt(BRIEF, "social_linkedin", framework=key.upper()).user
    for other, framework in FRAMEWORKS.items():
        if framework.instruction:
            assert (framework.instruction in user) == (other == key)
    assert ("Follow " in user) == (key != "none")


USE, AVOID = "Use these words or phrases: ", "Never use these words or phrases: "


@pytest.mark.parametrize(
    ("use", "avoid", "use_line", "avoid_line"),
    [
        ("pocket, fold flat\nlight", "", "pocket, fold flat, light.", None),
        ("", "cheap; plastic", None, "cheap, plastic."),
        ("口袋，折叠", "便宜、塑料", "口袋, 折叠.", "便宜, 塑料."),
        (" , ;\n", "", None, None),
    ],
)
def test_words_to_use_and_avoid(use, avoid, use_line, avoid_line):
    user = build_copy_prompt(BRIEF, "tagline", use_words=use, avoid_words=avoid).user
    for prefix, line in ((USE, use_line), (AVOID, avoid_line)):
        assert (prefix + line in user) if line else (prefix not in user)


@pytest.mark.parametrize(
    ("format_key", "code", "expected"),
    [
        ("social_post", "en", ["within 280 characters as X counts them", "link as 23"]),
        ("social_post", "zh", ["within 280", "each Simplified Chinese character as two", "140"]),
        ("social_instagram", "en", ["Instagram", "within 2200 characters"]),
        ("social_linkedin", "fr", ["LinkedIn", "French", "within 3000 characters"]),
        ("ad", "en", ["headline within 30", "description within 90", '"Headline: …" then']),
        ("ad", "ja", ["Japanese", "headline within 30 characters", "at most 15", "at most 45"]),
        ("email", "de", ["German", "subject within 60 characters", '"Subject: …"']),
        ("tagline", "zh-Hant", ["within 50 characters", "counts as one"]),
        ("product_description", "en", ["two short paragraphs"]),
    ],
)
def test_channel_limits_are_asked_for_as_the_channel_counts(format_key, code, expected):
    user = build_copy_prompt(BRIEF, format_key, language_code=code).user
    for text in expected:
        assert text in user
    assert ("within" in user) == any(limit for _, _, limit in copy_limits(format_key))


@pytest.mark.parametrize("code", [lang.code for lang in LANGUAGES])
@pytest.mark.parametrize("format_key", list(FORMATS))
def test_every_format_in_every_language_names_each_limit(format_key, code):
    prompt = build_copy_prompt(BRIEF, format_key, "commuters", "bold", "folds flat", code)
    assert language(code).name in prompt.user and BRIEF in prompt.plain
    for _, _, limit in copy_limits(format_key):
        assert (f"within {limit} characters" in prompt.user) == bool(limit)
    assert "within 0" not in prompt.user


@pytest.mark.parametrize(
    ("format_key", "ending"),
    [("ad", "Headline:"), ("email", "Subject:"), ("tagline", "Tagline:\n")],
)
def test_base_model_prompt_starts_the_first_part(format_key, ending):
    assert build_copy_prompt(BRIEF, format_key).plain.endswith(ending)


def test_tighter_asks_for_a_shorter_draft():
    assert TIGHTER in build_copy_prompt(BRIEF, "tagline", tighter=True).user
    assert TIGHTER not in build_copy_prompt(BRIEF, "tagline").user


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"format_key": "billboard"}, "copy format"),
        ({"framework": "STAR"}, "framework"),
        ({"language_code": "xx"}, "language"),
        ({"brief": " "}, "brief"),
    ],
)
def test_bad_inputs_say_what_to_fix(kwargs, message):
    with pytest.raises(TaskInputError, match=message):
        build_copy_prompt(**{"brief": BRIEF, **kwargs})


# --- limits and counting --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("format_key", "limits"),
    [
        ("headline", [("Headline", "generic", 70)]),
        ("tagline", [("Tagline", "generic", 50)]),
        ("product_description", [("Description", "generic", 0)]),
        ("social_post", [("Post", "x", 280)]),
        ("social_instagram", [("Caption", "instagram", 2200)]),
        ("social_linkedin", [("Post", "linkedin", 3000)]),
        ("ad", [("Headline", "search_headline", 30), ("Description", "search_description", 90)]),
        ("email", [("Subject", "generic", 60), ("Body", "generic", 0)]),
    ],
)
def test_copy_limits(format_key, limits):
    assert copy_limits(format_key) == limits
    for _, channel, limit in limits:
        assert CHANNEL_LIMITS.get(channel, limit) == limit  # one source for channel limits


@pytest.mark.parametrize(
    ("text", "length", "over"),
    [
        ("a" * 280, 280, False),
        ("a" * 281, 281, True),
        ("雨" * 140, 280, False),  # X weighs CJK as two
        ("雨" * 141, 282, True),
        ("👍🏽" * 140, 280, False),  # an emoji with its skin tone weighs two in all
        ("a" * 278 + "👨‍👩‍👧", 280, False),  # a ZWJ family is one emoji
        ("a" * 279 + "🇨🇳", 281, True),
        ("Fold it: https://example.com/" + "x" * 200, 32, False),  # a link weighs 23
    ],
)
def test_x_posts_are_weighted_as_x_counts(text, length, over):
    assert check_copy(text, "social_post") == [("Post", length, 280, over)]
    assert x_length(text) == length


def test_the_same_cjk_text_fits_instagram_but_not_x():
    text = "我们的新咖啡杯可以折叠" * 13  # 143 characters
    assert check_copy(text, "social_instagram") == [("Caption", 143, 2200, False)]
    assert check_copy(text, "social_post")[0].over


@pytest.mark.parametrize(
    ("text", "headline", "description"),
    [
        (
            "Headline: Fold it. Pocket it.\nDescription: A cup that folds flat.",
            "Fold it. Pocket it.",
            "A cup that folds flat.",
        ),
        (
            "Here is your ad:\n**Headline:** Fold it\n**Description**: Flat.\nAnd light.",
            "Fold it",
            "Flat.\nAnd light.",
        ),
        ("description: Flat and light.\nheadline：Fold it", "Fold it", "Flat and light."),
        (
            "Fold it\nA cup that folds flat.\nAnd light.",
            "Fold it",
            "A cup that folds flat.\nAnd light.",
        ),
        ("Fold it\nDescription: Flat.", "Fold it", "Flat."),
        ("标题：口袋里的杯子\n描述：折叠收纳。", "口袋里的杯子", "折叠收纳。"),
    ],
)
def test_search_ads_split_into_headline_and_description(text, headline, description):
    assert split_copy(text, "ad") == [("Headline", headline), ("Description", description)]


@pytest.mark.parametrize(
    ("headline", "description", "over"),
    [
        ("h" * 30, "d" * 90, (False, False)),
        ("h" * 31, "d" * 90, (True, False)),
        ("h" * 27, "d" * 95, (False, True)),
        ("口袋咖啡杯" * 3, "d", (False, False)),  # 15 wide characters: width 30
        ("口袋咖啡杯" * 3 + "!", "d", (True, False)),
    ],
)
def test_each_search_ad_part_has_its_own_limit(headline, description, over):
    checks = check_copy(f"Headline: {headline}\nDescription: {description}", "ad")
    assert [(c.part, c.limit, c.over) for c in checks] == [
        ("Headline", 30, over[0]),
        ("Description", 90, over[1]),
    ]
    assert is_over(f"Headline: {headline}\nDescription: {description}", "ad") == any(over)


@pytest.mark.parametrize(
    ("text", "subject", "over"),
    [
        ("Subject: Your cup, folded\n\nDear reader,\n" + "Long body. " * 100, 16, False),
        ("Subject: " + "s" * 61 + "\n\nShort body.", 61, True),
        ("Your cup, folded\n\nDear reader,\nBody.", 16, False),  # no label: the first line
    ],
)
def test_email_subject_line_is_checked_and_the_body_is_not(text, subject, over):
    (name, length, limit, is_long), body = check_copy(text, "email")
    assert (name, length, limit, is_long) == ("Subject", subject, 60, over)
    assert body.part == "Body" and body.limit == 0 and not body.over and body.length > 0


def test_split_words():
    words = split_words(" pocket,fold flat ;\n\n light，折叠、杯 ")
    assert words == ["pocket", "fold flat", "light", "折叠", "杯"]


@pytest.mark.parametrize(
    ("text", "format_key", "line"),
    [
        ("a" * 212, "social_post", "212 / 280"),
        ("雨" * 141, "social_post", "282 / 280 ⚠"),
        (
            "Headline: " + "h" * 27 + "\nDescription: " + "d" * 95,
            "ad",
            "Headline 27/30 · Description 95/90 ⚠",
        ),
        ("Subject: Hi\n\nBody text", "email", "Subject 2/60 · Body 9"),
        ("Two short paragraphs.", "product_description", "21 characters"),
        ("  \n", "tagline", ""),
        ("anything", "billboard", ""),
    ],
)
def test_count_line(text, format_key, line):
    assert count_line(text, format_key) == line


def test_fresh_seeds_never_repeat_a_shown_seed():
    assert fresh_seed(["seed 5", "seed 9", "", "seed 7"], 3) == 10
    assert fresh_seed(["", ""], 3) == 3 and fresh_seed([], -1) == -1


# --- end to end through the API ---------------------------------------------------------------

CALL = {"brief": BRIEF, "format_key": "tagline", "max_new_tokens": 12}


@pytest.fixture
def client(studio_url):
    return Client(studio_url, verbose=False)


def split_grid(outputs):
    """(texts, seed labels, counts, info) from a variants or fix endpoint's 13 outputs."""
    return list(outputs[0:4]), list(outputs[4:8]), list(outputs[8:12]), outputs[12]


def expected_tagline_count(text):
    length = grapheme_count(text.strip())
    return f"{length} / 50" + (" ⚠" if length > 50 else "")


def test_variants_side_by_side_each_with_seed_and_count(client):
    job = client.submit(**CALL, seed=21, count=3, api_name="/copywriting_variants")
    updates = list(job)
    assert any(update[12] == "Writing variant 3 of 3…" for update in updates)  # it streams
    texts, seeds, counts, info = split_grid(updates[-1])
    assert [bool(t.strip()) for t in texts] == [True, True, True, False]
    assert seeds == ["seed 21", "seed 22", "seed 23", ""]
    assert counts == [*[expected_tagline_count(t) for t in texts[:3]], ""]
    assert info.startswith("Done · 3 variants")
    over = sum("⚠" in c for c in counts)
    assert info.endswith(f"⚠ {over} over the limit" if over else "all within the limit")
    one, one_info = client.predict(**CALL, seed=22, api_name="/copywriting")
    assert one == texts[1]  # variant 2 is seed 22's text
    assert one_info.startswith("Done · seed 22") and one_info.endswith(counts[1])


def test_one_variant_and_a_search_ad_counts_both_parts(client):
    texts, seeds, counts, info = split_grid(
        client.predict(
            **{**CALL, "format_key": "ad"}, seed=3, count=1, api_name="/copywriting_variants"
        )
    )
    assert texts[0] and texts[1:] == ["", "", ""] and seeds == ["seed 3", "", "", ""]
    assert counts[0].startswith("Headline ") and " · Description " in counts[0]
    assert counts[1:] == ["", "", ""] and info.startswith("Done")


FITS, LONG = "Fold it. Pocket it. Love it.", "A cup that folds flat, fits any pocket, and " * 2


def test_fix_rewrites_only_the_variants_over_the_limit(client):
    variants = {
        "variant_1": FITS,
        "variant_2": LONG,
        "variant_3": "Coffee, folded.",
        "variant_4": LONG,
    }  # the 4th is hidden (count 3), so it is left alone
    seeds = {f"variant_seed_{i}": f"seed {i + 4}" for i in range(1, 5)}
    outputs = client.predict(
        **CALL, seed=1, count=3, **variants, **seeds, api_name="/copywriting_fix"
    )
    texts, labels, counts, info = split_grid(outputs)
    assert texts[0] == FITS and texts[2] == "Coffee, folded." and texts[3] == LONG
    assert texts[1].strip() and texts[1] != LONG
    assert labels == ["seed 5", "seed 9", "seed 7", "seed 8"]  # past every seed shown
    assert counts[:3] == [expected_tagline_count(t) for t in texts[:3]]
    assert counts[3] == expected_tagline_count(LONG) and counts[3].endswith("⚠")
    assert info.startswith("Done · rewrote variant 2")


def test_fix_after_generating_keeps_the_writers_edit(client):
    generated = client.predict(
        **{**CALL, "max_new_tokens": 60}, seed=30, count=3, api_name="/copywriting_variants"
    )
    texts, seeds, _, _ = split_grid(generated)
    assert all(is_over(t, "tagline") for t in texts[:3])  # 60 tokens run past 50 characters
    edited = [FITS, texts[1], texts[2], ""]  # the writer shortened the first one by hand
    fixed = client.predict(
        **CALL,
        seed=30,
        count=3,
        api_name="/copywriting_fix",
        **{f"variant_{i + 1}": t for i, t in enumerate(edited)},
        **{f"variant_seed_{i + 1}": s for i, s in enumerate(seeds)},
    )
    new_texts, new_seeds, _, info = split_grid(fixed)
    assert new_texts[0] == FITS and new_seeds[0] == "seed 30"
    assert new_texts[1] != texts[1] and new_texts[2] != texts[2] and new_texts[3] == ""
    assert new_seeds[1:] == ["seed 33", "seed 34", ""]
    assert info.startswith("Done · rewrote variants 2 and 3")


def test_fix_with_nothing_over_changes_nothing(client):
    outputs = client.predict(
        **CALL, count=2, variant_1=FITS, variant_seed_1="seed 1", api_name="/copywriting_fix"
    )
    texts, labels, counts, info = split_grid(outputs)
    assert texts == [FITS, "", "", ""] and labels == ["seed 1", "", "", ""]
    assert counts[0] == "28 / 50" and info.startswith("No variant is over the limit")


def test_stop_ends_a_fix_and_keeps_the_originals_not_yet_rewritten(client, chat_engine):
    with slowed(chat_engine, delay=0.04):
        job = client.submit(
            **{**CALL, "max_new_tokens": 300},
            count=2,
            variant_1=LONG,
            variant_2=LONG + "!",
            variant_seed_1="seed 1",
            variant_seed_2="seed 2",
            api_name="/copywriting_fix",
        )
        time.sleep(1.5)
        started = time.time()
        client.predict("", api_name="/stop_copywriting")
        while not job.done() and time.time() - started < 10:
            time.sleep(0.05)
        assert job.done() and time.time() - started < 10  # 2 x 300 tokens would take 24 s
    texts, labels, _, info = split_grid(job.outputs()[-1])
    assert info.startswith("Stopped")
    assert texts[0] != LONG and labels[0] == "seed 3"  # rewriting had begun
    assert texts[1] == LONG + "!" and labels[1] == "seed 2"  # never reached: kept


# --- the live count in a real browser -------------------------------------------------------

CHROMIUM = os.environ.get("STUDIO_CHROMIUM", "/usr/bin/chromium")
NO_CHROMIUM = "Debian chromium is not installed (apt-get install -y chromium)"


@pytest.mark.skipif(shutil.which(CHROMIUM) is None and not os.environ.get("CI"), reason=NO_CHROMIUM)
def test_the_count_follows_the_writers_edits_and_flags_over_limit(studio_url):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(studio_url)
        page.get_by_role("tab", name="Copywriting").click()
        box = page.locator("#copywriting-output textarea")
        count = page.locator("#copywriting-count-0")
        box.fill("x" * 75)  # the headline format: 70 characters
        expect(count).to_contain_text("75 / 70 ⚠")
        expect(count).to_have_class(re.compile(r"\bcopy-over-limit\b"))
        box.fill("Fold it. Pocket it.")
        expect(count).to_contain_text("19 / 70")
        expect(count).not_to_have_class(re.compile(r"\bcopy-over-limit\b"))
        expect(page.locator("#copywriting-variant-3")).to_be_hidden()  # 3 variants by default
        browser.close()
