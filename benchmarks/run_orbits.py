"""Orbit propagation and MPCORB loading, ours vs skyfield side by side: a markdown table.

Usage: `.venv/bin/python benchmarks/run_orbits.py [--lines N]` (default 1,400,000 MPCORB lines).
Times are the best of several runs in one process; the ratio is skyfield time / ours.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_orbits import T, skyfield_orbits  # noqa: E402
from spaceviz.core.astro.catalogs.mpcorb import parse_mpcorb, write_mpcorb
from spaceviz.core.astro.catalogs.synthetic import synthetic_belt  # noqa: E402
from spaceviz.core.astro.orbits import propagate, propagate_positions  # noqa: E402


def best_of(function, repeat: int = 5) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


def fmt(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s" if seconds < 120 else f"{seconds / 3600:.1f} h"


def propagation_rows(n: int = 500) -> list[str]:
    belt = synthetic_belt(n, seed=7)
    elements = belt.elements()
    ts, orbits = skyfield_orbits(belt.records)
    t = ts.tt_jd(T)
    ours_s, (pos, _) = best_of(lambda: propagate(elements, T))
    theirs_s, states = best_of(lambda: [o._at(t) for o in orbits], repeat=2)
    diff = np.abs(pos - np.stack([s[0] for s in states], axis=1)).max()
    rows = [f"| {n:,} asteroids at one time | {fmt(ours_s)} | {fmt(theirs_s)} (KeplerOrbit, "
            f"one object at a time) | **{theirs_s / ours_s:.0f}x** | {diff:.1e} AU |"]
    times = T + np.linspace(0.0, 3652.5, 10_000)
    ttimes = ts.tt_jd(times)
    ours_s, (pos, _) = best_of(lambda: propagate(elements[0], times))
    theirs_s, state = best_of(lambda: orbits[0]._at(ttimes))
    diff = np.abs(pos - state[0]).max()
    rows.append(f"| 1 asteroid at 10,000 times | {fmt(ours_s)} | {fmt(theirs_s)} (KeplerOrbit, "
                f"vectorised over time) | **{theirs_s / ours_s:.1f}x** | {diff:.1e} AU |")
    big = synthetic_belt(1_400_000, seed=1).elements()
    per_object = best_of(lambda: orbits[1]._at(t), repeat=20)[0]
    ours_s, _ = best_of(lambda: propagate_positions(big, T), repeat=3)
    estimate = per_object * 1_400_000
    rows.append(f"| 1,400,000 asteroids at one time (positions) | {fmt(ours_s)} | "
                f"~{fmt(estimate)} (estimated: {per_object * 1e6:.0f} us per object) | "
                f"~{estimate / ours_s:.0f}x | |")
    return rows


def mpcorb_rows(lines: int) -> list[str]:
    from skyfield.data.mpc import load_mpcorb_dataframe

    out = io.BytesIO()
    write_mpcorb(synthetic_belt(lines, seed=1).records, out, number_unnumbered=True)
    data = out.getvalue()
    body = data[data.index(b"-----"):].split(b"\n", 1)[1]  # skyfield's reader has no header skip
    ours_s, catalog = best_of(lambda: parse_mpcorb(data), repeat=3)
    theirs_s, frame = best_of(lambda: load_mpcorb_dataframe(io.BytesIO(body)), repeat=1)
    r = catalog.records
    diff_a = np.abs(r["a_au"] - frame.semimajor_axis_au.to_numpy()).max()
    diff_m = np.abs(np.degrees(r["M_rad"]) - frame.mean_anomaly_degrees.to_numpy()).max()
    assert len(catalog) == len(frame) == lines
    return [f"| MPCORB.DAT, {lines:,} lines ({len(data) / 1e6:.0f} MB) | {fmt(ours_s)} | "
            f"{fmt(theirs_s)} (load_mpcorb_dataframe, pandas) | **{theirs_s / ours_s:.1f}x** | "
            f"a {diff_a:.0e} AU, M {diff_m:.0e} deg |"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=1_400_000)
    args = parser.parse_args()
    rows = propagation_rows() + mpcorb_rows(args.lines)
    print("### Orbits and catalogues (spaceviz.core.astro.orbits / catalogs vs skyfield)\n")
    print("| case | ours | skyfield | ratio | max difference |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
