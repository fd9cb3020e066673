"""Tours: the schedule, smooth moves between stops, and the player driving time and camera."""

import numpy as np
import pytest

from spaceviz.core.state.camera import CameraModel
from spaceviz.core.state.timeline import Timeline
from spaceviz.core.state.tour import Tour, TourPlayer, TourStop


def stop(target, t, distance, duration=4.0, transition=2.0, until=None, caption=""):
    return TourStop(target, t, until, distance, 10.0, 30.0, caption, "", duration, transition)


@pytest.fixture
def tour():
    return Tour("demo", [stop("Sun", 100.0, 5.0, caption="The Sun"),
                         stop("Moon", 120.0, 1e-5, until=130.0, caption="The Moon"),
                         stop("Mars", 200.0, 0.01, caption="Mars")])


def test_schedule(tour):
    assert list(tour.arrive_s) == [0.0, 6.0, 12.0]
    assert list(tour.leave_s) == [4.0, 10.0, 16.0]
    assert tour.duration_s == 16.0


def test_frames_at_stops_and_between(tour):
    first = tour.frame_at(1.0)
    assert (first.t_tdb, first.to_target, first.caption, first.at_stop) == (100.0, "Sun", "The Sun", True)
    moving = tour.frame_at(5.0)  # halfway from the Sun to the Moon
    assert not moving.at_stop and moving.caption == ""
    assert (moving.from_target, moving.to_target) == ("Sun", "Moon")
    assert 100.0 < moving.t_tdb < 120.0 and 1e-5 < moving.distance_au < 5.0
    holding = tour.frame_at(8.0)  # half way through the Moon stop: time plays 120 -> 130
    assert holding.t_tdb == pytest.approx(125.0) and holding.caption == "The Moon"
    assert tour.frame_at(99.0).t_tdb == 200.0  # clamped to the end


def test_moves_are_continuous_across_scales(tour):
    taus = np.linspace(0, tour.duration_s, 1601)
    frames = [tour.frame_at(t) for t in taus]
    log_distance = np.log([f.distance_au for f in frames])
    times = np.array([f.t_tdb for f in frames])
    # Smoothstep's steepest slope is 1.5: ln(5 AU / 1e-5 AU) = 13.1 over 0.7 x 2 s gives at most
    # 1.5 x 13.1 x 0.01 s / 1.4 s = 0.141 per 10 ms sample. No jump in scale anywhere.
    assert np.abs(np.diff(log_distance)).max() < 0.145
    assert np.abs(np.diff(times)).max() < 1.0          # nor in scenario time
    assert np.all(np.diff(times) >= 0)


def test_player_drives_timeline_and_camera_and_steps(tour):
    timeline = Timeline(0.0, 150.0)
    camera = CameraModel()
    player = TourPlayer(tour, timeline, camera)
    player.seek(0.0)
    assert camera.target == "Sun" and timeline.time == 100.0
    assert player.next_stop().to_target == "Moon" and player.tau_s == 6.0
    assert camera.target == "Moon" and camera.distance_au == pytest.approx(1e-5)
    assert player.next_stop().to_target == "Mars"
    assert timeline.end >= 200.0  # bounds widened to the tour's times
    assert player.previous_stop().to_target == "Moon"
    player.playing = True
    player.advance(100.0)
    assert player.finished and not player.playing
