"""Shared pydantic building blocks for input files: strict models and typed fields.

Times become TDB Julian dates (float64) and must lie inside the ephemeris; paths stay
as written (the loader resolves them against the file's folder).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from spaceviz.core.astro.ephemeris import default_ephemeris
from spaceviz.core.astro.time import parse_time
from spaceviz.core.errors import UserError


def to_tdb(value: Any) -> float:
    if isinstance(value, dt.time):
        raise ValueError("a time of day alone is not a date; use 2030-01-01T00:00:00Z")
    if isinstance(value, bool | int | float):
        raise ValueError(f"{value!r} is not a time: write a string such as \"2030-01-01T00:00:00Z\" "
                         "(UTC) or \"jd:2462502.5\" (TDB Julian date)")
    try:
        t = parse_time(value)
    except UserError as exc:
        raise ValueError(str(exc)) from None
    ephemeris = default_ephemeris()
    if not ephemeris.start_tdb <= t <= ephemeris.end_tdb:
        raise ValueError(f"{value} is outside the {ephemeris.name} ephemeris range "
                         f"{ephemeris.range_text()}")
    return t


TimeTDB = Annotated[float, BeforeValidator(to_tdb)]
"""A time field: ISO-8601 UTC string, TOML datetime or `jd:<TDB>`, stored as TDB Julian date."""

Name = Annotated[str, Field(min_length=1, max_length=80)]
FilePath = Annotated[Path, BeforeValidator(lambda v: Path(v) if isinstance(v, str) else v)]
"""A path written as a string in TOML (relative to the scenario file)."""
Color = Annotated[tuple[float, float, float],
                  BeforeValidator(lambda v: tuple(v) if isinstance(v, list) else v)]
"""An RGB colour [r, g, b] with components in 0..1."""


class StrictModel(BaseModel):
    """Unknown keys are errors (they are usually typos); values are not coerced across types
    (`true` is not a number, `"3"` is not a number; integers are accepted as floats)."""

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True,
                              validate_default=True)
