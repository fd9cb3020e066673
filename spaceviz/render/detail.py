"""A frame-time budget for large populations (the belt): level of detail while the view
moves, progressive refinement to every object when it rests.

While the camera moves or time plays, the share of belt objects drawn follows a feedback
loop on the measured frame time (halving quickly when a frame is over budget, growing slowly
when well under); once nothing has moved for `REST_S`, each refinement frame doubles it until
every object is drawn, so a resting picture is exact. Exports and other non-interactive
scenes always draw everything (`enabled=False`).
"""

from __future__ import annotations

import time

from psygnal import Signal

BUDGET_MS = 45.0
"""Target frame time while the view moves (about 20 frames a second)."""
REST_S = 0.3
"""Nothing moved for this long: the view rests and refines."""
MIN_FRACTION = 1.0 / 256.0


class DetailController:
    """The share (0..1] of large populations to draw in the next frame."""

    changed = Signal(float)  # the fraction drawn, when it changes

    def __init__(self, enabled: bool = True, budget_ms: float = BUDGET_MS,
                 clock=time.perf_counter):
        self.enabled = enabled
        self.budget_ms = budget_ms
        self._clock = clock
        self._moving_fraction = 1.0  # what the budget allows while moving
        self.fraction = 1.0
        self._moved_at = -1e9
        self._moved_this_frame = False

    @property
    def resting(self) -> bool:
        return self._clock() - self._moved_at >= REST_S

    @property
    def refined(self) -> bool:
        """Everything is drawn."""
        return self.fraction >= 1.0

    def moved(self, *args) -> None:
        """The camera moved or time changed: draw within the budget."""
        if not self.enabled:
            return
        self._moved_at = self._clock()
        self._moved_this_frame = True
        self._set(self._moving_fraction)

    def frame_drawn(self, frame_ms: float) -> None:
        """A frame took `frame_ms`: if the view moved for it, adapt what the budget allows
        while moving; once at rest, refine one step (double) per frame."""
        if not self.enabled:
            return
        moved, self._moved_this_frame = self._moved_this_frame, False
        if not moved:
            if self.resting:
                self._set(min(1.0, self.fraction * 2.0))
            return
        allowed = self._moving_fraction
        if frame_ms > self.budget_ms:
            allowed *= max(0.5, self.budget_ms / frame_ms)
        elif frame_ms < 0.7 * self.budget_ms:
            allowed *= 1.25
        self._moving_fraction = min(1.0, max(MIN_FRACTION, allowed))
        self._set(self._moving_fraction)

    def needs_refinement(self) -> bool:
        """At rest but not yet drawing everything: another frame is wanted."""
        return self.enabled and self.resting and not self.refined

    def _set(self, fraction: float) -> None:
        if fraction != self.fraction:
            self.fraction = fraction
            self.changed.emit(fraction)
