"""The object tree: bodies, asteroids, sites, facilities and ships, grouped by kind."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from spaceviz.core.scenario.world import World
from spaceviz.core.state.selection import Selection

GROUPS = [
    ("Sun, planets and Moon", ("star", "planet", "moon")),
    ("Asteroids", ("asteroid",)),
    ("Lunar sites", ("site",)),
    ("Facilities", ("facility",)),
    ("Ships", ("ship",)),
]


class ObjectTree(QTreeWidget):
    """Click selects, double-click asks to fly to the object (activated signal)."""

    activated = Signal(str)

    def __init__(self, selection: Selection, parent=None):
        super().__init__(parent)
        self.setObjectName("ObjectTree")
        self.setHeaderHidden(True)
        self.setToolTip("Click to select; double-click to fly the camera there")
        self.selection = selection
        self._items: dict[str, QTreeWidgetItem] = {}
        self.itemSelectionChanged.connect(self._on_item_selection)
        self.itemDoubleClicked.connect(self._on_double_click)
        selection.changed.connect(self._on_selection)

    def set_world(self, world: World) -> None:
        self.clear()
        self._items.clear()
        for title, kinds in GROUPS:
            names = [o.name for o in world if o.kind in kinds]
            if not names:
                continue
            group = QTreeWidgetItem(self, [f"{title} ({len(names)})"])
            group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            for name in names:
                item = QTreeWidgetItem(group, [name])
                item.setData(0, Qt.ItemDataRole.UserRole, name)
                self._items[name] = item
            group.setExpanded(len(names) <= 30)

    def item_for(self, name: str) -> QTreeWidgetItem | None:
        return self._items.get(name)

    def _on_item_selection(self) -> None:
        items = self.selectedItems()
        name = items[0].data(0, Qt.ItemDataRole.UserRole) if items else None
        if name:
            self.selection.set(name)

    def _on_double_click(self, item: QTreeWidgetItem, column: int) -> None:
        name = item.data(0, Qt.ItemDataRole.UserRole)
        if name:
            self.activated.emit(name)

    def _on_selection(self, name) -> None:
        item = self._items.get(name) if name else None
        self.blockSignals(True)
        self.clearSelection()
        if item is not None:
            item.setSelected(True)
            self.scrollToItem(item)
        self.blockSignals(False)
