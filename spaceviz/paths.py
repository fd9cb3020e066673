"""Where shipped data lives: shaders/ and resources/ (repo checkout or installed wheel)."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    """The top-level repo folder `name` in a checkout, else the copy inside the wheel."""
    repo_copy = _PACKAGE_DIR.parent / name
    if repo_copy.is_dir():
        return repo_copy
    return _PACKAGE_DIR / name


SHADERS_DIR = _data_dir("shaders")
RESOURCES_DIR = _data_dir("resources")
DEFAULT_SCENARIO = RESOURCES_DIR / "scenarios" / "default.toml"


def shader_source(name: str) -> str:
    """The text of shaders/<name>, with each line `#include "other.glsl"` replaced by that
    file's text (GLSL has no includes of its own; shared functions live in one file)."""
    lines = []
    for line in (SHADERS_DIR / name).read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("#include"):
            lines.append(shader_source(stripped.split('"')[1]))
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"
