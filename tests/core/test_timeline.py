"""The Qt-free clock model: rate, bounds, play state, events, observers."""

import pytest

from spaceviz.core.mission.events import MissionEvent
from spaceviz.core.state.timeline import (
    RATE_PRESETS_DAYS_PER_S,
    Timeline,
    rate_label,
)


@pytest.fixture
def timeline():
    events = [MissionEvent(105.0, "b"), MissionEvent(102.0, "a"), MissionEvent(150.0, "late")]
    return Timeline(100.0, 120.0, rate_days_per_s=2.0, events=events)


def test_advance_only_when_playing(timeline):
    timeline.advance(1.0)
    assert timeline.time == 100.0
    timeline.play()
    timeline.advance(0.5)
    assert timeline.time == pytest.approx(101.0)


def test_clamps_and_stops_at_the_end(timeline):
    timeline.play()
    timeline.advance(100.0)
    assert timeline.time == 120.0 and not timeline.playing
    timeline.set_time(-5)
    assert timeline.time == 100.0


def test_negative_rate_runs_backwards_and_play_restarts_from_end(timeline):
    timeline.set_rate(-2.0)
    timeline.play()  # at the start with a negative rate: restart from the end
    assert timeline.time == 120.0
    timeline.advance(1.0)
    assert timeline.time == pytest.approx(118.0)


def test_loop_wraps(timeline):
    timeline.loop = True
    timeline.play()
    timeline.advance(11.0)  # 22 days past a 20-day span
    assert timeline.time == pytest.approx(102.0)
    assert timeline.playing


def test_observers_fire_only_on_real_change(timeline):
    seen = []
    timeline.time_changed.connect(seen.append)
    timeline.set_time(110.0)
    timeline.set_time(110.0)
    timeline.set_time(500.0)
    assert seen == [110.0, 120.0]
    playing = []
    timeline.playing_changed.connect(playing.append)
    timeline.play()
    timeline.play()
    timeline.pause()
    assert playing == [True, False]


def test_events_sorted_and_jumps(timeline):
    assert [e.name for e in timeline.events] == ["a", "b", "late"]
    assert timeline.next_event().name == "a" and timeline.time == 102.0
    assert timeline.next_event().name == "b" and timeline.time == 105.0
    assert timeline.next_event() is None and timeline.time == 105.0  # 150 is out of bounds
    assert timeline.previous_event().name == "a" and timeline.time == 102.0
    assert timeline.previous_event() is None


def test_rate_presets_and_step(timeline):
    timeline.set_rate(1.0)
    timeline.faster()
    assert timeline.rate == 7.0 and rate_label(timeline.rate) == "1 wk/s"
    timeline.slower()
    timeline.slower()
    assert timeline.rate == 0.25
    timeline.reverse()
    assert timeline.rate == -0.25 and rate_label(timeline.rate) == "-6 h/s"
    timeline.set_rate(RATE_PRESETS_DAYS_PER_S[-1][1])
    timeline.faster()  # already the fastest preset
    assert timeline.rate == 365.25
    timeline.set_rate(4.0)
    timeline.step(+1)
    assert timeline.time == 104.0
    timeline.step(-1)
    assert timeline.time == 100.0


def test_bounds_must_be_ordered():
    with pytest.raises(ValueError):
        Timeline(10.0, 10.0)
