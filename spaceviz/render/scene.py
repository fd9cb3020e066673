"""SpaceScene: the VisPy scene of an AppState, built from the layer registry.

The scene never owns state: it draws the AppState's world at its timeline's time, seen by its
camera, with its overlay and view options. Layers subscribe to the models they show; a change
marks the layer stale and asks the canvas for a frame, and `sync()` refreshes only stale
layers. Positions reach the GPU as float32 relative to an origin that the scene keeps near the
camera focus (re-based when the focus moves far compared with the camera distance); between
re-bases one node translation carries everything to the focus.
"""

from __future__ import annotations

import logging
import time

import numpy as np
from psygnal import Signal
from vispy import scene as vscene
from vispy.visuals.transforms import STTransform

from spaceviz.core.constants import AU_KM
from spaceviz.core.scenario.world import Asteroid, Body
from spaceviz.core.state.app_state import AppState
from spaceviz.render.camera import apply_pose, camera_basis, focal_length_px, make_vispy_camera
from spaceviz.render.detail import DetailController
from spaceviz.render.gpu import to_display
from spaceviz.render.layers import DRAW_ORDER, group_records
from spaceviz.render.layers.base import Frame, Layer, Pickables
from spaceviz.render.layers.belt import BeltLayer
from spaceviz.render.layers.labels import LabelsLayer
from spaceviz.render.layers.overlay import OverlayLayer
from spaceviz.render.layers.sky import SkyLayer
from spaceviz.render.occlusion import Occluders
from spaceviz.render.offscreen import new_canvas, render_region
from spaceviz.render.visuals.text import glyph_store

log = logging.getLogger(__name__)

BACKGROUND = (0.01, 0.012, 0.025, 1.0)
PICK_RADIUS_PX = 14.0
REBASE_DISTANCES = 100.0
"""The origin moves to the focus when they are this many camera distances apart."""


class SpaceScene:
    """Everything drawn in a 3D view of an AppState; no Qt widgets (the UI may embed the
    canvas). `px_scale` is framebuffer pixels per logical pixel for point sizes (set by the
    export for its own scene, never by the app on the live one)."""

    picked = Signal(object)          # name or None, on a click
    activated = Signal(str)          # name, on a double-click

    def __init__(self, state: AppState, size: tuple[int, int] = (1280, 720), canvas=None,
                 interactive: bool = True, level_of_detail: bool | None = None,
                 build_layers: bool = True):
        """`interactive`: mouse handling and picking; `level_of_detail` (default: when
        interactive) draws large populations within a frame-time budget while the view moves
        and refines at rest; off, every frame draws everything (exports). `build_layers`
        False: the layers and the sky wait for `build()` (a window shows first)."""
        self.state = state
        self.detail = DetailController(enabled=interactive if level_of_detail is None
                                       else level_of_detail)
        self.canvas = canvas or new_canvas(size, BACKGROUND)
        self.view = self.canvas.central_widget.add_view(bgcolor=BACKGROUND)
        self.view.camera = make_vispy_camera(state.camera.fov_deg)
        self.world_node = vscene.Node(parent=self.view.scene)
        self.world_node.transform = STTransform()
        self.px_scale = 1.0
        self.origin_au: np.ndarray | None = None
        self.occluders = Occluders()
        self._occluder_positions: tuple[float, np.ndarray] | None = None
        self.layers: list[Layer] = []
        self.built = False
        self.sky: SkyLayer | None = None
        self.labels = LabelsLayer(self)
        self.overlay = OverlayLayer(self)
        self._frame: Frame | None = None
        self._dirty = True
        self._connections = [(state.timeline.time_changed, self.request_draw),
                             (state.camera.changed, self.request_draw),
                             (state.session_changed, self._session_changed),
                             (state.populations_changed, self._populations_changed)]
        if self.detail.enabled:
            self._connections += [(state.timeline.time_changed, self.detail.moved),
                                  (state.camera.changed, self.detail.moved)]
        for signal, slot in self._connections:
            signal.connect(slot)
        self.canvas.events.draw.connect(self._on_draw, position="first")
        self.frame_started = 0.0  # when the current (or last) frame began (perf_counter)
        self._refine_timer = None
        if self.detail.enabled:
            from vispy.app import Timer

            self.canvas.events.draw.connect(self._after_draw, position="last")
            self._refine_timer = Timer(interval=0.05, connect=self._refine, iterations=1,
                                       app=self.canvas.app)
        self.interaction = None
        if interactive:
            from spaceviz.render.interaction import CameraInteraction

            self.interaction = CameraInteraction(self)
        if build_layers:
            self.build()

    def build(self) -> None:
        """Make the layers of the world and the sky (once): compiling their shaders is most
        of a first frame's cost on software GL, so a window builds them after it shows."""
        if self.built:
            return
        self.built = True
        self._build_layers()
        self.sky = SkyLayer(self)
        self.request_draw()

    def _build_layers(self) -> None:
        world = self.state.world
        records = [*world, *world.populations]
        for layer_class, items in group_records(records).items():
            self._add_layer(layer_class(self, items))

    def _add_layer(self, layer: Layer) -> None:
        """Keep a layer, drawn in its DRAW_ORDER place whenever it was built."""
        layer.root.order = DRAW_ORDER.index(type(layer))
        self.layers.append(layer)

    def _session_changed(self, session) -> None:
        """A new scenario: every layer is rebuilt for the new world."""
        if not self.built:
            return  # build() makes them for the world of the day
        for layer in self.layers:
            layer.close()
        self.layers = []
        self.origin_au = None
        self._occluder_positions = None
        self._build_layers()
        self.sky.stale = self.labels.stale = self.overlay.stale = True  # built: a sky
        self.request_draw()

    def _populations_changed(self) -> None:
        """Catalogues arrived: the belt layer is built again for every population."""
        if not self.built:
            return
        for layer in [layer for layer in self.layers if isinstance(layer, BeltLayer)]:
            layer.close()
            self.layers.remove(layer)
        populations = self.state.world.populations
        if populations:
            self._add_layer(BeltLayer(self, list(populations)))
        self.request_draw()

    # --- frames ------------------------------------------------------------------------
    def request_draw(self, *args) -> None:
        """Something changed: draw a frame when the canvas next can."""
        self._dirty = True
        self.canvas.update()

    def _on_draw(self, event) -> None:
        self.frame_started = time.perf_counter()
        glyph_store().save()  # glyphs new in the last frame, for the next process
        if self._dirty:
            self.sync()

    def _after_draw(self, event) -> None:
        """Measure the frame (GL finished) for the level of detail; at rest, ask for the next
        refinement frame."""
        self.canvas.context.finish()
        self.detail.frame_drawn(1000.0 * (time.perf_counter() - self.frame_started))
        if self.detail.needs_refinement() or not self.detail.resting:
            self._refine_timer.start()  # frames continue until the picture is exact

    def _refine(self, event=None) -> None:
        if self.detail.needs_refinement() or not self.detail.refined:
            self.request_draw()

    def sync(self) -> Frame:
        """Refresh the stale layers for the current time and camera; returns the Frame."""
        state = self.state
        t = state.timeline.time
        world = state.world
        camera = self.view.camera
        apply_pose(camera, state.camera)
        cam_pos, basis = camera_basis(camera)
        focus = state.camera.focus_position(lambda name: world.position(name, t))
        distance = float(state.camera.distance_au)
        rebased = (self.origin_au is None
                   or np.linalg.norm(focus - self.origin_au) > REBASE_DISTANCES * distance)
        if rebased:
            self.origin_au = focus.copy()
        shift = to_display((self.origin_au - focus)[:, None])[:, 0]
        self.world_node.transform.translate = tuple(float(v) for v in shift)
        frame = Frame(t_tdb=t, origin_au=self.origin_au, focus_au=focus,
                      sun_au=world.position("Sun", t), cam_pos=cam_pos,
                      cam_local=cam_pos - shift, basis=basis,
                      focal_px=focal_length_px(camera.fov, self.canvas.size[1]),
                      distance_au=distance, px_scale=self.px_scale, rebased=rebased)
        self._frame = frame
        self._update_occluders(frame, focus)
        for layer in self.layers:
            if layer.stale or rebased:
                layer.refresh(frame)
                layer.stale = False
            layer.on_view(frame)
        if self.sky is not None:
            if self.sky.stale or rebased:
                self.sky.refresh(frame)
                self.sky.stale = False
            self.sky.on_view(frame)
        for layer in (self.overlay, self.labels):  # labels keep clear of the overlay's text
            layer.on_view(frame)
            layer.stale = False
        self._dirty = False
        return frame

    def _update_occluders(self, frame: Frame, focus: np.ndarray) -> None:
        """The bodies that hide what is behind them, relative to this frame's eye (their
        positions are recomputed only when the clock moved)."""
        world = self.state.world
        records = [r for r in world if isinstance(r, Body | Asteroid) and r.radius_km > 0]
        if self._occluder_positions is None or self._occluder_positions[0] != frame.t_tdb:
            names = [r.name for r in records]
            positions = (world.positions(names, frame.t_tdb) if names
                         else np.zeros((3, 0)))
            self._occluder_positions = (frame.t_tdb, positions)
        positions = self._occluder_positions[1]
        centres = to_display(positions - focus[:, None]).T
        # An oblate planet hides with its polar radius: its own surface is never inside it.
        radii = np.array([(r.info.polar_radius_km if isinstance(r, Body) else r.radius_km)
                          / AU_KM for r in records])
        self.occluders.update(centres, radii, frame.cam_pos, frame.focal_px)

    def hidden(self, positions: np.ndarray) -> np.ndarray:
        """Which points (N, 3), in uploaded coordinates (relative to the origin), lie behind
        a body in the last synced frame."""
        if self._frame is None or len(positions) == 0:
            return np.zeros(len(positions), dtype=bool)
        return self.occluders.hidden(np.asarray(positions, dtype=np.float64)
                                     - self._frame.cam_local + self._frame.cam_pos)

    # --- geometry helpers --------------------------------------------------------------
    def current_frame(self) -> Frame:
        """The frame the view shows: the last synced one, synced again if anything changed."""
        return self._frame if self._frame is not None and not self._dirty else self.sync()

    def collect_pickables(self) -> Pickables:
        """Everything clickable, concatenated: names, positions relative to the origin, label
        priorities, radii (AU), which are labelled, which are at infinity."""
        return Pickables.concatenate([p for layer in (*self.layers, *self._sky())
                                      if (p := layer.pickables()) is not None])

    def project(self, positions: np.ndarray) -> np.ndarray:
        """Canvas pixel coordinates (N, 2) of positions relative to the origin (N, 3); NaN
        behind the camera."""
        if len(positions) == 0:
            return np.zeros((0, 2))
        transform = self.world_node.node_transform(self.canvas.scene)
        mapped = transform.map(np.asarray(positions, dtype=np.float64))
        w = mapped[:, 3:4]
        xy = mapped[:, :2] / np.where(w == 0, np.nan, w)
        cam_pos, basis = camera_basis(self.view.camera)
        local = np.asarray(positions, dtype=np.float64) + np.asarray(
            self.world_node.transform.translate[:3])
        xy[(local - cam_pos) @ basis[2] > 0] = np.nan
        return xy

    def pick(self, x: float, y: float, radius_px: float = PICK_RADIUS_PX) -> str | None:
        """The name of the object drawn nearest to canvas pixel (x, y), if within radius."""
        if self._frame is None or self._dirty:
            self.sync()
        found = self.collect_pickables()
        if found.names:
            distance = np.linalg.norm(self.project(found.positions) - np.array([x, y]), axis=1)
            distance[~np.isfinite(distance)] = np.inf
            best = int(np.argmin(distance - 0.01 * found.priority))
            if distance[best] <= radius_px:
                return found.names[best]
        return self.pick_belt(x, y)

    def pick_belt(self, x: float, y: float) -> str | None:
        """The name of the catalogue asteroid under the cursor (GPU ID pass), or None."""
        layer = self.belt_layer()
        if layer is None:
            return None
        index = layer.pick_index(x, y)
        return layer.name_of(index) if index is not None else None

    def _sky(self) -> list[SkyLayer]:
        return [self.sky] if self.sky is not None else []

    def belt_layer(self) -> BeltLayer | None:
        return next((layer for layer in self.layers if isinstance(layer, BeltLayer)), None)

    def drawn_nodes(self) -> list:
        """Every node that draws something (for passes that show only one of them)."""
        return [*(layer.root for layer in (*self._sky(), *self.layers, self.labels)),
                *self.overlay.nodes]

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

    def close(self, keep_canvas: bool = False) -> None:
        """Unsubscribe and drop every layer; the canvas closes too unless `keep_canvas` (a
        new scene will draw on it)."""
        glyph_store().save()
        for signal, slot in self._connections:
            signal.disconnect(slot)
        for layer in (*self._sky(), *self.layers, self.labels, self.overlay):
            layer.close()
        self.canvas.events.draw.disconnect(self._on_draw)
        if self._refine_timer is not None:
            self._refine_timer.stop()
            self.canvas.events.draw.disconnect(self._after_draw)
        if keep_canvas:
            self.canvas.central_widget.remove_widget(self.view)
        else:
            self.canvas.close()
