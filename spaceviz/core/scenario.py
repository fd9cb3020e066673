"""Scenarios: TOML files validated into pydantic models, every problem with its line.

`load_scenario(path)` returns a `Scenario` or raises `InputFileError` listing each problem
as `FILE:LINE: field: message`. Times become TDB Julian dates (float64); relative paths
are resolved against the scenario file's folder.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, model_validator

from spaceviz.core.bodies import MAJOR_BODY_NAMES, canonical_body_name
from spaceviz.core.errors import InputFileError, Problem
from spaceviz.core.operations import FacilitySpec, ShipmentSpec, operations_problems  # noqa: F401
from spaceviz.core.spec_types import (  # noqa: F401 (re-exported for older imports)
    EPHEMERIS_END_TDB,
    EPHEMERIS_START_TDB,
    Color,
    FilePath,
    Name,
    StrictModel,
    TimeTDB,
    _to_tdb,
)
from spaceviz.core.tomlpos import key_lines, line_of

SCHEMA_VERSION = 1
MAX_SCENARIO_BYTES = 5 * 1024 * 1024


class AsteroidSpec(StrictModel):
    """One asteroid with osculating heliocentric elements (AU, degrees, epoch TDB)."""

    name: Name
    designation: str | None = None
    epoch: TimeTDB
    a: Annotated[float, Field(gt=0.0, lt=1000.0, description="semi-major axis, AU")]
    e: Annotated[float, Field(ge=0.0, lt=1.0, description="eccentricity (elliptic orbits only)")]
    i: Annotated[float, Field(ge=0.0, le=180.0, description="inclination, degrees")]
    node: Annotated[float, Field(ge=-360.0, le=360.0)]
    peri: Annotated[float, Field(ge=-360.0, le=360.0)]
    M: Annotated[float, Field(ge=-360.0, le=360.0)]
    plane: Literal["ecliptic", "equator"] = "ecliptic"
    diameter_km: Annotated[float, Field(gt=0.0)] | None = None
    spectral_class: str | None = None
    color: Color | None = None
    info: str | None = None


class CatalogSpec(StrictModel):
    """Many asteroids: a file (MPCORB.DAT[.gz] or SBDB CSV) or a synthetic belt."""

    path: FilePath | None = None
    synthetic: Annotated[int, Field(gt=0, le=5_000_000)] | None = None
    seed: int = 1
    limit: Annotated[int, Field(gt=0)] | None = None

    @model_validator(mode="after")
    def _one_source(self) -> CatalogSpec:
        if (self.path is None) == (self.synthetic is None):
            raise ValueError("give exactly one of 'path' or 'synthetic'")
        return self


class SiteSpec(StrictModel):
    """A surface site by selenographic latitude/longitude (degrees; east longitude)."""

    name: Name
    body: Literal["Moon"] = "Moon"
    lat: Annotated[float, Field(ge=-90.0, le=90.0)]
    lon: Annotated[float, Field(ge=-180.0, le=360.0)]
    elevation_m: Annotated[float, Field(ge=-20_000.0, le=20_000.0)] = 0.0
    horizon_deg: Annotated[float, Field(ge=0.0, le=45.0)] = 0.0
    info: str | None = None


class LegSpec(StrictModel):
    """One leg of a multi-leg ship: where to, when, and the cargo carried (kg)."""

    to: Name
    depart: TimeTDB
    arrive: TimeTDB
    cargo_kg: Annotated[float, Field(ge=0.0)] = 0.0


class ShipSpec(StrictModel):
    """A ship: a Lambert transfer between two named objects, several legs from `from`
    (`legs`), or a CCSDS OEM file."""

    name: Name
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None
    depart: TimeTDB | None = None
    arrive: TimeTDB | None = None
    legs: Annotated[list[LegSpec], Field(min_length=1, max_length=100)] | None = None
    oem: FilePath | None = None
    cargo_kg: Annotated[float, Field(ge=0.0)] = 0.0
    info: str | None = None

    def leg_list(self) -> list[tuple[str, float, float, float]]:
        """(to, depart TDB, arrive TDB, cargo kg) for every leg, in order."""
        if self.legs is not None:
            return [(leg.to, leg.depart, leg.arrive, leg.cargo_kg) for leg in self.legs]
        return [(self.to, self.depart, self.arrive, self.cargo_kg)]

    @model_validator(mode="after")
    def _transfer_or_file(self) -> ShipSpec:
        transfer = [self.from_, self.to, self.depart, self.arrive]
        if self.oem is not None:
            if any(v is not None for v in transfer) or self.legs is not None:
                raise ValueError("give either 'oem' or 'from'/'to'/'depart'/'arrive', not both")
            return self
        if self.legs is not None:
            if any(v is not None for v in transfer[1:]):
                raise ValueError("with 'legs', give only 'from' (each leg has to/depart/arrive)")
            if self.from_ is None:
                raise ValueError("a ship with 'legs' needs 'from'")
            return self
        missing = [k for k, v in zip(("from", "to", "depart", "arrive"), transfer, strict=True)
                   if v is None]
        if missing:
            raise ValueError("a transfer needs " + ", ".join(f"'{m}'" for m in missing)
                             + " (or an 'oem' file)")
        return self


class EventSpec(StrictModel):
    """A named moment on the timeline."""

    name: Name
    time: TimeTDB
    target: str | None = None
    description: str = ""


class TourStopSpec(StrictModel):
    """One stop of a tour: target, scenario time (or a range to play through), camera, text."""

    target: str
    time: TimeTDB
    until: TimeTDB | None = None
    distance_au: Annotated[float, Field(gt=0.0, le=1000.0)] = 1.0
    azimuth: float | None = None  # default: overhead for surface targets, sunlit for bodies
    elevation: Annotated[float, Field(ge=-90.0, le=90.0)] | None = None
    caption: str = ""
    title: str = ""
    duration_s: Annotated[float, Field(ge=0.0, le=3600.0)] = 8.0
    transition_s: Annotated[float, Field(gt=0.0, le=600.0)] = 3.0


class TourSpec(StrictModel):
    """A guided tour: a name and its stops, played in order."""

    name: Name
    title: str = ""
    stop: Annotated[list[TourStopSpec], Field(min_length=1)]


class ViewSpec(StrictModel):
    """The camera when the scenario opens: target, distance (AU) and angles (degrees)."""

    target: str = "Sun"
    distance_au: Annotated[float, Field(gt=0.0, le=1000.0)] = 6.0
    azimuth: float = 30.0
    elevation: Annotated[float, Field(ge=-90.0, le=90.0)] = 35.0
    rate: float = Field(default=30.0, description="initial playback rate, days per second")


class Scenario(StrictModel):
    """A whole scenario file. Times are TDB Julian dates."""

    schema_version: Literal[1]
    title: Name
    description: str = ""
    start: TimeTDB
    end: TimeTDB
    mining_targets: bool = False  # add the shipped targets (resources/targets) as asteroids
    view: ViewSpec = ViewSpec()
    asteroid: list[AsteroidSpec] = []
    catalog: list[CatalogSpec] = []
    site: list[SiteSpec] = []
    ship: list[ShipSpec] = []
    event: list[EventSpec] = []
    tour: list[TourSpec] = []
    facility: list[FacilitySpec] = []
    shipment: list[ShipmentSpec] = []

    source_path: Path | None = Field(default=None, exclude=True)

    def object_names(self) -> list[str]:
        """Names of the bodies, asteroids, sites, facilities and ships the scenario defines."""
        return (list(MAJOR_BODY_NAMES) + [a.name for a in self.asteroid]
                + [s.name for s in self.site] + [f.name for f in self.facility]
                + [s.name for s in self.ship])


# ---------------------------------------------------------------------------------------
# Loading


def _field_text(loc: tuple, data: dict) -> str:
    """`asteroid[Ceres].e` for a pydantic location, naming array items when they have names."""
    out = ""
    node: Any = data
    for part in loc:
        if isinstance(part, int):
            label = str(part)
            if isinstance(node, list) and part < len(node):
                item = node[part]
                if isinstance(item, dict) and isinstance(item.get("name"), str) and item["name"].strip():
                    label = item["name"]
                node = item
            out += f"[{label}]"
        else:
            node = node.get(part) if isinstance(node, dict) else None
            out += ("." if out else "") + str(part)
    return out or "(file)"


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
            problems.append(Problem(source, line_of(lines, loc), _field_text(loc, data), _message(error)))
    problems.extend(_check_references(data, lines, source))
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


def _named_items(data: dict, section: str) -> list[tuple[int, dict]]:
    items = data.get(section)
    if not isinstance(items, list):
        return []
    return [(i, item) for i, item in enumerate(items) if isinstance(item, dict)]


def _target_names() -> set[str]:
    """Lower-case names, labels and designations of the shipped mining targets."""
    from spaceviz.core.targets import mining_targets

    names: set[str] = set()
    for target in mining_targets():
        names |= {target.name.lower(), target.label.lower()}
        if target.designation:
            names.add(target.designation.lower())
    return names


def _time_or_none(value: Any) -> float | None:
    try:
        return _to_tdb(value)
    except (ValueError, TypeError):
        return None


def _check_order(data: dict, lines: dict, source: str) -> list[Problem]:
    """`end` after `start`, each ship's `arrive` after its `depart`."""
    problems: list[Problem] = []
    pairs = [(data, ("start",), ("end",), "'end' must be after 'start'")]
    for index, item in _named_items(data, "ship"):
        pairs.append((item, ("ship", index, "depart"), ("ship", index, "arrive"),
                      "'arrive' must be after 'depart'"))
        legs = item.get("legs") if isinstance(item.get("legs"), list) else []
        previous_arrive = None
        for leg_index, leg in enumerate(legs):
            if not isinstance(leg, dict):
                continue
            loc = ("ship", index, "legs", leg_index)
            pairs.append((leg, loc + ("depart",), loc + ("arrive",),
                          "'arrive' must be after 'depart'"))
            depart = _time_or_none(leg.get("depart"))
            if previous_arrive is not None and depart is not None and depart < previous_arrive:
                problems.append(Problem(source, line_of(lines, loc + ("depart",)),
                                        _field_text(loc + ("depart",), data),
                                        "a leg cannot depart before the previous leg arrives"))
            previous_arrive = _time_or_none(leg.get("arrive"))
    for table, first_loc, second_loc, message in pairs:
        first = _time_or_none(table.get(first_loc[-1]))
        second = _time_or_none(table.get(second_loc[-1]))
        if first is not None and second is not None and second <= first:
            problems.append(Problem(source, line_of(lines, second_loc),
                                    _field_text(second_loc, data), message))
    return problems


def _check_references(data: dict, lines: dict, source: str) -> list[Problem]:
    """Duplicate names and references to objects that the scenario does not define."""
    problems: list[Problem] = _check_order(data, lines, source)
    seen: dict[str, tuple] = {b.lower(): ("body",) for b in MAJOR_BODY_NAMES}
    target_names = _target_names() if data.get("mining_targets") is True else set()
    for section in ("asteroid", "site", "ship"):
        for index, item in _named_items(data, section):
            name = item.get("name")
            if not isinstance(name, str):
                continue
            key = name.strip().lower()
            loc = (section, index, "name")
            if key in seen:
                where = "a major body" if seen[key] == ("body",) else \
                    f"line {line_of(lines, seen[key])}"
                if seen[key] == ("target",):
                    continue  # a scenario asteroid may override a shipped target
                problems.append(Problem(source, line_of(lines, loc), _field_text(loc, data),
                                        f"duplicate name '{name}' (already used by {where})"))
            else:
                seen[key] = loc
    for key in target_names:
        seen.setdefault(key, ("target",))
    has_catalog = bool(data.get("catalog"))
    named_facilities = {item["name"].strip().lower() for _, item in _named_items(data, "facility")
                        if isinstance(item.get("name"), str)}
    targets = set(seen) | named_facilities  # what tours and the view may look at
    for index, item in _named_items(data, "ship"):
        legs = item.get("legs") if isinstance(item.get("legs"), list) else []
        place = item.get("from")
        for leg_index, leg in enumerate(legs):
            ref = leg.get("to") if isinstance(leg, dict) else None
            loc = ("ship", index, "legs", leg_index, "to")
            if not isinstance(ref, str):
                continue
            if isinstance(place, str) and ref.strip().lower() == place.strip().lower():
                problems.append(Problem(source, line_of(lines, loc), _field_text(loc, data),
                                        f"this leg goes nowhere: the ship is already at '{ref}'"))
            elif (ref.strip().lower() not in seen and canonical_body_name(ref) is None
                  and ref.strip().lower() not in named_facilities and not has_catalog):
                problems.append(Problem(source, line_of(lines, loc), _field_text(loc, data),
                                        f"'{ref}' is not a body, asteroid or site of this scenario"))
            place = ref
        for key in ("from", "to"):
            ref = item.get(key)
            if not isinstance(ref, str):
                continue
            if (ref.strip().lower() in seen or canonical_body_name(ref) is not None
                    or ref.strip().lower() in named_facilities):
                continue
            if has_catalog:
                continue  # may name a catalogue asteroid; checked when the catalogue loads
            loc = ("ship", index, key)
            problems.append(Problem(source, line_of(lines, loc), _field_text(loc, data),
                                    f"'{ref}' is not a body, asteroid or site of this scenario"))
        if item.get("from") is not None and item.get("from") == item.get("to"):
            loc = ("ship", index, "to")
            problems.append(Problem(source, line_of(lines, loc), _field_text(loc, data),
                                    "'from' and 'to' are the same object"))
    for tour_index, tour in _named_items(data, "tour"):
        stops = tour.get("stop") if isinstance(tour.get("stop"), list) else []
        for stop_index, stop in enumerate(stops):
            target = stop.get("target") if isinstance(stop, dict) else None
            if isinstance(target, str) and target.strip().lower() not in targets and not has_catalog:
                loc = ("tour", tour_index, "stop", stop_index, "target")
                problems.append(Problem(source, line_of(lines, loc), _field_text(loc, data),
                                        f"'{target}' is not a body, asteroid, site, facility or "
                                        "ship of this scenario"))
    tour_names = [t.get("name") for _, t in _named_items(data, "tour")]
    for tour_index, tour in _named_items(data, "tour"):
        name = tour.get("name")
        if isinstance(name, str) and tour_names.index(name) != tour_index:
            loc = ("tour", tour_index, "name")
            problems.append(Problem(source, line_of(lines, loc), _field_text(loc, data),
                                    f"duplicate tour name '{name}'"))
    places = [item.get("name") for section in ("site", "asteroid")
              for _, item in _named_items(data, section) if isinstance(item.get("name"), str)]
    places += sorted(target_names)
    names = list(MAJOR_BODY_NAMES) + places + [
        item.get("name") for _, item in _named_items(data, "ship") if isinstance(item.get("name"), str)]
    problems.extend(operations_problems(data, lines, source, places, names, has_catalog))
    view = data.get("view")
    if isinstance(view, dict) and isinstance(view.get("target"), str):
        target = view["target"]
        if target.strip().lower() not in targets and not has_catalog:
            loc = ("view", "target")
            problems.append(Problem(source, line_of(lines, loc), "view.target",
                                    f"'{target}' is not a body, asteroid, site or ship of this scenario"))
    return problems


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
                problems.append(Problem(source, line_of(lines, loc), _field_text(loc, data),
                                        f"file not found: {path}"))
    return problems


def default_scenario_path() -> Path:
    """The scenario shipped with spaceviz (resources/scenarios/default.toml)."""
    from spaceviz.paths import DEFAULT_SCENARIO

    return DEFAULT_SCENARIO
