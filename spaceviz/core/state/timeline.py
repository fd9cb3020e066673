"""The timeline clock: current time, rate, play state, bounds and events. Qt-free.

Whoever owns the clock steps it: the app's Qt timer calls `advance(wall_seconds)`,
an export calls `set_time` with a fixed step. Observers connect to the psygnal signals,
which fire only on a real change.
"""

from __future__ import annotations

from psygnal import Signal

from spaceviz.core.astro.time import SECONDS_PER_DAY
from spaceviz.core.mission.events import MissionEvent

RATE_PRESETS_DAYS_PER_S: tuple[tuple[str, float], ...] = (
    ("1 s/s", 1.0 / SECONDS_PER_DAY),
    ("1 min/s", 60.0 / SECONDS_PER_DAY),
    ("10 min/s", 600.0 / SECONDS_PER_DAY),
    ("1 h/s", 1.0 / 24.0),
    ("6 h/s", 0.25),
    ("1 d/s", 1.0),
    ("1 wk/s", 7.0),
    ("30 d/s", 30.0),
    ("100 d/s", 100.0),
    ("1 yr/s", 365.25),
)
"""Playback rates, slowest first: (label, days of scenario time per wall-clock second)."""


def rate_label(rate_days_per_s: float) -> str:
    """A label such as `1 d/s` or `-1 wk/s` for a rate; presets by name, others in d/s."""
    sign = "-" if rate_days_per_s < 0 else ""
    for label, value in RATE_PRESETS_DAYS_PER_S:
        if abs(abs(rate_days_per_s) - value) <= 1e-9 * value:
            return sign + label
    return f"{rate_days_per_s:.4g} d/s"


class Timeline:
    """The clock model shared by every view, panel, chart and export."""

    time_changed = Signal(float)
    rate_changed = Signal(float)
    playing_changed = Signal(bool)
    bounds_changed = Signal(float, float)
    events_changed = Signal()

    def __init__(self, start_tdb: float, end_tdb: float, rate_days_per_s: float = 30.0,
                 events: list[MissionEvent] | None = None, loop: bool = False):
        if not end_tdb > start_tdb:
            raise ValueError("timeline end must be after its start")
        self._start = float(start_tdb)
        self._end = float(end_tdb)
        self._time = float(start_tdb)
        self._rate = float(rate_days_per_s)
        self._playing = False
        self._events: list[MissionEvent] = sorted(events or [])
        self.loop = loop

    # --- state -------------------------------------------------------------------------
    @property
    def time(self) -> float:
        """Current scenario time, TDB Julian date."""
        return self._time

    @property
    def start(self) -> float:
        return self._start

    @property
    def end(self) -> float:
        return self._end

    @property
    def rate(self) -> float:
        """Signed playback rate, days of scenario time per wall-clock second."""
        return self._rate

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def events(self) -> tuple[MissionEvent, ...]:
        return tuple(self._events)

    @property
    def fraction(self) -> float:
        """Position of the current time in the span, 0..1."""
        return (self._time - self._start) / (self._end - self._start)

    # --- setters -----------------------------------------------------------------------
    def set_time(self, t_tdb: float) -> None:
        """Move to a time, clamped to the bounds."""
        t = min(max(float(t_tdb), self._start), self._end)
        if t != self._time:
            self._time = t
            self.time_changed.emit(t)

    def set_fraction(self, fraction: float) -> None:
        self.set_time(self._start + fraction * (self._end - self._start))

    def set_rate(self, rate_days_per_s: float) -> None:
        rate = float(rate_days_per_s)
        if rate != self._rate:
            self._rate = rate
            self.rate_changed.emit(rate)

    def set_bounds(self, start_tdb: float, end_tdb: float) -> None:
        if not end_tdb > start_tdb:
            raise ValueError("timeline end must be after its start")
        if (start_tdb, end_tdb) != (self._start, self._end):
            self._start, self._end = float(start_tdb), float(end_tdb)
            self.bounds_changed.emit(self._start, self._end)
        self.set_time(self._time)

    def set_events(self, events: list[MissionEvent]) -> None:
        self._events = sorted(events)
        self.events_changed.emit()

    # --- playback ----------------------------------------------------------------------
    def play(self) -> None:
        if self._at_stop_end():
            self.set_time(self._start if self._rate > 0 else self._end)
        if not self._playing:
            self._playing = True
            self.playing_changed.emit(True)

    def pause(self) -> None:
        if self._playing:
            self._playing = False
            self.playing_changed.emit(False)

    def toggle_play(self) -> None:
        self.pause() if self._playing else self.play()

    def _at_stop_end(self) -> bool:
        return (self._rate > 0 and self._time >= self._end) or (
            self._rate < 0 and self._time <= self._start)

    def advance(self, wall_seconds: float) -> None:
        """Move time by rate x wall_seconds when playing; stop (or wrap, if loop) at a bound."""
        if not self._playing or wall_seconds <= 0:
            return
        target = self._time + self._rate * wall_seconds
        if self.loop and (target > self._end or target < self._start):
            span = self._end - self._start
            target = self._start + (target - self._start) % span
        self.set_time(target)
        if not self.loop and self._at_stop_end():
            self.pause()

    def faster(self) -> None:
        """Next preset rate in magnitude (keeps the direction)."""
        sign = -1.0 if self._rate < 0 else 1.0
        for _label, value in RATE_PRESETS_DAYS_PER_S:
            if value > abs(self._rate) * (1 + 1e-9):
                self.set_rate(sign * value)
                return

    def slower(self) -> None:
        """Previous preset rate in magnitude (keeps the direction)."""
        sign = -1.0 if self._rate < 0 else 1.0
        for _label, value in reversed(RATE_PRESETS_DAYS_PER_S):
            if value < abs(self._rate) * (1 - 1e-9):
                self.set_rate(sign * value)
                return

    def reverse(self) -> None:
        self.set_rate(-self._rate)

    def step(self, direction: int = 1) -> None:
        """Step by what one second of playback covers (|rate| days), forward (+1) or back (-1)."""
        self.set_time(self._time + direction * abs(self._rate))

    def jump_to_start(self) -> None:
        self.set_time(self._start)

    def jump_to_end(self) -> None:
        self.set_time(self._end)

    def next_event(self) -> MissionEvent | None:
        """Jump to the first event after the current time; None (no move) when there is none."""
        for event in self._events:
            if event.t_tdb > self._time + 1e-9 and event.t_tdb <= self._end:
                self.set_time(event.t_tdb)
                return event
        return None

    def previous_event(self) -> MissionEvent | None:
        """Jump to the last event before the current time; None (no move) when there is none."""
        for event in reversed(self._events):
            if event.t_tdb < self._time - 1e-9 and event.t_tdb >= self._start:
                self.set_time(event.t_tdb)
                return event
        return None
