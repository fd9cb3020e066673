"""Byte-level codecs for asteroid catalogues, vectorised over rows.

Fixed-width text as (rows, columns) uint8 matrices (`gather_columns`, `parse_decimal`), the
MPC's packed designations, numbers and epochs, and display names. No Python loop runs over
asteroids: every helper works column-wise on whole arrays.
"""

from __future__ import annotations

import gzip
from typing import BinaryIO

import numpy as np

from spaceviz.core.errors import UserError

SPACE, DOT, DASH, PAREN = 32, 46, 45, 41
CHUNK_ROWS = 131_072
"""Rows handled per block by the parsers (keeps temporaries in cache)."""


B62 = np.full(256, -1, dtype=np.int16)
B62[48:58] = np.arange(10)
B62[65:91] = np.arange(10, 36)
B62[97:123] = np.arange(36, 62)
B62_CHARS = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                           dtype=np.uint8)


def as_matrix(strings: np.ndarray) -> np.ndarray:
    """(n, w) uint8 view of an 'S{w}' array (NUL padded)."""
    strings = np.ascontiguousarray(strings)
    width = strings.dtype.itemsize
    return strings.view(np.uint8).reshape(len(strings), width)


def as_strings(matrix: np.ndarray) -> np.ndarray:
    """'S{w}' array from a (n, w) uint8 matrix (NUL bytes at the end are dropped)."""
    matrix = np.ascontiguousarray(matrix, dtype=np.uint8)
    return matrix.view(f"S{matrix.shape[1]}").ravel()


def ascii_upper(strings: np.ndarray) -> np.ndarray:
    m = as_matrix(strings).copy()
    m[(m >= 97) & (m <= 122)] -= 32
    return as_strings(m)


def ascii_digits(values: np.ndarray, width: int) -> np.ndarray:
    """(n, width) ASCII digits of non-negative integers, zero padded."""
    values = np.asarray(values, dtype=np.int64)
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return ((values[:, None] // powers) % 10 + 48).astype(np.uint8)


def strip_trailing(m: np.ndarray) -> np.ndarray:
    """Turn trailing spaces of each row into NUL bytes (in place) and return the matrix."""
    text = (m != SPACE) & (m != 0)
    last = m.shape[1] - 1 - np.argmax(text[:, ::-1], axis=1)
    last[~text.any(axis=1)] = -1
    m[np.arange(m.shape[1]) > last[:, None]] = 0
    return m


def shift_left(m: np.ndarray, offset: np.ndarray, width: int) -> np.ndarray:
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


def concat_left(parts: list[np.ndarray]) -> np.ndarray:
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


def left_digits(values: np.ndarray, width: int) -> np.ndarray:
    """(n, width) ASCII digits of non-negative integers, left aligned, NUL padded."""
    values = np.asarray(values, dtype=np.int64)
    ndig = np.maximum(1, np.floor(np.log10(np.maximum(values, 1))).astype(np.int64) + 1)
    ndig = np.where(values >= 10 ** np.minimum(ndig, 18), ndig + 1, ndig)  # log10 rounding
    padded = ascii_digits(values, width)
    return shift_left(padded, width - ndig, width)


def civil_to_jd(year, month, day) -> np.ndarray:
    """Julian date at 0h of Gregorian calendar dates (integer arrays), vectorised."""
    year = np.asarray(year, dtype=np.int64)
    month = np.asarray(month, dtype=np.int64)
    a = (14 - month) // 12
    y = year + 4800 - a
    m = month + 12 * a - 3
    jdn = day + (153 * m + 2) // 5 + 365 * y + y // 4 - y // 100 + y // 400 - 32045
    return jdn - 0.5


def jd_to_civil(jd) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
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


DAYS_IN_MONTH = np.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


# ---------------------------------------------------------------------------------------------
# packed designations and epochs


def decode_packed_epochs(packed) -> tuple[np.ndarray, np.ndarray]:
    """TDB Julian dates (0h) of MPC packed epochs ('K2426' = 2024-02-06) and a validity mask."""
    m = as_matrix(np.asarray(packed, dtype="S5"))
    if m.shape[1] < 5:
        m = np.pad(m, ((0, 0), (0, 5 - m.shape[1])))
    m = m[:, :5]
    v = B62[m]
    century, y1, y2, month, day = (v[:, k] for k in range(5))
    ok = ((century >= 18) & (century <= 21) & (y1 >= 0) & (y1 <= 9) & (y2 >= 0) & (y2 <= 9)
          & (month >= 1) & (month <= 12) & (day >= 1))
    year = century.astype(np.int64) * 100 + y1 * 10 + y2
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    ok &= day <= DAYS_IN_MONTH[np.clip(month, 0, 12)] - ((month == 2) & ~leap)
    jd = civil_to_jd(year, np.where(ok, month, 1), np.where(ok, day, 1))
    return np.where(ok, jd, np.nan), ok


def pack_epochs(epoch_tdb) -> np.ndarray:
    """MPC packed epochs ('K2426') of TDB Julian dates at 0h; raises ValueError otherwise."""
    year, month, day, frac = jd_to_civil(epoch_tdb)
    if np.any(np.abs(frac) > 1e-6) or np.any((year < 1800) | (year > 2199)):
        raise ValueError("MPCORB epochs must be at 0h TT of a date between 1800 and 2199")
    out = np.empty((len(year), 5), dtype=np.uint8)
    out[:, 0] = B62_CHARS[year // 100]
    out[:, 1:3] = ascii_digits(year % 100, 2)
    out[:, 3] = B62_CHARS[month]
    out[:, 4] = B62_CHARS[day]
    return as_strings(out)


_SURVEYS = {b"PLS": b"P-L", b"T1S": b"T-1", b"T2S": b"T-2", b"T3S": b"T-3"}


def decode_packed_designations(packed) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(number, provisional designation, ok) from MPC packed designations, vectorised.

    Numbered: '00001' = 1, 'A0345' = 100345, '~0K8Q' = 620000 + base-62 value; their designation
    is b''. Provisional: 'K14A00A' = 2014 AA, 'K07Tf8A' = 2007 TA418; survey 'PLS2040' =
    2040 P-L. Unnumbered objects get number -1; `ok` is False for unreadable forms.
    """
    m = as_matrix(np.asarray(packed, dtype="S8"))
    m = np.pad(m, ((0, 0), (0, max(0, 8 - m.shape[1]))))[:, :8].copy()
    m[m == 0] = SPACE
    v = B62[m]
    n = len(m)
    digit = (v >= 0) & (v <= 9)
    blank_tail = np.all(m[:, 5:8] == SPACE, axis=1)
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
                   & (m[:, 7] == SPACE))
    survey_key = as_strings(m[:, :3].copy())
    survey = (~numbered & ~tilde & ~provisional & np.isin(survey_key, list(_SURVEYS))
              & np.all(digit[:, 3:7], axis=1) & (m[:, 7] == SPACE))

    desig = np.zeros((n, 16), dtype=np.uint8)
    if np.any(provisional):
        p = np.flatnonzero(provisional)
        mp, vp = m[p], v[p]
        d = np.zeros((len(p), 16), dtype=np.uint8)
        d[:, 0:2] = ascii_digits(vp[:, 0], 2)
        d[:, 2:4] = mp[:, 1:3]
        d[:, 4] = SPACE
        d[:, 5] = mp[:, 3]
        d[:, 6] = mp[:, 6]
        cycle = vp[:, 4].astype(np.int64) * 10 + vp[:, 5]
        digits = left_digits(cycle, 3)
        digits[cycle == 0] = 0
        d[:, 7:10] = digits
        desig[p] = d
    if np.any(survey):
        s = np.flatnonzero(survey)
        d = np.zeros((len(s), 16), dtype=np.uint8)
        d[:, 0:4] = m[s, 3:7]
        d[:, 4] = SPACE
        keys = survey_key[s]
        code = np.select([keys == k for k in _SURVEYS], list(_SURVEYS.values()), b"")
        d[:, 5:8] = as_matrix(code.astype("S3"))
        desig[s] = d
    ok = numbered | tilde | provisional | survey
    return number, as_strings(desig), ok


MAX_MPC_NUMBER = 620000 + 62 ** 4 - 1
"""The largest number the MPC's packed form (tilde + four base-62 digits) can hold."""


def pack_numbers(number) -> np.ndarray:
    """MPC packed numbers: 1 -> '00001', 100345 -> 'A0345', 620057 -> '~000v'."""
    number = np.asarray(number, dtype=np.int64)
    if np.any((number < 1) | (number > MAX_MPC_NUMBER)):
        raise ValueError(f"MPC numbers run from 1 to {MAX_MPC_NUMBER}")
    out = np.full((len(number), 5), SPACE, dtype=np.uint8)
    small = number < 620000
    out[small, 0] = B62_CHARS[number[small] // 10000]
    out[small, 1:5] = ascii_digits(number[small] % 10000, 4)
    big = number[~small] - 620000
    out[~small, 0] = ord("~")
    for k, power in enumerate((62 ** 3, 62 ** 2, 62, 1)):
        out[~small, 1 + k] = B62_CHARS[(big // power) % 62]
    return as_strings(out)


def pack_designations(designations) -> tuple[np.ndarray, np.ndarray]:
    """MPC packed provisional designations ('2014 AA' -> 'K14A00A') and an ok mask."""
    m = as_matrix(np.asarray(designations, dtype="S16"))
    m = np.pad(m, ((0, 0), (0, max(0, 10 - m.shape[1]))))
    digit = (m >= 48) & (m <= 57)
    upper = (m >= 65) & (m <= 90)
    length = np.count_nonzero(m, axis=1)
    century = (m[:, 0].astype(np.int64) - 48) * 10 + (m[:, 1].astype(np.int64) - 48)
    tail = m[:, 7:10]
    tail_digit = digit[:, 7:10] | (tail == 0)
    ok = (np.all(digit[:, 0:4], axis=1) & (m[:, 4] == SPACE) & upper[:, 5] & upper[:, 6]
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
    out[:, 0] = B62_CHARS[np.clip(century, 0, 61)]
    out[:, 1:3] = m[:, 2:4]
    out[:, 3] = m[:, 5]
    out[:, 4] = B62_CHARS[np.clip(tail_value // 10, 0, 61)]
    out[:, 5] = 48 + tail_value % 10
    out[:, 6] = m[:, 6]
    out[~ok] = 0
    return as_strings(out), ok


def display_names(records: np.ndarray) -> np.ndarray:
    """'(1) Ceres', '(3708) 1974 FV1', '2014 AA' for catalogue records (str array)."""
    n = len(records)
    if n == 0:
        return np.array([], dtype=str)
    number = records["number"].astype(np.int64)
    has_name = as_matrix(records["name"]).any(axis=1)
    label = np.where(has_name, records["name"], records["designation"])
    label_m = as_matrix(np.asarray(label, dtype="S20"))
    numbered = number >= 0
    open_m = np.where(numbered[:, None], ord("("), 0).astype(np.uint8)
    num_m = left_digits(np.maximum(number, 0), 8)
    num_m[~numbered] = 0
    close_m = np.zeros((n, 2), dtype=np.uint8)
    close_m[numbered, 0] = PAREN
    close_m[numbered & label_m.any(axis=1), 1] = SPACE
    joined = concat_left([open_m, num_m, close_m, label_m])
    return as_strings(joined).astype(str)


# ---------------------------------------------------------------------------------------------
# reading


def read_bytes(source: bytes | bytearray | memoryview | BinaryIO) -> bytes:
    data = bytes(source) if isinstance(source, bytes | bytearray | memoryview) else source.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise UserError(f"the gzip stream is damaged: {exc}") from None
    return data


HEAD_LINES_SCANNED = 1000
"""Fixed-width detection looks for the fixed part's first line among this many lines."""


def _fixed_width_tail(buf: np.ndarray) -> tuple[int, int] | None:
    """(offset, line length with its newline) where every line from `offset` to the end of
    the buffer has one length (MPCORB after its header): found from the last line's length
    and confirmed by a newline at every expected place and nowhere else (a C-speed count),
    without indexing every byte. None when the text is not like that."""
    data = buf.data  # the buffer's bytes, not copied
    size = len(buf)
    body_end = size - 1 if buf[-1] == 10 else size
    last_start = bytes(data[max(0, body_end - 4096):body_end]).rfind(b"\n")
    if last_start < 0:
        return None
    stride = body_end - (max(0, body_end - 4096) + last_start + 1) + 1  # line + newline
    if stride < 2:
        return None
    start = 0
    raw = memoryview(data)
    source = buf.base if isinstance(buf.base, bytes) and len(buf.base) == size else None

    def newlines_from(offset: int) -> int:
        if source is not None:
            return source.count(b"\n", offset)  # memchr speed, no copy
        step = 1 << 24  # a mapped file: count in slices, never a file-sized temporary
        return sum(int(np.count_nonzero(buf[lo:lo + step] == 10))
                   for lo in range(offset, size, step))

    for _ in range(HEAD_LINES_SCANNED):
        rows, remainder = divmod(size - start + (0 if buf[-1] == 10 else 1), stride)
        if remainder == 0 and rows > 0:
            ends = buf[start + stride - 1::stride]
            if len(ends) >= rows - 1 and np.all(ends[:rows - 1] == 10) \
                    and newlines_from(start) in (rows, rows - 1):
                return start, stride
        found = bytes(raw[start:start + 65536]).find(b"\n")
        if found < 0:
            return None
        start += found + 1
    return None


def line_index(buf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start offsets and lengths (without the newline and a trailing CR) of every line.
    Text whose lines all have one length after a header (MPCORB) is indexed arithmetically."""
    if len(buf) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    fixed = _fixed_width_tail(buf) if len(buf) > 1 << 20 else None
    if fixed is not None:
        offset, stride = fixed
        head_starts, head_lengths = line_index(buf[:offset])
        rows = (len(buf) - offset + stride - 1) // stride
        starts = offset + stride * np.arange(rows, dtype=np.int64)
        lengths = np.full(rows, stride - 1, dtype=np.int64)
        lengths[-1] = min(stride - 1, len(buf) - starts[-1])
        cr = (lengths > 0) & (buf[starts + np.maximum(lengths - 1, 0)] == 13)
        return (np.concatenate([head_starts, starts]),
                np.concatenate([head_lengths, lengths - cr]))
    newlines = np.flatnonzero(buf == 10)
    starts = np.concatenate(([0], newlines + 1))
    ends = np.concatenate((newlines, [len(buf)]))
    if starts[-1] == len(buf):
        starts, ends = starts[:-1], ends[:-1]
    lengths = ends - starts
    cr = (lengths > 0) & (buf[np.maximum(ends - 1, 0)] == 13)
    return starts, lengths - cr


def gather_columns(buf: np.ndarray, starts: np.ndarray, lengths: np.ndarray,
                    spans: tuple[tuple[int, int], ...]) -> np.ndarray:
    """(rows, columns) uint8 matrix of the byte column spans [lo, hi) of every line, side by
    side; spaces past a line's end. Column-major, so that each column is contiguous."""
    n = len(starts)
    width = sum(hi - lo for lo, hi in spans)
    out = np.full((n, width), SPACE, dtype=np.uint8, order="F")
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
    for lo in range(0, len(rest), CHUNK_ROWS):
        rows = rest[lo:lo + CHUNK_ROWS]
        idx = starts[rows, None] + cols[None, :]
        block = buf[np.minimum(idx, last)]
        block[cols[None, :] >= lengths[rows, None]] = SPACE
        out[rows] = block
    return out


def header_end(buf: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> int:
    """Index of the first data line: after the '-----' rule when the file has a header."""
    k = min(len(starts), 500)
    if k == 0:
        return 0
    head = gather_columns(buf, starts[:k], lengths[:k], ((0, 10),))
    rule = np.flatnonzero(np.all(head == DASH, axis=1))
    return int(rule[0]) + 1 if len(rule) else 0


def parse_decimal(chars: np.ndarray, dot: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fixed-width decimal numbers: (values, ok, blank). Exact for the MPC's fixed formats.

    The fast path accepts leading spaces, digits, a decimal point at column `dot` (>= 1) and
    digits, accumulated column by column into an exact integer that is divided by a power of
    ten (correctly rounded, like strtod). Other layouts (' 3.4 ', '7.0  ') go through numpy's
    string-to-float conversion. Columns of `chars` should be contiguous (Fortran order).
    """
    n, w = chars.shape
    mantissa = np.zeros(n)
    fast = chars[:, dot] == DOT
    seen_digit = np.zeros(n, dtype=bool)
    for j in range(w):
        if j == dot:
            continue
        column = chars[:, j]
        digit_value = column - np.uint8(48)
        is_digit = digit_value < 10
        if j < dot:  # leading spaces, then digits
            is_space = column == SPACE
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
        blank[slow] = np.all(chars[slow] == SPACE, axis=1)
        ok[slow[blank[slow]]] = True
        slow = slow[~blank[slow]]
    if len(slow):
        text = as_strings(chars[slow])
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


