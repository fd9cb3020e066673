"""Two-body propagation of osculating heliocentric elements, vectorised over objects and times.

Elements refer either to the ecliptic and equinox of J2000 (rotated to ICRF with the J2000
obliquity 84381.448 arcseconds) or directly to the ICRF equator. Distances in AU, times as TDB
Julian dates (days), angles in radians inside and degrees at the edges. Results are heliocentric
ICRF unless a function says barycentric. Arrays are (3, N) with objects (or times) on the
trailing axis. The asteroid's own mass is neglected (mu = GM_sun).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from spaceviz.core.constants import GM_SUN_AU3_PER_DAY2, OBLIQUITY_J2000_ARCSEC
from spaceviz.core.errors import UserError

TWO_PI = 2.0 * np.pi
OBLIQUITY_J2000_RAD = np.radians(OBLIQUITY_J2000_ARCSEC / 3600.0)
_COS_EPS = np.cos(OBLIQUITY_J2000_RAD)
_SIN_EPS = np.sin(OBLIQUITY_J2000_RAD)

KEPLER_TOLERANCE_RAD = 1e-14
KEPLER_MAX_ITERATIONS = 8



class OrbitElementsError(UserError):
    """Orbital elements that spaceviz cannot propagate (named object, value and reason)."""


class NotEllipticError(OrbitElementsError):
    """e >= 1: a parabolic or hyperbolic orbit (spaceviz propagates only e < 1)."""


def _label(names: np.ndarray | None, index: int) -> str:
    if names is not None and index < len(names) and str(names[index]):
        return f"'{names[index]}'"
    return f"object #{index}"


def _plane_flags(plane, n: int) -> np.ndarray:
    """Boolean array, True where elements refer to the ICRF equator."""
    if isinstance(plane, str):
        key = plane.strip().lower()
        if key in ("ecliptic", "ecliptic j2000", "eclipj2000"):
            return np.zeros(n, dtype=bool)
        if key in ("equator", "equatorial", "icrf"):
            return np.ones(n, dtype=bool)
        raise OrbitElementsError(f"plane '{plane}' is not 'ecliptic' or 'equator'")
    flags = np.asarray(plane)
    if flags.dtype.kind in "US":
        keys = np.char.lower(np.char.strip(flags.astype(str)))
        equator = np.isin(keys, ("equator", "equatorial", "icrf"))
        unknown = ~equator & ~np.isin(keys, ("ecliptic", "ecliptic j2000", "eclipj2000"))
        if np.any(unknown):
            raise OrbitElementsError(
                f"plane '{keys[unknown].flat[0]}' is not 'ecliptic' or 'equator'")
        flags = equator
    return np.broadcast_to(flags.astype(bool), (n,)).copy()


@dataclass(frozen=True, eq=False)
class OrbitalElements:
    """Osculating heliocentric elements of N objects, arrays of shape (N,).

    a_au: semi-major axis (AU); e: eccentricity (0 <= e < 1); i_rad, node_rad, peri_rad:
    inclination, longitude of the ascending node, argument of perihelion (rad); M_rad: mean
    anomaly at epoch (rad); epoch_tdb: epoch (TDB Julian date); equatorial: True where the
    elements refer to the ICRF equator, False for the ecliptic of J2000 (`plane` gives the
    names); names: optional labels used in messages.
    """

    a_au: np.ndarray
    e: np.ndarray
    i_rad: np.ndarray
    node_rad: np.ndarray
    peri_rad: np.ndarray
    M_rad: np.ndarray
    epoch_tdb: np.ndarray
    equatorial: np.ndarray = field(default=False)  # type: ignore[assignment]
    names: np.ndarray | None = None

    def __post_init__(self) -> None:
        keys = ("a_au", "e", "i_rad", "node_rad", "peri_rad", "M_rad", "epoch_tdb")
        values = [np.atleast_1d(np.asarray(getattr(self, k), dtype=np.float64)) for k in keys]
        shape = np.broadcast_shapes(*(v.shape for v in values))
        if len(shape) != 1:
            raise OrbitElementsError(f"orbital elements must be 1-D arrays, got shape {shape}")
        for key, value in zip(keys, values, strict=True):
            object.__setattr__(self, key, np.ascontiguousarray(np.broadcast_to(value, shape)))
        object.__setattr__(self, "equatorial", _plane_flags(self.equatorial, shape[0]))
        if self.names is not None:
            object.__setattr__(self, "names", np.asarray(self.names, dtype=str).reshape(shape))
        self._validate()

    def _validate(self) -> None:
        checks = (
            (~np.isfinite(self.e) | (self.e < 0), OrbitElementsError,
             "e = {e:g} is not a valid eccentricity"),
            (self.e >= 1.0, NotEllipticError,
             "e = {e:g} is not an elliptic orbit; spaceviz propagates only e < 1"),
            (~np.isfinite(self.a_au) | (self.a_au <= 0), OrbitElementsError,
             "a = {a:g} AU must be positive"),
            (~(np.isfinite(self.i_rad) & np.isfinite(self.node_rad) & np.isfinite(self.peri_rad)
               & np.isfinite(self.M_rad) & np.isfinite(self.epoch_tdb)), OrbitElementsError,
             "angles and epoch must be finite numbers"),
        )
        for bad, error, template in checks:
            if np.any(bad):
                k = int(np.flatnonzero(bad)[0])
                message = template.format(e=self.e[k], a=self.a_au[k])
                more = int(bad.sum()) - 1
                suffix = f" (and {more} more)" if more else ""
                raise error(f"{_label(self.names, k)}: {message}{suffix}")

    @classmethod
    def from_degrees(cls, a_au, e, i_deg, node_deg, peri_deg, M_deg, epoch_tdb,
                     plane: str | Sequence[str] | np.ndarray = "ecliptic",
                     names=None) -> OrbitalElements:
        """Elements from degrees (scalars or arrays); plane 'ecliptic' (J2000) or 'equator'."""
        return cls(np.asarray(a_au, dtype=np.float64), np.asarray(e, dtype=np.float64),
                   np.radians(i_deg), np.radians(node_deg), np.radians(peri_deg),
                   np.radians(M_deg), np.asarray(epoch_tdb, dtype=np.float64),
                   equatorial=plane, names=names)

    def __len__(self) -> int:
        return len(self.a_au)

    def __getitem__(self, index) -> OrbitalElements:
        """A subset (int, slice, index array or boolean mask), still 1-D."""
        if isinstance(index, int | np.integer):
            index = slice(int(index), int(index) + 1 if index != -1 else None)
        return OrbitalElements(
            self.a_au[index], self.e[index], self.i_rad[index], self.node_rad[index],
            self.peri_rad[index], self.M_rad[index], self.epoch_tdb[index],
            equatorial=self.equatorial[index],
            names=None if self.names is None else self.names[index])

    @property
    def plane(self) -> np.ndarray:
        """'ecliptic' or 'equator' per object."""
        return np.where(self.equatorial, "equator", "ecliptic")

    @property
    def mean_motion_rad_per_day(self) -> np.ndarray:
        return mean_motion_rad_per_day(self.a_au)

    def mean_anomaly_at(self, t_tdb: float) -> np.ndarray:
        """Mean anomaly (rad, 0..2pi) of every object at one TDB time, in float64."""
        return np.mod(self.M_rad + self.mean_motion_rad_per_day * (t_tdb - self.epoch_tdb), TWO_PI)

    @property
    def period_days(self) -> np.ndarray:
        return TWO_PI / self.mean_motion_rad_per_day

    def to_degrees(self) -> dict[str, np.ndarray]:
        """The elements as a dict of arrays in degrees (keys a_au, e, i_deg, ...)."""
        return {"a_au": self.a_au, "e": self.e, "i_deg": np.degrees(self.i_rad),
                "node_deg": np.degrees(self.node_rad), "peri_deg": np.degrees(self.peri_rad),
                "M_deg": np.degrees(self.M_rad), "epoch_tdb": self.epoch_tdb,
                "plane": self.plane}

    @functools.cached_property
    def pq_icrf(self) -> tuple[np.ndarray, np.ndarray]:
        """Unit vectors P (to perihelion) and Q (90 degrees ahead in the orbit), ICRF, (3, N)."""
        cos_node, sin_node = np.cos(self.node_rad), np.sin(self.node_rad)
        cos_peri, sin_peri = np.cos(self.peri_rad), np.sin(self.peri_rad)
        cos_i, sin_i = np.cos(self.i_rad), np.sin(self.i_rad)
        p = np.stack([cos_node * cos_peri - sin_node * sin_peri * cos_i,
                      sin_node * cos_peri + cos_node * sin_peri * cos_i,
                      sin_peri * sin_i])
        q = np.stack([-cos_node * sin_peri - sin_node * cos_peri * cos_i,
                      -sin_node * sin_peri + cos_node * cos_peri * cos_i,
                      cos_peri * sin_i])
        ecliptic = ~self.equatorial
        if np.any(ecliptic):
            p = np.where(ecliptic, ecliptic_to_icrf(p), p)
            q = np.where(ecliptic, ecliptic_to_icrf(q), q)
        return p, q


def ecliptic_to_icrf(vec: np.ndarray) -> np.ndarray:
    """Rotate (3, ...) vectors from the ecliptic of J2000 to ICRF axes (obliquity 84381.448")."""
    x, y, z = vec
    return np.stack([x, _COS_EPS * y - _SIN_EPS * z, _SIN_EPS * y + _COS_EPS * z])


def icrf_to_ecliptic(vec: np.ndarray) -> np.ndarray:
    """Rotate (3, ...) vectors from ICRF axes to the ecliptic of J2000."""
    x, y, z = vec
    return np.stack([x, _COS_EPS * y + _SIN_EPS * z, -_SIN_EPS * y + _COS_EPS * z])


def mean_motion_rad_per_day(a_au) -> np.ndarray:
    """Keplerian mean motion n = sqrt(GM_sun / a^3) (rad/day) for a in AU."""
    a_au = np.asarray(a_au, dtype=np.float64)
    return np.sqrt(GM_SUN_AU3_PER_DAY2 / (a_au * a_au * a_au))


def solve_kepler(M, e) -> np.ndarray:
    """Eccentric anomaly E (rad) with E - e sin E = M, for 0 <= e < 1, float64, vectorised.

    M (rad) and e broadcast. E is returned in the same revolution as M. Mikkola's (1987) cubic
    starter, then Halley steps until |dE| < 1e-14 (at most 8); the residual is below 1e-12 rad.
    """
    M = np.asarray(M, dtype=np.float64)
    e = np.asarray(e, dtype=np.float64)
    if np.any((e < 0) | (e >= 1)):
        bad = e[(e < 0) | (e >= 1)].flat[0]
        raise NotEllipticError(f"e = {bad:g} is not an elliptic orbit; spaceviz propagates only e < 1")
    M, e = np.broadcast_arrays(M, e)
    turns = np.round(M / TWO_PI)
    m = M - turns * TWO_PI  # in [-pi, pi]
    denom = 4.0 * e + 0.5
    alpha = (1.0 - e) / denom
    beta = 0.5 * m / denom
    z = np.cbrt(beta + np.copysign(np.sqrt(beta * beta + alpha * alpha * alpha), beta))
    safe_z = np.where(z == 0.0, 1.0, z)
    s = np.where(z == 0.0, 0.0, z - alpha / safe_z)
    s = s - 0.078 * s ** 5 / (1.0 + e)
    E = m + e * (3.0 * s - 4.0 * s ** 3)
    for _ in range(KEPLER_MAX_ITERATIONS):
        sin_E, cos_E = np.sin(E), np.cos(E)
        f = E - e * sin_E - m
        fp = 1.0 - e * cos_E
        dE = f * fp / (fp * fp - 0.5 * f * e * sin_E)
        E = E - dE
        if not np.any(np.abs(dE) > KEPLER_TOLERANCE_RAD):
            break
    return E + turns * TWO_PI


def _perifocal(elements: OrbitalElements, t_tdb, want_velocity: bool):
    t = np.asarray(t_tdb, dtype=np.float64)
    n = elements.mean_motion_rad_per_day
    M = elements.M_rad + n * (t - elements.epoch_tdb)
    e = elements.e
    E = solve_kepler(M, e)
    cos_E, sin_E = np.cos(E), np.sin(E)
    a = elements.a_au
    root = np.sqrt((1.0 - e) * (1.0 + e))
    x = a * (cos_E - e)
    y = a * root * sin_E
    if not want_velocity:
        return x, y, None, None
    e_dot = n / (1.0 - e * cos_E)
    return x, y, -a * sin_E * e_dot, a * root * cos_E * e_dot


def _to_icrf(elements: OrbitalElements, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    p, q = elements.pq_icrf
    extra = x.ndim - 1
    if extra > 0:  # times on leading axes: (3, N) -> (3, 1.., N)
        shape = (3,) + (1,) * extra + (len(elements),)
        p, q = p.reshape(shape), q.reshape(shape)
    return p * x + q * y


def propagate(elements: OrbitalElements, t_tdb) -> tuple[np.ndarray, np.ndarray]:
    """Heliocentric ICRF position (AU) and velocity (AU/day) at TDB time(s).

    The time broadcasts against the N objects: a scalar gives (3, N); for one object, T times
    give (3, T); times shaped (T, 1) with N objects give (3, T, N).
    """
    x, y, vx, vy = _perifocal(elements, t_tdb, want_velocity=True)
    return _to_icrf(elements, x, y), _to_icrf(elements, vx, vy)


def propagate_positions(elements: OrbitalElements, t_tdb) -> np.ndarray:
    """Heliocentric ICRF positions (AU) only, shaped like `propagate`'s (a little faster)."""
    x, y, _, _ = _perifocal(elements, t_tdb, want_velocity=False)
    return _to_icrf(elements, x, y)


def barycentric_states(elements: OrbitalElements, t_tdb, ephemeris=None
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Barycentric ICRF position (AU) and velocity (AU/day): heliocentric + the Sun's state.

    The Sun's state comes from `ephemeris.state('Sun', t)` (default: the shared DE421) at the
    same TDB time(s); shapes as in `propagate`.
    """
    if ephemeris is None:
        from spaceviz.core.astro.ephemeris import default_ephemeris

        ephemeris = default_ephemeris()
    t = np.asarray(t_tdb, dtype=np.float64)
    pos, vel = propagate(elements, t)
    sun_pos, sun_vel = ephemeris.state("Sun", t)
    shape = (3,) + (1,) * (pos.ndim - 1 - t.ndim) + t.shape
    return pos + sun_pos.reshape(shape), vel + sun_vel.reshape(shape)


def elements_from_state(pos_au, vel_au_per_day, t_tdb, plane: str = "ecliptic",
                        names=None) -> OrbitalElements:
    """Osculating heliocentric elements from ICRF heliocentric state(s) (3,) or (3, N).

    pos in AU, velocity in AU/day, t_tdb the epoch (TDB JD, scalar or (N,)); the elements refer
    to `plane` ('ecliptic' of J2000 or 'equator'). Circular or equatorial orbits get
    peri = 0 or node = 0 by convention. Raises NotEllipticError for unbound states.
    """
    r = np.asarray(pos_au, dtype=np.float64)
    v = np.asarray(vel_au_per_day, dtype=np.float64)
    if r.ndim == 1:
        r, v = r[:, None], v[:, None]
    if not _plane_flags(plane, 1)[0]:
        r, v = icrf_to_ecliptic(r), icrf_to_ecliptic(v)
    mu = GM_SUN_AU3_PER_DAY2
    h = np.cross(r, v, axis=0)
    h_norm = np.sqrt(np.sum(h * h, axis=0))
    r_norm = np.sqrt(np.sum(r * r, axis=0))
    v2 = np.sum(v * v, axis=0)
    energy_term = 2.0 / r_norm - v2 / mu  # = 1/a
    if np.any(energy_term <= 0):
        k = int(np.flatnonzero(energy_term <= 0)[0])
        raise NotEllipticError(f"{_label(None if names is None else np.atleast_1d(names), k)}: "
                               "the state is unbound (e >= 1); spaceviz propagates only e < 1")
    a = 1.0 / energy_term
    h_xy = np.hypot(h[0], h[1])
    i = np.arctan2(h_xy, h[2])
    equatorial_orbit = h_xy <= 1e-15 * h_norm
    node = np.where(equatorial_orbit, 0.0, np.arctan2(h[0], -h[1]))
    w_hat = h / h_norm
    n_hat = np.stack([np.cos(node), np.sin(node), np.zeros_like(node)])
    m_hat = np.cross(w_hat, n_hat, axis=0)
    e_vec = np.cross(v, h, axis=0) / mu - r / r_norm
    e = np.sqrt(np.sum(e_vec * e_vec, axis=0))
    circular = e <= 1e-14
    peri = np.where(circular, 0.0,
                    np.arctan2(np.sum(e_vec * m_hat, axis=0), np.sum(e_vec * n_hat, axis=0)))
    u = np.arctan2(np.sum(r * m_hat, axis=0), np.sum(r * n_hat, axis=0))  # argument of latitude
    nu = u - peri
    E = 2.0 * np.arctan2(np.sqrt(1.0 - e) * np.sin(nu / 2), np.sqrt(1.0 + e) * np.cos(nu / 2))
    M = E - e * np.sin(E)
    wrap = np.mod
    return OrbitalElements(a, e, i, wrap(node, TWO_PI), wrap(peri, TWO_PI), wrap(M, TWO_PI),
                           np.broadcast_to(np.asarray(t_tdb, dtype=np.float64), a.shape),
                           equatorial=plane, names=names)


def orbit_polyline(elements: OrbitalElements, n: int = 512, index: int = 0) -> np.ndarray:
    """(3, n) heliocentric ICRF points (AU) around one full ellipse of object `index`.

    Points are evenly spaced in eccentric anomaly from perihelion; the last point repeats the
    first, so the line closes.
    """
    row = elements[index] if len(elements) > 1 else elements
    E = np.linspace(0.0, TWO_PI, n)
    e = row.e[0]
    a = row.a_au[0]
    x = a * (np.cos(E) - e)
    y = a * np.sqrt((1.0 - e) * (1.0 + e)) * np.sin(E)
    p, q = row.pq_icrf
    return p * x + q * y
