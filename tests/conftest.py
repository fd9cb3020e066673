"""Shared fixtures: paths to test data and the shipped default scenario."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

DATA_DIR = Path(__file__).parent / "data"


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

