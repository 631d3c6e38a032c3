"""Prompt builders, by table: pure functions from tab inputs to a Prompt."""

import pytest

from studio.tasks import TaskInputError
from studio.tasks.copywriting import FORMATS, build_copy_prompt
from studio.tasks.languages import LANGUAGES, choices, language, length_phrase
from studio.tasks.lyrics import STRUCTURES, build_lyrics_prompt
from studio.tasks.passage import build_passage_prompt
from studio.tasks.story import build_story_prompt, join_continuation, replace_passage
from studio.tasks.translation import build_translation_prompt


@pytest.mark.parametrize(
    ("kwargs", "in_user", "in_plain"),
    [
        (
            {"premise": "A dragon applies for a job", "genre": "fantasy", "tone": "humorous"},
            ["fantasy", "humorous", "A dragon applies for a job", "English", "about 400 words"],
            ["A fantasy story", "Premise: A dragon applies for a job", "Story:"],
        ),
        (
            {"premise": "一位老裁缝接到奇怪的订单", "language_code": "zh", "length_words": 150},
            ["Simplified Chinese", "about 240 characters", "一位老裁缝接到奇怪的订单"],
            ["故事", "梗概：一位老裁缝接到奇怪的订单", "正文："],
        ),
        (
            {"premise": "", "manuscript": "The door creaked open.  \n"},
            ["Continue this story", "Story so far:\nThe door creaked open."],
            ["The door creaked open."],
        ),
        (
            {"premise": "she escapes", "manuscript": "雨停了。", "language_code": "ja"},
            ["Japanese", "Where the story is heading: she escapes", "雨停了。"],
            ["雨停了。"],
        ),
    ],
)
def test_story_prompts(kwargs, in_user, in_plain):
    prompt = build_story_prompt(**kwargs)
    for text in in_user:
        assert text in prompt.user
    for text in in_plain:
        assert text in prompt.plain
    assert prompt.system and prompt.translation is None


def test_story_continuation_plain_prompt_is_the_manuscript_itself():
    assert build_story_prompt("", manuscript="Once upon a time").plain == "Once upon a time"


@pytest.mark.parametrize("kwargs", [{"premise": ""}, {"premise": "  ", "manuscript": "\n"}])
def test_story_needs_a_premise_or_manuscript(kwargs):
    with pytest.raises(TaskInputError, match="premise"):
        build_story_prompt(**kwargs)


@pytest.mark.parametrize("format_key", list(FORMATS))
@pytest.mark.parametrize("code", ["en", "zh"])
def test_copy_prompts_name_format_language_and_limit(format_key, code):
    fmt = FORMATS[format_key]
    prompt = build_copy_prompt(
        "A folding cup",
        format_key,
        audience="commuters",
        key_points="fits a pocket",
        language_code=code,
    )
    assert fmt.ask in prompt.user and language(code).name in prompt.user
    assert "commuters" in prompt.user and "fits a pocket" in prompt.user
    assert (f"within {fmt.limit}" in prompt.user) == bool(fmt.limit)
    assert "A folding cup" in prompt.plain


def test_copy_requires_a_brief_and_a_known_format():
    with pytest.raises(TaskInputError, match="brief"):
        build_copy_prompt("   ")
    with pytest.raises(ValueError, match="format"):
        build_copy_prompt("cup", "billboard")


@pytest.mark.parametrize("structure", list(STRUCTURES))
@pytest.mark.parametrize(
    ("scheme", "expect"),
    [("AABB", "rhymes AABB"), ("ABCB", "rhymes ABCB"), ("free", "need not rhyme")],
)
def test_lyrics_prompts(structure, scheme, expect):
    prompt = build_lyrics_prompt("the river", "folk", structure, scheme)
    assert expect in prompt.user
    for section in STRUCTURES[structure]:
        assert f"[{section}]" in prompt.user
    assert prompt.plain.endswith(f"[{STRUCTURES[structure][0]}]\n")


def test_chinese_lyrics_rhyme_on_finals():
    prompt = build_lyrics_prompt("回家的路", rhyme_scheme="AABB", language_code="zh")
    assert "韵母" in prompt.user and "歌曲：回家的路" in prompt.plain


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"theme": ""}, "theme"),
        ({"theme": "x", "structure": "sonnet"}, "structure"),
        ({"theme": "x", "rhyme_scheme": "ZZZ"}, "Rhyme scheme"),
    ],
)
def test_lyrics_bad_inputs(kwargs, message):
    with pytest.raises(TaskInputError, match=message):
        build_lyrics_prompt(**kwargs)


@pytest.mark.parametrize(
    ("source", "target"),
    [("en", "zh"), ("zh", "en"), ("fr", "ja"), ("ko", "de"), ("es", "zh-Hant")],
)
def test_translation_prompt_and_job(source, target):
    prompt = build_translation_prompt("Hello\n\nWorld", source, target)
    assert language(source).name in prompt.user and language(target).name in prompt.user
    assert prompt.user.endswith("Hello\n\nWorld")
    assert prompt.translation.source == source and prompt.translation.target == target
    assert prompt.plain == ""  # base models are refused rather than asked to translate


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("", "en", "zh"), "text to translate"),
        (("hi", "en", "en"), "same"),
        (("hi", "xx", "en"), "Unknown language"),
    ],
)
def test_translation_bad_inputs(args, message):
    with pytest.raises(TaskInputError, match=message):
        build_translation_prompt(*args)


def test_required_languages_are_offered():
    codes = {code for _, code in choices()}
    assert {"zh", "en", "ja", "ko", "fr", "de", "es"} <= codes
    assert all(lang.nllb for lang in LANGUAGES)


@pytest.mark.parametrize(
    ("words", "code", "expect"),
    [
        (400, "en", "about 400 words"),
        (400, "zh", "about 640 characters"),
        (150, "ja", "about 240 characters"),
        (900, "fr", "about 900 words"),
    ],
)
def test_length_phrase(words, code, expect):
    assert length_phrase(words, code) == expect


def test_story_notes_come_first_and_the_authors_note_before_the_last_paragraph():
    manuscript = "First paragraph.\n\nSecond paragraph.\n\nLast paragraph."
    prompt = build_story_prompt(
        "", manuscript=manuscript, memory="Mara, 40, keeper.", authors_note="More tension."
    )
    for text in (prompt.user, prompt.plain):
        assert text.index("Mara, 40, keeper.") < text.index("First paragraph.")
        note = text.index("[Author's note: More tension.]")
        assert text.index("Second paragraph.") < note < text.index("Last paragraph.")
    assert prompt.trimmable == "First paragraph.\n\nSecond paragraph."


def test_without_an_authors_note_the_whole_manuscript_is_trimmable():
    prompt = build_story_prompt("", manuscript="One.\n\nTwo.")
    assert prompt.trimmable == "One.\n\nTwo." and "Author's note" not in prompt.user


def test_new_story_carries_notes_and_guidance():
    prompt = build_story_prompt("A heist", memory="Set in 1920s Shanghai.", authors_note="Funny.")
    assert prompt.user.startswith("Story notes") and "Author's note: Funny." in prompt.user
    assert prompt.plain.startswith("[Set in 1920s Shanghai.]") and prompt.trimmable == ""


@pytest.mark.parametrize(
    ("manuscript", "addition", "code", "expected"),
    [
        ("She ran.", "The door slammed.", "en", "She ran. The door slammed."),
        ("She ran.", " The door slammed.", "en", "She ran. The door slammed."),
        ("She ran.\n", "The door slammed.", "en", "She ran.\nThe door slammed."),
        ("她跑了。", "门砰地关上了。", "zh", "她跑了。门砰地关上了。"),
        ("", "Once upon a time.", "en", "Once upon a time."),
        ("Unchanged.", "", "en", "Unchanged."),
    ],
)
def test_join_continuation(manuscript, addition, code, expected):
    assert join_continuation(manuscript, addition, code) == expected


@pytest.mark.parametrize(
    ("action", "kwargs", "in_user", "in_plain"),
    [
        (
            "rewrite",
            {"instruction": "more tension"},
            ["so that it is more tension", "Passage:"],
            ["rewritten (more tension):"],
        ),
        ("expand", {}, ["twice its length"], ["in full detail"]),
        ("describe", {}, ["smelled"], ["smelled"]),
        ("brainstorm", {}, ["5 different ideas"], ["Ideas for what happens next:\n1."]),
        ("describe", {"language_code": "zh"}, ["Simplified Chinese"], ["所见"]),
    ],
)
def test_passage_actions(action, kwargs, in_user, in_plain):
    prompt = build_passage_prompt(action, "The door creaked.", **kwargs)
    assert "The door creaked." in prompt.user and "The door creaked." in prompt.plain
    for text in in_user:
        assert text in prompt.user
    for text in in_plain:
        assert text in prompt.plain


def test_passage_actions_use_notes_and_earlier_context():
    prompt = build_passage_prompt(
        "expand",
        "The door creaked.",
        memory="Mara fears doors.",
        manuscript="It was late.\n\nThe door creaked.",
    )
    assert "Mara fears doors." in prompt.user and "It was late." in prompt.user
    assert prompt.user.count("The door creaked.") == 1  # not repeated as context


def test_brainstorm_without_a_passage_uses_the_manuscript_end():
    prompt = build_passage_prompt("brainstorm", "", manuscript="Chapter one. " * 300 + "The end.")
    assert prompt.user.endswith("The end.") and len(prompt.plain) < 2200


@pytest.mark.parametrize(
    ("action", "passage", "message"),
    [("summon", "x", "Unknown action"), ("rewrite", " ", "passage")],
)
def test_passage_bad_inputs(action, passage, message):
    with pytest.raises(TaskInputError, match=message):
        build_passage_prompt(action, passage)


@pytest.mark.parametrize(
    ("manuscript", "passage", "new", "expected"),
    [
        ("A. B. C.", "B.", "Bee!", "A. Bee! C."),
        ("A. B. A. B.", "B.", "X.", "A. B. A. X."),  # the last occurrence: nearest the cursor
        ("A. B.", "gone", "New.", "A. B.\n\nNew."),  # edited away: appended, never lost
        ("A. B.", "B.", "  ", "A. B."),
        ("她笑了。他走了。", "他走了。", "他留下了。", "她笑了。他留下了。"),
    ],
)
def test_replace_passage(manuscript, passage, new, expected):
    assert replace_passage(manuscript, passage, new) == expected
