"""Remembered solutions: the same transfer or spiral (to the last bit of its inputs and of
the engine's source) is solved once per machine; anything else is solved afresh."""

import subprocess
import sys

import numpy as np

from spaceviz.core.astro.time import parse_time
from spaceviz.core.memo import SolutionMemo
from spaceviz.core.mission import trajectories
from spaceviz.core.scenario.session import Session


def test_a_remembered_transfer_equals_a_fresh_one(monkeypatch):
    world = Session.load().world
    earth, moon = world.place("Earth"), world.place("Moon")
    t0 = parse_time("2030-01-01")
    first = trajectories.plan_transfer(earth, moon, t0, t0 + 4.5, world.ephemeris)
    calls = []
    real = trajectories.solve_conics
    monkeypatch.setattr(trajectories, "solve_conics",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    again = trajectories.plan_transfer(earth, moon, t0, t0 + 4.5, world.ephemeris)
    assert calls == []  # remembered
    assert again.departure_dv_km_s == first.departure_dv_km_s
    np.testing.assert_array_equal(again.r1_km, first.r1_km)
    later = trajectories.plan_transfer(earth, moon, t0, t0 + 4.6, world.ephemeris)
    assert calls and later.arrive_tdb == t0 + 4.6  # another input: solved


def test_keys_are_exact_and_versions_separate(tmp_path, monkeypatch):
    monkeypatch.setenv("SPACEVIZ_CACHE_DIR", str(tmp_path))
    memo = SolutionMemo("test", "v1")
    memo.put((1.0, np.array([1.0, 2.0]), "a"), {"value": 3})
    assert memo.get((1.0, np.array([1.0, 2.0]), "a")) == {"value": 3}
    assert memo.get((1.0 + 1e-15, np.array([1.0, 2.0]), "a")) is None  # a different bit
    fresh = SolutionMemo("test", "v1")  # another process: read from disk
    assert fresh.get((1.0, np.array([1.0, 2.0]), "a")) == {"value": 3}
    assert SolutionMemo("test", "v2").get((1.0, np.array([1.0, 2.0]), "a")) is None


def test_a_story_opened_again_loads_without_scipy(tmp_path):
    """The tug's spirals and the shuttle's 60 legs are remembered on disk: a second process
    builds the default story without importing SciPy (half a second at start-up)."""
    code = ("import sys; from spaceviz.core.scenario.session import Session; "
            "Session.load(None, defer_catalogs=True); "
            "print(any(m.startswith('scipy') for m in sys.modules))")
    env = {"SPACEVIZ_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           env=env, timeout=300) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr
    assert runs[0].stdout.strip() == "True" and runs[1].stdout.strip() == "False"


def test_source_digest_without_source_files_uses_the_release(tmp_path):
    """A packaged app has no .py files: the digest must still be made, and differ by file."""
    from spaceviz.core.memo import source_digest

    real = tmp_path / "engine.py"
    real.write_text("x = 1\n")
    assert source_digest(real) != source_digest(tmp_path / "missing_a.py")
    assert source_digest(tmp_path / "missing_a.py") != source_digest(tmp_path / "missing_b.py")
    assert source_digest(tmp_path / "missing_a.py") == source_digest(tmp_path / "missing_a.py")
    real.write_text("x = 2\n")
    assert source_digest(real) != source_digest(tmp_path / "engine.py.bak")
