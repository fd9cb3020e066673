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
REFERENCE_HEIGHT_PX = 1080.0  # labels and markers keep their look relative to a 1080p frame


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


def render_tiled(scene, size: tuple[int, int], tile: int | None = None, alpha: bool = False) -> np.ndarray:
    """Render the scene at `size` (W, H) pixels, in tiles of at most `tile` pixels."""
    width, height = size
    scene.canvas.size = (width, height)
    scene.px_scale = max(1.0, height / REFERENCE_HEIGHT_PX)
    tile = tile or gl_tile_limit()
    channels = 4 if alpha else 3
    if width <= tile and height <= tile:
        return scene.render_image(size=(width, height), alpha=alpha)
    image = np.zeros((height, width, channels), dtype=np.uint8)
    scene.sync()
    for y in range(0, height, tile):
        for x in range(0, width, tile):
            w, h = min(tile, width - x), min(tile, height - y)
            # VisPy regions count y from the bottom edge (GL convention); rows from the top.
            region = (x, height - y - h, w, h)
            part = scene.canvas.render(region=region, size=(w, h), alpha=True)
            image[y:y + h, x:x + w] = part[..., :channels]
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


def screenshot_session(session, t_tdb: float, size: tuple[int, int], out: str | Path,
                       target: str | None = None, distance_au: float | None = None,
                       azimuth_deg: float | None = None, elevation_deg: float | None = None,
                       transparent: bool = False, tile: int | None = None,
                       overlay: bool = False) -> np.ndarray:
    """Render a session's scene at a time and write it as PNG; returns the image.

    With a target and no azimuth, the camera looks at the target's sunlit side."""
    from spaceviz.core.camera import CameraModel
    from spaceviz.core.time import format_iso
    from spaceviz.export.backend import ensure_headless_backend
    from spaceviz.render.scene import SpaceScene

    ensure_headless_backend()
    world = session.world
    world.ephemeris.check_range(t_tdb)
    view = session.scenario.view
    camera = CameraModel(view.target, view.distance_au, view.azimuth, view.elevation)
    if target is not None:
        from spaceviz.render.camera import viewing_angles

        obj = world.get(target)
        if azimuth_deg is None and obj.kind != "star":
            azimuth_deg, default_elevation = viewing_angles(world, obj.name, t_tdb)
            if elevation_deg is None:
                elevation_deg = default_elevation
        camera.set_pose(target=obj.name, distance_au=distance_au or _framing(obj))
    camera.set_pose(distance_au=distance_au, azimuth_deg=azimuth_deg, elevation_deg=elevation_deg)
    timeline = session.make_timeline()
    timeline.set_bounds(min(timeline.start, t_tdb), max(timeline.end, t_tdb + 1e-6))
    timeline.set_time(t_tdb)
    from spaceviz.core.presentation import PresentationState

    presentation = PresentationState()
    presentation.set(show_date=overlay, show_scale=overlay)
    scene = SpaceScene.from_session(session, timeline, camera, size=(min(size[0], 2048), min(size[1], 2048)),
                       interactive=False, presentation=presentation)
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


def _framing(obj) -> float:
    from spaceviz.core.constants import AU_KM

    if obj.kind == "star":
        return 3.0
    if obj.kind in ("site", "facility"):
        return 3000.0 / AU_KM
    if obj.radius_km:
        return max(obj.radius_km * 12.0 / AU_KM, 2e-6)
    return 0.05
