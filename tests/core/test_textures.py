"""The shipped surface maps: present, 2:1, credited, and oriented as textures.toml says
(known dark and bright features sampled where the convention puts them)."""

from __future__ import annotations

import numpy as np
import pytest

from spaceviz.core.astro import rotation, textures
from spaceviz.core.astro.bodies import BODIES
from spaceviz.core.astro.textures import (
    FIRST_COLUMN_LON_DEG,
    TEXTURES_DIR,
    body_textures,
    load_image,
)


def _pixels(body: str) -> np.ndarray:
    return load_image(body_textures()[body].path).astype(np.float64)


def _sample(pixels: np.ndarray, lat_deg: float, lon_east_deg: float, half: int = 2) -> np.ndarray:
    """Mean RGB of a (2 half + 1)^2 patch centred on a planetocentric latitude / east longitude,
    placed by the documented convention (column 0 at FIRST_COLUMN_LON_DEG, north up)."""
    height, width = pixels.shape[:2]
    column = int((lon_east_deg - FIRST_COLUMN_LON_DEG) % 360.0 / 360.0 * width)
    row = min(int((90.0 - lat_deg) / 180.0 * height), height - 1)
    rows = np.clip(np.arange(row - half, row + half + 1), 0, height - 1)
    columns = np.arange(column - half, column + half + 1) % width
    return pixels[np.ix_(rows, columns)].reshape(-1, pixels.shape[2])[:, :3].mean(axis=0)


def _brightness(pixels: np.ndarray, lat_deg: float, lon_east_deg: float) -> float:
    """A feature's brightness relative to the map's median."""
    return float(_sample(pixels, lat_deg, lon_east_deg).mean() / np.median(pixels[..., :3]))


def test_every_map_is_shipped_equirectangular_credited_and_has_a_frame():
    textures = body_textures()
    assert set(textures) == set(rotation.ORIENTED_BODIES) <= set(BODIES)
    for name, texture in textures.items():
        pixels = load_image(texture.path)
        assert pixels.dtype == np.uint8 and pixels.shape[2] == 3, name
        assert pixels.shape[1] == 2 * pixels.shape[0], name
        assert texture.credit.startswith(name), name
    assert load_image(textures["Moon"].path).shape[:2] == (2048, 4096)
    assert load_image(textures["Earth"].path).shape[1] >= 2048
    files = {p.name for p in TEXTURES_DIR.iterdir()}
    assert {"CREDITS.md", "textures.toml"} <= files
    assert sum(p.stat().st_size for p in TEXTURES_DIR.iterdir()) < 25e6


def test_moon_maria_are_dark_and_rayed_craters_bright_where_east_longitude_puts_them():
    """Mare Crisium (17.0N, 59.1E) and Mare Imbrium (32.8N, 15.6W) are dark; Aristarchus
    (23.7N, 47.4W) and Tycho (43.3S, 11.4W) bright. Mirrored (west longitudes), Aristarchus
    would fall on dark Mare Tranquillitatis / Fecunditatis ground at 47.4E."""
    moon = _pixels("Moon")
    assert _brightness(moon, 17.0, 59.1) < 0.7
    assert _brightness(moon, 32.8, -15.6) < 0.7
    assert _brightness(moon, 23.7, -47.4) > 1.3
    assert _brightness(moon, -43.3, -11.4) > 1.3
    assert _brightness(moon, 23.7, 47.4) < 1.0


def test_earth_sahara_is_tan_and_the_pacific_dark_blue():
    earth = _pixels("Earth")
    red, green, blue = _sample(earth, 23.0, 13.0)
    assert red > 150 and red > green > blue
    red, green, blue = _sample(earth, 0.0, -160.0)
    assert blue > red and blue > green and blue < 80


def test_mars_syrtis_major_is_dark_and_hellas_bright():
    """Syrtis Major (8.4N, 69.5E) dark, Hellas (42.4S, 70.5E) and Arabia Terra (20N, 5E) bright;
    at 69.5W (a mirrored map) lies bright Tharsis ground."""
    mars = _pixels("Mars")
    syrtis = _sample(mars, 8.4, 69.5)
    assert syrtis.mean() < 0.6 * _sample(mars, -42.4, 70.5).mean()
    assert syrtis.mean() < 0.6 * _sample(mars, 20.0, 5.0).mean()
    assert syrtis.mean() < 0.6 * _sample(mars, 8.4, -69.5).mean()


def test_venus_beta_regio_and_mercury_debussy_sit_east_of_their_mirror_images():
    """Radar-bright Beta Regio (25N, 282.8E) on Venus, the bright rays of Debussy (33.9S, 12.5E)
    on Mercury; their mirror positions are dark."""
    venus = _pixels("Venus")
    assert _sample(venus, 25.0, -77.2).mean() > 1.3 * _sample(venus, 25.0, 77.2).mean()
    mercury = _pixels("Mercury")
    assert _sample(mercury, -33.9, 12.5).mean() > 2.0 * _sample(mercury, -33.9, -12.5).mean()


def test_saturn_rings_strip_spans_the_c_ring_to_the_f_ring():
    """Ring regions (NASA Saturnian Rings Fact Sheet): C ring 74,658-92,000 km, B ring
    92,000-117,580, Cassini Division 117,580-122,170, A ring 122,170-136,775, F ring at 140,180.
    Placed by the strip's inner and outer radii, the B ring's sharp outer edge falls within one
    pixel (257 km) of 117,580 km."""
    rings = body_textures()["Saturn"].rings
    assert rings is not None
    assert BODIES["Saturn"].radius_km < rings.inner_radius_km < 74_658
    assert 140_180 < rings.outer_radius_km
    strip = load_image(rings.path)
    assert strip.shape[0] == 1 and strip.shape[2] == 4
    alpha = strip[0, :, 3].astype(float)
    pixel_km = (rings.outer_radius_km - rings.inner_radius_km) / alpha.size
    radius = rings.inner_radius_km + (np.arange(alpha.size) + 0.5) * pixel_km

    def mean(inner_km: float, outer_km: float) -> float:
        return float(alpha[(radius > inner_km) & (radius < outer_km)].mean())

    b_ring = mean(92_000, 117_580)
    assert b_ring > 180
    assert mean(74_658, 92_000) < 0.3 * b_ring
    assert mean(117_580, 122_170) < 0.5 * b_ring
    assert mean(122_170, 136_775) > 0.7 * b_ring
    assert mean(137_000, 139_800) == 0.0
    assert alpha[radius < 117_580 - pixel_km][-1] > 200
    assert alpha[radius > 117_580 + pixel_km][0] < 50


@pytest.mark.parametrize("name", ["Moon", "Earth"])
def test_maps_wrap_without_a_seam_at_180_degrees(name):
    """The first and last columns meet at 180 deg: neighbouring pixels, not opposite sides."""
    pixels = _pixels(name)
    seam = np.abs(pixels[:, 0] - pixels[:, -1]).mean()
    middle = pixels.shape[1] // 2
    assert seam < 2.0 * np.abs(pixels[:, middle] - pixels[:, middle - 1]).mean() + 2.0


def test_an_entry_oriented_otherwise_or_with_keys_nobody_reads_is_refused():
    entry = {"file": "moon.jpg", "first_column_lon_deg": -180.0, "longitude": "east",
             "frame": "", "credit": "Moon"}
    assert textures._body_texture("Moon", entry).path == TEXTURES_DIR / "moon.jpg"
    for change in ({"first_column_lon_deg": 0.0}, {"longitude": "west"},
                   {"normal_map": "moon_normals.png"}):
        with pytest.raises(ValueError):
            textures._body_texture("Moon", entry | change)
