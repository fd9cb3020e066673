"""The selected object (by name), observed by the tree, the info panel and the scene."""

from __future__ import annotations

from psygnal import Signal


class Selection:
    """One selected object name or None; `changed` fires on a real change only."""

    changed = Signal(object)

    def __init__(self):
        self._name: str | None = None

    @property
    def name(self) -> str | None:
        return self._name

    def set(self, name: str | None) -> None:
        if name != self._name:
            self._name = name
            self.changed.emit(name)

    def clear(self) -> None:
        self.set(None)
