"""Name labels beside pickable objects: outlined text sized for the audience, placed beside
each object's drawn disc or marker (never over it), flipped to the other side at the right
edge, kept clear of the date, scale and caption overlays, hidden behind bodies, and
decluttered by priority (the focus, then the selection, then by kind) so overlapping names
do not pile up."""

from __future__ import annotations

import numpy as np

from spaceviz.render.layers.base import Frame, Layer
from spaceviz.render.visuals.text import OutlinedText

BASE_POINTS = 9.0
"""Label size (points) in a 760-pixel-high view; larger views get proportionally larger
labels (a 1080p video: about 12.8 pt), presentation mode 1.4 times more."""
REFERENCE_HEIGHT = 760.0
GAP_PX = 4.0
"""Between an object's disc or marker and its name."""
EDGE_PX = 4.0
DECLUTTER_PX = 12.0
CHAR_WIDTH = 0.56
"""Average glyph advance of the label font, in ems."""
LABEL_DEPTH_FACTOR = 60.0  # close up, objects this many camera distances away get no label


def label_points(view_height_px: float, large: bool = False) -> float:
    """Label font size (points) for a view of this logical height."""
    return BASE_POINTS * max(1.0, view_height_px / REFERENCE_HEIGHT) * (1.4 if large else 1.0)


class LabelsLayer(Layer):
    """Two outlined Text visuals: names right of their objects, and names left of objects
    near the right edge (drawn last)."""

    def __init__(self, scene):
        super().__init__(scene, [])
        self.root.order = 1000  # after every layer
        self.nodes = {}
        for side in ("right", "left"):
            node = OutlinedText(parent=self.root, color=(0.94, 0.94, 0.97, 1.0),
                                font_size=BASE_POINTS, anchor_x="left" if side == "right"
                                else "right", anchor_y="center")
            node.set_gl_state("translucent", depth_test=False)
            node.order = 100
            self.nodes[side] = node
        self.shown: dict[str, str] = {}  # name -> "right" or "left" of its object
        self.watch(scene.state.view.events.labels)

    def on_view(self, frame: Frame) -> None:
        found = self.scene.collect_pickables()
        for node in self.nodes.values():
            node.visible = False
        self.shown = {}
        if not found.names or not self.scene.state.view.labels:
            return
        canvas = self.scene.canvas
        width, height = canvas.size
        points = label_points(height, self.scene.state.presentation.large)
        em_px = points * canvas.dpi / 72.0
        positions = found.positions.astype(np.float64)
        screen = self.scene.project(positions)
        screen[~found.labelled] = np.nan
        eye = frame.cam_local.astype(np.float64)
        forward = -frame.basis[2]
        depth = np.maximum((positions - eye) @ forward, 1e-30)
        distance = np.linalg.norm(positions - eye, axis=1)
        too_far = (distance > LABEL_DEPTH_FACTOR * np.linalg.norm(frame.cam_pos)) & ~found.far
        screen[too_far] = np.nan  # far behind a close-up
        # Behind a body: tested at the point of the object nearest the eye (a body's own
        # sphere never hides its label).
        toward_eye = (eye - positions) / np.maximum(distance, 1e-300)[:, None]
        screen[self.scene.hidden(positions + found.radii_au[:, None] * toward_eye)] = np.nan
        drawn_px = np.maximum(found.radii_au / depth * frame.focal_px, found.marker_px)
        gap = drawn_px + GAP_PX
        text_px = np.array([CHAR_WIDTH * em_px * len(name) for name in found.names])
        half = 0.7 * em_px
        x, y = screen[:, 0], screen[:, 1]
        # Two places per name: right of its object, else left (near the right edge, or when
        # the right is taken); each tried against shown names, overlays and other markers.
        right_boxes = np.stack([x + gap, y - half, x + gap + text_px, y + half], axis=1)
        left_boxes = np.stack([x - gap - text_px, y - half, x - gap, y + half], axis=1)
        inside = (y - half >= 0) & (y + half <= height) & (x >= 0) & (x <= width)
        right_boxes[~(inside & (right_boxes[:, 2] <= width - EDGE_PX))] = np.nan
        left_boxes[~(inside & (left_boxes[:, 0] >= EDGE_PX))] = np.nan
        focus = self.scene.state.camera.target
        selected = self.scene.state.selection.name
        priority = found.priority + 10.0 * np.array([n == selected for n in found.names])
        markers = np.stack([x - drawn_px, y - drawn_px, x + drawn_px, y + drawn_px], axis=1)
        side = place_labels(np.stack([right_boxes, left_boxes], axis=1), screen, priority,
                            DECLUTTER_PX, found.names.index(focus) if focus in found.names
                            else None, self.scene.overlay.reserved_boxes(), markers)
        keep = side >= 0
        right = side == 0
        shift = (gap * depth / frame.focal_px)[:, None] * frame.basis[0][None, :]
        for name, chosen, sign in (("right", keep & right, 1.0), ("left", keep & ~right, -1.0)):
            node = self.nodes[name]
            node.visible = bool(chosen.any())
            if node.visible:
                node.font_size = points
                node.text = [n for n, k in zip(found.names, chosen, strict=True) if k]
                node.pos = (positions[chosen] + sign * shift[chosen]).astype(np.float32)
        self.shown = {n: "right" if r else "left"
                      for n, k, r in zip(found.names, keep, right, strict=True) if k}


def place_labels(candidates: np.ndarray, screen_xy: np.ndarray, priority: np.ndarray,
                 radius_px: float, first: int | None = None, reserved=(),
                 markers: np.ndarray | None = None) -> np.ndarray:
    """Which candidate place (index into axis 1 of `candidates`, (N, K, 4) boxes x0, y0, x1,
    y1 with NaN for impossible places) each label takes, -1 for none: greedily by priority
    (`first` before all), the first place that overlaps no shown label, no reserved region
    (the overlays) and no other object's drawn marker (`markers` (N, 4); the focus may cover
    markers), and whose object is not within `radius_px` of a shown one. When every place
    is blocked by markers, a name may cover those of objects that rank below it (a planet
    flanked by parked ships keeps its name), never those that rank as high or higher."""
    n = len(candidates)
    priority = np.asarray(priority, dtype=float)
    order = np.argsort(-priority, kind="stable")
    if first is not None:
        order = np.concatenate([[first], order[order != first]])
    side = np.full(n, -1)
    taken: list[tuple[float, float, float, float]] = [tuple(b) for b in reserved]
    points: list[tuple[float, float]] = []
    visible_markers = [] if markers is None else [
        (k, tuple(m)) for k, m in enumerate(markers) if np.all(np.isfinite(m))]

    def overlaps(box, other) -> bool:
        return box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]

    for index in order:  # tens to a few hundred labels, not the belt
        px, py = screen_xy[index]
        if not (np.isfinite(px) and np.isfinite(py)) or any(
                abs(px - qx) < radius_px and abs(py - qy) < radius_px for qx, qy in points):
            continue
        free = [k for k, box in enumerate(candidates[index])
                if np.all(np.isfinite(box)) and not any(overlaps(box, b) for b in taken)]
        blocking = [[j for j, m in visible_markers if j != index and overlaps(box, m)]
                    for box in candidates[index]]
        chosen = next((k for k in free if index == first or not blocking[k]), None)
        if chosen is None:  # only markers in the way: those that rank below may be covered
            chosen = next((k for k in free if all(priority[j] < priority[index]
                                                  for j in blocking[k])), None)
        if chosen is not None:
            side[index] = chosen
            taken.append(tuple(candidates[index][chosen]))
            points.append((px, py))
    return side
