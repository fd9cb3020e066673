"""What the overlay shows (caption, title card, date, scale, black screen) and how the app
is presented. Qt-free, evented: each field notifies only on a real change; `update()` sets
several at once."""

from __future__ import annotations

from psygnal import EventedModel
from pydantic import ConfigDict


class Evented(EventedModel):
    """Base of the small evented models: assignments are validated."""

    model_config = ConfigDict(validate_assignment=True)


class PresentationState(Evented):
    """Overlay text and switches. `large`: presentation mode's bigger text; `footprint`: the
    counter of CO2e avoided on Earth so far (presentation mode)."""

    caption: str = ""
    title: str = ""
    black: bool = False
    show_date: bool = True
    show_scale: bool = True
    large: bool = False
    footprint: bool = False


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
    """A light-time in seconds, minutes or hours."""
    if seconds < 120:
        return f"{seconds:.1f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"
