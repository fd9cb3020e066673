"""Editable scenarios: saving keeps the author's file, edits are validated like loading."""

from pathlib import Path

import pytest

from spaceviz.core.astro.time import parse_time
from spaceviz.core.errors import InputFileError, UserError
from spaceviz.core.scenario import document as doc
from spaceviz.core.scenario.document import ScenarioDocument
from spaceviz.core.scenario.loader import default_scenario_path
from spaceviz.core.scenario.session import Session
from spaceviz.paths import RESOURCES_DIR

SHIPPED = sorted((RESOURCES_DIR / "scenarios").rglob("*.toml"))

COMMENTED = """# A teacher's scenario.   (comments, blank lines and odd spacing are the author's)
schema_version = 1
title   = "Commented"          # aligned comments
start = "2030-01-01T00:00:00Z"
end = "2031-01-01T00:00:00Z"

[[site]]   # the first site
name = "A"
lat  = -80.0                   # south
lon = 10.0

[[site]]
name = "B"
lat = 10.0
lon = 20.0

# The tour: two stops.
[[tour]]
name = "t"

[[tour.stop]]
target = "Moon"
time = "2030-02-01T00:00:00Z"
caption = "first"

[[tour.stop]]
target = "A"    # a site
time = "2030-03-01T00:00:00Z"

# Events come after the tour.
[[event]]
name = "E"
time = "2030-06-01T00:00:00Z"
"""


@pytest.fixture
def commented(tmp_path) -> Path:
    path = tmp_path / "commented.toml"
    path.write_bytes(COMMENTED.encode())
    return path


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_scenarios_save_unchanged_byte_for_byte(path, tmp_path):
    copy = tmp_path / path.name
    copy.write_bytes(path.read_bytes())
    document = ScenarioDocument.open(copy)
    assert not document.modified
    document.save()
    assert copy.read_bytes() == path.read_bytes()
    assert not (tmp_path / (path.name + ".part")).exists()


def test_edits_keep_comments_order_and_formatting(commented):
    document = ScenarioDocument.open(commented)
    edited = document.edited(doc.Batch("several", (
        doc.move_site(0, "A", -70.5, 12.25),
        doc.set_stop(0, 0, {"caption": "changed", "duration_s": doc.number(5.0, 4)}),
        doc.add_stop(0, doc.stop_values("B", parse_time("2030-04-01"), 0.0001, 10.0, 20.0)),
        doc.move_stop(0, 1, 0))))
    text = edited.text
    for line in ("# A teacher's scenario.   (comments, blank lines and odd spacing are the author's)",
                 'title   = "Commented"          # aligned comments', "[[site]]   # the first site",
                 "# The tour: two stops.", 'target = "A"    # a site'):
        assert line in text
    # A changed value keeps its comment in the same column.
    assert "lat  = -70.5                   # south\n" in text
    # The comment above [[event]] stays above it, after the new last stop.
    assert text.index('target = "B"') < text.index("# Events come after the tour.") \
        < text.index("[[event]]")
    # The untouched parts are as written.
    assert text.startswith(COMMENTED[:COMMENTED.index("[[site]]")])
    assert text.endswith(COMMENTED[COMMENTED.index("# Events come after the tour."):])


def test_edit_save_reload_gives_the_same_stops_and_sites(commented, tmp_path):
    document = ScenarioDocument.open(commented)
    edited = document.edited(doc.Batch("x", (
        doc.add_site("C", 45.0, -30.0),
        doc.add_stop(0, doc.stop_values("C", parse_time("2030-05-01"), 0.00004, 200.0, 45.0,
                                        until_tdb=parse_time("2030-05-10"), caption="new",
                                        title="T", duration_s=6.0, transition_s=2.0)))))
    session = edited.build()
    assert edited.modified
    saved = edited.save(tmp_path / "out.toml")
    assert not edited.modified
    reloaded = Session.load(saved)
    assert [s.model_dump() for s in reloaded.scenario.site] == \
        [s.model_dump() for s in session.scenario.site]
    assert reloaded.scenario.tour[0].model_dump() == session.scenario.tour[0].model_dump()
    stop = reloaded.scenario.tour[0].stop[-1]
    assert (stop.target, stop.caption, stop.title, stop.duration_s, stop.transition_s) == (
        "C", "new", "T", 6.0, 2.0)
    assert stop.until == pytest.approx(parse_time("2030-05-10"), abs=1e-5)


def test_a_duplicate_site_name_is_refused_with_the_loaders_problem(commented):
    document = ScenarioDocument.open(commented)
    candidate = document.edited(doc.add_site("A", 0.0, 0.0))
    with pytest.raises(InputFileError) as error:
        candidate.build()
    assert any(p.field.endswith(".name") and "duplicate name 'A'" in p.message
               for p in error.value.problems)
    assert not document.modified  # the original is untouched


def test_removing_and_moving_the_last_table_keeps_the_next_tables_comment(commented):
    document = ScenarioDocument.open(commented)
    for edit in (doc.remove_stop(0, 1), doc.move_stop(0, 1, 0)):
        text = document.edited(edit).text
        assert "\n\n# Events come after the tour.\n[[event]]" in text
        ScenarioDocument(text).build()


def test_a_new_tour_and_first_ship(commented):
    document = ScenarioDocument.open(commented)
    first = doc.stop_values("Moon", parse_time("2030-02-01"), 0.0001, 0.0, 30.0)
    edited = document.edited(doc.add_tour("mine", "My tour", first))
    edited = edited.edited(doc.add_ship("Lander", "Earth", "A", parse_time("2030-03-01"),
                                        parse_time("2030-03-06")))
    session = edited.build()
    assert [t.name for t in session.scenario.tour] == ["t", "mine"]
    assert session.ship("Lander").plan.legs[0].tof_days == pytest.approx(5.0)
    assert "\n\n[[ship]]\n" in edited.text


def test_saving_elsewhere_rewrites_relative_paths(tmp_path, data_dir):
    sample = data_dir / "MPCORB_sample.DAT"
    source = tmp_path / "a" / "s.toml"
    (source.parent / "data").mkdir(parents=True)
    (source.parent / "data" / sample.name).write_bytes(sample.read_bytes())
    source.write_text(COMMENTED + f'\n[[catalog]]\npath = "data/{sample.name}"\n')
    (tmp_path / "b" / "c").mkdir(parents=True)
    document = ScenarioDocument.open(source)
    out = document.save(tmp_path / "b" / "c" / "s.toml")
    assert f'path = "../../a/data/{sample.name}"' in out.read_text()
    assert document.path == out
    assert len(Session.load(out).world.catalogs) == 1


def test_save_without_a_file_asks_for_one():
    document = ScenarioDocument.open(default_scenario_path()).as_untitled("copy")
    assert not document.modified
    with pytest.raises(UserError, match="Save as"):
        document.save()


def test_ship_dates_edit_writes_the_flown_dates(tmp_path):
    path = tmp_path / "story.toml"
    path.write_bytes(default_scenario_path().read_bytes())
    session = Session.load(path)
    hayate = session.ship("Hayate")
    leg = hayate.plan.legs[0]
    session.replan_ship("Hayate", leg.depart_tdb + 5.0, leg.arrive_tdb + 5.0, 0)
    edit = doc.ship_dates(session, "Hayate")
    text = ScenarioDocument.open(path).edited(edit).text
    assert '{ to = "Ryugu water extractor", depart = "2034-01-07T00:00:00Z", arrive = ' \
           '"2034-06-10T00:00:00Z" }' in text
    assert doc.ship_dates(Session.load(path), "Hayate") is None
