"""Forms that edit the scenario, with each problem shown under the field it concerns.

`FieldForm` lays out labelled fields, each with a (hidden) problem line beneath; problems come
from building the edited scenario (`FILE:LINE: field: message`, the loader's own) and go
under the field whose key ends their `field`, or at the bottom when no field matches. The
dialogs add a lunar site, a facility or a ship; OK tries the edit and stays open, showing the
problems, until it loads.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from spaceviz.core.astro.time import format_iso, format_utc, parse_time
from spaceviz.core.errors import Problem, UserError
from spaceviz.core.mission.operations.resources import Resource
from spaceviz.core.scenario import document as edits
from spaceviz.core.scenario.world import Asteroid, Body, Facility, Site

PROBLEM_STYLE = "color: #e0584b;"
BAD_FIELD_STYLE = "border: 1px solid #e0584b;"


class FieldForm(QWidget):
    """Labelled fields with a problem line under each, and one for the whole form."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.layout_ = QFormLayout(self)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.fields: dict[str, tuple[QWidget, QLabel]] = {}
        self.general = self._problem_label()

    def _problem_label(self) -> QLabel:
        label = QLabel(self)
        label.setObjectName("problem")
        label.setWordWrap(True)
        label.setStyleSheet(PROBLEM_STYLE)
        label.hide()
        return label

    def add(self, key: str, text: str, widget: QWidget, tip: str = "") -> QWidget:
        """A field for the scenario key `key` (problems whose field ends with it go here)."""
        column = QWidget(self)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(widget)
        problem = self._problem_label()
        layout.addWidget(problem)
        if tip:
            widget.setToolTip(tip)
        self.layout_.addRow(text, column)
        self.fields[key] = (widget, problem)
        return widget

    def finish(self) -> None:
        """Put the form-wide problem line at the end (after the last field)."""
        self.layout_.addRow(self.general)

    def clear_problems(self) -> None:
        for widget, label in self.fields.values():
            label.hide()
            widget.setStyleSheet("")
        self.general.hide()

    def show_problems(self, problems: list[Problem], prefix: str = "") -> None:
        """Each problem under its field: the one whose key ends the problem's field (within
        the table `prefix`, e.g. "facility[Ice plant]"), else at the bottom."""
        self.clear_problems()
        by_field: dict[str, list[str]] = {}
        general = []
        for problem in problems:
            key = problem.field.rsplit(".", 1)[-1]
            mine = not prefix or problem.field.startswith(prefix)
            if mine and key in self.fields:
                by_field.setdefault(key, []).append(problem.message)
            else:
                where = f"line {problem.line}, " if problem.line else ""
                general.append(f"{where}{problem.field}: {problem.message}")
        for key, messages in by_field.items():
            widget, label = self.fields[key]
            label.setText("\n".join(messages))
            label.show()
            widget.setStyleSheet(BAD_FIELD_STYLE)
        if general:
            self.general.setText("\n".join(general))
            self.general.show()


def as_problems(exc: UserError) -> list[Problem]:
    """The problems of a failed edit (one general problem for a plain UserError)."""
    problems = getattr(exc, "problems", None)
    return list(problems) if problems else [Problem("", 0, "(edit)", str(exc))]


def time_field(t_tdb: float) -> QLineEdit:
    edit = QLineEdit(format_iso(t_tdb))
    edit.setPlaceholderText("2031-03-01T00:00:00Z or jd:2462500.5")
    return edit


def number_field(value: float, maximum: float, decimals: int, suffix: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(0.0, maximum)
    box.setDecimals(decimals)
    box.setValue(value)
    box.setSuffix(suffix)
    box.setGroupSeparatorShown(True)
    return box


def unique_name(world, stem: str) -> str:
    """`stem`, or `stem 2`, `stem 3`... : the first not used in the world."""
    name, count = stem, 1
    while name in world:
        count += 1
        name = f"{stem} {count}"
    return name


class EditDialog(QDialog):
    """A form whose OK button tries an edit: it closes when the scenario loads with it, and
    shows the problems next to the fields otherwise."""

    def __init__(self, title: str, commands, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.commands = commands
        self.state = commands.state
        layout = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.form = FieldForm(self)
        layout.addWidget(self.form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.try_edit)
        self.buttons.rejected.connect(self.reject)
        self._layout = layout

    def finish(self) -> None:
        self.form.finish()
        self._layout.addWidget(self.buttons)

    def make_edit(self) -> edits.Edit:
        raise NotImplementedError

    def table_prefix(self) -> str:
        return ""

    def try_edit(self) -> bool:
        try:
            edit = self.make_edit()
        except UserError as exc:
            self.form.show_problems(as_problems(exc))
            return False
        problems = self.commands.apply(edit)
        if problems:
            self.form.show_problems(problems, self.table_prefix())
            return False
        self.accept()
        return True


class SiteDialog(EditDialog):
    """Name a lunar site placed by a click (its latitude and longitude come from the pick)."""

    def __init__(self, commands, lat_deg: float, lon_deg: float, parent=None):
        super().__init__("Add a lunar site", commands, parent)
        self.lat_deg, self.lon_deg = lat_deg, lon_deg
        ns = "N" if lat_deg >= 0 else "S"
        ew = "E" if lon_deg >= 0 else "W"
        self.intro.setText(f"A site on the Moon at {abs(lat_deg):.2f}° {ns}, "
                           f"{abs(lon_deg):.2f}° {ew} (selenographic).")
        self.name = self.form.add("name", "Name", QLineEdit(unique_name(self.state.world,
                                                                        "New site")),
                                  "A name not used by any other object")
        self.info = self.form.add("info", "About it", QLineEdit(),
                                  "Shown in the info panel (optional)")
        self.finish()

    def table_prefix(self) -> str:
        return f"site[{self.name.text()}]"

    def make_edit(self) -> edits.Edit:
        return edits.add_site(self.name.text(), self.lat_deg, self.lon_deg, self.info.text())


class FacilityDialog(EditDialog):
    """A mining plant at a site or an asteroid."""

    def __init__(self, commands, at: str | None = None, parent=None):
        super().__init__("Add a facility", commands, parent)
        world = self.state.world
        self.intro.setText("A mining plant at a lunar site or an asteroid. It starts at the "
                           "date given and ramps up to its rate; storage full stops it.")
        self.name = self.form.add("name", "Name", QLineEdit(unique_name(world, "New plant")))
        self.at = QComboBox()
        self.at.setEditable(True)
        places = [o.name for o in world if isinstance(o, Site | Asteroid)]
        self.at.addItems(places)
        if at is not None:
            self.at.setCurrentText(at)
        self.form.add("at", "At", self.at, "A site or asteroid of this scenario")
        self.resource = QComboBox()
        for resource in Resource:
            self.resource.addItem(resource.display_name, resource.value)
        self.form.add("resource", "Resource", self.resource)
        self.rate = self.form.add("rate_kg_per_day", "Rate",
                                  number_field(1000.0, 1e9, 3, " kg/day"))
        self.start = self.form.add("start", "Starts", time_field(self.state.timeline.time),
                                   "ISO-8601 UTC, or jd:<TDB Julian date>")
        self.ramp = self.form.add("ramp_up_days", "Ramp-up", number_field(90.0, 36525.0, 1,
                                                                           " days"))
        self.power = QComboBox()
        self.power.addItems(["solar", "nuclear", "fission"])
        self.form.add("power", "Power", self.power,
                      "Solar plants stop while the Sun is below the site's horizon")
        self.storage = self.form.add("storage_kg", "Storage", number_field(200000.0, 1e15, 0,
                                                                           " kg"))
        self.finish()

    def table_prefix(self) -> str:
        return f"facility[{self.name.text()}]"

    def make_edit(self) -> edits.Edit:
        return edits.add_facility(self.name.text(), self.at.currentText(),
                                  self.resource.currentData(), self.rate.value(),
                                  self.start.text().strip(), self.storage.value(),
                                  self.power.currentText(), self.ramp.value())


class ShipDialog(EditDialog):
    """A ship between two objects, its dates picked on the launch-window porkchop."""

    def __init__(self, commands, origin: str = "Earth", target: str | None = None, parent=None):
        super().__init__("Add a ship", commands, parent)
        self.setMinimumWidth(640)
        world = self.state.world
        self.intro.setText("A transfer between two objects. Find launch windows, then click "
                           "the porkchop (cheap is dark blue) to choose the dates.")
        places = [o.name for o in world
                  if isinstance(o, Site | Asteroid | Facility)
                  or (isinstance(o, Body) and o.info.kind != "star")]
        self.name = self.form.add("name", "Name", QLineEdit(unique_name(world, "New ship")))
        self.origin = self._places(places, origin)
        self.form.add("from", "From", self.origin)
        self.target = self._places(places, target or next(
            (p for p in places if p not in ("Earth", origin)), "Moon"))
        self.form.add("to", "To", self.target)
        self.search_from = self.form.add("search", "Search from",
                                         time_field(self.state.timeline.time),
                                         "The first departure date the porkchop covers")
        self.find = QPushButton("Find launch windows")
        self.find.setToolTip("Compute the transfer cost over departure dates and flight times")
        self.find.clicked.connect(self.find_windows)
        self.form.add("find", "", self.find)
        self.depart = self.form.add("depart", "Departs", time_field(self.state.timeline.time))
        self.arrive = self.form.add("arrive", "Arrives", time_field(self.state.timeline.time
                                                                     + 5.0))
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.plot = None
        self.finish()
        self._layout.insertWidget(2, self.summary)

    @staticmethod
    def _places(places: list[str], current: str) -> QComboBox:
        box = QComboBox()
        box.setEditable(True)
        box.addItems(places)
        box.setCurrentText(current)
        return box

    def find_windows(self) -> bool:
        """The porkchop from the two objects, from the search date on; the cheapest cell is
        chosen until another is clicked."""
        from spaceviz.core.mission.trajectories import porkchop
        from spaceviz.core.mission.windows import search_grid

        world = self.state.world
        try:
            origin = world.place(self.origin.currentText())
            target = world.place(self.target.currentText())
            t0 = parse_time(self.search_from.text().strip())
            departs, flights = search_grid(origin, target, t0,
                                           lambda t: world.position("Sun", t))
            world.ephemeris.check_range([float(departs[0]), float(departs[-1] + flights[-1])])
            grid = porkchop(origin, target, departs, flights, world.ephemeris)
            depart, arrive, _ = grid.best()
        except UserError as exc:
            self.form.show_problems([Problem("", 0, "search", str(exc))])
            return False
        self.form.clear_problems()
        if self.plot is None:
            from spaceviz.ui.porkchop_plot import PorkchopPlot

            self.plot = PorkchopPlot(self)
            self.plot.setMinimumHeight(320)
            self.plot.setToolTip("Click a cell to fly on those dates")
            self.plot.cell_clicked.connect(self.choose)
            self._layout.insertWidget(3, self.plot, 1)
        self.plot.set_porkchop(grid)
        self.choose(depart, arrive - depart)
        return True

    def choose(self, depart_tdb: float, tof_days: float) -> None:
        """Dates from the porkchop: the departure and the time of flight (days)."""
        self.depart.setText(format_iso(depart_tdb))
        self.arrive.setText(format_iso(depart_tdb + tof_days))
        grid = self.plot.grid
        i = int(np.argmin(np.abs(grid.depart_tdb - depart_tdb)))
        j = int(np.argmin(np.abs(grid.tof_days - tof_days)))
        total = grid.total_dv_km_s[i, j]
        cost = f"{total:.2f} km/s in all" if np.isfinite(total) else "no transfer there"
        self.summary.setText(f"Departs {format_utc(depart_tdb, False)}, {tof_days:.1f} days "
                             f"of flight: {cost}.")
        self.plot.chosen.setData([float(self._axis(depart_tdb))], [tof_days])

    @staticmethod
    def _axis(t_tdb: float) -> float:
        from spaceviz.ui.charts import tdb_to_axis_seconds

        return float(tdb_to_axis_seconds(np.array([t_tdb]))[0])

    def table_prefix(self) -> str:
        return f"ship[{self.name.text()}]"

    def make_edit(self) -> edits.Edit:
        return edits.add_ship(self.name.text(), self.origin.currentText(),
                              self.target.currentText(), self.depart.text().strip(),
                              self.arrive.text().strip())

