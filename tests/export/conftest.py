"""Run the real command line in a subprocess (as users do)."""

import os
import subprocess
import sys

import pytest


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
