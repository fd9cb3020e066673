"""Body-fixed frames of the Sun, planets and Moon: where each body's prime meridian and pole point.

A body-fixed frame has +z along the body's north pole, +x through the prime meridian on the
equator and +y at 90 deg east longitude, so planetocentric east longitude is atan2(y, x) and
latitude asin(z); the texture maps in resources/textures use the same longitudes
(spaceviz.core.astro.textures).

- Sun and planets but the Earth: the IAU/WGCCRE rotation elements of Archinal et al. (2018),
  "Report of the IAU Working Group on Cartographic Coordinates and Rotational Elements: 2015",
  Celest. Mech. Dyn. Astr. 130:22, Table 1, with its periodic terms (Mercury's libration,
  Mars, Jupiter's pole, Neptune's precession), as NAIF's pck00011.tpc holds them. The north
  pole's right ascension alpha0 and declination delta0 (ICRF) and the prime meridian angle W
  (measured along the equator from the node of the equator on the ICRF equator) give
  M = Rz(alpha0 + 90 deg) Rx(90 deg - delta0) Rz(W). Venus and Uranus rotate backwards (W
  decreases); their "north" is the IAU's, on the north side of the invariable plane. The
  giant planets' W is System III (their magnetic field's rotation): cloud features drift in it.
- Earth: the International Terrestrial Reference System (x through Greenwich) through
  skyfield's `itrs` frame (IAU 2006/2000A precession-nutation, Earth rotation angle from UT1
  with skyfield's built-in Delta T; polar motion, < 0.5 arcsec, is left out).
- Moon: the mean Earth/polar axis model of spaceviz.core.astro.moon, unchanged.

Conventions: times are TDB Julian dates (float64, scalar or (N,) array). Matrices rotate
body-fixed vectors into ICRF axes, `v_icrf = M @ v_body`: shape (3, 3) for a scalar time and
(3, 3, N) for N times, as moon.rotation_to_icrf.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from spaceviz.core.astro.time import J2000_TDB
from spaceviz.core.errors import UnknownNameError

DAYS_PER_CENTURY = 36525.0


@dataclass(frozen=True)
class IauRotation:
    """IAU rotation elements of one body (degrees; T in Julian centuries, d in days of TDB
    from J2000). alpha0 = ra[0] + ra[1] T + sum ra_sin_k sin(theta_k), delta0 = dec[0] +
    dec[1] T + sum dec_cos_k cos(theta_k), W = w[0] + w[1] d + sum w_sin_k sin(theta_k), with
    theta_k = angles[k][0] + angles[k][1] T."""

    ra: tuple[float, float]
    dec: tuple[float, float]
    w: tuple[float, float]
    angles: tuple[tuple[float, float], ...] = ()
    ra_sin: tuple[float, ...] = ()
    dec_cos: tuple[float, ...] = ()
    w_sin: tuple[float, ...] = ()

    def angles_deg(self, t_tdb: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """alpha0, delta0 and W (degrees; W not reduced to 0..360), each shaped as `t_tdb`."""
        d = np.asarray(t_tdb, dtype=np.float64) - J2000_TDB
        T = d / DAYS_PER_CENTURY
        ra = self.ra[0] + self.ra[1] * T
        dec = self.dec[0] + self.dec[1] * T
        w = self.w[0] + self.w[1] * d
        if self.angles:
            table = np.array(self.angles)
            theta = np.radians(table[:, 0, None] + table[:, 1, None] * T.reshape(1, -1))  # (K, N)
            sin_theta = np.sin(theta)
            ra = ra + (np.array(self.ra_sin) @ sin_theta).reshape(d.shape)
            dec = dec + (np.array(self.dec_cos) @ np.cos(theta)).reshape(d.shape)
            w = w + (np.array(self.w_sin) @ sin_theta).reshape(d.shape)
        return ra, dec, w


def _per_century(rate_per_day: float) -> float:
    return rate_per_day * DAYS_PER_CENTURY


# Mercury's five libration arguments M1..M5 are given per day in the report.
_MERCURY_ANGLES = tuple((a, _per_century(b)) for a, b in (
    (174.7910857, 4.092335), (349.5821714, 8.184670), (164.3732571, 12.277005),
    (339.1643429, 16.369340), (153.9554286, 20.461675)))
# Mars: five arguments for alpha0, five for delta0, six for W (deg, deg per century).
_MARS_RA_ANGLES = ((198.991226, 19139.4819985), (226.292679, 38280.8511281),
                   (249.663391, 57420.7251593), (266.183510, 76560.6367950),
                   (79.398797, 0.5042615))
_MARS_DEC_ANGLES = ((122.433576, 19139.9407476), (43.058401, 38280.8753272),
                    (57.663379, 57420.7517205), (79.476401, 76560.6495004),
                    (166.325722, 0.5042615))
_MARS_W_ANGLES = ((129.071773, 19140.0328244), (36.352167, 38281.0473591),
                  (56.668646, 57420.9295360), (67.364003, 76560.2552215),
                  (104.792680, 95700.4387578), (95.391654, 0.5042615))
_MARS_RA_SIN = (0.000068, 0.000238, 0.000052, 0.000009, 0.419057)
_MARS_DEC_COS = (0.000051, 0.000141, 0.000031, 0.000005, 1.591274)
_MARS_W_SIN = (0.000145, 0.000157, 0.000040, 0.000001, 0.000001, 0.584542)

IAU_ROTATION: dict[str, IauRotation] = {
    "Sun": IauRotation(ra=(286.13, 0.0), dec=(63.87, 0.0), w=(84.176, 14.1844000)),
    "Mercury": IauRotation(
        ra=(281.0103, -0.0328), dec=(61.4155, -0.0049), w=(329.5988, 6.1385108),
        angles=_MERCURY_ANGLES, ra_sin=(0.0,) * 5, dec_cos=(0.0,) * 5,
        w_sin=(0.01067257, -0.00112309, -0.00011040, -0.00002539, -0.00000571)),
    "Venus": IauRotation(ra=(272.76, 0.0), dec=(67.16, 0.0), w=(160.20, -1.4813688)),
    "Mars": IauRotation(
        ra=(317.269202, -0.10927547), dec=(54.432516, -0.05827105),
        w=(176.049863, 350.891982443297),
        angles=_MARS_RA_ANGLES + _MARS_DEC_ANGLES + _MARS_W_ANGLES,
        ra_sin=_MARS_RA_SIN + (0.0,) * 11,
        dec_cos=(0.0,) * 5 + _MARS_DEC_COS + (0.0,) * 6,
        w_sin=(0.0,) * 10 + _MARS_W_SIN),
    "Jupiter": IauRotation(
        ra=(268.056595, -0.006499), dec=(64.495303, 0.002413), w=(284.95, 870.5360000),
        angles=((99.360714, 4850.4046), (175.895369, 1191.9605), (300.323162, 262.5475),
                (114.012305, 6070.2476), (49.511251, 64.3000)),
        ra_sin=(0.000117, 0.000938, 0.001432, 0.000030, 0.002150),
        dec_cos=(0.000050, 0.000404, 0.000617, -0.000013, 0.000926),
        w_sin=(0.0,) * 5),
    "Saturn": IauRotation(ra=(40.589, -0.036), dec=(83.537, -0.004), w=(38.90, 810.7939024)),
    "Uranus": IauRotation(ra=(257.311, 0.0), dec=(-15.175, 0.0), w=(203.81, -501.1600928)),
    "Neptune": IauRotation(
        ra=(299.36, 0.0), dec=(43.46, 0.0), w=(249.978, 541.1397757),
        angles=((357.85, 52.316),), ra_sin=(0.70,), dec_cos=(-0.51,), w_sin=(-0.48,)),
}
"""The IAU 2015 rotation elements (Archinal et al. 2018, Table 1) per body name."""

ORIENTED_BODIES: tuple[str, ...] = ("Sun", "Mercury", "Venus", "Earth", "Moon", "Mars", "Jupiter",
                                    "Saturn", "Uranus", "Neptune")
"""Every body with a body-fixed frame here."""


def iau_rotation_to_icrf(ra_deg: ArrayLike, dec_deg: ArrayLike, w_deg: ArrayLike) -> np.ndarray:
    """Body-fixed -> ICRF rotation from a pole (alpha0, delta0) and prime meridian W (degrees).

    M = Rz(alpha0 + 90 deg) Rx(90 deg - delta0) Rz(W); shape (3, 3) for scalar angles, (3, 3, N)
    for (N,) arrays.
    """
    a = np.radians(ra_deg) + np.pi / 2
    b = np.pi / 2 - np.radians(dec_deg)
    w = np.radians(w_deg)
    ca, sa, cb, sb, cw, sw = np.cos(a), np.sin(a), np.cos(b), np.sin(b), np.cos(w), np.sin(w)
    return np.array([
        [ca * cw - sa * cb * sw, -ca * sw - sa * cb * cw, sa * sb],
        [sa * cw + ca * cb * sw, -sa * sw + ca * cb * cw, -ca * sb],
        [sb * sw, sb * cw, cb],
    ])


def _earth_to_icrf(t_tdb: ArrayLike) -> np.ndarray:
    """ITRS -> ICRF (GCRS axes) through skyfield; Delta T from its built-in table."""
    from skyfield.framelib import itrs

    from spaceviz.core.astro.time import timescale

    icrf_to_itrs = itrs.rotation_at(timescale().tdb_jd(np.asarray(t_tdb, dtype=np.float64)))
    return np.swapaxes(icrf_to_itrs, 0, 1)


def body_to_icrf(name: str, t_tdb: ArrayLike) -> np.ndarray:
    """Rotation from the body-fixed frame of `name` to ICRF axes at TDB time(s).

    `v_icrf = M @ v_body`; shape (3, 3) for a scalar time, (3, 3, N) for N times (float64).
    Cheap enough to call every frame: ~20 us for an IAU body, ~60 us for the Moon, ~0.1 ms
    for the Earth (measured on the 2-core development machine).
    """
    if name == "Earth":
        return _earth_to_icrf(t_tdb)
    if name == "Moon":
        from spaceviz.core.astro import moon  # moon uses iau_rotation_to_icrf from here

        return moon.rotation_to_icrf(t_tdb)
    model = IAU_ROTATION.get(name)
    if model is None:
        raise UnknownNameError(name, known=list(ORIENTED_BODIES))
    return iau_rotation_to_icrf(*model.angles_deg(t_tdb))
