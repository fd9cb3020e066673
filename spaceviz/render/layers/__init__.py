"""Scene layers: one view class per kind of core record, found through a registry.

`LAYERS` maps a record type to the layer classes that draw it (resolved through the class
hierarchy); SpaceScene groups the world's records by layer class and builds each layer once,
in `DRAW_ORDER`. Labels and the overlay are scene-wide and added last.
"""

from __future__ import annotations

from spaceviz.core.astro.catalogs.population import Population
from spaceviz.core.scenario.world import Asteroid, Body, Facility, Ship, Site
from spaceviz.render.layers.base import Layer
from spaceviz.render.layers.belt import BeltLayer
from spaceviz.render.layers.bodies import BodiesLayer
from spaceviz.render.layers.facilities import FacilitiesLayer
from spaceviz.render.layers.orbits import AsteroidOrbitsLayer, MoonOrbitLayer, OrbitsLayer
from spaceviz.render.layers.ships import ShipsLayer
from spaceviz.render.layers.sites import SitesLayer

LAYERS: dict[type, tuple[type[Layer], ...]] = {
    Body: (OrbitsLayer, MoonOrbitLayer, BodiesLayer),
    Asteroid: (AsteroidOrbitsLayer, BodiesLayer),
    Population: (BeltLayer,),
    Site: (SitesLayer,),
    Facility: (FacilitiesLayer,),
    Ship: (ShipsLayer,),
}
"""Record type -> the layer classes that draw records of that type."""

DRAW_ORDER: tuple[type[Layer], ...] = (OrbitsLayer, MoonOrbitLayer, AsteroidOrbitsLayer,
                                       BeltLayer, BodiesLayer, SitesLayer, FacilitiesLayer,
                                       ShipsLayer)


def layer_classes(record_type: type) -> tuple[type[Layer], ...]:
    """The layer classes registered for a record type or its nearest base class."""
    for cls in record_type.__mro__:
        if cls in LAYERS:
            return LAYERS[cls]
    return ()


def group_records(records) -> dict[type[Layer], list]:
    """Records grouped by the layer classes that draw them, in DRAW_ORDER (empty groups
    left out)."""
    groups: dict[type[Layer], list] = {cls: [] for cls in DRAW_ORDER}
    for record in records:
        for cls in layer_classes(type(record)):
            groups.setdefault(cls, []).append(record)
    return {cls: items for cls, items in groups.items() if items}
