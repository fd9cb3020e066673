"""Opening large catalogues fast: a disk cache keyed by file (path, size, modification time)
or generator parameters, catalogues deferred to a worker thread when no name needs them, and
MPCORB's fixed-width lines indexed arithmetically (issue 17)."""

import io
import time

import numpy as np
import pytest

from spaceviz.core.astro.catalogs import cache, load
from spaceviz.core.astro.catalogs.codec import line_index
from spaceviz.core.astro.catalogs.mpcorb import write_mpcorb
from spaceviz.core.astro.catalogs.synthetic import synthetic_belt
from spaceviz.core.scenario.loader import read_scenario
from spaceviz.core.scenario.session import Session

SCENARIO = ('schema_version = 1\ntitle = "c"\nstart = "2030-01-01"\nend = "2031-01-01"\n'
            '[[catalog]]\npath = "{path}"\n')


@pytest.fixture
def mpcorb(tmp_path):
    """A 12,000-line MPCORB.DAT (2.4 MB, past the fixed-width fast path's threshold)."""
    path = tmp_path / "MPCORB.DAT"
    with open(path, "wb") as handle:
        write_mpcorb(synthetic_belt(12_000, seed=5).records, handle, number_unnumbered=True)
    return path


def test_fixed_width_indexing_equals_the_newline_scan(mpcorb):
    data = mpcorb.read_bytes()
    buf = np.frombuffer(data, dtype=np.uint8)
    starts, lengths = line_index(buf)
    newlines = np.flatnonzero(buf == 10)
    expected_starts = np.concatenate(([0], newlines[:-1] + 1))
    assert np.array_equal(starts, expected_starts)
    assert np.array_equal(lengths, newlines - expected_starts)
    # A line of another length in the middle defeats the fast path, not the result.
    broken = data.replace(b"\n", b"  \n", 1 + len(data) // 400_000)
    buf = np.frombuffer(broken, dtype=np.uint8)
    newlines = np.flatnonzero(buf == 10)
    starts, lengths = line_index(buf)
    assert np.array_equal(starts, np.concatenate(([0], newlines[:-1] + 1)))


def test_the_second_opening_reads_the_cache(mpcorb, monkeypatch, private_cache):
    first = cache.cached_catalog(cache.file_key(mpcorb), lambda: load.load_catalog(mpcorb))

    def must_not_parse():
        raise AssertionError("parsed again although the file did not change")

    second = cache.cached_catalog(cache.file_key(mpcorb), must_not_parse)
    assert first.records.tobytes() == second.records.tobytes() and len(second) == 12_000
    assert second.summary.source == first.summary.source
    # Changing the file changes the key: parsed afresh.
    time.sleep(0.01)
    mpcorb.write_bytes(mpcorb.read_bytes()[:-203])
    third = cache.cached_catalog(cache.file_key(mpcorb), lambda: load.load_catalog(mpcorb))
    assert len(third) == 11_999


def test_synthetic_belts_are_cached_by_their_parameters(private_cache):
    calls = []

    def build():
        calls.append(1)
        return synthetic_belt(3000, seed=11)

    one = cache.cached_catalog(cache.synthetic_key(3000, 11), build)
    two = cache.cached_catalog(cache.synthetic_key(3000, 11), build)
    other = cache.cached_catalog(cache.synthetic_key(3000, 12),
                                 lambda: synthetic_belt(3000, seed=12))
    assert calls == [1] and one.records.tobytes() == two.records.tobytes()
    assert not np.array_equal(one.records["a_au"], other.records["a_au"])


def test_an_unwritable_cache_is_skipped(monkeypatch, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("SPACEVIZ_CACHE_DIR", str(blocked))
    catalog = cache.cached_catalog(cache.synthetic_key(100, 1), lambda: synthetic_belt(100))
    assert len(catalog) == 100


def test_catalogues_are_deferred_when_no_name_needs_them(mpcorb):
    text = SCENARIO.format(path=mpcorb) + '[view]\ntarget = "Mars"\n'
    session = Session.from_read(read_scenario(text, "c.toml", mpcorb.parent), defer_catalogs=True)
    assert session.catalogs_pending and not session.world.populations
    catalogs, problems = session.load_catalogs()
    assert problems == [] and len(catalogs[0]) == 12_000
    session.add_catalogs(catalogs)
    assert not session.catalogs_pending and len(session.world.populations[0]) == 12_000
    assert session.world.resolve("SYN 0000045").name == "(45) SYN 0000045"


def test_a_name_in_a_catalogue_loads_it_at_once(mpcorb):
    """The view's target is a catalogue asteroid: the world is built with the catalogue."""
    text = SCENARIO.format(path=mpcorb) + '[view]\ntarget = "SYN 0000045"\n'
    session = Session.from_read(read_scenario(text, "c.toml", mpcorb.parent), defer_catalogs=True)
    assert not session.catalogs_pending and len(session.world.populations[0]) == 12_000


def test_a_broken_deferred_catalogue_is_a_problem_not_a_crash(tmp_path):
    bad = tmp_path / "MPCORB.DAT"
    bad.write_bytes(b"\x1f\x8b" + b"not gzip at all" * 10)
    text = SCENARIO.format(path=bad)
    session = Session.from_read(read_scenario(text, "c.toml", tmp_path), defer_catalogs=True)
    catalogs, problems = session.load_catalogs()
    assert catalogs == [] and problems and "gzip" in str(problems[0])


def test_where_on_a_cached_catalogue_gives_the_same_answer(run_cli, mpcorb, tmp_path):
    scenario = tmp_path / "c.toml"
    scenario.write_text(SCENARIO.format(path=mpcorb))
    runs = [run_cli("where", "SYN 0000045", "--at", "2030-06-01", "--scenario", str(scenario))
            for _ in range(2)]
    assert all(r.returncode == 0 for r in runs), runs[0].stderr
    assert runs[0].stdout == runs[1].stdout and "(45) SYN 0000045" in runs[0].stdout


def test_mpcorb_round_trip_through_the_writer_keeps_numbers():
    out = io.BytesIO()
    write_mpcorb(synthetic_belt(50, seed=2).records, out, number_unnumbered=True)
    assert out.getvalue().count(b"\n") >= 50
