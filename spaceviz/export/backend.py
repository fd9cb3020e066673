"""Choose VisPy's GL backend for headless work: Qt under X (Xvfb), EGL with no display."""

from __future__ import annotations

import logging
import os

log = logging.getLogger(__name__)
_chosen: str | None = None


MIN_GL_VERSION = (2, 1)
GL_HELP = ("spaceviz needs OpenGL 2.1 or newer. On Linux install Mesa (Debian/Ubuntu: "
           "apt-get install libgl1 libegl1 libgl1-mesa-dri libegl-mesa0); without a display, "
           "run under xvfb-run or set SPACEVIZ_GL_BACKEND=egl.")


def parse_gl_version(text: str) -> tuple[int, int]:
    """(major, minor) from a GL_VERSION string such as '4.5 (Core Profile) Mesa 22.3.6'."""
    import re

    match = re.search(r"(\d+)\.(\d+)", text or "")
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


def check_gl_version(version_text: str) -> None:
    """Raise GraphicsUnavailableError when the context's GL is older than 2.1."""
    from spaceviz.core.errors import GraphicsUnavailableError

    if parse_gl_version(version_text) < MIN_GL_VERSION:
        raise GraphicsUnavailableError(f"this OpenGL is too old ({version_text!r}). {GL_HELP}")


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
    try:
        vispy.use(app=name)
    except Exception as exc:  # noqa: BLE001 (any backend failure means no usable GL here)
        from spaceviz.core.errors import GraphicsUnavailableError

        raise GraphicsUnavailableError(f"could not start OpenGL through {name}: {exc}. "
                                       f"{GL_HELP}") from None
    _chosen = name
    log.debug("VisPy backend: %s", name)
    return name
