"""Helpers shared by tests (plain functions; fixtures live in conftest.py)."""

from __future__ import annotations


def session_from_text(text: str, source: str = "<scenario>", base_dir=None):
    """A Session from scenario TOML text, through the loader the app uses (relative paths
    against `base_dir`); raises InputFileError like `Session.load`."""
    from spaceviz.core.scenario.loader import read_scenario
    from spaceviz.core.scenario.session import Session

    return Session.from_read(read_scenario(text, source, base_dir))


def screen_position(scene, name: str):
    """Canvas pixel position (x, y) where a scene draws a named pickable object."""
    scene.sync()
    found = scene.collect_pickables()
    return scene.project(found.positions[[found.names.index(name)]])[0]


def image_position(projection, directions):
    """Output coordinates (..., 2) as u, v (0..1, v up) of view-frame directions (..., 3) in
    a fisheye or equirectangular projection: the inverse of `Projection.directions`, written
    independently from the conventions in core/state/projection.py; NaN outside the disc."""
    import math

    import numpy as np

    d = np.asarray(directions, dtype=np.float64)
    d = d / np.linalg.norm(d, axis=-1, keepdims=True)
    if projection.kind == "fisheye":
        t = math.radians(projection.tilt_deg)  # undo the tilt: turn back about the right axis
        y, z = d[..., 1], d[..., 2]
        dome = np.stack([d[..., 0], math.cos(t) * y - math.sin(t) * z,
                         math.sin(t) * y + math.cos(t) * z], axis=-1)
        theta = np.arccos(np.clip(dome[..., 2], -1.0, 1.0))
        phi = np.arctan2(dome[..., 1], dome[..., 0])
        r = theta / (math.radians(projection.fov_deg) / 2.0)
        uv = np.stack([(r * np.cos(phi) + 1.0) / 2.0, (r * np.sin(phi) + 1.0) / 2.0], axis=-1)
        uv[r > 1.0] = np.nan
        return uv
    lon = np.arctan2(d[..., 0], d[..., 2])
    lat = np.arcsin(np.clip(d[..., 1], -1.0, 1.0))
    return np.stack([lon / (2.0 * math.pi) + 0.5, lat / math.pi + 0.5], axis=-1)
