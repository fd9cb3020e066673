"""Atomic output files: write `F.part`, then rename, so a file appears only when complete."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_output(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; rename it to `path` only if the block succeeds."""
    final = Path(path)
    part = final.with_name(final.name + ".part")
    try:
        yield part
        os.replace(part, final)
    finally:
        if part.exists():
            part.unlink()
