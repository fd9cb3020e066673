"""Asteroid catalogues: MPCORB.DAT[.gz], JPL SBDB CSV and synthetic belts as one structured
array (`Catalog`), and populations (`Population`) for drawing. Parsers take bytes or an open
binary file, so tests feed inline rows; `load_catalog` opens a path."""
