"""Orbit lines of the planets and the Moon, sampled from the ephemeris over one period.

Samples are heliocentric (geocentric for the Moon) float64, computed once; each frame they
are placed at the parent's current position and uploaded relative to the focus.
"""

from __future__ import annotations

import numpy as np
from vispy.scene.visuals import Line

from spaceviz.core.astro.bodies import BODIES
from spaceviz.render.gpu import rgba, to_gpu
from spaceviz.render.layers import Frame, Layer

SAMPLES = 721
MOON_SAMPLES = 241
ORBIT_ALPHA = 0.45


def sample_window(ephemeris, center_tdb: float, period_days: float) -> np.ndarray:
    """Times covering one period around `center_tdb`, shifted to fit the kernel's span."""
    span = min(period_days, ephemeris.end_tdb - ephemeris.start_tdb - 2.0)
    start = center_tdb - span / 2
    start = min(max(start, ephemeris.start_tdb + 1.0), ephemeris.end_tdb - 1.0 - span)
    return np.linspace(start, start + span, SAMPLES)


class OrbitsLayer(Layer):
    """One Line visual holding every orbit (segments joined through a connect array)."""

    def __init__(self, scene):
        super().__init__(scene)
        ephemeris = scene.world.ephemeris
        center = 0.5 * (scene.timeline.start + scene.timeline.end)
        self.planets = [n for n, b in BODIES.items() if b.parent == "Sun"]
        self.helio_paths = {}
        for name in self.planets:
            times = sample_window(ephemeris, center, BODIES[name].orbital_period_days)
            self.helio_paths[name] = ephemeris.position(name, times) - ephemeris.position("Sun", times)
        self._moon_center = None
        self._moon_path = None
        counts = [SAMPLES] * len(self.planets) + [MOON_SAMPLES]
        starts = np.cumsum([0] + counts[:-1])
        self.connect = np.concatenate(
            [np.stack([np.arange(s, s + c - 1), np.arange(s + 1, s + c)], axis=1)
             for s, c in zip(starts, counts, strict=True)]).astype(np.uint32)
        colors = [np.tile(rgba(BODIES[n].color, ORBIT_ALPHA), (SAMPLES, 1)) for n in self.planets]
        colors.append(np.tile(rgba(BODIES["Moon"].color, ORBIT_ALPHA), (MOON_SAMPLES, 1)))
        self.colors = np.concatenate(colors).astype(np.float32)
        self.node = Line(parent=scene.view.scene, connect=self.connect, method="gl", antialias=True,
                         width=1.0)
        self.node.set_gl_state("translucent", depth_test=False)
        self.node.order = 0

    def _moon_geocentric(self, t_tdb: float) -> np.ndarray:
        if self._moon_center is None or abs(t_tdb - self._moon_center) > 1.0:
            ephemeris = self.scene.world.ephemeris
            period = BODIES["Moon"].orbital_period_days
            times = np.linspace(t_tdb - period / 2, t_tdb + period / 2, MOON_SAMPLES)
            times = np.clip(times, ephemeris.start_tdb, ephemeris.end_tdb)
            self._moon_path = ephemeris.position("Moon", times) - ephemeris.position("Earth", times)
            self._moon_center = t_tdb
        return self._moon_path

    def update(self, frame: Frame) -> None:
        world = self.scene.world
        parts = [self.helio_paths[n] + frame.sun_au[:, None] for n in self.planets]
        earth = frame.cache.get("Earth")
        if earth is None:
            earth = world.position("Earth", frame.t_tdb)
        parts.append(self._moon_geocentric(frame.t_tdb) + earth[:, None])
        vertices = to_gpu(np.concatenate(parts, axis=1), frame.focus_au)
        self.node.set_data(pos=vertices, color=self.colors, connect=self.connect)


class AsteroidOrbitsLayer(Layer):
    """Orbit lines of the scenario's asteroids (mining targets): Kepler ellipses, heliocentric,
    computed once and placed at the Sun's current position each frame."""

    def __init__(self, scene):
        super().__init__(scene)
        from spaceviz.core.astro.orbits import orbit_polyline

        elements = getattr(scene.world, "asteroid_elements", {})
        self.node = None
        if not elements:
            return
        paths = [orbit_polyline(el, n=SAMPLES) for el in elements.values()]
        self.helio = np.concatenate(paths, axis=1)
        starts = np.arange(len(paths)) * SAMPLES
        self.connect = np.concatenate(
            [np.stack([np.arange(s, s + SAMPLES - 1), np.arange(s + 1, s + SAMPLES)], axis=1)
             for s in starts]).astype(np.uint32)
        colors = [np.tile(rgba(scene.world.get(name).color, 0.2), (SAMPLES, 1)) for name in elements]
        self.colors = np.concatenate(colors).astype(np.float32)
        self.node = Line(parent=scene.view.scene, connect=self.connect, method="gl", antialias=True)
        self.node.set_gl_state("translucent", depth_test=False)
        self.node.order = 1

    def update(self, frame: Frame) -> None:
        if self.node is not None:
            vertices = to_gpu(self.helio + frame.sun_au[:, None], frame.focus_au)
            self.node.set_data(pos=vertices, color=self.colors, connect=self.connect)
