"""Tables written for other tools: a porkchop grid as CSV (atomic)."""

from __future__ import annotations

import csv
from pathlib import Path

from spaceviz.core.astro.time import format_iso_array
from spaceviz.core.mission.trajectories import Porkchop, porkchop_rows
from spaceviz.export.files import atomic_output

PORKCHOP_COLUMNS = ("depart_utc", "arrive_utc", "tof_days", "c3_km2_s2", "departure_dv_km_s",
                    "arrival_dv_km_s", "total_dv_km_s")


def write_porkchop_csv(grid: Porkchop, out: str | Path) -> int:
    """Every cell of a porkchop grid, departures outer and flight times inner, with a header
    (PORKCHOP_COLUMNS); cells without a transfer have empty values. Returns the row count."""
    rows = porkchop_rows(grid)
    departs = format_iso_array([row[0] for row in rows])
    arrives = format_iso_array([row[1] for row in rows])
    with atomic_output(out) as part, open(part, "w", newline="", encoding="ascii") as handle:
        writer = csv.writer(handle)
        writer.writerow(PORKCHOP_COLUMNS)
        for depart, arrive, (_, _, tof, *values) in zip(departs, arrives, rows, strict=True):
            numbers = ["" if value != value else f"{value:.6f}" for value in values]
            writer.writerow([depart, arrive, f"{tof:.6f}", *numbers])
    return len(rows)
