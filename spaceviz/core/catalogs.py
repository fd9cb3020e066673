"""Asteroid catalogues as one structured numpy array: MPCORB.DAT[.gz], JPL SBDB CSV, synthetic.

Parsers take bytes or an open binary file, so tests feed inline rows; `load_catalog` opens a
path. Parsing is vectorised: lines become a (rows, columns) uint8 matrix and every field is
decoded column-wise (no Python loop over asteroids). A malformed line is skipped and counted;
the `CatalogSummary` lists the first few with their line numbers and reasons.

Elements in the records are heliocentric, ecliptic and equinox J2000: a in AU, angles in
radians, epoch as a TDB Julian date (MPC epochs are TT 0h; TT and TDB differ by < 2 ms).
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np

from spaceviz.core.errors import InputFileError, Problem, UnknownNameError, UserError

log = logging.getLogger(__name__)

CATALOG_DTYPE = np.dtype([
    ("number", "i4"),          # MPC number, -1 when unnumbered
    ("designation", "S16"),    # provisional designation ("2014 AA"), b"" when not known
    ("name", "S20"),           # proper name ("Ceres"), b"" when unnamed
    ("packed", "S8"),          # MPC packed form ("00001", "K14A00A")
    ("a_au", "f8"),
    ("e", "f8"),
    ("i_rad", "f8"),
    ("node_rad", "f8"),
    ("peri_rad", "f8"),
    ("M_rad", "f8"),           # mean anomaly at epoch
    ("epoch_tdb", "f8"),
    ("H", "f4"),               # absolute magnitude, NaN when unknown
    ("G", "f4"),               # slope parameter, NaN when unknown
    ("diameter_km", "f4"),     # NaN when unknown
    ("spec", "S8"),            # spectral class (SBDB spec_B or spec_T), b"" when unknown
    ("group", "i1"),           # dynamical group, index in spaceviz.core.belt.GROUP_NAMES
])
"""One asteroid per record; see the comments for units and conventions."""

MAX_CATALOG_ROWS = 20_000_000
PARSE_BYTES_PER_ROW = 900  # raw line, column matrix and temporaries while parsing
SKIPPED_EXAMPLES = 10
_CHUNK_ROWS = 131_072
_SPACE, _DOT, _DASH, _PAREN = 32, 46, 45, 41


class CatalogTooLargeError(UserError):
    """A catalogue that would not fit in memory."""


@dataclass
class CatalogSummary:
    """What a load produced: counts, the first skipped lines with reasons, provenance."""

    source: str
    format: str
    loaded: int = 0
    skipped: int = 0
    skipped_lines: list[tuple[int, str]] = field(default_factory=list)
    synthetic: bool = False

    def __str__(self) -> str:
        text = f"{self.source}: {self.loaded:,} asteroids loaded ({self.format})"
        if self.synthetic:
            text += ", synthetic (not real asteroids)"
        if self.skipped:
            examples = "; ".join(f"line {n}: {why}" for n, why in self.skipped_lines)
            text += f", {self.skipped:,} malformed lines skipped ({examples})"
        return text


@dataclass(eq=False)
class Catalog:
    """N asteroids: `records` is a structured array of CATALOG_DTYPE, `summary` its provenance."""

    records: np.ndarray
    summary: CatalogSummary
    _upper: dict[tuple, np.ndarray] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.records)

    @property
    def synthetic(self) -> bool:
        return self.summary.synthetic

    def elements(self):
        """OrbitalElements (ecliptic J2000) of every record."""
        from spaceviz.core.orbits import OrbitalElements

        r = self.records
        return OrbitalElements(r["a_au"], r["e"], r["i_rad"], r["node_rad"], r["peri_rad"],
                               r["M_rad"], r["epoch_tdb"], equatorial=False)

    def display_names(self, rows=None) -> np.ndarray:
        """'(1) Ceres', '(3708) 1974 FV1', '2014 AA' for the given rows (default: all)."""
        return display_names(self.records if rows is None else self.records[rows])

    def upper(self, key: str) -> np.ndarray:
        """Upper-cased copy of a bytes field, cached (for case-insensitive lookups)."""
        cache_key = (key, id(self.records), len(self.records))  # records may be replaced
        if cache_key not in self._upper:
            self._upper[cache_key] = _ascii_upper(self.records[key])
        return self._upper[cache_key]

    def find(self, query: str | int) -> int:
        """Row index of the asteroid named by `query` (see `find`)."""
        return find(self, query)

    def to_belt_data(self):
        """The records as a spaceviz.core.belt.BeltData for the belt layer and `where`."""
        from spaceviz.core.belt import BeltData

        r = self.records
        return BeltData(names=self.display_names(), a_au=r["a_au"], e=r["e"], i_rad=r["i_rad"],
                        node_rad=r["node_rad"], peri_rad=r["peri_rad"], M_rad=r["M_rad"],
                        epoch_tdb=r["epoch_tdb"], H=r["H"].astype(np.float64),
                        group=r["group"].copy(), spectral=spectral_class_ids(r["spec"]),
                        equatorial=False, source=self.summary.source,
                        synthetic=self.summary.synthetic)


# ---------------------------------------------------------------------------------------------
# small vectorised helpers on uint8 matrices

_B62 = np.full(256, -1, dtype=np.int16)
_B62[48:58] = np.arange(10)
_B62[65:91] = np.arange(10, 36)
_B62[97:123] = np.arange(36, 62)
_B62_CHARS = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                           dtype=np.uint8)


def _as_matrix(strings: np.ndarray) -> np.ndarray:
    """(n, w) uint8 view of an 'S{w}' array (NUL padded)."""
    strings = np.ascontiguousarray(strings)
    width = strings.dtype.itemsize
    return strings.view(np.uint8).reshape(len(strings), width)


def _as_strings(matrix: np.ndarray) -> np.ndarray:
    """'S{w}' array from a (n, w) uint8 matrix (NUL bytes at the end are dropped)."""
    matrix = np.ascontiguousarray(matrix, dtype=np.uint8)
    return matrix.view(f"S{matrix.shape[1]}").ravel()


def _ascii_upper(strings: np.ndarray) -> np.ndarray:
    m = _as_matrix(strings).copy()
    m[(m >= 97) & (m <= 122)] -= 32
    return _as_strings(m)


def _digits(values: np.ndarray, width: int) -> np.ndarray:
    """(n, width) ASCII digits of non-negative integers, zero padded."""
    values = np.asarray(values, dtype=np.int64)
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((values[:, None] // powers) % 10 + 48).astype(np.uint8)


def _strip_trailing(m: np.ndarray) -> np.ndarray:
    """Turn trailing spaces of each row into NUL bytes (in place) and return the matrix."""
    text = (m != _SPACE) & (m != 0)
    last = m.shape[1] - 1 - np.argmax(text[:, ::-1], axis=1)
    last[~text.any(axis=1)] = -1
    m[np.arange(m.shape[1]) > last[:, None]] = 0
    return m


def _shift_left(m: np.ndarray, offset: np.ndarray, width: int) -> np.ndarray:
    """Rows of m starting at per-row `offset`, `width` columns, NUL padded past the end."""
    out = np.zeros((len(m), width), dtype=np.uint8)
    order = np.argsort(offset, kind="stable")
    values, first = np.unique(offset[order], return_index=True)
    bounds = np.append(first, len(order))
    for k, shift in enumerate(values):  # one pass per distinct offset, not per row
        rows = order[bounds[k]:bounds[k + 1]]
        take = min(width, m.shape[1] - int(shift))
        if take > 0:
            out[rows, :take] = m[rows, int(shift):int(shift) + take]
    return out


def _concat_left(parts: list[np.ndarray]) -> np.ndarray:
    """Row-wise concatenation of NUL-padded left-aligned byte matrices, NUL padded."""
    n = parts[0].shape[0]
    out = np.zeros((n, sum(p.shape[1] for p in parts)), dtype=np.uint8)
    offset = np.zeros(n, dtype=np.int64)
    rows = np.arange(n)[:, None]
    for part in parts:
        length = np.count_nonzero(part, axis=1)
        cols = offset[:, None] + np.arange(part.shape[1])
        keep = np.arange(part.shape[1]) < length[:, None]
        out[np.broadcast_to(rows, cols.shape)[keep], cols[keep]] = part[keep]
        offset = offset + length
    return out


def _left_digits(values: np.ndarray, width: int) -> np.ndarray:
    """(n, width) ASCII digits of non-negative integers, left aligned, NUL padded."""
    values = np.asarray(values, dtype=np.int64)
    ndig = np.maximum(1, np.floor(np.log10(np.maximum(values, 1))).astype(np.int64) + 1)
    ndig = np.where(values >= 10 ** np.minimum(ndig, 18), ndig + 1, ndig)  # log10 rounding
    padded = _digits(values, width)
    return _shift_left(padded, width - ndig, width)


def _civil_to_jd(year, month, day) -> np.ndarray:
    """Julian date at 0h of Gregorian calendar dates (integer arrays), vectorised."""
    year = np.asarray(year, dtype=np.int64)
    month = np.asarray(month, dtype=np.int64)
    a = (14 - month) // 12
    y = year + 4800 - a
    m = month + 12 * a - 3
    jdn = day + (153 * m + 2) // 5 + 365 * y + y // 4 - y // 100 + y // 400 - 32045
    return jdn - 0.5


def _jd_to_civil(jd) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(year, month, day, day fraction) of Julian dates, Gregorian calendar, vectorised."""
    jd = np.asarray(jd, dtype=np.float64) + 0.5
    jdn = np.floor(jd).astype(np.int64)
    frac = jd - jdn
    a = jdn + 32044
    b = (4 * a + 3) // 146097
    c = a - 146097 * b // 4
    d = (4 * c + 3) // 1461
    e = c - 1461 * d // 4
    m = (5 * e + 2) // 153
    day = e - (153 * m + 2) // 5 + 1
    month = m + 3 - 12 * (m // 10)
    year = 100 * b + d - 4800 + m // 10
    return year, month, day, frac


_DAYS_IN_MONTH = np.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


# ---------------------------------------------------------------------------------------------
# packed designations and epochs


def decode_packed_epochs(packed) -> tuple[np.ndarray, np.ndarray]:
    """TDB Julian dates (0h) of MPC packed epochs ('K2426' = 2024-02-06) and a validity mask."""
    m = _as_matrix(np.asarray(packed, dtype="S5"))
    if m.shape[1] < 5:
        m = np.pad(m, ((0, 0), (0, 5 - m.shape[1])))
    m = m[:, :5]
    v = _B62[m]
    century, y1, y2, month, day = (v[:, k] for k in range(5))
    ok = ((century >= 18) & (century <= 21) & (y1 >= 0) & (y1 <= 9) & (y2 >= 0) & (y2 <= 9)
          & (month >= 1) & (month <= 12) & (day >= 1))
    year = century.astype(np.int64) * 100 + y1 * 10 + y2
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    ok &= day <= _DAYS_IN_MONTH[np.clip(month, 0, 12)] - ((month == 2) & ~leap)
    jd = _civil_to_jd(year, np.where(ok, month, 1), np.where(ok, day, 1))
    return np.where(ok, jd, np.nan), ok


def pack_epochs(epoch_tdb) -> np.ndarray:
    """MPC packed epochs ('K2426') of TDB Julian dates at 0h; raises ValueError otherwise."""
    year, month, day, frac = _jd_to_civil(epoch_tdb)
    if np.any(np.abs(frac) > 1e-6) or np.any((year < 1800) | (year > 2199)):
        raise ValueError("MPCORB epochs must be at 0h TT of a date between 1800 and 2199")
    out = np.empty((len(year), 5), dtype=np.uint8)
    out[:, 0] = _B62_CHARS[year // 100]
    out[:, 1:3] = _digits(year % 100, 2)
    out[:, 3] = _B62_CHARS[month]
    out[:, 4] = _B62_CHARS[day]
    return _as_strings(out)


_SURVEYS = {b"PLS": b"P-L", b"T1S": b"T-1", b"T2S": b"T-2", b"T3S": b"T-3"}


def decode_packed_designations(packed) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(number, provisional designation, ok) from MPC packed designations, vectorised.

    Numbered: '00001' = 1, 'A0345' = 100345, '~0K8Q' = 620000 + base-62 value; their designation
    is b''. Provisional: 'K14A00A' = 2014 AA, 'K07Tf8A' = 2007 TA418; survey 'PLS2040' =
    2040 P-L. Unnumbered objects get number -1; `ok` is False for unreadable forms.
    """
    m = _as_matrix(np.asarray(packed, dtype="S8"))
    m = np.pad(m, ((0, 0), (0, max(0, 8 - m.shape[1]))))[:, :8].copy()
    m[m == 0] = _SPACE
    v = _B62[m]
    n = len(m)
    digit = (v >= 0) & (v <= 9)
    blank_tail = np.all(m[:, 5:8] == _SPACE, axis=1)
    numbered = blank_tail & (v[:, 0] >= 0) & np.all(digit[:, 1:5], axis=1)
    tilde = blank_tail & (m[:, 0] == ord("~")) & np.all(v[:, 1:5] >= 0, axis=1)
    number = np.full(n, -1, dtype=np.int64)
    low = v[:, 1:5].astype(np.int64) @ np.array([1000, 100, 10, 1])
    number[numbered] = (v[numbered, 0].astype(np.int64) * 10000 + low[numbered])
    b62 = v[:, 1:5].astype(np.int64) @ np.array([62 ** 3, 62 ** 2, 62, 1])
    number[tilde] = 620000 + b62[tilde]

    upper = (m >= 65) & (m <= 90)
    provisional = (~numbered & ~tilde & (v[:, 0] >= 18) & (v[:, 0] <= 21) & digit[:, 1]
                   & digit[:, 2] & upper[:, 3] & (v[:, 4] >= 0) & digit[:, 5] & upper[:, 6]
                   & (m[:, 7] == _SPACE))
    survey_key = _as_strings(m[:, :3].copy())
    survey = (~numbered & ~tilde & ~provisional & np.isin(survey_key, list(_SURVEYS))
              & np.all(digit[:, 3:7], axis=1) & (m[:, 7] == _SPACE))

    desig = np.zeros((n, 16), dtype=np.uint8)
    if np.any(provisional):
        p = np.flatnonzero(provisional)
        mp, vp = m[p], v[p]
        d = np.zeros((len(p), 16), dtype=np.uint8)
        d[:, 0:2] = _digits(vp[:, 0], 2)
        d[:, 2:4] = mp[:, 1:3]
        d[:, 4] = _SPACE
        d[:, 5] = mp[:, 3]
        d[:, 6] = mp[:, 6]
        cycle = vp[:, 4].astype(np.int64) * 10 + vp[:, 5]
        digits = _left_digits(cycle, 3)
        digits[cycle == 0] = 0
        d[:, 7:10] = digits
        desig[p] = d
    if np.any(survey):
        s = np.flatnonzero(survey)
        d = np.zeros((len(s), 16), dtype=np.uint8)
        d[:, 0:4] = m[s, 3:7]
        d[:, 4] = _SPACE
        keys = survey_key[s]
        code = np.select([keys == k for k in _SURVEYS], list(_SURVEYS.values()), b"")
        d[:, 5:8] = _as_matrix(code.astype("S3"))
        desig[s] = d
    ok = numbered | tilde | provisional | survey
    return number, _as_strings(desig), ok


MAX_MPC_NUMBER = 620000 + 62 ** 4 - 1
"""The largest number the MPC's packed form (tilde + four base-62 digits) can hold."""


def pack_numbers(number) -> np.ndarray:
    """MPC packed numbers: 1 -> '00001', 100345 -> 'A0345', 620057 -> '~000v'."""
    number = np.asarray(number, dtype=np.int64)
    if np.any((number < 1) | (number > MAX_MPC_NUMBER)):
        raise ValueError(f"MPC numbers run from 1 to {MAX_MPC_NUMBER}")
    out = np.full((len(number), 5), _SPACE, dtype=np.uint8)
    small = number < 620000
    out[small, 0] = _B62_CHARS[number[small] // 10000]
    out[small, 1:5] = _digits(number[small] % 10000, 4)
    big = number[~small] - 620000
    out[~small, 0] = ord("~")
    for k, power in enumerate((62 ** 3, 62 ** 2, 62, 1)):
        out[~small, 1 + k] = _B62_CHARS[(big // power) % 62]
    return _as_strings(out)


def pack_designations(designations) -> tuple[np.ndarray, np.ndarray]:
    """MPC packed provisional designations ('2014 AA' -> 'K14A00A') and an ok mask."""
    m = _as_matrix(np.asarray(designations, dtype="S16"))
    m = np.pad(m, ((0, 0), (0, max(0, 10 - m.shape[1]))))
    digit = (m >= 48) & (m <= 57)
    upper = (m >= 65) & (m <= 90)
    length = np.count_nonzero(m, axis=1)
    century = (m[:, 0].astype(np.int64) - 48) * 10 + (m[:, 1].astype(np.int64) - 48)
    tail = m[:, 7:10]
    tail_digit = digit[:, 7:10] | (tail == 0)
    ok = (np.all(digit[:, 0:4], axis=1) & (m[:, 4] == _SPACE) & upper[:, 5] & upper[:, 6]
          & (length >= 7) & (length <= 10) & np.all(tail_digit, axis=1)
          & np.all(m[:, 10:] == 0, axis=1) & (century >= 18) & (century <= 21))
    ndig = length - 7
    tail_value = np.zeros(len(m), dtype=np.int64)
    for k in range(3):
        has = k < ndig
        tail_value = np.where(has, tail_value * 10 + (tail[:, k].astype(np.int64) - 48),
                              tail_value)
    ok &= tail_value < 620
    out = np.empty((len(m), 7), dtype=np.uint8)
    out[:, 0] = _B62_CHARS[np.clip(century, 0, 61)]
    out[:, 1:3] = m[:, 2:4]
    out[:, 3] = m[:, 5]
    out[:, 4] = _B62_CHARS[np.clip(tail_value // 10, 0, 61)]
    out[:, 5] = 48 + tail_value % 10
    out[:, 6] = m[:, 6]
    out[~ok] = 0
    return _as_strings(out), ok


def display_names(records: np.ndarray) -> np.ndarray:
    """'(1) Ceres', '(3708) 1974 FV1', '2014 AA' for catalogue records (str array)."""
    n = len(records)
    if n == 0:
        return np.array([], dtype=str)
    number = records["number"].astype(np.int64)
    has_name = _as_matrix(records["name"]).any(axis=1)
    label = np.where(has_name, records["name"], records["designation"])
    label_m = _as_matrix(np.asarray(label, dtype="S20"))
    numbered = number >= 0
    open_m = np.where(numbered[:, None], ord("("), 0).astype(np.uint8)
    num_m = _left_digits(np.maximum(number, 0), 8)
    num_m[~numbered] = 0
    close_m = np.zeros((n, 2), dtype=np.uint8)
    close_m[numbered, 0] = _PAREN
    close_m[numbered & label_m.any(axis=1), 1] = _SPACE
    joined = _concat_left([open_m, num_m, close_m, label_m])
    return _as_strings(joined).astype(str)


# ---------------------------------------------------------------------------------------------
# reading


def _read_bytes(source: bytes | bytearray | memoryview | BinaryIO) -> bytes:
    data = bytes(source) if isinstance(source, bytes | bytearray | memoryview) else source.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise UserError(f"the gzip stream is damaged: {exc}") from None
    return data


def _line_index(buf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start offsets and lengths (without the newline and a trailing CR) of every line."""
    if len(buf) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    newlines = np.flatnonzero(buf == 10)
    starts = np.concatenate(([0], newlines + 1))
    ends = np.concatenate((newlines, [len(buf)]))
    if starts[-1] == len(buf):
        starts, ends = starts[:-1], ends[:-1]
    lengths = ends - starts
    cr = (lengths > 0) & (buf[np.maximum(ends - 1, 0)] == 13)
    return starts, lengths - cr


def _gather_columns(buf: np.ndarray, starts: np.ndarray, lengths: np.ndarray,
                    spans: tuple[tuple[int, int], ...]) -> np.ndarray:
    """(rows, columns) uint8 matrix of the byte column spans [lo, hi) of every line, side by
    side; spaces past a line's end. Column-major, so that each column is contiguous."""
    n = len(starts)
    width = sum(hi - lo for lo, hi in spans)
    out = np.full((n, width), _SPACE, dtype=np.uint8, order="F")
    if n == 0:
        return out
    need = max(hi for _, hi in spans)
    full = lengths >= need
    done = np.zeros(n, dtype=bool)
    # Fast path: runs of full lines at a constant stride are 2-D strided views of the buffer.
    join = np.zeros(n, dtype=bool)
    if n > 1:
        stride = np.diff(starts)
        join[1:] = full[1:] & full[:-1]
        join[2:] &= stride[1:] == stride[:-1]
    run_starts = np.flatnonzero(~join)
    run_ends = np.append(run_starts[1:], n)
    long_runs = np.flatnonzero((run_ends - run_starts >= 256) & full[run_starts])
    for k in long_runs:  # one iteration per block of thousands of lines
        i, j = int(run_starts[k]), int(run_ends[k])
        step = int(starts[i + 1] - starts[i])
        view = np.lib.stride_tricks.as_strided(buf[int(starts[i]):], shape=(j - i, need),
                                               strides=(step, 1), writeable=False)
        for b in range(0, j - i, 1024):  # blocks that stay in cache while being transposed
            col = 0
            for lo, hi in spans:
                out[i + b:min(j, i + b + 1024), col:col + hi - lo] = view[b:b + 1024, lo:hi]
                col += hi - lo
        done[i:j] = True
    rest = np.flatnonzero(~done)
    cols = np.concatenate([np.arange(lo, hi) for lo, hi in spans])
    last = len(buf) - 1
    for lo in range(0, len(rest), _CHUNK_ROWS):
        rows = rest[lo:lo + _CHUNK_ROWS]
        idx = starts[rows, None] + cols[None, :]
        block = buf[np.minimum(idx, last)]
        block[cols[None, :] >= lengths[rows, None]] = _SPACE
        out[rows] = block
    return out


def _header_end(buf: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> int:
    """Index of the first data line: after the '-----' rule when the file has a header."""
    k = min(len(starts), 500)
    if k == 0:
        return 0
    head = _gather_columns(buf, starts[:k], lengths[:k], ((0, 10),))
    rule = np.flatnonzero(np.all(head == _DASH, axis=1))
    return int(rule[0]) + 1 if len(rule) else 0


def _parse_decimal(chars: np.ndarray, dot: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fixed-width decimal numbers: (values, ok, blank). Exact for the MPC's fixed formats.

    The fast path accepts leading spaces, digits, a decimal point at column `dot` (>= 1) and
    digits, accumulated column by column into an exact integer that is divided by a power of
    ten (correctly rounded, like strtod). Other layouts (' 3.4 ', '7.0  ') go through numpy's
    string-to-float conversion. Columns of `chars` should be contiguous (Fortran order).
    """
    n, w = chars.shape
    mantissa = np.zeros(n)
    fast = chars[:, dot] == _DOT
    seen_digit = np.zeros(n, dtype=bool)
    for j in range(w):
        if j == dot:
            continue
        column = chars[:, j]
        digit_value = column - np.uint8(48)
        is_digit = digit_value < 10
        if j < dot:  # leading spaces, then digits
            is_space = column == _SPACE
            fast &= is_digit | is_space
            fast &= ~(seen_digit & is_space)
            seen_digit |= is_digit
        else:
            fast &= is_digit
        mantissa *= 10.0
        mantissa += digit_value * is_digit
    fast &= seen_digit
    values = mantissa / 10.0 ** (w - dot - 1)
    values[~fast] = np.nan
    ok = fast.copy()
    blank = np.zeros(n, dtype=bool)
    slow = np.flatnonzero(~fast)
    if len(slow):
        blank[slow] = np.all(chars[slow] == _SPACE, axis=1)
        ok[slow[blank[slow]]] = True
        slow = slow[~blank[slow]]
    if len(slow):
        text = _as_strings(chars[slow])
        try:
            values[slow] = text.astype(np.float64)
            ok[slow] = True
        except ValueError:
            for j, t in zip(slow, text, strict=True):  # only rows that are already suspect
                try:
                    values[j] = float(t)
                    ok[j] = True
                except ValueError:
                    pass
        ok[slow] &= np.isfinite(values[slow])
    return values, ok, blank


# MPCORB fields: (name, first column, last column + 1, decimal point offset, required)
_MPC_NUMERIC = (
    ("H", 8, 13, 2, False),
    ("G", 14, 19, 2, False),
    ("M", 26, 35, 3, True),
    ("peri", 37, 46, 3, True),
    ("node", 48, 57, 3, True),
    ("i", 59, 68, 3, True),
    ("e", 70, 79, 1, True),
    ("a", 92, 103, 3, True),
)
_MPC_COLUMNS = ((0, 103), (166, 194))
_MPC_READABLE = slice(103, 131)


def parse_mpcorb(source: bytes | BinaryIO, name: str = "<MPCORB>") -> Catalog:
    """Parse MPCORB.DAT text (plain or gzip bytes, or an open binary file) into a Catalog.

    Header lines up to the '-----' rule and blank lines are ignored; a malformed line is
    skipped and counted. Elements: ecliptic J2000, epoch TT 0h taken as TDB.
    """
    buf = np.frombuffer(_read_bytes(source), dtype=np.uint8)
    starts, lengths = _line_index(buf)
    first = _header_end(buf, starts, lengths)
    line_numbers = np.arange(first, len(starts)) + 1
    starts, lengths = starts[first:], lengths[first:]
    check_fits_in_memory(len(starts), source=name)
    keep = lengths > 0
    if not np.all(keep):
        starts, lengths, line_numbers = starts[keep], lengths[keep], line_numbers[keep]
    matrix = _gather_columns(buf, starts, lengths, _MPC_COLUMNS)
    parts = [_parse_mpcorb_block(matrix[lo:lo + _CHUNK_ROWS], lengths[lo:lo + _CHUNK_ROWS])
             for lo in range(0, len(matrix), _CHUNK_ROWS)]
    return _assemble(parts, line_numbers, name, "MPCORB")


def _parse_mpcorb_block(m: np.ndarray, lengths: np.ndarray) -> dict:
    n = len(m)
    reason = np.zeros(n, dtype=np.int16)  # index into the reasons list, 0 = fine, -1 = blank
    reasons = ["", "line too short for the orbital elements"]
    reason[lengths < 103] = 1
    number, designation, ok_desig = decode_packed_designations(_as_strings(m[:, 0:7].copy()))
    reasons.append("unreadable packed designation")
    reason[(reason == 0) & ~ok_desig] = len(reasons) - 1
    epoch, ok_epoch = decode_packed_epochs(_as_strings(m[:, 20:25].copy()))
    reasons.append("unreadable packed epoch")
    reason[(reason == 0) & ~ok_epoch] = len(reasons) - 1
    values = {}
    for key, lo, hi, dot, required in _MPC_NUMERIC:
        v, ok, blank = _parse_decimal(m[:, lo:hi], dot)
        bad = ~ok | (blank & required)
        reasons.append(f"field {key} (columns {lo + 1}-{hi}) is "
                       f"{'missing or ' if required else ''}not a number")
        reason[(reason == 0) & bad] = len(reasons) - 1
        values[key] = v
    e, a, i = values["e"], values["a"], values["i"]
    for bad, text in (((e < 0) | (e >= 1), "e = {e} is not an elliptic orbit"),
                      (a <= 0, "a = {a} AU is not positive"),
                      ((i < 0) | (i > 180), "i = {i} degrees is out of range")):
        reasons.append(text)
        reason[(reason == 0) & bad] = len(reasons) - 1
    maybe_blank = np.flatnonzero(np.all(m[:, 0:7] == _SPACE, axis=1))
    blank = maybe_blank[np.all(m[maybe_blank, 7:] == _SPACE, axis=1)]
    reason[blank] = -1  # a line of spaces: not an orbit, not counted
    readable = m[:, _MPC_READABLE]
    name, desig_readable = _split_readable(readable)
    numbered = number >= 0
    designation = np.where(numbered, desig_readable, designation)
    name = np.where(numbered, name, b"")
    return {"reason": reason, "reasons": reasons, "number": number, "designation": designation,
            "name": name, "packed": _as_strings(_strip_trailing(m[:, 0:7].copy())),
            "a_au": a, "e": e, "i_deg": i, "node_deg": values["node"],
            "peri_deg": values["peri"], "M_deg": values["M"], "epoch_tdb": epoch,
            "H": values["H"], "G": values["G"], "fields": {"e": e, "a": a, "i": i}}


def _split_readable(readable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(name, designation) from MPCORB's readable column: '(1) Ceres', '(3708) 1974 FV1'.

    The MPC puts ')' in the field's 8th column and the text from its 10th; other layouts are
    found by searching for ')' and the first character after it.
    """
    n, w = readable.shape
    standard = (readable[:, 9] != _SPACE) & (
        ((readable[:, 7] == _PAREN) & (readable[:, 8] == _SPACE))
        | np.all(readable[:, 0:9] == _SPACE, axis=1))
    rest = np.zeros((n, 20), dtype=np.uint8)
    rest[:, :w - 9] = readable[:, 9:]
    others = np.flatnonzero(~standard)
    if len(others):
        sub = np.ascontiguousarray(readable[others])
        paren = sub == _PAREN
        has = paren.any(axis=1)
        after = np.where(has, paren.argmax(axis=1) + 1, 0)
        text_cols = (sub != _SPACE) & (np.arange(w) >= after[:, None])
        begin = np.where(text_cols.any(axis=1), text_cols.argmax(axis=1), w)
        rest[others] = _shift_left(sub, begin, 20)
    _strip_trailing(rest)
    digit = (rest >= 48) & (rest <= 57)
    is_designation = (np.all(digit[:, 0:4], axis=1) & (rest[:, 4] == _SPACE)
                      & (rest[:, 5] >= 65) & (rest[:, 5] <= 90))
    rest_s = _as_strings(rest)
    return (np.where(is_designation, b"", rest_s).astype("S20"),
            np.where(is_designation, rest_s, b"").astype("S16"))


def _assemble(parts: list[dict], line_numbers: np.ndarray, source: str, fmt: str) -> Catalog:
    summary = CatalogSummary(source=source, format=fmt)
    if not parts:
        return Catalog(np.zeros(0, dtype=CATALOG_DTYPE), summary)
    reason = np.concatenate([p["reason"] for p in parts])
    good = reason == 0
    all_good = bool(np.all(good))

    def joined(key: str) -> np.ndarray:
        values = np.concatenate([p[key] for p in parts])
        return values if all_good else values[good]

    records = np.zeros(int(good.sum()), dtype=CATALOG_DTYPE)
    for key in ("number", "designation", "name", "packed", "a_au", "e", "epoch_tdb", "H", "G"):
        records[key] = joined(key)
    for key, deg in (("i_rad", "i_deg"), ("node_rad", "node_deg"), ("peri_rad", "peri_deg"),
                     ("M_rad", "M_deg")):
        records[key] = np.radians(joined(deg))
    records["diameter_km"] = joined("diameter_km") if "diameter_km" in parts[0] else np.nan
    if "spec" in parts[0]:
        records["spec"] = joined("spec")
    records["group"] = _groups(parts, good, records)
    bad_rows = np.flatnonzero(reason > 0)
    summary.loaded = len(records)
    summary.skipped = len(bad_rows)
    offsets = np.cumsum([0] + [len(p["reason"]) for p in parts])
    for row in bad_rows[:SKIPPED_EXAMPLES]:
        k = int(np.searchsorted(offsets, row, side="right") - 1)
        part, local = parts[k], row - offsets[k]
        text = part["reasons"][part["reason"][local]]
        fields = {key: f"{value[local]:g}" for key, value in part.get("fields", {}).items()}
        summary.skipped_lines.append((int(line_numbers[row]), text.format(**fields)))
    if summary.skipped:
        log.warning("%s", summary)
    return Catalog(records, summary)


def _groups(parts: list[dict], good: np.ndarray, records: np.ndarray) -> np.ndarray:
    from spaceviz.core.belt import classify_groups

    group = classify_groups(records["a_au"], records["e"], np.degrees(records["i_rad"]))
    if "group" in parts[0]:
        given = np.concatenate([p["group"] for p in parts])[good]
        group = np.where(given >= 0, given, group)
    return group.astype(np.int8)


# ---------------------------------------------------------------------------------------------
# JPL SBDB CSV

SBDB_REQUIRED = ("e", "i", "om", "w", "ma")
SBDB_CLASS_GROUPS = {
    "MBA": "Main belt", "IMB": "Main belt", "OMB": "Main belt", "MCA": "Other",
    "APO": "Near-Earth", "ATE": "Near-Earth", "AMO": "Near-Earth", "IEO": "Near-Earth",
    "TJN": "Jupiter trojan", "CEN": "Outer / Centaur", "TNO": "Outer / Centaur",
    "HUN": "Inner (Hungaria)", "HIL": "Hilda", "AST": "Other",
}


def parse_sbdb_csv(source: bytes | BinaryIO, name: str = "<SBDB CSV>") -> Catalog:
    """Parse a JPL SBDB query CSV export into a Catalog.

    Columns by JPL's field names: required e, i, om, w, ma (degrees), a (AU) or q (AU),
    epoch (JD TDB) or epoch_mjd, and one of pdes / full_name / name; optional H, G, diameter,
    spec_B, spec_T, class. A missing required column raises InputFileError naming the file;
    a row with a bad value is skipped and counted.
    """
    text = _read_bytes(source).decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise InputFileError([Problem(name, reader.line_num, "(csv)", str(exc))]) from None
    while rows and not any(c.strip() for c in rows[0]):
        rows.pop(0)
    if not rows:
        return Catalog(np.zeros(0, dtype=CATALOG_DTYPE), CatalogSummary(name, "SBDB CSV"))
    header = [h.strip() for h in rows[0]]
    index = {h: k for k, h in enumerate(header)}
    missing = [c for c in SBDB_REQUIRED if c not in index]
    if "a" not in index and "q" not in index:
        missing.append("a (or q)")
    if "epoch" not in index and "epoch_mjd" not in index:
        missing.append("epoch (or epoch_mjd)")
    if not any(c in index for c in ("pdes", "full_name", "name")):
        missing.append("pdes (or full_name)")
    if missing:
        raise InputFileError([Problem(name, 1, "header", f"missing required column '{c}' "
                                      f"(columns found: {', '.join(header)})")
                              for c in missing])
    body = rows[1:]
    width = len(header)
    lengths = np.fromiter(map(len, body), dtype=np.int64, count=len(body))
    line_numbers = np.arange(len(body)) + 2
    nonblank = lengths > 0  # csv yields [] for an empty line
    body = list(itertools.compress(body, nonblank))
    lengths, line_numbers = lengths[nonblank], line_numbers[nonblank]
    check_fits_in_memory(len(body), source=name)
    if not body:  # a header and no rows: an empty catalogue, not an error
        return _assemble([], line_numbers, name, "SBDB CSV")
    reason = np.zeros(len(body), dtype=np.int16)
    reasons = ["", f"expected {width} comma-separated values"]
    reason[lengths != width] = 1
    for k in np.flatnonzero(lengths != width):  # only the malformed rows
        body[k] = (body[k] + [""] * width)[:width]
    columns = list(zip(*body, strict=True)) if body else [()] * width

    def column(key: str) -> np.ndarray:
        if not body:
            return np.zeros(0, dtype=str)
        return np.char.strip(np.asarray(columns[index[key]], dtype=str))

    def numbers(key: str, required: bool) -> np.ndarray:
        if key not in index:
            return np.full(len(body), np.nan)
        values, ok, blank = _parse_text_floats(column(key))
        bad = ~ok | (blank & required)
        reasons.append(f"'{key}' is {'missing or ' if required else ''}not a number")
        reason[(reason == 0) & bad] = len(reasons) - 1
        return values

    e = numbers("e", True)
    a = numbers("a", "q" not in index)
    if "q" in index:
        q = numbers("q", "a" not in index)
        a = np.where(np.isfinite(a), a, q / (1.0 - e))
    i = numbers("i", True)
    node, peri, mean = numbers("om", True), numbers("w", True), numbers("ma", True)
    epoch = numbers("epoch", True) if "epoch" in index else numbers("epoch_mjd", True) + 2400000.5
    for bad, text in (((e < 0) | (e >= 1), "e = {e} is not an elliptic orbit"),
                      (~(a > 0), "a = {a} AU is not positive"),
                      ((i < 0) | (i > 180), "i = {i} degrees is out of range")):
        reasons.append(text)
        reason[(reason == 0) & bad] = len(reasons) - 1
    number, designation, proper = _sbdb_identity(column, index, len(body))
    spec = np.zeros(len(body), dtype="S8")
    for key in ("spec_T", "spec_B"):  # spec_B (SMASS) wins over spec_T (Tholen)
        if key in index:
            given = np.char.encode(column(key), "ascii", "replace").astype("S8")
            spec = np.where(given != b"", given, spec)
    group = np.full(len(body), -1, dtype=np.int8)
    if "class" in index:
        from spaceviz.core.belt import GROUP_NAMES

        classes = np.char.upper(column("class"))
        for code, group_name in SBDB_CLASS_GROUPS.items():
            group[classes == code] = GROUP_NAMES.index(group_name)
    too_large = number > MAX_MPC_NUMBER  # not a real asteroid number: skip the row
    reasons.append(f"asteroid number is not between 1 and {MAX_MPC_NUMBER}")
    reason[(reason == 0) & too_large] = len(reasons) - 1
    number = np.where(too_large, -1, number)
    packed = np.where(number >= 0, pack_numbers(np.where(number > 0, number, 1)),
                      pack_designations(designation)[0]) if len(body) else np.zeros(0, "S8")
    part = {"reason": reason, "reasons": reasons, "number": number,
            "designation": designation, "name": proper, "packed": packed, "a_au": a, "e": e,
            "i_deg": i, "node_deg": node, "peri_deg": peri, "M_deg": mean, "epoch_tdb": epoch,
            "H": numbers("H", False), "G": numbers("G", False),
            "diameter_km": numbers("diameter", False), "spec": spec, "group": group,
            "fields": {"e": e, "a": a, "i": i}}
    return _assemble([part], line_numbers, name, "SBDB CSV")


def _parse_text_floats(text: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    blank = text == ""
    values = np.full(len(text), np.nan)
    ok = blank.copy()
    try:
        values[~blank] = text[~blank].astype(np.float64)
        ok[:] = True
    except ValueError:
        for k in np.flatnonzero(~blank):  # only when the column holds something unreadable
            try:
                values[k] = float(text[k])
                ok[k] = True
            except ValueError:
                pass
    ok &= np.isfinite(values) | blank
    return values, ok, blank


def _sbdb_identity(column, index: dict, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(number, designation, name) from SBDB's pdes / name / full_name columns."""
    number = np.full(n, -1, dtype=np.int64)
    designation = np.full(n, "", dtype=object)
    proper = np.full(n, "", dtype=object)
    if "full_name" in index:  # "     1 Ceres (A801 AA)", "       (2000 SG344)"
        split = np.char.partition(column("full_name"), "(").reshape(n, 3)
        before, after = split[:, 0], split[:, 2]
        inner = np.char.strip(np.char.rstrip(after, ")"))
        split = np.char.partition(np.char.strip(before), " ").reshape(n, 3)
        head, outer = split[:, 0], split[:, 2]
        numeric = np.char.isdigit(head)
        num = np.where(numeric, np.where(numeric, head, "0"), "-1").astype(np.int64)
        number = np.where(num >= 0, num, number)
        outer = np.char.strip(np.where(numeric, outer, np.char.strip(before)))
        designation = np.where(num >= 0, inner, np.where(inner != "", inner, outer))
        proper = np.where(num >= 0, outer, "")
    if "pdes" in index:
        pdes = column("pdes")
        numeric = np.char.isdigit(pdes) & (pdes != "")
        number = np.where(numeric, np.where(numeric, pdes, "0").astype(np.int64), number)
        designation = np.where(~numeric & (pdes != ""), pdes, designation)
    if "name" in index:
        given = column("name")
        proper = np.where(given != "", given, proper)
    old_style = np.char.startswith(designation.astype(str), "A") & (number >= 0)
    designation = np.where(old_style, "", designation)  # "A801 AA" is not an MPC designation

    def encode(values, width):
        return np.char.encode(values.astype(str), "ascii", "replace").astype(f"S{width}")

    return number.astype(np.int32), encode(designation, 16), encode(proper, 20)


# ---------------------------------------------------------------------------------------------
# loading, size checks, lookup


def available_memory_bytes() -> int:
    """Memory available to this process (MemAvailable on Linux, else physical pages)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 8 << 30


def check_fits_in_memory(n_rows: int, source: str = "catalogue",
                         bytes_per_row: int = PARSE_BYTES_PER_ROW) -> int:
    """Estimated bytes to load n_rows; raises CatalogTooLargeError when it would not fit."""
    estimate = int(n_rows) * (bytes_per_row + CATALOG_DTYPE.itemsize)
    if n_rows > MAX_CATALOG_ROWS:
        raise CatalogTooLargeError(
            f"{source}: about {n_rows:,} rows is more than spaceviz loads "
            f"({MAX_CATALOG_ROWS:,}); use a smaller extract")
    available = available_memory_bytes()
    if estimate > 0.8 * available:
        raise CatalogTooLargeError(
            f"{source}: about {n_rows:,} rows needs ~{estimate / 2**30:.1f} GiB to load but only "
            f"{available / 2**30:.1f} GiB of memory is available")
    return estimate


def _uncompressed_size(path: Path) -> int:
    size = path.stat().st_size
    with open(path, "rb") as f:
        if f.read(2) != b"\x1f\x8b":
            return size
        f.seek(-4, os.SEEK_END)
        isize = int.from_bytes(f.read(4), "little")
    # ISIZE is the size modulo 2**32: take the smallest plausible value at >= 2x compression
    while isize < 2 * size:
        isize += 1 << 32
    return isize


def _looks_like_csv(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \r\n\t").split(b"\n", 1)[0]
    fields = {f.strip().strip(b'"').decode("ascii", "replace") for f in head.split(b",")}
    return len(fields) > 3 and bool(fields & {"full_name", "pdes", "ma", "om", "epoch"})


def load_catalog(path: str | os.PathLike) -> Catalog:
    """Load MPCORB.DAT, MPCORB.DAT.gz or a JPL SBDB CSV export (sniffed from its content)."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"catalogue file '{path}' not found")
    size = _uncompressed_size(path)
    check_fits_in_memory(size // 150, source=str(path))
    try:
        data = _read_bytes(path.read_bytes())
    except OSError as exc:
        raise UserError(f"cannot read catalogue file '{path}': {exc.strerror}") from None
    if _looks_like_csv(data):
        return parse_sbdb_csv(data, name=str(path))
    return parse_mpcorb(data, name=str(path))


def find(catalog: Catalog, query: str | int) -> int:
    """Row index of an asteroid by name, number or designation, case-insensitive.

    Accepts 'Ceres', 1, '1', '(1) Ceres', '1 Ceres', '2014 AA', 'K14A00A'; a unique prefix of
    a name (2+ characters) also resolves. Raises UnknownNameError listing the candidates when
    several asteroids match, or some known names when none does.
    """
    text = " ".join(str(query).split())
    if not text:
        raise UnknownNameError(str(query))
    key = text.upper().encode("ascii", "replace")
    for field_name in ("designation", "name", "packed"):
        if len(key) <= catalog.records.dtype[field_name].itemsize:
            hits = np.flatnonzero(catalog.upper(field_name) == key)
            if len(hits):
                return _one(catalog, text, hits)
    match = re.fullmatch(r"\(?\s*(\d+)\s*\)?(?:\s+(.+))?", text)
    if match:
        hits = np.flatnonzero(catalog.records["number"] == int(match.group(1)))
        rest = match.group(2)
        if len(hits) and rest:
            label = rest.upper().encode("ascii", "replace")
            agree = ((catalog.upper("name")[hits] == label)
                     | (catalog.upper("designation")[hits] == label))
            if not np.any(agree):
                raise UnknownNameError(text, candidates=list(catalog.display_names(hits)))
            hits = hits[agree]
        if len(hits):
            return _one(catalog, text, hits)
    if len(key) >= 2:
        hits = np.flatnonzero(np.char.startswith(catalog.upper("name"), key))
        if len(hits):
            return _one(catalog, text, hits)
    shown = list(catalog.display_names(np.arange(min(len(catalog), 20))))
    raise UnknownNameError(text, known=shown)


def _one(catalog: Catalog, text: str, hits: np.ndarray) -> int:
    if len(hits) == 1:
        return int(hits[0])
    names = list(catalog.display_names(hits[:10]))
    if len(hits) > 10:
        names.append(f"... ({len(hits) - 10} more)")
    raise UnknownNameError(text, candidates=names)


def spectral_class_ids(spec: np.ndarray) -> np.ndarray:
    """Indices in spaceviz.core.belt.CLASS_NAMES from spectral class strings, vectorised."""
    from spaceviz.core.belt import CLASS_NAMES

    letters = _as_matrix(np.asarray(spec, dtype="S8"))[:, 0] if len(spec) else np.zeros(0, np.uint8)
    lut = np.full(256, CLASS_NAMES.index("other"), dtype=np.int8)
    lut[0] = CLASS_NAMES.index("unknown")
    lut[_SPACE] = CLASS_NAMES.index("unknown")
    for chars, cls in (("CBFG", "C"), ("SQAKL", "S"), ("M", "M"), ("X", "X"), ("V", "V"),
                       ("D", "D")):
        for ch in chars:
            lut[ord(ch)] = lut[ord(ch.lower())] = CLASS_NAMES.index(cls)
    return lut[letters]


# ---------------------------------------------------------------------------------------------
# writing MPCORB (benchmarks, tests, exporting synthetic belts)


def _fixed(values: np.ndarray, width: int, decimals: int) -> np.ndarray:
    """(n, width) ASCII of non-negative numbers in Fortran F{width}.{decimals} layout."""
    scaled = np.round(np.asarray(values, dtype=np.float64) * 10.0 ** decimals).astype(np.int64)
    if np.any((scaled < 0) | (scaled >= 10 ** (width - 1))):
        raise ValueError(f"a value does not fit the F{width}.{decimals} MPCORB field")
    digits = _digits(scaled, width - 1)
    out = np.empty((len(scaled), width), dtype=np.uint8)
    point = width - 1 - decimals
    out[:, :point] = digits[:, :point]
    out[:, point] = _DOT
    out[:, point + 1:] = digits[:, point:]
    lead = np.logical_and.accumulate(out[:, :point - 1] == 48, axis=1)  # keep "0." before dot
    out[:, :point - 1][lead] = _SPACE
    return out


# columns 104-166: U, reference, #obs, #opp, arc, rms, perturbers, computer, flags
_MPC_FILLER = b"  0 spaceviz    100  10 2000-2024 0.50 M-v 38h spaceviz   0000 "
assert len(_MPC_FILLER) == 63


def write_mpcorb(records: np.ndarray, fileobj: BinaryIO, header: bool = True,
                 number_unnumbered: bool = False) -> int:
    """Write catalogue records as MPCORB.DAT lines (202 columns); returns the line count.

    Rows with neither an MPC number nor a packable provisional designation raise ValueError,
    unless `number_unnumbered` gives them numbers 1, 2, ... in row order (for synthetic
    belts). Epochs must be 0h dates. Unknown H/G are left blank.
    """
    n = len(records)
    number = records["number"].astype(np.int64)
    packed_des, ok = pack_designations(records["designation"])
    missing = (number < 0) & ~ok
    if np.any(missing):
        if not number_unnumbered:
            raise ValueError(f"{int(missing.sum())} records have no MPC number or packable "
                             "designation (use number_unnumbered=True)")
        number = np.where(missing, np.arange(1, n + 1), number)
    out = np.full((n, 203), _SPACE, dtype=np.uint8)
    out[:, 202] = 10
    numbered = number >= 0
    packed = np.where(numbered, pack_numbers(np.where(numbered, number, 1)), packed_des)
    out[:, 0:7] = np.pad(_as_matrix(packed.astype("S7")), ((0, 0), (0, 0)))
    out[:, 0:7][out[:, 0:7] == 0] = _SPACE
    for col, key in ((8, "H"), (14, "G")):
        value = records[key].astype(np.float64)
        known = np.isfinite(value) & (value >= 0) & (value < 100)
        out[known, col:col + 5] = _fixed(value[known], 5, 2)
    out[:, 20:25] = _as_matrix(pack_epochs(records["epoch_tdb"]))
    for col, key in ((26, "M_rad"), (37, "peri_rad"), (48, "node_rad"), (59, "i_rad")):
        deg = np.degrees(records[key])
        if key != "i_rad":
            deg = np.mod(deg, 360.0)
            deg = np.where(np.round(deg, 5) >= 360.0, 0.0, deg)
        out[:, col:col + 9] = _fixed(deg, 9, 5)
    out[:, 70:79] = _fixed(records["e"], 9, 7)
    from spaceviz.core.orbits import mean_motion_rad_per_day

    out[:, 80:91] = _fixed(np.degrees(mean_motion_rad_per_day(records["a_au"])), 11, 8)
    out[:, 92:103] = _fixed(records["a_au"], 11, 7)
    out[:, 103:166] = np.frombuffer(_MPC_FILLER, dtype=np.uint8)
    label = np.where(_as_matrix(records["name"]).any(axis=1), records["name"],
                     records["designation"]).astype("S20")
    label_m = _as_matrix(label)
    num_m = _left_digits(np.maximum(number, 0), 8)
    ndig = np.count_nonzero(num_m, axis=1)
    close = np.zeros((n, 2), dtype=np.uint8)
    close[:, 0] = _PAREN
    close[label_m.any(axis=1), 1] = _SPACE
    open_m = np.full((n, 1), ord("("), dtype=np.uint8)
    text = np.where(numbered[:, None],
                    _concat_left([open_m, num_m, close, label_m])[:, :28],
                    np.pad(label_m, ((0, 0), (0, 8)))[:, :28])
    offset = np.where(numbered, np.maximum(0, 7 - (ndig + 1)), 9)
    cols = offset[:, None] + np.arange(28)
    field_m = np.zeros((n, 28 + 9), dtype=np.uint8)
    np.put_along_axis(field_m, cols, text, axis=1)
    field_m = field_m[:, :28]
    field_m[field_m == 0] = _SPACE
    out[:, 166:194] = field_m
    out[:, 194:202] = np.frombuffer(b"20240101", dtype=np.uint8)
    written = 0
    if header:
        rule = b"-" * 160 + b"\n"
        fileobj.write(b"MINOR PLANET CENTER ORBIT DATABASE (MPCORB) - written by spaceviz\n\n"
                      b"Des'n     H     G   Epoch     M        Peri.      Node       Incl."
                      b"       e            n           a        Reference #Obs #Opp    Arc"
                      b"    rms  Perts   Computer\n\n" + rule)
    for lo in range(0, n, _CHUNK_ROWS):
        fileobj.write(out[lo:lo + _CHUNK_ROWS].tobytes())
        written += min(_CHUNK_ROWS, n - lo)
    return written


# ---------------------------------------------------------------------------------------------
# a synthetic belt

SYNTHETIC_EPOCH_TDB = 2460800.5  # 2025-05-05 0h TDB
KIRKWOOD_GAPS_AU = {"3:1": (2.502, 0.030), "5:2": (2.825, 0.020), "7:3": (2.958, 0.012),
                    "2:1": (3.279, 0.040)}
"""Resonance -> (centre, half width) in AU of the gaps carved into the synthetic main belt."""

_JUPITER_L0_DEG = 34.39644051       # mean longitude at J2000 (Standish, JPL approximate elements)
_JUPITER_L_RATE_DEG_PER_DAY = 3034.74612775 / 36525.0
_JUPITER_A_AU = 5.20288700


def synthetic_belt(n: int, seed: int = 1) -> Catalog:
    """A deterministic made-up asteroid population of n objects (labelled synthetic).

    Main belt (2.1-3.3 AU, Kirkwood gaps at 2.50, 2.82, 2.95, 3.27 AU), Hungarias, Hildas
    (~3.97 AU), Jupiter trojans (a ~ 5.2 AU, mean longitude Jupiter's +-60 degrees) and NEOs.
    Ecliptic J2000 elements at SYNTHETIC_EPOCH_TDB; groups index spaceviz.core.belt.GROUP_NAMES.
    """
    from spaceviz.core.belt import GROUP_NAMES

    if n < 0:
        raise ValueError("n must be >= 0")
    check_fits_in_memory(n, source="synthetic belt", bytes_per_row=200)
    rng = np.random.default_rng(seed)
    shares = {"Main belt": 0.905, "Inner (Hungaria)": 0.012, "Hilda": 0.013,
              "Jupiter trojan": 0.045, "Near-Earth": 0.025}
    counts = {k: int(round(v * n)) for k, v in shares.items()}
    counts["Main belt"] += n - sum(counts.values())
    a, e, i, group = [], [], [], []

    def add(name, a_k, e_k, i_k):
        a.append(a_k)
        e.append(e_k)
        i.append(i_k)
        group.append(np.full(len(a_k), GROUP_NAMES.index(name), dtype=np.int8))

    k = counts["Main belt"]
    add("Main belt", _main_belt_a(rng, k), np.clip(rng.rayleigh(0.09, k), 0.0, 0.35),
        np.clip(rng.rayleigh(7.5, k), 0.0, 35.0))
    k = counts["Inner (Hungaria)"]
    add("Inner (Hungaria)", rng.uniform(1.80, 2.00, k), rng.uniform(0.02, 0.17, k),
        rng.uniform(16.0, 34.0, k))
    k = counts["Hilda"]
    add("Hilda", rng.normal(3.97, 0.03, k), rng.uniform(0.05, 0.30, k),
        np.clip(rng.rayleigh(8.0, k), 0.0, 20.0))
    k = counts["Jupiter trojan"]
    add("Jupiter trojan", rng.normal(_JUPITER_A_AU, 0.03, k), np.clip(rng.rayleigh(0.06, k), 0, 0.2),
        np.clip(rng.rayleigh(12.0, k), 0.0, 40.0))
    k = counts["Near-Earth"]
    a_neo = np.exp(rng.normal(np.log(1.7), 0.35, k)).clip(0.7, 4.0)
    q_neo = rng.uniform(0.3, 1.3, k)
    q_neo = np.minimum(q_neo, 0.97 * a_neo)
    add("Near-Earth", a_neo, np.clip(1.0 - q_neo / a_neo, 0.01, 0.95),
        np.clip(rng.rayleigh(11.0, k), 0.0, 60.0))
    a_au, e_, i_deg, grp = (np.concatenate(x) for x in (a, e, i, group))
    node = rng.uniform(0.0, 360.0, n)
    peri = rng.uniform(0.0, 360.0, n)
    mean = rng.uniform(0.0, 360.0, n)
    trojan = grp == GROUP_NAMES.index("Jupiter trojan")
    if np.any(trojan):  # lambda = node + peri + M librating about Jupiter's lambda +- 60
        lam_j = _JUPITER_L0_DEG + _JUPITER_L_RATE_DEG_PER_DAY * (SYNTHETIC_EPOCH_TDB - 2451545.0)
        side = np.where(rng.random(int(trojan.sum())) < 0.6, 60.0, -60.0)  # L4 more populous
        lam = lam_j + side + rng.normal(0.0, 12.0, int(trojan.sum()))
        mean[trojan] = np.mod(lam - node[trojan] - peri[trojan], 360.0)
    records = np.zeros(n, dtype=CATALOG_DTYPE)
    records["number"] = -1
    serial = np.concatenate([np.frombuffer(b"SYN ", np.uint8)[None, :].repeat(n, 0),
                             _digits(np.arange(1, n + 1), 7)], axis=1) if n else np.zeros((0, 11))
    records["designation"] = _as_strings(serial) if n else records["designation"]
    records["a_au"], records["e"], records["i_rad"] = a_au, e_, np.radians(i_deg)
    records["node_rad"], records["peri_rad"] = np.radians(node), np.radians(peri)
    records["M_rad"], records["epoch_tdb"] = np.radians(mean), SYNTHETIC_EPOCH_TDB
    records["H"] = np.where(grp == GROUP_NAMES.index("Near-Earth"), rng.uniform(15, 25, n),
                            10.0 + 9.0 * rng.power(2.5, n)).astype(np.float32)
    records["G"] = 0.15
    records["diameter_km"] = np.nan
    records["group"] = grp
    summary = CatalogSummary(source=f"synthetic belt (n={n}, seed={seed})", format="synthetic",
                             loaded=n, synthetic=True)
    return Catalog(records, summary)


def _main_belt_a(rng: np.random.Generator, k: int) -> np.ndarray:
    """Semi-major axes (AU) of the main belt with most objects removed from the Kirkwood gaps."""

    a = rng.normal(2.72, 0.28, k)
    stays_in_gap = rng.random(k) < 0.03  # a thin residue, as in the real gaps
    for _ in range(60):  # redraw rounds, each over the few objects still to place
        redo = (a < 2.1) | (a > 3.3)
        for centre, half in KIRKWOOD_GAPS_AU.values():
            redo |= (np.abs(a - centre) < half) & ~stays_in_gap
        redo = np.flatnonzero(redo)
        if len(redo) == 0:
            break
        a[redo] = rng.normal(2.72, 0.28, len(redo))
    return np.clip(a, 2.1, 3.3)
