"""Occluding spheres: the bodies that hide what lies behind them in this frame.

Bodies are impostors drawn without a depth buffer (no single depth range covers a lunar
close-up and the outer planets in float32), so hiding is analytic: a point is hidden when the
segment from the eye to it passes through a body's sphere. The shaders test it per vertex or
per fragment (shaders/occlusion.glsl), and the CPU tests labels and markers with the same
rule. Everything is relative to the eye in scene coordinates (AU, display axes, the focus at
the origin), which keeps float32 precise at every scale.
"""

from __future__ import annotations

import numpy as np

MAX_OCCLUDERS = 8
"""As many spheres as shaders/occlusion.glsl declares."""
MIN_OCCLUDER_PX = 1.0
"""A body hides things once its true disc is at least this many logical pixels in radius."""
SURFACE_SHRINK = 0.999
"""Points on a sphere's visible surface (lunar sites) stay visible."""


class Occluders:
    """The occluding spheres of a scene, updated in place every frame (visuals keep a
    reference and bind the current ones when they draw): `spheres` (K, 4) float32, centre
    relative to the eye in scene coordinates and radius (AU), largest on screen first; `eye`
    the eye in scene coordinates."""

    def __init__(self):
        self.spheres = np.zeros((0, 4), dtype=np.float32)
        self.eye = np.zeros(3, dtype=np.float32)

    def update(self, centres_scene: np.ndarray, radii_au: np.ndarray, eye_scene: np.ndarray,
               focal_px: float) -> None:
        """From body centres (N, 3) in scene coordinates (float64 AU) and radii (N,) AU: those
        drawn at least MIN_OCCLUDER_PX in radius, up to MAX_OCCLUDERS, largest first."""
        rel = np.asarray(centres_scene, dtype=np.float64).reshape(-1, 3) - np.asarray(
            eye_scene, dtype=np.float64)
        distance = np.linalg.norm(rel, axis=1)
        radii = np.asarray(radii_au, dtype=np.float64)
        screen_px = radii / np.maximum(distance, 1e-30) * focal_px
        keep = np.flatnonzero((screen_px >= MIN_OCCLUDER_PX) & (distance > radii))
        keep = keep[np.argsort(-screen_px[keep])][:MAX_OCCLUDERS]
        self.spheres = np.concatenate([rel[keep], radii[keep, None]], axis=1).astype(np.float32)
        self.eye = np.asarray(eye_scene, dtype=np.float32)

    def hidden(self, points_scene: np.ndarray) -> np.ndarray:
        """Which points (N, 3), in scene coordinates, lie behind (or inside) an occluder."""
        p = np.asarray(points_scene, dtype=np.float64) - self.eye.astype(np.float64)
        hidden = np.zeros(len(p), dtype=bool)
        pp = np.maximum(np.einsum("ij,ij->i", p, p), 1e-300)
        for sphere in self.spheres.astype(np.float64):  # at most MAX_OCCLUDERS
            centre, radius = sphere[:3], SURFACE_SHRINK * sphere[3]
            if centre @ centre <= radius * radius:
                continue  # the eye is inside: nothing to hide
            t = np.clip(p @ centre / pp, 0.0, 1.0)
            closest = centre[None, :] - t[:, None] * p
            hidden |= np.einsum("ij,ij->i", closest, closest) < radius * radius
        return hidden

    def bind(self, program) -> None:
        """Set the uniforms of shaders/occlusion.glsl on a VisPy program."""
        padded = np.zeros((MAX_OCCLUDERS, 4), dtype=np.float32)
        padded[: len(self.spheres)] = self.spheres
        for i, sphere in enumerate(padded):  # element by element: VisPy checks array shapes
            program[f"u_occluders[{i}]"] = sphere  # only once a program is linked
        program["u_occluder_count"] = float(len(self.spheres))
        program["u_eye"] = tuple(float(v) for v in self.eye)
