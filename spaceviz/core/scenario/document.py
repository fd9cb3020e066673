"""Editable scenarios: the TOML file as its author wrote it, and typed edits to it.

A `ScenarioDocument` holds a scenario's text as a tomlkit document, so that saving writes
back the author's comments, key order and formatting and changes only what was edited (an
unchanged document saves byte for byte as it was read). Edits are values (`SetValues`,
`AddTable`, `RemoveTable`, `MoveTable`, `Batch`, made by the functions at the end of this
module) applied to a copy (`edited`); `build` reads and builds the copy with the rules of
loading a file (`read_scenario`, `Session.from_read`), so an edit that breaks the scenario is
refused with the loader's problems (`FILE:LINE: field: message`) while the last good session
stays.

Key paths (`Loc`) are those of the file: ("tour", 0, "stop", 2) is the third `[[tour.stop]]`
of the first `[[tour]]`; ("ship", 1, "legs", 0) the first inline table of a ship's `legs`.
"""

from __future__ import annotations

import codecs
import copy
import os
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import tomlkit
from tomlkit.items import AoT, Comment, Float, Table, Trivia, Whitespace

from spaceviz.core.astro.time import format_iso
from spaceviz.core.errors import UserError
from spaceviz.core.scenario.loader import ReadResult, read_scenario, read_text
from spaceviz.core.scenario.session import Session

Loc = tuple[str | int, ...]
CAPTION_WIDTH = 92
"""Long text written by the app is wrapped at this column (whitespace in captions is not
significant: tours join their lines)."""
PATH_KEYS = (("catalog", "path"), ("ship", "oem"))
"""Keys holding paths relative to the scenario file (rewritten when saved elsewhere)."""


# --- values as the app writes them ---------------------------------------------------------


def number(value: float, digits: int) -> Float:
    """A TOML float rounded to `digits` significant digits, written without an exponent
    (0.00003, not 3e-05) as authors write them."""
    rounded = float(f"{float(value):.{digits}g}")
    text = np.format_float_positional(rounded, trim="0")
    return Float(rounded, Trivia(), text)


def angle(value_deg: float) -> Float:
    """Degrees to a tenth (camera angles)."""
    return number(round(float(value_deg), 1), 6)


def coordinate(value_deg: float) -> Float:
    """Latitude or longitude to a thousandth of a degree (30 m on the Moon)."""
    return number(round(float(value_deg), 3), 8)


def time_text(t_tdb: float) -> str:
    """A time as the scenario files write it: ISO-8601 UTC to the second."""
    return format_iso(t_tdb)


def when(value: float | str) -> str:
    """A time field's value: a TDB Julian date written as ISO UTC, or text as the user typed
    it (the schema checks it, as it checks a file)."""
    return value.strip() if isinstance(value, str) else time_text(value)


def text_value(text: str):
    """A string: multi-line (triple-quoted) when it has line breaks or is long (wrapped)."""
    text = text.strip()
    if "\n" not in text and len(text) <= CAPTION_WIDTH:
        return tomlkit.string(text)
    if "\n" not in text:
        text = textwrap.fill(text, CAPTION_WIDTH, break_long_words=False)
    if '"""' in text or text.endswith('"') or "\\" in text:
        return tomlkit.string(text)  # escaped on one line rather than a fragile block
    return tomlkit.string(text, multiline=True)


def _item(value: Any):
    if isinstance(value, str):
        return text_value(value)
    if isinstance(value, float) and not isinstance(value, Float):
        return number(value, 10)
    return tomlkit.item(value)


# --- the structure of a tomlkit document -----------------------------------------------------


def _node(doc, loc: Loc):
    node = doc
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            raise UserError(f"the scenario has no {_loc_text(loc)}") from None
    return node


def _loc_text(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


def _tail(table: Table) -> list:
    """The comments and blank lines after a table's last key: in tomlkit they belong to the
    table, though an author wrote them above whatever follows."""
    body = table.value.body
    count = 0
    while count < len(body) and body[len(body) - 1 - count][0] is None \
            and isinstance(body[len(body) - 1 - count][1], Whitespace | Comment):
        count += 1
    return body[len(body) - count:] if count else []


def _set_tail(table: Table, items: list) -> None:
    body = table.value.body
    for _ in range(len(_tail(table))):
        body.pop()
    body.extend(items)


BLANK_LINE = [(None, Whitespace("\n"))]


def _separated(items: list) -> list:
    """A tail that ends a table with one blank line (comments of the next table kept)."""
    return items if items and isinstance(items[0][1], Whitespace) else BLANK_LINE + items


def _table(values: dict) -> Table:
    table = tomlkit.table()
    for key, value in values.items():
        if value is not None:
            table[key] = _item(value)
    return table


class _ArrayEdit:
    """Changes the order of an array of tables while the comments written above the next
    table stay above it: the tail of the last table is set aside and given back to whichever
    table ends up last."""

    def __init__(self, array: AoT):
        self.array = array
        self.tail = _tail(array[-1]) if len(array) else []
        if len(array):
            _set_tail(array[-1], BLANK_LINE)

    def done(self) -> None:
        if len(self.array):
            _set_tail(self.array[-1], _separated(self.tail) if self.tail else [])


# --- edits ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """One change to a scenario document; `label` names it in the undo history."""

    label: str

    def apply(self, doc) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class SetValues(Edit):
    """Set keys of one table (None removes a key). A replaced value keeps its comment, in
    the same column."""

    table: Loc
    values: dict

    def apply(self, doc) -> None:
        table = _node(doc, self.table)
        for key, value in self.values.items():
            if value is None:
                if key in table:
                    del table[key]
                continue
            new = _item(value)
            old = table.get(key) if hasattr(table, "get") else None
            if old is not None and getattr(old, "trivia", None) is not None and old.trivia.comment:
                width = len(old.trivia.comment_ws) + len(old.as_string()) - len(new.as_string())
                new.trivia.comment_ws = " " * max(1, width)
                new.trivia.comment = old.trivia.comment
            table[key] = new


@dataclass(frozen=True)
class AddTable(Edit):
    """Add a table to an array of tables (`[[site]]`, `[[tour.stop]]`) at `index` (default:
    the end), its keys in the order given; the array is created when the file has none."""

    array: Loc
    values: dict
    index: int | None = None

    def apply(self, doc) -> None:
        parent = _node(doc, self.array[:-1])
        key = self.array[-1]
        table = _table(self.values)
        if key not in parent:
            array = tomlkit.aot()
            array.append(table)
            if isinstance(parent, tomlkit.TOMLDocument) and parent.body \
                    and not parent.as_string().endswith("\n\n"):
                parent.add(tomlkit.nl())
            parent[key] = array
            return
        array = parent[key]
        edit = _ArrayEdit(array)
        index = len(array) if self.index is None else min(max(self.index, 0), len(array))
        _set_tail(table, BLANK_LINE)
        array.insert(index, table)
        edit.done()


@dataclass(frozen=True)
class RemoveTable(Edit):
    """Remove the table at `index` of an array of tables (the array goes when it empties)."""

    array: Loc
    index: int

    def apply(self, doc) -> None:
        parent = _node(doc, self.array[:-1])
        array = _node(doc, self.array)
        if len(array) == 1:
            del parent[self.array[-1]]
            return
        edit = _ArrayEdit(array)
        del array[self.index]
        edit.done()


@dataclass(frozen=True)
class MoveTable(Edit):
    """Move the table at `index` of an array of tables to position `to`."""

    array: Loc
    index: int
    to: int

    def apply(self, doc) -> None:
        array = _node(doc, self.array)
        if not 0 <= self.index < len(array):
            raise UserError(f"there is no {_loc_text(self.array + (self.index,))}")
        edit = _ArrayEdit(array)
        table = array[self.index]
        del array[self.index]
        array.insert(min(max(self.to, 0), len(array)), table)
        edit.done()


@dataclass(frozen=True)
class Batch(Edit):
    """Several edits as one (one entry in the undo history)."""

    edits: tuple[Edit, ...]

    def apply(self, doc) -> None:
        for edit in self.edits:
            edit.apply(doc)


# --- the document -------------------------------------------------------------------------


class ScenarioDocument:
    """A scenario's TOML text as its author wrote it, where it is saved (`path`, None for an
    unsaved copy) and the folder its relative paths are read from."""

    def __init__(self, text: str, path: Path | None = None, folder: Path | None = None,
                 name: str | None = None, bom: bool = False):
        self._doc = tomlkit.parse(text)
        self.path = Path(path).resolve() if path is not None else None
        self.folder = Path(folder) if folder is not None else (
            self.path.parent if self.path is not None else Path.cwd())
        self.name = name or (str(path) if path is not None else "untitled.toml")
        self.bom = bom
        self.saved_text = text

    @classmethod
    def open(cls, path: str | Path) -> ScenarioDocument:
        """Read a scenario file (InputFileError when it cannot be read as text)."""
        path = Path(path)
        text = read_text(path)
        bom = path.read_bytes()[:3] == codecs.BOM_UTF8
        return cls(text, path, name=str(path), bom=bom)

    @property
    def text(self) -> str:
        return tomlkit.dumps(self._doc)

    @property
    def modified(self) -> bool:
        """Whether the text differs from what was read or last saved."""
        return self.text != self.saved_text

    def copy(self, text: str | None = None) -> ScenarioDocument:
        """The same file with this text (default: the current one)."""
        other = copy.copy(self)
        other._doc = tomlkit.parse(self.text if text is None else text)
        return other

    def as_untitled(self, name: str) -> ScenarioDocument:
        """An unsaved copy (Save asks where), reading relative paths from the same folder."""
        other = self.copy()
        other.path = None
        other.name = name
        other.saved_text = other.text
        return other

    def edited(self, edit: Edit) -> ScenarioDocument:
        """A copy with the edit applied (UserError when it does not fit the file)."""
        other = self.copy()
        edit.apply(other._doc)
        return other

    def value(self, loc: Loc, default=None):
        """A value as written (plain Python), or `default` where the file has none."""
        try:
            node = _node(self._doc, loc)
        except UserError:
            return default
        return node.unwrap() if hasattr(node, "unwrap") else node

    # --- reading and building --------------------------------------------------------------
    def read(self) -> ReadResult:
        """Validate the text as a scenario file is validated."""
        result = read_scenario(self.text, self.name, self.folder)
        if result.scenario is not None:
            result.scenario.source_path = self.path
        return result

    def build(self, previous: Session | None = None) -> Session:
        """The Session this text describes, built as loading builds a file (InputFileError
        listing every problem). Catalogues are left to load in the background, except that
        those already loaded for `previous` are reused when the [[catalog]] tables are the
        same."""
        session = Session.from_read(self.read(), defer_catalogs=True)
        if (previous is not None and session.catalogs_pending and not previous.catalogs_pending
                and previous.world.catalogs
                and session.scenario.catalog == previous.scenario.catalog):
            session.add_catalogs(previous.world.catalogs)
        return session

    # --- saving ----------------------------------------------------------------------------
    def save(self, path: str | Path | None = None) -> Path:
        """Write the text to `path` (default: where it was read), atomically: `F.part`, then a
        rename. Saved into another folder, relative paths are rewritten to point at the same
        files."""
        target = Path(path).resolve() if path is not None else self.path
        if target is None:
            raise UserError("this scenario has not been saved yet: choose a file (Save as)")
        if target.parent != self.folder.resolve():
            self._rebase_paths(target.parent)
        text = self.text
        data = (codecs.BOM_UTF8 if self.bom else b"") + text.encode("utf-8")
        part = target.with_name(target.name + ".part")
        try:
            part.write_bytes(data)
            os.replace(part, target)
        except OSError as exc:
            part.unlink(missing_ok=True)
            raise UserError(f"could not save {target}: {exc.strerror or exc}") from None
        self.path, self.folder, self.name = target, target.parent, str(target)
        self.saved_text = text
        return target

    def _rebase_paths(self, folder: Path) -> None:
        for section, key in PATH_KEYS:
            for table in self._doc.get(section, []):
                written = table.get(key)
                if isinstance(written, str) and not Path(written).is_absolute():
                    moved = os.path.relpath((self.folder / written).resolve(), folder)
                    table[key] = Path(moved).as_posix()
        self.folder = folder


# --- typed edits for what the app edits ---------------------------------------------------


STOP_KEYS = ("title", "target", "time", "until", "distance_au", "azimuth", "elevation",
             "transition_s", "duration_s", "caption")
"""The order the app writes a tour stop's keys in (the shipped scenarios' order)."""


def stop_values(target: str, t_tdb: float, distance_au: float, azimuth_deg: float | None,
                elevation_deg: float | None, until_tdb: float | None = None, caption: str = "",
                title: str = "", duration_s: float | None = None,
                transition_s: float | None = None) -> dict:
    """A tour stop's keys as written: times as ISO UTC, the distance to 4 digits, angles to a
    tenth of a degree; empty text and defaults left out."""
    values = {"title": title or None, "target": target, "time": time_text(t_tdb),
              "until": time_text(until_tdb) if until_tdb is not None else None,
              "distance_au": number(distance_au, 4),
              "azimuth": angle(azimuth_deg % 360.0) if azimuth_deg is not None else None,
              "elevation": angle(elevation_deg) if elevation_deg is not None else None,
              "transition_s": number(transition_s, 4) if transition_s is not None else None,
              "duration_s": number(duration_s, 4) if duration_s is not None else None,
              "caption": caption or None}
    return {key: values[key] for key in STOP_KEYS if values[key] is not None}


def add_stop(tour: int, values: dict, index: int | None = None) -> AddTable:
    return AddTable(f"Add stop at {values['target']}", ("tour", tour, "stop"), values, index)


def add_tour(name: str, title: str, first_stop: dict) -> AddTable:
    """A new `[[tour]]` with its first stop."""
    return AddTable(f"New tour '{name}'", ("tour",),
                    {"name": name, "title": title or None, "stop": [first_stop]})


def set_stop(tour: int, stop: int, values: dict, label: str | None = None) -> SetValues:
    """Change keys of a stop; text is written as `text_value` writes it, numbers as given."""
    return SetValues(label or "Edit stop " + str(stop + 1), ("tour", tour, "stop", stop), values)


def remove_stop(tour: int, stop: int) -> RemoveTable:
    return RemoveTable(f"Delete stop {stop + 1}", ("tour", tour, "stop"), stop)


def move_stop(tour: int, stop: int, to: int) -> MoveTable:
    return MoveTable(f"Move stop {stop + 1} to {to + 1}", ("tour", tour, "stop"), stop, to)


def add_site(name: str, lat_deg: float, lon_deg: float, info: str = "") -> AddTable:
    return AddTable(f"Add site '{name}'", ("site",),
                    {"name": name, "body": "Moon", "lat": coordinate(lat_deg),
                     "lon": coordinate(lon_deg), "info": info or None})


def move_site(index: int, name: str, lat_deg: float, lon_deg: float) -> SetValues:
    return SetValues(f"Move site '{name}'", ("site", index),
                     {"lat": coordinate(lat_deg), "lon": coordinate(lon_deg)})


def add_facility(name: str, at: str, resource: str, rate_kg_per_day: float, start: float | str,
                 storage_kg: float, power: str = "solar", ramp_up_days: float = 0.0,
                 info: str = "") -> AddTable:
    return AddTable(f"Add facility '{name}'", ("facility",),
                    {"name": name, "at": at, "resource": resource,
                     "rate_kg_per_day": number(rate_kg_per_day, 6),
                     "start": when(start),
                     "ramp_up_days": number(ramp_up_days, 6) if ramp_up_days else None,
                     "power": power, "storage_kg": number(storage_kg, 6),
                     "info": info or None})


def add_ship(name: str, origin: str, target: str, depart: float | str, arrive: float | str,
             cargo_kg: float = 0.0, info: str = "") -> AddTable:
    return AddTable(f"Add ship '{name}'", ("ship",),
                    {"name": name, "from": origin, "to": target,
                     "depart": when(depart), "arrive": when(arrive),
                     "cargo_kg": number(cargo_kg, 6) if cargo_kg else None,
                     "info": info or None})


def ship_dates(session: Session, name: str) -> Edit | None:
    """The edit that writes a ship's flown dates (after a re-plan, e.g. a porkchop click)
    into its table: `depart`/`arrive`, or those of each changed leg. None when the file
    already says so (to the second) or the ship flies an OEM file."""
    ship = session.ship(name)
    specs = session.scenario.ship
    index = next(i for i, spec in enumerate(specs) if spec.name.strip().lower()
                 == ship.name.strip().lower())
    spec = specs[index]
    if spec.oem is not None:
        return None
    written = ([(leg.depart, leg.arrive) for leg in spec.legs] if spec.legs is not None
               else [(spec.depart, spec.arrive)])
    edits = []
    for k, (leg, (depart, arrive)) in enumerate(zip(ship.plan.legs, written, strict=True)):
        if abs(leg.depart_tdb - depart) * 86400 < 0.5 and abs(leg.arrive_tdb - arrive) * 86400 < 0.5:
            continue
        loc = ("ship", session.scenario.key_path(("ship", index))[1]) + (
            ("legs", k) if spec.legs is not None else ())
        edits.append(SetValues("", loc, {"depart": time_text(leg.depart_tdb),
                                         "arrive": time_text(leg.arrive_tdb)}))
    if not edits:
        return None
    return Batch(f"Fly '{ship.name}' on new dates", tuple(edits))
