"""Camera pose model: clamping, batching, smooth fly-to across scales."""

import numpy as np
import pytest

from spaceviz.core.state.camera import (
    CameraModel,
    interpolate_angle_deg,
    interpolate_log,
    smoothstep,
)


def test_set_pose_clamps_and_notifies_once():
    camera = CameraModel()
    calls = []
    camera.changed.connect(lambda: calls.append(1))
    camera.set_pose(distance_au=1e6, elevation_deg=120, azimuth_deg=370)
    assert calls == [1]
    assert camera.distance_au == 500.0 and camera.elevation_deg == 89.9
    assert camera.azimuth_deg == pytest.approx(10.0)
    camera.set_pose(distance_au=500.0)
    assert calls == [1]  # no real change, no notification


def test_interpolation_helpers():
    assert smoothstep(0) == 0 and smoothstep(1) == 1 and smoothstep(0.5) == 0.5
    assert interpolate_log(1e-6, 1.0, 0.5) == pytest.approx(1e-3)
    assert interpolate_angle_deg(350, 10, 0.5) % 360 == pytest.approx(0.0)


def test_fly_to_pans_then_zooms_and_ends_exactly():
    camera = CameraModel("Sun", 5.0)
    targets = []
    camera.target_changed.connect(targets.append)
    camera.fly_to("Moon", 1e-5, duration_s=1.0)
    assert targets == ["Moon"] and camera.in_transition
    positions = {"Sun": np.zeros(3), "Moon": np.array([1.0, 0.0, 0.0])}
    distances, focus = [], []
    for _ in range(10):
        camera.step(0.1)
        distances.append(camera.distance_au)
        focus.append(camera.focus_position(positions.__getitem__)[0])
    assert not camera.in_transition
    assert camera.distance_au == pytest.approx(1e-5)
    assert focus[-1] == pytest.approx(1.0)
    assert all(np.diff(distances) <= 0) and all(np.diff(focus) >= 0)  # monotonic, no overshoot
    # Zooming in: the focus arrives (60 %) before the distance has shrunk much.
    assert focus[5] == pytest.approx(1.0) and distances[5] > 1e-3


def test_focus_follows_moving_target():
    camera = CameraModel("Earth", 0.01)
    assert np.allclose(camera.focus_position(lambda name: np.array([1.0, 2.0, 3.0])), [1, 2, 3])
