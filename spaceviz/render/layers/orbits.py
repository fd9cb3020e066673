"""Orbit lines: the planets' and the Moon's from the ephemeris, the named asteroids' from
their elements. Each is uploaded once relative to the body it circles (the Sun, or the Earth
for the Moon) and follows that body by translation."""

from __future__ import annotations

import numpy as np

from spaceviz.core.astro.bodies import BODIES
from spaceviz.core.astro.orbits import orbit_polyline
from spaceviz.core.scenario.world import Asteroid, Body
from spaceviz.render.gpu import rgba
from spaceviz.render.layers.base import Anchor, Frame, Layer
from spaceviz.render.visuals.lines import Lines, polyline_segments

SAMPLES = 721
MOON_SAMPLES = 241
ORBIT_ALPHA = 0.45
MOON_RESAMPLE_DAYS = 1.0


def sample_window(ephemeris, center_tdb: float, period_days: float) -> np.ndarray:
    """Times covering one period around `center_tdb`, shifted to fit the kernel's span."""
    span = min(period_days, ephemeris.end_tdb - ephemeris.start_tdb - 2.0)
    start = center_tdb - span / 2
    start = min(max(start, ephemeris.start_tdb + 1.0), ephemeris.end_tdb - 1.0 - span)
    return np.linspace(start, start + span, SAMPLES)


def fade_in(distance_au: float, start_au: float, full_au: float, floor: float = 0.0) -> float:
    """Opacity growing from `floor` at camera distance `start_au` to 1 at `full_au`
    (logarithmically): lines that matter at one scale stay out of the way at another."""
    if distance_au <= start_au:
        return floor
    u = np.log(distance_au / start_au) / np.log(full_au / start_au)
    return float(floor + (1.0 - floor) * min(u, 1.0))


class _AnchoredLines(Layer):
    """Lines sampled relative to an anchor body, uploaded when the anchor moved too far;
    faded in as the camera moves out from `fade_start_au` to `fade_full_au`."""

    anchor_body = "Sun"
    order = 0
    fade_start_au, fade_full_au, fade_floor = 2e-4, 0.05, 0.3

    def __init__(self, scene, records, relative_paths: list[np.ndarray], colors: np.ndarray):
        super().__init__(scene, records)
        self.relative = np.concatenate(relative_paths, axis=1)  # (3, N) AU about the anchor
        self.segments = polyline_segments([p.shape[1] for p in relative_paths])
        self.colors = colors
        self.anchor = Anchor(self.root, self.anchor_body)
        self.node = Lines(scene.occluders, parent=self.anchor.node)
        self.node.order = self.order
        self.watch(scene.state.timeline.time_changed)
        self.watch(scene.state.view.events.orbits)

    def refresh(self, frame: Frame) -> None:
        self.anchor.node.visible = self.scene.state.view.orbits
        body_au = self.scene.state.world.position(self.anchor_body, frame.t_tdb)
        if self.anchor.needs_upload(frame, body_au):
            self.node.set_data(frame.to_gpu(self.relative + body_au[:, None]), self.colors,
                               self.segments)
            self.anchor.uploaded(body_au)
        self.anchor.follow(body_au)

    def on_view(self, frame: Frame) -> None:
        self.node.set_opacity(fade_in(frame.distance_au, self.fade_start_au,
                                      self.fade_full_au, self.fade_floor))


class OrbitsLayer(_AnchoredLines):
    """The planets' orbits about the Sun: one period of ephemeris samples around the middle
    of the scenario, heliocentric."""

    def __init__(self, scene, records: list[Body]):
        ephemeris = scene.state.world.ephemeris
        timeline = scene.state.timeline
        center = 0.5 * (timeline.start + timeline.end)
        planets = [o for o in records if o.info.parent == "Sun"]
        paths = []
        for body in planets:
            times = sample_window(ephemeris, center, body.info.orbital_period_days)
            paths.append(ephemeris.position(body.name, times) - ephemeris.position("Sun", times))
        colors = np.concatenate([np.tile(rgba(b.info.color, ORBIT_ALPHA), (SAMPLES, 1))
                                 for b in planets]).astype(np.float32)
        super().__init__(scene, planets, paths, colors)


class MoonOrbitLayer(_AnchoredLines):
    """The Moon's path about the Earth over one month centred on the current time, resampled
    when the clock moves more than a day."""

    anchor_body = "Earth"
    fade_start_au, fade_full_au, fade_floor = 1e-5, 1e-3, 0.3

    def __init__(self, scene, records: list[Body]):
        self._center_tdb = scene.state.timeline.time
        color = np.tile(rgba(BODIES["Moon"].color, ORBIT_ALPHA), (MOON_SAMPLES, 1))
        path = geocentric_moon(scene.state.world.ephemeris, self._center_tdb)
        super().__init__(scene, [o for o in records if o.name == "Moon"], [path],
                         color.astype(np.float32))

    def refresh(self, frame: Frame) -> None:
        if abs(frame.t_tdb - self._center_tdb) > MOON_RESAMPLE_DAYS:
            self._center_tdb = frame.t_tdb
            self.relative = geocentric_moon(self.scene.state.world.ephemeris, frame.t_tdb)
            self.anchor.uploaded_at = None
        super().refresh(frame)


def geocentric_moon(ephemeris, t_tdb: float) -> np.ndarray:
    """(3, MOON_SAMPLES) geocentric ICRF positions (AU) of the Moon over a month around t."""
    period = BODIES["Moon"].orbital_period_days
    times = np.linspace(t_tdb - period / 2, t_tdb + period / 2, MOON_SAMPLES)
    times = np.clip(times, ephemeris.start_tdb, ephemeris.end_tdb)
    return ephemeris.position("Moon", times) - ephemeris.position("Earth", times)


class AsteroidOrbitsLayer(_AnchoredLines):
    """The named asteroids' Kepler ellipses about the Sun (faint; gone at Earth-Moon scale)."""

    order = 1
    fade_start_au, fade_full_au, fade_floor = 0.01, 0.3, 0.0

    def __init__(self, scene, records: list[Asteroid]):
        paths = [orbit_polyline(o.elements, n=SAMPLES) for o in records]
        colors = np.concatenate([np.tile(rgba(o.color, 0.2), (SAMPLES, 1))
                                 for o in records]).astype(np.float32)
        super().__init__(scene, records, paths, colors)
