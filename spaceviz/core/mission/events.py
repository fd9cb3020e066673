"""Mission events: named moments on the timeline (departures, arrivals, plant starts,
milestones), produced by ships, operations and the scenario alike."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class MissionEvent:
    """A named moment at `t_tdb` (TDB Julian date): `kind` ('departure', 'arrival',
    'plant start', 'milestone', ...), `target` the object it concerns (a ship, facility, site)
    and a one-line `description`."""

    t_tdb: float
    name: str = field(compare=False)
    kind: str = field(default="milestone", compare=False)
    target: str | None = field(default=None, compare=False)
    description: str = field(default="", compare=False)
