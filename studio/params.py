"""The one table of sampling parameters.

Each parameter is declared once here with its label, range, step, default and help. The same
table builds the sliders in the UI, validates requests that arrive through the API, and turns a
validated request into keyword arguments for ``model.generate``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

MAX_SEED = 2**31 - 1


@dataclass(frozen=True)
class Param:
    """One sampling parameter: its bounds, default and the words a writer sees."""

    name: str
    label: str
    minimum: float
    maximum: float
    step: float
    default: float
    help: str
    integer: bool = False
    sampling_only: bool = False  # dropped in greedy mode: generate() would ignore it and warn


PARAMS: tuple[Param, ...] = (
    # Softmax temperature; 0 means greedy decoding (always the most likely token).
    Param("temperature", "Temperature", minimum=0.0, maximum=2.0, step=0.05, default=0.8,
          help="Higher is more surprising, lower is safer. 0 = always the most likely word.",
          sampling_only=True),
    # Nucleus sampling: keep the smallest set of tokens whose probabilities add up to top_p.
    Param("top_p", "Top-p", minimum=0.01, maximum=1.0, step=0.01, default=0.95,
          help="Consider only the likeliest words that together make up this share.",
          sampling_only=True),
    # Keep only the k most likely tokens; 0 switches the filter off.
    Param("top_k", "Top-k", minimum=0, maximum=200, step=1, default=50,
          help="Consider only this many of the most likely words. 0 = no limit.",
          integer=True, sampling_only=True),
    # Drop tokens less likely than min_p times the most likely one; 0 switches it off.
    Param("min_p", "Min-p", minimum=0.0, maximum=1.0, step=0.01, default=0.0,
          help="Drop words less likely than this fraction of the best one. 0 = off.",
          sampling_only=True),
    # Divides the logits of tokens already in the text; 1.0 means no penalty.
    Param("repetition_penalty", "Repetition penalty", minimum=1.0, maximum=2.0, step=0.01,
          default=1.1, help="Discourages repeating words already written. 1.0 = off."),
    # Forbid any n-gram of this many tokens from appearing twice; 0 switches it off.
    Param("no_repeat_ngram_size", "No-repeat n-gram", minimum=0, maximum=10, step=1, default=0,
          help="Never repeat a run of this many tokens. 0 = off.", integer=True),
    # Upper bound on generated tokens (~3/4 of an English word, or 1-2 Chinese characters, each).
    Param("max_new_tokens", "Max new tokens", minimum=1, maximum=2048, step=1, default=256,
          help="The most tokens to write (a token is ~0.75 English words or 1-2 汉字).",
          integer=True),
    # Random seed; -1 picks a fresh one, which is reported so the writer can reproduce the text.
    Param("seed", "Seed", minimum=-1, maximum=MAX_SEED, step=1, default=-1,
          help="Same seed, settings and prompt give the same text. -1 = new random seed.",
          integer=True),
)  # fmt: skip

PARAMS_BY_NAME: dict[str, Param] = {p.name: p for p in PARAMS}
GREEDY_HELP = (
    "Always pick the most likely word: repeatable, less varied. Sampling settings are ignored."
)


class ParamError(ValueError):
    """A sampling parameter outside its range or of the wrong type; the message names it."""


@dataclass(frozen=True)
class Sampling:
    """A validated set of sampling parameters."""

    values: dict[str, float] = field(default_factory=dict)
    greedy: bool = False

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    @property
    def is_greedy(self) -> bool:
        """True when decoding is greedy: the checkbox is on or the temperature is 0."""
        return self.greedy or self.values["temperature"] == 0

    def with_seed(self, seed: int) -> Sampling:
        """A copy with the given seed (used to record the seed a random run actually used)."""
        return Sampling({**self.values, "seed": seed}, self.greedy)

    def to_generate_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``model.generate``; greedy mode drops the sampling-only ones."""
        kwargs: dict[str, Any] = {
            "max_new_tokens": int(self.values["max_new_tokens"]),
            "repetition_penalty": float(self.values["repetition_penalty"]),
        }
        if self.values["no_repeat_ngram_size"]:
            kwargs["no_repeat_ngram_size"] = int(self.values["no_repeat_ngram_size"])
        if self.is_greedy:
            kwargs["do_sample"] = False
            return kwargs
        kwargs.update(
            do_sample=True,
            temperature=float(self.values["temperature"]),
            top_p=float(self.values["top_p"]),
            top_k=int(self.values["top_k"]),
        )
        if self.values["min_p"] > 0:
            kwargs["min_p"] = float(self.values["min_p"])
        return kwargs


def defaults(**overrides: float) -> dict[str, float]:
    """Default values of every parameter, with per-tab overrides (checked against the table)."""
    values = {p.name: p.default for p in PARAMS}
    for name, value in overrides.items():
        if name not in PARAMS_BY_NAME:
            raise KeyError(f"unknown sampling parameter {name!r}")
        values[name] = value
    validate(values)
    return values


def _check(param: Param, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ParamError(f"{param.label} must be a number, got {value!r}.")
    if isinstance(value, float) and not math.isfinite(value):
        raise ParamError(f"{param.label} must be a finite number, got {value!r}.")
    if param.integer and value != int(value):
        raise ParamError(f"{param.label} must be a whole number, got {value!r}.")
    if not param.minimum <= value <= param.maximum:
        raise ParamError(
            f"{param.label} must be between {param.minimum:g} and {param.maximum:g}, got {value!r}."
        )
    return int(value) if param.integer else float(value)


def check_value(name: str, value: Any) -> float:
    """One parameter's value, checked against the table (ParamError if it does not fit)."""
    return _check(PARAMS_BY_NAME[name], value)


def validate(values: dict[str, Any], greedy: bool = False) -> Sampling:
    """Check every parameter against the table; missing ones take their default.

    Out-of-range or mistyped values raise ParamError with a message a writer can act on;
    nothing is clamped silently.
    """
    unknown = set(values) - set(PARAMS_BY_NAME)
    if unknown:
        raise ParamError(f"Unknown sampling parameter(s): {', '.join(sorted(unknown))}.")
    if not isinstance(greedy, bool):
        raise ParamError(f"Greedy must be true or false, got {greedy!r}.")
    checked = {
        p.name: _check(p, values[p.name]) if values.get(p.name) is not None else p.default
        for p in PARAMS
    }
    return Sampling(checked, greedy)
