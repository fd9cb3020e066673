"""UI fixtures: a MainWindow on the default story with a small synthetic belt (`small_story`),
settings kept in a temporary folder."""

import pytest


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch, small_story):
    monkeypatch.setenv("SPACEVIZ_CONFIG_DIR", str(tmp_path / "config"))
    from PySide6.QtWidgets import QMessageBox

    from spaceviz.core.scenario.session import Session
    from spaceviz.core.state.app_state import AppState
    from spaceviz.ui.app import create_app
    from spaceviz.ui.main_window import MainWindow
    from spaceviz.ui.settings import Settings

    # Unsaved edits a test leaves behind are discarded when pytest-qt closes the window (a
    # real question would wait forever); tests about the question replace this answer.
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args, **kwargs: QMessageBox.StandardButton.Discard)
    create_app()
    main = MainWindow(AppState(Session.load(small_story)), Settings())
    qtbot.addWidget(main)
    main.resize(1200, 760)
    main.show()
    qtbot.waitExposed(main)
    drawn = []
    main.scene.canvas.events.draw.connect(
        lambda event: main.scene.built and drawn.append(1), position="last")
    qtbot.waitUntil(lambda: len(drawn) > 0, timeout=20_000)
    yield main
    main.state.timeline.pause()
    main.close()
