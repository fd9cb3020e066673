"""What facilities extract: every resource is a mass in kg."""

from __future__ import annotations

import enum


class Resource(enum.StrEnum):
    """What a facility extracts. Every quantity is a mass in kg."""

    WATER_ICE = "water_ice"
    OXYGEN = "oxygen"
    HYDROGEN = "hydrogen"
    METALS = "metals"
    PGM = "pgm"
    HELIUM3 = "helium3"
    REGOLITH = "regolith"
    VOLATILES = "volatiles"

    @property
    def display_name(self) -> str:
        return RESOURCE_INFO[self][0]

    @property
    def unit(self) -> str:
        return "kg"

    @property
    def description(self) -> str:
        return RESOURCE_INFO[self][1]


RESOURCE_INFO: dict[Resource, tuple[str, str]] = {
    Resource.WATER_ICE: ("Water ice", "water ice from permanently shadowed craters or C-type asteroids"),
    Resource.OXYGEN: ("Oxygen", "oxygen reduced from regolith oxides (ilmenite, glass)"),
    Resource.HYDROGEN: ("Hydrogen", "hydrogen from water electrolysis or solar-wind implanted gas"),
    Resource.METALS: ("Iron-nickel metals", "iron, nickel and cobalt from metal asteroids"),
    Resource.PGM: ("Platinum-group metals", "platinum, palladium, iridium and related metals"),
    Resource.HELIUM3: ("Helium-3", "solar-wind helium-3 from titanium-rich mare regolith"),
    Resource.REGOLITH: ("Regolith", "bulk surface material for construction and shielding"),
    Resource.VOLATILES: ("Volatiles", "mixed volatiles: CO2, ammonia, methane, sulphur compounds"),
}

