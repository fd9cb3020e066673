"""spaceviz: a desktop 3D visualiser of mining operations in the solar system."""

__version__ = "0.1.0"
