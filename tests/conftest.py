"""Shared fixtures: paths to test data and the shipped default scenario."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA_DIR = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA_DIR


@pytest.fixture(scope="session")
def default_scenario():
    from spaceviz.core.scenario import default_scenario_path, load_scenario

    return load_scenario(default_scenario_path())
