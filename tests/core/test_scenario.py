"""Scenario loading: the default validates; each kind of mistake names its line and field."""

from pathlib import Path

import pytest

from spaceviz.core.astro.time import parse_time
from spaceviz.core.errors import InputFileError
from spaceviz.core.scenario.loader import read_scenario, read_scenario_file
from spaceviz.core.scenario.session import Session

BAD = Path(__file__).parent.parent / "data" / "scenarios"


def problems_of(name: str):
    """Every problem of a scenario file, schema and references together (a full load)."""
    from spaceviz.core.scenario.session import Session

    with pytest.raises(InputFileError) as info:
        Session.load(BAD / name)
    return info.value.problems


def test_default_scenario_validates(default_scenario):
    assert default_scenario.schema_version == 1
    assert default_scenario.start == pytest.approx(parse_time("2030-01-01T00:00:00Z"))
    assert default_scenario.end > default_scenario.start
    assert {s.name for s in default_scenario.site} >= {"Shackleton rim"}
    assert default_scenario.source_path.name == "default.toml"


@pytest.mark.parametrize(
    ("filename", "line", "field", "message"),
    [
        ("bad_unknown_key.toml", 11, "asteroid[Ceres].inclination", "unknown key"),
        ("bad_wrong_type.toml", 8, "site[Shackleton rim].lat", "valid number"),
        ("bad_out_of_range.toml", 10, "asteroid[Comet-like].e", "less than 1"),
        ("bad_time_string.toml", 4, "end", "is not a time"),
        ("bad_missing_file.toml", 7, "catalog[0].path", "file not found"),
        ("bad_time_outside_ephemeris.toml", 4, "end", "outside the DE421 ephemeris range"),
        ("bad_schema_version.toml", 1, "schema_version", "unsupported schema_version 7"),
        ("bad_truncated.toml", 2, "(toml)", ""),
        ("bad_not_utf8.toml", 2, "(file)", "not UTF-8"),
    ],
)
def test_each_mistake_names_line_and_field(filename, line, field, message):
    problems = problems_of(filename)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert (problem.line, problem.field) == (line, field)
    assert message in problem.message
    assert str(problem).startswith(f"{BAD / filename}:{line}: {field}: ")


def test_every_problem_is_reported_not_only_the_first():
    problems = problems_of("bad_several.toml")
    assert [(p.line, p.field) for p in problems] == [
        (5, "colour"), (9, "site[A].lat"), (13, "site[A].name")]
    assert "duplicate name 'A'" in problems[2].message


def test_references_and_order_of_ship_times():
    problems = problems_of("bad_unknown_reference.toml")
    assert [(p.line, p.field) for p in problems] == [
        (9, "ship[Prospector-1].to"), (11, "ship[Prospector-1].arrive")]
    assert "'Atlantis' is not a body" in problems[0].message
    assert "after 'depart'" in problems[1].message


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputFileError, match="no such file"):
        Session.load(tmp_path / "nope.toml")
    with pytest.raises(InputFileError, match="is a folder"):
        Session.load(tmp_path)


def test_relative_paths_resolve_against_the_scenario(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "belt.csv").write_text("x\n")
    scenario_file = tmp_path / "s.toml"
    scenario_file.write_text(
        'schema_version = 1\ntitle = "t"\nstart = 2030-01-01T00:00:00Z\n'
        'end = "jd:2463000.5"\n[[catalog]]\npath = "data/belt.csv"\n')
    scenario = read_scenario_file(scenario_file).scenario
    assert scenario.catalog[0].path == (tmp_path / "data" / "belt.csv").resolve()
    # An unquoted TOML datetime is accepted as UTC.
    assert scenario.start == pytest.approx(parse_time("2030-01-01T00:00:00Z"))


def test_catalog_needs_exactly_one_source():
    problems = read_scenario('schema_version = 1\ntitle = "t"\nstart = "2030-01-01"\n'
                             'end = "2031-01-01"\n[[catalog]]\nseed = 3\n', "x.toml").problems
    assert [(p.line, p.field) for p in problems] == [(5, "catalog[0]")]
    assert "exactly one of 'path' or 'synthetic'" in problems[0].message


def test_a_scenario_refers_to_its_own_objects_never_a_star(tmp_path):
    """`where` finds Hipparcos stars, but a ship, a view or a tour cannot go to one."""
    path = tmp_path / "stars.toml"
    path.write_text('schema_version = 1\ntitle = "t"\nstart = "2030-01-01"\nend = "2031-01-01"\n'
                    '[view]\ntarget = "Vega"\n'
                    '[[ship]]\nname = "S"\nfrom = "Earth"\nto = "Sirius"\n'
                    'depart = "2030-02-01"\narrive = "2030-09-01"\n', encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        Session.load(path)
    problems = info.value.problems
    assert [(p.line, p.field) for p in problems] == [(6, "view.target"), (10, "ship[S].to")]
    assert "'Sirius' is a star (Hipparcos catalogue), not a body" in problems[1].message
