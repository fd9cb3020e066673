"""Choose VisPy's GL backend for headless work: Qt under X (Xvfb), EGL with no display."""

from __future__ import annotations

import logging
import os

log = logging.getLogger(__name__)
_chosen: str | None = None


def ensure_headless_backend() -> str:
    """Select and return the VisPy app backend: SPACEVIZ_GL_BACKEND, else pyside6 with a
    DISPLAY, else EGL (surfaceless Mesa, no display at all)."""
    global _chosen
    if _chosen is not None:
        return _chosen
    import vispy

    name = os.environ.get("SPACEVIZ_GL_BACKEND")
    if not name:
        name = "pyside6" if os.environ.get("DISPLAY") else "egl"
    if name == "egl":
        os.environ.setdefault("EGL_PLATFORM", "surfaceless")
    vispy.use(app=name)
    _chosen = name
    log.debug("VisPy backend: %s", name)
    return name
