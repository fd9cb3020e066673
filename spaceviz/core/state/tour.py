"""Guided tours: a list of stops played as a pure function of presentation time.

Presentation time `tau` (seconds since the tour started) determines everything: the
scenario time, the camera pose and the caption. The app advances tau with the wall clock
(pausable, stepped by a clicker); a video export advances it by 1/fps. So a video shows
exactly what the presenter sees.

Between stops the camera travels for `transition_s`: the focus slides from the previous
target to the next (both followed as they move), the distance changes geometrically (solar
system to lunar scale smoothly), angles take the short way round, and scenario time moves
from where the previous stop ended to where the next begins. At a stop the camera holds
for `duration_s` while scenario time runs from `time` to `until` (or stays at `time`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spaceviz.core.state.camera import interpolate_angle_deg, interpolate_log, smoothstep


@dataclass(frozen=True)
class TourStop:
    """One stop: where to look (target, distance AU, angles deg), when (TDB), what to say."""

    target: str
    time_tdb: float
    until_tdb: float | None
    distance_au: float
    azimuth_deg: float
    elevation_deg: float
    caption: str
    title: str
    duration_s: float
    transition_s: float


@dataclass(frozen=True)
class TourFrame:
    """Everything a view needs at one presentation instant."""

    tau_s: float
    t_tdb: float
    from_target: str
    to_target: str
    focus_blend: float   # 0: from_target, 1: to_target
    distance_au: float
    azimuth_deg: float
    elevation_deg: float
    stop_index: int      # the stop being approached or shown
    at_stop: bool        # holding at the stop (not travelling)
    caption: str
    title: str


class Tour:
    """Stops with their presentation-time schedule (seconds)."""

    def __init__(self, name: str, stops: list[TourStop], title: str = ""):
        if not stops:
            raise ValueError("a tour needs at least one stop")
        self.name = name
        self.title = title or name
        self.stops = list(stops)
        arrive, leave, clock = [], [], 0.0
        for index, stop in enumerate(self.stops):
            clock += stop.transition_s if index > 0 else 0.0
            arrive.append(clock)
            clock += stop.duration_s
            leave.append(clock)
        self.arrive_s = np.array(arrive)  # presentation time when each stop is reached
        self.leave_s = np.array(leave)    # ... and when the camera leaves it
        self.duration_s = float(clock)

    def stop_end_time(self, index: int) -> float:
        stop = self.stops[index]
        return stop.until_tdb if stop.until_tdb is not None else stop.time_tdb

    def frame_at(self, tau_s: float) -> TourFrame:
        """The tour's state at presentation time tau (clamped to the tour's length)."""
        tau = min(max(float(tau_s), 0.0), self.duration_s)
        index = int(np.searchsorted(self.leave_s, tau, side="left"))
        index = min(index, len(self.stops) - 1)
        stop = self.stops[index]
        if tau >= self.arrive_s[index] or index == 0:
            hold = stop.duration_s
            u = (tau - self.arrive_s[index]) / hold if hold > 0 else 1.0
            u = min(max(u, 0.0), 1.0)
            end = self.stop_end_time(index)
            return TourFrame(tau, stop.time_tdb + (end - stop.time_tdb) * u, stop.target,
                             stop.target, 1.0, stop.distance_au, stop.azimuth_deg,
                             stop.elevation_deg, index, True, stop.caption, stop.title)
        previous = self.stops[index - 1]
        u = (tau - self.leave_s[index - 1]) / stop.transition_s
        eased = smoothstep(u)
        zooming_in = stop.distance_au < previous.distance_au
        focus_u = smoothstep(u / 0.6) if zooming_in else smoothstep((u - 0.3) / 0.7)
        distance_u = smoothstep((u - 0.3) / 0.7) if zooming_in else smoothstep(u / 0.6)
        t_from = self.stop_end_time(index - 1)
        return TourFrame(
            tau, t_from + (stop.time_tdb - t_from) * eased, previous.target, stop.target, focus_u,
            interpolate_log(previous.distance_au, stop.distance_au, distance_u),
            interpolate_angle_deg(previous.azimuth_deg, stop.azimuth_deg, eased) % 360.0,
            previous.elevation_deg + (stop.elevation_deg - previous.elevation_deg) * eased,
            index, False, "", "")

    def coming_stop(self, frame: TourFrame) -> TourStop | None:
        """What a presenter speaks to next: the stop being approached, or the one after the
        stop being shown (None after the last)."""
        index = frame.stop_index + 1 if frame.at_stop else frame.stop_index
        return self.stops[index] if index < len(self.stops) else None

    def next_stop_tau(self, tau_s: float) -> float:
        """Presentation time of the next stop's arrival after tau (the end if none)."""
        later = self.arrive_s[self.arrive_s > tau_s + 1e-6]
        return float(later[0]) if len(later) else self.duration_s

    def previous_stop_tau(self, tau_s: float) -> float:
        """Presentation time of the previous stop's arrival before tau (0 if none)."""
        earlier = self.arrive_s[self.arrive_s < tau_s - 0.5]
        return float(earlier[-1]) if len(earlier) else 0.0


class TourPlayer:
    """Applies a Tour to a Timeline and CameraModel; the owner advances `tau`."""

    def __init__(self, tour: Tour, timeline, camera):
        self.tour = tour
        self.timeline = timeline
        self.camera = camera
        self.tau_s = 0.0
        self.playing = False
        self.frame: TourFrame | None = None

    def seek(self, tau_s: float) -> TourFrame:
        """Jump to presentation time tau and apply the frame to the timeline and camera."""
        self.tau_s = min(max(tau_s, 0.0), self.tour.duration_s)
        frame = self.tour.frame_at(self.tau_s)
        timeline = self.timeline
        if not timeline.start <= frame.t_tdb <= timeline.end:
            timeline.set_bounds(min(timeline.start, frame.t_tdb), max(timeline.end, frame.t_tdb))
        timeline.set_time(frame.t_tdb)
        self.camera.set_blend(frame.from_target, frame.to_target, frame.focus_blend,
                              frame.distance_au, frame.azimuth_deg, frame.elevation_deg)
        self.frame = frame
        return frame

    def advance(self, wall_seconds: float) -> TourFrame | None:
        if not self.playing:
            return None
        frame = self.seek(self.tau_s + wall_seconds)
        if self.tau_s >= self.tour.duration_s:
            self.playing = False
        return frame

    def next_stop(self) -> TourFrame:
        return self.seek(self.tour.next_stop_tau(self.tau_s))

    def previous_stop(self) -> TourFrame:
        return self.seek(self.tour.previous_stop_tau(self.tau_s))

    @property
    def finished(self) -> bool:
        return self.tau_s >= self.tour.duration_s


def build_tour(session, name: str | None = None) -> Tour:
    """The scenario's tour called `name` (the first one when None), stops resolved in its
    world; a stop without angles looks from above at a surface object, from the Sun's side at
    anything else. UserError names the tours there are."""
    from spaceviz.core.errors import UserError
    from spaceviz.core.state.viewpoints import viewing_angles

    tours = session.scenario.tour
    if not tours:
        raise UserError(f"{session.scenario.source_path or 'the scenario'} has no tours")
    if name is None:
        spec = tours[0]
    else:
        matches = [t for t in tours if t.name.lower() == name.strip().lower()]
        if not matches:
            raise UserError(f"no tour named '{name}'; this scenario has: "
                            + ", ".join(t.name for t in tours))
        spec = matches[0]
    stops = []
    for stop in spec.stop:
        target = session.world.resolve(stop.target).name
        azimuth, elevation = stop.azimuth, stop.elevation
        if azimuth is None or elevation is None:
            default_azimuth, default_elevation = viewing_angles(session.world, target, stop.time)
            azimuth = default_azimuth if azimuth is None else azimuth
            if elevation is None:
                elevation = 30.0 if default_elevation is None else default_elevation
        stops.append(TourStop(target, stop.time, stop.until, stop.distance_au, azimuth,
                              elevation, " ".join(stop.caption.split()), stop.title,
                              stop.duration_s, stop.transition_s))
    return Tour(spec.name, stops, spec.title)
