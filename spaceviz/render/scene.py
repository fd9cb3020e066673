"""SpaceScene: the VisPy scene of a World at the Timeline's time, seen by the CameraModel.

The scene observes the core models and re-syncs lazily: a change marks it dirty and asks the
canvas to redraw; `sync()` computes every position once per frame (float64 on the CPU) and
uploads values relative to the camera focus. Export calls `render_image()` the same way.
"""

from __future__ import annotations

import logging
import time as wallclock

import numpy as np
from psygnal import Signal
from vispy import scene as vscene

from spaceviz.core.scenario.world import World
from spaceviz.core.state.camera import CameraModel
from spaceviz.core.state.presentation import PresentationState
from spaceviz.core.state.timeline import Timeline
from spaceviz.render.camera import apply_pose, camera_basis, focal_length_px, make_vispy_camera
from spaceviz.render.layers import Frame, Layer
from spaceviz.render.layers.belt import BeltLayer
from spaceviz.render.layers.bodies import BodiesLayer
from spaceviz.render.layers.facilities import FacilitiesLayer
from spaceviz.render.layers.labels import LabelsLayer
from spaceviz.render.layers.orbits import AsteroidOrbitsLayer, OrbitsLayer
from spaceviz.render.layers.overlay import OverlayLayer
from spaceviz.render.layers.ships import ShipsLayer
from spaceviz.render.layers.sites import SitesLayer

log = logging.getLogger(__name__)

BACKGROUND = (0.01, 0.012, 0.025, 1.0)
PICK_RADIUS_PX = 14.0

LAYER_TYPES: list[type[Layer]] = [OrbitsLayer, AsteroidOrbitsLayer, BeltLayer, BodiesLayer,
                                  SitesLayer, FacilitiesLayer, ShipsLayer]
"""Layer classes in draw order (labels are added last). Other modules may append."""


class SpaceScene:
    """Everything drawn in a 3D view; no Qt widgets (the canvas may be embedded by the UI)."""

    picked = Signal(object)          # name or None, on a click
    activated = Signal(str)          # name, on a double-click
    frame_drawn = Signal(float)      # seconds the last sync + draw took

    def __init__(self, world: World, timeline: Timeline, camera_model: CameraModel,
                 size: tuple[int, int] = (1280, 720), show: bool = False, canvas=None,
                 interactive: bool = True, presentation: PresentationState | None = None,
                 operations=None):
        self.world = world
        self.operations = operations  # core.operations.OperationsSim or None
        self.site_visibility: dict[str, bool] = {}
        self.presentation = presentation or PresentationState()
        self.timeline = timeline
        self.camera_model = camera_model
        self.canvas = canvas or vscene.SceneCanvas(size=size, show=show, bgcolor=BACKGROUND,
                                                   keys=None, title="spaceviz")
        self.view = self.canvas.central_widget.add_view(bgcolor=BACKGROUND)
        self.view.camera = make_vispy_camera(camera_model.fov_deg)
        self.px_scale = 1.0  # framebuffer pixels per logical canvas pixel (point sprites only)
        self.layers: list[Layer] = [layer_type(self) for layer_type in LAYER_TYPES]
        self.labels = LabelsLayer(self)
        self.overlay = OverlayLayer(self)
        self._dirty = True
        self._frame: Frame | None = None
        self._last_draw_s = 0.0
        timeline.time_changed.connect(self._mark_dirty)
        camera_model.changed.connect(self._mark_dirty)
        self.canvas.events.draw.connect(self._on_draw, position="first")
        if interactive:
            from spaceviz.render.interaction import CameraInteraction

            self.interaction = CameraInteraction(self)

    @classmethod
    def from_session(cls, session, timeline: Timeline, camera_model: CameraModel, **options):
        """A scene for a core Session (its world and operations model)."""
        return cls(session.world, timeline, camera_model, operations=session.operations, **options)

    # --- frame -------------------------------------------------------------------------
    def _mark_dirty(self, *args) -> None:
        self._dirty = True
        self.canvas.update()

    def _on_draw(self, event) -> None:
        if self._dirty:
            self.sync()

    def focus_position(self, t_tdb: float) -> np.ndarray:
        return self.camera_model.focus_position(lambda name: self.world.position(name, t_tdb))

    def sync(self) -> Frame:
        """Compute every layer for the current time and camera; returns the shared Frame."""
        started = wallclock.perf_counter()
        t = self.timeline.time
        camera = self.view.camera
        apply_pose(camera, self.camera_model)
        cam_pos, basis = camera_basis(camera)
        height = self.canvas.size[1]  # logical pixels: VisPy scales to the framebuffer
        frame = Frame(t_tdb=t, focus_au=self.focus_position(t),
                      sun_au=self.world.position("Sun", t), cam_pos=cam_pos, basis=basis,
                      focal_px=focal_length_px(self.camera_model.fov_deg, height),
                      px_scale=self.px_scale)
        for layer in self.layers:
            layer.update(frame)
        self.labels.update(frame)
        self.overlay.update(frame)
        self._frame = frame
        self._dirty = False
        self._last_draw_s = wallclock.perf_counter() - started
        return frame

    def add_layer(self, layer_type: type[Layer]) -> Layer:
        layer = layer_type(self)
        self.layers.append(layer)
        self._mark_dirty()
        return layer

    # --- geometry helpers --------------------------------------------------------------
    def collect_pickables(self, frame: Frame, with_radii: bool = False):
        """Names, (N,3) display positions and priorities of everything clickable
        (and radii in AU, 0 for points, when `with_radii`)."""
        names: list[str] = []
        positions, priorities, radii = [], [], []
        for layer in self.layers:
            items = layer.pickables(frame)
            if items is not None and len(items.names):
                names.extend(items.names)
                positions.append(items.positions)
                priorities.append(items.priority)
                radii.append(items.radii_au if items.radii_au is not None
                             else np.zeros(len(items.names)))
        if not names:
            empty = ([], np.zeros((0, 3), np.float32), np.zeros(0))
            return (*empty, np.zeros(0)) if with_radii else empty
        result = (names, np.concatenate(positions), np.concatenate(priorities))
        return (*result, np.concatenate(radii)) if with_radii else result

    def project(self, positions: np.ndarray) -> np.ndarray:
        """Canvas pixel coordinates (N, 2) of display positions (N, 3); NaN behind the camera."""
        if len(positions) == 0:
            return np.zeros((0, 2))
        transform = self.view.scene.node_transform(self.canvas.scene)
        mapped = transform.map(np.asarray(positions, dtype=np.float64))
        w = mapped[:, 3:4]
        xy = mapped[:, :2] / np.where(w == 0, np.nan, w)
        behind = self._behind_camera(positions)
        xy[behind] = np.nan
        return xy

    def _behind_camera(self, positions: np.ndarray) -> np.ndarray:
        cam_pos, basis = camera_basis(self.view.camera)
        return (np.asarray(positions, dtype=np.float64) - cam_pos) @ basis[2] > 0

    def pick(self, x: float, y: float, radius_px: float = PICK_RADIUS_PX) -> str | None:
        """The name of the object drawn nearest to canvas pixel (x, y), if within radius."""
        frame = self._frame or self.sync()
        names, positions, priority = self.collect_pickables(frame)
        if not names:
            return self.pick_belt(x, y)
        screen = self.project(positions)
        distance = np.linalg.norm(screen - np.array([x, y]), axis=1)
        distance[~np.isfinite(distance)] = np.inf
        best = int(np.argmin(distance - 0.01 * np.asarray(priority)))
        if distance[best] <= radius_px:
            return names[best]
        return self.pick_belt(x, y)

    def pick_belt(self, x: float, y: float) -> str | None:
        """The name of the catalogue asteroid under the cursor (GPU ID pass), or None."""
        for layer in self.layers:
            if isinstance(layer, BeltLayer) and layer.node is not None:
                index = layer.pick_index(x, y)
                if index is not None:
                    return layer.name_of(index)
        return None

    def belt_layer(self) -> BeltLayer | None:
        return next((layer for layer in self.layers if isinstance(layer, BeltLayer)), None)

    def screen_position(self, name: str) -> np.ndarray:
        """Canvas pixel position of a named pickable object (for tests and overlays)."""
        frame = self._frame or self.sync()
        names, positions, _ = self.collect_pickables(frame)
        return self.project(positions[[names.index(name)]])[0]

    # --- images ------------------------------------------------------------------------
    def render_image(self, size: tuple[int, int] | None = None, region=None,
                     alpha: bool = False) -> np.ndarray:
        """Sync and render offscreen: an (H, W, 3|4) uint8 array, row 0 at the top.

        `region` (x, y, w, h) is in logical canvas pixels with y from the bottom edge (GL);
        `size` is the output in pixels (default: the region's size)."""
        self.sync()
        image = render_region(self.canvas, region, size)
        self._dirty = True
        return image if alpha else image[..., :3]

    @property
    def last_frame_seconds(self) -> float:
        return self._last_draw_s

    def close(self) -> None:
        self.presentation.changed.disconnect(self._mark_dirty)
        self.timeline.time_changed.disconnect(self._mark_dirty)
        self.camera_model.changed.disconnect(self._mark_dirty)
        self.canvas.close()


def render_region(canvas, region=None, size=None, bgcolor=None) -> np.ndarray:
    """Render a logical region of a SceneCanvas into an offscreen framebuffer of `size` pixels.

    VisPy's own `canvas.render(size=...)` configures its transforms with the region's size as
    the framebuffer size, so a render at another resolution lands 1:1 in a corner; here the
    transform system is told the real framebuffer size, so the region is scaled to fill it.
    Returns (H, W, 4) uint8, row 0 at the top."""
    from vispy import gloo

    canvas.set_current()
    offset = (0, 0) if region is None else tuple(region[:2])
    region_size = tuple(canvas.size) if region is None else tuple(region[2:])
    if size is None:
        size = tuple(int(round(v * canvas.pixel_scale)) for v in region_size)
    width, height = int(size[0]), int(size[1])
    fbo = gloo.FrameBuffer(color=gloo.RenderBuffer((height, width)),
                           depth=gloo.RenderBuffer((height, width)))
    canvas.push_fbo(fbo, offset, region_size)
    try:
        scale = canvas.pixel_scale  # logical -> physical, as the canvas transform maps it
        canvas.transforms.configure(viewport=(0, 0, width, height), fbo_size=(width, height),
                                    fbo_rect=(offset[0] * scale, offset[1] * scale,
                                              region_size[0] * scale, region_size[1] * scale))
        canvas._draw_scene(bgcolor=bgcolor)
        return fbo.read()
    finally:
        canvas.pop_fbo()
