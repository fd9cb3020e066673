"""AppState: the one Qt-free, evented aggregate that the window, the scene, export and tests
share (in the manner of napari's ViewerModel).

It holds the loaded Session (scenario, world, operations, events) and the models the user
changes: the timeline clock, the camera pose, the selection, the overlay, a running tour, view
toggles and belt filters. Views observe these models; none observes another view. Changes to
the mission itself go through AppState (`load`, `replan_ship`), which emits `session_changed`,
`operations_changed` or `ship_replanned`. `snapshot()` copies the view state for an export, so
that an export never changes what the live window shows.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from psygnal import Signal

from spaceviz.core.errors import UserError
from spaceviz.core.scenario.session import Session
from spaceviz.core.scenario.world import Star
from spaceviz.core.state.camera import CameraModel
from spaceviz.core.state.presentation import Evented, PresentationState
from spaceviz.core.state.selection import Selection
from spaceviz.core.state.timeline import Timeline
from spaceviz.core.state.tour import TourFrame, TourPlayer, build_tour

GROUP_COUNT = 8
LOOK_OFFSET_DEG = 8.0
"""How far above the focus a star is placed when the camera turns towards it."""


class ViewOptions(Evented):
    """What the 3D view draws: name labels, orbit lines, the asteroid belt, ships, the stars,
    constellation figures, and the names of the IAU-named stars."""

    labels: bool = True
    orbits: bool = True
    belt: bool = True
    ships: bool = True
    stars: bool = True
    constellations: bool = False
    star_names: bool = False


class BeltFilters(Evented):
    """Which catalogue asteroids are drawn and how they are coloured: per dynamical group
    (GROUP_NAMES order), ranges of a (AU), e, i (degrees) and H (magnitude); and how the
    mining targets are coloured (`targets_by`: spectral class, the value of their content,
    or that value per km/s of delta-v; core.scenario.economy.TARGET_COLOR_MODES)."""

    groups: tuple[bool, ...] = (True,) * GROUP_COUNT
    a_au: tuple[float, float] = (0.0, 1e9)
    e: tuple[float, float] = (0.0, 1.0)
    i_deg: tuple[float, float] = (0.0, 180.0)
    H: tuple[float, float] = (-100.0, 100.0)
    color_by: Literal["group", "class"] = "group"
    targets_by: Literal["class", "value", "value_per_dv"] = "class"

    def shown(self, population) -> np.ndarray:
        """Which objects of a Population pass the filters (bool array, numpy; the GPU applies
        the same tests in the belt shader). Unknown H counts as 16, as drawn."""
        el = population.elements
        h = np.where(np.isfinite(population.H), population.H, 16.0)
        i_deg = np.degrees(el.i_rad)
        groups = np.asarray(self.groups, dtype=bool)[np.asarray(population.group, dtype=int)]
        return (groups & (el.a_au >= self.a_au[0]) & (el.a_au <= self.a_au[1])
                & (el.e >= self.e[0]) & (el.e <= self.e[1]) & (i_deg >= self.i_deg[0])
                & (i_deg <= self.i_deg[1]) & (h >= self.H[0]) & (h <= self.H[1]))


class AppState:
    """Session + timeline + camera + selection + presentation + tour + view options."""

    session_changed = Signal(object)   # the new Session
    operations_changed = Signal()      # the operations model was re-simulated
    ship_replanned = Signal(str)       # a ship's flight plan changed (its name)
    populations_changed = Signal()     # catalogues were added to the world (loaded later)
    tour_changed = Signal(object)      # the running TourPlayer, or None when it stopped
    playing_changed = Signal(bool)     # the clock or a tour started or stopped

    def __init__(self, session: Session):
        scenario = session.scenario
        self._session = session
        self.timeline = Timeline(scenario.start, scenario.end, scenario.view.rate, session.events)
        view = scenario.view
        self.camera = CameraModel(view.target, view.distance_au, view.azimuth, view.elevation)
        self.selection = Selection()
        self.presentation = PresentationState()
        self.view = ViewOptions()
        self.belt_filters = BeltFilters()
        self.tour: TourPlayer | None = None
        self._playing = False
        self.timeline.playing_changed.connect(self._update_playing)

    # --- the mission -----------------------------------------------------------------------
    @property
    def session(self) -> Session:
        return self._session

    @property
    def world(self):
        return self._session.world

    def set_session(self, session: Session) -> None:
        """Show another scenario: the clock, camera, selection and tour start afresh."""
        self.stop_tour()
        self._session = session
        scenario = session.scenario
        self.timeline.pause()
        self.timeline.set_bounds(scenario.start, scenario.end)
        self.timeline.set_events(session.events)
        self.timeline.set_rate(scenario.view.rate)
        self.timeline.set_time(scenario.start)
        self.selection.clear()
        self.reset_view(animate=False)
        self.session_changed.emit(session)

    def update_session(self, session: Session) -> None:
        """Show the same scenario, edited: the clock keeps its time (within the new span),
        the camera its pose and the selection its object where they still exist; a running
        tour stops (it may have changed)."""
        self.stop_tour()
        self._session = session
        scenario = session.scenario
        t = self.timeline.time
        self.timeline.set_bounds(scenario.start, scenario.end)
        self.timeline.set_events(session.events)
        self.timeline.set_time(min(max(t, scenario.start), scenario.end))
        if self.camera.target not in session.world:
            self.reset_view(animate=False)
        if self.selection.name is not None and self.selection.name not in session.world:
            self.selection.clear()
        self.session_changed.emit(session)

    def add_catalogs(self, session: Session, catalogs: list) -> bool:
        """Catalogues loaded in the background join the world, if `session` is still the one
        shown (a scenario opened meanwhile makes them stale: False)."""
        if session is not self._session:
            return False
        session.add_catalogs(catalogs)
        self.populations_changed.emit()
        return True

    def replan_ship(self, name: str, depart_tdb: float, arrive_tdb: float, leg: int = 0) -> None:
        """Fly a ship's leg on new dates; the events, the operations and every view follow."""
        self._session.replan_ship(name, depart_tdb, arrive_tdb, leg)
        self.timeline.set_events(self._session.events)
        self.ship_replanned.emit(name)
        self.operations_changed.emit()

    # --- camera ------------------------------------------------------------------------------
    def reset_view(self, animate: bool = True) -> None:
        """The scenario's initial camera."""
        view = self._session.scenario.view
        target = self.world.resolve(view.target).name
        if animate:
            self.camera.fly_to(target, view.distance_au, view.azimuth, view.elevation)
        else:
            self.camera.set_pose(target, view.distance_au, view.azimuth, view.elevation)

    def look_at(self, target: str | None = None, t_tdb: float | None = None,
                distance_au: float | None = None, azimuth_deg: float | None = None,
                elevation_deg: float | None = None, from_body: str | None = None) -> None:
        """Set the clock (to t_tdb, the span growing to include it) and aim the camera for a
        still or a video: at `target` from the given angles, or from `from_body` (the camera
        on the line from that body to the target, ecliptic north up), else from above a
        surface object or from the target's sunlit side, at a distance that frames it unless
        one is given; without a target, the scenario's view with any of distance and angles
        overridden."""
        from spaceviz.core.scenario.world import Body
        from spaceviz.core.state.viewpoints import framing_distance_au, viewing_angles

        if t_tdb is not None:
            timeline = self.timeline
            timeline.set_bounds(min(timeline.start, t_tdb), max(timeline.end, t_tdb + 1e-6))
            timeline.set_time(t_tdb)
        if from_body is not None and target is None:
            raise UserError("--from needs a --target to look at")
        if target is not None:
            obj = self.world.resolve(target)
            if from_body is not None:
                azimuth_deg, elevation_deg = self.angles_from(from_body, obj.name)
            is_sun = isinstance(obj, Body) and obj.info.kind == "star"
            if azimuth_deg is None and not is_sun:
                azimuth_deg, default_elevation = viewing_angles(self.world, obj.name,
                                                                self.timeline.time)
                if elevation_deg is None:
                    elevation_deg = default_elevation
            self.camera.set_pose(target=obj.name,
                                 distance_au=distance_au or framing_distance_au(obj))
        self.camera.set_pose(distance_au=distance_au, azimuth_deg=azimuth_deg,
                             elevation_deg=elevation_deg)

    def angles_from(self, viewer: str, target: str) -> tuple[float, float]:
        """Camera (azimuth, elevation), degrees, that put it on the line from `viewer` to
        `target` at the current time: the target as the viewer sees it."""
        from spaceviz.core.state.viewpoints import ICRF_TO_ECLIPTIC, angles_towards

        t = self.timeline.time
        seen_from = self.world.resolve(viewer)
        looked_at = self.world.resolve(target)
        if seen_from is looked_at:
            raise UserError(f"cannot view {looked_at.name} from itself")
        direction = ICRF_TO_ECLIPTIC @ (seen_from.position(t) - looked_at.position(t))
        return angles_towards(direction)

    def look_towards(self, name: str, offset_deg: float = LOOK_OFFSET_DEG) -> None:
        """Turn the camera about its focus so that it looks towards a distant object (a star)
        beyond the focus: the object `offset_deg` above the focus (below when the camera
        would pass over the pole), so the focused body and its label do not hide it."""
        from spaceviz.core.state.viewpoints import ICRF_TO_ECLIPTIC, angles_towards

        t = self.timeline.time
        focus = self.world.position(self.camera.target, t)
        direction = ICRF_TO_ECLIPTIC @ (self.world.position(name, t) - focus)
        azimuth, elevation = angles_towards(-direction)  # the camera on the far side
        elevation = elevation + offset_deg if elevation + offset_deg < 89.0 \
            else elevation - offset_deg  # raising the camera tilts the view below the star
        self.camera.fly_to(self.camera.target, self.camera.distance_au, azimuth, elevation)

    def view_from_earth(self) -> None:
        """Fly the camera to the line from the Earth to the current target (the view from
        Earth, north up); from the Sun when the target is the Earth."""
        from spaceviz.core.state.viewpoints import framing_distance_au

        target = self.camera.target
        viewer = "Sun" if target == "Earth" else "Earth"
        azimuth, elevation = self.angles_from(viewer, target)
        self.camera.fly_to(target, min(self.camera.distance_au,
                                       framing_distance_au(self.world.resolve(target))),
                           azimuth, elevation)

    def fly_to(self, name: str) -> None:
        """Select an object and fly the camera to it at a distance that frames it: from above
        for surface objects, from the Sun's side for the rest."""
        from spaceviz.core.state.viewpoints import framing_distance_au, viewing_angles

        obj = self.world.resolve(name)
        self.selection.set(obj.name)
        if isinstance(obj, Star):  # light-years away: turn to look at it instead
            self.look_towards(obj.name)
            return
        azimuth, elevation = viewing_angles(self.world, obj.name, self.timeline.time)
        if elevation is None:
            azimuth = None  # bodies: keep the user's angles, only the distance changes
        self.camera.fly_to(obj.name, framing_distance_au(obj), azimuth, elevation)

    # --- playback and tours ------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        """True while time runs by itself: the clock plays, or a tour does."""
        return self._playing

    def _update_playing(self, *args) -> None:
        playing = self.timeline.playing or (self.tour is not None and self.tour.playing)
        if playing != self._playing:
            self._playing = playing
            self.playing_changed.emit(playing)

    def play_pause(self) -> None:
        """Space: pause or resume a tour when one runs (from its start when it ended), else
        the clock."""
        if self.tour is None:
            self.timeline.toggle_play()
            return
        if self.tour.finished:
            self._show_tour_frame(self.tour.seek(0.0))
            self.tour.playing = True
        else:
            self.tour.playing = not self.tour.playing
        self._update_playing()

    def start_tour(self, name: str | None = None, stop: int = 0, play: bool = True
                   ) -> TourPlayer:
        """Play a tour of the scenario from its first stop, or from stop `stop` (shown
        paused unless `play`); UserError for an unknown name."""
        tour = build_tour(self._session, name)
        self.timeline.pause()
        self.tour = TourPlayer(tour, self.timeline, self.camera)
        stop = min(max(stop, 0), len(tour.stops) - 1)
        self._show_tour_frame(self.tour.seek(float(tour.arrive_s[stop])))
        self.tour.playing = play
        self.tour_changed.emit(self.tour)
        self._update_playing()
        return self.tour

    def stop_tour(self) -> None:
        if self.tour is not None:
            self.tour = None
            self.presentation.update({"caption": "", "title": ""})
            self.tour_changed.emit(None)
            self._update_playing()

    def step_tour(self, direction: int) -> bool:
        """PageDown/PageUp on a tour: the next or previous stop. False without a tour."""
        if self.tour is None:
            return False
        frame = self.tour.next_stop() if direction > 0 else self.tour.previous_stop()
        self._show_tour_frame(frame)
        return True

    def jump_tour(self, to_end: bool) -> bool:
        """Home/End on a tour: its first or last stop. False without a tour."""
        if self.tour is None:
            return False
        tau = float(self.tour.tour.arrive_s[-1]) if to_end else 0.0
        self._show_tour_frame(self.tour.seek(tau))
        return True

    def _show_tour_frame(self, frame: TourFrame | None) -> None:
        if frame is not None:
            self.presentation.update({"caption": frame.caption, "title": frame.title})

    def advance(self, wall_seconds: float) -> None:
        """Move everything that runs by itself by `wall_seconds` of real time: a camera
        flight, the clock (at its rate) and a playing tour."""
        self.camera.step(wall_seconds)
        self.timeline.advance(wall_seconds)
        if self.tour is not None and self.tour.playing:
            self._show_tour_frame(self.tour.advance(wall_seconds))
            self._update_playing()

    @property
    def animating(self) -> bool:
        """True while something changes the picture by itself (a frame is wanted)."""
        return self.playing or self.camera.in_transition

    # --- export --------------------------------------------------------------------------------
    def snapshot(self) -> AppState:
        """A copy of the view state sharing this session: its own clock (same span, events,
        rate and time), camera pose, overlay, view options and belt filters, and no tour. An
        export drives the copy, so the live window is never touched."""
        copy = AppState(self._session)
        timeline = self.timeline
        copy.timeline.set_bounds(timeline.start, timeline.end)
        copy.timeline.set_rate(timeline.rate)
        copy.timeline.set_time(timeline.time)
        camera = self.camera
        copy.camera.set_blend(*camera.blend_pose())
        copy.presentation.update(self.presentation.model_dump())
        copy.view.update(self.view.model_dump())
        copy.belt_filters.update(self.belt_filters.model_dump())
        return copy
