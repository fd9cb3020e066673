"""Start the desktop app: QApplication, VisPy's Qt backend, the main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

log = logging.getLogger(__name__)


def create_app():
    """The QApplication (created once) with VisPy bound to PySide6."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("spaceviz")
    app.setOrganizationName("spaceviz")
    import vispy

    vispy.use(app="pyside6")
    return app


def run_app(scenario_path: str | Path | None = None, present: bool = False,
            tour: str | None = None) -> int:
    """Open the main window on a scenario (the shipped default when None); returns exit code."""
    from spaceviz.core.session import Session
    from spaceviz.ui.main_window import MainWindow

    session = Session.load(scenario_path)
    if tour is not None:
        session.tour(tour)  # an unknown tour name is a user error (exit 2) before any window
    app = create_app()
    window = MainWindow(session)
    window.show()
    if present:
        window.set_presenting(True)
    if tour is not None or (present and session.scenario.tour):
        window.start_tour(tour)
    return app.exec()
