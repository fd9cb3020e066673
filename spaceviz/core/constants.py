"""Physical constants and unit conversions (IAU 2012 / DE421 values)."""

import math

AU_KM = 149_597_870.700
"""Astronomical unit in km (IAU 2012 exact)."""
AU_PER_PARSEC = 648_000.0 / math.pi
"""Parsec in AU (IAU 2015 B2: 1 pc = 648000/pi au exactly)."""
DAYS_PER_JULIAN_YEAR = 365.25
SECONDS_PER_DAY = 86400.0
KM_PER_S_TO_AU_PER_DAY = SECONDS_PER_DAY / AU_KM
AU_PER_DAY_TO_KM_PER_S = AU_KM / SECONDS_PER_DAY

GM_SUN_AU3_PER_DAY2 = 2.959122082855911e-4
"""Heliocentric gravitational constant k^2 (AU^3/day^2), Gaussian constant squared."""
GM_SUN_KM3_PER_S2 = 1.32712440041e11
GM_EARTH_KM3_PER_S2 = 398_600.435436
GM_MOON_KM3_PER_S2 = 4_902.800066

OBLIQUITY_J2000_ARCSEC = 84381.448
"""Mean obliquity of the ecliptic at J2000 (arcseconds), for ecliptic <-> ICRF rotations."""

SPEED_OF_LIGHT_KM_PER_S = 299_792.458
