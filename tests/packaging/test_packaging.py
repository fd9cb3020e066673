"""Desktop integration files validate; the PyInstaller build runs (slow: `make test-slow`)."""

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
BINARY = ROOT / "dist" / "spaceviz" / "spaceviz"


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-utils is installed by make setup")
def test_desktop_entry_validates():
    result = subprocess.run(["desktop-file-validate",
                             str(PACKAGING / "io.github.spaceviz.Spaceviz.desktop")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower()


@pytest.mark.skipif(shutil.which("appstreamcli") is None,
                    reason="appstream is installed by make setup")
def test_metainfo_validates():
    result = subprocess.run(["appstreamcli", "validate", "--no-net",
                             str(PACKAGING / "io.github.spaceviz.Spaceviz.metainfo.xml")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_icon_is_our_svg():
    svg = (PACKAGING / "spaceviz.svg").read_text()
    assert svg.startswith("<svg") and 'viewBox="0 0 128 128"' in svg


@pytest.mark.slow
def test_packaged_binary_runs_version_and_render(tmp_path):
    if not BINARY.exists():
        pytest.fail("dist/spaceviz is missing: run `make package` (make test-slow does)")
    env = dict(os.environ, SPACEVIZ_CONFIG_DIR=str(tmp_path), SPACEVIZ_LOG_DIR=str(tmp_path))
    version = subprocess.run([str(BINARY), "--version"], capture_output=True, text=True, env=env,
                             cwd=tmp_path, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("spaceviz ")
    out = tmp_path / "packaged.png"
    render = subprocess.run([str(BINARY), "render", "--at", "2031-06-01", "--size", "480x270",
                             "--out", str(out)], capture_output=True, text=True, env=env,
                            cwd=tmp_path, timeout=120)
    assert render.returncode == 0, render.stderr
    pixels = np.asarray(Image.open(out).convert("RGB")).astype(int)
    assert pixels.shape == (270, 480, 3) and pixels[133:138, 238:243, 0].min() > 240  # the Sun


def test_the_wheel_ships_every_shader_and_resource():
    """Every file in shaders/ and resources/ matches a package-data pattern of pyproject.toml,
    expanded as setuptools expands them (glob, recursive, relative to the package folder):
    the installed app draws with the same shaders as the checkout."""
    import glob
    import tomllib

    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    for package, folder in setuptools["package-dir"].items():
        shipped = {name for pattern in setuptools["package-data"][package]
                   for name in glob.glob(pattern, root_dir=ROOT / folder, recursive=True)}
        present = {str(path.relative_to(ROOT / folder)) for path in (ROOT / folder).rglob("*")
                   if path.is_file() and "__pycache__" not in path.parts}
        assert present and present <= shipped, f"{folder}/ files left out of the wheel: " \
            f"{sorted(present - shipped)}"
