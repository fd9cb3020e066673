"""Reading scenario files: TOML validated into a `Scenario`, every problem with its line.

`load_scenario(path)` returns a `Scenario` or raises `InputFileError` listing each problem
as `FILE:LINE: field: message`. Relative paths are resolved against the scenario file's folder.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from pydantic import ValidationError

from spaceviz.core.errors import InputFileError, Problem
from spaceviz.core.scenario.references import check_references, field_text
from spaceviz.core.scenario.schema import SCHEMA_VERSION, Scenario
from spaceviz.core.scenario.tomlpos import key_lines, line_of

MAX_SCENARIO_BYTES = 5 * 1024 * 1024

def _message(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        return "unknown key (check its spelling; see the scenario keys in the README)"
    if kind == "missing":
        return "required key is missing"
    if kind == "literal_error" and error["loc"] and error["loc"][-1] == "schema_version":
        return f"unsupported schema_version {error.get('input')!r}; this spaceviz reads {SCHEMA_VERSION}"
    message = error.get("msg", "invalid value")
    message = re.sub(r"^(Value error|Assertion failed), ", "", message)
    return message


def _read_text(path: Path) -> str:
    name = str(path)
    if not path.exists():
        raise InputFileError([Problem(name, 0, "(file)", "no such file")])
    if path.is_dir():
        raise InputFileError([Problem(name, 0, "(file)", "is a folder, not a scenario file")])
    size = path.stat().st_size
    if size > MAX_SCENARIO_BYTES:
        raise InputFileError([Problem(name, 0, "(file)",
                                      f"is {size / 1e6:.1f} MB; scenario files are limited to "
                                      f"{MAX_SCENARIO_BYTES / 1e6:.0f} MB")])
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")  # a byte-order mark (Windows editors) is fine
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputFileError([Problem(name, line, "(file)",
                                      f"not UTF-8 text (byte {exc.start}); save the file as UTF-8")]) from None


def parse_scenario_text(text: str, source: str = "<scenario>", base_dir: Path | None = None) -> Scenario:
    """Validate scenario TOML text; `base_dir` resolves relative paths (default: cwd)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(match.group(1)) if match else 0
        message = re.sub(r"\s*\(at line.*\)$", "", str(exc)) or "invalid TOML"
        if text and "end of document" in str(exc):
            message += " (is the file truncated?)"
        raise InputFileError([Problem(source, line, "(toml)", message)]) from None

    lines = key_lines(text)
    problems: list[Problem] = []
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            problems.append(Problem(source, line_of(lines, loc), field_text(loc, data), _message(error)))
    problems.extend(check_references(data, lines, source))
    if scenario is not None:
        base = base_dir if base_dir is not None else Path.cwd()
        problems.extend(_resolve_paths(scenario, data, lines, source, base))
    if problems:
        unique = sorted(set(problems), key=lambda p: (p.line, p.field))
        raise InputFileError(unique)
    assert scenario is not None
    return scenario


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file; raises InputFileError with every problem."""
    path = Path(path)
    text = _read_text(path)
    scenario = parse_scenario_text(text, str(path), path.resolve().parent)
    scenario.source_path = path.resolve()
    return scenario


def _resolve_paths(scenario: Scenario, data: dict, lines: dict, source: str, base: Path) -> list[Problem]:
    """Make catalogue and OEM paths absolute (relative to the scenario) and check they exist."""
    problems: list[Problem] = []
    for section, items, key in (("catalog", scenario.catalog, "path"),
                                ("ship", scenario.ship, "oem")):
        for index, item in enumerate(items):
            path = getattr(item, key)
            if path is None:
                continue
            path = (base / path).resolve()
            setattr(item, key, path)
            if not path.is_file():
                loc = (section, index, key)
                problems.append(Problem(source, line_of(lines, loc), field_text(loc, data),
                                        f"file not found: {path}"))
    return problems


def default_scenario_path() -> Path:
    """The scenario shipped with spaceviz (resources/scenarios/default.toml)."""
    from spaceviz.paths import DEFAULT_SCENARIO

    return DEFAULT_SCENARIO
