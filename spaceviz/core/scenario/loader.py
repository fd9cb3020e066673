"""Reading scenario files: TOML validated into a `Scenario`, every problem with its line.

`read_scenario` never raises for a problem in the file: it returns the scenario (or, when some
tables are invalid, a partial scenario of the valid ones, so that the world can still be built
and its references checked) together with every problem as `FILE:LINE: field: message`.
`Session.load` raises them all at once. Names are resolved when the world is built
(`core.scenario.build`), not here.
Relative paths are resolved against the scenario file's folder.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from spaceviz.core.errors import InputFileError, Problem
from spaceviz.core.scenario.schema import (
    SCHEMA_VERSION,
    AsteroidSpec,
    CatalogSpec,
    EventSpec,
    FacilitySpec,
    OrbitSpec,
    PriceSpec,
    Scenario,
    ShipmentSpec,
    ShipSpec,
    SiteSpec,
    TourSpec,
)
from spaceviz.core.tomlpos import field_text, key_lines, line_of

MAX_SCENARIO_BYTES = 5 * 1024 * 1024
TABLES = {"asteroid": AsteroidSpec, "catalog": CatalogSpec, "site": SiteSpec, "ship": ShipSpec,
          "event": EventSpec, "tour": TourSpec, "facility": FacilitySpec,
          "shipment": ShipmentSpec, "orbit": OrbitSpec, "price": PriceSpec}
"""The arrays of tables, validated item by item so that one bad table spoils only itself."""


@dataclass
class ReadResult:
    """What reading a scenario gave: the scenario (None when its top-level keys are unusable),
    the problems found, and the names of tables that were invalid (references to them are
    not reported again when the world is built)."""

    scenario: Scenario | None
    problems: list[Problem] = field(default_factory=list)
    invalid_names: set[str] = field(default_factory=set)


def _message(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        return "unknown key (check its spelling; see the scenario keys in the README)"
    if kind == "missing":
        return "required key is missing"
    if kind == "literal_error" and error["loc"] and error["loc"][-1] == "schema_version":
        return f"unsupported schema_version {error.get('input')!r}; this spaceviz reads {SCHEMA_VERSION}"
    message = error.get("msg", "invalid value")
    return re.sub(r"^(Value error|Assertion failed), ", "", message)


def read_text(path: Path) -> str:
    """A scenario file's text (InputFileError when it is missing, a folder, too large or not
    UTF-8)."""
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


def _problems_of(exc: ValidationError, prefix: tuple, data: dict, lines: dict, source: str
                 ) -> list[Problem]:
    out = []
    for error in exc.errors():
        loc = prefix + tuple(error["loc"])
        out.append(Problem(source, line_of(lines, loc), field_text(loc, data), _message(error)))
    return out


def read_scenario(text: str, source: str = "<scenario>", base_dir: Path | None = None
                  ) -> ReadResult:
    """Validate scenario TOML text; `base_dir` resolves relative paths (default: cwd)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(match.group(1)) if match else 0
        message = re.sub(r"\s*\(at line.*\)$", "", str(exc)) or "invalid TOML"
        if text and "end of document" in str(exc):
            message += " (is the file truncated?)"
        return ReadResult(None, [Problem(source, line, "(toml)", message)])
    lines = key_lines(text)
    result = ReadResult(None)
    try:
        scenario = Scenario.model_validate(data)
        kept = {section: list(range(len(data.get(section) or []))) for section in TABLES}
    except ValidationError as exc:
        result.problems.extend(_problems_of(exc, (), data, lines, source))
        scenario, kept = _partial(data, result)
    if scenario is None:
        return result
    scenario._source = source
    scenario._lines = lines
    scenario._data = data
    scenario._indices = kept
    base = base_dir if base_dir is not None else Path.cwd()
    result.problems.extend(_resolve_paths(scenario, base))
    result.scenario = scenario
    return result


def _partial(data: dict, result: ReadResult) -> tuple[Scenario | None, dict[str, list[int]]]:
    """The scenario of the valid tables when some are invalid (None when the top level is)."""
    top = {k: v for k, v in data.items() if k not in TABLES}
    try:
        Scenario.model_validate(top)
    except ValidationError as exc:
        # Unknown or bad optional keys (a typo, a bad [view]) are left out; bad required
        # keys (times, title) leave nothing to build on.
        required = {name for name, info in Scenario.model_fields.items() if info.is_required()}
        bad = {error["loc"][0] for error in exc.errors() if error["loc"]}
        if bad & required:
            return None, {}
        for key in bad:
            top.pop(key, None)
    kept: dict[str, list[int]] = {}
    for section, model in TABLES.items():
        items = data.get(section)
        if not isinstance(items, list):
            continue
        kept[section] = []
        valid = []
        for index, item in enumerate(items):
            try:
                model.model_validate(item)
            except ValidationError:
                if isinstance(item, dict) and isinstance(item.get("name"), str):
                    result.invalid_names.add(item["name"].strip().lower())
                continue
            kept[section].append(index)
            valid.append(item)
        top[section] = valid
    return Scenario.model_validate(top), kept


def read_scenario_file(path: str | Path) -> ReadResult:
    """Read a scenario file (InputFileError only when it cannot be read as text)."""
    path = Path(path)
    result = read_scenario(read_text(path), str(path), path.resolve().parent)
    if result.scenario is not None:
        result.scenario.source_path = path.resolve()
    return result


def _resolve_paths(scenario: Scenario, base: Path) -> list[Problem]:
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
                problems.append(scenario.problem((section, index, key),
                                                 f"file not found: {path}"))
    return problems


def default_scenario_path() -> Path:
    """The scenario shipped with spaceviz (resources/scenarios/default.toml)."""
    from spaceviz.paths import DEFAULT_SCENARIO

    return DEFAULT_SCENARIO
