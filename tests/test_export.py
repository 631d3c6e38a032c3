"""Export as Markdown, plain text and .docx: the text survives, provenance only when asked."""

from __future__ import annotations

from datetime import UTC, datetime

import docx
import pytest
from docx.oxml.ns import qn

from studio import __version__
from studio.export import (
    DEFAULT_EAST_ASIAN_FONT,
    Provenance,
    export_docx,
    export_markdown,
    export_text,
    paragraphs,
    safe_filename,
    settings_summary,
)
from studio.params import validate
from studio.run_history import HistoryEntry

TITLE = "灯塔 The Lighthouse"
TEXT = "第一段：灯塔亮了。\n她读了两遍。\n\nThe second paragraph.\n\n\n第三段，最后。"
PARAGRAPHS = ["第一段：灯塔亮了。\n她读了两遍。", "The second paragraph.", "第三段，最后。"]
PROVENANCE = Provenance(
    "tiny-gpt2-zh",
    validate({"temperature": 0.7, "seed": 424242}),
    datetime(2025, 1, 31, 12, 30, tzinfo=UTC),
)
# What a reader of the provenance block must find, and must not find when it is switched off.
MARKS = ["tiny-gpt2-zh", "424242", "Temperature 0.7", "2025-01-31 12:30 UTC", __version__]

EXPORTERS = [export_markdown, export_text]


@pytest.mark.parametrize("export", EXPORTERS)
@pytest.mark.parametrize("provenance", [PROVENANCE, None])
def test_text_exports_hold_title_text_and_provenance_only_when_on(export, provenance):
    out = export(TITLE, TEXT, provenance)
    assert TITLE in out
    for line in "\n".join(PARAGRAPHS).splitlines():
        assert line in out
    for mark in MARKS:
        assert (mark in out) == (provenance is not None), mark


def test_plain_text_keeps_paragraphs_exactly():
    assert export_text(TITLE, TEXT, None) == "\n\n".join([TITLE, *PARAGRAPHS]) + "\n"
    assert export_text("", TEXT, None) == "\n\n".join(PARAGRAPHS) + "\n"


def test_markdown_has_a_heading_and_keeps_verse_lines():
    out = export_markdown(TITLE, TEXT, None)
    assert out.startswith(f"# {TITLE}\n\n")
    assert "第一段：灯塔亮了。  \n她读了两遍。" in out  # a Markdown hard break
    assert export_markdown("  ", "x", None) == "x\n"


def test_a_title_is_one_line():
    assert export_markdown("Two\nlines", "x", None).startswith("# Two lines\n")


def test_greedy_provenance_leaves_out_settings_that_had_no_effect():
    greedy = validate({"temperature": 0.7, "seed": -1}, greedy=True)
    summary = settings_summary(greedy)
    assert summary.startswith("greedy decoding")
    assert "Temperature" not in summary and "Repetition penalty 1.1" in summary
    lines = dict(Provenance("m", greedy, PROVENANCE.date).lines())
    assert lines["Seed"] == "random, not recorded"


def test_provenance_of_a_history_entry():
    entry = HistoryEntry("t", {}, validate({"seed": 9}), "house-model", "2025-02-01T08:00:00Z")
    lines = dict(Provenance.of(entry).lines())
    assert (lines["Model"], lines["Seed"], lines["Date"]) == (
        "house-model",
        "9",
        "2025-02-01 08:00 UTC",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\r\nb\r\n\r\nc", ["a\nb", "c"]),
        ("\n\n a \n \n\t\nb\n\n", [" a ", "b"]),
        ("", []),
        ("一\n\n二", ["一", "二"]),
    ],
)
def test_paragraphs_split_on_blank_lines(text, expected):
    assert paragraphs(text) == expected


def read_docx(path):
    document = docx.Document(str(path))
    return document, [p.text for p in document.paragraphs]


def test_docx_keeps_paragraphs_and_cjk_text(tmp_path):
    path = export_docx(TITLE, TEXT, None, tmp_path / "story.docx")
    document, texts = read_docx(path)
    assert texts == [TITLE, *PARAGRAPHS]
    assert document.paragraphs[0].style.name == "Title"
    assert document.core_properties.title == TITLE


def test_docx_provenance_when_on(tmp_path):
    document, texts = read_docx(export_docx(TITLE, TEXT, PROVENANCE, tmp_path / "a.docx"))
    assert texts[: len(PARAGRAPHS) + 1] == [TITLE, *PARAGRAPHS]
    tail = "\n".join(texts[len(PARAGRAPHS) + 1 :])
    for mark in MARKS:
        assert mark in tail
    assert "tiny-gpt2-zh" in document.core_properties.comments


def test_docx_without_provenance_says_nothing_of_it(tmp_path):
    document, texts = read_docx(export_docx(TITLE, TEXT, None, tmp_path / "a.docx"))
    props = document.core_properties
    everything = "\n".join([*texts, props.comments, props.author, props.last_modified_by])
    for mark in [*MARKS, "python-docx", "Provenance"]:
        assert mark not in everything


def test_docx_names_an_east_asian_font_that_word_will_use(tmp_path):
    document, _ = read_docx(export_docx(TITLE, TEXT, None, tmp_path / "a.docx"))
    styles = document.styles.element
    defaults = styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts")[0]
    normal = document.styles["Normal"].element.rPr.rFonts
    for rfonts in (defaults, normal):
        assert rfonts.get(qn("w:eastAsia")) == DEFAULT_EAST_ASIAN_FONT
        assert rfonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would override it


def test_docx_font_can_be_chosen(tmp_path):
    path = export_docx("", "日本語", None, tmp_path / "a.docx", east_asian_font="MS Mincho")
    document, texts = read_docx(path)
    assert texts == ["日本語"]
    assert document.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "MS Mincho"


def test_docx_drops_characters_xml_cannot_hold(tmp_path):
    path = export_docx("T\x00", "a\x00b\x0cc\td\ud800", None, tmp_path / "a.docx")
    assert read_docx(path)[1] == ["T", "abc\td"]


@pytest.mark.parametrize(
    ("title", "ext", "expected"),
    [
        ("灯塔 The Lighthouse", "docx", "灯塔 The Lighthouse.docx"),
        ("灯塔", ".md", "灯塔.md"),
        ("../../etc/passwd", "txt", "etc passwd.txt"),
        ("a/b\\c", "txt", "a b c.txt"),
        ('what? "yes": <no> | *', "md", "what yes no.md"),
        ("tab\there\nnew\x00line\x7f", "txt", "tab here newline.txt"),
        ("evil\u202etxt.exe", "md", "eviltxt.exe.md"),  # no right-to-left override
        ("  . hidden .  ", "txt", "hidden.txt"),
        ("", "docx", "untitled.docx"),
        ("///", "docx", "untitled.docx"),
        ("CON", "txt", "_CON.txt"),
        ("story", "d/o.c x", "story.docx"),
    ],
)
def test_safe_filename(title, ext, expected):
    assert safe_filename(title, ext) == expected


def test_safe_filename_bounds_the_length_in_bytes_without_splitting_characters():
    name = safe_filename("长" * 200, "docx")
    stem = name.removesuffix(".docx")
    assert set(stem) == {"长"}
    assert len(name.encode("utf-8")) <= 160
