"""Screen-space overlay drawn in the canvas: date, caption, title card, scale, black screen.

Drawn by VisPy in canvas pixels, so screenshots and videos contain it exactly as shown.
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
from vispy.scene.visuals import Rectangle, Text

from spaceviz.core.astro.time import format_utc
from spaceviz.core.constants import AU_KM, SPEED_OF_LIGHT_KM_PER_S
from spaceviz.core.state.presentation import format_length_au, format_light_time
from spaceviz.render.layers.base import Frame, Layer
from spaceviz.render.visuals.text import OutlinedText

CAPTION_WRAP = 64


class OverlayLayer(Layer):
    """Text and panels in canvas coordinates, above the 3D scene."""

    def __init__(self, scene):
        super().__init__(scene, [])
        self.state = scene.state.presentation
        root = scene.canvas.scene
        self.black = Rectangle(center=(0, 0), width=1, height=1, color=(0, 0, 0, 1), parent=root)
        self.caption_box = Rectangle(center=(0, 0), width=1, height=1, color=(0, 0, 0, 0.55),
                                     border_width=0, parent=root)
        self.caption = OutlinedText("", color="white", anchor_x="center", anchor_y="center",
                                    parent=root)
        self.title = OutlinedText("", color=(1, 0.9, 0.6, 1), bold=True, anchor_x="center",
                                  anchor_y="center", parent=root)
        self.date = OutlinedText("", color=(0.85, 0.9, 1.0, 0.95), anchor_x="left",
                                 anchor_y="center", parent=root)
        self.scale = OutlinedText("", color=(0.75, 0.8, 0.9, 0.9), anchor_x="left",
                                  anchor_y="center", parent=root)
        self.nodes = (self.black, self.caption_box, self.caption, self.title, self.date, self.scale)
        for node in self.nodes:
            node.order = 1000
            node.set_gl_state("translucent", depth_test=False)
        self.black.order = 2000
        self._reserved: list[tuple[float, float, float, float]] = []
        self.watch(self.state.events.all)

    def close(self) -> None:
        super().close()
        for node in self.nodes:
            node.parent = None

    def reserved_boxes(self) -> list[tuple[float, float, float, float]]:
        """Canvas boxes (x0, y0, x1, y1; y down) the overlay's text occupies this frame:
        labels keep out of them."""
        return self._reserved

    def _reserve(self, text: Text, anchor_x: str) -> None:
        em = text.font_size * self.scene.canvas.dpi / 72.0
        lines = str(text.text).split("\n")
        w = max(len(line) for line in lines) * 0.6 * em + em
        h = len(lines) * 1.5 * em
        x, y = text.pos[0][0], text.pos[0][1]
        x0 = x - w / 2 if anchor_x == "center" else x - 0.5 * em
        self._reserved.append((x0, y - h / 2, x0 + w, y + h / 2))

    def on_view(self, frame: Frame) -> None:
        self._reserved = []
        width, height = self.scene.canvas.size
        state = self.state
        unit = max(height / 1080.0, 0.8) * (1.6 if state.large else 1.0)
        margin = 16 * unit
        self.black.visible = state.black
        if state.black:
            self.black.center = (width / 2, height / 2)
            self.black.width, self.black.height = width + 2, height + 2
        self.date.visible = state.show_date and not state.black
        if self.date.visible:
            self.date.text = format_utc(frame.t_tdb)
            self.date.font_size = 11 * unit
            self.date.pos = (margin, margin + 11 * unit)
            self._reserve(self.date, "left")
        self.scale.visible = state.show_scale and not state.black
        if self.scale.visible:
            self.scale.text = self._scale_text()
            lines = 1
            if state.footprint:  # one more line: the CO2e avoided so far (core's words)
                self.scale.text = (self.scene.state.session.economics.footprint_text(frame.t_tdb)
                                   + "\n" + self.scale.text)
                lines = 2
            self.scale.font_size = 9 * unit
            self.scale.pos = (margin, height - margin - 9 * unit * lines)
            self._reserve(self.scale, "left")
        self._caption(state, width, height, unit)
        self.title.visible = bool(state.title) and not state.black
        if self.title.visible:
            self.title.text = state.title
            self.title.font_size = 26 * unit
            self.title.pos = (width / 2, height * 0.18)
            self._reserve(self.title, "center")

    def _caption(self, state, width, height, unit) -> None:
        shown = bool(state.caption) and not state.black
        self.caption.visible = self.caption_box.visible = shown
        if not shown:
            return
        lines = textwrap.wrap(" ".join(state.caption.split()), CAPTION_WRAP) or [""]
        font_size = 15 * unit
        line_px = font_size * 1.9
        box_height = line_px * len(lines) + 20 * unit
        center_y = height - 60 * unit - box_height / 2
        self.caption.text = "\n".join(lines)
        self.caption.font_size = font_size
        self.caption.pos = (width / 2, center_y)
        longest = max(len(line) for line in lines)
        box_width = min(width - 20, longest * font_size * 0.75 + 60 * unit)
        self.caption_box.center = (width / 2, center_y)
        self.caption_box.width = max(box_width, 10)
        self.caption_box.height = max(box_height, 10)
        self._reserved.append((width / 2 - box_width / 2, center_y - box_height / 2,
                               width / 2 + box_width / 2, center_y + box_height / 2))

    def _scale_text(self) -> str:
        camera = self.scene.state.camera
        across_au = 2 * camera.distance_au * math.tan(math.radians(camera.fov_deg) / 2)
        text = f"View height {format_length_au(across_au)}"
        world = self.scene.state.world
        t = self.scene.state.timeline.time
        try:
            target = world.position(camera.target, t)
            earth = world.position("Earth", t)
        except Exception:  # noqa: BLE001 (an overlay never breaks a frame)
            return text
        if camera.target != "Earth":
            light_s = float(np.linalg.norm(target - earth)) * AU_KM / SPEED_OF_LIGHT_KM_PER_S
            text += f"   |   {camera.target}: light-time from Earth {format_light_time(light_s)}"
        return text
