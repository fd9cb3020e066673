"""User settings (window geometry, last scenario, recent files) in the platform's config folder."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import platformdirs

log = logging.getLogger(__name__)
SETTINGS_SCHEMA_VERSION = 1
MAX_RECENT = 8


def config_dir() -> Path:
    """SPACEVIZ_CONFIG_DIR if set (tests, kiosks), else the platform's user config folder."""
    override = os.environ.get("SPACEVIZ_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir("spaceviz"))


class Settings:
    """A small JSON document with a schema version; unreadable files fall back to defaults."""

    def __init__(self, path: Path | None = None):
        self.path = path or config_dir() / "settings.json"
        self.data: dict = {"schema_version": SETTINGS_SCHEMA_VERSION, "recent": []}
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            if loaded.get("schema_version") == SETTINGS_SCHEMA_VERSION:
                self.data.update(loaded)
        except FileNotFoundError:
            pass
        except (OSError, ValueError, AttributeError) as exc:
            log.warning("ignoring unreadable settings %s: %s", self.path, exc)

    def get(self, key: str, default=None):
        return self.data.get(key, default)

    def set(self, key: str, value) -> None:
        self.data[key] = value

    def add_recent(self, path: str) -> None:
        recent = [p for p in self.data.get("recent", []) if p != path]
        self.data["recent"] = [path, *recent][:MAX_RECENT]

    def save(self) -> None:
        """Write atomically (temporary file, then rename)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            part = self.path.with_suffix(".json.part")
            part.write_text(json.dumps(self.data, indent=2), encoding="utf-8")
            os.replace(part, self.path)
        except OSError as exc:
            log.warning("could not save settings to %s: %s", self.path, exc)
