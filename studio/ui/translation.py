"""The Translation tab: an instruct model or a translation model, glossary, back-translation."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gradio as gr

from studio.engines.base import Engine
from studio.tasks import languages
from studio.tasks.glossary import GlossaryError, parse_glossary, unmet_terms
from studio.tasks.translation import REGISTERS, STYLES, build_translation_prompt
from studio.tasks.translation import translation_chunks as chunks_of
from studio.ui.controls import SamplingControls, sampling_panel
from studio.ui.runner import Runner
from studio.ui.tabkit import QUEUED, OutputArea, add_examples, output_area, wire_stop

WRITER, TRANSLATOR = "writer", "translator"
MAX_GLOSSARY_BYTES = 1_000_000


@dataclass
class TranslationView:
    """The Translation tab's components, by role."""

    text: gr.Textbox
    source: gr.Dropdown
    target: gr.Dropdown
    swap: gr.Button
    engine: gr.Radio
    register: gr.Radio
    style: gr.Radio
    glossary: gr.Textbox
    upload: gr.UploadButton
    out: OutputArea
    check: gr.Markdown
    back: gr.Textbox
    back_button: gr.Button
    controls: SamplingControls
    events: list = field(default_factory=list)  # the events that write the translation

    @property
    def main_outputs(self) -> list[gr.Textbox]:
        """The text the tab's history records and restores."""
        return [self.out.text]

    def saved_fields(self) -> dict[str, gr.components.Component]:
        """What autosave keeps: inputs, settings, the translation and its back-translation."""
        return {**self.task_inputs(), **self.controls.inputs(), "translation": self.out.text,
                "back": self.back}  # fmt: skip

    def task_inputs(self) -> dict[str, gr.components.Component]:
        """The translate endpoint's inputs, by parameter name."""
        return {"text": self.text, "source": self.source, "target": self.target,
                "engine": self.engine, "register": self.register, "style": self.style,
                "glossary": self.glossary}  # fmt: skip


def glossary_report(pairs: list[tuple[str, str]], source: str, translation: str) -> str:
    """Markdown listing glossary terms the translation did not honour (empty when none)."""
    if not pairs or not translation.strip():
        return ""
    unmet = unmet_terms(pairs, source, translation)
    if not unmet:
        return f"✅ All {len(pairs)} glossary terms honoured."
    listed = "\n".join(f"- **{src}** → {tgt}" for src, tgt in unmet)
    return f"⚠️ {len(unmet)} glossary term(s) not found in the translation:\n{listed}"


def load_glossary_file(path: str | None, current: str) -> str:
    """The text of an uploaded CSV/TSV glossary, checked; a bad file leaves the box unchanged."""
    if not path:
        return current
    data = Path(path).read_bytes()
    if len(data) > MAX_GLOSSARY_BYTES:
        raise gr.Error("That glossary file is over 1 MB; split it or keep only the key terms.")
    try:
        text = data.decode("utf-8-sig")
        parse_glossary(text)
    except UnicodeDecodeError:
        raise gr.Error("That glossary file is not UTF-8 text (save it as UTF-8 CSV).") from None
    except GlossaryError as err:
        raise gr.Error(str(err), title="The glossary file could not be read") from err
    return text


def _translate(
    runner: Runner,
    engine: Engine | None,
    request: gr.Request,
    text: str,
    source: str,
    target: str,
    options: dict[str, Any],
    values: dict[str, Any],
):
    """Stream a translation chunk by chunk (paragraph groups), paragraph breaks kept."""
    done: list[str] = []
    parts = chunks_of(text) or [text]
    info = ""
    for i, chunk in enumerate(parts):
        current = ""
        for current, info in runner.generate(
            "translate", request,
            lambda chunk=chunk: build_translation_prompt(chunk, source, target, **options),
            values, engine=engine,
        ):  # fmt: skip
            progress = f" (part {i + 1} of {len(parts)})" if len(parts) > 1 else ""
            yield "\n\n".join([*done, current.strip()]), info + progress
        done.append(current.strip())
        if info.startswith("Stopped"):
            break
    yield "\n\n".join(done), info


def build(runner: Runner, translator: Engine | None = None) -> TranslationView:
    """The Translation tab's components and events."""
    engines = [("Writing model (follows instructions)", WRITER)]
    if translator is not None:
        engines.append(("Translation model", TRANSLATOR))
    with gr.Row():
        with gr.Column():
            with gr.Row():
                source = gr.Dropdown(languages.choices(), value="en", label="From")
                swap = gr.Button("⇄", scale=0, min_width=48)
                target = gr.Dropdown(languages.choices(), value="zh", label="To")
            text = gr.Textbox(
                label="Text to translate",
                lines=12,
                placeholder="Paragraphs are kept; separate them with a blank line.",
            )
            back = gr.Textbox("", label="Back-translation (the result translated back)", lines=6,
                              interactive=False, elem_id="translate-back")  # fmt: skip
        with gr.Column():
            out = output_area("translate", "Translation", lines=12)
            check = gr.Markdown("", elem_id="translate-glossary-check")
            back_button = gr.Button("Back-translate to check the meaning", size="sm",
                                    elem_id="translate-back-button")  # fmt: skip
    with gr.Accordion("Engine, register, style and glossary", open=translator is not None):
        with gr.Row():
            engine = gr.Radio(engines, value=engines[-1][1], label="Engine",
                              visible=len(engines) > 1)  # fmt: skip
            register = gr.Radio(list(REGISTERS), value="neutral", label="Register")
            style = gr.Radio(list(STYLES), value="literary", label="Style")
        with gr.Row():
            glossary = gr.Textbox(
                "",
                label="Glossary: one term per line, 'source → target' or CSV",
                lines=4,
                placeholder="lighthouse → 灯塔\nMara → 玛拉",
                scale=3,
            )
            upload = gr.UploadButton("Load CSV/TSV", file_types=[".csv", ".tsv", ".txt"], scale=1)
    controls = sampling_panel(greedy=True, temperature=0.3, max_new_tokens=1024,
                              repetition_penalty=1.0)  # fmt: skip
    add_examples("translation", {"text": text, "source": source, "target": target})
    view = TranslationView(text, source, target, swap, engine, register, style, glossary, upload,
                           out, check, back, back_button, controls)  # fmt: skip
    view.events = _wire(runner, translator, view)
    return view


def _wire(runner: Runner, translator: Engine | None, v: TranslationView) -> list:
    out, controls = v.out, v.controls

    def chosen(name: str) -> Engine | None:
        return translator if name == TRANSLATOR else None

    def translate(request: gr.Request, text: str, source: str, target: str, engine: str,
                  register: str, style: str, glossary: str, **values: Any):  # fmt: skip
        try:
            pairs = parse_glossary(glossary or "")
        except GlossaryError as err:
            raise gr.Error(str(err), title="Please check the glossary") from err
        options = {"register": register, "style": style, "glossary": pairs}
        result = ""
        for result, info in _translate(runner, chosen(engine), request, text, source, target,
                                       options, values):  # fmt: skip
            yield result, info, ""
        yield result, info, glossary_report(pairs, text, result)

    def back_translate(request: gr.Request, translation: str, source: str, target: str,
                       engine: str, **values: Any):  # fmt: skip
        yield from _translate(runner, chosen(engine), request, translation, target, source, {},
                              values)  # fmt: skip

    event = out.generate.click(translate, inputs_kwargs={**v.task_inputs(), **controls.inputs()},
                               outputs=[out.text, out.info, v.check], api_name="translate",
                               **QUEUED)  # fmt: skip
    backed = v.back_button.click(
        back_translate, outputs=[v.back, out.info], api_name="translate_back", **QUEUED,
        inputs_kwargs={"translation": out.text, "source": v.source, "target": v.target,
                       "engine": v.engine, **controls.inputs()},
    )  # fmt: skip

    wire_stop(runner, "translate", out.stop, out.text, out.info, [event, backed])
    v.swap.click(lambda s, t: (t, s), [v.source, v.target], [v.source, v.target],
                 api_visibility="private", queue=False)  # fmt: skip
    v.upload.upload(load_glossary_file, [v.upload, v.glossary], [v.glossary],
                    api_name="translate_glossary_file")  # fmt: skip
    return [event]
