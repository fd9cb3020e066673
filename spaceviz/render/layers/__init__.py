"""Scene layers: one class per kind of core model, each owning its VisPy nodes.

`LAYER_TYPES` lists the layer classes in draw order; SpaceScene builds one of each.
A layer subscribes to nothing itself: SpaceScene calls `update(frame)` once per frame
with the shared per-frame values, and `pickables(frame)` for picking and labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Frame:
    """Per-frame values shared by all layers (computed once by SpaceScene.sync)."""

    t_tdb: float
    focus_au: np.ndarray          # (3,) barycentric ICRF AU, float64
    sun_au: np.ndarray            # (3,) barycentric ICRF AU
    cam_pos: np.ndarray           # (3,) display AU relative to focus
    basis: np.ndarray             # (3,3) rows right, up, back in display axes
    focal_px: float               # pixels per radian
    px_scale: float = 1.0         # framebuffer / logical pixels, for gl_PointSize only
    cache: dict = field(default_factory=dict)


@dataclass
class Pickables:
    """Named points a user can click: names and (N,3) float32 display positions."""

    names: list[str]
    positions: np.ndarray
    priority: np.ndarray  # higher wins when labels overlap
    radii_au: np.ndarray | None = None  # labels go beside the drawn disc, not on it


class Layer:
    """Base class: holds the scene and its nodes; subclasses fill update()."""

    def __init__(self, scene):
        self.scene = scene

    def update(self, frame: Frame) -> None:
        raise NotImplementedError

    def pickables(self, frame: Frame) -> Pickables | None:
        return None
