"""MPCORB.DAT: the Minor Planet Center's orbit file, read and written column-wise.

Header lines up to the '-----' rule and blank lines are ignored; a malformed line is skipped
and counted with its reason. Elements: ecliptic J2000, epoch TT 0h taken as TDB.
"""

from __future__ import annotations

from typing import BinaryIO

import numpy as np

from spaceviz.core.astro.catalogs.catalog import Catalog, assemble, check_fits_in_memory
from spaceviz.core.astro.catalogs.codec import (
    CHUNK_ROWS,
    DOT,
    PAREN,
    SPACE,
    as_matrix,
    as_strings,
    ascii_digits,
    concat_left,
    decode_packed_designations,
    decode_packed_epochs,
    gather_columns,
    header_end,
    left_digits,
    line_index,
    pack_designations,
    pack_epochs,
    pack_numbers,
    parse_decimal,
    read_bytes,
    shift_left,
    strip_trailing,
)

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


def parse_mpcorb(source: bytes | BinaryIO | np.ndarray, name: str = "<MPCORB>") -> Catalog:
    """Parse MPCORB.DAT text (plain or gzip bytes, an open binary file, or a uint8 array such
    as a memory-mapped file) into a Catalog.

    Header lines up to the '-----' rule and blank lines are ignored; a malformed line is
    skipped and counted. Elements: ecliptic J2000, epoch TT 0h taken as TDB.
    """
    buf = source if isinstance(source, np.ndarray) else np.frombuffer(read_bytes(source),
                                                                         dtype=np.uint8)
    starts, lengths = line_index(buf)
    first = header_end(buf, starts, lengths)
    line_numbers = np.arange(first, len(starts)) + 1
    starts, lengths = starts[first:], lengths[first:]
    check_fits_in_memory(len(starts), source=name)
    keep = lengths > 0
    if not np.all(keep):
        starts, lengths, line_numbers = starts[keep], lengths[keep], line_numbers[keep]
    # Block by block, so the column matrix is one block's (memory reused, not a file-sized
    # temporary that every page of must first be faulted in).
    parts = [_parse_mpcorb_block(gather_columns(buf, starts[lo:lo + CHUNK_ROWS],
                                                lengths[lo:lo + CHUNK_ROWS], _MPC_COLUMNS),
                                 lengths[lo:lo + CHUNK_ROWS])
             for lo in range(0, len(starts), CHUNK_ROWS)]
    return assemble(parts, line_numbers, name, "MPCORB")


def _parse_mpcorb_block(m: np.ndarray, lengths: np.ndarray) -> dict:
    n = len(m)
    reason = np.zeros(n, dtype=np.int16)  # index into the reasons list, 0 = fine, -1 = blank
    reasons = ["", "line too short for the orbital elements"]
    reason[lengths < 103] = 1
    number, designation, ok_desig = decode_packed_designations(as_strings(m[:, 0:7].copy()))
    reasons.append("unreadable packed designation")
    reason[(reason == 0) & ~ok_desig] = len(reasons) - 1
    epoch, ok_epoch = decode_packed_epochs(as_strings(m[:, 20:25].copy()))
    reasons.append("unreadable packed epoch")
    reason[(reason == 0) & ~ok_epoch] = len(reasons) - 1
    values = {}
    for key, lo, hi, dot, required in _MPC_NUMERIC:
        v, ok, blank = parse_decimal(m[:, lo:hi], dot)
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
    maybe_blank = np.flatnonzero(np.all(m[:, 0:7] == SPACE, axis=1))
    blank = maybe_blank[np.all(m[maybe_blank, 7:] == SPACE, axis=1)]
    reason[blank] = -1  # a line of spaces: not an orbit, not counted
    readable = m[:, _MPC_READABLE]
    name, desig_readable = _split_readable(readable)
    numbered = number >= 0
    designation = np.where(numbered, desig_readable, designation)
    name = np.where(numbered, name, b"")
    return {"reason": reason, "reasons": reasons, "number": number, "designation": designation,
            "name": name, "packed": as_strings(strip_trailing(m[:, 0:7].copy())),
            "a_au": a, "e": e, "i_deg": i, "node_deg": values["node"],
            "peri_deg": values["peri"], "M_deg": values["M"], "epoch_tdb": epoch,
            "H": values["H"], "G": values["G"], "fields": {"e": e, "a": a, "i": i}}


def _split_readable(readable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(name, designation) from MPCORB's readable column: '(1) Ceres', '(3708) 1974 FV1'.

    The MPC puts ')' in the field's 8th column and the text from its 10th; other layouts are
    found by searching for ')' and the first character after it.
    """
    n, w = readable.shape
    standard = (readable[:, 9] != SPACE) & (
        ((readable[:, 7] == PAREN) & (readable[:, 8] == SPACE))
        | np.all(readable[:, 0:9] == SPACE, axis=1))
    rest = np.zeros((n, 20), dtype=np.uint8)
    rest[:, :w - 9] = readable[:, 9:]
    others = np.flatnonzero(~standard)
    if len(others):
        sub = np.ascontiguousarray(readable[others])
        paren = sub == PAREN
        has = paren.any(axis=1)
        after = np.where(has, paren.argmax(axis=1) + 1, 0)
        text_cols = (sub != SPACE) & (np.arange(w) >= after[:, None])
        begin = np.where(text_cols.any(axis=1), text_cols.argmax(axis=1), w)
        rest[others] = shift_left(sub, begin, 20)
    strip_trailing(rest)
    digit = (rest >= 48) & (rest <= 57)
    is_designation = (np.all(digit[:, 0:4], axis=1) & (rest[:, 4] == SPACE)
                      & (rest[:, 5] >= 65) & (rest[:, 5] <= 90))
    rest_s = as_strings(rest)
    return (np.where(is_designation, b"", rest_s).astype("S20"),
            np.where(is_designation, rest_s, b"").astype("S16"))




# ---------------------------------------------------------------------------------------------
# writing MPCORB (benchmarks, tests, exporting synthetic belts)


def _fixed(values: np.ndarray, width: int, decimals: int) -> np.ndarray:
    """(n, width) ASCII of non-negative numbers in Fortran F{width}.{decimals} layout."""
    scaled = np.round(np.asarray(values, dtype=np.float64) * 10.0 ** decimals).astype(np.int64)
    if np.any((scaled < 0) | (scaled >= 10 ** (width - 1))):
        raise ValueError(f"a value does not fit the F{width}.{decimals} MPCORB field")
    digits = ascii_digits(scaled, width - 1)
    out = np.empty((len(scaled), width), dtype=np.uint8)
    point = width - 1 - decimals
    out[:, :point] = digits[:, :point]
    out[:, point] = DOT
    out[:, point + 1:] = digits[:, point:]
    lead = np.logical_and.accumulate(out[:, :point - 1] == 48, axis=1)  # keep "0." before dot
    out[:, :point - 1][lead] = SPACE
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
    out = np.full((n, 203), SPACE, dtype=np.uint8)
    out[:, 202] = 10
    numbered = number >= 0
    packed = np.where(numbered, pack_numbers(np.where(numbered, number, 1)), packed_des)
    out[:, 0:7] = np.pad(as_matrix(packed.astype("S7")), ((0, 0), (0, 0)))
    out[:, 0:7][out[:, 0:7] == 0] = SPACE
    for col, key in ((8, "H"), (14, "G")):
        value = records[key].astype(np.float64)
        known = np.isfinite(value) & (value >= 0) & (value < 100)
        out[known, col:col + 5] = _fixed(value[known], 5, 2)
    out[:, 20:25] = as_matrix(pack_epochs(records["epoch_tdb"]))
    for col, key in ((26, "M_rad"), (37, "peri_rad"), (48, "node_rad"), (59, "i_rad")):
        deg = np.degrees(records[key])
        if key != "i_rad":
            deg = np.mod(deg, 360.0)
            deg = np.where(np.round(deg, 5) >= 360.0, 0.0, deg)
        out[:, col:col + 9] = _fixed(deg, 9, 5)
    out[:, 70:79] = _fixed(records["e"], 9, 7)
    from spaceviz.core.astro.orbits import mean_motion_rad_per_day

    out[:, 80:91] = _fixed(np.degrees(mean_motion_rad_per_day(records["a_au"])), 11, 8)
    out[:, 92:103] = _fixed(records["a_au"], 11, 7)
    out[:, 103:166] = np.frombuffer(_MPC_FILLER, dtype=np.uint8)
    label = np.where(as_matrix(records["name"]).any(axis=1), records["name"],
                     records["designation"]).astype("S20")
    label_m = as_matrix(label)
    num_m = left_digits(np.maximum(number, 0), 8)
    ndig = np.count_nonzero(num_m, axis=1)
    close = np.zeros((n, 2), dtype=np.uint8)
    close[:, 0] = PAREN
    close[label_m.any(axis=1), 1] = SPACE
    open_m = np.full((n, 1), ord("("), dtype=np.uint8)
    text = np.where(numbered[:, None],
                    concat_left([open_m, num_m, close, label_m])[:, :28],
                    np.pad(label_m, ((0, 0), (0, 8)))[:, :28])
    offset = np.where(numbered, np.maximum(0, 7 - (ndig + 1)), 9)
    cols = offset[:, None] + np.arange(28)
    field_m = np.zeros((n, 28 + 9), dtype=np.uint8)
    np.put_along_axis(field_m, cols, text, axis=1)
    field_m = field_m[:, :28]
    field_m[field_m == 0] = SPACE
    out[:, 166:194] = field_m
    out[:, 194:202] = np.frombuffer(b"20240101", dtype=np.uint8)
    written = 0
    if header:
        rule = b"-" * 160 + b"\n"
        fileobj.write(b"MINOR PLANET CENTER ORBIT DATABASE (MPCORB) - written by spaceviz\n\n"
                      b"Des'n     H     G   Epoch     M        Peri.      Node       Incl."
                      b"       e            n           a        Reference #Obs #Opp    Arc"
                      b"    rms  Perts   Computer\n\n" + rule)
    for lo in range(0, n, CHUNK_ROWS):
        fileobj.write(out[lo:lo + CHUNK_ROWS].tobytes())
        written += min(CHUNK_ROWS, n - lo)
    return written


