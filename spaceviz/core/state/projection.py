"""Image projections for exports: perspective, fisheye dome masters and equirectangular 360.

Pure numpy: the mapping between output pixels and view directions, the six cube-map faces a
projected image is resampled from, and the face size an output needs. The render layer draws
the faces and remaps them on the GPU with the same formulas (shaders/cubemap.frag).

Conventions (documented in docs/projections.md). Directions are in the *view frame* of the
camera: x to the camera's right, y its up, z along its view direction (right-handed).
Output coordinates (u, v) run 0..1 from the left and from the bottom edge.

- fisheye (azimuthal equidistant dome master, square): a = 2u - 1, b = 2v - 1, r = |(a, b)|;
  the angle from the dome zenith is r * fov / 2 and the azimuth atan2(b, a), so the image
  centre is the dome zenith, the top of the image the camera's up side and its right the
  camera's right; black outside the disc r > 1. Untilted, the zenith is the view direction.
  `tilt` (a tilted dome) turns the dome up about the camera's right axis: the zenith lies
  `tilt` degrees above the view direction, and what the camera looks at appears `tilt`
  degrees below the centre, towards the bottom edge (the front of a tilted dome).
- equirectangular (2:1): longitude 2 pi (u - 0.5) (positive to the camera's right), latitude
  pi (v - 0.5); the image centre is the view direction, the top row the camera's up pole.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from spaceviz.core.errors import UserError

KINDS = ("perspective", "fisheye", "equirectangular")
FISHEYE_FOV_DEG = 180.0
MAX_FISHEYE_FOV_DEG = 220.0
MAX_TILT_DEG = 90.0
MAX_PERSPECTIVE_FOV_DEG = 170.0

# The six cube faces in the view frame: (forward, up); right = up x forward.
FACE_NAMES = ("front", "back", "right", "left", "top", "bottom")
_FACES = np.array([
    [[0, 0, 1], [0, 1, 0]],
    [[0, 0, -1], [0, 1, 0]],
    [[1, 0, 0], [0, 1, 0]],
    [[-1, 0, 0], [0, 1, 0]],
    [[0, 1, 0], [0, 0, -1]],
    [[0, -1, 0], [0, 0, 1]],
], dtype=np.float64)


def face_basis(index: int) -> np.ndarray:
    """Rows right, up, forward of cube face `index` (FACE_NAMES order), in the view frame."""
    forward, up = _FACES[index]
    return np.array([np.cross(up, forward), up, forward])


@dataclass(frozen=True)
class Projection:
    """How an export maps directions to pixels: `kind` (KINDS), `fov_deg` (fisheye: degrees
    across the disc; perspective: the vertical field of view, None to keep the camera's) and
    the dome `tilt_deg` (degrees, fisheye only)."""

    kind: str = "perspective"
    fov_deg: float | None = None
    tilt_deg: float = 0.0

    @property
    def is_projected(self) -> bool:
        """True for the projections made from a cube map (fisheye, equirectangular)."""
        return self.kind != "perspective"

    def tilt_matrix(self) -> np.ndarray:
        """(3, 3) rotation from the dome frame (z = zenith) to the view frame."""
        t = math.radians(self.tilt_deg)
        c, s = math.cos(t), math.sin(t)
        return np.array([[1.0, 0.0, 0.0], [0.0, c, s], [0.0, -s, c]])

    def check_size(self, size: tuple[int, int]) -> None:
        """A UserError when the output size does not suit the projection."""
        width, height = size
        if self.kind == "fisheye" and width != height:
            raise UserError(f"a fisheye dome master is square; {width}x{height} is not "
                            f"(for example --size 4096x4096)")
        if self.kind == "equirectangular" and width != 2 * height:
            raise UserError(f"an equirectangular frame is twice as wide as it is high; "
                            f"{width}x{height} is not (for example --size 4096x2048)")

    def directions(self, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """View-frame unit directions (..., 3) of output coordinates u, v (0..1, v up), and
        a mask of those inside the image (False outside the dome disc)."""
        u, v = np.asarray(u, dtype=np.float64), np.asarray(v, dtype=np.float64)
        if self.kind == "fisheye":
            a, b = 2.0 * u - 1.0, 2.0 * v - 1.0
            r = np.hypot(a, b)
            theta = r * math.radians(self.fov_deg) / 2.0
            phi = np.arctan2(b, a)
            dome = np.stack([np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi),
                             np.cos(theta)], axis=-1)
            return dome @ self.tilt_matrix().T, r <= 1.0
        if self.kind == "equirectangular":
            lon, lat = 2.0 * math.pi * (u - 0.5), math.pi * (v - 0.5)
            dirs = np.stack([np.cos(lat) * np.sin(lon), np.sin(lat), np.cos(lat) * np.cos(lon)],
                            axis=-1)
            return dirs, np.ones(u.shape, dtype=bool)
        raise ValueError("perspective images are not made from a cube map")

    def face_size(self, size: tuple[int, int]) -> int:
        """Pixels across a 90-degree cube face so that the face matches the output's
        resolution at the image centre (fisheye: 2 W / aperture in radians; equirectangular:
        W / pi)."""
        width = size[0]
        if self.kind == "fisheye":
            return max(16, math.ceil(2.0 * width / math.radians(self.fov_deg)))
        return max(16, math.ceil(width / math.pi))

    def faces_used(self, samples: int = 257) -> list[int]:
        """The cube faces (FACE_NAMES indices) that some output pixel samples: a grid of the
        image and its rim (the fisheye's disc edge)."""
        grid = np.linspace(0.0, 1.0, samples)
        u, v = np.meshgrid(grid, grid)
        angle = np.linspace(0.0, 2.0 * math.pi, 8 * samples)
        rim_u, rim_v = (np.cos(angle) + 1.0) / 2.0, (np.sin(angle) + 1.0) / 2.0
        dirs, inside = self.directions(np.concatenate([u.ravel(), rim_u]),
                                       np.concatenate([v.ravel(), rim_v]))
        return sorted({int(i) for i in face_of(dirs[inside | (np.arange(len(dirs)) >= u.size)])})


def face_of(directions: np.ndarray) -> np.ndarray:
    """The cube face (FACE_NAMES index) each view-frame direction (N, 3) falls on."""
    d = np.asarray(directions, dtype=np.float64)
    forwards = _FACES[:, 0, :]
    return np.argmax(d @ forwards.T, axis=-1)


def parse_projection(kind: str | None, fov_deg: float | None = None,
                     tilt_deg: float | None = None) -> Projection:
    """A Projection from the command line's or a dialog's values; a UserError naming the
    option for anything out of range (fisheye aperture 1..220 degrees, tilt 0..90)."""
    kind = (kind or "perspective").strip().lower()
    if kind not in KINDS:
        raise UserError(f"--projection {kind!r} is not one of {', '.join(KINDS)}")
    if tilt_deg is not None and tilt_deg != 0 and kind != "fisheye":
        raise UserError("--tilt applies to a fisheye dome master (--projection fisheye)")
    if kind == "fisheye":
        fov = FISHEYE_FOV_DEG if fov_deg is None else float(fov_deg)
        if not (math.isfinite(fov) and 1.0 <= fov <= MAX_FISHEYE_FOV_DEG):
            raise UserError(f"--fov {fov_deg:g}: a fisheye covers 1 to "
                            f"{MAX_FISHEYE_FOV_DEG:g} degrees")
        tilt = 0.0 if tilt_deg is None else float(tilt_deg)
        if not (math.isfinite(tilt) and -MAX_TILT_DEG <= tilt <= MAX_TILT_DEG):
            raise UserError(f"--tilt {tilt_deg:g}: a dome tilts -90 to 90 degrees")
        return Projection("fisheye", fov, tilt)
    if kind == "equirectangular":
        if fov_deg is not None:
            raise UserError("--fov does not apply to equirectangular frames (they cover "
                            "360 x 180 degrees)")
        return Projection("equirectangular", None, 0.0)
    if fov_deg is not None and not (math.isfinite(fov_deg) and 1.0 <= fov_deg <= MAX_PERSPECTIVE_FOV_DEG):
        raise UserError(f"--fov {fov_deg:g}: a perspective view covers 1 to "
                        f"{MAX_PERSPECTIVE_FOV_DEG:g} degrees (vertically)")
    return Projection("perspective", None if fov_deg is None else float(fov_deg), 0.0)
