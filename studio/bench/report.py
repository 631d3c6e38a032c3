"""The printed report: one column per model, one row per figure. Pure text formatting."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from studio.bench.fast import CROWD, GGUF_TYPES  # what the llama.cpp figures are keyed by
from studio.bench.torch_options import OPTIONS as TORCH_OPTIONS

MISSING = "—"


def pick(data: Any, path: str) -> Any:
    """data["a"]["b"]... for the dotted path "a.b...", or None where any step is missing."""
    for key in path.split("."):
        if not isinstance(data, dict) or data.get(key) is None:
            return None
        data = data[key]
    return data


def number(value: float | None, digits: int = 1, scale: float = 1.0) -> str:
    """value x scale with this many decimals, or a dash when it is missing."""
    return MISSING if value is None else f"{value * scale:,.{digits}f}"


def ratio(part: float | None, whole: float | None, digits: int = 2) -> str:
    """part / whole as "0.93x", or a dash."""
    return MISSING if part is None or not whole else f"{part / whole:.{digits}f}x"


def difference_ms(later: float | None, earlier: float | None) -> str:
    """(later - earlier) in milliseconds, signed, or a dash."""
    return MISSING if later is None or earlier is None else f"{(later - earlier) * 1000:+,.0f}"


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """An aligned plain-text table: the first column left-aligned, the others right-aligned."""
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        first = str(cells[0]).ljust(widths[0])
        rest = [str(c).rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest]).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def _crowd(result: dict[str, Any], size: int) -> dict[str, Any] | None:
    crowds = pick(result, "ui.crowds") or []
    return next((c for c in crowds if c.get("visitors") == size), None)


def _crowd_rows(size: int) -> list[Row]:
    def aggregate(r: dict[str, Any]) -> str:
        tok_s = pick(_crowd(r, size), "aggregate_tok_s")
        on_llama = r.get("ui_backend") == "llama.cpp"  # at the UI's default GGUF type
        ceiling = pick(r, f"llama_cpp.f16.crowd_{size}_ceiling") if on_llama else None
        return _speedup(tok_s, pick(r, "ui.tok_s"), ceiling)

    def ttft(r: dict[str, Any]) -> str:
        crowd = _crowd(r, size)
        return f"{number(pick(crowd, 'ttft_p50_s'), 2)} / {number(pick(crowd, 'ttft_p95_s'), 2)}"

    return [
        (f"{size} visitors: aggregate tok/s (vs 1 visitor)", aggregate),
        (f"{size} visitors: TTFT p50 / p95 s", ttft),
    ]


Row = tuple[str, Callable[[dict[str, Any]], str]]
ENGINE_TTFT = "in_process.engine.first_text_s"


def _figure(path: str, digits: int = 1, scale: float = 1.0) -> Callable[[dict[str, Any]], str]:
    return lambda result: number(pick(result, path), digits, scale)


def _engine_vs_generate(r: dict[str, Any]) -> str:
    engine = pick(r, "in_process.engine.decode_tok_s")
    return f"{number(engine)} ({ratio(engine, pick(r, 'in_process.generate.decode_tok_s'))})"


def _in_process_ttft(r: dict[str, Any]) -> float | None:
    """In-process time to first text on the backend the UI was measured on."""
    if r.get("ui_backend") == "llama.cpp":
        return pick(r, "llama_cpp.f16.first_text_s")
    return pick(r, ENGINE_TTFT)


def _ui_overhead(r: dict[str, Any]) -> str:
    return difference_ms(pick(r, "ui.ttft_s"), _in_process_ttft(r))


ROWS: list[Row] = [
    ("parameters (M)", _figure("params", 1, 1e-6)),
    ("dtype", lambda r: r.get("dtype") or MISSING),
    ("weight MB", _figure("weight_mb", 0)),
    ("prompt + new tokens", lambda r: f"{r.get('prompt_tokens')} + {r.get('new_tokens')}"),
    ("engine load s", _figure("load_s", 2)),
    ("generate() tok/s (decode)", _figure("in_process.generate.decode_tok_s")),
    ("engine tok/s (decode, vs generate)", _engine_vs_generate),
    ("generate() TTFT ms", _figure("in_process.generate.first_token_s", 0, 1e3)),
    ("engine TTFT in-process ms", _figure(ENGINE_TTFT, 0, 1e3)),
    ("UI and visitors measured on", lambda r: r.get("ui_backend") or MISSING),
    ("TTFT via UI ms (a client like the page's)", _figure("ui.ttft_s", 0, 1e3)),
    ("UI overhead ms", _ui_overhead),
    ("TTFT via gradio_client ms", _figure("ui.gradio_client_ttft_s", 0, 1e3)),
    ("1 visitor via UI tok/s (incl. prompt)", _figure("ui.tok_s")),
    ("bandwidth ceiling tok/s", _figure("ceiling.tok_s")),
    ("engine fraction of ceiling", _figure("ceiling.engine_fraction", 2)),
    ("app.py start -> HTTP 200 s", _figure("app.start_to_200_s", 2)),
    ("app.py start -> first token s", _figure("app.start_to_first_token_s", 2)),
]


def _speed(figures: dict[str, Any], r: dict[str, Any]) -> str:
    tok_s, generate = figures.get("decode_tok_s"), pick(r, "in_process.generate.decode_tok_s")
    return f"{number(tok_s)} ({number(figures.get('fraction'), 2)}; {ratio(tok_s, generate)})"


def _match(figures: dict[str, Any], _: dict[str, Any]) -> str:
    return f"{number(figures.get('match'), 2)} / {figures.get('same_prefix')}"


def _crowd_speed(figures: dict[str, Any], _: dict[str, Any]) -> str:
    crowd = figures.get(f"crowd_{CROWD}_tok_s")
    if crowd is None:
        return MISSING
    return _speedup(crowd, figures.get("one_tok_s"), figures.get(f"crowd_{CROWD}_ceiling"))


def _speedup(tok_s: float | None, one: float | None, ceiling: float | None) -> str:
    """A crowd's tok/s, its ratio to one visitor's, and what the bare decode steps allow
    (studio.bench.decode_steps) where that was measured: 54.0 (1.80x; steps allow 1.94x)."""
    allowed = "" if ceiling is None else f"; steps allow {number(ceiling, 2)}x"
    return f"{number(tok_s)} ({ratio(tok_s, one)}{allowed})"


def _steps(figures: dict[str, Any], _: dict[str, Any]) -> str:
    steps = figures.get("step_ms") or {}
    return " / ".join(number(steps.get(str(n))) for n in (1, 2, CROWD))


def _figures(path: str, show: Callable[[dict[str, Any], dict[str, Any]], str]) -> Callable:
    """A cell from the figures at path (show(figures, result)), or a dash without them."""

    def cell(r: dict[str, Any]) -> str:
        figures = pick(r, path)
        return MISSING if figures is None else show(figures, r)

    return cell


LLAMA_ROWS: list[Row] = [
    row
    for kind in GGUF_TYPES
    for row in (
        (
            f"llama.cpp {kind} tok/s (of its ceiling; vs generate)",
            _figures(f"llama_cpp.{kind}", _speed),
        ),
        (
            f"llama.cpp {kind} greedy match / same first words",
            _figures(f"llama_cpp.{kind}", _match),
        ),
        (
            f"llama.cpp {kind} {CROWD} at once: aggregate tok/s (vs 1)",
            _figures(f"llama_cpp.{kind}", _crowd_speed),
        ),
        (
            f"llama.cpp {kind} bare decode step ms, 1 / 2 / {CROWD} at once",
            _figures(f"llama_cpp.{kind}", _steps),
        ),
    )
]


def _torch_speed(figures: dict[str, Any], r: dict[str, Any]) -> str:
    tok_s, fp32 = figures.get("decode_tok_s"), pick(r, "torch_options.fp32.decode_tok_s")
    return f"{number(tok_s)} ({ratio(tok_s, fp32)}); {_match(figures, r)}"


TORCH_ROWS: list[Row] = [
    (
        f"transformers {option} tok/s (vs fp32); greedy match / same first",
        _figures(f"torch_options.{option}", _torch_speed),
    )
    for option in TORCH_OPTIONS
]
MEMORY_ROWS: list[Row] = [
    ("peak RSS MB (worker: model + app + visitors)", _figure("peak_rss_mb", 0)),
    ("peak RSS MB (app.py to first token)", _figure("app.peak_rss_mb", 0)),
]


def crowd_sizes(results: Sequence[dict[str, Any]]) -> list[int]:
    """Every crowd size measured for any model, smallest first."""
    sizes = {c["visitors"] for r in results for c in (pick(r, "ui.crowds") or [])}
    return sorted(sizes)


def format_report(payload: dict[str, Any]) -> str:
    """The whole printed report: machine line, table of figures, and any errors."""
    results = payload["models"]
    rows_spec = list(ROWS)
    if any(r.get("torch_options") for r in results):
        rows_spec += TORCH_ROWS
    if any(r.get("llama_cpp") for r in results):
        rows_spec += LLAMA_ROWS
    for size in crowd_sizes(results):
        rows_spec += _crowd_rows(size)
    rows_spec += MEMORY_ROWS
    rows = [[label, *(fn(r) for r in results)] for label, fn in rows_spec]
    machine = payload["machine"]
    head = (
        f"studio.bench ({'quick' if payload.get('quick') else 'full'}) · "
        f"{machine.get('cpus')} CPUs, {machine.get('torch_threads')} torch threads · "
        f"read bandwidth {number(machine.get('bandwidth_gb_s'), 1)} GB/s · "
        f"torch {machine.get('torch')}, transformers {machine.get('transformers')}, "
        f"gradio {machine.get('gradio')} · wall {number(payload.get('wall_s'), 0)} s"
    )
    text = head + "\n\n" + format_table(["", *(r["model"] for r in results)], rows)
    errors = [f"{r['model']} {step}: {msg}" for r in results for step, msg in r["errors"].items()]
    if errors:
        text += "\n\nerrors:\n" + "\n".join(f"  {e}" for e in errors)
    return text
