"""Time, ephemeris, bodies, orbits, Lambert and two-body motion, the Moon, CCSDS OEM and asteroid catalogues: the astronomy, with no mission or UI notion."""
