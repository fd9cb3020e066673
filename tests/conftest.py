"""Shared fixtures: paths to test data and the shipped default scenario."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

DATA_DIR = Path(__file__).parent / "data"


@pytest.fixture(scope="session", autouse=True)
def qt_when_there_is_a_display():
    """Under a display (pytest-xvfb) render through Qt as the app and the CLI do there, with
    offscreen canvases that have GL contexts of their own."""
    if os.environ.get("DISPLAY"):
        from spaceviz.ui.app import create_app

        create_app()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA_DIR


@pytest.fixture(scope="session")
def default_scenario():
    from spaceviz.core.scenario.session import Session

    return Session.load().scenario


@pytest.fixture
def run_cli(tmp_path):
    def run(*args, env=None, timeout=240):
        environment = dict(os.environ)
        environment["SPACEVIZ_CONFIG_DIR"] = str(tmp_path / "config")
        environment["SPACEVIZ_LOG_DIR"] = str(tmp_path / "logs")
        environment.update(env or {})
        return subprocess.run([sys.executable, "-m", "spaceviz", *args], capture_output=True,
                              text=True, timeout=timeout, env=environment, cwd=tmp_path)

    return run


@pytest.fixture(scope="session")
def small_story(tmp_path_factory):
    """The shipped default scenario with a 2,000-asteroid belt instead of 200,000 (the same
    story, quicker to open and draw), written once per run."""
    from spaceviz.core.scenario.loader import default_scenario_path

    text = default_scenario_path().read_text(encoding="utf-8")
    assert "synthetic = 200000" in text
    path = tmp_path_factory.mktemp("scenarios") / "default.toml"
    path.write_text(text.replace("synthetic = 200000", "synthetic = 2000"), encoding="utf-8")
    return path


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """Catalogue and glyph caches in a folder of the test run, never the user's."""
    folder = tmp_path_factory.mktemp("cache")
    previous = os.environ.get("SPACEVIZ_CACHE_DIR")
    os.environ["SPACEVIZ_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("SPACEVIZ_CACHE_DIR", None)
    else:
        os.environ["SPACEVIZ_CACHE_DIR"] = previous
