"""Helpers shared by tests (plain functions; fixtures live in conftest.py)."""

from __future__ import annotations


def session_from_text(text: str, source: str = "<scenario>", base_dir=None):
    """A Session from scenario TOML text, through the loader the app uses (relative paths
    against `base_dir`); raises InputFileError like `Session.load`."""
    from spaceviz.core.scenario.loader import read_scenario
    from spaceviz.core.scenario.session import Session

    return Session.from_read(read_scenario(text, source, base_dir))


def screen_position(scene, name: str):
    """Canvas pixel position (x, y) where a scene draws a named pickable object."""
    scene.sync()
    found = scene.collect_pickables()
    return scene.project(found.positions[[found.names.index(name)]])[0]
