"""A population of asteroids as arrays: orbits, groups, classes, magnitudes, names.

Whatever the source (MPCORB, SBDB CSV, a synthetic generator), the render layer sees a
`Population`; its orbits are an OrbitalElements like every other orbit in spaceviz.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from spaceviz.core.astro.orbits import OrbitalElements

GROUP_NAMES = ("Main belt", "Near-Earth", "Hilda", "Jupiter trojan", "Inner (Hungaria)",
               "Outer / Centaur", "Other", "Mining target")
GROUP_COLORS = (
    (0.62, 0.64, 0.72, 0.30), (1.00, 0.45, 0.30, 0.90), (0.40, 0.80, 0.55, 0.75),
    (0.75, 0.55, 1.00, 0.75), (0.95, 0.85, 0.45, 0.75), (0.45, 0.75, 1.00, 0.75),
    (0.70, 0.70, 0.70, 0.60), (1.00, 0.85, 0.20, 1.00),
)
CLASS_NAMES = ("C", "S", "M", "X", "V", "D", "other", "unknown")
CLASS_COLORS = (
    (0.45, 0.55, 0.85, 0.75), (0.90, 0.60, 0.35, 0.75), (0.85, 0.85, 0.95, 0.90),
    (0.70, 0.70, 0.80, 0.75), (0.95, 0.40, 0.60, 0.85), (0.60, 0.35, 0.25, 0.75),
    (0.55, 0.75, 0.55, 0.65), (0.50, 0.50, 0.55, 0.45),
)



def classify_groups(a_au: np.ndarray, e: np.ndarray, i_deg: np.ndarray) -> np.ndarray:
    """Dynamical group ids (indices in GROUP_NAMES) from a, e, i, vectorised."""
    a_au, e, i_deg = (np.asarray(v, dtype=np.float64) for v in (a_au, e, i_deg))
    q_au = a_au * (1.0 - e)
    group = np.full(a_au.shape, GROUP_NAMES.index("Other"), dtype=np.int8)
    group[(a_au >= 2.0) & (a_au <= 3.3)] = GROUP_NAMES.index("Main belt")
    group[(a_au >= 1.78) & (a_au < 2.0) & (i_deg > 16)] = GROUP_NAMES.index("Inner (Hungaria)")
    group[(a_au >= 3.7) & (a_au <= 4.2) & (e < 0.3)] = GROUP_NAMES.index("Hilda")
    group[(a_au >= 5.05) & (a_au <= 5.35)] = GROUP_NAMES.index("Jupiter trojan")
    group[a_au > 5.5] = GROUP_NAMES.index("Outer / Centaur")
    group[q_au < 1.3] = GROUP_NAMES.index("Near-Earth")
    return group


@dataclass(eq=False)
class Population:
    """N asteroids drawn together: their orbits (one OrbitalElements) and, per object, a
    display name ("(1) Ceres"; `labels` is an array of them, or a function from row indices
    to names, so a million names are only made when asked for), absolute magnitude H (NaN
    when unknown), dynamical group (index in GROUP_NAMES) and spectral class (index in
    CLASS_NAMES); `source` names where they came from and `synthetic` marks a made-up
    population."""

    elements: OrbitalElements
    labels: np.ndarray | Callable[[np.ndarray], np.ndarray]
    H: np.ndarray
    group: np.ndarray
    spectral: np.ndarray
    source: str = ""
    synthetic: bool = False

    def __len__(self) -> int:
        return len(self.elements)

    def name(self, index: int) -> str:
        """The display name of one object."""
        if callable(self.labels):
            return str(self.labels(np.array([index]))[0])
        return str(self.labels[index])
