"""MPCORB and SBDB readers, packed designations and epochs, lookup, synthetic belts."""

from __future__ import annotations

import gzip
import io

import numpy as np
import pytest

from spaceviz.core.astro.catalogs.catalog import (
    CATALOG_DTYPE,
    Catalog,
    CatalogTooLargeError,
    check_fits_in_memory,
    find,
)
from spaceviz.core.astro.catalogs.codec import (
    decode_packed_designations,
    decode_packed_epochs,
    pack_designations,
    pack_epochs,
    pack_numbers,
)
from spaceviz.core.astro.catalogs.load import load_catalog
from spaceviz.core.astro.catalogs.mpcorb import parse_mpcorb, write_mpcorb
from spaceviz.core.astro.catalogs.sbdb import parse_sbdb_csv
from spaceviz.core.astro.catalogs.synthetic import synthetic_belt
from spaceviz.core.errors import InputFileError, UnknownNameError, UserError

EROS = (b"00433   10.39  0.15 K2669  62.51145  178.91814  304.26797   10.82855  0.2228780"
        b"  0.55970463   1.4582437  0 E2026-R13 18046  59 1893-2026 0.61 M-v 3Ek MPCORBFIT  1804"
        b"    (433) Eros               20260902")


@pytest.fixture(scope="module")
def sample(data_dir) -> Catalog:
    return load_catalog(data_dir / "MPCORB_sample.DAT")


def _row(catalog: Catalog, query) -> np.void:
    return catalog.records[find(catalog, query)]


# --- MPCORB -------------------------------------------------------------------------------


def test_sample_counts_and_skipped_lines(sample):
    assert len(sample) == 21
    assert sample.summary.loaded == 21
    assert sample.summary.skipped == 5
    lines = [n for n, _ in sample.summary.skipped_lines]
    assert lines == [31, 32, 33, 34, 35]
    reasons = dict(sample.summary.skipped_lines)
    assert "field i (columns 60-68)" in reasons[31]
    assert "too short" in reasons[32]
    assert "e = 1.23457 is not an elliptic orbit" in reasons[33]
    assert "epoch" in reasons[34]
    assert "designation" in reasons[35]
    text = str(sample.summary)
    assert "21 asteroids loaded" in text and "5 malformed lines skipped" in text
    assert not sample.synthetic


def test_sample_values(sample):
    ceres = _row(sample, "Ceres")
    assert ceres["number"] == 1 and ceres["packed"] == b"00001"
    assert ceres["a_au"] == 2.7653485
    assert ceres["e"] == 0.0791382
    assert np.degrees(ceres["i_rad"]) == pytest.approx(10.58682, abs=1e-12)
    assert np.degrees(ceres["M_rad"]) == pytest.approx(113.41048, abs=1e-12)
    assert ceres["epoch_tdb"] == 2455400.5  # K107N = 2010-07-23
    assert ceres["H"] == pytest.approx(3.34) and ceres["G"] == pytest.approx(0.12)
    apophis = _row(sample, "Apophis")
    assert apophis["H"] == pytest.approx(19.2)  # the old one-decimal layout
    pc112 = _row(sample, "2004 PC112")
    assert pc112["number"] == -1 and np.isnan(pc112["H"]) and np.isnan(pc112["G"])
    assert pc112["a_au"] == 44.348104
    tg = _row(sample, "1994 TG")
    assert tg["e"] == 0.0  # a published zero, not a blank
    assert tg["H"] == pytest.approx(7.0)
    big = _row(sample, 620057)
    assert big["designation"] == b"2005 CG81" and big["name"] == b""
    assert list(sample.display_names([0, 18, 19])) == ["(1) Ceres", "(620057) 2005 CG81",
                                                       "2004 PC112"]


def test_inline_row_and_byte_sources():
    for source in (EROS, EROS + b"\r\n", io.BytesIO(EROS + b"\n"), gzip.compress(EROS)):
        catalog = parse_mpcorb(source)
        assert len(catalog) == 1 and catalog.summary.skipped == 0
        eros = catalog.records[0]
        assert eros["name"] == b"Eros" and eros["number"] == 433
        assert eros["a_au"] == 1.4582437 and eros["e"] == 0.2228780
        assert np.degrees(eros["node_rad"]) == pytest.approx(304.26797, abs=1e-12)
        assert np.degrees(eros["peri_rad"]) == pytest.approx(178.91814, abs=1e-12)
        assert eros["epoch_tdb"] == 2461200.5  # K2669 = 2026-06-09


def test_gzip_file_reads_like_the_plain_file(sample, data_dir, tmp_path):
    gz = tmp_path / "MPCORB.DAT.gz"
    gz.write_bytes(gzip.compress((data_dir / "MPCORB_sample.DAT").read_bytes()))
    catalog = load_catalog(gz)
    assert catalog.records.tobytes() == sample.records.tobytes()
    assert catalog.summary.skipped == 5


def test_agrees_with_skyfield_load_mpcorb_dataframe(sample, data_dir):
    from skyfield.data.mpc import load_mpcorb_dataframe

    text = (data_dir / "MPCORB_sample.DAT").read_bytes().split(b"\n")
    start = next(k for k, line in enumerate(text) if line.startswith(b"-----")) + 1
    good = [line for line in text[start:]
            if len(line) > 150 and line[:5] not in (b"00944", b"#0001") and b"K10ZN" not in line
            and b"1.2345678" not in line]
    frame = load_mpcorb_dataframe(io.BytesIO(b"\n".join(good) + b"\n"))
    assert len(frame) == len(sample)
    r = sample.records
    assert np.array_equal(r["a_au"], frame.semimajor_axis_au.to_numpy())
    assert np.array_equal(r["e"], frame.eccentricity.to_numpy())
    for key, column in (("i_rad", "inclination_degrees"),
                        ("node_rad", "longitude_of_ascending_node_degrees"),
                        ("peri_rad", "argument_of_perihelion_degrees"),
                        ("M_rad", "mean_anomaly_degrees")):
        assert np.abs(np.degrees(r[key]) - frame[column].to_numpy()).max() < 1e-12, key
    assert np.allclose(r["H"], frame.magnitude_H.to_numpy().astype(float), equal_nan=True,
                       atol=1e-6)
    assert list(sample.display_names()) == list(frame.designation)
    assert list(r["packed"].astype(str)) == list(frame.designation_packed)


def test_header_blank_lines_and_crlf():
    text = (b"Header text\n\n" + b"-" * 160 + b"\n" + EROS + b"\n\n" + b" " * 202 + b"\n")
    catalog = parse_mpcorb(text.replace(b"\n", b"\r\n"))
    assert len(catalog) == 1 and catalog.summary.skipped == 0


def test_malformed_lines_never_raise():
    junk = b"\n".join([b"garbage", EROS[:102], b"\x00\xff" * 120, EROS.replace(b"0.2228780",
                                                                             b"   -     ")])
    catalog = parse_mpcorb(junk + b"\n" + EROS)
    assert len(catalog) == 1
    assert catalog.summary.skipped == 4
    assert [n for n, _ in catalog.summary.skipped_lines] == [1, 2, 3, 4]


# --- packed designations and epochs -------------------------------------------------------


@pytest.mark.parametrize(("packed", "number", "designation"), [
    ("00001", 1, ""),
    ("99942", 99942, ""),
    ("A0345", 100345, ""),
    ("a0001", 360001, ""),
    ("z9999", 619999, ""),
    ("~0000", 620000, ""),
    ("~000v", 620057, ""),
    ("~0K8Q", 620000 + 20 * 62 * 62 + 8 * 62 + 26, ""),
    ("K14A00A", -1, "2014 AA"),
    ("J95X00A", -1, "1995 XA"),
    ("K07Tf8A", -1, "2007 TA418"),
    ("K04PB2C", -1, "2004 PC112"),
    ("J94T00G", -1, "1994 TG"),
    ("I98K26Y", -1, "1898 KY26"),
    ("PLS2040", -1, "2040 P-L"),
    ("T1S3138", -1, "3138 T-1"),
    ("T3S2134", -1, "2134 T-3"),
])
def test_decode_packed_designations(packed, number, designation):
    n, d, ok = decode_packed_designations(np.array([packed], dtype="S8"))
    assert ok[0]
    assert n[0] == number
    assert d[0].decode() == designation


@pytest.mark.parametrize("packed", ["#0001", "0001", "K14a00A", "K14A0AA", "X14A00A", "",
                                    "~00-1", "00001 X"])
def test_unreadable_packed_designations(packed):
    _, _, ok = decode_packed_designations(np.array([packed], dtype="S8"))
    assert not ok[0]


def test_pack_round_trips():
    numbers = np.array([1, 433, 99999, 100345, 360001, 619999, 620000, 620057, 15396335])
    packed = pack_numbers(numbers)
    assert list(packed[:3]) == [b"00001", b"00433", b"99999"]
    assert packed[3] == b"A0345" and packed[7] == b"~000v"
    back, _, ok = decode_packed_designations(packed)
    assert ok.all() and np.array_equal(back, numbers)
    designations = np.array([b"2014 AA", b"1995 XA", b"2007 TA418", b"2004 PC112", b"1998 KY26"])
    packed, ok = pack_designations(designations)
    assert ok.all()
    assert list(packed) == [b"K14A00A", b"J95X00A", b"K07Tf8A", b"K04PB2C", b"J98K26Y"]
    _, back, ok = decode_packed_designations(packed)
    assert ok.all() and np.array_equal(back, designations)
    assert not pack_designations(np.array([b"SYN 0000001", b"A801 AA"]))[1].any()


@pytest.mark.parametrize(("packed", "date"), [
    ("K2426", (2024, 2, 6)),
    ("K2669", (2026, 6, 9)),
    ("K107N", (2010, 7, 23)),
    ("K048N", (2004, 8, 23)),
    ("J949P", (1994, 9, 25)),
    ("K25BL", (2025, 11, 21)),
    ("I801V", (1880, 1, 31)),
    ("K19C1", (2019, 12, 1)),
    ("J86A9", (1986, 10, 9)),
    ("K242T", (2024, 2, 29)),
])
def test_decode_packed_epochs(packed, date):
    from skyfield.timelib import julian_day

    jd, ok = decode_packed_epochs(np.array([packed], dtype="S5"))
    assert ok[0]
    assert jd[0] == julian_day(*date) - 0.5
    assert pack_epochs(jd)[0].decode() == packed


@pytest.mark.parametrize("packed", ["K266", "K2609", "K2660", "K26W9", "K266W", "K2X69",
                                    "H2669", "K232U", "K252T"])
def test_unreadable_packed_epochs(packed):
    jd, ok = decode_packed_epochs(np.array([packed], dtype="S5"))
    assert not ok[0] and np.isnan(jd[0])


# --- lookup -------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "expected"), [
    ("Ceres", "(1) Ceres"), ("ceres", "(1) Ceres"), ("  CERES ", "(1) Ceres"), (1, "(1) Ceres"),
    ("1", "(1) Ceres"), ("(1) Ceres", "(1) Ceres"), ("1 Ceres", "(1) Ceres"),
    ("(16)", "(16) Psyche"), ("433", "(433) Eros"), ("2004 PC112", "2004 PC112"),
    ("2004  pc112", "2004 PC112"), ("K04PB2C", "2004 PC112"), ("00433", "(433) Eros"),
    ("2005 CG81", "(620057) 2005 CG81"), ("Hyg", "(10) Hygiea"), ("Parth", "(11) Parthenope"),
])
def test_find(sample, query, expected):
    assert sample.display_names([find(sample, query)])[0] == expected
    assert sample.find(query) == find(sample, query)


def test_find_ambiguous_lists_candidates(sample):
    with pytest.raises(UnknownNameError) as info:
        find(sample, "Ir")
    assert set(info.value.candidates) == {"(7) Iris", "(14) Irene"}
    assert "ambiguous" in str(info.value)


def test_find_unknown_and_inconsistent(sample):
    with pytest.raises(UnknownNameError) as info:
        find(sample, "Xyzzy")
    assert "unknown name 'Xyzzy'" in str(info.value)
    with pytest.raises(UnknownNameError) as info:
        find(sample, "(2) Ceres")
    assert info.value.candidates == ["(2) Pallas"]
    with pytest.raises(UnknownNameError):
        find(sample, "")
    with pytest.raises(UnknownNameError):
        find(sample, 1234567)


def test_find_duplicate_names_is_ambiguous():
    records = np.zeros(3, dtype=CATALOG_DTYPE)
    records["number"] = [-1, -1, 5]
    records["name"] = [b"Twin", b"Twin", b"Other"]
    records["designation"] = [b"2020 AA", b"2020 AB", b""]
    from spaceviz.core.astro.catalogs.catalog import CatalogSummary

    catalog = Catalog(records, CatalogSummary("test", "test"))
    with pytest.raises(UnknownNameError) as info:
        find(catalog, "twin")
    assert info.value.candidates == ["Twin", "Twin"]
    assert find(catalog, "2020 AB") == 1


# --- SBDB CSV -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sbdb(data_dir) -> Catalog:
    return load_catalog(data_dir / "sbdb_sample.csv")


def test_sbdb_counts_and_fields(sbdb):
    assert sbdb.summary.format == "SBDB CSV"
    assert len(sbdb) == 15
    assert sbdb.summary.skipped == 3
    reasons = dict(sbdb.summary.skipped_lines)
    assert "'e'" in reasons[17]
    assert "expected 16" in reasons[18]
    assert "e = 1.20113 is not an elliptic orbit" in reasons[19]
    ceres = _row(sbdb, "Ceres")
    assert ceres["number"] == 1 and ceres["designation"] == b""
    assert ceres["diameter_km"] == pytest.approx(939.4) and ceres["spec"] == b"C"
    assert ceres["H"] == pytest.approx(3.34)
    bennu = _row(sbdb, "Bennu")
    assert bennu["designation"] == b"1999 RQ36" and bennu["packed"] == b"A1955"
    assert bennu["epoch_tdb"] == 2455562.5
    assert np.isnan(bennu["H"])
    ky26 = _row(sbdb, "1998 KY26")
    assert ky26["number"] == -1 and ky26["name"] == b"" and ky26["packed"] == b"J98K26Y"
    from spaceviz.core.astro.catalogs.population import GROUP_NAMES

    assert GROUP_NAMES[_row(sbdb, "Eros")["group"]] == "Near-Earth"
    assert GROUP_NAMES[ceres["group"]] == "Main belt"


def test_sbdb_and_mpcorb_agree_for_eros(sbdb):
    from_csv = _row(sbdb, "Eros")
    from_mpc = parse_mpcorb(EROS).records[0]
    assert from_csv["epoch_tdb"] == from_mpc["epoch_tdb"]
    assert from_csv["a_au"] == pytest.approx(from_mpc["a_au"], abs=1e-7)
    assert from_csv["e"] == pytest.approx(from_mpc["e"], abs=1e-7)
    for key in ("i_rad", "node_rad", "peri_rad", "M_rad"):
        assert from_csv[key] == pytest.approx(from_mpc[key], abs=np.radians(1e-5)), key


def test_sbdb_missing_optional_columns_are_fine():
    text = (b"pdes,epoch_mjd,e,q,i,om,w,ma\n"
            b"433,61200,0.2228780,1.1332331,10.82855,304.26797,178.91814,62.51145\n")
    catalog = parse_sbdb_csv(text, name="min.csv")
    eros = catalog.records[0]
    assert eros["number"] == 433 and eros["epoch_tdb"] == 2461200.5
    assert eros["a_au"] == pytest.approx(1.4582437, abs=1e-6)
    assert np.isnan(eros["H"]) and np.isnan(eros["diameter_km"]) and eros["spec"] == b""


def test_sbdb_missing_required_column_names_the_file():
    with pytest.raises(InputFileError) as info:
        parse_sbdb_csv(b"full_name,epoch,e,a,i,om,w\n\"1 Ceres\",2461200.5,0.08,2.77,10,80,73\n",
                       name="export.csv")
    assert isinstance(info.value, UserError)
    message = str(info.value)
    assert "export.csv:1" in message and "'ma'" in message


# --- size checks, writing, conversion -----------------------------------------------------


def test_memory_cap():
    assert check_fits_in_memory(1000) > 0
    with pytest.raises(CatalogTooLargeError, match="more than spaceviz loads"):
        check_fits_in_memory(10**9, source="huge.dat")
    with pytest.raises(CatalogTooLargeError):
        synthetic_belt(10**9)


def test_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="not found"):
        load_catalog(tmp_path / "nope.dat")


def test_write_mpcorb_round_trip(sample):
    out = io.BytesIO()
    assert write_mpcorb(sample.records, out) == len(sample)
    text = out.getvalue()
    lines = text.split(b"\n")
    assert all(len(line) == 202 for line in lines[lines.index(b"-" * 160) + 1:-1])
    back = parse_mpcorb(text)
    assert back.summary.skipped == 0
    assert np.array_equal(back.records["number"], sample.records["number"])
    assert list(back.display_names()) == list(sample.display_names())
    for key in ("a_au", "e", "epoch_tdb"):
        assert np.allclose(back.records[key], sample.records[key], rtol=0, atol=1e-7), key
    for key in ("i_rad", "node_rad", "peri_rad", "M_rad"):
        assert np.allclose(back.records[key], sample.records[key], rtol=0,
                           atol=np.radians(6e-6)), key
    first = lines[lines.index(b"-" * 160) + 1]
    assert first[166:194] == b"     (1) Ceres".ljust(28)  # ')' in column 174, as the MPC writes


def test_write_mpcorb_refuses_unpackable_rows():
    belt = synthetic_belt(10, seed=1)
    with pytest.raises(ValueError, match="number_unnumbered"):
        write_mpcorb(belt.records, io.BytesIO())
    out = io.BytesIO()
    write_mpcorb(belt.records, out, header=False, number_unnumbered=True)
    back = parse_mpcorb(out.getvalue())
    assert list(back.records["number"]) == list(range(1, 11))
    assert np.allclose(back.records["a_au"], belt.records["a_au"], rtol=0, atol=1e-7)


def test_population(sbdb):
    from spaceviz.core.astro.catalogs.population import CLASS_NAMES

    population = sbdb.population()
    assert len(population) == len(sbdb)
    assert population.name(0) == "(1) Ceres"
    names = [population.name(k) for k in range(len(population))]  # made on demand
    assert CLASS_NAMES[population.spectral[names.index("(2) Pallas")]] == "C"
    assert CLASS_NAMES[population.spectral[names.index("(4) Vesta")]] == "V"
    assert CLASS_NAMES[population.spectral[-1]] == "unknown"
    assert not population.synthetic and not population.elements.equatorial.any()
    np.testing.assert_array_equal(population.elements.a_au, sbdb.records["a_au"])


# --- synthetic belt -----------------------------------------------------------------------


def test_synthetic_belt_is_deterministic_and_labelled():
    a = synthetic_belt(20_000, seed=3)
    b = synthetic_belt(20_000, seed=3)
    c = synthetic_belt(20_000, seed=4)
    assert a.records.tobytes() == b.records.tobytes()
    assert a.records.tobytes() != c.records.tobytes()
    assert a.synthetic and a.summary.synthetic and "synthetic" in str(a.summary)
    assert len(a) == 20_000 and a.records.dtype == CATALOG_DTYPE
    assert a.display_names([0])[0] == "SYN 0000001"
    assert find(a, "SYN 0000042") == 41
    elements = a.elements()  # valid, propagatable elements
    assert np.all(elements.e < 1) and np.all(elements.a_au > 0)


def test_synthetic_belt_structure():
    from spaceviz.core.astro.catalogs.population import GROUP_NAMES
    from spaceviz.core.astro.catalogs.synthetic import KIRKWOOD_GAPS_AU, SYNTHETIC_EPOCH_TDB

    belt = synthetic_belt(200_000, seed=1).records
    group = np.array(GROUP_NAMES)[belt["group"]]
    share = {name: np.mean(group == name) for name in GROUP_NAMES}
    assert 0.85 < share["Main belt"] < 0.95
    for name in ("Hilda", "Jupiter trojan", "Near-Earth", "Inner (Hungaria)"):
        assert share[name] > 0.005, name
    main = belt["a_au"][group == "Main belt"]
    for centre, half in KIRKWOOD_GAPS_AU.values():
        inside = np.mean(np.abs(main - centre) < half) / (2 * half)
        beside = (np.mean((main > centre - 3 * half) & (main < centre - half))
                  + np.mean((main > centre + half) & (main < centre + 3 * half))) / (4 * half)
        assert inside < 0.1 * beside, centre
    hilda = belt["a_au"][group == "Hilda"]
    assert abs(np.median(hilda) - 3.97) < 0.01
    trojans = belt[group == "Jupiter trojan"]
    lam = np.degrees(trojans["node_rad"] + trojans["peri_rad"] + trojans["M_rad"])
    lam_jupiter = 34.39644051 + 3034.74612775 / 36525.0 * (SYNTHETIC_EPOCH_TDB - 2451545.0)
    offset = (lam - lam_jupiter + 180.0) % 360.0 - 180.0
    assert np.mean(np.abs(np.abs(offset) - 60.0) < 30.0) > 0.9
    assert np.mean(offset > 0) > 0.5  # L4 (leading) holds more
    neo = belt[group == "Near-Earth"]
    assert np.all(neo["a_au"] * (1 - neo["e"]) < 1.3)
    assert np.all(belt["epoch_tdb"] == SYNTHETIC_EPOCH_TDB)
