"""The camera pose: what it looks at, from how far and from which direction. Qt- and GL-free.

A pose is a focus target (an object name), a distance (AU), and azimuth/elevation (degrees)
around the focus in ICRF-aligned ecliptic-ish axes (the render layer decides the axes).
`fly_to` starts a smooth transition: the focus point slides from the old target to the new
one (both followed as they move) and the distance is interpolated logarithmically, so a move
from the whole solar system to a lunar site is as smooth as one between planets.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from psygnal import Signal

MIN_DISTANCE_AU = 1e-12  # 15 cm
MAX_DISTANCE_AU = 500.0


def smoothstep(u: float) -> float:
    """Ease in and out on 0..1 (zero velocity at both ends)."""
    u = min(max(u, 0.0), 1.0)
    return u * u * (3.0 - 2.0 * u)


def interpolate_log(a: float, b: float, u: float) -> float:
    """Geometric interpolation between two positive numbers (distances across scales)."""
    return math.exp(math.log(a) + (math.log(b) - math.log(a)) * u)


def interpolate_angle_deg(a: float, b: float, u: float) -> float:
    """Interpolate angles the short way round (degrees)."""
    delta = (b - a + 180.0) % 360.0 - 180.0
    return a + delta * u


def _phases(u: float, zooming_in: bool) -> tuple[float, float]:
    """Eased (focus, distance) progress: pan before zooming in, zoom out before panning."""
    early = smoothstep(u / 0.6)
    late = smoothstep((u - 0.3) / 0.7)
    return (early, late) if zooming_in else (late, early)


@dataclass
class _Transition:
    from_target: str
    to_target: str
    from_distance_au: float
    to_distance_au: float
    from_azimuth: float
    to_azimuth: float
    from_elevation: float
    to_elevation: float
    duration_s: float
    elapsed_s: float = 0.0

    def progress(self) -> tuple[float, float]:
        """(focus, distance) progress in 0..1."""
        u = self.elapsed_s / self.duration_s if self.duration_s > 0 else 1.0
        return _phases(u, self.to_distance_au < self.from_distance_au)


class CameraModel:
    """Evented camera pose; `changed` fires once per real change (batched per call)."""

    changed = Signal()
    target_changed = Signal(str)

    def __init__(self, target: str = "Sun", distance_au: float = 6.0, azimuth_deg: float = 30.0,
                 elevation_deg: float = 35.0, fov_deg: float = 45.0):
        self._target = target
        self._distance = distance_au
        self._azimuth = azimuth_deg
        self._elevation = elevation_deg
        self.fov_deg = fov_deg
        self._transition: _Transition | None = None
        self._blend: tuple[str, str, float] | None = None

    # --- pose --------------------------------------------------------------------------
    @property
    def target(self) -> str:
        """The name of the object the camera follows (the new one during a fly-to)."""
        return self._target

    @property
    def distance_au(self) -> float:
        return self._distance

    @property
    def azimuth_deg(self) -> float:
        return self._azimuth

    @property
    def elevation_deg(self) -> float:
        return self._elevation

    @property
    def in_transition(self) -> bool:
        return self._transition is not None

    def blend_pose(self) -> tuple[str, str, float, float, float, float]:
        """The pose as `set_blend` takes it (from_target, to_target, focus blend 0..1, distance
        AU, azimuth, elevation degrees): a copy made mid-flight looks at the same point."""
        tr = self._transition
        if tr is not None:
            focus_u, _ = tr.progress()
            return (tr.from_target, tr.to_target, focus_u, self._distance, self._azimuth,
                    self._elevation)
        if self._blend is not None:
            from_target, to_target, u = self._blend
            return from_target, to_target, u, self._distance, self._azimuth, self._elevation
        return self._target, self._target, 1.0, self._distance, self._azimuth, self._elevation

    def set_blend(self, from_target: str, to_target: str, focus_blend: float, distance_au: float,
                  azimuth_deg: float, elevation_deg: float) -> None:
        """An externally driven pose between two targets (tours): the focus is
        from + (to - from) * focus_blend, evaluated at the current time."""
        old = (self._target, self._distance, self._azimuth, self._elevation, self._blend)
        self._transition = None
        self._blend = None if focus_blend >= 1.0 or from_target == to_target else (
            from_target, to_target, float(focus_blend))
        self._target = to_target
        self._distance = min(max(float(distance_au), MIN_DISTANCE_AU), MAX_DISTANCE_AU)
        self._azimuth = float(azimuth_deg) % 360.0
        self._elevation = min(max(float(elevation_deg), -89.9), 89.9)
        if (self._target, self._distance, self._azimuth, self._elevation, self._blend) != old:
            if old[0] != self._target:
                self.target_changed.emit(self._target)
            self.changed.emit()

    def set_pose(self, target: str | None = None, distance_au: float | None = None,
                 azimuth_deg: float | None = None, elevation_deg: float | None = None) -> None:
        """Set any of the pose fields at once (one notification); ends a running transition."""
        self._transition = None
        self._blend = None
        old = (self._target, self._distance, self._azimuth, self._elevation)
        if target is not None:
            self._target = target
        if distance_au is not None:
            self._distance = min(max(float(distance_au), MIN_DISTANCE_AU), MAX_DISTANCE_AU)
        if azimuth_deg is not None:
            self._azimuth = float(azimuth_deg) % 360.0
        if elevation_deg is not None:
            self._elevation = min(max(float(elevation_deg), -89.9), 89.9)
        self._emit_if_changed(old)

    def _emit_if_changed(self, old: tuple) -> None:
        new = (self._target, self._distance, self._azimuth, self._elevation)
        if new != old:
            if new[0] != old[0]:
                self.target_changed.emit(self._target)
            self.changed.emit()

    def orbit(self, d_azimuth_deg: float, d_elevation_deg: float) -> None:
        """Rotate around the focus (mouse drag)."""
        self.set_pose(azimuth_deg=self._azimuth + d_azimuth_deg,
                      elevation_deg=self._elevation + d_elevation_deg)

    def zoom(self, factor: float) -> None:
        """Multiply the distance (factor < 1 moves closer)."""
        self.set_pose(distance_au=self._distance * factor)

    # --- transitions -------------------------------------------------------------------
    def fly_to(self, target: str, distance_au: float | None = None, azimuth_deg: float | None = None,
               elevation_deg: float | None = None, duration_s: float = 1.5) -> None:
        """Start a smooth move to a new target (and optionally a new distance and angles)."""
        from_target = self._target
        if self._transition is not None:
            from_target = self._transition.to_target
        transition = _Transition(
            from_target=from_target, to_target=target,
            from_distance_au=self._distance,
            to_distance_au=min(max(distance_au or self._distance, MIN_DISTANCE_AU), MAX_DISTANCE_AU),
            from_azimuth=self._azimuth,
            to_azimuth=self._azimuth if azimuth_deg is None else azimuth_deg,
            from_elevation=self._elevation,
            to_elevation=self._elevation if elevation_deg is None else elevation_deg,
            duration_s=max(duration_s, 0.0))
        old = (self._target, self._distance, self._azimuth, self._elevation)
        self._target = target
        self._blend = None
        self._transition = transition if duration_s > 0 else None
        if self._transition is None:
            self._distance = transition.to_distance_au
            self._azimuth = transition.to_azimuth % 360.0
            self._elevation = transition.to_elevation
        self._emit_if_changed(old)

    def step(self, wall_seconds: float) -> None:
        """Advance a running transition by wall-clock (or fixed export) seconds."""
        tr = self._transition
        if tr is None:
            return
        tr.elapsed_s += wall_seconds
        u = smoothstep(tr.elapsed_s / tr.duration_s)
        _, u_distance = tr.progress()
        old = (self._target, self._distance, self._azimuth, self._elevation)
        self._distance = interpolate_log(tr.from_distance_au, tr.to_distance_au, u_distance)
        self._azimuth = interpolate_angle_deg(tr.from_azimuth, tr.to_azimuth, u) % 360.0
        self._elevation = tr.from_elevation + (tr.to_elevation - tr.from_elevation) * u
        if tr.elapsed_s >= tr.duration_s - 1e-9:
            self._transition = None
        self._emit_if_changed(old)
        if self._transition is None and old == (self._target, self._distance, self._azimuth,
                                                self._elevation):
            self.changed.emit()

    def focus_position(self, position_of: Callable[[str], np.ndarray]) -> np.ndarray:
        """The focus point (AU, float64): the target's position, blended during a fly-to."""
        tr = self._transition
        if tr is None and self._blend is not None:
            from_target, to_target, u = self._blend
            start = np.asarray(position_of(from_target), dtype=np.float64)
            end = np.asarray(position_of(to_target), dtype=np.float64)
            return start + (end - start) * u
        if tr is None:
            return np.asarray(position_of(self._target), dtype=np.float64)
        u, _ = tr.progress()
        start = np.asarray(position_of(tr.from_target), dtype=np.float64)
        end = np.asarray(position_of(tr.to_target), dtype=np.float64)
        return start + (end - start) * u
