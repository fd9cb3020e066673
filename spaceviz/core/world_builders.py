"""Builders that add a scenario's objects (asteroids, sites, ships, ...) to a World.

Each builder is `builder(world, scenario) -> None`; `BUILDERS` runs in order, so later kinds
(ships) can refer to earlier ones (asteroids, sites).
"""

from __future__ import annotations

BUILDERS: list = []


def builder(function):
    """Register a world builder."""
    BUILDERS.append(function)
    return function
