"""The Hipparcos star catalogue: positions against SIMBAD, space motion against skyfield and
astropy, counts, IAU names, constellation figures, V magnitudes, colours, and stars as the
World's last-resort records."""

import csv
import json

import numpy as np
import pytest

from spaceviz.core.astro.stars import (
    HIPPARCOS_EPOCH_TDB,
    STARS_DIR,
    bv_to_rgb,
    bv_to_temperature_k,
    default_stars,
)
from spaceviz.core.constants import AU_PER_PARSEC
from spaceviz.core.errors import UnknownNameError, UserError

J2000 = 2451545.0
T_2030 = 2462502.5
MAS = np.radians(1.0 / 3.6e6)


@pytest.fixture(scope="module")
def stars():
    return default_stars()


def radec_vector(ra_hms: str, dec_dms: str) -> np.ndarray:
    h, m, s = (float(v) for v in ra_hms.split())
    sign = -1.0 if dec_dms.startswith("-") else 1.0
    d, dm, ds = (float(v) for v in dec_dms.lstrip("+-").split())
    ra = np.radians(15.0 * (h + m / 60 + s / 3600))
    dec = sign * np.radians(d + dm / 60 + ds / 3600)
    return np.array([np.cos(dec) * np.cos(ra), np.cos(dec) * np.sin(ra), np.sin(dec)])


def angle_mas(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.arctan2(np.linalg.norm(np.cross(a, b)), np.dot(a, b)) / MAS)


# SIMBAD, ICRS coordinates at epoch J2000 (from van Leeuwen 2007), read 2025.
SIMBAD_J2000 = {
    ("Sirius", 32349): ("06 45 08.91728", "-16 42 58.0171"),
    ("Betelgeuse", 27989): ("05 55 10.30536", "+07 24 25.4304"),
    ("Vega", 91262): ("18 36 56.33635", "+38 47 01.2802"),
    ("Polaris", 11767): ("02 31 49.09456", "+89 15 50.7923"),
}


@pytest.mark.parametrize(("name", "hip"), list(SIMBAD_J2000))
def test_j2000_directions_match_simbad(stars, name, hip):
    """Proper motion carried from J1991.25 to J2000 lands on SIMBAD's J2000 position to
    better than 10 mas (Sirius moves 12 arcsec over those 8.75 years)."""
    index = stars.find(name)
    assert stars.hip[index] == hip
    direction = stars.unit_vectors_icrf(J2000, index)
    assert angle_mas(direction, radec_vector(*SIMBAD_J2000[name, hip])) < 10.0


def test_proper_motion_moves_sirius(stars):
    """1339 mas/yr over 8.75 years: 11.7 arcsec between the catalogue epoch and J2000."""
    index = stars.find("Sirius")
    moved = angle_mas(stars.unit_vectors_icrf(None, index), stars.unit_vectors_icrf(J2000, index))
    assert moved == pytest.approx(np.hypot(-546.01, -1223.07) * 8.75, rel=1e-6)


def test_sirius_distance_from_its_parallax(stars):
    """van Leeuwen (2007): parallax 379.21 mas, so 2.637 pc."""
    index = stars.find("Sirius")
    assert stars.parallax_mas[index] == pytest.approx(379.21, abs=1e-9)
    assert stars.distance_au(index, HIPPARCOS_EPOCH_TDB) / AU_PER_PARSEC == \
        pytest.approx(2.63706, abs=1e-5)
    assert AU_PER_PARSEC == pytest.approx(206264.806, abs=1e-3)


def test_position_and_velocity_match_skyfield_star(stars):
    """skyfield's Star from the same catalogue row, observed from the barycentre (where
    light-time plays no part): the same linear space motion to 1e-6 AU at 540,000 AU."""
    from skyfield.api import Star, load
    from skyfield.positionlib import Barycentric

    index = stars.find("Sirius")
    star = Star(ra_hours=np.degrees(stars.ra_rad[index]) / 15.0,
                dec_degrees=np.degrees(stars.dec_rad[index]),
                ra_mas_per_year=stars.pm_ra_cosdec_mas_yr[index],
                dec_mas_per_year=stars.pm_dec_mas_yr[index],
                parallax_mas=stars.parallax_mas[index], epoch=HIPPARCOS_EPOCH_TDB)
    times = np.array([J2000, T_2030])
    ts = load.timescale(builtin=True)
    ours = stars.position_au("Sirius", times)
    assert ours.shape == (3, 2)
    for column, t in enumerate(times):
        seen = Barycentric(np.zeros(3), np.zeros(3), t=ts.tdb_jd(t)).observe(star)
        assert np.abs(seen.position.au - ours[:, column]).max() < 1e-6
        # skyfield's velocity is the observer's minus the star's
        assert np.abs(seen.velocity.au_per_d + stars.velocity_au_per_day(index)).max() < 1e-15


def test_position_matches_astropy_space_motion(stars):
    """astropy's SkyCoord.apply_space_motion (ERFA pmsafe, radial velocity 0) agrees to 1e-7
    of the distance (pmsafe's light-time terms) and 0.1 mas in direction."""
    import astropy.units as u
    from astropy.coordinates import Distance, SkyCoord
    from astropy.time import Time

    for name in ("Sirius", "Polaris", "Rigil Kentaurus"):
        index = stars.find(name)
        coord = SkyCoord(ra=stars.ra_rad[index] * u.rad, dec=stars.dec_rad[index] * u.rad,
                         distance=Distance(parallax=stars.parallax_mas[index] * u.mas),
                         pm_ra_cosdec=stars.pm_ra_cosdec_mas_yr[index] * u.mas / u.yr,
                         pm_dec=stars.pm_dec_mas_yr[index] * u.mas / u.yr,
                         radial_velocity=0 * u.km / u.s, frame="icrs",
                         obstime=Time(HIPPARCOS_EPOCH_TDB, format="jd", scale="tdb"))
        moved = coord.apply_space_motion(new_obstime=Time(T_2030, format="jd", scale="tdb"))
        theirs = moved.cartesian.xyz.to_value(u.au)
        ours = stars.position_au(index, T_2030)
        assert np.linalg.norm(theirs - ours) < 1e-7 * np.linalg.norm(ours)
        assert angle_mas(theirs, ours) < 0.1


def test_whole_catalogue_and_magnitude_counts(stars):
    """Every star of hip2.dat (117,955); 41,442 have V <= 8 (Hp converted with B-V)."""
    assert len(stars) == 117_955
    assert np.all(np.diff(stars.hip) > 0)
    assert int(np.sum(stars.mag <= 8.0)) == 41_442
    vectors = stars.unit_vectors_icrf(T_2030)
    assert vectors.shape == (3, 117_955)
    assert np.allclose(np.linalg.norm(vectors, axis=0), 1.0, atol=1e-14)


# V magnitudes of the IAU Catalog of Star Names (WGSN, 2022-04-04), band V.
IAU_CSN_V = {"Vega": 0.03, "Arcturus": -0.05, "Capella": 0.08, "Rigel": 0.18, "Procyon": 0.40,
             "Achernar": 0.45, "Altair": 0.76, "Aldebaran": 0.87, "Spica": 0.98,
             "Deneb": 1.25, "Canopus": -0.62}


def test_v_from_hipparcos_hp_matches_published_v(stars):
    """Johnson V from Hp and B-V (Bessell 2000) within 0.05 mag of the IAU list's V; Hp
    itself is 0.1-0.16 mag off for red stars (Arcturus Hp 0.11, V -0.05)."""
    for name, v in IAU_CSN_V.items():
        assert stars.mag[stars.find(name)] == pytest.approx(v, abs=0.05), name


def test_names_file_has_the_iau_names(stars):
    with open(STARS_DIR / "names.csv", encoding="utf-8") as f:
        rows = {row["name"]: int(row["hip"]) for row in csv.DictReader(f)}
    assert len(rows) >= 400
    # IAU-CSN: Sirius HIP 32349, Betelgeuse 27989, Polaris 11767, Rigil Kentaurus 71683
    assert rows["Sirius"] == 32349 and rows["Betelgeuse"] == 27989
    assert rows["Polaris"] == 11767 and rows["Rigil Kentaurus"] == 71683
    assert rows["Toliman"] == 71681
    assert sum(1 for name in stars.names if name) == len(rows)


def test_find_by_name_or_hip_never_a_bare_number_or_prefix(stars):
    sirius = stars.find("Sirius")
    assert stars.find("  sIRIUS ") == sirius
    assert stars.find("HIP 32349") == sirius and stars.find("hip32349") == sirius
    assert stars.find("32349") is None and stars.find("Siri") is None
    assert stars.find("HIP 99999999") is None
    assert stars.label(stars.find("Tupa")) == "Tupã"  # accents ignored
    assert stars.label(stars.find("HIP 1")) == "HIP 1"
    with pytest.raises(UnknownNameError):
        stars.position_au("Vulcan", J2000)


def test_a_star_without_a_parallax_has_a_direction_but_no_position(stars):
    index = stars.find("HIP 13")
    assert stars.parallax_mas[index] <= 0
    assert np.linalg.norm(stars.unit_vectors_icrf(J2000, index)) == pytest.approx(1.0)
    with pytest.raises(UserError, match="distance is unknown"):
        stars.position_au(index, J2000)


def test_constellation_figures_join_catalogue_stars(stars):
    figures = json.loads((STARS_DIR / "constellations.json").read_text(encoding="utf-8"))
    assert len(figures) == 88
    assert figures["Ori"]["name"] == "Orion"
    hips = {hip for figure in figures.values() for pair in figure["lines"] for hip in pair}
    assert all(stars.find(f"HIP {hip}") is not None for hip in hips)
    orion = {hip for pair in figures["Ori"]["lines"] for hip in pair}
    assert {27989, 24436, 26311} <= orion  # Betelgeuse, Rigel, Alnilam
    assert all(figure["lines"] for figure in figures.values())


def test_colours_from_b_minus_v():
    """Ballesteros (2012): the Sun's B-V 0.65 gives 5780 K; the colours run from blue-white
    (B-V -0.3, ~16,600 K) through a faintly yellow white (the Sun) to orange-red (1.8)."""
    assert bv_to_temperature_k(0.65) == pytest.approx(5778, abs=20)
    blue, sun, red = bv_to_rgb([-0.3, 0.65, 1.8])
    assert blue[2] == pytest.approx(1.0) and blue[0] < blue[1] < 0.85
    assert sun[0] == pytest.approx(1.0) and sun[0] >= sun[1] >= sun[2] > 0.88
    assert red[0] == pytest.approx(1.0) and red[1] > red[2] and red[2] < 0.6
    assert bv_to_rgb(0.65).shape == (3,)
    assert np.all(np.isfinite(bv_to_rgb(np.array([-3.0, 9.0]))))


# --- stars in the World: the last resort of name resolution -----------------------------------

@pytest.fixture(scope="module")
def world():
    from spaceviz.core.astro.orbits import OrbitalElements
    from spaceviz.core.scenario.world import Asteroid, World

    w = World()
    for name, aliases in (("(4) Vesta", ("Vesta", "4")), ("Mira", ())):
        elements = OrbitalElements.from_degrees(2.36, 0.09, 7.1, 103.8, 151.2, 20.0, 2458600.5)
        w.add(Asteroid(name, aliases=aliases, elements=elements, ephemeris=w.ephemeris))
    return w


def test_world_finds_stars_after_every_other_kind(world, stars):
    from spaceviz.core.scenario.world import Star

    vega = world.resolve("Vega")
    assert isinstance(vega, Star) and vega.kind == "star" and vega.name == "Vega"
    assert world.resolve("HIP 91262") is vega
    assert "V 0.07" in vega.summary and "7.68 pc" in vega.summary
    assert world.resolve("Vesta").name == "(4) Vesta" and world.resolve("4").name == "(4) Vesta"
    assert world.resolve("Ves").name == "(4) Vesta"  # prefixes still reach scenario objects
    assert world.resolve("Mira").kind == "asteroid"  # the scenario's Mira, not the star
    assert world.resolve("Sun").kind == "body"  # the Sun stays a body
    assert "Vega" not in world.names()  # stars are looked up, not registered
    pos, vel = world.state("Sirius", T_2030)
    assert np.allclose(pos, stars.position_au("Sirius", T_2030))
    pos, vel = world.state("Sirius", np.array([J2000, T_2030]), origin="Earth")
    assert pos.shape == vel.shape == (3, 2)
    with pytest.raises(UnknownNameError):
        world.resolve("Siri")  # stars never match by prefix
    with pytest.raises(UserError, match="is a star"):
        world.place("Sirius")
