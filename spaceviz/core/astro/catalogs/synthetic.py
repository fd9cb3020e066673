"""A synthetic asteroid belt: a deterministic made-up population, labelled synthetic."""

from __future__ import annotations

import numpy as np

from spaceviz.core.astro.catalogs.catalog import (
    CATALOG_DTYPE,
    Catalog,
    CatalogSummary,
    check_fits_in_memory,
)
from spaceviz.core.astro.catalogs.codec import as_strings, ascii_digits

# ---------------------------------------------------------------------------------------------
# a synthetic belt

SYNTHETIC_EPOCH_TDB = 2460800.5  # 2025-05-05 0h TDB
KIRKWOOD_GAPS_AU = {"3:1": (2.502, 0.030), "5:2": (2.825, 0.020), "7:3": (2.958, 0.012),
                    "2:1": (3.279, 0.040)}
"""Resonance -> (centre, half width) in AU of the gaps carved into the synthetic main belt."""

_JUPITER_L0_DEG = 34.39644051       # mean longitude at J2000 (Standish, JPL approximate elements)
_JUPITER_L_RATE_DEG_PER_DAY = 3034.74612775 / 36525.0
_JUPITER_A_AU = 5.20288700


def synthetic_belt(n: int, seed: int = 1) -> Catalog:
    """A deterministic made-up asteroid population of n objects (labelled synthetic).

    Main belt (2.1-3.3 AU, Kirkwood gaps at 2.50, 2.82, 2.95, 3.27 AU), Hungarias, Hildas
    (~3.97 AU), Jupiter trojans (a ~ 5.2 AU, mean longitude Jupiter's +-60 degrees) and NEOs.
    Ecliptic J2000 elements at SYNTHETIC_EPOCH_TDB; groups index spaceviz.core.astro.catalogs.population.GROUP_NAMES.
    """
    from spaceviz.core.astro.catalogs.population import GROUP_NAMES

    if n < 0:
        raise ValueError("n must be >= 0")
    check_fits_in_memory(n, source="synthetic belt", bytes_per_row=200)
    rng = np.random.default_rng(seed)
    shares = {"Main belt": 0.905, "Inner (Hungaria)": 0.012, "Hilda": 0.013,
              "Jupiter trojan": 0.045, "Near-Earth": 0.025}
    counts = {k: int(round(v * n)) for k, v in shares.items()}
    counts["Main belt"] += n - sum(counts.values())
    a, e, i, group = [], [], [], []

    def add(name, a_k, e_k, i_k):
        a.append(a_k)
        e.append(e_k)
        i.append(i_k)
        group.append(np.full(len(a_k), GROUP_NAMES.index(name), dtype=np.int8))

    k = counts["Main belt"]
    add("Main belt", _main_belt_a(rng, k), np.clip(rng.rayleigh(0.09, k), 0.0, 0.35),
        np.clip(rng.rayleigh(7.5, k), 0.0, 35.0))
    k = counts["Inner (Hungaria)"]
    add("Inner (Hungaria)", rng.uniform(1.80, 2.00, k), rng.uniform(0.02, 0.17, k),
        rng.uniform(16.0, 34.0, k))
    k = counts["Hilda"]
    add("Hilda", rng.normal(3.97, 0.03, k), rng.uniform(0.05, 0.30, k),
        np.clip(rng.rayleigh(8.0, k), 0.0, 20.0))
    k = counts["Jupiter trojan"]
    add("Jupiter trojan", rng.normal(_JUPITER_A_AU, 0.03, k), np.clip(rng.rayleigh(0.06, k), 0, 0.2),
        np.clip(rng.rayleigh(12.0, k), 0.0, 40.0))
    k = counts["Near-Earth"]
    a_neo = np.exp(rng.normal(np.log(1.7), 0.35, k)).clip(0.7, 4.0)
    q_neo = rng.uniform(0.3, 1.3, k)
    q_neo = np.minimum(q_neo, 0.97 * a_neo)
    add("Near-Earth", a_neo, np.clip(1.0 - q_neo / a_neo, 0.01, 0.95),
        np.clip(rng.rayleigh(11.0, k), 0.0, 60.0))
    a_au, e_, i_deg, grp = (np.concatenate(x) for x in (a, e, i, group))
    node = rng.uniform(0.0, 360.0, n)
    peri = rng.uniform(0.0, 360.0, n)
    mean = rng.uniform(0.0, 360.0, n)
    trojan = grp == GROUP_NAMES.index("Jupiter trojan")
    if np.any(trojan):  # lambda = node + peri + M librating about Jupiter's lambda +- 60
        lam_j = _JUPITER_L0_DEG + _JUPITER_L_RATE_DEG_PER_DAY * (SYNTHETIC_EPOCH_TDB - 2451545.0)
        side = np.where(rng.random(int(trojan.sum())) < 0.6, 60.0, -60.0)  # L4 more populous
        lam = lam_j + side + rng.normal(0.0, 12.0, int(trojan.sum()))
        mean[trojan] = np.mod(lam - node[trojan] - peri[trojan], 360.0)
    records = np.zeros(n, dtype=CATALOG_DTYPE)
    records["number"] = -1
    serial = np.concatenate([np.frombuffer(b"SYN ", np.uint8)[None, :].repeat(n, 0),
                             ascii_digits(np.arange(1, n + 1), 7)], axis=1) if n else np.zeros((0, 11))
    records["designation"] = as_strings(serial) if n else records["designation"]
    records["a_au"], records["e"], records["i_rad"] = a_au, e_, np.radians(i_deg)
    records["node_rad"], records["peri_rad"] = np.radians(node), np.radians(peri)
    records["M_rad"], records["epoch_tdb"] = np.radians(mean), SYNTHETIC_EPOCH_TDB
    records["H"] = np.where(grp == GROUP_NAMES.index("Near-Earth"), rng.uniform(15, 25, n),
                            10.0 + 9.0 * rng.power(2.5, n)).astype(np.float32)
    records["G"] = 0.15
    records["diameter_km"] = np.nan
    records["group"] = grp
    summary = CatalogSummary(source=f"synthetic belt (n={n}, seed={seed})", format="synthetic",
                             loaded=n, synthetic=True)
    return Catalog(records, summary)


def _main_belt_a(rng: np.random.Generator, k: int) -> np.ndarray:
    """Semi-major axes (AU) of the main belt with most objects removed from the Kirkwood gaps."""

    a = rng.normal(2.72, 0.28, k)
    stays_in_gap = rng.random(k) < 0.03  # a thin residue, as in the real gaps
    for _ in range(60):  # redraw rounds, each over the few objects still to place
        redo = (a < 2.1) | (a > 3.3)
        for centre, half in KIRKWOOD_GAPS_AU.values():
            redo |= (np.abs(a - centre) < half) & ~stays_in_gap
        redo = np.flatnonzero(redo)
        if len(redo) == 0:
            break
        a[redo] = rng.normal(2.72, 0.28, len(redo))
    return np.clip(a, 2.1, 3.3)
