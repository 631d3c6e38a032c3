"""Translation: engines, paragraphs, register and style, glossary check, back-translation."""

import pytest
from conftest import launch_studio
from gradio_client import Client, handle_file

from studio.tasks.translation import build_translation_prompt, translation_chunks
from studio.ui.translation import glossary_report

TWO_PARAGRAPHS = "The rain had stopped.\n\nMara opened the letter."


@pytest.mark.parametrize(
    ("text", "max_chars", "expected"),
    [
        ("One.\n\nTwo.", 100, ["One.\n\nTwo."]),
        ("One.\n\nTwo.", 6, ["One.", "Two."]),
        ("One.\r\n\r\nTwo.\n\n\n\nThree.", 11, ["One.\n\nTwo.", "Three."]),
        ("A very long paragraph.", 5, ["A very long paragraph."]),  # never split a paragraph
        ("  \n\n ", 100, []),
    ],
)
def test_translation_chunks(text, max_chars, expected):
    assert translation_chunks(text, max_chars) == expected


@pytest.mark.parametrize(
    ("register", "style", "expected"),
    [
        ("formal", "literal", ["formal", "close to the source"]),
        ("informal", "literary", ["informal", "idiomatic"]),
        ("neutral", "literary", ["idiomatic"]),
    ],
)
def test_register_and_style_reach_the_prompt(register, style, expected):
    prompt = build_translation_prompt("Hello.", "en", "fr", register, style)
    for text in expected:
        assert text in prompt.user


def test_glossary_reaches_the_prompt():
    prompt = build_translation_prompt(
        "The lighthouse.", "en", "zh", glossary=[("lighthouse", "灯塔")]
    )
    assert "lighthouse → 灯塔" in prompt.user


@pytest.mark.parametrize(
    ("pairs", "source", "translation", "expected"),
    [
        ([], "x", "y", ""),
        ([("lighthouse", "灯塔")], "The lighthouse.", "灯塔亮了。", "✅ All 1 glossary terms"),
        (
            [("lighthouse", "灯塔"), ("Mara", "玛拉")],
            "Mara at the lighthouse.",
            "玛拉在塔边。",
            "⚠️ 1 glossary term(s) not found",
        ),
    ],
)
def test_glossary_report(pairs, source, translation, expected):
    report = glossary_report(pairs, source, translation)
    assert report.startswith(expected) if expected else report == ""
    if expected.startswith("⚠️"):
        assert "**lighthouse** → 灯塔" in report


@pytest.fixture(scope="module")
def two_engine_url(chat_engine, marian_dir):
    from studio.engines.local import LocalEngine

    translator = LocalEngine(str(marian_dir))
    translator.load()
    app, url = launch_studio(chat_engine, translator)
    yield url
    app.close()


@pytest.mark.parametrize("engine", ["writer", "translator"])
def test_both_engines_translate_and_keep_paragraphs(two_engine_url, engine):
    client = Client(two_engine_url, verbose=False)
    text, info, check = client.predict(
        text=TWO_PARAGRAPHS,
        source="en",
        target="zh",
        engine=engine,
        max_new_tokens=12,
        greedy=False,
        seed=4,
        api_name="/translate",
    )
    assert info.startswith("Done") and text.strip()
    if engine == "translator":  # the translation model works paragraph by paragraph
        assert text.count("\n\n") == 1
    assert check == ""  # no glossary, no report


def test_status_names_both_models(two_engine_url, marian_dir):
    status = Client(two_engine_url, verbose=False).predict(api_name="/status")
    assert "Translation:" in status and str(marian_dir) in status


def test_glossary_is_checked_after_translating(studio_url):
    client = Client(studio_url, verbose=False)
    _, _, check = client.predict(
        text="The lighthouse keeper.",
        source="en",
        target="zh",
        glossary="lighthouse → 灯塔",
        max_new_tokens=6,
        api_name="/translate",
    )
    assert check.startswith(("⚠️", "✅")) and "glossary" in check


def test_malformed_glossary_is_refused_with_the_line(studio_url):
    with pytest.raises(Exception, match="line 2"):
        Client(studio_url, verbose=False).predict(
            text="Hi.", glossary="cat → 猫\njust one field", api_name="/translate"
        )


def test_back_translation(studio_url):
    back, info = Client(studio_url, verbose=False).predict(
        translation="雨停了。", source="en", target="zh", max_new_tokens=6,
        api_name="/translate_back")  # fmt: skip
    assert back and info.startswith("Done")


def test_glossary_file_upload(studio_url, tmp_path):
    good = tmp_path / "terms.csv"
    good.write_text("\ufeffsource,target\nlighthouse,灯塔\n", encoding="utf-8")
    client = Client(studio_url, verbose=False)
    assert "lighthouse,灯塔" in client.predict(
        handle_file(str(good)), "", api_name="/translate_glossary_file"
    )
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(Exception, match="UTF-8"):
        client.predict(handle_file(str(bad)), "", api_name="/translate_glossary_file")
