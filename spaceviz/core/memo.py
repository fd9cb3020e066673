"""Solutions remembered: the slow, pure steps of the trajectory engine (a transfer's conic
search, an integrated spiral) kept for the process and on disk, keyed by everything they
depend on (their inputs, to the last bit) and by the source code of the modules that compute
them, so an edited engine never reads an old answer. A scenario opened again, or a test that
builds the same story, skips the solving; a cache that cannot be read or written is skipped.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)


def cache_root() -> Path:
    """SPACEVIZ_CACHE_DIR if set (tests, shared machines), else the user cache folder."""
    override = os.environ.get("SPACEVIZ_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("spaceviz"))


def source_digest(*paths: str | Path) -> str:
    """A digest of source files: part of every key, so a changed algorithm starts afresh.

    A packaged application ships compiled modules without their source; there the release
    (which fixes every algorithm) and the file's name stand in for its bytes.
    """
    digest = hashlib.sha256()
    for path in paths:
        path = Path(path)
        try:
            digest.update(path.read_bytes())
        except OSError:
            from spaceviz import __version__

            digest.update(f"release {__version__}: {path.name}".encode())
    return digest.hexdigest()[:16]


def _canonical(value) -> bytes:
    """Exact bytes for a key part: floats by their bits, arrays by dtype, shape and bytes."""
    if isinstance(value, float):
        return b"f" + value.hex().encode()
    if isinstance(value, np.ndarray):
        return b"a" + str((value.dtype.str, value.shape)).encode() + value.tobytes()
    if isinstance(value, np.generic):
        return _canonical(value.item())
    if isinstance(value, tuple | list):
        return b"(" + b",".join(_canonical(v) for v in value) + b")"
    return b"r" + repr(value).encode()


class SolutionMemo:
    """Values by key (a tuple of plain values and arrays) for one kind of solution."""

    def __init__(self, kind: str, version: str):
        self.kind = kind
        self.version = version
        self._values: dict[str, object] = {}

    def _digest(self, key: tuple) -> str:
        return hashlib.sha256(_canonical((self.kind, self.version, key))).hexdigest()[:32]

    def _file(self, digest: str) -> Path:
        return cache_root() / "solutions" / self.kind / f"{digest}.pkl"

    def get(self, key: tuple):
        """The remembered value, or None."""
        digest = self._digest(key)
        if digest in self._values:
            return self._values[digest]
        try:
            with open(self._file(digest), "rb") as handle:
                value = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            return None
        self._values[digest] = value
        return value

    def put(self, key: tuple, value) -> None:
        digest = self._digest(key)
        self._values[digest] = value
        path = self._file(digest)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            part = path.with_suffix(f".{os.getpid()}.part")
            with open(part, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(part, path)
        except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
            log.info("solution not kept on disk (%s)", exc)
