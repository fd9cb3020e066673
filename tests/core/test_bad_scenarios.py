"""The corpus of broken scenarios (tests/data/bad/scenarios): each is refused with exit code 2,
a `FILE:LINE: field: message` line naming the right line and field, and no traceback."""

import contextlib
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spaceviz.cli import main
from spaceviz.core.errors import InputFileError
from spaceviz.core.scenario.loader import MAX_SCENARIO_BYTES, read_scenario
from spaceviz.core.scenario.session import Session
from tests.helpers import session_from_text

CORPUS = Path(__file__).parent.parent / "data" / "bad" / "scenarios"

EXPECTED = [
    ("asteroid_a_negative.toml", 8, "asteroid[Ceres].a"),
    ("asteroid_a_string.toml", 8, "asteroid[Ceres].a"),
    ("asteroid_bad_epoch.toml", 7, "asteroid[Ceres].epoch"),
    ("asteroid_bad_plane.toml", 14, "asteroid[Ceres].plane"),
    ("asteroid_e_hyperbolic.toml", 9, "asteroid[Ceres].e"),
    ("asteroid_e_negative.toml", 9, "asteroid[Ceres].e"),
    ("asteroid_empty_name.toml", 6, "asteroid[0].name"),
    ("asteroid_i_too_big.toml", 10, "asteroid[Ceres].i"),
    ("asteroid_missing_M.toml", 5, "asteroid[Ceres].M"),
    ("asteroid_named_like_planet.toml", 6, "asteroid[Mars].name"),
    ("asteroid_node_list.toml", 11, "asteroid[Ceres].node"),
    ("asteroid_unknown_key.toml", 14, "asteroid[Ceres].albedo"),
    ("bom_with_unknown_key.toml", 5, "extra"),
    ("catalog_both_sources.toml", 5, "catalog[0]"),
    ("catalog_synthetic_huge.toml", 6, "catalog[0].synthetic"),
    ("catalog_synthetic_zero.toml", 6, "catalog[0].synthetic"),
    ("duplicate_asteroid_names.toml", 15, "asteroid[Ceres].name"),
    ("empty_file.toml", 1, "end"),
    ("end_after_2053.toml", 4, "end"),
    ("economics_launch_price_string.toml", 7, "economics.launch_usd_per_kg"),
    ("economics_negative_discount_rate.toml", 6, "economics.discount_rate"),
    ("economics_unknown_key.toml", 6, "economics.discount"),
    ("facility_capex_negative.toml", 16, "facility[Plant].capex_usd"),
    ("facility_operator_empty_list.toml", 16, "facility[Plant].operator"),
    ("facility_depot_with_a_rate.toml", 9, "facility[Depot]"),
    ("facility_mine_in_orbit.toml", 11, "facility[Sky mine].at"),
    ("facility_unknown_process.toml", 16, "facility[Plant].process"),
    ("end_before_start.toml", 4, "end"),
    ("event_bad_time.toml", 7, "event[Launch].time"),
    ("event_missing_name.toml", 5, "event[0].name"),
    ("missing_start.toml", 1, "start"),
    ("non_utf8.toml", 2, "(file)"),
    ("orbit_around_the_sun.toml", 7, "orbit[Sun skimmer].around"),
    ("orbit_negative_altitude.toml", 8, "orbit[Underground].altitude_km"),
    ("price_low_above_typical.toml", 5, "price[0]"),
    ("price_twice.toml", 12, "price[1].resource"),
    ("price_unknown_market.toml", 9, "price[0].at"),
    ("price_unknown_resource.toml", 6, "price[0].resource"),
    ("price_without_source.toml", 5, "price[0].source"),
    ("schema_version_string.toml", 1, "schema_version"),
    ("ship_arrives_before_departure.toml", 10, "ship[Prospector].arrive"),
    ("ship_chemical_without_arrive.toml", 5, "ship[Probe]"),
    ("ship_cost_string.toml", 11, "ship[Probe].cost_usd"),
    ("ship_electric_to_surface.toml", 12, "ship[Tug].to"),
    ("ship_electric_too_early.toml", 16, "ship[Tug].to"),
    ("ship_electric_without_thrust.toml", 10, "ship[Tug].engine"),
    ("ship_engine_key_without_engine.toml", 11, "ship[Probe].isp_s"),
    ("ship_engine_unknown.toml", 11, "ship[Tug].engine"),
    ("ship_needs_more_propellant.toml", 13, "ship[Probe].propellant_kg"),
    ("ship_refuel_at_a_site.toml", 18, "ship[Lander].refuel_at"),
    ("ship_tank_smaller_than_propellant.toml", 14, "ship[Lander].tank_kg"),
    ("ship_missing_dates.toml", 5, "ship[Undated]"),
    ("ship_negative_cargo.toml", 11, "ship[Prospector].cargo_kg"),
    ("ship_oem_and_transfer.toml", 5, "ship[Mixed]"),
    ("ship_oem_missing_file.toml", 7, "ship[Ghost].oem"),
    ("ship_legs_out_of_order.toml", 11, "ship[Loop].legs[1].depart"),
    ("ship_leg_to_where_it_is.toml", 10, "ship[Circle].legs[0].to"),
    ("ship_to_itself.toml", 8, "ship[Loop].to"),
    ("ship_to_missing_site.toml", 8, "ship[Lander].to"),
    ("ship_to_unknown_body.toml", 8, "ship[Prospector].to"),
    ("shipment_trip_cost_negative.toml", 23, "shipment[Shuttle].cost_per_trip_usd"),
    ("site_horizon_negative.toml", 9, "site[Pole].horizon_deg"),
    ("site_lat_out_of_range.toml", 7, "site[Pole].lat"),
    ("site_lon_wrong_type.toml", 8, "site[Pole].lon"),
    ("site_on_unknown_body.toml", 7, "site[Olympus base].body"),
    ("start_before_1899.toml", 3, "start"),
    ("start_is_number.toml", 3, "start"),
    ("title_wrong_type.toml", 2, "title"),
    ("toml_bad_value.toml", 5, "(toml)"),
    ("toml_duplicate_key.toml", 5, "(toml)"),
    ("toml_unclosed_table.toml", 5, "(toml)"),
    ("tour_stop_negative_duration.toml", 10, "tour[story].stop[0].duration_s"),
    ("tour_stop_unknown_target.toml", 8, "tour[story].stop[0].target"),
    ("tour_without_stops.toml", 5, "tour[empty].stop"),
    ("view_distance_zero.toml", 6, "view.distance_au"),
    ("view_is_a_string.toml", 5, "view"),
    ("view_unknown_target.toml", 6, "view.target"),
]


def run_validate(path):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["validate", str(path)])
    return code, out.getvalue(), err.getvalue()


def test_the_corpus_is_complete():
    assert sorted(p.name for p in CORPUS.glob("*.toml")) == sorted(e[0] for e in EXPECTED)
    assert len(EXPECTED) >= 40


@pytest.mark.parametrize(("filename", "line", "field"), EXPECTED)
def test_bad_scenario_is_refused_with_line_and_field(filename, line, field):
    path = CORPUS / filename
    code, out, err = run_validate(path)
    assert code == 2
    assert "Traceback" not in out + err
    first = out.splitlines()[0]
    assert first.startswith(f"{path}:{line}: {field}: ")
    assert len(first.split(": ", 2)[2]) > 5  # a real message follows the field


def test_oversized_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.toml"
    with path.open("w") as handle:
        handle.write('schema_version = 1\ntitle = "huge"\n')
        handle.write("# padding\n" * (MAX_SCENARIO_BYTES // 10 + 10))
    code, out, err = run_validate(path)
    assert code == 2 and f"{path}:0: (file): is 5.2 MB" in out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list('[]="#.\n abc19-:TZjd,{}')), max_size=200))
def test_fuzzed_text_raises_only_our_error(text):
    try:
        session_from_text(text, "fuzz.toml")
    except InputFileError as exc:
        assert all(p.file == "fuzz.toml" and p.line >= 0 for p in exc.problems)


keys = st.sampled_from(["schema_version", "title", "start", "end", "view", "asteroid", "site",
                        "ship", "event", "tour", "catalog", "bogus"])
values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=True)
    | st.text(max_size=20) | st.sampled_from(["2030-01-01T00:00:00Z", "jd:2462502.5", "Moon"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=12)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(keys, values, max_size=8))
def test_fuzzed_structures_raise_only_our_error(document):
    import tomllib  # noqa: F401 (documents are built as data, then written as TOML-like text)

    text = "\n".join(f"{key} = {toml_value(value)}" for key, value in document.items()
                     if toml_value(value) is not None)
    result = read_scenario(text, "fuzz.toml")  # the schema, the part exposed to any structure
    assert all(p.file == "fuzz.toml" and p.line >= 0 for p in result.problems)


def toml_value(value):
    """A TOML literal for a generated value (None where TOML has no literal)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return {float("inf"): "inf", float("-inf"): "-inf"}.get(value, "nan" if value != value else repr(value))
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(value, list):
        items = [toml_value(v) for v in value]
        return "[" + ", ".join(i for i in items if i is not None) + "]"
    items = [f'"{k}" = {toml_value(v)}' for k, v in value.items() if toml_value(v) is not None]
    return "{" + ", ".join(items) + "}"


def test_load_of_a_valid_file_after_fixing_it(tmp_path):
    fixed = (CORPUS / "asteroid_e_hyperbolic.toml").read_text().replace("e = 1.2", "e = 0.2")
    path = tmp_path / "fixed.toml"
    path.write_text(fixed)
    assert Session.load(path).scenario.asteroid[0].e == 0.2
