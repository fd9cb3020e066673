"""Start the desktop app: QApplication, VisPy's Qt backend, the main window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

log = logging.getLogger(__name__)


def create_app():
    """The QApplication (created once) with VisPy bound to PySide6; canvases made for exports
    and other offscreen work get a GL context of their own (`offscreen_canvas`)."""
    from PySide6.QtWidgets import QApplication

    from spaceviz.render.offscreen import set_canvas_factory

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("spaceviz")
    app.setOrganizationName("spaceviz")
    import vispy

    vispy.use(app="pyside6")
    set_canvas_factory(offscreen_canvas)
    return app


def offscreen_canvas(size: tuple[int, int]):
    """A VisPy canvas with a real GL context that never appears on screen: shown, but with
    Qt's WA_DontShowOnScreen (a never-shown Qt canvas has no context of its own)."""
    from PySide6.QtCore import Qt
    from vispy import scene as vscene

    canvas = vscene.SceneCanvas(size=size, show=False, keys=None)
    native = canvas.native
    native.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    native.resize(*size)
    canvas.show()
    # Closed, the widget is deleted by Qt's event loop, which drops its pending events (a
    # widget destroyed with events queued for it crashes the next event dispatch).
    canvas.events.close.connect(lambda event: native.deleteLater())
    return canvas


def install_crash_handler(window=None) -> None:
    """Unexpected errors are logged and shown in a dialog that names the log file."""
    from spaceviz.core.logs import log_path

    def handle(kind, value, trace):
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, trace)
            return
        log.error("unexpected error", exc_info=(kind, value, trace))
        try:
            from PySide6.QtWidgets import QMessageBox

            box = QMessageBox(QMessageBox.Icon.Critical, "spaceviz: unexpected error",
                              f"Something went wrong: {kind.__name__}: {value}\n\n"
                              f"The details are in the log:\n{log_path()}\n\n"
                              "spaceviz keeps running; please report this with the log.",
                              parent=window)
            box.setObjectName("CrashDialog")
            box.open()
            handle.last_dialog = box
        except Exception:  # noqa: BLE001 (never fail while reporting a failure)
            sys.__excepthook__(kind, value, trace)

    sys.excepthook = handle


def run_app(scenario_path: str | Path | None = None, present: bool = False,
            tour: str | None = None) -> int:
    """Open the main window on a scenario (the shipped default when None); returns exit code."""
    from spaceviz.core.scenario.session import Session
    from spaceviz.core.state.app_state import AppState
    from spaceviz.core.state.tour import build_tour
    from spaceviz.ui.main_window import MainWindow

    session = Session.load(scenario_path, defer_catalogs=True)  # the belt loads after showing
    if tour is not None:
        build_tour(session, tour)  # an unknown tour name is a user error (exit 2) before any window
    app = create_app()
    window = MainWindow(AppState(session))
    install_crash_handler(window)
    window.show()
    if present:
        window.set_presenting(True)
    if tour is not None or (present and session.scenario.tour):
        window.start_tour(tour)
    return app.exec()
