"""Screenshots of any size: rendered offscreen, in tiles past the GL size limit, stitched.

The canvas has the output's logical size; each tile renders a region of it into its own
framebuffer with the same camera, so tiles join without seams.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from spaceviz.core.errors import UserError
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


def parse_size(text: str) -> tuple[int, int]:
    """`1920x1080` -> (1920, 1080); a UserError for anything else or out of range."""
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise UserError(f"--size '{text}' is not WIDTHxHEIGHT (for example 1920x1080)") from None
    if not (1 <= width <= MAX_SIZE and 1 <= height <= MAX_SIZE):
        raise UserError(f"--size {width}x{height} is outside 1x1 .. {MAX_SIZE}x{MAX_SIZE}")
    return width, height


MAX_LOGICAL = (1920, 1080)


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
    own framebuffer with the same camera, so tiles join seamlessly."""
    from spaceviz.render.scene import render_region

    width, height = size
    base_x, base_y, base_w, base_h = aspect_region(scene.canvas.size, size)
    kx, ky = width / base_w, height / base_h
    scene.px_scale = ky
    tile = tile or gl_tile_limit()
    channels = 4 if alpha else 3
    scene.sync()
    if width <= tile and height <= tile:
        image = render_region(scene.canvas, (base_x, base_y, base_w, base_h), (width, height))
        scene._dirty = True
        return image[..., :channels]
    image = np.zeros((height, width, channels), dtype=np.uint8)
    for y in range(0, height, tile):
        for x in range(0, width, tile):
            w, h = min(tile, width - x), min(tile, height - y)
            # Logical region of this tile; VisPy regions count y from the bottom edge (GL).
            region = (base_x + x / kx, base_y + (height - y - h) / ky, w / kx, h / ky)
            part = render_region(scene.canvas, region, (w, h))
            image[y:y + h, x:x + w] = part[..., :channels]
    scene._dirty = True
    return image


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


def screenshot_view(scene, size: tuple[int, int], out: str | Path, title: str = "") -> np.ndarray:
    """Render what a live scene shows (its time, camera and overlay) at any size, offscreen
    through its own canvas, and write a PNG. The window is neither resized nor redrawn."""
    from spaceviz.core.astro.time import format_iso

    camera = scene.camera_model
    image = render_tiled(scene, size)
    write_png(out, image, {"Software": "spaceviz", "Title": title,
                           "Time": format_iso(scene.timeline.time),
                           "Camera": f"target={camera.target} distance_au={camera.distance_au:.6g}"})
    return image


def headless_scene(session, size: tuple[int, int], camera, overlay: bool = False):
    """An offscreen SpaceScene of a session for an output of `size` pixels: its own timeline,
    the given CameraModel, a logical-size canvas, and the date/scale overlay on or off."""
    from spaceviz.core.state.presentation import PresentationState
    from spaceviz.export.backend import ensure_headless_backend
    from spaceviz.render.scene import SpaceScene

    ensure_headless_backend()
    presentation = PresentationState()
    presentation.set(show_date=overlay, show_scale=overlay)
    scene = SpaceScene.from_session(session, session.make_timeline(), camera,
                                    size=logical_size(size), interactive=False,
                                    presentation=presentation)
    scene.px_scale = size[1] / scene.canvas.size[1]
    return scene


def screenshot_session(session, t_tdb: float, size: tuple[int, int], out: str | Path,
                       target: str | None = None, distance_au: float | None = None,
                       azimuth_deg: float | None = None, elevation_deg: float | None = None,
                       transparent: bool = False, tile: int | None = None,
                       overlay: bool = False) -> np.ndarray:
    """Render a session's scene at a time and write it as PNG; returns the image.

    With a target and no azimuth, the camera looks at the target's sunlit side."""
    from spaceviz.core.astro.time import format_iso
    from spaceviz.core.state.camera import CameraModel

    world = session.world
    world.ephemeris.check_range(t_tdb)
    view = session.scenario.view
    camera = CameraModel(view.target, view.distance_au, view.azimuth, view.elevation)
    if target is not None:
        from spaceviz.core.state.viewpoints import framing_distance_au, viewing_angles

        obj = world.get(target)
        if azimuth_deg is None and obj.kind != "star":
            azimuth_deg, default_elevation = viewing_angles(world, obj.name, t_tdb)
            if elevation_deg is None:
                elevation_deg = default_elevation
        camera.set_pose(target=obj.name, distance_au=distance_au or framing_distance_au(obj))
    camera.set_pose(distance_au=distance_au, azimuth_deg=azimuth_deg, elevation_deg=elevation_deg)
    scene = headless_scene(session, size, camera, overlay)
    timeline = scene.timeline
    timeline.set_bounds(min(timeline.start, t_tdb), max(timeline.end, t_tdb + 1e-6))
    timeline.set_time(t_tdb)
    try:
        image = render_tiled(scene, size, tile=tile, alpha=transparent)
    finally:
        scene.close()
    if transparent:
        background = np.all(image[..., :3] <= 8, axis=2)
        image[..., 3] = np.where(background, 0, 255)
    metadata = {
        "Software": "spaceviz",
        "Title": session.title,
        "Scenario": str(session.scenario.source_path or ""),
        "Time": format_iso(t_tdb),
        "Camera": f"target={camera.target} distance_au={camera.distance_au:.6g} "
                  f"azimuth={camera.azimuth_deg:.2f} elevation={camera.elevation_deg:.2f}",
    }
    write_png(out, image, metadata)
    return image

