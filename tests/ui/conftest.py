"""UI fixtures: a MainWindow on the default story with a small synthetic belt (2,000
asteroids instead of 200,000: the same scenario, quicker to open), settings kept in a
temporary folder."""

import pytest


@pytest.fixture(scope="session")
def small_story(tmp_path_factory):
    """The shipped default scenario with a 2,000-asteroid belt, written once per run."""
    from spaceviz.core.scenario.loader import default_scenario_path

    text = default_scenario_path().read_text(encoding="utf-8")
    assert "synthetic = 200000" in text
    path = tmp_path_factory.mktemp("scenarios") / "default.toml"
    path.write_text(text.replace("synthetic = 200000", "synthetic = 2000"), encoding="utf-8")
    return path


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch, small_story):
    monkeypatch.setenv("SPACEVIZ_CONFIG_DIR", str(tmp_path / "config"))
    from spaceviz.core.scenario.session import Session
    from spaceviz.core.state.app_state import AppState
    from spaceviz.ui.app import create_app
    from spaceviz.ui.main_window import MainWindow
    from spaceviz.ui.settings import Settings

    create_app()
    main = MainWindow(AppState(Session.load(small_story)), Settings())
    qtbot.addWidget(main)
    main.resize(1200, 760)
    main.show()
    qtbot.waitExposed(main)
    drawn = []
    main.scene.canvas.events.draw.connect(lambda event: drawn.append(1), position="last")
    qtbot.waitUntil(lambda: len(drawn) > 0, timeout=20_000)
    yield main
    main.state.timeline.pause()
    main.close()
