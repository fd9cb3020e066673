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

    app = create_app()
    session = Session.load(scenario_path)
    window = MainWindow(session)
    window.show()
    if present:
        window.showFullScreen()
    return app.exec()
