"""The Lyrics tab: syllable targets, line-fix prompts, and the analyse/rhymes/fix endpoints."""

import time

import pytest
from conftest import launch_studio
from gradio_client import Client

from studio.tasks.lyrics import (
    build_line_fix_prompt,
    build_lyrics_prompt,
    first_line,
    replace_line,
)
from studio.tasks.prompt import TaskInputError

# Line 5 breaks AABB: "tune" does not rhyme with "long". Syllables by the CMU dictionary.
ENGLISH = """[Verse 1]
The cat sat on the mat
I wore a funny hat
The night is dark and long
We sing a happy tune

[Chorus]
Twinkle, twinkle, little star
How I wonder what you are"""
# Line 5 breaks AABB: 你 (i) does not rhyme with 河 (e). Punctuation is not counted.
CHINESE = """[主歌]
月亮挂在天上，
照亮了我的家乡。
风吹过了小河，
我在窗前等你。"""


# -- prompts ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "target", "in_user", "in_plain"),
    [
        ("en", 8, "Keep every line to about 8 syllables.", "About 8 syllables per line\n"),
        ("zh", 7, "Keep every line to about 7 characters.", "每行约7字\n"),
        ("ja", 5, "Keep every line to about 5 characters.", "每行约5字\n"),
        ("fr", 10, "Keep every line to about 10 syllables.", "About 10 syllables per line\n"),
    ],
)
def test_lyrics_prompt_asks_for_a_syllable_target(lang, target, in_user, in_plain):
    prompt = build_lyrics_prompt("the river", "folk", "verse-chorus", "ABAB", lang, target)
    assert in_user in prompt.user and in_plain in prompt.plain
    assert "rhymes ABAB" in prompt.user and "[Verse 1] [Chorus]" in prompt.user
    assert prompt.plain.endswith("\n[Verse 1]\n")


def test_no_target_is_the_old_prompt():
    old_style = build_lyrics_prompt("the river", "folk", "verse-chorus", "AABB", "en")
    assert old_style == build_lyrics_prompt("the river", "folk", "verse-chorus", "AABB", "en", 0)
    assert "syllables" not in old_style.user and "syllables" not in old_style.plain


@pytest.mark.parametrize("target", [-1, 25, 7.5])
def test_bad_syllable_targets(target):
    with pytest.raises(TaskInputError, match="Syllables per line"):
        build_lyrics_prompt("the river", syllables_per_line=target)


@pytest.mark.parametrize(
    ("lyrics", "index", "kwargs", "in_user", "plain"),
    [
        (
            ENGLISH,
            4,
            {"rhyme_scheme": "AABB", "syllables_per_line": 6, "rhyme_word": "long"},
            [
                "5: We sing a happy tune\n6:\n7: [Chorus]",
                "Rewrite line 5: We sing a happy tune\n",
                "Why it was flagged: Should rhyme with line 4.",
                "rhymes AABB",
                'rhymes with "long".',
                "about 6 syllables",
            ],
            "Song lyrics (rhyme scheme AABB, about 6 syllables per line)\n\n[Verse 1]\n"
            "The cat sat on the mat\nI wore a funny hat\nThe night is dark and long\n",
        ),
        (
            CHINESE,
            4,
            {
                "language_code": "zh",
                "syllables_per_line": 6,
                "rhyme_word": "河",
                "rhymes": ["歌", "和", "合"],
            },
            [
                "Rewrite line 5: 我在窗前等你。",
                "such as: 歌, 和, 合.",
                "about 6 characters",
                "(Simplified Chinese)",
            ],
            "歌词（押韵：AABB，每行约6字）\n\n[主歌]\n月亮挂在天上，\n照亮了我的家乡。\n"
            "风吹过了小河，\n",
        ),
        (
            "First line\nSecond line",
            0,
            {"rhyme_scheme": "free"},
            ["Rewrite line 1: First line"],
            "Song lyrics\n\n",
        ),
    ],
)
def test_line_fix_prompts(lyrics, index, kwargs, in_user, plain):
    prompt = build_line_fix_prompt(lyrics, index, "Should rhyme with line 4.", **kwargs)
    for part in in_user:
        assert part in prompt.user
    assert prompt.user.endswith("Output only the new line.")
    assert prompt.plain == plain
    assert "only the new line" in prompt.system


def test_line_fix_prompt_without_rhyme_or_target_asks_for_neither():
    prompt = build_line_fix_prompt("A\nB", 1, "", rhyme_scheme="free")
    assert "rhyme" not in prompt.user.lower() and "syllables" not in prompt.user


@pytest.mark.parametrize(
    ("lyrics", "index", "message"),
    [
        (ENGLISH, 0, "Line 1 is not a sung line"),  # a section tag
        (ENGLISH, 5, "Line 6 is not a sung line"),  # a blank line
        (ENGLISH, 40, "Line 41 is not a sung line"),
        (ENGLISH, -1, "Line 0 is not a sung line"),
        ("  \n ", 0, "lyrics"),
    ],
)
def test_line_fix_prompt_refuses_lines_that_are_not_sung(lyrics, index, message):
    with pytest.raises(TaskInputError, match=message):
        build_line_fix_prompt(lyrics, index, "reason")


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("We sing a happy song\nand more", ("We sing a happy song", True)),
        ("We sing a hap", ("We sing a hap", False)),
        ('Sure, here it is:\n\n"5: We sing a song"\n', ("We sing a song", True)),
        ("[Verse 1]\nLine 5: Oh my", ("Oh my", False)),
        ("“月光洒在我的家”\n", ("月光洒在我的家", True)),
        ("\n\n  ", ("", False)),
        ("", ("", False)),
    ],
)
def test_first_line_of_a_models_answer(output, expected):
    assert first_line(output) == expected


@pytest.mark.parametrize(
    ("lyrics", "index", "new", "expected"),
    [
        ("a\nb\nc", 1, "B", "a\nB\nc"),
        ("a\n  b\nc\n", 1, " B  b ", "a\n  B b\nc\n"),  # indent kept, spaces tidied
        ("a\nb", 1, "x\ny", "a\nx y"),  # never adds a line
    ],
)
def test_replace_line(lyrics, index, new, expected):
    assert replace_line(lyrics, index, new) == expected


# -- the endpoints, on a real server -----------------------------------------------------------
class RecordingEngine:
    """The real tiny-model engine, remembering each prompt it was asked to write from."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.prompts = []

    def status(self):
        return self.engine.status()

    def start_loading(self) -> None:
        self.engine.start_loading()

    def stream(self, request, stop):
        self.prompts.append(request.prompt)
        yield from self.engine.stream(request, stop)


@pytest.fixture(scope="module")
def recorder(chat_engine):
    return RecordingEngine(chat_engine)


@pytest.fixture(scope="module")
def lyrics_url(recorder):
    app, url = launch_studio(recorder)
    yield url
    app.close()


@pytest.fixture
def client(lyrics_url, recorder):
    recorder.prompts.clear()
    return Client(lyrics_url, verbose=False)


def analyse(client, lyrics, lang="en", scheme="AABB", target=0):
    marked, table, summary = client.predict(
        lyrics=lyrics, rhyme_scheme=scheme, syllables_per_line=target, language_code=lang,
        api_name="/lyrics_analyse")  # fmt: skip
    rows = {row[0]: dict(zip(table["headers"], row, strict=True)) for row in table["data"]}
    flagged = {t["token"]: t["class_or_confidence"] for t in marked if t["class_or_confidence"]}
    return rows, flagged, summary


@pytest.mark.parametrize(
    ("lang", "target", "asked"),
    [("en", 8, "about 8 syllables"), ("zh", 7, "about 7 characters"), ("en", 0, None)],
)
def test_generate_sends_the_syllable_target_to_the_model(client, recorder, lang, target, asked):
    text, info = client.predict(theme="the river", syllables_per_line=target, language_code=lang,
                                max_new_tokens=8, seed=3, api_name="/lyrics")  # fmt: skip
    assert text and info.startswith("Done · seed 3")
    (prompt,) = recorder.prompts
    if asked:
        assert f"Keep every line to {asked}." in prompt.user
    else:
        assert "Keep every line" not in prompt.user


def test_analyse_english(client):
    rows, flagged, summary = analyse(client, ENGLISH)
    assert [(n, r["Syllables"], r["Rhyme"]) for n, r in rows.items()] == [
        (2, 6, "A"), (3, 6, "A"), (4, 6, "B"), (5, 6, "C"), (8, 7, "A"), (9, 7, "A")]  # fmt: skip
    assert rows[8]["Section"] == "Chorus" and rows[2]["Lyric"] == "The cat sat on the mat"
    assert [n for n, r in rows.items() if r["Issue"]] == [5]
    assert "line 4" in rows[5]["Issue"]
    assert flagged == {"We sing a happy tune": rows[5]["Issue"]}
    assert "Flagged lines: 1" in summary and "- line 5:" in summary


def test_analyse_english_with_a_syllable_target_flags_long_and_short_lines(client):
    rows, flagged, summary = analyse(client, ENGLISH, target=3)  # 6 and 7: over 2 off
    assert [n for n, r in rows.items() if "syllables" in r["Issue"]] == [2, 3, 4, 5, 8, 9]
    assert "6 syllables; the target is 3" in rows[2]["Issue"]
    assert "Should rhyme" in flagged["We sing a happy tune"]
    assert "target 3 ± 2 syllables" in summary
    rows, flagged, summary = analyse(client, ENGLISH, scheme="free", target=6)
    assert not flagged and "No line is flagged" in summary


def test_analyse_chinese_counts_characters_and_rhymes_on_finals(client):
    rows, flagged, summary = analyse(client, CHINESE, lang="zh", target=6)
    assert [(n, r["Syllables"], r["Rhyme"]) for n, r in rows.items()] == [
        (2, 6, "A"), (3, 7, "A"), (4, 6, "B"), (5, 6, "C")]  # fmt: skip
    assert list(flagged) == ["我在窗前等你。"] and "line 4" in flagged["我在窗前等你。"]
    assert "6–7 characters per line" in summary


def test_analyse_empty_lyrics(client):
    rows, flagged, summary = analyse(client, "  \n")
    assert not rows and not flagged and "Analyse" in summary


def rhymes(client, word, lang):
    table, note = client.predict(word=word, language_code=lang, api_name="/lyrics_rhymes")
    return {row[0]: row[1].split(", ") for row in table["data"]}, note


def test_rhymes_for_cat_grouped_by_syllables(client):
    groups, note = rhymes(client, "cat", "en")
    assert {"hat", "bat", "flat"} <= set(groups[1]) and "cat" not in groups[1]
    assert "begat" in groups[2]
    assert "rhymes for “cat” (English)" in note


@pytest.mark.parametrize("lang", ["zh", "en"])  # a Chinese word is looked up as Chinese
def test_rhymes_for_hua(client, lang):
    groups, note = rhymes(client, "花", lang)
    assert {"家", "他", "话"} <= set(groups[1]) and "回家" in groups[2]
    assert all(len(word) == 2 for word in groups[2])
    assert "(Simplified Chinese)" in note


@pytest.mark.parametrize(
    ("word", "lang", "note"),
    [
        ("", "en", "Type a word"),
        ("chat", "fr", "No rhyme dictionary for French"),
        ("zzzqx", "en", "No rhymes found"),
    ],
)
def test_rhymes_without_results_say_why(client, word, lang, note):
    groups, message = rhymes(client, word, lang)
    assert not groups and note in message


def fix(client, lyrics, **kwargs):
    call = {"rhyme_scheme": "AABB", "syllables_per_line": 0, "language_code": "en",
            "greedy": False, "seed": 5, "max_new_tokens": 40, **kwargs}  # fmt: skip
    return client.predict(lyrics=lyrics, **call, api_name="/lyrics_fix")


def test_fix_rewrites_only_the_flagged_line(client, recorder):
    text, info, _, table, _ = fix(client, ENGLISH)
    old, new = ENGLISH.splitlines(), text.splitlines()
    assert len(new) == len(old)
    assert [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b] == [4]
    assert new[4].strip() and "\n" not in new[4]
    assert info.startswith("Done · rewrote 1 of 1 flagged lines")
    (prompt,) = recorder.prompts  # one line, one request
    assert "Rewrite line 5: We sing a happy tune" in prompt.user
    assert 'rhymes with "long"' in prompt.user
    assert [row[2] for row in table["data"]][3] == new[4]  # the table shows the new lyric


def test_fix_each_flagged_line_in_turn_on_the_lyric_so_far(client, recorder):
    text, info, *_ = fix(client, ENGLISH, syllables_per_line=3)  # every sung line is too long
    old, new = ENGLISH.splitlines(), text.splitlines()
    assert len(new) == len(old) and [new[i] for i in (0, 5, 6)] == [old[i] for i in (0, 5, 6)]
    asked = [p.user.split("Rewrite line ")[1].split(":")[0] for p in recorder.prompts]
    assert asked == ["2", "3", "4", "5", "8", "9"]
    assert f"2: {new[1]}\n3: {old[2]}" in recorder.prompts[1].user  # line 2 already rewritten
    assert "rewrote 6 of 6 flagged lines" in info


def test_fix_a_chinese_line_rhymes_on_its_partners_last_character(client, recorder):
    text, *_ = fix(client, CHINESE, language_code="zh")
    old, new = CHINESE.splitlines(), text.splitlines()
    assert new[:4] == old[:4] and new[4] != old[4] and len(new) == len(old)
    (prompt,) = recorder.prompts
    assert 'rhymes with "河", such as: ' in prompt.user and "(Simplified Chinese)" in prompt.user


def test_fix_with_nothing_flagged_leaves_the_lyric_alone(client, recorder):
    text, info, *_ = fix(client, ENGLISH, rhyme_scheme="free")
    assert text == ENGLISH and info.startswith("Nothing to rewrite")
    assert not recorder.prompts


def test_stop_ends_a_fix(client, chat_engine):
    model = chat_engine.load().model
    original = model.forward

    def slow_forward(*args, **kwargs):
        time.sleep(0.1)
        return original(*args, **kwargs)

    model.forward = slow_forward
    try:
        job = client.submit(lyrics=CHINESE, rhyme_scheme="AABB", syllables_per_line=3,
                            language_code="zh", greedy=True, repetition_penalty=1.0,
                            api_name="/lyrics_fix")  # fmt: skip
        time.sleep(1.5)
        started = time.time()
        client.predict("", api_name="/stop_lyrics")
        while not job.done() and time.time() - started < 10:
            time.sleep(0.05)
        assert job.done() and time.time() - started < 5  # 4 lines would take over 20 s
    finally:
        del model.forward
    text, info, *_ = job.outputs()[-1]
    assert info.startswith("Stopped · rewrote ") and "rewrote 4" not in info
    assert len(text.splitlines()) == len(CHINESE.splitlines())
