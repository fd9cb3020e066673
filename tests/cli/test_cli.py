"""The command-line contract of shared/design.md §2: outputs, JSON, exit codes, messages."""

import json

import numpy as np
import pytest
from PIL import Image

from spaceviz import __version__
from spaceviz.core.astro.ephemeris import default_ephemeris
from spaceviz.core.astro.time import parse_time


def assert_user_error(result, *fragments):
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr + result.stdout


def test_version(run_cli):
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"spaceviz {__version__}"


def test_render_writes_png_of_the_requested_size(run_cli, tmp_path, data_dir):
    out = tmp_path / "sun.png"
    result = run_cli("render", str(data_dir / "scenarios" / "solar_system.toml"), "--at", "2031-06-01T00:00:00Z", "--size", "800x450", "--out", str(out))
    assert result.returncode == 0, result.stderr
    image = Image.open(out)
    assert image.size == (800, 450)
    assert image.text["Time"] == "2031-06-01T00:00:00Z"
    pixels = np.asarray(image.convert("RGB")).astype(int)
    sun = pixels[223:228, 398:403].reshape(-1, 3)
    assert sun[:, 0].min() > 240 and sun[:, 1].min() > 230 and sun[:, 2].min() > 100  # bright
    assert np.median(pixels[:40, :40]) < 15          # space is dark (a few stars)
    assert not (tmp_path / "sun.png.part").exists()


def test_render_the_moon_as_seen_from_earth(run_cli, tmp_path, data_dir):
    """--from puts the camera on the line from Earth to the Moon: at full Moon (2030-01-20
    15:54 UTC) the whole disc is lit and centred; bad combinations are user errors."""
    scenario = str(data_dir / "scenarios" / "solar_system.toml")
    out = tmp_path / "moon.png"
    result = run_cli("render", scenario, "--at", "2030-01-20T16:00:00Z", "--target", "Moon",
                     "--from", "Earth", "--size", "400x400", "--out", str(out))
    assert result.returncode == 0, result.stderr
    grey = np.asarray(Image.open(out).convert("L")).astype(float)
    lit = grey > 35  # maria included
    yy, xx = np.mgrid[0:400, 0:400]
    disc = np.hypot(xx - 200, yy - 200) < 30  # the framed Moon is ~40 px in radius
    assert lit[disc].mean() > 0.95  # full: lit all round the centre
    for args, message in ((["--from", "Earth"], "--from needs a --target"),
                          (["--target", "Moon", "--from", "Moon"], "from itself"),
                          (["--target", "Moon", "--from", "Nowhere"], "Nowhere")):
        bad = run_cli("render", scenario, "--at", "2030-01-20", "--out", str(tmp_path / "x.png"),
                      *args)
        assert bad.returncode == 2 and message in bad.stderr, bad.stderr
        assert "Traceback" not in bad.stderr and not (tmp_path / "x.png").exists()


@pytest.mark.parametrize("backend_env", [{"SPACEVIZ_GL_BACKEND": "egl", "DISPLAY": ""}])
def test_render_without_any_display_through_egl(run_cli, tmp_path, backend_env, data_dir):
    out = tmp_path / "earth.png"
    result = run_cli("render", str(data_dir / "scenarios" / "solar_system.toml"), "--at", "jd:2462700.5", "--size", "320x240", "--out", str(out),
                     "--target", "Earth", env=backend_env)
    assert result.returncode == 0, result.stderr
    pixels = np.asarray(Image.open(out).convert("RGB")).astype(int)
    # With --target and no azimuth the camera sees the sunlit side: the day side of the
    # Earth, blue on average (oceans under a blue sky), far brighter than space.
    centre = pixels[110:130, 150:170].reshape(-1, 3)
    sky = np.median(pixels[:40, :40, 2])
    assert centre[:, 2].mean() > 3 * sky + 20 and (centre.sum(axis=1) > 45).all()
    assert centre[:, 2].mean() > centre[:, 0].mean() + 10


def test_where_matches_the_ephemeris(run_cli):
    result = run_cli("where", "Mars", "--at", "2030-01-01T00:00:00Z", "--origin", "Sun")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"name", "jd_tdb", "frame", "origin", "position_au", "velocity_au_per_day"}
    assert (data["name"], data["frame"], data["origin"]) == ("Mars", "ICRF", "Sun")
    t = parse_time("2030-01-01T00:00:00Z")
    ephemeris = default_ephemeris()
    expected = ephemeris.position("Mars", t) - ephemeris.position("Sun", t)
    assert data["jd_tdb"] == pytest.approx(t, abs=1e-9)
    np.testing.assert_allclose(data["position_au"], expected, atol=1e-12)
    assert 1.38 < np.linalg.norm(data["position_au"]) < 1.67  # Mars' perihelion..aphelion


def test_where_is_case_insensitive_and_origin_moon(run_cli):
    result = run_cli("where", "earth", "--at", "jd:2451545.0", "--origin", "Moon")
    data = json.loads(result.stdout)
    distance_km = np.linalg.norm(data["position_au"]) * 149597870.7
    assert data["name"] == "Earth" and 356_000 < distance_km < 407_000


def test_where_unknown_name_and_time_out_of_range(run_cli):
    assert_user_error(run_cli("where", "Vulcan", "--at", "2030-01-01"), "unknown name 'Vulcan'")
    assert_user_error(run_cli("where", "Mars", "--at", "2070-01-01"),
                      "outside the DE421 ephemeris range")
    assert_user_error(run_cli("where", "Mars", "--at", "soon"), "'soon' is not a time")


def test_where_a_star_from_its_hipparcos_parallax_and_proper_motion(run_cli):
    """Sirius: parallax 379.21 mas (van Leeuwen 2007) -> 2.637 pc = 543,900 AU, towards SIMBAD's
    J2000 position (06h45m08.917s -16d42m58.02s) plus 30 years of proper motion (~40")."""
    result = run_cli("where", "Sirius", "--at", "2030-01-01")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"name", "jd_tdb", "frame", "origin", "position_au", "velocity_au_per_day"}
    assert (data["name"], data["frame"], data["origin"]) == ("Sirius", "ICRF", "SSB")
    position = np.array(data["position_au"])
    assert np.linalg.norm(position) == pytest.approx(1000 / 379.21 * 206264.806, rel=1e-6)
    ra, dec = np.radians(15 * (6 + 45 / 60 + 8.917 / 3600)), -np.radians(16 + 42 / 60 + 58.02 / 3600)
    simbad = np.array([np.cos(dec) * np.cos(ra), np.cos(dec) * np.sin(ra), np.sin(dec)])
    arcsec = np.degrees(np.arccos(position @ simbad / np.linalg.norm(position))) * 3600
    assert 35 < arcsec < 45  # 1.339"/yr for 30 years
    speed_km_s = np.linalg.norm(data["velocity_au_per_day"]) * 149597870.7 / 86400
    assert speed_km_s == pytest.approx(16.7, abs=0.1)  # tangential only: no radial velocity


def test_where_an_unknown_star_or_one_without_a_distance(run_cli):
    assert_user_error(run_cli("where", "Zubenelzorb", "--at", "2030-01-01"),
                      "unknown name 'Zubenelzorb'")
    assert_user_error(run_cli("where", "HIP 13", "--at", "2030-01-01"),
                      "HIP 13 has a Hipparcos parallax of", "distance is unknown")


def test_validate(run_cli, data_dir):
    from spaceviz.core.scenario.loader import default_scenario_path

    good = run_cli("validate", str(default_scenario_path()))
    assert good.returncode == 0 and "OK" in good.stdout
    bad = run_cli("validate", str(data_dir / "scenarios" / "bad_several.toml"))
    assert bad.returncode == 2
    lines = bad.stdout.strip().splitlines()
    assert len(lines) == 3 and lines[1].endswith("site[A].lat: Input should be less than or equal to 90")
    assert lines[0].split(":")[1] == "5"
    missing = run_cli("validate", "nope.toml")
    assert_user_error(missing)
    assert "nope.toml:0: (file): no such file" in missing.stdout


@pytest.mark.parametrize("args, fragment", [
    (["render", "--at", "2030-01-01", "--size", "big", "--out", "x.png"], "is not WIDTHxHEIGHT"),
    (["render", "--at", "2030-01-01", "--size", "99999x10", "--out", "x.png"], "outside 1x1"),
    (["render", "--at", "2030-01-01", "--out", "x.jpg"], "only PNG output"),
    (["render", "--out", "x.png"], "--at"),
    (["where"], "required"),
    (["render", "nope.toml", "--at", "2030-01-01", "--out", "x.png"], "no such file"),
])
def test_bad_arguments_exit_2_without_traceback(run_cli, tmp_path, args, fragment):
    result = run_cli(*args)
    assert_user_error(result, fragment)
    assert not (tmp_path / "x.png").exists()


def test_where_resolves_a_prefix_never_a_substring(run_cli):
    """'Ce' is the start of Ceres; it once matched 'Shackleton ice mine' by substring."""
    data = json.loads(run_cli("where", "Ce", "--at", "2030-01-01").stdout)
    assert data["name"] == "Ceres"
    assert_user_error(run_cli("where", "ice mine", "--at", "2030-01-01"), "unknown name 'ice mine'")
    assert_user_error(run_cli("where", "Ca", "--at", "2030-01-01"), "ambiguous",
                      "Cabeus ice field", "Cabeus ice plant")


def test_validate_counts_in_words(run_cli, tmp_path):
    path = tmp_path / "one.toml"
    path.write_text('schema_version = 1\ntitle = "one"\nstart = "2030-01-01"\nend = "2031-01-01"\n'
                    '[[asteroid]]\nname = "Rock"\nepoch = "jd:2458600.5"\na = 2.5\ne = 0.1\n'
                    'i = 3.0\nnode = 10.0\nperi = 20.0\nM = 30.0\n')
    result = run_cli("validate", str(path))
    assert result.returncode == 0
    assert "1 asteroid, 0 catalogues, 0 sites, 0 facilities, 0 ships" in result.stdout


def test_the_ephemeris_range_is_given_as_it_is_documented(run_cli):
    """The message, the README and the scenario checks give the same span (DE421 in TDB)."""
    from pathlib import Path

    result = run_cli("where", "Mars", "--at", "jd:2471200.5")
    assert_user_error(result, "1899-07-29 to 2053-10-09 TDB")
    readme = (Path(__file__).parent.parent.parent / "README.md").read_text()
    assert "1899-07-29 to 2053-10-09 TDB" in readme


def test_benchmark_prints_the_figures_as_json(run_cli, data_dir):
    import json

    scenario = str(data_dir / "scenarios" / "solar_system.toml")
    result = run_cli("benchmark", scenario, "--seconds", "1.5", "--size", "320x180")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert set(figures) >= {"frames", "fps", "median_ms", "p95_ms", "drawn_fraction",
                            "first_frame_s"}
    assert figures["frames"] >= 2 and figures["fps"] > 0 and figures["drawn_fraction"] == 1.0
    assert 0 < figures["first_frame_s"] < 120 and figures["p95_ms"] >= figures["median_ms"]
    bad = run_cli("benchmark", scenario, "--seconds", "0")
    assert bad.returncode == 2 and "--seconds" in bad.stderr


def test_render_a_dome_master_and_refuse_bad_projection_options(run_cli, tmp_path, data_dir):
    scenario = str(data_dir / "scenarios" / "solar_system.toml")
    out = tmp_path / "dome.png"
    result = run_cli("render", scenario, "--at", "2031-06-01", "--size", "400x400",
                     "--projection", "fisheye", "--fov", "200", "--out", str(out))
    assert result.returncode == 0, result.stderr
    image = Image.open(out)
    assert image.size == (400, 400) and image.text["Projection"] == "fisheye fov=200 tilt=0"
    pixels = np.asarray(image.convert("RGB")).astype(int)
    assert pixels[:10, :10].max() == 0 and pixels[196:204, 196:204, 0].min() > 200  # the Sun
    for args, fragment in [(["--projection", "fisheye", "--fov", "300"], "1 to 220 degrees"),
                           (["--projection", "cylinder"], "not one of perspective"),
                           (["--projection", "equirectangular", "--size", "800x800"], "twice as wide"),
                           (["--tilt", "10"], "--tilt applies to a fisheye")]:
        assert_user_error(run_cli("render", scenario, "--at", "2031-06-01", "--out",
                                  str(tmp_path / "x.png"), *args), fragment)
    assert not (tmp_path / "x.png").exists()


@pytest.mark.slow
def test_an_8k_dome_master(run_cli, tmp_path, data_dir):
    """8192x8192: faces of 5216 px, remapped in tiles at the GL limit (8192 or less)."""
    out = tmp_path / "dome8k.png"
    result = run_cli("render", str(data_dir / "scenarios" / "solar_system.toml"), "--at",
                     "2031-06-01", "--size", "8192x8192", "--projection", "fisheye",
                     "--out", str(out), timeout=600)
    assert result.returncode == 0, result.stderr
    Image.MAX_IMAGE_PIXELS = None
    pixels = np.asarray(Image.open(out).convert("RGB"))
    assert pixels.shape == (8192, 8192, 3)
    assert pixels[:64, :64].max() == 0 and pixels[4090:4102, 4090:4102, 0].min() > 200


def test_a_reader_that_stops_early_is_not_an_error(tmp_path):
    """`spaceviz where ... | head -1`: the pipe closes under a long JSON answer; the command
    ends quietly with exit 0, not with 'internal error' and a traceback."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, SPACEVIZ_LOG_DIR=str(tmp_path / "logs"),
               SPACEVIZ_CONFIG_DIR=str(tmp_path / "config"))
    done = subprocess.run(
        f"{sys.executable} -m spaceviz where Moon --at 2030-01-01 --origin Earth | head -c 1",
        shell=True, capture_output=True, text=True, timeout=120, env=env,
        executable="/bin/bash")
    assert done.stdout == "{"
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    pipestatus = subprocess.run(
        f"{sys.executable} -m spaceviz where Moon --at 2030-01-01 --origin Earth | head -c 1 "
        ">/dev/null; echo ${PIPESTATUS[0]}", shell=True, capture_output=True, text=True,
        timeout=120, env=env, executable="/bin/bash")
    assert pipestatus.stdout.strip() == "0"
