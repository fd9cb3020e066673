"""Open a catalogue file: MPCORB.DAT, MPCORB.DAT.gz or a JPL SBDB CSV export (sniffed)."""

from __future__ import annotations

import mmap
import os
from pathlib import Path

import numpy as np

from spaceviz.core.astro.catalogs.catalog import Catalog, check_fits_in_memory
from spaceviz.core.astro.catalogs.codec import read_bytes
from spaceviz.core.astro.catalogs.mpcorb import parse_mpcorb
from spaceviz.core.astro.catalogs.sbdb import parse_sbdb_csv
from spaceviz.core.errors import UserError


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


def _mapped_mpcorb(path: Path) -> np.ndarray | None:
    """An uncompressed MPCORB file mapped into memory (the parser reads the columns it needs
    straight from the page cache: no copy of hundreds of megabytes), else None."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
            if head[:2] == b"\x1f\x8b" or _looks_like_csv(head) or path.stat().st_size == 0:
                return None
            view = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    return np.frombuffer(view, dtype=np.uint8)


def load_catalog(path: str | os.PathLike) -> Catalog:
    """Load MPCORB.DAT, MPCORB.DAT.gz or a JPL SBDB CSV export (sniffed from its content)."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"catalogue file '{path}' not found")
    size = _uncompressed_size(path)
    check_fits_in_memory(size // 150, source=str(path))
    mapped = _mapped_mpcorb(path)
    if mapped is not None:
        return parse_mpcorb(mapped, name=str(path))
    try:
        data = read_bytes(path.read_bytes())
    except OSError as exc:
        raise UserError(f"cannot read catalogue file '{path}': {exc.strerror}") from None
    if _looks_like_csv(data):
        return parse_sbdb_csv(data, name=str(path))
    return parse_mpcorb(data, name=str(path))


