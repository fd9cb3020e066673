"""The porkchop plot: contours where they belong, the 180-degree ridge masked, labelled levels."""

import numpy as np
import pytest

from spaceviz.ui.porkchop_plot import RIDGE_DEG, contour_segments, nice_levels


def test_contour_segments_of_a_circle_lie_on_it():
    x = np.linspace(-2.0, 2.0, 81)
    y = np.linspace(-2.0, 2.0, 61)
    values = x[:, None] ** 2 + y[None, :] ** 2
    segments = contour_segments(x, y, values, 1.0)
    radii = np.linalg.norm(segments.reshape(-1, 2), axis=1)
    assert len(segments) > 50
    np.testing.assert_allclose(radii, 1.0, atol=0.01)  # linear interpolation on a 0.05 grid
    angles = np.arctan2(segments[:, 0, 1], segments[:, 0, 0])
    assert np.ptp(angles) > 6.0  # all the way round
    values[40, 30] = np.nan  # the centre cell: not touching the circle, so nothing changes
    assert len(contour_segments(x, y, values, 1.0)) == len(segments)


def test_nice_levels_are_round_and_cover_the_cheap_end():
    values = np.linspace(14.5, 80.0, 1000)
    levels = nice_levels(values)
    assert levels[0] >= 14.5 and np.all(np.diff(levels) == levels[1] - levels[0])
    assert (levels[1] - levels[0]) in (5.0, 10.0)


@pytest.fixture(scope="module")
def earth_mars():
    from spaceviz.core.astro.time import parse_time
    from spaceviz.core.mission.trajectories import porkchop
    from spaceviz.core.scenario.session import Session

    world = Session.load().world
    departures = parse_time("2020-05-01") + np.arange(0.0, 150.0, 1.5)
    return porkchop(world.place("Earth"), world.place("Mars"), departures,
                    np.arange(100.0, 400.0, 3.0), world.ephemeris)


def test_the_ridge_of_180_degree_transfers_is_found_and_masked(earth_mars, qtbot):
    """Earth-Mars 2020: the transfer angle crosses 180 degrees along a diagonal of the grid
    (Type I below, Type II above); those cells are grey in the plot, not a colour."""
    from spaceviz.ui.porkchop_plot import MASK_COLOR, PorkchopPlot

    ridge = np.abs(earth_mars.transfer_angle_deg - 180.0) < RIDGE_DEG
    assert 0.01 < ridge.mean() < 0.2
    rows_with_ridge = ridge.any(axis=1).mean()
    assert rows_with_ridge > 0.9  # one crossing per departure: a ridge, not blotches
    plot = PorkchopPlot()
    qtbot.addWidget(plot)
    plot.set_porkchop(earth_mars)
    mask = plot.mask.image
    assert (mask[ridge][:, 3] == MASK_COLOR[3]).all() and (mask[~ridge & np.isfinite(
        earth_mars.total_dv_km_s)][:, 3] == 0).all()
    assert len(plot.contours) >= 8  # lines and their labels, for C3 and arrival v-infinity
    labels = [item.textItem.toPlainText() for item in plot.contours if hasattr(item, "textItem")]
    assert "20" in labels or "30" in labels
