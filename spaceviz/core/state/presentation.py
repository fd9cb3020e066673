"""What the overlay shows: caption, title card, date, scale, black screen. Qt-free, evented."""

from __future__ import annotations

from psygnal import Signal


class PresentationState:
    """Overlay settings; `changed` fires on a real change."""

    changed = Signal()

    def __init__(self):
        self.caption = ""
        self.title = ""
        self.black = False
        self.show_date = True
        self.show_scale = True
        self.large = False  # presentation mode: bigger text

    def set(self, **values) -> None:
        changed = False
        for key, value in values.items():
            if not hasattr(self, key):
                raise AttributeError(key)
            if getattr(self, key) != value:
                setattr(self, key, value)
                changed = True
        if changed:
            self.changed.emit()


def format_length_au(au: float) -> str:
    """A readable length: metres, km, million km or AU."""
    km = au * 149_597_870.7
    if km < 1:
        return f"{km * 1000:.0f} m"
    if km < 10_000:
        return f"{km:,.0f} km" if km >= 10 else f"{km:.1f} km"
    if km < 1e7:
        return f"{km / 1e6:.2f} million km"
    return f"{au:.2f} AU"


def format_light_time(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.1f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"
