"""Screenshots of any size: rendered offscreen, in tiles past the GL size limit, stitched.

The canvas has the output's logical size; each tile renders a region of it into its own
framebuffer with the same camera, so tiles join without seams.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from spaceviz.core.errors import UserError
from spaceviz.core.state.projection import Projection
from spaceviz.export.files import atomic_output

log = logging.getLogger(__name__)
MAX_SIZE = 32768


def gl_tile_limit() -> int:
    """The largest square tile the current GL context renders (renderbuffer and viewport)."""
    from vispy.gloo import gl

    from spaceviz.export.backend import check_gl_version

    check_gl_version(gl.glGetParameter(gl.GL_VERSION))
    renderbuffer = int(gl.glGetParameter(gl.GL_MAX_RENDERBUFFER_SIZE))
    viewport = gl.glGetParameter(gl.GL_MAX_VIEWPORT_DIMS)
    viewport_limit = int(min(viewport)) if np.ndim(viewport) else int(viewport)
    return max(256, min(renderbuffer, viewport_limit, 8192))


def parse_size(text: str, what: str = "--size") -> tuple[int, int]:
    """`1920x1080` -> (1920, 1080); a UserError naming `what` (the option or field) for
    anything else or out of range."""
    try:
        width, height = (int(v) for v in text.lower().replace(" ", "").split("x"))
    except ValueError:
        raise UserError(f"{what} '{text}' is not WIDTHxHEIGHT (for example 1920x1080)") from None
    if not (1 <= width <= MAX_SIZE and 1 <= height <= MAX_SIZE):
        raise UserError(f"{what} {width}x{height} is outside 1x1 .. {MAX_SIZE}x{MAX_SIZE}")
    return width, height


MAX_LOGICAL = (1920, 1080)
EXPORT_DPI = 96.0
"""Text sizes in exports: fixed, so an image does not depend on the screen (Qt reports the
display's DPI, EGL 96) and Dask workers render what a serial run renders."""


def logical_size(size: tuple[int, int]) -> tuple[int, int]:
    """The canvas size for an output size: the same aspect, at most 1920x1080 logical pixels.

    Output pixels come from rendering into larger framebuffers, so a 16k image looks like a
    sharper 1080p frame: labels, markers and captions keep their size relative to the image."""
    width, height = size
    k = max(1.0, width / MAX_LOGICAL[0], height / MAX_LOGICAL[1])
    return max(1, round(width / k)), max(1, round(height / k))


def aspect_region(canvas_size: tuple[int, int], size: tuple[int, int]) -> tuple[float, ...]:
    """The largest centred logical region of a canvas with the output's aspect ratio, as
    (x, y, w, h) with y from the bottom edge (GL)."""
    canvas_w, canvas_h = canvas_size
    aspect = size[0] / size[1]
    w, h = (canvas_w, canvas_w / aspect) if canvas_w / canvas_h < aspect else (canvas_h * aspect, canvas_h)
    return ((canvas_w - w) / 2, (canvas_h - h) / 2, w, h)


def render_tiled(scene, size: tuple[int, int], tile: int | None = None, alpha: bool = False) -> np.ndarray:
    """Render the scene at `size` (W, H) output pixels, in tiles of at most `tile` pixels.

    The output shows the canvas's centred region of the same aspect (the whole canvas when
    it was made with `logical_size`); each tile renders part of that logical region into its
    own framebuffer with the same camera, so tiles join seamlessly. Point sizes follow the
    output's scale for this render only."""
    from spaceviz.render.offscreen import render_region

    width, height = size
    base_x, base_y, base_w, base_h = aspect_region(scene.canvas.size, size)
    kx, ky = width / base_w, height / base_h
    scene.canvas.set_current()  # the app draws its live view between export frames
    tile = tile or gl_tile_limit()
    channels = 4 if alpha else 3
    saved_scale, scene.px_scale = scene.px_scale, ky
    try:
        scene.sync()
        if width <= tile and height <= tile:
            return render_region(scene.canvas, (base_x, base_y, base_w, base_h),
                                 (width, height))[..., :channels]
        image = np.zeros((height, width, channels), dtype=np.uint8)
        for y in range(0, height, tile):
            for x in range(0, width, tile):
                w, h = min(tile, width - x), min(tile, height - y)
                # Logical region of this tile; VisPy regions count y from the bottom edge (GL).
                region = (base_x + x / kx, base_y + (height - y - h) / ky, w / kx, h / ky)
                image[y:y + h, x:x + w] = render_region(scene.canvas, region, (w, h))[..., :channels]
        return image
    finally:
        scene.px_scale = saved_scale
        scene.request_draw()


def describe(projection: Projection) -> str:
    """The projection as PNG metadata: `fisheye fov=180 tilt=0`, `equirectangular`, ..."""
    if projection.kind == "fisheye":
        return f"fisheye fov={projection.fov_deg:g} tilt={projection.tilt_deg:g}"
    if projection.kind == "perspective" and projection.fov_deg is not None:
        return f"perspective fov={projection.fov_deg:g}"
    return projection.kind


def write_png(path: str | Path, image: np.ndarray, metadata: dict[str, str] | None = None) -> None:
    """Write an RGB(A) uint8 image as PNG with text metadata, atomically."""
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    for key, value in (metadata or {}).items():
        info.add_text(key, str(value))
    mode = "RGBA" if image.shape[2] == 4 else "RGB"
    Image.MAX_IMAGE_PIXELS = None
    with atomic_output(path) as part:
        Image.fromarray(np.ascontiguousarray(image), mode).save(part, format="PNG", pnginfo=info,
                                                                compress_level=6)


def export_scene(state, size: tuple[int, int], projection: Projection | None = None):
    """An offscreen SpaceScene that draws `state` (an AppState the export owns: a snapshot of
    the app's, or one made for the command line) for an output of `size` pixels, on its own
    canvas of `logical_size(size)`, or for a projected output on a square canvas for its
    cube faces (`face_canvas_size`)."""
    from spaceviz.export.backend import ensure_headless_backend
    from spaceviz.render.scene import SpaceScene

    ensure_headless_backend()
    canvas = (face_canvas_size(size, projection) if projection is not None
              and projection.is_projected else logical_size(size))
    scene = SpaceScene(state, size=canvas, interactive=False)
    scene.canvas.dpi = EXPORT_DPI
    return scene


def face_canvas_size(size: tuple[int, int], projection: Projection) -> tuple[int, int]:
    """The logical (square) canvas of a projected output's cube faces: the face's pixels
    scaled like the output's (`logical_size`), so labels keep their size at the image
    centre."""
    scale = size[1] / logical_size(size)[1]
    side = max(16, round(projection.face_size(size) / scale))
    return side, side


class FrameRenderer:
    """Frames of an AppState the export owns at `size` output pixels with a `projection`
    (default perspective): offscreen, tiled past the GL limit. Close it when done."""

    def __init__(self, state, size: tuple[int, int], projection: Projection | None = None):
        projection = projection or Projection()
        projection.check_size(size)
        if projection.kind == "perspective" and projection.fov_deg is not None:
            state.camera.fov_deg = projection.fov_deg
        self.size, self.projection = size, projection
        self.scene = export_scene(state, size, projection)
        self.cube = None
        try:
            self._cube_map()
        except BaseException:
            self.scene.close()
            raise

    def _cube_map(self) -> None:
        if self.projection.is_projected:
            from spaceviz.render.cubemap import CubeMapRenderer

            self.cube = CubeMapRenderer(self.scene, self.projection, self.size)

    def renew(self) -> None:
        """A new scene of the same state on the same canvas (and GL context): what is drawn
        next does not depend on what was drawn before (layers resample around the time they
        are made; each text visual's glyph atlas grows with the text it has shown)."""
        from spaceviz.render.scene import SpaceScene

        canvas = self.scene.canvas
        self.cube = None
        self.scene.close(keep_canvas=True)
        self.scene = SpaceScene(self.scene.state, canvas=canvas, interactive=False)
        self._cube_map()

    def render(self, tile: int | None = None, alpha: bool = False) -> np.ndarray:
        """The frame for the state's current time and camera: (H, W, 3|4) uint8."""
        if self.cube is None:
            return render_tiled(self.scene, self.size, tile=tile, alpha=alpha)
        self.scene.canvas.set_current()
        return self.cube.render(tile or gl_tile_limit(), alpha=alpha)

    def close(self) -> None:
        self.scene.close()


def screenshot(state, size: tuple[int, int], out: str | Path, *, transparent: bool = False,
               tile: int | None = None, projection: Projection | None = None) -> np.ndarray:
    """Render an AppState at any size (offscreen, tiled past the GL limit) with a projection
    (default perspective) and write a PNG with the time, camera and scenario in its
    metadata; returns the image."""
    from spaceviz.core.astro.time import format_iso

    renderer = FrameRenderer(state, size, projection)
    try:
        image = renderer.render(tile=tile, alpha=transparent)
    finally:
        renderer.close()
    if transparent:
        background = np.all(image[..., :3] <= 8, axis=2)
        image[..., 3] = np.where(background, 0, 255)
    camera, session = state.camera, state.session
    write_png(out, image, {
        "Software": "spaceviz",
        "Title": session.title,
        "Scenario": str(session.scenario.source_path or ""),
        "Time": format_iso(state.timeline.time),
        "Camera": f"target={camera.target} distance_au={camera.distance_au:.6g} "
                  f"azimuth={camera.azimuth_deg:.2f} elevation={camera.elevation_deg:.2f}",
        "Projection": describe(renderer.projection)})
    return image
