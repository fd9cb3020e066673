"""Asteroid catalogues as one structured numpy array (`CATALOG_DTYPE`), their provenance,
lookup by name, number or designation, and memory checks before loading.

Elements in the records are heliocentric, ecliptic and equinox J2000: a in AU, angles in
radians, epoch as a TDB Julian date (MPC epochs are TT 0h; TT and TDB differ by < 2 ms).
Parsers (mpcorb, sbdb, synthetic) build Catalogs through `assemble`.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass, field

import numpy as np

from spaceviz.core.astro.catalogs.codec import SPACE, as_matrix, ascii_upper, display_names
from spaceviz.core.errors import UnknownNameError, UserError

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
    ("group", "i1"),           # dynamical group, index in spaceviz.core.astro.catalogs.population.GROUP_NAMES
])
"""One asteroid per record; see the comments for units and conventions."""

MAX_CATALOG_ROWS = 20_000_000
PARSE_BYTES_PER_ROW = 900  # raw line, column matrix and temporaries while parsing
SKIPPED_EXAMPLES = 10


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

    def elements(self, rows=None):
        """OrbitalElements (ecliptic J2000) of every record, or of the given rows."""
        from spaceviz.core.astro.orbits import OrbitalElements

        r = self.records if rows is None else self.records[rows]
        return OrbitalElements(r["a_au"], r["e"], r["i_rad"], r["node_rad"], r["peri_rad"],
                               r["M_rad"], r["epoch_tdb"], equatorial=False)

    def display_names(self, rows=None) -> np.ndarray:
        """'(1) Ceres', '(3708) 1974 FV1', '2014 AA' for the given rows (default: all)."""
        return display_names(self.records if rows is None else self.records[rows])

    def upper(self, key: str) -> np.ndarray:
        """Upper-cased copy of a bytes field, cached (for case-insensitive lookups)."""
        cache_key = (key, id(self.records), len(self.records))  # records may be replaced
        if cache_key not in self._upper:
            self._upper[cache_key] = ascii_upper(self.records[key])
        return self._upper[cache_key]

    def find(self, query: str | int, prefix: bool = True) -> int:
        """Row index of the asteroid named by `query` (see `find`)."""
        return find(self, query, prefix)

    def population(self):
        """The records as a Population (orbits, names, magnitudes, groups, classes) to draw."""
        from spaceviz.core.astro.catalogs.population import Population

        r = self.records
        return Population(self.elements(), self.display_names, r["H"].astype(np.float64),
                          r["group"].copy(), spectral_class_ids(r["spec"]),
                          source=self.summary.source, synthetic=self.summary.synthetic)




def assemble(parts: list[dict], line_numbers: np.ndarray, source: str, fmt: str) -> Catalog:
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
    from spaceviz.core.astro.catalogs.population import classify_groups

    group = classify_groups(records["a_au"], records["e"], np.degrees(records["i_rad"]))
    if "group" in parts[0]:
        given = np.concatenate([p["group"] for p in parts])[good]
        group = np.where(given >= 0, given, group)
    return group.astype(np.int8)



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




def find(catalog: Catalog, query: str | int, prefix: bool = True) -> int:
    """Row index of an asteroid by name, number or designation, case-insensitive.

    Accepts 'Ceres', 1, '1', '(1) Ceres', '1 Ceres', '2014 AA', 'K14A00A'; a unique prefix of
    a name (2+ characters) also resolves unless `prefix` is False. Raises UnknownNameError listing the candidates when
    several asteroids match, or some known names when none does.
    """
    text = " ".join(str(query).split())
    if not text:
        raise UnknownNameError(str(query))
    key = text.upper().encode("ascii", "replace")
    for field_name in ("designation", "name", "packed"):
        if len(key) <= catalog.records.dtype[field_name].itemsize:
            hits = _equal_ignoring_case(catalog.records, field_name, key)
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
    if prefix and len(key) >= 2:
        hits = np.flatnonzero(np.char.startswith(catalog.upper("name"), key))
        if len(hits):
            return _one(catalog, text, hits)
    shown = list(catalog.display_names(np.arange(min(len(catalog), 20))))
    raise UnknownNameError(text, known=shown)


_UPPER = np.arange(256, dtype=np.uint8)
_UPPER[97:123] -= 32


def _equal_ignoring_case(records: np.ndarray, field_name: str, key: bytes) -> np.ndarray:
    """Rows whose bytes field equals an upper-case key, ignoring case: the field's first byte
    (a strided view, no copy) narrows a million rows to a few before any upper-casing."""
    if not records.flags.c_contiguous:
        return np.flatnonzero(ascii_upper(records[field_name]) == key)
    offset = records.dtype.fields[field_name][1]
    first = np.ndarray(shape=(len(records),), dtype=np.uint8, buffer=records, offset=offset,
                       strides=(records.itemsize,))
    candidates = np.flatnonzero(_UPPER[first] == key[0])
    if len(candidates) == 0:
        return candidates
    return candidates[ascii_upper(records[field_name][candidates]) == key]


def _one(catalog: Catalog, text: str, hits: np.ndarray) -> int:
    if len(hits) == 1:
        return int(hits[0])
    names = list(catalog.display_names(hits[:10]))
    if len(hits) > 10:
        names.append(f"... ({len(hits) - 10} more)")
    raise UnknownNameError(text, candidates=names)


def spectral_class_ids(spec: np.ndarray) -> np.ndarray:
    """Indices in spaceviz.core.astro.catalogs.population.CLASS_NAMES from spectral class strings, vectorised."""
    from spaceviz.core.astro.catalogs.population import CLASS_NAMES

    letters = as_matrix(np.asarray(spec, dtype="S8"))[:, 0] if len(spec) else np.zeros(0, np.uint8)
    lut = np.full(256, CLASS_NAMES.index("other"), dtype=np.int8)
    lut[0] = CLASS_NAMES.index("unknown")
    lut[SPACE] = CLASS_NAMES.index("unknown")
    for chars, cls in (("CBFG", "C"), ("SQAKL", "S"), ("M", "M"), ("X", "X"), ("V", "V"),
                       ("D", "D")):
        for ch in chars:
            lut[ord(ch)] = lut[ord(ch.lower())] = CLASS_NAMES.index(cls)
    return lut[letters]

