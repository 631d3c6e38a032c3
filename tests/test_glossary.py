"""Reading pasted glossaries, asking for them in prompts, and checking translations use them."""

import pytest

from studio.tasks.glossary import (
    MAX_ENTRIES,
    GlossaryError,
    glossary_instructions,
    parse_glossary,
    unmet_terms,
)
from studio.tasks.prompt import TaskInputError


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("", []),
        ("\n  \n# only a comment\n", []),
        ("cat,chat\ndog,chien", [("cat", "chat"), ("dog", "chien")]),
        ("cat\tchat\ndog\tchien\n", [("cat", "chat"), ("dog", "chien")]),
        ("cat → chat\ndog → chien", [("cat", "chat"), ("dog", "chien")]),
        ("cat = chat\ndog=chien", [("cat", "chat"), ("dog", "chien")]),
        ("cat -> chat", [("cat", "chat")]),
        ("source,target\ncat,chat", [("cat", "chat")]),
        ("Term\tTranslation\ncat\tchat", [("cat", "chat")]),
        ("SOURCE → TARGET\ncat → chat", [("cat", "chat")]),
        (
            '"Hello, world",Bonjour\n"say ""hi""",dis bonjour',
            [
                ("Hello, world", "Bonjour"),
                ('say "hi"', "dis bonjour"),
            ],
        ),
        ("Hello, world → Bonjour, le monde", [("Hello, world", "Bonjour, le monde")]),
        ("\ufeffcat,chat\r\ndog,chien\r\n", [("cat", "chat"), ("dog", "chien")]),
        ("# glossary\n\ncat, chat \n  # pets\n\ndog ,chien", [("cat", "chat"), ("dog", "chien")]),
        ("cat,chat,", [("cat", "chat")]),  # a trailing empty column from a spreadsheet
        ("cat,chat\ncat,chat", [("cat", "chat")]),  # the same pair twice is kept once
        ("Apple,Apple Inc.\napple,pomme", [("Apple", "Apple Inc."), ("apple", "pomme")]),
        ("人工智能\tartificial intelligence", [("人工智能", "artificial intelligence")]),
        ("cat,chat\ndog → chien", None),  # a CSV file: the arrow line has one field
    ],
)
def test_parse_glossary(text, pairs):
    if pairs is None:
        with pytest.raises(GlossaryError, match="line 2"):
            parse_glossary(text)
    else:
        assert parse_glossary(text) == pairs


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cat", r"line 1: expected a term and its translation separated by a comma"),
        ("cat\tchat\ndog", r"line 2: .*separated by a tab"),
        ("cat,chat\n\n# note\ndog", r"line 4: "),  # counts blank and comment lines
        ("cat,chat\n,chien", r"line 2: the term is empty"),
        ("cat,chat\ndog,", r"line 2: the translation is empty"),
        ("cat →", r"line 1: the translation is empty"),
        ("Hello, world,Bonjour", r'line 1: expected 2 fields but found 3; .*"double quotes"'),
        ("x" * 201 + ",y", r"line 1: a term is longer than 200 characters"),
        ("cat,y" + "z" * 200, r"line 1: a term is longer than 200"),
        (
            "cat,chat\ndog,chien\ncat,minou",
            r"line 3: 'cat' is already translated as 'chat' on line 1",
        ),
    ],
)
def test_parse_glossary_errors(text, message):
    with pytest.raises(GlossaryError, match=message):
        parse_glossary(text)


def test_too_many_entries():
    ok = "\n".join(f"w{i},t{i}" for i in range(MAX_ENTRIES))
    assert len(parse_glossary("source,target\n" + ok)) == MAX_ENTRIES == 500
    with pytest.raises(GlossaryError, match=r"line 502: more than 500 entries"):
        parse_glossary("source,target\n" + ok + "\nextra,one")


def test_glossary_error_is_a_task_input_error():
    assert issubclass(GlossaryError, TaskInputError)
    assert issubclass(GlossaryError, ValueError)


def test_glossary_instructions():
    assert glossary_instructions([]) == ""
    assert glossary_instructions([("cat", "chat"), ("人工智能", "AI")]) == (
        "Use these translations for these terms:\n- cat → chat\n- 人工智能 → AI"
    )


PAIRS = [("cat", "chat"), ("New York", "纽约"), ("人工智能", "AI"), ("dog", "chien")]


@pytest.mark.parametrize(
    ("source", "translation", "unmet"),
    [
        ("The cat sleeps.", "Le chat dort.", []),
        ("The cat sleeps.", "Le minou dort.", [("cat", "chat")]),
        ("The CAT sleeps.", "Le Chat dort.", []),  # case-insensitive on both sides
        ("A category error.", "Une erreur.", []),  # whole words only: no cat here
        ("Le chat", "chatter", []),  # the term itself is not in the source
        ("I love New  York.", "我爱纽约。", []),  # any whitespace between words
        ("I love New York.", "我爱北京。", [("New York", "纽约")]),
        ("人工智能很重要", "AI matters", []),
        ("人工智能很重要", "Artificial intelligence matters", [("人工智能", "AI")]),
        ("我爱cat", "J'aime les chats", [("cat", "chat")]),  # a word next to CJK still counts
        ("cat and dog", "", [("cat", "chat"), ("dog", "chien")]),
    ],
)
def test_unmet_terms(source, translation, unmet):
    assert unmet_terms(PAIRS, source, translation) == unmet
