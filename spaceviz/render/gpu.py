"""The one place where core float64 state becomes GPU float32, and ICRF becomes display axes.

Core arrays are (3, N) float64 AU, barycentric ICRF (equatorial). The GPU gets (N, 3) float32
AU relative to the camera focus, rotated into ecliptic J2000 axes so the solar system lies
flat (+z = north ecliptic pole). Values near the camera keep their precision at any zoom.
"""

from __future__ import annotations

import numpy as np

from spaceviz.core.state.viewpoints import ICRF_TO_ECLIPTIC

ICRF_TO_DISPLAY = ICRF_TO_ECLIPTIC
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


def perifocal_arrays(a_au, e, i_rad, node_rad, peri_rad, equatorial=False):
    """Per-object (N,3) float32 a*P and a*sqrt(1-e^2)*Q in display (ecliptic J2000) axes.

    P points to perihelion and Q 90 degrees ahead in the orbit plane, for elements referred
    to the ecliptic J2000 (or, where `equatorial` is true, the ICRF equator). The position at
    eccentric anomaly E is then a*P*(cos E - e) + a*sqrt(1-e^2)*Q*sin E.
    """
    a_au, e, i_rad, node_rad, peri_rad = (np.asarray(v, dtype=np.float64)
                                          for v in (a_au, e, i_rad, node_rad, peri_rad))
    cw, sw = np.cos(peri_rad), np.sin(peri_rad)
    cn, sn = np.cos(node_rad), np.sin(node_rad)
    ci, si = np.cos(i_rad), np.sin(i_rad)
    p = np.stack([cw * cn - sw * sn * ci, cw * sn + sw * cn * ci, sw * si])
    q = np.stack([-sw * cn - cw * sn * ci, -sw * sn + cw * cn * ci, cw * si])
    equatorial = np.broadcast_to(np.asarray(equatorial, dtype=bool), a_au.shape)
    if equatorial.any():
        p[:, equatorial] = ICRF_TO_DISPLAY @ p[:, equatorial]
        q[:, equatorial] = ICRF_TO_DISPLAY @ q[:, equatorial]
    b_au = a_au * np.sqrt(1.0 - e * e)
    return (np.ascontiguousarray((p * a_au).T, dtype=np.float32),
            np.ascontiguousarray((q * b_au).T, dtype=np.float32))
