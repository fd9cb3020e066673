"""The one place where core float64 state becomes GPU float32, and ICRF becomes display axes.

Core arrays are (3, N) float64 AU, barycentric ICRF (equatorial). The GPU gets (N, 3) float32
AU relative to the camera focus, rotated into ecliptic J2000 axes so the solar system lies
flat (+z = north ecliptic pole). Values near the camera keep their precision at any zoom.
"""

from __future__ import annotations

import math

import numpy as np

from spaceviz.core.constants import OBLIQUITY_J2000_ARCSEC

_EPS = math.radians(OBLIQUITY_J2000_ARCSEC / 3600.0)
ICRF_TO_DISPLAY = np.array([
    [1.0, 0.0, 0.0],
    [0.0, math.cos(_EPS), math.sin(_EPS)],
    [0.0, -math.sin(_EPS), math.cos(_EPS)],
])
"""Rotation from ICRF (equatorial) to ecliptic J2000 display axes."""


def to_display(vectors: np.ndarray) -> np.ndarray:
    """Rotate (3, N) ICRF vectors into display (ecliptic J2000) axes, float64."""
    return ICRF_TO_DISPLAY @ np.asarray(vectors, dtype=np.float64)


def to_gpu(pos_au: np.ndarray, focus_au: np.ndarray) -> np.ndarray:
    """(3, N) barycentric ICRF AU -> (N, 3) float32 display AU relative to the focus.

    The subtraction happens in float64 before the cast, so objects near the focus keep
    sub-metre precision even when the focus is 30 AU from the barycentre.
    """
    pos = np.asarray(pos_au, dtype=np.float64)
    if pos.ndim == 1:
        pos = pos[:, None]
    rel = pos - np.asarray(focus_au, dtype=np.float64).reshape(3, 1)
    return np.ascontiguousarray((ICRF_TO_DISPLAY @ rel).T, dtype=np.float32)


def rgba(color, alpha: float = 1.0) -> np.ndarray:
    """An RGBA float32 array from an RGB(A) tuple in 0..1."""
    c = np.ones(4, dtype=np.float32)
    c[: len(color)] = color
    if len(color) == 3:
        c[3] = alpha
    return c
