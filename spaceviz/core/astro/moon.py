"""The Moon's orientation, surface sites and sunlight.

Orientation follows the IAU/WGCCRE model (Archinal et al. 2011, "Report of the IAU Working
Group on Cartographic Coordinates and Rotational Elements: 2009", Table 2; unchanged in the
2015 report of 2018): the pole's right ascension and declination and the prime meridian
angle W in the ICRF, with the periodic terms in the arguments E1..E13. That model
approximates the mean Earth/polar axis (ME) frame in which selenographic latitude and
longitude are defined; it differs from the ME frame realised by the JPL ephemeris by up to
about 150 m on the surface (~0.005 deg), well inside an arcminute. The Moon's centre comes
from the DE421 ephemeris.

Conventions: times are TDB Julian dates (float64, scalar or (N,) array); positions are
barycentric ICRF in AU (shape (3,) for a scalar time, (3, N) for N times); latitudes and
longitudes are selenographic degrees, longitude positive east; elevations are degrees above
the local horizon of a sphere of radius `MOON_RADIUS_KM` (the normal is radial).
Sunlight ignores light time and aberration (< 30 arcseconds) and the terrain, except for an
optional horizon elevation per site.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from spaceviz.core.astro.ephemeris import Ephemeris, default_ephemeris
from spaceviz.core.astro.rotation import DAYS_PER_CENTURY, iau_rotation_to_icrf
from spaceviz.core.astro.time import J2000_TDB
from spaceviz.core.constants import AU_KM

MOON_RADIUS_KM = 1737.4
"""Mean radius of the Moon (km), IAU/WGCCRE."""
SUN_RADIUS_KM = 695_700.0
"""Nominal solar radius (km), IAU 2015 Resolution B3."""

# Arguments E1..E13 (degrees): constant and rate per day from J2000 TDB.
_E_DEG = np.array([
    [125.045, -0.0529921],
    [250.089, -0.1059842],
    [260.008, 13.0120009],
    [176.625, 13.3407154],
    [357.529, 0.9856003],
    [311.589, 26.4057084],
    [134.963, 13.0649930],
    [276.617, 0.3287146],
    [34.226, 1.7484877],
    [15.134, -0.1589763],
    [119.743, 0.0036096],
    [239.961, 0.1643573],
    [25.053, 12.9590088],
])
# Amplitudes (degrees) of sin(E1..E13) in alpha0, cos(E1..E13) in delta0, sin(E1..E13) in W.
_RA_SIN_DEG = np.array([-3.8787, -0.1204, 0.0700, -0.0172, 0.0, 0.0072, 0.0, 0.0, 0.0,
                        -0.0052, 0.0, 0.0, 0.0043])
_DEC_COS_DEG = np.array([1.5419, 0.0239, -0.0278, 0.0068, 0.0, -0.0029, 0.0009, 0.0, 0.0,
                         0.0008, 0.0, 0.0, -0.0009])
_W_SIN_DEG = np.array([3.5610, 0.1208, -0.0642, 0.0158, 0.0252, -0.0066, -0.0047, -0.0046,
                       0.0028, 0.0052, 0.0040, 0.0019, -0.0044])


def orientation_angles_deg(t_tdb: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """IAU pole right ascension, declination and prime meridian W (degrees, ICRF) at TDB times.

    W is not reduced to 0..360. Each result has the shape of `t_tdb`.
    """
    d = np.asarray(t_tdb, dtype=np.float64) - J2000_TDB
    T = d / DAYS_PER_CENTURY
    E = np.radians(_E_DEG[:, 0, None] + _E_DEG[:, 1, None] * d.reshape(1, -1))  # (13, N)
    sin_E = np.sin(E)
    ra = 269.9949 + 0.0031 * T + (_RA_SIN_DEG @ sin_E).reshape(d.shape)
    dec = 66.5392 + 0.0130 * T + (_DEC_COS_DEG @ np.cos(E)).reshape(d.shape)
    w = 38.3213 + (13.17635815 - 1.4e-12 * d) * d + (_W_SIN_DEG @ sin_E).reshape(d.shape)
    return ra, dec, w


def rotation_to_icrf(t_tdb: ArrayLike) -> np.ndarray:
    """Rotation matrix from the Moon's body-fixed (ME) frame to ICRF axes at TDB time(s).

    `v_icrf = M @ v_body`; shape (3, 3) for a scalar time, (3, 3, N) for N times.
    M = Rz(alpha0 + 90 deg) Rx(90 deg - delta0) Rz(W) (rotation.iau_rotation_to_icrf).
    """
    return iau_rotation_to_icrf(*orientation_angles_deg(t_tdb))


def surface_vector_km(lat_deg: float, lon_deg: float, elevation_m: float = 0.0) -> np.ndarray:
    """Body-fixed (ME) vector (km, shape (3,)) of a point on a sphere of radius MOON_RADIUS_KM."""
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    r_km = MOON_RADIUS_KM + elevation_m / 1000.0
    return r_km * np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


def _apply(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """matrix (3,3[,N]) times vector (3,) or (3[,N]) -> (3[,N])."""
    if matrix.ndim == 2:
        return matrix @ vector
    if vector.ndim == 1:
        return np.einsum("ijn,j->in", matrix, vector)
    return np.einsum("ijn,jn->in", matrix, vector)


def _apply_transpose(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """matrix.T (ICRF -> body) times vector (3[,N]) -> (3[,N])."""
    if matrix.ndim == 2:
        return matrix.T @ vector
    return np.einsum("jin,jn->in", matrix, vector)


def site_state(lat_deg: float, lon_deg: float, elevation_m: float, t_tdb: ArrayLike,
               ephemeris: Ephemeris | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Barycentric ICRF position (AU) and velocity (AU/day) of a lunar surface site.

    The rotational velocity (~4.6 m/s at the equator) comes from a central difference of the
    orientation over +-1 minute (relative error < 1e-6).
    """
    eph = ephemeris or default_ephemeris()
    t = np.asarray(t_tdb, dtype=np.float64)
    body_km = surface_vector_km(lat_deg, lon_deg, elevation_m)
    moon_pos_au, moon_vel_au_per_day = eph.state("Moon", t)
    step = 1.0 / 1440.0
    t_plus, t_minus = t + step, t - step
    rate = (rotation_to_icrf(t_plus) - rotation_to_icrf(t_minus)) / (t_plus - t_minus)
    pos = moon_pos_au + _apply(rotation_to_icrf(t), body_km) / AU_KM
    vel = moon_vel_au_per_day + _apply(rate, body_km) / AU_KM
    return pos, vel


def selenographic_latlon(direction_icrf: ArrayLike, t_tdb: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Selenographic latitude and east longitude (degrees, -180..180) of ICRF direction(s)."""
    body = _apply_transpose(rotation_to_icrf(t_tdb), np.asarray(direction_icrf, dtype=np.float64))
    lat = np.degrees(np.arctan2(body[2], np.hypot(body[0], body[1])))
    lon = np.degrees(np.arctan2(body[1], body[0]))
    return lat, lon


def sub_earth_point(t_tdb: ArrayLike, ephemeris: Ephemeris | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Selenographic latitude and longitude (degrees) of the geocentre seen from the Moon's centre.

    These are the geometric librations in latitude and longitude (optical plus physical).
    """
    eph = ephemeris or default_ephemeris()
    direction = eph.position("Earth", t_tdb) - eph.position("Moon", t_tdb)
    return selenographic_latlon(direction, t_tdb)


def sub_solar_point(t_tdb: ArrayLike, ephemeris: Ephemeris | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Selenographic latitude and longitude (degrees) of the Sun seen from the Moon's centre."""
    eph = ephemeris or default_ephemeris()
    direction = eph.position("Sun", t_tdb) - eph.position("Moon", t_tdb)
    return selenographic_latlon(direction, t_tdb)


def _local_axes(lat_deg: float, lon_deg: float) -> np.ndarray:
    """Body-fixed unit vectors east, north, up (rows) at a site; defined at the poles via lon."""
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    east = [-np.sin(lon), np.cos(lon), 0.0]
    north = [-np.sin(lat) * np.cos(lon), -np.sin(lat) * np.sin(lon), np.cos(lat)]
    up = [np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)]
    return np.array([east, north, up])


def sun_horizontal(lat_deg: float, lon_deg: float, t_tdb: ArrayLike, elevation_m: float = 0.0,
                   ephemeris: Ephemeris | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The Sun's elevation, azimuth and angular radius (degrees) seen from a lunar site.

    Elevation is above the local horizontal plane of the sphere; azimuth is from north
    through east (0..360). Each result has the shape of `t_tdb`.
    """
    eph = ephemeris or default_ephemeris()
    t = np.asarray(t_tdb, dtype=np.float64)
    body_km = surface_vector_km(lat_deg, lon_deg, elevation_m)
    to_sun_km = (eph.position("Sun", t) - eph.position("Moon", t)) * AU_KM
    to_sun_body_km = _apply_transpose(rotation_to_icrf(t), to_sun_km)
    if to_sun_body_km.ndim == 2:
        to_sun_body_km = to_sun_body_km - body_km[:, None]
    else:
        to_sun_body_km = to_sun_body_km - body_km
    distance_km = np.linalg.norm(to_sun_body_km, axis=0)
    east, north, up = _local_axes(lat_deg, lon_deg) @ to_sun_body_km
    elevation = np.degrees(np.arcsin(np.clip(up / distance_km, -1.0, 1.0)))
    azimuth = np.degrees(np.arctan2(east, north)) % 360.0
    radius = np.degrees(np.arcsin(SUN_RADIUS_KM / distance_km))
    return elevation, azimuth, radius


def sun_elevation_deg(lat_deg: float, lon_deg: float, t_tdb: ArrayLike, elevation_m: float = 0.0,
                      ephemeris: Ephemeris | None = None) -> np.ndarray:
    """Elevation (degrees) of the Sun's centre above a lunar site's horizontal plane."""
    return sun_horizontal(lat_deg, lon_deg, t_tdb, elevation_m, ephemeris)[0]


def horizon_at(azimuth_deg: ArrayLike, horizon_deg: float | ArrayLike) -> np.ndarray:
    """Local horizon elevation (degrees) at azimuth(s).

    `horizon_deg` is one elevation for all azimuths, or a profile of K elevations at azimuths
    360*k/K degrees (from north through east), interpolated linearly and periodically.
    """
    profile = np.asarray(horizon_deg, dtype=np.float64)
    azimuth = np.asarray(azimuth_deg, dtype=np.float64)
    if profile.ndim == 0:
        return np.broadcast_to(profile, azimuth.shape).copy()
    k = profile.size
    grid = np.arange(k + 1) * (360.0 / k)
    return np.interp(azimuth % 360.0, grid, np.append(profile, profile[0]))


def solar_disk_fraction(elevation_deg: ArrayLike, radius_deg: ArrayLike,
                        horizon_deg: ArrayLike = 0.0) -> np.ndarray:
    """Fraction (0..1) of the solar disk's area above a horizon line (flat-horizon geometry)."""
    h = np.clip((np.asarray(elevation_deg) - np.asarray(horizon_deg)) / np.asarray(radius_deg),
                -1.0, 1.0)
    hidden = np.arccos(h) - h * np.sqrt(1.0 - h * h)
    return 1.0 - hidden / np.pi


def sun_disk_visible(lat_deg: float, lon_deg: float, t_tdb: ArrayLike,
                     horizon_deg: float | ArrayLike = 0.0, elevation_m: float = 0.0,
                     ephemeris: Ephemeris | None = None) -> np.ndarray:
    """Fraction (0..1) of the solar disk visible from a lunar site above its local horizon."""
    elevation, azimuth, radius = sun_horizontal(lat_deg, lon_deg, t_tdb, elevation_m, ephemeris)
    return solar_disk_fraction(elevation, radius, horizon_at(azimuth, horizon_deg))


def is_lit(lat_deg: float, lon_deg: float, t_tdb: ArrayLike, horizon_deg: float | ArrayLike = 0.0,
           elevation_m: float = 0.0, ephemeris: Ephemeris | None = None) -> np.ndarray:
    """True where any part of the Sun's disk is above the site's local horizon.

    A site inside a permanently shadowed crater (a horizon higher than the Sun ever climbs,
    e.g. `horizon_deg=5` near a pole) is never lit.
    """
    return sun_disk_visible(lat_deg, lon_deg, t_tdb, horizon_deg, elevation_m, ephemeris) > 0.0


@dataclass(frozen=True)
class SunlightSeries:
    """Sunlight at a lunar site sampled over a span (for a month chart).

    t_tdb: sample times (TDB JD); elevation_deg, azimuth_deg: the Sun's centre;
    lit: any of the disk above the local horizon.
    """

    t_tdb: np.ndarray
    elevation_deg: np.ndarray
    azimuth_deg: np.ndarray
    lit: np.ndarray

    @property
    def lit_fraction(self) -> float:
        """Fraction of the samples in sunlight (0..1)."""
        return float(np.mean(self.lit)) if self.lit.size else 0.0

    def longest_darkness_days(self) -> float:
        """Length (days) of the longest run of unlit samples (clipped to the span)."""
        return _longest_run_days(self.t_tdb, ~self.lit)

    def longest_daylight_days(self) -> float:
        """Length (days) of the longest run of lit samples (clipped to the span)."""
        return _longest_run_days(self.t_tdb, self.lit)


def _longest_run_days(t_tdb: np.ndarray, mask: np.ndarray) -> float:
    if not np.any(mask):
        return 0.0
    step = float(t_tdb[1] - t_tdb[0]) if t_tdb.size > 1 else 0.0
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return float(np.max(ends - starts)) * step


def sunlight_series(lat_deg: float, lon_deg: float, t0_tdb: float, t1_tdb: float,
                    step_days: float = 1.0 / 24.0, horizon_deg: float | ArrayLike = 0.0,
                    elevation_m: float = 0.0, ephemeris: Ephemeris | None = None) -> SunlightSeries:
    """Sun elevation and lighting at a lunar site from t0 to t1 (TDB JD) every `step_days`."""
    if not t1_tdb > t0_tdb or not step_days > 0:
        raise ValueError("sunlight_series needs t1 > t0 and step_days > 0")
    count = int(np.floor((t1_tdb - t0_tdb) / step_days + 1e-9)) + 1
    t = t0_tdb + step_days * np.arange(count)
    elevation, azimuth, radius = sun_horizontal(lat_deg, lon_deg, t, elevation_m, ephemeris)
    fraction = solar_disk_fraction(elevation, radius, horizon_at(azimuth, horizon_deg))
    return SunlightSeries(t, elevation, azimuth, fraction > 0.0)
