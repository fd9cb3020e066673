"""A disk cache of loaded catalogues, so the second opening of a large catalogue or generated
belt is near-instant.

A catalogue file is keyed by its absolute path, size and modification time; a synthetic belt
by its generator's parameters; both with `CACHE_VERSION`, bumped whenever a parser or the
generator changes what it produces. Entries are plain .npy record arrays (loaded at disk
speed) plus the provenance as JSON, written to a temporary name and renamed. The cache lives
in SPACEVIZ_CACHE_DIR if set, else the platform's user cache folder; a cache that cannot be
written (read-only, full) is skipped with a log line, never an error.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from spaceviz.core.astro.catalogs.catalog import CATALOG_DTYPE, Catalog, CatalogSummary
from spaceviz.core.memo import cache_root

log = logging.getLogger(__name__)

CACHE_VERSION = 1
_writers: dict[Path, threading.Thread] = {}
"""Bump when a parser or the synthetic generator changes its output."""


def cache_dir() -> Path:
    """Where catalogue entries live."""
    return cache_root() / "catalogs"


def file_key(path: Path) -> dict:
    """The cache key of a catalogue file: where it is, how big, when it last changed."""
    stat = path.stat()
    return {"kind": "file", "path": str(path.resolve()), "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns}


def synthetic_key(n: int, seed: int) -> dict:
    return {"kind": "synthetic", "n": int(n), "seed": int(seed)}


def _entry(key: dict) -> Path:
    text = json.dumps({**key, "version": CACHE_VERSION}, sort_keys=True)
    return cache_dir() / hashlib.sha256(text.encode()).hexdigest()[:32]


def cached_catalog(key: dict, build: Callable[[], Catalog]) -> Catalog:
    """The catalogue for `key` from the cache, else `build()` it and store it."""
    entry = _entry(key)
    records_path, summary_path = entry.with_suffix(".npy"), entry.with_suffix(".json")
    writer = _writers.pop(entry, None)
    if writer is not None:
        writer.join()  # this entry is being written: read it when it is complete
    if records_path.is_file() and summary_path.is_file():
        try:
            records = np.load(records_path, allow_pickle=False)
            summary = CatalogSummary(**json.loads(summary_path.read_text(encoding="utf-8")))
            if records.dtype == CATALOG_DTYPE:
                return Catalog(records, summary)
        except (OSError, ValueError, TypeError) as exc:
            log.warning("catalogue cache entry %s unreadable (%s): rebuilding", entry, exc)
    catalog = build()
    # Written by a thread while the caller goes on (a command prints its answer meanwhile);
    # not a daemon, so the interpreter finishes the file before the process exits.
    writer = threading.Thread(target=_store, args=(catalog, records_path, summary_path),
                              name="catalogue cache", daemon=False)
    _writers[entry] = writer
    writer.start()
    return catalog


def _store(catalog: Catalog, records_path: Path, summary_path: Path) -> None:
    try:
        records_path.parent.mkdir(parents=True, exist_ok=True)
        part = records_path.with_name(records_path.name + f".{os.getpid()}.part")
        with open(part, "wb") as handle:
            np.save(handle, catalog.records, allow_pickle=False)
        summary = dataclasses.asdict(catalog.summary)
        summary_part = summary_path.with_name(summary_path.name + f".{os.getpid()}.part")
        summary_part.write_text(json.dumps(summary), encoding="utf-8")
        os.replace(part, records_path)
        os.replace(summary_part, summary_path)
    except OSError as exc:
        log.warning("catalogue cache not written (%s): the next opening parses again", exc)
