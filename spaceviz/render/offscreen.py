"""Canvases that are never shown, and rendering a canvas into an offscreen framebuffer of any
size (screenshots, video frames, picking passes).

With a Qt backend a canvas that was never shown has no GL context of its own: it would draw
in (and delete objects of) whichever context is current, corrupting a live view. The UI
therefore registers a factory (`set_canvas_factory`) that makes real but invisible Qt
canvases; without one (EGL, or a single canvas) a hidden canvas is used.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

_canvas_factory: Callable | None = None


def set_canvas_factory(factory: Callable | None) -> None:
    """`factory(size) -> SceneCanvas` for every canvas made by `new_canvas` (None: default)."""
    global _canvas_factory
    _canvas_factory = factory


def new_canvas(size: tuple[int, int], bgcolor=(0.0, 0.0, 0.0, 1.0)):
    """A SceneCanvas of `size` logical pixels that never appears on screen."""
    if _canvas_factory is not None:
        canvas = _canvas_factory(size)
        canvas.bgcolor = bgcolor
        return canvas
    from vispy import scene as vscene

    return vscene.SceneCanvas(size=size, show=False, bgcolor=bgcolor, keys=None)


def render_region(canvas, region=None, size=None, bgcolor=None, into=None) -> np.ndarray | None:
    """Render a logical region of a SceneCanvas into an offscreen framebuffer of `size` pixels.

    VisPy's own `canvas.render(size=...)` configures its transforms with the region's size as
    the framebuffer size, so a render at another resolution lands 1:1 in a corner; here the
    transform system is told the real framebuffer size, so the region is scaled to fill it.
    `region` (x, y, w, h) is in logical pixels with y from the bottom edge (GL). Returns
    (H, W, 4) uint8, row 0 at the top; or, given `into` (a gloo Texture2D of `size`), draws
    into that texture, which stays on the GPU, and returns None."""
    from vispy import gloo

    canvas.set_current()
    offset = (0, 0) if region is None else tuple(region[:2])
    region_size = tuple(canvas.size) if region is None else tuple(region[2:])
    if size is None:
        size = tuple(int(round(v * canvas.pixel_scale)) for v in region_size)
    width, height = int(size[0]), int(size[1])
    fbo = gloo.FrameBuffer(color=gloo.RenderBuffer((height, width)) if into is None else into,
                           depth=gloo.RenderBuffer((height, width)))
    canvas.push_fbo(fbo, offset, region_size)
    try:
        scale = canvas.pixel_scale  # logical -> physical, as the canvas transform maps it
        canvas.transforms.configure(viewport=(0, 0, width, height), fbo_size=(width, height),
                                    fbo_rect=(offset[0] * scale, offset[1] * scale,
                                              region_size[0] * scale, region_size[1] * scale))
        canvas._draw_scene(bgcolor=bgcolor)
        return fbo.read() if into is None else None
    finally:
        canvas.pop_fbo()
