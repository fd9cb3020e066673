"""The README's pictures are made by the app's own code (python -m spaceviz.ui.snapshot,
`make screenshot`): the tour strip is six frames of the tour video, three by two."""

import numpy as np
from PIL import Image


def test_the_tour_strip_tiles_six_tour_frames(tmp_path):
    from spaceviz.ui.snapshot import tour_strip

    out = tmp_path / "strip.png"
    tour_strip(str(out), size=(160, 90))
    image = np.asarray(Image.open(out).convert("RGB"))
    assert image.shape[:2] == (180, 480)
    # every tile has a picture (stars, bodies, captions), none is blank
    tiles = [image[r * 90:(r + 1) * 90, c * 160:(c + 1) * 160] for r in range(2) for c in range(3)]
    assert all((tile.max(axis=2) > 100).sum() > 50 for tile in tiles)
    assert not np.array_equal(tiles[0], tiles[1])


def test_the_economics_picture_stacks_the_scenario_over_a_facility(tmp_path, monkeypatch):
    from spaceviz.ui.snapshot import economics_shot

    monkeypatch.setenv("SPACEVIZ_CONFIG_DIR", str(tmp_path / "config"))
    out = tmp_path / "economics.png"
    economics_shot(str(out), width=700)
    image = np.asarray(Image.open(out).convert("RGB")).astype(int)
    assert image.shape[0] > 600 and 600 <= image.shape[1] <= 720
    r, g, b = image[..., 0], image[..., 1], image[..., 2]
    value_green = (g > 200) & (r < 150) & (b < 150)
    half = image.shape[0] // 2
    assert value_green[:half].sum() > 200 and value_green[half:].sum() > 200  # both charts
