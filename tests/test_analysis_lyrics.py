"""Syllables, rhyme keys, stanza rhyme letters, scheme checks and rhyme suggestions."""

import re

import pytest

from studio.analysis.cjk import FINAL_GROUPS, pinyin_final
from studio.analysis.english import cmu_phones
from studio.analysis.lyrics import (
    analyse_lyrics,
    check_lyrics,
    find_rhymes,
    line_syllables,
    rhyme_key,
    syllables,
)


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("fire", 2),  # CMU's first pronunciation: F AY1 ER0
        ("beautiful", 3),
        ("the", 1),
        ("orange", 2),
        ("BEAUTIFUL", 3),
        ("Hello,", 2),
        ("don't", 1),
        ("don’t", 1),  # curly apostrophe
        ("lovin'", 2),  # dropped g: looked up as "loving"
        ("naïve", 2),
        ("well-known", 2),
        ("everything", 3),
        ("", 0),
        ("...", 0),
    ],
)
def test_english_syllables(word, count):
    assert syllables(word) == count


@pytest.mark.parametrize(
    ("word", "count"),
    [("blorptastic", 3), ("glimmerdax", 3), ("snorf", 1), ("zibbleflop", 3), ("frobnicate", 3)],
)
def test_syllables_of_made_up_words_fall_back_to_spelling(word, count):
    assert cmu_phones(word) is None  # really not in CMU, so the fallback is what is tested
    assert syllables(word) == count


@pytest.mark.parametrize(
    ("line", "lang", "count"),
    [
        ("The cat sat on the mat.", "en", 6),
        ("Twinkle, twinkle, little star", "en", 7),
        ("[Chorus]", "en", 0),
        ("[Chorus] oh oh", "en", 2),
        ("", "en", 0),
        ("春眠不觉晓，处处闻啼鸟。", "zh", 10),
        ("我爱你 baby", "zh", 5),  # English words inside a Chinese line count their syllables
        ("我們的愛", "zh-Hant", 4),
        ("ちょっと", "ja", 3),  # ちょ is one mora, っ one, と one
        ("사랑해요", "ko", 4),
        ("[副歌]", "zh", 0),
    ],
)
def test_line_syllables(line, lang, count):
    assert line_syllables(line, lang) == count


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("cat", "hat"),
        ("The night", "is full of light!"),
        ("fire", "desire"),
        ("Cat", "HAT."),
        ("blorptastic", "zingtastic"),  # both unknown: spelling keys
    ],
)
def test_english_words_that_rhyme(a, b):
    assert rhyme_key(a, "en") is not None
    assert rhyme_key(a, "en") == rhyme_key(b, "en")


@pytest.mark.parametrize(
    ("a", "b"),
    [("love", "move"), ("cat", "cut"), ("night", "nine"), ("blorptastic", "blorptastoo")],
)
def test_english_words_that_do_not_rhyme(a, b):
    assert rhyme_key(a, "en") != rhyme_key(b, "en")


@pytest.mark.parametrize(
    ("char", "final"),
    [
        ("花", "ua"),
        ("家", "ia"),
        ("光", "uang"),
        ("方", "ang"),
        ("明", "ing"),
        ("新", "in"),
        ("女", "v"),
        ("月", "ve"),
        ("衣", "i"),
        ("字", "-i"),  # apical i after z
        ("吃", "-i"),  # after ch
        ("日", "-i"),  # after r
        ("床前明月光，", "uang"),  # the last Han character, after punctuation
    ],
)
def test_pinyin_final(char, final):
    assert pinyin_final(char) == final


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("花", "家"),
        ("光", "方"),
        ("明", "新"),
        ("风", "人"),
        ("山", "天"),
        ("远", "船"),
        ("雨", "你"),
        ("中", "熊"),
        ("走过的路", "心里的苦"),
    ],
)
def test_chinese_characters_that_rhyme(a, b):
    assert rhyme_key(a, "zh") == rhyme_key(b, "zh")


@pytest.mark.parametrize(("a", "b"), [("字", "衣"), ("山", "方"), ("中", "风"), ("花", "好")])
def test_chinese_characters_that_do_not_rhyme(a, b):
    assert rhyme_key(a, "zh") != rhyme_key(b, "zh")


@pytest.mark.parametrize(
    ("line", "key"),
    [("去银行", "ang"), ("一起去旅行", "en")],  # 行 read in context: háng, xíng
)
def test_chinese_heteronym_read_in_context(line, key):
    assert rhyme_key(line, "zh") == key


def test_every_final_belongs_to_one_group():
    finals = [f for group in FINAL_GROUPS.values() for f in group]
    assert len(finals) == len(set(finals))


@pytest.mark.parametrize(
    ("a", "b", "lang", "rhymes"),
    [
        ("사랑", "바랑", "ko", True),
        ("사랑", "사람", "ko", False),
        ("きみ", "ゆめのなかに", "ja", True),
        ("きみ", "そら", "ja", False),
        ("我爱你 baby", "Oh maybe", "zh", True),  # an English last word rhymes as English
    ],
)
def test_other_scripts(a, b, lang, rhymes):
    assert (rhyme_key(a, lang) == rhyme_key(b, lang)) is rhymes


@pytest.mark.parametrize("line", ["", "   ", "[Chorus]", "...", "，。"])
def test_no_rhyme_key_without_a_word(line):
    assert rhyme_key(line, "en") is None
    assert rhyme_key(line, "zh") is None


ENGLISH_SONG = """[Verse 1]
The cat sat on the mat
I wore a funny hat
The night is cold and dark
We walk into the park

Love will find a way
[Chorus]
Sing it loud tonight
Hold the morning light
"""


def test_analyse_english_lyrics():
    lines = analyse_lyrics(ENGLISH_SONG, "en")
    assert [line.text for line in lines if line.is_tag] == ["[Verse 1]", "[Chorus]"]
    sung = [line for line in lines if not line.is_tag]
    assert [line.section for line in sung] == ["Verse 1"] * 5 + ["Chorus"] * 2
    assert [line.stanza for line in sung] == [0, 0, 0, 0, 1, 2, 2]
    assert [line.rhyme_letter for line in sung] == ["A", "A", "B", "B", "A", "A", "A"]
    assert [line.syllables for line in sung] == [6, 6, 6, 6, 5, 5, 5]
    assert lines[0].line_no == 1 and lines[0].section == "Verse 1" and lines[0].syllables == 0
    assert sung[4].line_no == 7  # counted in the text, blank lines included


CHINESE_SONG = """[主歌]
我们一起看晚霞
风吹过我的家
天上的星星亮
照着回家的方向
[副歌]
你是我的光
"""


def test_analyse_chinese_lyrics():
    lines = analyse_lyrics(CHINESE_SONG, "zh")
    sung = [line for line in lines if not line.is_tag]
    assert [line.syllables for line in sung] == [7, 6, 6, 7, 5]
    assert [line.rhyme_letter for line in sung] == ["A", "A", "B", "B", "A"]
    assert sung[0].rhyme_key == sung[1].rhyme_key != sung[2].rhyme_key
    assert sung[4].section == "副歌" and sung[4].stanza == 1
    assert lines[5].is_tag and lines[5].stanza is None and lines[5].rhyme_key is None


BROKEN_AABB = """The cat sat on the mat
I saw a dog today
The night is cold and dark
We walk into the park"""


def test_check_lyrics_flags_a_broken_couplet():
    issues = check_lyrics(BROKEN_AABB, "en", "AABB", None)
    assert [(issue.index, issue.line_no, issue.kind) for issue in issues] == [(1, 2, "rhyme")]
    assert "line 1" in issues[0].message


@pytest.mark.parametrize(
    ("scheme", "flagged"),
    [("AABB", [2, 4]), ("ABAB", []), ("ABCB", []), ("free", [])],
)
def test_check_lyrics_schemes(scheme, flagged):
    abab = "I see the light\nAnd hear the sound\nOf summer night\nOn open ground"
    issues = check_lyrics(abab, "en", scheme)
    assert [issue.line_no for issue in issues] == flagged


def test_check_lyrics_repeats_the_pattern_and_counts_indexes_with_tags():
    song = "[Verse]\n" + "\n".join(
        ["red cat", "big hat", "cold dark", "the park", "a bee", "the sea", "one two", "three"]
    )
    issues = check_lyrics(song, "en", "AABB")
    assert [(issue.index, issue.line_no) for issue in issues] == [(8, 9)]


def test_check_lyrics_syllables():
    lyric = "The cat sat on the mat\nA cat\nThe cat sat on the mat and then it ran away"
    issues = check_lyrics(lyric, "en", "free", target_syllables=6, tolerance=2)
    assert [(issue.line_no, issue.kind) for issue in issues] == [(2, "syllables"), (3, "syllables")]
    assert "2 syllables" in issues[0].message
    assert check_lyrics(lyric, "en", "free", target_syllables=6, tolerance=10) == []


def test_check_lyrics_chinese():
    issues = check_lyrics("我们一起看晚霞\n天上的星星亮\n", "zh", "AABB", 7, 0)
    assert [(issue.line_no, issue.kind) for issue in issues] == [(2, "rhyme"), (2, "syllables")]


@pytest.mark.parametrize(("scheme", "tolerance"), [("AAAA", 2), ("aabb", 2), ("AABB", -1)])
def test_check_lyrics_rejects_bad_settings(scheme, tolerance):
    with pytest.raises(ValueError):
        check_lyrics("a\nb", "en", scheme, 6, tolerance)


def test_find_english_rhymes():
    import pronouncing

    rhymes = find_rhymes("cat", "en")
    assert {"hat", "bat", "sat"} <= set(rhymes[1])
    assert "cat" not in {w for group in rhymes.values() for w in group}
    assert sum(len(group) for group in rhymes.values()) <= 60
    for count, words in rhymes.items():
        for word in words:
            phones = pronouncing.phones_for_word(word)[0]
            assert pronouncing.syllable_count(phones) == count
            assert re.sub(r"\d", "", pronouncing.rhyming_part(phones)) == "AE T"


def test_find_rhymes_limit_is_shared_between_groups():
    rhymes = find_rhymes("cat", "en", limit=10)
    assert sum(len(group) for group in rhymes.values()) == 10
    assert len(rhymes) > 1


def test_find_chinese_rhymes():
    from pypinyin import Style, lazy_pinyin

    rhymes = find_rhymes("花", "zh")
    assert "家" in rhymes[1] and "花" not in rhymes[1]
    for char in rhymes[1]:
        assert lazy_pinyin(char, style=Style.FINALS, strict=True)[0] in {"a", "ia", "ua"}
    assert all(len(word) == 2 and word[-1] != "花" for word in rhymes.get(2, []))


@pytest.mark.parametrize(("word", "lang"), [("bonjour", "fr"), ("", "zh"), ("qwxzv", "en")])
def test_find_rhymes_without_a_dictionary_entry(word, lang):
    assert find_rhymes(word, lang) == {}
