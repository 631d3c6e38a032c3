"""Projects and export as the UI does them: every tab's saved fields, round trip, bad files."""

import json
from pathlib import Path

import docx
import gradio as gr
import pytest

from studio.project import MAX_PROJECT_BYTES
from studio.ui import build_app
from studio.ui.work import export_tab, load_project, save_project


@pytest.fixture(scope="module")
def fields(chat_engine):
    return build_app(chat_engine).studio_fields


def current(fields, **changes):
    values = []
    for tab, comps in fields.items():
        for name, comp in comps.items():
            values.append(changes.get(f"{tab}.{name}", comp.value))
    return values


def test_project_round_trip_restores_every_tab(fields, tmp_path):
    values = current(
        fields,
        **{
            "story.manuscript": "灯塔亮了。\n\nThe lamp burned.",
            "story.memory": "Mara keeps the light.",
            "story.temperature": 1.3,
            "story.seed": 42,
            "translation.text": "Hello.",
            "translation.target": "fr",
        },
    )
    path = save_project("灯塔 / Lighthouse", fields, values)
    assert path.endswith(".json") and "/" not in path.rsplit("/", 1)[1]
    *restored, title = load_project(path, fields)
    assert title == "灯塔 / Lighthouse"
    for value, back in zip(values, restored, strict=True):
        assert back == value or (value is None and isinstance(back, type(gr.skip())))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json at all", "JSON"),
        (json.dumps({"format": "something-else", "version": 1, "tabs": {}}).encode(), "format"),
        (
            json.dumps(
                {
                    "format": "creative-writing-studio/project",
                    "version": 1,
                    "tabs": {
                        "story": {
                            "inputs": {"premise": ["a", "list"]},
                            "outputs": {},
                            "sampling": {},
                            "history": [],
                        }
                    },
                }
            ).encode(),
            "premise",
        ),
        (
            json.dumps(
                {"format": "creative-writing-studio/project", "version": 1, "tabs": {"poetry": {}}}
            ).encode(),
            "poetry",
        ),
    ],
)
def test_malformed_projects_are_refused_and_change_nothing(fields, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(gr.Error, match=message):
        load_project(str(path), fields)


def test_a_huge_file_is_refused_before_it_is_read(fields, tmp_path):
    path = tmp_path / "huge.json"
    with path.open("wb") as f:
        f.truncate(MAX_PROJECT_BYTES * 10)
    with pytest.raises(gr.Error, match="MB"):
        load_project(str(path), fields)


@pytest.mark.parametrize("provenance", [True, False])
def test_export_docx_opens_with_text_and_optional_provenance(provenance):
    saved = {"manuscript": "第一段。\n\nSecond paragraph.", "temperature": 0.7, "seed": 9}
    path = export_tab("story", "docx", provenance, "My story", "house", saved)
    text = "\n".join(p.text for p in docx.Document(path).paragraphs)
    assert "第一段。" in text and "Second paragraph." in text
    assert ("house" in text) == provenance


@pytest.mark.parametrize("kind", ["md", "txt"])
def test_export_text_formats(kind):
    path = export_tab("translation", kind, True, "", "m1", {"translation": "Bonjour."})
    content = Path(path).read_text(encoding="utf-8")
    assert "Bonjour." in content and "m1" in content and path.endswith(f".{kind}")


def test_export_of_an_empty_tab_says_so():
    with pytest.raises(gr.Error, match="no text"):
        export_tab("story", "md", True, "", "m", {"manuscript": "  "})


def test_copy_export_holds_every_variant():
    saved = {"variant_1": "Fold it. Pocket it.", "variant_2": "", "variant_3": "Coffee, anywhere."}
    path = export_tab("copywriting", "txt", False, "Cup", "m", saved)
    content = Path(path).read_text(encoding="utf-8")
    assert "Fold it. Pocket it." in content and "Coffee, anywhere." in content


def test_lyrics_export_uses_the_lyrics():
    path = export_tab("lyrics", "md", False, "Song", "m", {"lyrics": "[Verse 1]\nLa la"})
    assert "La la" in Path(path).read_text(encoding="utf-8")


def test_provenance_names_the_seed_a_random_run_used():
    saved = {"manuscript": "Text.", "seed": -1}
    path = export_tab("story", "md", True, "T", "m", saved, last_seed=1234)
    assert "1234" in Path(path).read_text(encoding="utf-8")
