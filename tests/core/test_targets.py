"""The shipped mining targets: completeness, sane elements, positions, delta-v."""

from __future__ import annotations

import numpy as np
import pytest

from spaceviz.core.astro.orbits import propagate
from spaceviz.core.constants import GM_SUN_AU3_PER_DAY2
from spaceviz.core.errors import InputFileError, UnknownNameError
from spaceviz.core.mission.targets import (
    TARGETS_PATH,
    load_targets,
    mining_targets,
    shoemaker_helin_delta_v_km_s,
)


@pytest.fixture(scope="module")
def targets():
    return mining_targets()


def test_count_and_required_names(targets):
    assert len(targets) >= 25
    names = {t.name for t in targets}
    for required in ("Ceres", "Vesta", "Pallas", "Hygiea", "Psyche", "Davida", "Eros", "Bennu",
                     "Ryugu", "Itokawa", "Didymos", "Apophis", "Lutetia", "Mathilde", "Ida",
                     "Gaspra", "Toutatis", "Ganymed"):
        assert required in names
    assert len(names) == len(targets)


def test_every_target_has_every_field(targets):
    for t in targets:
        assert t.elements_source and "epoch" in t.elements_source.lower(), t.name
        assert t.diameter_km > 0 and t.spectral_class
        assert 0 < t.mass_kg[0] <= t.mass_kg[1]
        c = t.composition
        for low, high in (c.water_wt_pct, c.metal_wt_pct, c.pgm_ppm):
            assert 0 <= low <= high
        assert c.basis
        assert 0 <= t.resource_mass_kg[0] <= t.resource_mass_kg[1] <= t.mass_kg[1]
        assert t.delta_v_leo_km_s > 3.0 and "Shoemaker" in t.delta_v_method
        assert len(t.why) > 60 and t.sources and t.missions
        # mass from diameter: bulk density between 0.5 and 8 g/cm3
        volume_m3 = np.pi / 6 * (t.diameter_km * 1e3) ** 3
        assert 500 < t.mass_kg[1] / volume_m3 and t.mass_kg[0] / volume_m3 < 8000, t.name


def test_elements_are_sane(targets):
    el = targets.elements
    assert len(el) == len(targets)
    assert np.all((el.a_au > 0.5) & (el.a_au < 6.0))
    assert np.all((el.e >= 0) & (el.e < 0.95))
    assert np.all(el.epoch_tdb >= 2455000) & np.all(el.epoch_tdb <= 2462000)
    assert not el.equatorial.any()
    ceres = targets.get("Ceres")
    assert (ceres.a_au, ceres.e, ceres.i_deg) == pytest.approx((2.7656, 0.0797, 10.588), abs=1e-3)
    vesta = targets.get(4)
    assert (vesta.a_au, vesta.e, vesta.i_deg) == pytest.approx((2.3614, 0.0902, 7.144), abs=1e-3)
    psyche = targets.get("(16) Psyche")
    assert (psyche.a_au, psyche.e, psyche.i_deg) == pytest.approx((2.9257, 0.1349, 3.099),
                                                                  abs=1e-3)
    # group sanity: NEAs have perihelia inside 1.3 AU, main-belt targets outside
    for name in ("Eros", "Bennu", "Ryugu", "Itokawa", "Didymos", "Apophis"):
        t = targets.get(name)
        assert t.a_au * (1 - t.e) < 1.3, name
    for name in ("Ceres", "Vesta", "Psyche", "Lutetia"):
        t = targets.get(name)
        assert t.a_au * (1 - t.e) > 1.6, name


@pytest.mark.parametrize("name", ["Ceres", "Vesta", "Psyche", "Bennu"])
def test_positions_match_skyfield_kepler_orbit(targets, name):
    from skyfield.data.spice import inertial_frames
    from skyfield.keplerlib import _CONVERT_GM, _KeplerOrbit

    from spaceviz.core.astro.time import timescale

    t = targets.get(name)
    ts = timescale()
    orbit = _KeplerOrbit._from_mean_anomaly(
        t.a_au * (1 - t.e ** 2), t.e, t.i_deg, t.node_deg, t.peri_deg, t.M_deg,
        ts.tt_jd(t.epoch_tdb), GM_SUN_AU3_PER_DAY2 / _CONVERT_GM, 10, name)
    orbit._rotation = inertial_frames["ECLIPJ2000"].T
    times = np.linspace(2455000.5, 2466000.5, 23)
    row = targets.elements[targets.index(name)]
    pos, _ = propagate(row, times)
    assert np.abs(pos - orbit._at(ts.tt_jd(times))[0]).max() < 1e-9


def test_eros_target_matches_the_mpc_orbit_of_the_same_epoch(targets):
    from spaceviz.core.astro.catalogs.mpcorb import parse_mpcorb

    line = (b"00433   10.39  0.15 K2669  62.51145  178.91814  304.26797   10.82855  0.2228780"
            b"  0.55970463   1.4582437  0 E2026-R13 18046  59 1893-2026 0.61 M-v 3Ek MPCORBFIT"
            b"  1804    (433) Eros               20260902")
    mpc = parse_mpcorb(line).elements()
    ours = targets.elements[targets.index("Eros")]
    times = np.linspace(2460000.5, 2462000.5, 9)
    assert np.abs(propagate(ours, times)[0] - propagate(mpc, times)[0]).max() < 1e-6


def test_delta_v_matches_benner(targets):
    # Benner's NEA delta-v list (Shoemaker-Helin), values for older orbit solutions
    for name, published in (("Ryugu", 4.646), ("Itokawa", 4.632), ("Bennu", 5.087)):
        assert targets.get(name).delta_v_leo_km_s == pytest.approx(published, abs=0.05), name
    # the classic very low delta-v example 2006 RH120: 3.813 km/s in Benner's list
    assert shoemaker_helin_delta_v_km_s(1.033, 0.024, 0.595) == pytest.approx(3.813, abs=0.02)


def test_lookup(targets):
    assert targets.get("psyche").number == 16
    assert targets.get("1999 RQ36").name == "Bennu"
    assert targets.get("(101955) Bennu").name == "Bennu"
    assert targets.get("1998 KY26").number is None
    with pytest.raises(UnknownNameError):
        targets.get("Vulcan")


def test_bad_file_reports_problems(tmp_path):
    text = TARGETS_PATH.read_text(encoding="utf-8").replace("e = 0.079692295", "e = 1.5", 1)
    bad = tmp_path / "targets.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        load_targets(bad)
    line = text.splitlines().index("e = 1.5") + 1
    assert f"targets.toml:{line}: target.0.e:" in str(info.value)
