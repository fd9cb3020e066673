"""The real sky in the app: star and constellation toggles on keys and in the View menu,
named stars that can be hovered, selected and labelled, the view from Earth (issue 13)."""

import numpy as np
from PySide6.QtCore import QPoint, Qt

from tests.helpers import screen_position


def test_sky_toggles_on_keys_and_menu(window, qtbot):
    view = window.state.view
    assert view.stars and not view.constellations and not view.star_names
    qtbot.keyClick(window, Qt.Key.Key_C)
    assert view.constellations and window.actions["toggle_constellations"].isChecked()
    qtbot.keyClick(window, Qt.Key.Key_S)
    assert not view.stars
    view.stars = True  # the model changed elsewhere: the menu follows
    assert window.actions["toggle_stars"].isChecked()
    from spaceviz.core.astro.stars import default_stars

    named = {default_stars().label(i) for i in np.flatnonzero(default_stars().names != "")}
    window.scene.sync()
    assert not named & set(window.scene.labels.shown)
    qtbot.keyClick(window, Qt.Key.Key_N)
    assert view.star_names
    window.scene.sync()
    assert len(named & set(window.scene.labels.shown)) >= 3  # bright stars in the view


def test_a_named_star_is_hovered_selected_and_described(window, qtbot):
    state = window.state
    state.fly_to("Betelgeuse")  # turns the view towards it
    state.camera.step(10.0)
    window.scene.sync()
    assert "Betelgeuse" in window.scene.labels.shown  # a selected star is labelled
    x, y = screen_position(window.scene, "Betelgeuse")
    canvas = window.scene.canvas.native
    ratio = canvas.devicePixelRatioF() or 1.0
    qtbot.mouseMove(canvas, QPoint(int(x / ratio), int(y / ratio)))
    qtbot.waitUntil(lambda: window.scene.interaction.hover_pos is not None, timeout=3000)
    window._hovered_at = None
    assert window.show_hover_name() == "Betelgeuse"
    text = window.info_panel.label.text()
    assert "HIP 27989" in text and "light-years" in text and "magnitude" in text


def test_view_from_earth_puts_the_camera_between_earth_and_target(window, qtbot):
    state = window.state
    state.camera.set_pose("Moon", 0.0002, 10.0, 40.0)
    qtbot.keyClick(window, Qt.Key.Key_V)
    state.camera.step(10.0)
    t = state.timeline.time
    from spaceviz.core.state.viewpoints import ICRF_TO_ECLIPTIC

    towards_earth = ICRF_TO_ECLIPTIC @ (state.world.position("Earth", t)
                                        - state.world.position("Moon", t))
    az, el = np.radians(state.camera.azimuth_deg), np.radians(state.camera.elevation_deg)
    camera_dir = np.array([np.sin(az) * np.cos(el), -np.cos(az) * np.cos(el), np.sin(el)])
    assert camera_dir @ towards_earth / np.linalg.norm(towards_earth) > np.cos(np.radians(0.5))


def test_what_am_i_looking_at_describes_what_is_drawn(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_H)
    caption = window.state.presentation.caption
    assert "Hipparcos" in caption and "top left" in caption and "asteroids" in caption
    qtbot.keyClick(window, Qt.Key.Key_H)
    window.state.view.stars = False
    qtbot.keyClick(window, Qt.Key.Key_H)
    assert "Hipparcos" not in window.state.presentation.caption


def test_about_credits_every_map_and_the_star_catalogue():
    from spaceviz.ui.main_window import about_html

    text = about_html()
    assert "Hipparcos" in text and "NASA" in text
    assert text.count("<li>") >= 10  # the Sun, eight planets' maps, the Moon, Saturn's rings
