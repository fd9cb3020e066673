"""The object tree: bodies, asteroids, sites, facilities and ships, grouped by kind."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from spaceviz.core.scenario.world import Asteroid, Body, Facility, Ship, Site

GROUPS = [
    ("Sun, planets and Moon", Body),
    ("Asteroids", Asteroid),
    ("Lunar sites", Site),
    ("Facilities", Facility),
    ("Ships", Ship),
]


class ObjectTree(QTreeWidget):
    """The AppState's world; click selects, double-click flies the camera there."""

    def __init__(self, state, parent=None):
        super().__init__(parent)
        self.setObjectName("ObjectTree")
        self.setHeaderHidden(True)
        self.setToolTip("Click to select; double-click to fly the camera there")
        self.state = state
        self._items: dict[str, QTreeWidgetItem] = {}
        self.itemSelectionChanged.connect(self._on_item_selection)
        self.itemDoubleClicked.connect(self._on_double_click)
        state.selection.changed.connect(self._on_selection)
        state.session_changed.connect(self._fill)
        self._fill()

    def _fill(self, *args) -> None:
        self.clear()
        self._items.clear()
        world = self.state.world
        for title, record_type in GROUPS:
            names = [o.name for o in world.of_type(record_type)
                     if not (isinstance(o, Asteroid) and o.source not in ("scenario",)
                             and o.target is None)]
            if not names:
                continue
            group = QTreeWidgetItem(self, [f"{title} ({len(names)})"])
            group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            for name in names:
                item = QTreeWidgetItem(group, [name])
                item.setData(0, Qt.ItemDataRole.UserRole, name)
                self._items[name] = item
            group.setExpanded(len(names) <= 30)

    def _on_item_selection(self) -> None:
        items = self.selectedItems()
        name = items[0].data(0, Qt.ItemDataRole.UserRole) if items else None
        if name:
            self.state.selection.set(name)

    def _on_double_click(self, item: QTreeWidgetItem, column: int) -> None:
        name = item.data(0, Qt.ItemDataRole.UserRole)
        if name:
            self.state.fly_to(name)

    def _on_selection(self, name) -> None:
        item = self._items.get(name) if name else None
        self.blockSignals(True)
        self.clearSelection()
        if item is not None:
            item.setSelected(True)
            self.scrollToItem(item)
        self.blockSignals(False)
