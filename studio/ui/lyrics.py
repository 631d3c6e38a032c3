"""The Lyrics tab: write a song, check rhymes and syllables line by line, fix flagged lines."""

from __future__ import annotations

from dataclasses import dataclass, field

import gradio as gr

from studio.tasks import languages
from studio.tasks.lyrics import GENRES, MAX_SYLLABLES_PER_LINE, RHYME_SCHEMES, STRUCTURES
from studio.ui.controls import SamplingControls, sampling_panel
from studio.ui.lyrics_events import ANALYSIS_HEADERS, RHYME_HEADERS, TEXT, wire_lyrics
from studio.ui.runner import Runner
from studio.ui.tabkit import add_examples

# Labels of this tab's components, in one place so they can be translated.
LABELS = {
    "theme": "Theme",
    "theme_hint": "leaving home for the city, and the river I grew up by",
    "genre": "Genre / mood",
    "structure": "Structure",
    "scheme": "Rhyme scheme",
    "language": "Write in",
    "target": "Syllables per line",
    "target_info": "Characters for Chinese, Japanese and Korean; 0 = no target. "
    "Lines more than 2 off are flagged.",
    "generate": "Generate",
    "stop": "Stop",
    "lyrics": "Lyrics",
    "lyrics_hint": "Generate a song, or write or paste your own lyrics here.",
    "analyse": "Analyse",
    "fix": "Rewrite flagged lines",
    "marked": "Flagged lines",
    "table": "Line by line: syllables and rhyme letters",
    "rhyme_finder": "Rhyme finder",
    "rhyme_word": "Word",
    "rhyme_word_hint": "night, heart, 花, 家…",
    "find": "Find rhymes",
}


@dataclass
class LyricsView:
    """Every component of the Lyrics tab, by role (never looked up by string)."""

    task: dict[str, gr.components.Component]  # build_lyrics_prompt's inputs, by parameter name
    controls: SamplingControls
    generate: gr.Button
    stop: gr.Button
    text: gr.Textbox  # the lyrics: generated, typed or pasted, and rewritten line by line
    info: gr.Markdown
    analyse: gr.Button
    fix: gr.Button
    marked: gr.HighlightedText  # the lyric with flagged lines highlighted with their reason
    table: gr.Dataframe  # one row per sung line: syllables, rhyme letter, issue
    summary: gr.Markdown
    rhyme_word: gr.Textbox
    find_rhymes: gr.Button
    rhymes: gr.Dataframe  # rhyming words grouped by syllable count
    rhymes_info: gr.Markdown
    events: list = field(default_factory=list)  # the events that write the lyrics

    @property
    def main_outputs(self) -> list[gr.Textbox]:
        """The text the tab's history records and restores."""
        return [self.text]

    def saved_fields(self) -> dict[str, gr.components.Component]:
        """What autosave keeps: inputs, settings, the lyrics and the rhyme finder's word."""
        return {**self.task, **self.controls.inputs(), "lyrics": self.text,
                "rhyme_word": self.rhyme_word}  # fmt: skip


def _settings_column() -> dict[str, gr.components.Component]:
    theme = gr.Textbox(label=LABELS["theme"], lines=2, placeholder=LABELS["theme_hint"])
    with gr.Row():
        genre = gr.Dropdown(list(GENRES), value="pop", label=LABELS["genre"],
                            allow_custom_value=True)  # fmt: skip
        structure = gr.Dropdown(list(STRUCTURES), value="verse-chorus", label=LABELS["structure"])
    with gr.Row():
        rhyme = gr.Radio(list(RHYME_SCHEMES), value="AABB", label=LABELS["scheme"])
        lang = gr.Dropdown(languages.choices(), value="en", label=LABELS["language"])
    target = gr.Slider(0, MAX_SYLLABLES_PER_LINE, value=0, step=1, label=LABELS["target"],
                       info=LABELS["target_info"], elem_id="lyrics-syllables")  # fmt: skip
    return {"theme": theme, "genre": genre, "structure": structure, "rhyme_scheme": rhyme,
            "language_code": lang, "syllables_per_line": target}  # fmt: skip


def _rhyme_finder() -> dict[str, gr.components.Component]:
    with gr.Accordion(LABELS["rhyme_finder"], open=True):
        with gr.Row():
            word = gr.Textbox(label=LABELS["rhyme_word"], placeholder=LABELS["rhyme_word_hint"],
                              scale=3, elem_id="lyrics-rhyme-word")  # fmt: skip
            find = gr.Button(LABELS["find"], scale=1, elem_id="lyrics-find-rhymes")
        rhymes = gr.Dataframe(headers=RHYME_HEADERS, datatype=["number", "str"],
                              interactive=False, wrap=True, show_label=False,
                              elem_id="lyrics-rhymes")  # fmt: skip
        info = gr.Markdown("", elem_classes=["studio-info"], elem_id="lyrics-rhymes-info")
    return {"rhyme_word": word, "find_rhymes": find, "rhymes": rhymes, "rhymes_info": info}


def _lyrics_column() -> dict[str, gr.components.Component]:
    # Like tabkit.output_area, but the lyrics stay editable so any lyric can be analysed.
    with gr.Row():
        generate = gr.Button(LABELS["generate"], variant="primary", scale=3,
                             elem_id="lyrics-generate")  # fmt: skip
        stop = gr.Button(LABELS["stop"], variant="stop", scale=1, elem_id="lyrics-stop")
    text = gr.Textbox("", label=LABELS["lyrics"], lines=18, max_lines=60, buttons=["copy"],
                      placeholder=LABELS["lyrics_hint"], interactive=True, autoscroll=True,
                      elem_id="lyrics-output")  # fmt: skip
    info = gr.Markdown("", elem_classes=["studio-info"], elem_id="lyrics-info")
    with gr.Row():
        analyse = gr.Button(LABELS["analyse"], scale=1, elem_id="lyrics-analyse")
        fix = gr.Button(LABELS["fix"], scale=1, elem_id="lyrics-fix")
    summary = gr.Markdown(TEXT["empty"], elem_id="lyrics-summary")
    marked = gr.HighlightedText(label=LABELS["marked"], combine_adjacent=True,
                                show_legend=False, elem_id="lyrics-analysis")  # fmt: skip
    with gr.Accordion(LABELS["table"], open=True):
        table = gr.Dataframe(headers=ANALYSIS_HEADERS, interactive=False, wrap=True,
                             datatype=["number", "str", "str", "number", "str", "str"],
                             show_label=False, elem_id="lyrics-table")  # fmt: skip
    return {"generate": generate, "stop": stop, "text": text, "info": info, "analyse": analyse,
            "fix": fix, "summary": summary, "marked": marked, "table": table}  # fmt: skip


def build(runner: Runner) -> LyricsView:
    """The Lyrics tab's components and events (inside an open gr.Blocks/gr.Tab)."""
    with gr.Row():
        with gr.Column(scale=2):
            task = _settings_column()
            finder = _rhyme_finder()
        with gr.Column(scale=3):
            main = _lyrics_column()
    controls = sampling_panel(temperature=0.9, max_new_tokens=400)
    view = LyricsView(task=task, controls=controls, **main, **finder)
    add_examples("lyrics", {k: task[k] for k in ("theme", "genre", "structure", "rhyme_scheme",
                                                 "language_code")})  # fmt: skip
    view.events = wire_lyrics(runner, view)
    return view
