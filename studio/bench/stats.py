"""Small statistics over timings: percentiles, medians and rates, free of torch and gradio."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation between ranks, like numpy's default.

    Raises ValueError for an empty sequence or a q outside 0-100.
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile must be between 0 and 100, got {q}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float | None]) -> float | None:
    """The median of the values that are not None, or None when there are none."""
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def rate(count: float, seconds: float) -> float | None:
    """count per second, or None when no time passed (a rate cannot be measured)."""
    return count / seconds if seconds > 0 else None


def decode_rate(token_times: Sequence[float]) -> float | None:
    """Tokens per second after the first token, from one timestamp per generated token."""
    if len(token_times) < 2:
        return None
    return rate(len(token_times) - 1, token_times[-1] - token_times[0])
