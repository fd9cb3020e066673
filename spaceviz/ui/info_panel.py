"""The info panel: facts about the selected object at the current time."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from spaceviz.core.astro.time import format_utc
from spaceviz.core.errors import UserError
from spaceviz.core.scenario.session import describe_state
from spaceviz.core.scenario.world import World
from spaceviz.core.state.presentation import format_light_time
from spaceviz.core.state.selection import Selection
from spaceviz.core.state.timeline import Timeline

KIND_TITLES = {"star": "Star", "planet": "Planet", "moon": "Moon", "asteroid": "Asteroid",
               "site": "Lunar site", "facility": "Facility", "ship": "Ship"}


def format_distance_au(au: float) -> str:
    """`384,400 km` near, `1.0123 AU (151.4 million km)` far."""
    km = au * 149_597_870.7
    if km < 1e6:
        return f"{km:,.0f} km"
    return f"{au:.4f} AU ({km / 1e6:,.1f} million km)"


class InfoPanel(QWidget):
    """Name, kind, distances from Sun and Earth, heliocentric speed, light-time, notes."""

    def __init__(self, selection: Selection, timeline: Timeline, parent=None):
        super().__init__(parent)
        self.setObjectName("InfoPanel")
        self.selection = selection
        self.timeline = timeline
        self.world: World | None = None
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(scroll)
        selection.changed.connect(self.refresh)
        timeline.time_changed.connect(self.refresh)
        self.refresh()

    def set_world(self, world: World) -> None:
        self.world = world
        self.refresh()

    def refresh(self, *args) -> None:
        name = self.selection.name
        if self.world is None or name is None or name not in self.world:
            self.label.setText("<i>Select an object in the tree or click it in the view.</i>")
            return
        obj = self.world.get(name)
        t = self.timeline.time
        try:
            facts = describe_state(self.world, obj.name, t)
        except UserError as exc:
            self.label.setText(f"<b>{obj.name}</b><br>{exc}")
            return
        rows = [
            ("Kind", KIND_TITLES.get(obj.kind, obj.kind)),
            ("Time", format_utc(t)),
            ("From the Sun", format_distance_au(facts["distance_sun_au"])),
            ("From Earth", format_distance_au(facts["distance_earth_au"])),
            ("Light-time from Earth", format_light_time(facts["light_time_s"])),
            ("Speed around the Sun", f"{facts['speed_km_s']:.2f} km/s"),
        ]
        if obj.radius_km:
            rows.append(("Radius", f"{obj.radius_km:,.1f} km"))
        for key, value in obj.info.items():
            if key != "summary" and isinstance(value, str | int | float):
                rows.append((key.replace("_", " ").capitalize(), str(value)))
        table = "".join(f"<tr><td><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows)
        summary = obj.info.get("summary", "")
        self.label.setText(f"<h3>{obj.name}</h3><p>{summary}</p><table cellspacing=3>{table}</table>")
