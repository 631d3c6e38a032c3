"""The Lyrics tab's events: generate, analyse, find rhymes, rewrite flagged lines, and Stop."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

import gradio as gr

from studio.analysis.cjk import CJK
from studio.analysis.english import WORD
from studio.analysis.lyrics import (
    SCHEMES,
    LineAnalysis,
    LineIssue,
    analyse_lyrics,
    check_lyrics,
    find_rhymes,
)
from studio.tasks import languages
from studio.tasks.lyrics import (
    MAX_RHYME_HINTS,
    build_line_fix_prompt,
    build_lyrics_prompt,
    first_line,
    replace_line,
)
from studio.tasks.prompt import Prompt
from studio.ui.runner import Runner
from studio.ui.tabkit import QUEUED

if TYPE_CHECKING:
    from studio.ui.lyrics import LyricsView

PRIVATE = {"api_visibility": "private", "queue": False, "show_progress": "hidden"}
FIX_MAX_TOKENS = 64  # one sung line, with room for a chat model's stray lead-in
RHYME_LIMIT = 60  # words the rhyme finder shows, shared out across syllable counts
STOPPED = "Stopped"  # how Runner's last info line starts when the writer pressed Stop
ANALYSIS_HEADERS = ["Line", "Section", "Lyric", "Syllables", "Rhyme", "Issue"]
RHYME_HEADERS = ["Syllables", "Rhymes"]
# User-facing text of these events, in one place so it can be translated.
TEXT = {
    "empty": "Write or paste lyrics, then press **Analyse**.",
    "counts": "**Sung lines: {lines}** · {stanzas} · {span} {unit} per line (average {mean:.1f})",
    "stanza": "1 stanza",
    "stanzas": "{count} stanzas",
    "form": "Rhyme scheme {scheme}",
    "target": "target {target} ± {tolerance} {unit}",
    "no_target": "no length target",
    "all_good": "✓ No line is flagged.",
    "flagged": "**Flagged lines: {count}** (highlighted below)",
    "flag_line": "- line {line_no}: {reason}",
    "syllables": "syllables",
    "characters": "characters",
    "fixing": "Rewriting line {line} ({n} of {total})…",
    "nothing_to_fix": "Nothing to rewrite: no line is flagged.",
    "fixed": "{verb} · rewrote {done} of {total} flagged lines · {left} still flagged",
    "done": "Done",
    "stopped": "Stopped",
    "no_word": "Type a word to find rhymes for.",
    "rhymes_found": "{count} rhymes for “{word}” ({language}), grouped by syllables.",
    "no_rhymes": "No rhymes found for “{word}” ({language}).",
    "no_dictionary": "No rhyme dictionary for {language} yet: try an English or Chinese word.",
    "bad_input": "Please check your input",
}
TOLERANCE = 2  # syllables a line may be off its target before it is flagged (check_lyrics)


@dataclass(frozen=True)
class Flagged:
    """A line to rewrite: where it is, why, and whether it must rhyme with an earlier line."""

    line_index: int  # 0-based, as str.splitlines counts
    analysis_index: int  # position in analyse_lyrics's list for the same text
    reason: str  # check_lyrics's messages for the line, joined
    must_rhyme: bool


def _unit(language_code: str) -> str:
    return TEXT["characters" if language_code.split("-")[0] == "zh" else "syllables"]


def _issues(lyrics: str, rhyme_scheme: str, target: int, language_code: str) -> list[LineIssue]:
    try:
        return check_lyrics(lyrics, language_code, rhyme_scheme, target or None, TOLERANCE)
    except ValueError as err:
        raise gr.Error(str(err), title=TEXT["bad_input"]) from err


def flagged_lines(lyrics: str, rhyme_scheme: str, target: int, language_code: str) -> list[Flagged]:
    """The lines check_lyrics flags, one entry per line, in line order."""
    found: dict[int, Flagged] = {}
    for issue in _issues(lyrics, rhyme_scheme, target, language_code):
        old = found.get(issue.line_no - 1)
        reason = f"{old.reason} {issue.message}" if old else issue.message
        must_rhyme = issue.kind == "rhyme" or (old is not None and old.must_rhyme)
        found[issue.line_no - 1] = Flagged(issue.line_no - 1, issue.index, reason, must_rhyme)
    return list(found.values())


Marked = list[tuple[str, str | None]]  # gr.HighlightedText's value: (text, reason or None)


def analyse(
    lyrics: str, rhyme_scheme: str, syllables_per_line: float, language_code: str
) -> tuple[Marked, list[list[Any]], str]:
    """(lyric with flagged lines marked, one row per sung line, Markdown summary)."""
    lyrics, target = lyrics or "", int(syllables_per_line or 0)
    issues = _issues(lyrics, rhyme_scheme, target, language_code)
    reasons: dict[int, str] = {}
    for issue in issues:
        reasons[issue.line_no] = f"{reasons.get(issue.line_no, '')} {issue.message}".strip()
    lines = analyse_lyrics(lyrics, language_code)
    rows = [[line.line_no, line.section or "", line.text, line.syllables, line.rhyme_letter,
             reasons.get(line.line_no, "")] for line in lines if not line.is_tag]  # fmt: skip
    marked: Marked = []
    for line_no, line in enumerate(lyrics.splitlines(), start=1):
        marked += [(line, reasons.get(line_no)), ("\n", None)]
    summary = _summary(lines, reasons, rhyme_scheme, target, language_code)
    return marked, rows, summary


def _summary(lines: list[LineAnalysis], reasons: dict[int, str], rhyme_scheme: str,
             target: int, language_code: str) -> str:  # fmt: skip
    sung = [line for line in lines if not line.is_tag]
    if not sung:
        return TEXT["empty"]
    unit, counts = _unit(language_code), [line.syllables for line in sung]
    stanzas = len({line.stanza for line in sung})
    stanza_text = TEXT["stanza"] if stanzas == 1 else TEXT["stanzas"].format(count=stanzas)
    head = TEXT["counts"].format(lines=len(sung), stanzas=stanza_text,
                                 span=_span(counts), unit=unit,
                                 mean=sum(counts) / len(counts))  # fmt: skip
    goal = (TEXT["target"].format(target=target, tolerance=TOLERANCE, unit=unit) if target
            else TEXT["no_target"])  # fmt: skip
    parts = [head, f"{TEXT['form'].format(scheme=rhyme_scheme)}, {goal}"]
    if not reasons:
        return "\n\n".join([*parts, TEXT["all_good"]])
    flags = [TEXT["flag_line"].format(line_no=n, reason=r) for n, r in sorted(reasons.items())]
    return "\n\n".join([*parts, TEXT["flagged"].format(count=len(reasons)), "\n".join(flags)])


def _span(counts: list[int]) -> str:
    low, high = min(counts), max(counts)
    return str(low) if low == high else f"{low}–{high}"


def _rhyme_language(word: str, language_code: str) -> str:
    """The language to look a word up in: the tab's, unless the word's script says otherwise."""
    cjk_tab = language_code.split("-")[0] in ("zh", "ja", "ko")
    if CJK.search(word):
        return language_code if cjk_tab else "zh"
    return "en" if cjk_tab else language_code


def rhymes_for(word: str, language_code: str) -> tuple[list[list[Any]], str]:
    """(rows of [syllable count, rhyming words], a one-line note) for the rhyme finder."""
    word = (word or "").strip()
    if not word:
        return [], TEXT["no_word"]
    code = _rhyme_language(word, language_code)
    name = languages.language(code).name
    if code.split("-")[0] not in ("en", "zh"):
        return [], TEXT["no_dictionary"].format(language=name)
    groups = find_rhymes(word, code, RHYME_LIMIT)
    rows = [[count, ", ".join(words)] for count, words in sorted(groups.items())]
    total = sum(len(words) for words in groups.values())
    note = "rhymes_found" if total else "no_rhymes"
    return rows, TEXT[note].format(count=total, word=word, language=name)


def _last_word(text: str) -> str:
    """The last word of a line; a single character when it ends in Chinese or Japanese."""
    tokens = WORD.findall(CJK.sub(lambda m: f" {m.group()} ", text))
    return tokens[-1] if tokens else ""


def _partner_word(analysis: list[LineAnalysis], index: int, rhyme_scheme: str) -> str:
    """The last word of the earlier line that analysis[index] should rhyme with, if any."""
    pattern = SCHEMES.get(rhyme_scheme, "")
    stanza = [i for i, line in enumerate(analysis)
              if line.stanza == analysis[index].stanza and not line.is_tag]  # fmt: skip
    if not pattern or index not in stanza:
        return ""
    pos = stanza.index(index)
    offset = pos % len(pattern)
    partner = pattern[:offset].find(pattern[offset])
    return _last_word(analysis[stanza[pos - offset + partner]].text) if partner >= 0 else ""


def _fix_prompt(lyrics: str, line: Flagged, rhyme_scheme: str, target: int,
                language_code: str) -> Prompt:  # fmt: skip
    """The prompt to rewrite one flagged line of the current lyrics, with rhyme hints."""
    word = ""
    if line.must_rhyme:
        word = _partner_word(analyse_lyrics(lyrics, language_code), line.analysis_index,
                             rhyme_scheme)  # fmt: skip
    hints: list[str] = []
    # Only Chinese suggestions come most common first; English ones come alphabetically, odd
    # names included, and would steer the model to strange words.
    if word and CJK.search(word):
        groups = find_rhymes(word, _rhyme_language(word, language_code), MAX_RHYME_HINTS)
        hints = [w for words in groups.values() for w in words]
    return build_line_fix_prompt(lyrics, line.line_index, line.reason, rhyme_scheme, target,
                                 language_code, rhyme_word=word, rhymes=hints)  # fmt: skip


def _rewrite(
    runner: Runner,
    request: gr.Request,
    build: Callable[[], Prompt],
    settings: dict[str, Any],
    lyrics: str,
    index: int,
) -> Iterator[tuple[str, bool]]:
    """Yield (lyrics with line index rewritten so far, stopped) until the new line is complete.

    The run is closed as soon as the model ends its first line, so a base model that writes on
    is not waited for; an empty answer keeps the old line.
    """
    original = lyrics.splitlines()[index].strip()
    run = runner.generate("lyrics", request, build, settings)
    try:
        for output, info in run:
            line, complete = first_line(output)
            yield replace_line(lyrics, index, line or original), info.startswith(STOPPED)
            if complete:
                break
    finally:
        run.close()


def fix_flagged(
    runner: Runner,
    request: gr.Request,
    lyrics: str,
    rhyme_scheme: str,
    syllables_per_line: float,
    language_code: str,
    settings: dict[str, Any],
) -> Iterator[tuple[Any, ...]]:
    """Rewrite each flagged line in place, one at a time; the final update re-analyses."""
    lyrics, target = lyrics or "", int(syllables_per_line or 0)
    todo = flagged_lines(lyrics, rhyme_scheme, target, language_code)
    tokens = float(settings.get("max_new_tokens") or FIX_MAX_TOKENS)
    settings = {**settings, "max_new_tokens": min(tokens, FIX_MAX_TOKENS)}
    skip = [gr.skip()] * 3
    text, done, stopped = lyrics, 0, False
    for n, line in enumerate(todo, start=1):
        label = TEXT["fixing"].format(line=line.line_index + 1, n=n, total=len(todo))
        build = partial(_fix_prompt, text, line, rhyme_scheme, target, language_code)
        rewritten = text
        for step in _rewrite(runner, request, build, settings, text, line.line_index):
            rewritten, stopped = step
            yield rewritten, label, *skip
        text, done = rewritten, n - stopped  # a line cut short by Stop is not rewritten
        if stopped:
            break
    marked, rows, summary = analyse(text, rhyme_scheme, target, language_code)
    left = len({row[0] for row in rows if row[-1]})
    verb = TEXT["stopped" if stopped else "done"]
    info = (TEXT["fixed"].format(verb=verb, done=done, total=len(todo), left=left) if todo
            else TEXT["nothing_to_fix"])  # fmt: skip
    yield text, info, marked, rows, summary


def wire_lyrics(runner: Runner, v: LyricsView) -> list[gr.events.Dependency]:
    """Connect every Lyrics event (/lyrics, _analyse, _rhymes, _fix, Stop); the writing ones."""
    report = [v.marked, v.table, v.summary]
    checks = {"lyrics": v.text, "rhyme_scheme": v.task["rhyme_scheme"],
              "syllables_per_line": v.task["syllables_per_line"],
              "language_code": v.task["language_code"]}  # fmt: skip

    def generate(request: gr.Request, **values: Any):
        task = {name: values.pop(name) for name in v.task}
        yield from runner.generate("lyrics", request, lambda: build_lyrics_prompt(**task), values)

    generated = gr.on([v.generate.click, v.task["theme"].submit], generate,
                      inputs_kwargs={**v.task, **v.controls.inputs()}, outputs=[v.text, v.info],
                      api_name="lyrics", **QUEUED)  # fmt: skip
    generated.then(analyse, inputs_kwargs=checks, outputs=report, **PRIVATE)
    v.analyse.click(analyse, inputs_kwargs=checks, outputs=report, api_name="lyrics_analyse",
                    queue=False)  # fmt: skip
    # A new scheme, target or language re-checks the lyric at once.
    gr.on([v.task["rhyme_scheme"].change, v.task["language_code"].change,
           v.task["syllables_per_line"].release], analyse, inputs_kwargs=checks, outputs=report,
          trigger_mode="always_last", **PRIVATE)  # fmt: skip
    gr.on([v.find_rhymes.click, v.rhyme_word.submit], rhymes_for,
          inputs_kwargs={"word": v.rhyme_word, "language_code": v.task["language_code"]},
          outputs=[v.rhymes, v.rhymes_info], api_name="lyrics_rhymes", queue=False)  # fmt: skip

    def fix(request: gr.Request, lyrics: str, rhyme_scheme: str, syllables_per_line: float,
            language_code: str, **settings: Any):  # fmt: skip
        yield from fix_flagged(runner, request, lyrics, rhyme_scheme, syllables_per_line,
                               language_code, settings)  # fmt: skip

    fixed = v.fix.click(fix, inputs_kwargs={**checks, **v.controls.inputs()},
                        outputs=[v.text, v.info, *report], api_name="lyrics_fix",
                        **QUEUED)  # fmt: skip

    def stop(text: str, request: gr.Request) -> str:
        return runner.stop("lyrics", request, text)

    # Queued (in a group of its own, never waiting) so its message lands after the cancel.
    stopped = v.stop.click(stop, [v.text], [v.info], cancels=[generated, fixed],
                           api_name="stop_lyrics", concurrency_limit=None,
                           show_progress="hidden")  # fmt: skip
    stopped.then(analyse, inputs_kwargs=checks, outputs=report, **PRIVATE)
    return [generated, fixed]
