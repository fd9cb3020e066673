"""What every scene layer shares: the per-frame values, the pickable points, and the Layer
base class that subscribes to the models a layer shows and redraws only when they change.

Positions go to the GPU relative to the scene's origin (`Frame.origin_au`, float64 on the
CPU), which the scene keeps within a few hundred camera distances of the focus; a layer whose
geometry moves rigidly with a body (orbits with the Sun, Earth-centred arcs with the Earth)
uploads it once and follows the body through a node translation (`Anchor`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from vispy.scene import Node
from vispy.visuals.transforms import STTransform

from spaceviz.render.gpu import to_display

REANCHOR_DISTANCES = 100.0
"""A translation larger than this many camera distances loses float32 precision near the
focus (1 part in 10^7 of the translation): geometry is then uploaded afresh."""


@dataclass
class Frame:
    """Per-frame values shared by all layers (computed once by SpaceScene.sync).

    origin_au: the float64 barycentric ICRF point that uploaded positions are relative to;
    focus_au: the camera focus; cam_pos: the camera relative to the focus (display axes);
    cam_local: the camera in uploaded coordinates (relative to the origin); basis rows right,
    up, back; focal_px: logical pixels per radian; px_scale: framebuffer pixels per logical
    pixel (point sizes); rebased: the origin moved this frame (every upload is stale)."""

    t_tdb: float
    origin_au: np.ndarray
    focus_au: np.ndarray
    sun_au: np.ndarray
    cam_pos: np.ndarray
    cam_local: np.ndarray
    basis: np.ndarray
    focal_px: float
    distance_au: float
    px_scale: float = 1.0
    rebased: bool = False
    cache: dict = field(default_factory=dict)

    @property
    def eye_au(self) -> np.ndarray:
        """The camera's barycentric ICRF position (AU, float64)."""
        from spaceviz.render.gpu import ICRF_TO_DISPLAY

        return self.focus_au + ICRF_TO_DISPLAY.T @ self.cam_pos.astype(np.float64)

    def to_gpu(self, pos_au: np.ndarray) -> np.ndarray:
        """(3, N) barycentric ICRF AU -> (N, 3) float32 display AU relative to the origin."""
        from spaceviz.render.gpu import to_gpu

        return to_gpu(pos_au, self.origin_au)


@dataclass
class Pickables:
    """Named points a user can click: names and (N,3) float32 positions (relative to the
    scene origin, display axes), label priority, radii in AU (labels go beside a disc),
    the radius of each drawn marker (logical px), which are labelled (default all), and
    `far`: points at infinity (stars), never dropped for their distance."""

    names: list[str]
    positions: np.ndarray
    priority: np.ndarray
    radii_au: np.ndarray | None = None
    labelled: np.ndarray | None = None
    far: bool = False
    marker_px: np.ndarray | float = 3.0

    @classmethod
    def concatenate(cls, items: list[Pickables]) -> Pickables:
        """Everything pickable in one: radii 0 and labelled True where not given; `far`
        becomes a per-point mask (N,)."""
        items = [p for p in items if len(p.names)]
        if not items:
            return cls([], np.zeros((0, 3), np.float32), np.zeros(0), np.zeros(0),
                       np.zeros(0, bool), np.zeros(0, bool), np.zeros(0))
        def column(get, default):
            return np.concatenate([np.asarray(v) if (v := get(p)) is not None
                                   else np.full(len(p.names), default) for p in items])
        return cls([n for p in items for n in p.names],
                   np.concatenate([p.positions for p in items]).astype(np.float32),
                   column(lambda p: p.priority, 0.0), column(lambda p: p.radii_au, 0.0),
                   column(lambda p: p.labelled, True).astype(bool),
                   np.concatenate([np.full(len(p.names), p.far) for p in items]),
                   np.concatenate([np.broadcast_to(np.asarray(p.marker_px, dtype=float),
                                                   (len(p.names),)) for p in items]))


class Layer:
    """A view of some core records: builds its VisPy nodes under its `root` (a child of the
    scene's world node), subscribes to the models it shows (`watch`) and refreshes only when
    they changed (or the scene's origin moved). Subclasses implement `refresh(frame)`;
    `on_view(frame)` is for cheap work that depends on the camera (ordering, visibility);
    `pickables()` lists what can be clicked and labelled."""

    def __init__(self, scene, records: list):
        self.scene = scene
        self.records = records
        self.stale = True
        self.root = Node(parent=scene.world_node)
        self._connections: list[tuple[object, object]] = []

    def watch(self, signal, also=None) -> None:
        """Refresh on `signal` (calling `also(*args)` first, when given)."""
        def handler(*args):
            if also is not None:
                also(*args)
            self.stale = True
            self.scene.request_draw()

        signal.connect(handler)
        self._connections.append((signal, handler))

    def refresh(self, frame: Frame) -> None:
        """Recompute and upload what the layer shows."""

    def on_view(self, frame: Frame) -> None:
        """Camera-dependent work done every frame (must be cheap)."""

    def pickables(self) -> Pickables | None:
        return None

    def close(self) -> None:
        """Unsubscribe and take the layer's nodes out of the scene."""
        for signal, handler in self._connections:
            signal.disconnect(handler)
        self._connections.clear()
        self.root.parent = None


class Anchor:
    """A node whose children are uploaded relative to a body's position at upload time and
    follow the body by translation; `needs_upload` says when the translation grew too large
    (or the scene origin moved) and the geometry must be uploaded again."""

    def __init__(self, parent: Node, body: str | None):
        self.body = body
        self.node = Node(parent=parent)
        self.node.transform = STTransform()
        self.uploaded_at: np.ndarray | None = None  # the body's position at upload (ICRF AU)

    def needs_upload(self, frame: Frame, body_au: np.ndarray | None) -> bool:
        if self.uploaded_at is None or frame.rebased:
            return True
        if body_au is None:
            return False
        shift = np.linalg.norm(body_au - self.uploaded_at)
        return shift > REANCHOR_DISTANCES * frame.distance_au

    def uploaded(self, body_au: np.ndarray | None) -> None:
        self.uploaded_at = None if body_au is None else np.array(body_au, dtype=np.float64)
        self.node.transform.translate = (0.0, 0.0, 0.0)

    def follow(self, body_au: np.ndarray | None) -> None:
        """Translate the children by the body's motion since the upload."""
        if body_au is None or self.uploaded_at is None:
            return
        shift = to_display((body_au - self.uploaded_at)[:, None])[:, 0]
        self.node.transform.translate = tuple(float(v) for v in shift)
