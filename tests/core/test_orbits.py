"""Two-body propagation against skyfield's KeplerOrbit, JPL Horizons and round trips."""

from __future__ import annotations

import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spaceviz.core.astro.orbits import (
    NotEllipticError,
    OrbitalElements,
    barycentric_states,
    ecliptic_to_icrf,
    elements_from_state,
    icrf_to_ecliptic,
    mean_motion_rad_per_day,
    orbit_polyline,
    propagate,
    propagate_positions,
    solve_kepler,
)
from spaceviz.core.constants import GM_SUN_AU3_PER_DAY2, OBLIQUITY_J2000_ARCSEC
from spaceviz.core.errors import UserError

AU_M = 149_597_870_700.0
SAMPLE_ROWS = (
    # Verbatim MPCORB rows (MPC orbits of 2010 and 2026): Ceres, Vesta, Psyche, Eros, Apophis,
    # and the very eccentric Hidalgo.
    b"00001    3.34  0.12 K107N 113.41048   72.58976   80.39321   10.58682  0.0791382  0.21432817"
    b"   2.7653485  0 MPO110568  6063  94 1802-2006 0.61 M-v 30h MPCW       0000      (1) Ceres"
    b"              20061025\n"
    b"00004    3.20  0.32 K107N 307.80111  149.83731  103.90970    7.13407  0.0886225  0.27152411"
    b"   2.3619124  0 MPO135420  6449  82 1827-2007 0.60 M-v 18h MPCW       0000      (4) Vesta"
    b"              20070808\n"
    b"00016    5.90  0.20 K118R  98.10135  226.95821  150.29920    3.09929  0.1374216  0.19745426"
    b"   2.9207320  0 MPC 35055  1831  96 1852-1998 0.53 M-v 38h Goffin     0000     (16) Psyche"
    b"             19980614\n"
    b"00433   10.39  0.15 K2669  62.51145  178.91814  304.26797   10.82855  0.2228780  0.55970463"
    b"   1.4582437  0 E2026-R13 18046  59 1893-2026 0.61 M-v 3Ek MPCORBFIT  1804    (433) Eros"
    b"               20260902\n"
    b"99942   19.2   0.15 K107N 202.49545  126.41859  204.43202    3.33173  0.1911104  1.11267324"
    b"   0.9223398  1 MPO164109  1397   2 2004-2008 0.40 M-v 3Eh MPCAPO     C802  (99942) Apophis"
    b"            20080109\n"
    b"00944   10.55  0.15 K2669 199.68322   56.62737   21.33337   42.52433  0.6620703  0.07188129"
    b"   5.7287361  0 MPO964281  1959  31 1920-2024 0.68 M-v 3Ek MPCLINUX   0000    (944) Hidalgo"
    b"            20240512\n"
)


def _skyfield_orbits():
    """skyfield KeplerOrbits built the way skyfield builds MPC orbits, with our GM."""
    from skyfield.data.mpc import load_mpcorb_dataframe, mpcorb_orbit
    from skyfield.keplerlib import _CONVERT_GM

    from spaceviz.core.astro.time import timescale

    ts = timescale()
    frame = load_mpcorb_dataframe(io.BytesIO(SAMPLE_ROWS))
    gm_km3_s2 = GM_SUN_AU3_PER_DAY2 / _CONVERT_GM
    return ts, frame, [mpcorb_orbit(row, ts, gm_km3_s2) for _, row in frame.iterrows()]


def _our_elements(frame) -> OrbitalElements:
    from spaceviz.core.astro.catalogs.codec import decode_packed_epochs

    epoch, ok = decode_packed_epochs(frame.epoch_packed.to_numpy().astype("S5"))
    assert ok.all()
    return OrbitalElements.from_degrees(
        frame.semimajor_axis_au.to_numpy(), frame.eccentricity.to_numpy(),
        frame.inclination_degrees.to_numpy(),
        frame.longitude_of_ascending_node_degrees.to_numpy(),
        frame.argument_of_perihelion_degrees.to_numpy(), frame.mean_anomaly_degrees.to_numpy(),
        epoch, names=frame.designation.to_numpy())


@pytest.fixture(scope="module")
def skyfield_sample():
    ts, frame, orbits = _skyfield_orbits()
    return ts, _our_elements(frame), orbits


# --- Kepler's equation ------------------------------------------------------------------------


def test_kepler_residual_on_a_dense_grid():
    e = np.array([0.0, 1e-9, 0.05, 0.3, 0.7, 0.9, 0.99, 0.999, 0.999999])[:, None]
    M = np.concatenate([np.linspace(-25.0, 25.0, 4001), [1e-12, -1e-9, 1e-6, np.pi, -np.pi]])
    E = solve_kepler(M[None, :], e)
    assert E.dtype == np.float64
    assert np.abs(E - e * np.sin(E) - M).max() < 1e-12
    # E is continuous in M and in the same revolution
    assert np.all(np.abs(E - M) <= e + 1e-12)


@settings(max_examples=300, deadline=None)
@given(st.floats(-1000.0, 1000.0), st.floats(0.0, 0.9999999))
def test_kepler_residual_random(M, e):
    E = solve_kepler(M, e)
    assert abs(E - e * np.sin(E) - M) < 1e-12


def test_kepler_known_value():
    # Meeus, Astronomical Algorithms, example 30.a: e = 0.100, M = 5 deg -> E = 5.554589 deg
    assert np.degrees(solve_kepler(np.radians(5.0), 0.1)) == pytest.approx(5.554589, abs=1e-6)


def test_kepler_rejects_non_elliptic():
    with pytest.raises(NotEllipticError):
        solve_kepler(1.0, 1.0)


# --- propagation against skyfield ---------------------------------------------------------


def test_matches_skyfield_kepler_orbit_for_real_asteroids(skyfield_sample):
    ts, elements, orbits = skyfield_sample
    times = np.linspace(2451545.0, 2469807.5, 41)  # 2000 to 2050, both sides of every epoch
    for k, orbit in enumerate(orbits):
        pos, vel = propagate(elements[k], times)
        sky_pos, sky_vel, _, _ = orbit._at(ts.tt_jd(times))
        assert pos.shape == (3, len(times))
        assert np.abs(pos - sky_pos).max() < 1e-9, elements.names[k]
        assert np.abs(vel - sky_vel).max() < 1e-11, elements.names[k]


def test_many_objects_at_one_time_match_skyfield(skyfield_sample):
    ts, elements, orbits = skyfield_sample
    t = 2461000.25
    pos, vel = propagate(elements, t)
    assert pos.shape == vel.shape == (3, len(orbits))
    expected = np.stack([o._at(ts.tt_jd(t))[0] for o in orbits], axis=1)
    assert np.abs(pos - expected).max() < 1e-9
    assert np.allclose(propagate_positions(elements, t), pos, rtol=0, atol=1e-15)


def test_ceres_against_jpl_horizons():
    # Horizons osculating elements of Ceres (ICRF equator) and its barycentric position at
    # 2458886.5 TDB with the Sun's, as used in skyfield's test_keplerlib (1 mm agreement there).
    t = 2458886.5
    ceres = OrbitalElements.from_degrees(
        2.768873850275102, 7.705857791518426e-02, 2.718528770987308e01, 2.336112629072238e01,
        1.328964361683606e02, 1.382501360489816e02, t, plane="equator", names=["Ceres"])
    sun_au = np.array([-0.004105894975783999, 0.006739680703224941, 0.002956344702049446])
    horizons_au = np.array([1.334875927366032, -2.239607658161781, -1.328895183461897])
    pos, _ = propagate(ceres, t)
    assert np.abs(pos[:, 0] + sun_au - horizons_au).max() * AU_M < 0.001
    # With the Sun from DE421 instead of Horizons' DE44x: a few hundred metres
    bary, _ = barycentric_states(ceres, t)
    assert np.abs(bary[:, 0] - horizons_au).max() * AU_M < 2_000.0


def test_ceres_published_ecliptic_elements_match_skyfield_mpcorb_orbit():
    # skyfield's own MPC example row for Ceres (epoch K205V = 2020-05-31)
    from skyfield.data.mpc import load_mpcorb_dataframe, mpcorb_orbit
    from skyfield.keplerlib import _CONVERT_GM

    from spaceviz.core.astro.time import timescale

    row = (b"00001    3.4   0.15 K205V 162.68631   73.73161   80.28698   10.58862  0.0775571"
           b"  0.21406009   2.7676569  0 MPO492748  6751 115 1801-2019 0.60 M-v 30h Williams"
           b"   0000      (1) Ceres              20190915\n")
    ts = timescale()
    frame = load_mpcorb_dataframe(io.BytesIO(row))
    orbit = mpcorb_orbit(frame.iloc[0], ts, GM_SUN_AU3_PER_DAY2 / _CONVERT_GM)
    ours = OrbitalElements.from_degrees(2.7676569, 0.0775571, 10.58862, 80.28698, 73.73161,
                                        162.68631, 2459000.5)
    t = ts.utc(2020, 6, 17).tt
    assert np.abs(propagate(ours, t)[0][:, 0] - orbit._at(ts.tt_jd(t))[0]).max() < 1e-12
    # and heliocentric distance between perihelion and aphelion
    r = np.linalg.norm(propagate(ours, t)[0])
    assert 2.7676569 * (1 - 0.0775571) < r < 2.7676569 * (1 + 0.0775571)


# --- shapes, frames, helpers -----------------------------------------------------------------


def test_broadcast_shapes(skyfield_sample):
    _, elements, _ = skyfield_sample
    n = len(elements)
    assert propagate(elements, 2460000.5)[0].shape == (3, n)
    assert propagate(elements[0], np.arange(7.0) + 2460000.5)[0].shape == (3, 7)
    times = (np.arange(5.0) + 2460000.5)[:, None]
    grid, _ = propagate(elements, times)
    assert grid.shape == (3, 5, n)
    single, _ = propagate(elements[2], times[3, 0])
    assert np.allclose(grid[:, 3, 2], single[:, 0], rtol=0, atol=1e-15)
    bary, _ = barycentric_states(elements, times)
    assert bary.shape == (3, 5, n)
    bary_one, _ = barycentric_states(elements, 2460000.5)
    assert np.allclose(bary[:, 0, :], bary_one, rtol=0, atol=1e-15)


def test_barycentric_adds_the_sun_state():
    from spaceviz.core.astro.ephemeris import default_ephemeris

    el = OrbitalElements.from_degrees(2.5, 0.1, 5.0, 10.0, 20.0, 30.0, 2460000.5)
    times = np.array([2455000.5, 2460000.5, 2465000.5])
    pos, vel = barycentric_states(el, times)
    helio_pos, helio_vel = propagate(el, times)
    sun_pos, sun_vel = default_ephemeris().state("Sun", times)
    assert np.allclose(pos - helio_pos, sun_pos, rtol=0, atol=1e-15)
    assert np.allclose(vel - helio_vel, sun_vel, rtol=0, atol=1e-17)


def test_obliquity_rotation():
    eps = np.radians(OBLIQUITY_J2000_ARCSEC / 3600.0)
    pole = ecliptic_to_icrf(np.array([0.0, 0.0, 1.0]))
    assert np.allclose(pole, [0.0, -np.sin(eps), np.cos(eps)], rtol=0, atol=1e-16)
    v = np.random.default_rng(1).normal(size=(3, 10))
    assert np.allclose(icrf_to_ecliptic(ecliptic_to_icrf(v)), v, rtol=0, atol=1e-15)


def test_equatorial_elements_stay_in_the_icrf_plane():
    el = OrbitalElements.from_degrees(1.5, 0.2, 0.0, 0.0, 0.0, np.arange(0, 360, 30), 2460000.5,
                                      plane="equator")
    pos, _ = propagate(el, 2460100.5)
    assert np.abs(pos[2]).max() < 1e-15
    ecl = OrbitalElements.from_degrees(1.5, 0.2, 0.0, 0.0, 0.0, np.arange(0, 360, 30), 2460000.5)
    pos, _ = propagate(ecl, 2460100.5)
    assert np.abs(icrf_to_ecliptic(pos)[2]).max() < 1e-15
    assert np.abs(pos[2]).max() > 0.1


def test_mean_motion_is_gauss_constant_at_one_au():
    assert mean_motion_rad_per_day(1.0) == pytest.approx(0.01720209895, rel=1e-12)
    el = OrbitalElements.from_degrees(1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2451545.0)
    assert el.period_days[0] == pytest.approx(365.2568983, abs=1e-6)


def test_orbit_polyline_traces_the_ellipse():
    el = OrbitalElements.from_degrees([2.7655526, 1.4582437], [0.0796923, 0.2228780],
                                      [10.58803, 10.82855], [80.24863, 304.26797],
                                      [73.29420, 178.91814], [274.41935, 62.51145], 2461200.5)
    line = orbit_polyline(el, n=720, index=1)
    assert line.shape == (3, 720)
    r = np.linalg.norm(line, axis=0)
    a, e = 1.4582437, 0.2228780
    assert r[0] == pytest.approx(a * (1 - e), rel=1e-12)  # starts at perihelion
    assert r.max() == pytest.approx(a * (1 + e), rel=1e-5)
    assert np.allclose(line[:, 0], line[:, -1], rtol=0, atol=1e-15)  # closed
    # every point is a position the object actually reaches
    pos_t, _ = propagate(el[1], np.linspace(2461200.5, 2461200.5 + 700, 50))
    normal = np.cross(line[:, 0], line[:, 180])
    assert np.abs(normal @ pos_t).max() < 1e-12


# --- inverse and round trips ------------------------------------------------------------------

angles = st.floats(0.0, 359.999)


@settings(max_examples=200, deadline=None)
@given(a=st.floats(0.3, 60.0), e=st.floats(0.0, 0.97), i=st.floats(0.0, 180.0), node=angles,
       peri=angles, M=angles, plane=st.sampled_from(["ecliptic", "equator"]))
def test_state_round_trip(a, e, i, node, peri, M, plane):
    el = OrbitalElements.from_degrees(a, e, i, node, peri, M, 2460000.5, plane=plane)
    pos, vel = propagate(el, 2460123.25)
    back = elements_from_state(pos, vel, 2460123.25, plane=plane)
    pos2, vel2 = propagate(back, 2460123.25 + 321.0)
    pos1, vel1 = propagate(el, 2460123.25 + 321.0)
    assert np.abs(pos2 - pos1).max() < 1e-11 * a
    assert np.abs(vel2 - vel1).max() < 1e-11 * np.sqrt(GM_SUN_AU3_PER_DAY2 / a) / (1 - e)


@settings(max_examples=200, deadline=None)
@given(a=st.floats(0.3, 60.0), e=st.floats(1e-3, 0.95), i=st.floats(0.1, 179.9), node=angles,
       peri=angles, M=angles)
def test_elements_round_trip(a, e, i, node, peri, M):
    el = OrbitalElements.from_degrees(a, e, i, node, peri, M, 2460000.5)
    pos, vel = propagate(el, 2460000.5)
    back = elements_from_state(pos, vel, 2460000.5).to_degrees()
    assert back["a_au"][0] == pytest.approx(a, rel=1e-11)
    assert back["e"][0] == pytest.approx(e, abs=1e-11)
    assert back["i_deg"][0] == pytest.approx(i, abs=1e-8)
    for key, value in (("node_deg", node), ("peri_deg", peri), ("M_deg", M)):
        diff = (back[key][0] - value + 180.0) % 360.0 - 180.0
        assert abs(diff) < 1e-6, key


def test_circular_equatorial_state_has_conventional_angles():
    v_circ = np.sqrt(GM_SUN_AU3_PER_DAY2)
    back = elements_from_state([0.0, 1.0, 0.0], [-v_circ, 0.0, 0.0], 2460000.5, plane="equator")
    assert back.a_au[0] == pytest.approx(1.0, rel=1e-12)
    assert back.e[0] < 1e-12
    assert back.node_rad[0] == 0.0 and back.peri_rad[0] == 0.0
    assert np.degrees(back.M_rad[0]) == pytest.approx(90.0, abs=1e-9)


# --- rejection of what we cannot propagate ---------------------------------------------------


def test_hyperbolic_elements_are_rejected_with_the_name():
    with pytest.raises(NotEllipticError) as info:
        OrbitalElements.from_degrees([2.7, -1.27], [0.08, 1.2], [10, 122.7], [80, 24.6],
                                     [73, 241.8], [0, 36.4], 2458080.5,
                                     names=["Ceres", "'Oumuamua"])
    assert isinstance(info.value, UserError)
    message = str(info.value)
    assert "'Oumuamua" in message
    assert "e = 1.2 is not an elliptic orbit; spaceviz propagates only e < 1" in message


def test_parabolic_and_unbound_states_are_rejected():
    with pytest.raises(NotEllipticError, match="e = 1 "):
        OrbitalElements.from_degrees(1.0, 1.0, 0, 0, 0, 0, 2460000.5)
    v_escape = np.sqrt(2 * GM_SUN_AU3_PER_DAY2)
    with pytest.raises(NotEllipticError, match="unbound"):
        elements_from_state([1.0, 0.0, 0.0], [0.0, 1.01 * v_escape, 0.0], 2460000.5)


def test_other_bad_elements_are_user_errors():
    with pytest.raises(UserError, match="must be positive"):
        OrbitalElements.from_degrees(-2.0, 0.1, 0, 0, 0, 0, 2460000.5, names=["bad"])
    with pytest.raises(UserError, match="finite"):
        OrbitalElements.from_degrees(2.0, 0.1, np.nan, 0, 0, 0, 2460000.5)
    with pytest.raises(UserError, match="plane"):
        OrbitalElements.from_degrees(2.0, 0.1, 0, 0, 0, 0, 2460000.5, plane="galactic")
