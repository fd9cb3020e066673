"""Cross-checks of a scenario's raw tables: duplicate names, references to objects the
scenario does not define, times in order. Each problem names its line and field."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from spaceviz.core.astro.bodies import MAJOR_BODY_NAMES, canonical_body_name
from spaceviz.core.errors import Problem
from spaceviz.core.scenario.fields import to_tdb
from spaceviz.core.scenario.tomlpos import line_of

# Loading


def field_text(loc: tuple, data: dict) -> str:
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


def _named_items(data: dict, section: str) -> list[tuple[int, dict]]:
    items = data.get(section)
    if not isinstance(items, list):
        return []
    return [(i, item) for i, item in enumerate(items) if isinstance(item, dict)]


def _target_names() -> set[str]:
    """Lower-case names, labels and designations of the shipped mining targets."""
    from spaceviz.core.mission.targets import mining_targets

    names: set[str] = set()
    for target in mining_targets():
        names |= {target.name.lower(), target.label.lower()}
        if target.designation:
            names.add(target.designation.lower())
    return names


def _time_or_none(value: Any) -> float | None:
    try:
        return to_tdb(value)
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
                                        field_text(loc + ("depart",), data),
                                        "a leg cannot depart before the previous leg arrives"))
            previous_arrive = _time_or_none(leg.get("arrive"))
    for table, first_loc, second_loc, message in pairs:
        first = _time_or_none(table.get(first_loc[-1]))
        second = _time_or_none(table.get(second_loc[-1]))
        if first is not None and second is not None and second <= first:
            problems.append(Problem(source, line_of(lines, second_loc),
                                    field_text(second_loc, data), message))
    return problems


def check_references(data: dict, lines: dict, source: str) -> list[Problem]:
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
                problems.append(Problem(source, line_of(lines, loc), field_text(loc, data),
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
                problems.append(Problem(source, line_of(lines, loc), field_text(loc, data),
                                        f"this leg goes nowhere: the ship is already at '{ref}'"))
            elif (ref.strip().lower() not in seen and canonical_body_name(ref) is None
                  and ref.strip().lower() not in named_facilities and not has_catalog):
                problems.append(Problem(source, line_of(lines, loc), field_text(loc, data),
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
            problems.append(Problem(source, line_of(lines, loc), field_text(loc, data),
                                    f"'{ref}' is not a body, asteroid or site of this scenario"))
        if item.get("from") is not None and item.get("from") == item.get("to"):
            loc = ("ship", index, "to")
            problems.append(Problem(source, line_of(lines, loc), field_text(loc, data),
                                    "'from' and 'to' are the same object"))
    for tour_index, tour in _named_items(data, "tour"):
        stops = tour.get("stop") if isinstance(tour.get("stop"), list) else []
        for stop_index, stop in enumerate(stops):
            target = stop.get("target") if isinstance(stop, dict) else None
            if isinstance(target, str) and target.strip().lower() not in targets and not has_catalog:
                loc = ("tour", tour_index, "stop", stop_index, "target")
                problems.append(Problem(source, line_of(lines, loc), field_text(loc, data),
                                        f"'{target}' is not a body, asteroid, site, facility or "
                                        "ship of this scenario"))
    tour_names = [t.get("name") for _, t in _named_items(data, "tour")]
    for tour_index, tour in _named_items(data, "tour"):
        name = tour.get("name")
        if isinstance(name, str) and tour_names.index(name) != tour_index:
            loc = ("tour", tour_index, "name")
            problems.append(Problem(source, line_of(lines, loc), field_text(loc, data),
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


# ---------------------------------------------------------------------------------------
# Scenario cross-checks


def operations_problems(data: Mapping[str, Any], lines: Mapping[tuple, int], source: str,
                        places: Iterable[str], names: Iterable[str],
                        has_catalog: bool = False) -> list[Problem]:
    """Problems in the raw `facility` and `shipment` tables of a scenario, with lines.

    `places` are the names a facility may sit at (sites and asteroids); `names` are all other
    names already used (bodies, asteroids, sites, ships) for duplicates and destinations.
    With a catalogue, `at` and `to` may name catalogue asteroids and are not checked.
    """
    problems: list[Problem] = []
    place_keys = {p.strip().lower() for p in places}
    used = {n.strip().lower() for n in names}
    destination_keys = set(used) | place_keys

    def problem(loc: tuple, label: str, message: str) -> None:
        problems.append(Problem(source, line_of(dict(lines), loc), label, message))

    facilities: dict[str, str | None] = {}
    for section in ("facility", "shipment"):
        items = data.get(section)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                continue
            name = item["name"]
            key = name.strip().lower()
            if key in used:
                problem((section, index, "name"), f"{section}[{name}].name",
                        f"duplicate name '{name}'")
            used.add(key)
            if section == "facility":
                facilities[key] = item.get("resource") if isinstance(item.get("resource"), str) else None
                destination_keys.add(key)

    for index, item in enumerate(data.get("facility") or []):
        if not isinstance(item, dict):
            continue
        label = f"facility[{item.get('name', index)}]"
        at = item.get("at")
        if isinstance(at, str) and at.strip().lower() not in place_keys and not has_catalog:
            problem(("facility", index, "at"), f"{label}.at",
                    f"'{at}' is not a site or asteroid of this scenario")

    for index, item in enumerate(data.get("shipment") or []):
        if not isinstance(item, dict):
            continue
        label = f"shipment[{item.get('name', index)}]"
        origin = item.get("from")
        if isinstance(origin, str):
            okey = origin.strip().lower()
            if okey not in facilities:
                problem(("shipment", index, "from"), f"{label}.from",
                        f"'{origin}' is not a facility of this scenario")
            else:
                resource = item.get("resource")
                made = facilities[okey]
                if isinstance(resource, str) and made is not None and resource != made:
                    problem(("shipment", index, "resource"), f"{label}.resource",
                            f"'{origin}' extracts {made}, not {resource}")
        to = item.get("to")
        if isinstance(to, str):
            if isinstance(origin, str) and to.strip().lower() == origin.strip().lower():
                problem(("shipment", index, "to"), f"{label}.to", "'from' and 'to' are the same")
            elif to.strip().lower() not in destination_keys and not has_catalog:
                problem(("shipment", index, "to"), f"{label}.to",
                        f"'{to}' is not a body, site, asteroid or facility of this scenario")
    return problems

