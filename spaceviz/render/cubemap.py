"""Fisheye dome masters and equirectangular frames of a SpaceScene: a cube map, remapped on
the GPU.

The scene's camera looks along each cube face from the same eye (90 degrees plus one texel of
overscan, so bilinear filtering joins the faces), drawing into a texture that stays on the
GPU: labels are drawn into every face, the screen overlay (date, scale, caption, title) into
the front face only, the view direction, where a dome's audience or a headset wearer looks.
A full-screen pass (shaders/cubemap.frag) then computes each output pixel's direction and
samples the face it falls on, in tiles of at most the GL limit, so an 8K or 16K dome master
comes out like any large screenshot. Directions follow core.state.projection.
"""

from __future__ import annotations

import logging
import math

import numpy as np

from spaceviz.core.state.projection import FACE_NAMES, Projection, face_basis
from spaceviz.paths import shader_source
from spaceviz.render.offscreen import render_region

log = logging.getLogger(__name__)
FRONT = FACE_NAMES.index("front")
KIND_CODES = {"fisheye": 1, "equirectangular": 2}


def texture_limit() -> int:
    """The largest square texture the current GL context takes and renders into in one pass."""
    from vispy.gloo import gl

    texture = int(gl.glGetParameter(gl.GL_MAX_TEXTURE_SIZE))
    renderbuffer = int(gl.glGetParameter(gl.GL_MAX_RENDERBUFFER_SIZE))
    viewport = gl.glGetParameter(gl.GL_MAX_VIEWPORT_DIMS)
    viewport_limit = int(min(viewport)) if np.ndim(viewport) else int(viewport)
    return min(texture, renderbuffer, viewport_limit)


class CubeMapRenderer:
    """Renders `scene` (a SpaceScene on a square canvas) with `projection` at `size` output
    pixels: faces of `face_px` texels (the projection's choice, capped by the GL limit)."""

    def __init__(self, scene, projection: Projection, size: tuple[int, int]):
        from vispy import gloo

        if not projection.is_projected:
            raise ValueError("a cube map is for fisheye and equirectangular images")
        projection.check_size(size)
        self.scene, self.projection, self.size = scene, projection, size
        scene.canvas.set_current()
        wanted = projection.face_size(size)
        self.face_px = min(wanted, texture_limit())
        if self.face_px < wanted:
            log.info("cube faces of %d px capped at the GL limit %d", wanted, self.face_px)
        self.faces = projection.faces_used()
        shape = (self.face_px, self.face_px, 4)
        blank = gloo.Texture2D(np.zeros((1, 1, 4), dtype=np.uint8))
        self.textures = {i: gloo.Texture2D(shape=shape, interpolation="linear",
                                           wrapping="clamp_to_edge", internalformat="rgba8")
                         for i in self.faces}
        self.program = gloo.Program(shader_source("cubemap.vert"), shader_source("cubemap.frag"))
        self.program["a_position"] = np.array([[-1, -1], [1, -1], [-1, 1], [1, 1]], np.float32)
        for index, name in enumerate(FACE_NAMES):
            self.program[f"u_{name}"] = self.textures.get(index, blank)
        overscan = self.face_px / (self.face_px - 1.0)
        self.face_fov_deg = 2.0 * math.degrees(math.atan(overscan))
        self.program["u_texscale"] = 1.0 / overscan
        self.program["u_kind"] = KIND_CODES[projection.kind]
        self.program["u_half_fov"] = math.radians(projection.fov_deg or 360.0) / 2.0
        self.program["u_tilt"] = projection.tilt_matrix().T.astype(np.float32)  # GLSL: columns
        self.program["u_size"] = (float(size[0]), float(size[1]))

    def draw_faces(self) -> None:
        """Draw the faces the output uses into their textures (the scene's current state)."""
        scene = self.scene
        camera = scene.view.camera
        saved_scale, scene.px_scale = scene.px_scale, self.face_px / scene.canvas.size[1]
        try:
            for index in self.faces:
                camera.face = (face_basis(index), self.face_fov_deg)
                scene.sync()
                if index != FRONT:
                    for node in scene.overlay.nodes:
                        node.visible = False
                render_region(scene.canvas, None, (self.face_px, self.face_px),
                              into=self.textures[index])
        finally:
            camera.face = None
            scene.px_scale = saved_scale
            scene.request_draw()

    def remap(self, x: int, y: int, width: int, height: int) -> np.ndarray:
        """The output pixels [y:y+height, x:x+width] (row 0 at the top) from the faces last
        drawn: (height, width, 4) uint8."""
        from vispy import gloo

        self.scene.canvas.set_current()
        fbo = gloo.FrameBuffer(color=gloo.RenderBuffer((height, width)))
        with fbo:
            gloo.set_viewport(0, 0, width, height)
            gloo.set_state(blend=False, depth_test=False, cull_face=False)
            gloo.clear(color=(0.0, 0.0, 0.0, 1.0))
            self.program["u_origin"] = (float(x), float(self.size[1] - y - height))
            self.program.draw("triangle_strip")
            return fbo.read()

    def render(self, tile: int, alpha: bool = False) -> np.ndarray:
        """The whole projected image (H, W, 3|4) uint8, remapped in tiles of at most `tile`
        pixels; all black while the presentation's black screen is on."""
        width, height = self.size
        channels = 4 if alpha else 3
        image = np.zeros((height, width, channels), dtype=np.uint8)
        if self.scene.state.presentation.black:
            if alpha:
                image[..., 3] = 255
            return image
        self.draw_faces()
        for y in range(0, height, tile):
            for x in range(0, width, tile):
                w, h = min(tile, width - x), min(tile, height - y)
                image[y:y + h, x:x + w] = self.remap(x, y, w, h)[..., :channels]
        return image
