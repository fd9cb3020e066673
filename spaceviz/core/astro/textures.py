"""Surface maps of the bodies (resources/textures): which file, how it is oriented, whose it is.

Every map is equirectangular (width = 2 x height) in one orientation: column 0 begins at
longitude `FIRST_COLUMN_LON_DEG` = -180 deg and longitudes increase eastward to the right
(planetocentric east longitude, atan2(y, x) in the body-fixed frame of
spaceviz.core.astro.rotation), so the prime meridian runs down the middle; the top row is the
north pole (+z). For a body-fixed unit vector (x, y, z) the texture coordinates, with v = 0
at the top row, are u = (atan2(y, x) + pi) / (2 pi) and v = (pi/2 - asin(z)) / pi.
A ring texture is a radial strip from the inner radius (column 0) to the outer radius (last
column), colour in RGB and opacity in alpha.

resources/textures/textures.toml lists the files and their credit lines (shown in Help >
About); resources/textures/CREDITS.md gives sources and terms.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from spaceviz.paths import RESOURCES_DIR

TEXTURES_DIR = RESOURCES_DIR / "textures"
FIRST_COLUMN_LON_DEG = -180.0
"""Longitude (degrees east) of the left edge of every map's column 0."""


@dataclass(frozen=True)
class RingTexture:
    """A planet's rings: a radial RGBA strip spanning inner..outer radius (km from the centre)."""

    path: Path
    inner_radius_km: float
    outer_radius_km: float
    credit: str


@dataclass(frozen=True)
class BodyTexture:
    """A body's surface map (orientation as in the module docstring) and its credit line."""

    body: str
    path: Path
    credit: str
    rings: RingTexture | None = None


@functools.cache
def body_textures() -> dict[str, BodyTexture]:
    """Every shipped surface map by body name, from textures.toml (checked when read)."""
    table = tomllib.loads((TEXTURES_DIR / "textures.toml").read_text(encoding="utf-8"))
    return {name: _body_texture(name, entry) for name, entry in table["body"].items()}


_BODY_KEYS = {"file", "first_column_lon_deg", "longitude", "frame", "credit", "rings"}


def _body_texture(name: str, entry: dict) -> BodyTexture:
    unknown = set(entry) - _BODY_KEYS
    if unknown:  # a key this loader would ignore (a normal map, say) must be read first
        raise ValueError(f"textures.toml: {name}: unknown keys {sorted(unknown)}")
    if entry["first_column_lon_deg"] != FIRST_COLUMN_LON_DEG or entry["longitude"] != "east":
        raise ValueError(f"textures.toml: {name}'s map is not oriented as every map must be "
                         f"(column 0 at {FIRST_COLUMN_LON_DEG} deg, east longitudes)")
    rings = entry.get("rings")
    return BodyTexture(
        body=name,
        path=TEXTURES_DIR / entry["file"],
        credit=entry["credit"],
        rings=None if rings is None else RingTexture(
            TEXTURES_DIR / rings["file"], float(rings["inner_radius_km"]),
            float(rings["outer_radius_km"]), rings["credit"]),
    )


def load_image(path: Path, height: int | None = None) -> np.ndarray:
    """The pixels of a texture file as uint8, (H, W, 3) or (H, W, 4) with alpha; row 0 is the
    top row of the image (north). With `height`, a map reduced to that many rows (and twice
    as many columns): a JPEG is decoded at a reduced scale first, so small levels are cheap."""
    from PIL import Image

    with Image.open(path) as image:
        mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info \
            else "RGB"
        if height is not None and height < image.height:
            image.draft(mode, (2 * height, height))  # JPEG: DCT scaling, no full decode
            image = image.convert(mode).resize((2 * height, height), Image.Resampling.BOX)
        return np.asarray(image.convert(mode))
