"""CCSDS Orbit Ephemeris Message (OEM 2.0, KVN form): read, interpolate and write.

The reader takes text, bytes or an open file (tests feed inline strings) and reports every
problem it finds as an InputFileError of Problems naming file, line and keyword. It accepts
OEM 1.0, 2.0 and 3.0 KVN; skips COMMENT lines and COVARIANCE blocks; supports TIME_SYSTEM TDB,
TT, TAI, GPS and UTC (epochs are converted to TDB Julian dates on reading); REF_FRAME ICRF,
GCRF (ICRF axes) and EME2000 (the mean equator and equinox of J2000; converted to ICRF with the
IERS 2003 frame bias applied, a ~23 mas rotation, ~17 km at 1 AU); CENTER_NAME any major body
of the ephemeris or the solar-system barycentre. Data lines carry an epoch, position (km) and
velocity (km/s), optionally acceleration (km/s^2, kept but not used).

The writer emits OEM 2.0 KVN in TDB with ISO calendar epochs (microseconds).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from spaceviz.core.astro.bodies import canonical_body_name
from spaceviz.core.errors import InputFileError, Problem

SUPPORTED_VERSIONS = ("1.0", "2.0", "3.0")
TIME_SYSTEMS = ("TDB", "TT", "TAI", "GPS", "UTC")
REF_FRAMES = ("ICRF", "GCRF", "EME2000")
INTERPOLATIONS = ("LAGRANGE", "HERMITE", "LINEAR")
DEFAULT_INTERPOLATION = ("HERMITE", 5)
"""Used when a segment names no INTERPOLATION (state vectors carry velocities)."""

HEADER_KEYS = ("CLASSIFICATION", "CREATION_DATE", "ORIGINATOR", "MESSAGE_ID")
"""OEM header keywords (CCSDS 502.0-B-3; CLASSIFICATION and MESSAGE_ID are optional)."""
REQUIRED_HEADER_KEYS = ("CREATION_DATE", "ORIGINATOR")
META_KEYS = ("OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME", "REF_FRAME_EPOCH",
             "TIME_SYSTEM", "START_TIME", "USEABLE_START_TIME", "USEABLE_STOP_TIME",
             "STOP_TIME", "INTERPOLATION", "INTERPOLATION_DEGREE")
REQUIRED_META_KEYS = ("OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME", "TIME_SYSTEM",
                      "START_TIME", "STOP_TIME")
EPOCH_TOLERANCE_DAYS = 1e-8
"""Slack (about 1 ms) when checking data epochs against START_TIME/STOP_TIME."""
MAX_PROBLEMS = 100

_JD_OF_ORDINAL_ZERO = 1721424.5  # JD at 00:00 of proleptic Gregorian ordinal 0
_KEY_VALUE = re.compile(r"^([A-Z0-9_]+)\s*=\s*(.*?)\s*$")
_EPOCH = re.compile(
    r"^(\d{4})-(?:(\d{2})-(\d{2})|(\d{3}))T(\d{2}):(\d{2}):(\d{2}(?:\.\d*)?)Z?$")

# IERS 2003 frame bias (ICRS -> mean J2000): dalpha0, xi0, eta0 in milliarcseconds.
_MAS = math.radians(1.0 / 3.6e6)
_DA0, _XI0, _ETA0 = -14.6 * _MAS, -16.6170 * _MAS, -6.8192 * _MAS
ICRF_TO_EME2000 = np.array([
    [1.0 - 0.5 * (_DA0 ** 2 + _XI0 ** 2), _DA0, -_XI0],
    [-_DA0 - _ETA0 * _XI0, 1.0 - 0.5 * (_DA0 ** 2 + _ETA0 ** 2), -_ETA0],
    [_XI0 - _ETA0 * _DA0, _ETA0 + _XI0 * _DA0, 1.0 - 0.5 * (_ETA0 ** 2 + _XI0 ** 2)],
])
"""Frame bias matrix B: r_EME2000 = B r_ICRF (second order in the small angles)."""


@dataclass
class OemSegment:
    """One metadata + data block. Times TDB JD; positions km, velocities km/s, in REF_FRAME
    relative to CENTER_NAME; arrays (3, N)."""

    metadata: dict[str, str]
    t_tdb: np.ndarray
    pos_km: np.ndarray
    vel_km_s: np.ndarray
    acc_km_s2: np.ndarray | None
    start_tdb: float
    stop_tdb: float
    useable_start_tdb: float
    useable_stop_tdb: float
    line: int = 0
    """Line of the segment's META_START."""
    comments: list[str] = field(default_factory=list)

    @property
    def object_name(self) -> str:
        return self.metadata["OBJECT_NAME"]

    @property
    def object_id(self) -> str:
        return self.metadata["OBJECT_ID"]

    @property
    def center(self) -> str:
        """CENTER_NAME as spaceviz names it ('Sun', 'Earth', 'Moon', 'SSB', ...)."""
        return _center(self.metadata["CENTER_NAME"]) or self.metadata["CENTER_NAME"]

    @property
    def ref_frame(self) -> str:
        return self.metadata["REF_FRAME"].upper()

    @property
    def time_system(self) -> str:
        return self.metadata["TIME_SYSTEM"].upper()

    @property
    def interpolation(self) -> tuple[str, int]:
        """(method, degree) from INTERPOLATION / INTERPOLATION_DEGREE, or the default."""
        method = self.metadata.get("INTERPOLATION")
        if method is None:
            return DEFAULT_INTERPOLATION
        method = method.upper()
        degree = int(self.metadata.get("INTERPOLATION_DEGREE", "1" if method == "LINEAR" else
                                       str(DEFAULT_INTERPOLATION[1])))
        return method, (1 if method == "LINEAR" else degree)


@dataclass
class OemMessage:
    """A parsed OEM: header keywords and segments in file order."""

    version: str
    header: dict[str, str]
    segments: list[OemSegment]
    filename: str = "<oem>"
    comments: list[str] = field(default_factory=list)

    @property
    def originator(self) -> str:
        return self.header.get("ORIGINATOR", "")

    @property
    def object_name(self) -> str:
        return self.segments[0].object_name


# --------------------------------------------------------------------------- epochs

def _center(value: str) -> str | None:
    """The ephemeris name of an OEM CENTER_NAME: a body, a planet's barycentre (EARTH
    BARYCENTER is the Earth-Moon barycentre) or the solar-system barycentre; None otherwise."""
    key = " ".join(value.strip().split()).upper().replace("BARYCENTRE", "BARYCENTER")
    if key in ("SSB", "SOLAR SYSTEM BARYCENTER"):
        return "SSB"
    if key in ("EMB", "EARTH-MOON BARYCENTER", "EARTH MOON BARYCENTER"):
        key = "EARTH BARYCENTER"
    return canonical_body_name(key)


def _parse_calendar(text: str) -> tuple[int, float] | str:
    """(ordinal day, seconds of day) of an OEM epoch, or a message saying what is wrong."""
    match = _EPOCH.match(text.strip())
    if not match:
        return (f"'{text}' is not an epoch like 2030-01-01T00:00:00.000 "
                f"(or 2030-001T00:00:00, day of year)")
    year = int(match.group(1))
    try:
        if match.group(4) is not None:
            doy = int(match.group(4))
            if not 1 <= doy <= (366 if _leap(year) else 365):
                return f"day of year {doy} does not exist in {year}"
            ordinal = dt.date(year, 1, 1).toordinal() + doy - 1
        else:
            ordinal = dt.date(year, int(match.group(2)), int(match.group(3))).toordinal()
    except ValueError as exc:
        return f"'{text}': {exc}"
    hour, minute, second = int(match.group(5)), int(match.group(6)), float(match.group(7))
    if hour > 23 or minute > 59 or second >= 61.0:
        return f"'{text}': time of day out of range"
    return ordinal, hour * 3600.0 + minute * 60.0 + second


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _to_tdb(ordinals: np.ndarray, seconds: np.ndarray, time_system: str) -> np.ndarray:
    """TDB Julian dates of calendar epochs (ordinal day, seconds of day) in a time system."""
    if time_system == "UTC":
        from spaceviz.core.astro.time import timescale

        dates = [dt.date.fromordinal(int(o)) for o in ordinals]
        t = timescale().utc(np.array([d.year for d in dates]), np.array([d.month for d in dates]),
                            np.array([d.day for d in dates]), 0, 0, seconds)
        return np.asarray(t.tdb, dtype=np.float64)
    jd = (ordinals.astype(np.float64) + _JD_OF_ORDINAL_ZERO) + seconds / 86400.0
    if time_system == "TDB":
        return jd
    from spaceviz.core.astro.time import timescale

    ts = timescale()
    if time_system == "TT":
        return np.asarray(ts.tt_jd(jd).tdb, dtype=np.float64)
    if time_system == "GPS":
        jd = jd + 19.0 / 86400.0  # TAI = GPS + 19 s
    return np.asarray(ts.tai_jd(jd).tdb, dtype=np.float64)


def format_epoch_tdb(t_tdb: float) -> str:
    """ISO calendar epoch (TDB, microseconds) of a TDB Julian date: 2030-01-01T00:00:00.000000."""
    t = float(t_tdb)
    midnight = math.floor(t - 0.5) + 0.5
    micro = round((t - midnight) * 86400.0 * 1e6)
    ordinal = int(midnight - _JD_OF_ORDINAL_ZERO)
    if micro >= 86_400_000_000:
        ordinal += 1
        micro -= 86_400_000_000
    day = dt.date.fromordinal(ordinal)
    seconds, micro = divmod(micro, 1_000_000)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    return f"{day.isoformat()}T{hours:02d}:{minutes:02d}:{seconds:02d}.{micro:06d}"


# --------------------------------------------------------------------------- reading

def _read_text(source) -> tuple[str, str | None]:
    if isinstance(source, bytes | bytearray):
        return bytes(source).decode("utf-8", errors="replace"), None
    if isinstance(source, str):
        return source, None
    name = getattr(source, "name", None)
    data = source.read()
    if isinstance(data, bytes):
        data = data.decode("utf-8", errors="replace")
    return data, (str(name) if isinstance(name, str | os.PathLike) else None)


class _SegmentBuilder:
    def __init__(self, line: int):
        self.line = line
        self.metadata: dict[str, str] = {}
        self.meta_lines: dict[str, int] = {}
        self.comments: list[str] = []
        self.meta_stop_line = line
        self.rows: list[list[float]] = []
        self.row_lines: list[int] = []
        self.ordinals: list[int] = []
        self.seconds: list[float] = []
        self.epoch_text: list[str] = []
        self.has_acc: bool | None = None
        self.bad_meta = False
        self.data_in_meta = False


class _Parser:
    def __init__(self, text: str, filename: str):
        self.lines = text.splitlines()
        self.filename = filename
        self.problems: list[Problem] = []
        self.version = ""
        self.header: dict[str, str] = {}
        self.header_lines: dict[str, int] = {}
        self.comments: list[str] = []
        self.segments: list[_SegmentBuilder] = []
        self.misplaced = False  # metadata or data seen outside a segment (reported once)

    def problem(self, line: int, field_name: str, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.filename, line, field_name, message))

    def parse(self) -> OemMessage:
        state = "start"
        segment: _SegmentBuilder | None = None
        covariance_line = 0
        for number, raw in enumerate(self.lines, start=1):
            line = raw.strip()
            if not line:
                continue
            if line.startswith("COMMENT"):
                text = line[7:].strip()
                (segment.comments if segment is not None else self.comments).append(text)
                continue
            if state == "covariance":
                if line == "COVARIANCE_STOP":
                    state = "after_covariance"
                    continue
                if line != "META_START":
                    continue
                self.problem(number, "COVARIANCE_STOP", f"COVARIANCE_START on line "
                                                        f"{covariance_line} has no "
                                                        "COVARIANCE_STOP before this line")
                state = "data"
            if state == "start":
                state = "header"
                match = _KEY_VALUE.match(line)
                if match and match.group(1) == "CCSDS_OEM_VERS":
                    self.version = match.group(2)
                    if self.version not in SUPPORTED_VERSIONS:
                        self.problem(number, "CCSDS_OEM_VERS",
                                     f"version '{self.version}' is not supported (use "
                                     + ", ".join(SUPPORTED_VERSIONS) + ")")
                    continue
                self.problem(number, "CCSDS_OEM_VERS",
                             "an OEM must begin with 'CCSDS_OEM_VERS = 2.0' "
                             f"(found '{_short(line)}')")
            if line == "META_START":
                if state == "meta":
                    self.problem(number, "META_STOP", f"META_START on line {segment.line} "
                                                      "has no META_STOP before this line")
                    segment.bad_meta = True
                if state == "header":
                    self._check_header(number)
                segment = _SegmentBuilder(number)
                self.segments.append(segment)
                state = "meta"
                continue
            if state == "header":
                self._header_line(number, line)
                continue
            if state == "meta":
                if line == "META_STOP":
                    segment.meta_stop_line = number
                    state = "data"
                else:
                    self._meta_line(segment, number, line)
                continue
            if line == "COVARIANCE_START":
                covariance_line = number
                state = "covariance"
                continue
            if line in ("META_STOP", "COVARIANCE_STOP"):
                self.problem(number, line, f"{line} without a matching start")
                continue
            if state == "after_covariance":
                self.problem(number, "data", "data after a COVARIANCE block; start a new "
                                             "segment with META_START")
                continue
            self._data_line(segment, number, line)
        last = len(self.lines) or 1
        if state == "start":
            self.problem(1, "CCSDS_OEM_VERS", "the file is empty (an OEM begins with "
                                              "'CCSDS_OEM_VERS = 2.0')")
        elif state == "header":
            self._check_header(last)
            self.problem(last, "META_START", "no segment: the file has no META_START")
        elif state == "meta":
            self.problem(last, "META_STOP", f"META_START on line {segment.line} has no "
                                            "META_STOP")
        elif state == "covariance":
            self.problem(last, "COVARIANCE_STOP", f"COVARIANCE_START on line "
                                                  f"{covariance_line} has no COVARIANCE_STOP")
        segments = [self._finish(s) for s in self.segments]
        if self.problems:
            raise InputFileError(self.problems)
        return OemMessage(self.version, self.header, segments, self.filename, self.comments)

    # -- header and metadata

    def _header_line(self, number: int, line: str) -> None:
        match = _KEY_VALUE.match(line)
        if line == "META_STOP":
            self.problem(number, "META_STOP", "META_STOP without a matching META_START")
            return
        if not match:
            if _looks_like_data(line):
                if not self.misplaced:
                    self.problem(number, "META_START", "a data line before any META_START "
                                                       "(metadata block missing)")
                self.misplaced = True
            else:
                self.problem(number, "header", f"expected 'KEYWORD = value', found "
                                               f"'{_short(line)}'")
            return
        key, value = match.groups()
        if key in META_KEYS:
            if not self.misplaced:
                self.problem(number, "META_START", f"{key} before META_START: a metadata "
                                                   "block begins with META_START")
            self.misplaced = True
            return
        if key not in HEADER_KEYS:
            known = ", ".join(HEADER_KEYS)
            self.problem(number, key, f"unknown header keyword (expected one of {known}, "
                                      "then META_START)")
            return
        if key in self.header:
            self.problem(number, key, f"given twice (first on line {self.header_lines[key]})")
            return
        if key == "CREATION_DATE" and isinstance(_parse_calendar(value), str):
            self.problem(number, key, _parse_calendar(value))
        self.header[key] = value
        self.header_lines[key] = number

    def _check_header(self, number: int) -> None:
        for key in REQUIRED_HEADER_KEYS:
            if key not in self.header and not any(p.field == "CCSDS_OEM_VERS"
                                                  for p in self.problems):
                self.problem(number, key, f"the header has no {key} (required before "
                                          "the first META_START)")

    def _meta_line(self, seg: _SegmentBuilder, number: int, line: str) -> None:
        count = len(self.problems)
        self._meta_entry(seg, number, line)
        if len(self.problems) > count:
            seg.bad_meta = True

    def _meta_entry(self, seg: _SegmentBuilder, number: int, line: str) -> None:
        match = _KEY_VALUE.match(line)
        if not match:
            if _looks_like_data(line):
                if not seg.data_in_meta:  # once per block
                    self.problem(number, "META_STOP", f"a data line inside the metadata block "
                                                      f"begun on line {seg.line} (META_STOP "
                                                      "missing)")
                seg.data_in_meta = True
                seg.bad_meta = True
            else:
                self.problem(number, "metadata", f"expected 'KEYWORD = value', found "
                                                 f"'{_short(line)}'")
            return
        key, value = match.groups()
        if key not in META_KEYS:
            self.problem(number, key, "unknown metadata keyword (expected "
                                      + ", ".join(META_KEYS) + ")")
            return
        if key in seg.metadata:
            self.problem(number, key, f"given twice (first on line {seg.meta_lines[key]})")
            return
        seg.metadata[key] = value
        seg.meta_lines[key] = number
        upper = value.upper()
        if key == "REF_FRAME" and upper not in REF_FRAMES:
            self.problem(number, key, f"reference frame '{value}' is not supported (use "
                                      + ", ".join(REF_FRAMES) + ")")
        elif key == "TIME_SYSTEM" and upper not in TIME_SYSTEMS:
            self.problem(number, key, f"time system '{value}' is not supported (use "
                                      + ", ".join(TIME_SYSTEMS) + ")")
        elif key == "CENTER_NAME" and _center(value) is None:
            self.problem(number, key, f"center '{value}' is not supported (use SUN, EARTH, "
                                      "MOON, SOLAR SYSTEM BARYCENTER or a planet)")
        elif key == "INTERPOLATION" and upper not in INTERPOLATIONS:
            self.problem(number, key, f"interpolation '{value}' is not supported (use "
                                      + ", ".join(INTERPOLATIONS) + ")")
        elif key == "INTERPOLATION_DEGREE" and not (value.isdigit() and 1 <= int(value) <= 32):
            self.problem(number, key, f"'{value}' is not a degree from 1 to 32")
        elif key.endswith("_TIME") or key == "REF_FRAME_EPOCH":
            parsed = _parse_calendar(value)
            if isinstance(parsed, str):
                self.problem(number, key, parsed)

    # -- data

    def _data_line(self, seg: _SegmentBuilder, number: int, line: str) -> None:
        fields = line.split()
        if len(fields) not in (7, 10):
            self.problem(number, "data", f"expected an epoch and 6 numbers (position km, "
                                         f"velocity km/s) or 9 with accelerations; found "
                                         f"{len(fields) - 1} after the epoch")
            return
        epoch = _parse_calendar(fields[0])
        if isinstance(epoch, str):
            self.problem(number, "epoch", epoch)
            return
        try:
            values = [float(v) for v in fields[1:]]
        except ValueError:
            bad = next(v for v in fields[1:] if not _is_float(v))
            self.problem(number, "data", f"'{bad}' is not a number")
            return
        if not all(math.isfinite(v) for v in values):
            self.problem(number, "data", "numbers must be finite")
            return
        has_acc = len(values) == 9
        if seg.has_acc is None:
            seg.has_acc = has_acc
        elif seg.has_acc != has_acc:
            self.problem(number, "data", "some data lines have accelerations and some do not")
            return
        if seg.ordinals:
            previous = (seg.ordinals[-1], seg.seconds[-1])
            if epoch <= previous:
                self.problem(number, "epoch", f"epoch {fields[0]} is not after the previous "
                                              f"epoch {seg.epoch_text[-1]} (line "
                                              f"{seg.row_lines[-1]}); epochs must increase")
                return
        seg.ordinals.append(epoch[0])
        seg.seconds.append(epoch[1])
        seg.epoch_text.append(fields[0])
        seg.rows.append(values)
        seg.row_lines.append(number)

    def _finish(self, seg: _SegmentBuilder) -> OemSegment | None:
        missing = [k for k in REQUIRED_META_KEYS if k not in seg.metadata]
        for key in missing:
            self.problem(seg.meta_stop_line, key, f"the metadata block begun on line "
                                                  f"{seg.line} has no {key}")
        if missing or seg.bad_meta:
            return None
        if len(seg.rows) < 2:
            self.problem(seg.meta_stop_line, "data", f"the segment begun on line {seg.line} "
                                                     f"has {len(seg.rows)} state(s); at least 2 "
                                                     "are needed to interpolate")
            return None
        system = seg.metadata["TIME_SYSTEM"].upper()
        data = np.array(seg.rows, dtype=np.float64).T
        t_tdb = _to_tdb(np.array(seg.ordinals), np.array(seg.seconds), system)
        times = {}
        for key in ("START_TIME", "STOP_TIME", "USEABLE_START_TIME", "USEABLE_STOP_TIME"):
            if key in seg.metadata:
                ordinal, seconds = _parse_calendar(seg.metadata[key])
                times[key] = float(_to_tdb(np.array([ordinal]), np.array([seconds]), system)[0])
        start, stop = times["START_TIME"], times["STOP_TIME"]
        if stop < start:
            self.problem(seg.meta_lines["STOP_TIME"], "STOP_TIME", "STOP_TIME is before "
                                                                   "START_TIME")
        useable_start = times.get("USEABLE_START_TIME", start)
        useable_stop = times.get("USEABLE_STOP_TIME", stop)
        for key, value in (("USEABLE_START_TIME", useable_start),
                           ("USEABLE_STOP_TIME", useable_stop)):
            if key in times and not (start - EPOCH_TOLERANCE_DAYS <= value
                                     <= stop + EPOCH_TOLERANCE_DAYS):
                self.problem(seg.meta_lines[key], key, "outside START_TIME..STOP_TIME")
        if useable_stop < useable_start:
            self.problem(seg.meta_lines.get("USEABLE_STOP_TIME", seg.line), "USEABLE_STOP_TIME",
                         "USEABLE_STOP_TIME is before USEABLE_START_TIME")
        outside = (t_tdb < start - EPOCH_TOLERANCE_DAYS) | (t_tdb > stop + EPOCH_TOLERANCE_DAYS)
        for index in np.flatnonzero(outside)[:5]:
            self.problem(seg.row_lines[index], "epoch",
                         f"epoch {seg.epoch_text[index]} is outside START_TIME..STOP_TIME "
                         f"({seg.metadata['START_TIME']} to {seg.metadata['STOP_TIME']})")
        return OemSegment(dict(seg.metadata), t_tdb, data[0:3].copy(), data[3:6].copy(),
                          data[6:9].copy() if seg.has_acc else None, start, stop,
                          useable_start, useable_stop, seg.line, seg.comments)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _looks_like_data(line: str) -> bool:
    first = line.split()[0]
    return bool(_EPOCH.match(first)) or first[:4].isdigit()


def parse_oem(source: str | bytes | IO, filename: str | None = None) -> OemMessage:
    """Parse an OEM in KVN form from text, bytes or an open (text or binary) file.

    filename names the source in problems (default: the file object's name, or '<oem>').
    Raises InputFileError listing every problem as FILE:LINE: KEYWORD: message.
    """
    text, name = _read_text(source)
    parser = _Parser(text, filename or name or "<oem>")
    return parser.parse()


def read_oem(path: str | os.PathLike) -> OemMessage:
    """Read an OEM KVN file from a path (a missing or unreadable file is an InputFileError)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise InputFileError([Problem(str(path), 0, "oem", f"cannot read the file: "
                                                           f"{exc.strerror or exc}")]) from None
    return parse_oem(data, filename=str(path))


# --------------------------------------------------------------------------- interpolation

def to_icrf(vec: np.ndarray, ref_frame: str) -> np.ndarray:
    """Rotate (3, ...) vectors from an OEM REF_FRAME to ICRF axes (EME2000: frame bias)."""
    if ref_frame.upper() == "EME2000":
        return np.tensordot(ICRF_TO_EME2000.T, vec, axes=1)
    return vec


def _basis(u: np.ndarray, nodes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lagrange basis values L_j(u) and derivatives L_j'(u), (M, k), at u (M,) for nodes (M, k)."""
    k = nodes.shape[1]
    values = np.ones_like(nodes)
    derivs = np.zeros_like(nodes)
    for j in range(k):
        for m in range(k):
            if m == j:
                continue
            scale = 1.0 / (nodes[:, j] - nodes[:, m])
            factor = (u - nodes[:, m]) * scale
            partial = scale.copy()  # derivative term with factor m differentiated
            for i in range(k):
                if i not in (j, m):
                    partial = partial * (u - nodes[:, i]) / (nodes[:, j] - nodes[:, i])
            derivs[:, j] += partial
            values[:, j] *= factor
    return values, derivs


def interpolate_segment(segment: OemSegment, t_tdb: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Position (km) and velocity (km/s) at TDB time(s), in the segment's frame and center.

    Lagrange of degree d uses d+1 nodes (positions and velocities interpolated separately);
    Hermite of degree d uses (d+1)//2 nodes (at least 2) with positions and velocities, the
    velocity being the derivative of the position polynomial; LINEAR is Lagrange of degree 1.
    The window of nodes is centred on each time and shrinks if the segment is short. Times
    outside the segment are extrapolated; callers clip to the useable span.
    """
    t = np.asarray(t_tdb, dtype=np.float64)
    flat = t.reshape(-1)
    method, degree = segment.interpolation
    n = segment.t_tdb.size
    k = min(max((degree + 1) // 2, 2), n) if method == "HERMITE" else min(degree + 1, n)
    right = np.searchsorted(segment.t_tdb, flat)
    first = np.clip(right - k // 2, 0, n - k)
    index = first[:, None] + np.arange(k)
    origin = segment.t_tdb[first]
    nodes = (segment.t_tdb[index] - origin[:, None]) * 86400.0  # seconds
    u = (flat - origin) * 86400.0
    basis, dbasis = _basis(u, nodes)
    pos = segment.pos_km[:, index]  # (3, M, k)
    vel = segment.vel_km_s[:, index]
    if method == "HERMITE":
        slope = np.zeros_like(nodes)  # L_j'(t_j)
        for j in range(k):
            for m in range(k):
                if m != j:
                    slope[:, j] += 1.0 / (nodes[:, j] - nodes[:, m])
        du = u[:, None] - nodes
        a = 1.0 - 2.0 * slope * du
        square = basis * basis
        term = a * pos + du * vel
        p = np.sum(term * square, axis=-1)
        v = np.sum((-2.0 * slope * pos + vel) * square + term * 2.0 * basis * dbasis, axis=-1)
    else:
        p = np.sum(pos * basis, axis=-1)
        v = np.sum(vel * basis, axis=-1)
    return p.reshape((3,) + t.shape), v.reshape((3,) + t.shape)


# --------------------------------------------------------------------------- writing

def _center_name(center: str) -> str:
    canonical = _center(center)
    if canonical is None:
        raise ValueError(f"center '{center}' is not a body spaceviz knows")
    return "SOLAR SYSTEM BARYCENTER" if canonical == "SSB" else canonical.upper()


class OemData(NamedTuple):
    """One segment to write: TDB epochs (N,), positions (km) and velocities (km/s) (3, N)
    relative to `center` ('Sun', 'Earth', 'Moon', 'SSB', ...), and a comment."""

    times_tdb: ArrayLike
    pos_km: ArrayLike
    vel_km_s: ArrayLike
    center: str = "Sun"
    comment: str = ""


def write_oem(fileobj: IO[str], ship_name: str, segments: Iterable[OemData],
              frame: str = "ICRF", originator: str = "spaceviz", *, object_id: str | None = None,
              interpolation: str = "HERMITE", interpolation_degree: int = 7,
              comments: Iterable[str] = (), creation_date: dt.datetime | None = None) -> None:
    """Write an OEM 2.0 KVN message with one segment per OemData (a ship's legs), in
    `frame` ('ICRF', 'GCRF' or 'EME2000'; the caller rotates). Numbers carry 16 significant
    digits, epochs microseconds."""
    if frame.upper() not in REF_FRAMES:
        raise ValueError(f"frame must be one of {', '.join(REF_FRAMES)}")
    if interpolation.upper() not in INTERPOLATIONS:
        raise ValueError(f"interpolation must be one of {', '.join(INTERPOLATIONS)}")
    created = creation_date or dt.datetime.now(dt.UTC)
    out = io.StringIO()
    out.write("CCSDS_OEM_VERS = 2.0\n")
    for comment in comments:
        out.write(f"COMMENT {comment}\n")
    out.write(f"CREATION_DATE = {created.strftime('%Y-%m-%dT%H:%M:%S')}\n")
    out.write(f"ORIGINATOR = {originator}\n")
    written = 0
    for segment in segments:
        times = np.asarray(segment.times_tdb, dtype=np.float64).reshape(-1)
        pos = np.asarray(segment.pos_km, dtype=np.float64).reshape(3, -1)
        vel = np.asarray(segment.vel_km_s, dtype=np.float64).reshape(3, -1)
        if times.size < 2 or pos.shape[1] != times.size or vel.shape[1] != times.size:
            raise ValueError("write_oem needs at least 2 times and (3, N) positions and "
                             "velocities per segment")
        if np.any(np.diff(times) <= 0):
            raise ValueError("write_oem needs strictly increasing times")
        epochs = [format_epoch_tdb(t) for t in times]
        out.write("\nMETA_START\n")
        if segment.comment:
            out.write(f"COMMENT {segment.comment}\n")
        out.write(f"OBJECT_NAME = {ship_name}\n")
        out.write(f"OBJECT_ID = {object_id or ship_name}\n")
        out.write(f"CENTER_NAME = {_center_name(segment.center)}\n")
        out.write(f"REF_FRAME = {frame.upper()}\n")
        out.write("TIME_SYSTEM = TDB\n")
        out.write(f"START_TIME = {epochs[0]}\n")
        out.write(f"STOP_TIME = {epochs[-1]}\n")
        out.write(f"INTERPOLATION = {interpolation.upper()}\n")
        out.write(f"INTERPOLATION_DEGREE = {int(interpolation_degree)}\n")
        out.write("META_STOP\n\n")
        numbers = np.vstack([pos, vel]).T
        for epoch, row in zip(epochs, numbers, strict=True):
            out.write(epoch + " " + " ".join(f"{value: .15e}" for value in row) + "\n")
        written += 1
    if not written:
        raise ValueError("write_oem needs at least one segment")
    fileobj.write(out.getvalue())
