"""JPL Small-Body Database CSV exports, parsed column-wise into a Catalog."""

from __future__ import annotations

import csv
import io
import itertools
from typing import BinaryIO

import numpy as np

from spaceviz.core.astro.catalogs.catalog import (
    CATALOG_DTYPE,
    Catalog,
    CatalogSummary,
    assemble,
    check_fits_in_memory,
)
from spaceviz.core.astro.catalogs.codec import (
    MAX_MPC_NUMBER,
    pack_designations,
    pack_numbers,
    read_bytes,
)
from spaceviz.core.errors import InputFileError, Problem

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
    text = read_bytes(source).decode("utf-8-sig", errors="replace")
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
        return assemble([], line_numbers, name, "SBDB CSV")
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
        from spaceviz.core.astro.catalogs.population import GROUP_NAMES

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
    return assemble([part], line_numbers, name, "SBDB CSV")


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


