"""The real sky: every star of the Hipparcos catalogue, new reduction (ESA 1997; van Leeuwen
2007, VizieR I/311), with the IAU names (WGSN) of the named ones.

Positions are ICRS (= ICRF axes) directions at the catalogue epoch J1991.25 (TDB), seen from
the solar-system barycentre; they move with the proper motions (mas/yr, the RA component
multiplied by cos(dec)). Distances come from the parallaxes (1000 / parallax_mas pc); the
catalogue has no radial velocities, so a star's space motion is taken as purely tangential
(radial velocity 0) and linear. Magnitudes are Johnson V, converted from the Hipparcos Hp
magnitude with the star's B-V (Bessell 2000). The data is read from resources/stars/ (made
once by packaging/make_star_tables.py); `default_stars()` loads it once.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import numpy as np

from spaceviz.core.constants import AU_PER_PARSEC, DAYS_PER_JULIAN_YEAR
from spaceviz.core.errors import UnknownNameError, UserError
from spaceviz.paths import RESOURCES_DIR

STARS_DIR = RESOURCES_DIR / "stars"
HIPPARCOS_EPOCH_TDB = 2448349.0625
"""The Hipparcos catalogue epoch J1991.25 as a TDB Julian date (J2000 - 8.75 Julian years)."""
MAS_TO_RAD = np.pi / (180.0 * 3600.0 * 1000.0)

# Bessell (2000, PASP 112, 961), Table 2, for B-G main-sequence stars and K-M giants, every
# 0.05 in BT-VT from -0.25 to 2.00: columns d(B-V) = (B-V) - (BT-VT) and V - Hp, in mmag.
# The Johnson B-V of a row is (BT-VT) + d(B-V); B-V increases monotonically down the table.
_BESSELL_DBV_MMAG = np.array([
    31, 21, 11, 5, 2, -5, -10, -17, -20, -21, -23, -25, -25, -26, -30, -35, -45, -51, -60, -68,
    -76, -85, -94, -104, -113, -122, -131, -142, -154, -166, -178, -189, -199, -210, -222, -234,
    -245, -256, -266, -277, -288, -299, -309, -320, -331, -342])
_BESSELL_V_MINUS_HP_MMAG = np.array([
    66, 51, 36, 21, 6, -11, -25, -38, -48, -58, -69, -79, -87, -94, -101, -108, -114, -120, -127,
    -131, -134, -137, -142, -147, -151, -155, -158, -157, -160, -162, -164, -166, -166, -165, -164,
    -161, -157, -153, -148, -143, -137, -131, -125, -119, -112, -106])
_BESSELL_BV = np.linspace(-0.25, 2.0, 46) + _BESSELL_DBV_MMAG / 1000.0


def v_from_hp(hp_mag, bv) -> np.ndarray:
    """Johnson V from the Hipparcos magnitude Hp and the B-V colour (both mag, any shape):
    V - Hp interpolated in Bessell (2000) Table 2 (held at the table's ends, B-V -0.22 and
    1.66). Against the V of the IAU star-name catalogue, 410 named stars agree to 0.009 mag
    (median absolute difference); variables, close doubles and Sirius (Hp -1.09, V -1.46)
    do not."""
    v_minus_hp = np.interp(bv, _BESSELL_BV, _BESSELL_V_MINUS_HP_MMAG / 1000.0)
    return np.asarray(hp_mag, dtype=np.float64) + v_minus_hp


def bv_to_temperature_k(bv) -> np.ndarray:
    """Effective temperature (K) of a star from its B-V (mag), Ballesteros (2012, EPL 97,
    34008): T = 4600 K (1 / (0.92 B-V + 1.7) + 1 / (0.92 B-V + 0.62)). B-V is held to
    [-0.4, 2.0], where the formula stays finite and physical."""
    x = 0.92 * np.clip(np.asarray(bv, dtype=np.float64), -0.4, 2.0)
    return 4600.0 * (1.0 / (x + 1.7) + 1.0 / (x + 0.62))


def _planckian_xy(temperature_k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """CIE 1931 chromaticity (x, y) of a blackbody, the cubic approximation of Kim et al.
    (2002, US patent 7,024,034), valid for 1667-25000 K (the temperature is held there)."""
    t = 1000.0 / np.clip(temperature_k, 1667.0, 25000.0)
    x = np.where(t > 0.25,
                 ((-0.2661239 * t - 0.2343589) * t + 0.8776956) * t + 0.179910,
                 ((-3.0258469 * t + 2.1070379) * t + 0.2226347) * t + 0.240390)
    y = np.where(t > 0.45, ((-1.1063814 * x - 1.34811020) * x + 2.18555832) * x - 0.20219683,
                 np.where(t > 0.25,
                          ((-0.9549476 * x - 1.37418593) * x + 2.09137015) * x - 0.16748867,
                          ((3.0817580 * x - 5.87338670) * x + 3.75112997) * x - 0.37001483))
    return x, y


_XYZ_TO_LINEAR_SRGB = np.array([[3.2406, -1.5372, -0.4986],
                                [-0.9689, 1.8758, 0.0415],
                                [0.0557, -0.2040, 1.0570]])
"""CIE XYZ (D65) to linear sRGB, IEC 61966-2-1."""


def bv_to_rgb(bv) -> np.ndarray:
    """The colour of a star of colour index B-V (mag): sRGB in 0..1, shape (..., 3), its
    brightest channel 1. B-V -> temperature (Ballesteros 2012) -> blackbody chromaticity
    (Kim et al. 2002) -> sRGB (D65 white, so a 6500 K star is white and the Sun, B-V 0.65,
    a faintly yellow white)."""
    x, y = _planckian_xy(bv_to_temperature_k(bv))
    xyz = np.stack([x / y, np.ones_like(x), (1.0 - x - y) / y], axis=-1)
    linear = np.clip(xyz @ _XYZ_TO_LINEAR_SRGB.T, 0.0, None)
    linear = linear / linear.max(axis=-1, keepdims=True)
    return np.where(linear <= 0.0031308, 12.92 * linear,
                    1.055 * np.power(linear, 1.0 / 2.4) - 0.055)


def _tangent_frame(ra_rad, dec_rad) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit vectors (3, ...) towards (ra, dec), towards increasing RA and towards north."""
    ca, sa, cd, sd = np.cos(ra_rad), np.sin(ra_rad), np.cos(dec_rad), np.sin(dec_rad)
    zero = np.zeros_like(ca)
    return (np.array([cd * ca, cd * sa, sd]), np.array([-sa, ca, zero]),
            np.array([-sd * ca, -sd * sa, cd]))


def directions_icrf(ra_rad, dec_rad, pm_ra_cosdec_mas_yr, pm_dec_mas_yr,
                    dt_years) -> np.ndarray:
    """Unit vectors (3, ...) of stars at (ra, dec) (radians, ICRS, at the catalogue epoch)
    `dt_years` Julian years later, moving linearly through space with these proper motions
    (mas/yr) and no radial velocity: the direction of u + mu dt. Arguments broadcast."""
    along_ra = np.asarray(pm_ra_cosdec_mas_yr) * (np.asarray(dt_years) * MAS_TO_RAD)
    along_dec = np.asarray(pm_dec_mas_yr) * (np.asarray(dt_years) * MAS_TO_RAD)
    shape = np.broadcast_shapes(np.shape(ra_rad), along_ra.shape, along_dec.shape)
    u, east, north = (v.reshape((3,) + (1,) * (len(shape) - np.ndim(ra_rad)) + np.shape(ra_rad))
                      for v in _tangent_frame(ra_rad, dec_rad))
    moved = u + east * along_ra + north * along_dec
    return moved / np.linalg.norm(moved, axis=0)


def name_key(text: str) -> str:
    """A name for lookup: accents dropped, case folded, spaces collapsed ('Tupã' -> 'tupa')."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", str(text))
                    if not unicodedata.combining(c))
    return " ".join(plain.split()).casefold()


_HIP = re.compile(r"hip\s*(\d+)")


@dataclass(frozen=True, eq=False)
class StarCatalog:
    """Stars as parallel arrays (N,), sorted by Hipparcos number: ra_rad, dec_rad (ICRS at
    `epoch_tdb`), parallax_mas, pm_ra_cosdec_mas_yr, pm_dec_mas_yr, mag (Johnson V), bv (B-V,
    mag) and names (the IAU name, '' for most stars); `aliases` maps every name, as `find`
    compares it, to its row."""

    hip: np.ndarray
    ra_rad: np.ndarray
    dec_rad: np.ndarray
    parallax_mas: np.ndarray
    pm_ra_cosdec_mas_yr: np.ndarray
    pm_dec_mas_yr: np.ndarray
    mag: np.ndarray
    bv: np.ndarray
    names: np.ndarray
    epoch_tdb: float = HIPPARCOS_EPOCH_TDB
    aliases: dict[str, int] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.hip)

    @classmethod
    def from_files(cls, table: str | Path | IO[bytes], names: str | Path | IO[str]
                   ) -> StarCatalog:
        """The catalogue from the star table (.npz of fixed-point integers, scales in its
        `meta`) and the names CSV (columns hip, name; several names may share a star)."""
        with np.load(table) as npz:
            meta = json.loads(str(npz["meta"]))
            columns = {key: npz[key] * scale if scale != 1 else npz[key]
                       for key, scale in meta["scales"].items()}
        hip = columns["hip"]
        star_names = np.full(len(hip), "", dtype=object)
        text = names.read() if hasattr(names, "read") else Path(names).read_text(encoding="utf-8")
        aliases = {}
        for row in csv.DictReader(io.StringIO(text)):
            index = int(np.searchsorted(hip, int(row["hip"])))
            if index < len(hip) and hip[index] == int(row["hip"]):
                aliases[name_key(row["name"])] = index
                if not star_names[index]:
                    star_names[index] = row["name"]
        return cls(hip, columns["ra"], columns["dec"], columns["parallax"],
                   columns["pm_ra_cosdec"], columns["pm_dec"],
                   v_from_hp(columns["hp"], columns["bv"]), columns["bv"], star_names,
                   float(meta["epoch_tdb"]), aliases)

    # --- names -------------------------------------------------------------------------------
    def find(self, name: str) -> int | None:
        """Row of the star called `name`: an IAU name (case and accents ignored: 'sirius',
        'Tupa') or a Hipparcos number written 'HIP 32349'. None when no star is called so
        (a bare number is an asteroid's, never a star's)."""
        key = name_key(name)
        index = self.aliases.get(key)
        if index is not None:
            return index
        match = _HIP.fullmatch(key)
        if match is None:
            return None
        index = int(np.searchsorted(self.hip, int(match.group(1))))
        return index if index < len(self.hip) and self.hip[index] == int(match.group(1)) else None

    def _index(self, index_or_name: int | str) -> int:
        if isinstance(index_or_name, str):
            index = self.find(index_or_name)
            if index is None:
                raise UnknownNameError(index_or_name)
            return index
        return int(index_or_name)

    def label(self, index: int) -> str:
        """The star's IAU name, else 'HIP n'."""
        return str(self.names[index]) or f"HIP {int(self.hip[index])}"

    # --- where the stars are -------------------------------------------------------------------
    def unit_vectors_icrf(self, t_tdb=None, index: int | None = None) -> np.ndarray:
        """Directions from the barycentre (ICRF unit vectors): (3, N) of every star at one TDB
        Julian date, or with `index` (3,) / (3, T) of one star at a time / T times. Without a
        time, the catalogue epoch's positions; with one, proper motion applied."""
        rows = slice(None) if index is None else index
        dt_years = 0.0 if t_tdb is None else \
            (np.asarray(t_tdb, dtype=np.float64) - self.epoch_tdb) / DAYS_PER_JULIAN_YEAR
        return directions_icrf(self.ra_rad[rows], self.dec_rad[rows],
                               self.pm_ra_cosdec_mas_yr[rows], self.pm_dec_mas_yr[rows],
                               dt_years)

    def _epoch_distance_au(self, index: int) -> float:
        parallax = float(self.parallax_mas[index])
        if not parallax > 0.0:
            raise UserError(f"{self.label(index)} has a Hipparcos parallax of {parallax:g} mas: "
                            "its distance is unknown (only its direction is known)")
        return 1000.0 / parallax * AU_PER_PARSEC

    def _motion_rad_per_yr(self, index: int) -> np.ndarray:
        _, east, north = _tangent_frame(self.ra_rad[index], self.dec_rad[index])
        return (east * self.pm_ra_cosdec_mas_yr[index]
                + north * self.pm_dec_mas_yr[index]) * MAS_TO_RAD

    def distance_au(self, index_or_name: int | str, t_tdb) -> np.ndarray:
        """Distance (AU) from the barycentre at TDB Julian date(s): 1000 / parallax_mas pc at
        the catalogue epoch, growing as the star's tangential motion carries it past.
        UserError for a star whose parallax is not positive."""
        index = self._index(index_or_name)
        dt_years = (np.asarray(t_tdb, dtype=np.float64) - self.epoch_tdb) / DAYS_PER_JULIAN_YEAR
        angle = np.linalg.norm(self._motion_rad_per_yr(index)) * dt_years
        return self._epoch_distance_au(index) * np.hypot(1.0, angle)

    def position_au(self, index_or_name: int | str, t_tdb) -> np.ndarray:
        """Barycentric ICRF position (AU) of one star (row or name) at TDB Julian date(s):
        (3,) or (3, T). Linear space motion from the catalogue epoch, radial velocity 0."""
        index = self._index(index_or_name)
        return self.unit_vectors_icrf(t_tdb, index) * self.distance_au(index, t_tdb)

    def velocity_au_per_day(self, index_or_name: int | str) -> np.ndarray:
        """The star's constant barycentric ICRF velocity (AU/day), (3,): its proper motion
        at its distance; the radial component is unknown and taken as 0."""
        index = self._index(index_or_name)
        return self._motion_rad_per_yr(index) * (self._epoch_distance_au(index)
                                                 / DAYS_PER_JULIAN_YEAR)


@functools.cache
def default_stars() -> StarCatalog:
    """The shipped catalogue (resources/stars/hipparcos.npz and names.csv), loaded once."""
    return StarCatalog.from_files(STARS_DIR / "hipparcos.npz", STARS_DIR / "names.csv")
