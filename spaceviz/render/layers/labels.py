"""Name labels next to pickable objects, decluttered so overlapping names do not pile up."""

from __future__ import annotations

import numpy as np
from vispy.scene.visuals import Text

from spaceviz.render.layers.base import Frame, Layer

DECLUTTER_PX = 12.0
LABEL_DEPTH_FACTOR = 60.0  # close up, objects this many camera distances away get no label


class LabelsLayer(Layer):
    """One Text visual for every label (when the view shows labels); drawn last."""

    def __init__(self, scene):
        super().__init__(scene, [])
        self.font_size = 9.0
        self.node = Text(parent=self.root, color=(0.92, 0.92, 0.95, 0.95),
                         font_size=self.font_size, anchor_x="left", anchor_y="bottom")
        self.node.set_gl_state("translucent", depth_test=False)
        self.node.order = 100
        self.watch(scene.state.view.events.labels)

    def on_view(self, frame: Frame) -> None:
        names, positions, priority, radii = self.scene.collect_pickables(with_radii=True)
        if not names or not self.scene.state.view.labels:
            self.node.visible = False
            return
        screen = self.scene.project(positions)
        camera_distance = float(np.linalg.norm(frame.cam_pos))
        depth = np.linalg.norm(positions - frame.cam_local.astype(np.float32), axis=1)
        screen[depth > LABEL_DEPTH_FACTOR * camera_distance] = np.nan  # far behind a close-up
        # Behind a body: tested at the point of the object nearest the eye (a body's own
        # sphere never hides its label).
        toward_eye = frame.cam_local.astype(np.float64) - positions
        toward_eye /= np.maximum(np.linalg.norm(toward_eye, axis=1, keepdims=True), 1e-300)
        screen[self.scene.hidden(positions + radii[:, None] * toward_eye)] = np.nan
        keep = declutter(screen, priority, DECLUTTER_PX,
                         focus_name=self.scene.state.camera.target, names=names)
        self.node.visible = bool(keep.any())
        if keep.any():
            self.node.font_size = self.font_size
            self.node.text = ["  " + n for n, k in zip(names, keep, strict=True) if k]
            # Beside the disc of resolved bodies (offset along the camera's right axis).
            offset = radii[keep, None] * frame.basis[0][None, :]
            self.node.pos = (positions[keep] + offset).astype(np.float32)


def declutter(screen_xy: np.ndarray, priority: np.ndarray, radius_px: float,
              focus_name: str | None = None, names: list[str] | None = None,
              char_px: float = 7.0) -> np.ndarray:
    """A mask of labels to show: greedily by priority (the focus first), skipping a label
    whose text box (left-anchored at its point, about `char_px` per character) overlaps one
    already shown, or whose point is within `radius_px` of a shown point."""
    n = len(screen_xy)
    order = np.argsort(-np.asarray(priority, dtype=float), kind="stable")
    if focus_name is not None and names is not None and focus_name in names:
        first = names.index(focus_name)
        order = np.concatenate([[first], order[order != first]])
    widths = np.array([char_px * (len(name) + 2) for name in names]) if names else np.full(n, 0.0)
    height = 2.0 * char_px
    keep = np.zeros(n, dtype=bool)
    finite = np.all(np.isfinite(screen_xy), axis=1)
    boxes: list[tuple[float, float, float, float]] = []
    for index in order:  # tens to a few hundred labels, not the belt
        if not finite[index]:
            continue
        x, y = screen_xy[index]
        box = (x, y, x + widths[index], y + height)  # canvas y points down: text hangs below
        clash = any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
                    or abs(x - b[0]) < radius_px and abs(y - b[1]) < radius_px for b in boxes)
        if clash:
            continue
        keep[index] = True
        boxes.append(box)
    return keep
