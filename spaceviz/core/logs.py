"""Where spaceviz logs: a rotating file in the platform's log folder (SPACEVIZ_LOG_DIR
overrides it), and errors on stderr."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path


def log_path() -> Path:
    import platformdirs

    override = os.environ.get("SPACEVIZ_LOG_DIR")
    folder = Path(override) if override else Path(platformdirs.user_log_dir("spaceviz"))
    return folder / "spaceviz.log"


def setup_logging(verbose: bool = False) -> None:
    """Log to a rotating file in the platform's log folder, and warnings to stderr."""
    root = logging.getLogger("spaceviz")
    root.setLevel(logging.DEBUG)
    if root.handlers:
        return
    try:
        path = log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3,
                                                       encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    except OSError:
        pass
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.DEBUG if verbose else logging.ERROR)
    console.setFormatter(logging.Formatter("spaceviz: %(message)s"))
    root.addHandler(console)
