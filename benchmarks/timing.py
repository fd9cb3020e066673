"""Shared timing helper for the benchmark scripts."""

from __future__ import annotations

import time


def best_of(function, repeat: int = 5) -> float:
    """The fastest of `repeat` runs of `function()`, in seconds (least disturbed by noise)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)
