"""The main window: assembles the 3D view, timeline bar, panels, menus and status bar around
one AppState. The widgets and the scene observe the state; the window only wires commands to
the state's methods and drives the clock with a Qt timer."""

from __future__ import annotations

import logging
import time as wallclock
from pathlib import Path

from PySide6.QtCore import QByteArray, QPoint, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from spaceviz import __version__
from spaceviz.core.errors import UserError
from spaceviz.core.scenario.session import Session
from spaceviz.core.state.app_state import AppState
from spaceviz.core.state.presentation import format_length_au
from spaceviz.render.scene import BACKGROUND, SpaceScene
from spaceviz.ui.actions import ActionRegistry, shortcuts_table_html
from spaceviz.ui.authoring import LESSONS_DIR, AuthoringCommands
from spaceviz.ui.belt_panel import BeltPanel
from spaceviz.ui.catalog_loader import CatalogLoader
from spaceviz.ui.charts_panel import ChartsPanel
from spaceviz.ui.dome_preview import DomePreview
from spaceviz.ui.export_dialogs import ExportCommands
from spaceviz.ui.facilities_panel import FacilitiesPanel
from spaceviz.ui.info_panel import InfoPanel
from spaceviz.ui.object_tree import ObjectTree
from spaceviz.ui.porkchop_panel import PorkchopPanel
from spaceviz.ui.settings import Settings
from spaceviz.ui.timeline_bar import TimelineBar
from spaceviz.ui.tour_editor import TourEditor, coming_next

log = logging.getLogger(__name__)
VIEW_TOGGLES = ("labels", "orbits", "stars", "constellations", "star_names")
"""ViewOptions fields with a checkable View menu action `toggle_<field>`."""
TICK_MS = 16
HOVER_MS = 250  # how often a resting mouse is asked "what is under you?"
MAX_TICK_S = 5.0
"""Scenario time follows the wall clock whatever the frame rate (slow frames are dropped,
time does not slow down); only a pause longer than this (a suspended machine) is cut short."""

def about_html() -> str:
    """Help > About: version, data sources and the credit line of every shipped map."""
    from spaceviz.core.astro.textures import body_textures

    credits = []
    for texture in body_textures().values():
        credits.append(texture.credit)
        if texture.rings is not None:
            credits.append(texture.rings.credit)
    items = "".join(f"<li>{credit}</li>" for credit in credits)
    return (f"<h3>spaceviz {__version__}</h3><p>A 3D visualiser of mining operations in the "
            "solar system.</p><p>Ephemeris: JPL DE421 (via skyfield-data). Stars: ESA "
            "Hipparcos, new reduction (van Leeuwen 2007); star names: IAU WGSN; constellation "
            "figures: d3-celestial (BSD). Rendering: VisPy. UI: Qt (PySide6).</p>"
            f"<p><b>Surface maps</b></p><ul>{items}</ul>"
            "<p>Sources and terms: resources/textures/CREDITS.md, resources/stars/CREDITS.md.</p>")


def help_text(state: AppState) -> str:
    """"What am I looking at?": what the view shows right now, in plain words."""
    from spaceviz.core.scenario.world import Facility, Ship, Site

    world, view = state.world, state.view
    parts = [f"The view is centred on {state.camera.target}."]
    if view.orbits:
        parts.append("Coloured lines are orbits; far away, planets are drawn larger than "
                     "life so you can find them, and bodies hide what is behind them.")
    belt = sum(len(p) for p in world.populations)
    if belt and view.belt:
        parts.append(f"Faint coloured dots are asteroids ({belt:,} of them).")
    if world.of_type(Ship) and view.ships:
        parts.append("Orange lines are ships' paths, bright where flown and faint ahead; a "
                     "triangle is a ship, filled while it carries cargo.")
    if world.of_type(Facility):
        parts.append("Squares are mining plants: green running, blue idle in the dark, orange "
                     "with full storage.")
    if world.of_type(Site):
        parts.append("Diamonds are lunar sites, yellow in sunlight and blue in darkness.")
    if view.stars:
        parts.append("Behind everything are the real stars of the Hipparcos catalogue, to "
                     "magnitude 8" + (", with the constellation figures." if view.constellations
                                      else "."))
    parts.append("The date is at the top left. Drag to turn, scroll to zoom, double-click "
                 "anything to fly there. Press H again to close this.")
    return " ".join(parts)


class MainWindow(QMainWindow):
    """The window around one AppState (scenario, clock, camera, selection, overlay, tours)."""

    def __init__(self, state: AppState, settings: Settings | None = None):
        super().__init__()
        self.setObjectName("MainWindow")
        self.settings = settings or Settings()
        self.state = state
        self._presenting = False
        self._saved_layout: QByteArray | None = None
        self._layout_timer = QTimer(self)
        self._layout_timer.setSingleShot(True)
        self._layout_timer.setInterval(60)
        self._layout_timer.timeout.connect(self._restore_layout)
        self.exports = ExportCommands(self, state, self.settings,
                                      lambda text: self.statusBar().showMessage(text, 5000),
                                      before_export=lambda: self.catalogs.wait())
        self.authoring = AuthoringCommands(self, state, self.settings,
                                           lambda text: self.statusBar().showMessage(text, 8000))
        self.actions = ActionRegistry(self)
        self._bind_actions()
        self._build_menus()

        # the layers' shaders compile after the window first shows (a window within a second)
        self.scene = SpaceScene(state, canvas=self._make_canvas(), build_layers=False)
        self.scene.activated.connect(self.state.fly_to)
        self.scene.picked.connect(lambda name: name is not None and state.selection.set(name))
        self.scene.canvas.events.draw.connect(self._on_drawn, position="last")
        self.scene.detail.changed.connect(self._detail_changed)
        self.scene.canvas.events.mouse_press.connect(self.authoring.on_mouse_press)
        self.scene.canvas.events.mouse_release.connect(self.authoring.on_mouse_release)
        self.timeline_bar = TimelineBar(state, self.actions, self)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        # Until the scene is built, a plain placeholder stands where the 3D view goes: the
        # window shows before any GL context or shader exists.
        self.view_stack = QStackedWidget(central)
        placeholder = QLabel("Opening the solar system...", self.view_stack)
        placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        placeholder.setStyleSheet("background: black; color: #888;")
        self.view_stack.addWidget(placeholder)
        self.view_stack.addWidget(self.scene.canvas.native)
        layout.addWidget(self.view_stack, stretch=1)
        layout.addWidget(self.timeline_bar)
        self.setCentralWidget(central)

        self.object_tree = ObjectTree(state, self)
        self.object_tree.setMinimumWidth(190)
        self._add_dock("Objects", self.object_tree, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.info_panel = InfoPanel(state, self)
        self.info_panel.setMinimumWidth(300)
        info_dock = self._add_dock("Info", self.info_panel, Qt.DockWidgetArea.RightDockWidgetArea)
        self.charts = ChartsPanel(state, self)
        self._add_dock("Charts", self.charts, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.facilities_panel = FacilitiesPanel(state, self)
        self.facilities_dock = self._add_dock("Facilities", self.facilities_panel,
                                              Qt.DockWidgetArea.BottomDockWidgetArea)
        self.porkchop = PorkchopPanel(state, self)
        self.porkchop_dock = self._add_dock("Launch windows", self.porkchop,
                                            Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.facilities_dock, self.porkchop_dock)
        self.porkchop_dock.visibilityChanged.connect(
            lambda shown: shown and self.porkchop.maybe_seen())
        self.belt_panel = BeltPanel(state, self)
        self.belt_dock = self._add_dock("Asteroids", self.belt_panel,
                                        Qt.DockWidgetArea.RightDockWidgetArea)
        self.dome_preview = DomePreview(state, self)
        self.dome_dock = self._add_dock("Dome preview", self.dome_preview,
                                        Qt.DockWidgetArea.RightDockWidgetArea)
        self.dome_dock.hide()
        self.dome_dock.visibilityChanged.connect(self.actions["dome_preview"].setChecked)
        self.tour_editor = TourEditor(state, self.authoring, self)
        self.tour_editor_dock = self._add_dock("Tour editor", self.tour_editor,
                                               Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(info_dock, self.tour_editor_dock)
        self.tour_editor_dock.hide()
        self.tour_editor_dock.visibilityChanged.connect(self.actions["tour_editor"].setChecked)
        self.authoring.authoring.changed.connect(self._update_title)

        self.fps_label = QLabel("")
        self.camera_label = QLabel("")
        self.tour_label = QLabel("")
        self.tour_label.setToolTip("Where the tour is (PageDown/PageUp step through its stops)")
        self.statusBar().addPermanentWidget(self.tour_label)
        self.statusBar().addPermanentWidget(self.camera_label)
        self.detail_label = QLabel("")
        self.detail_label.setToolTip("While the view moves, part of the belt is drawn to keep it "
                                     "fluid; at rest every asteroid is drawn")
        self.statusBar().addPermanentWidget(self.detail_label)
        self.statusBar().addPermanentWidget(self.fps_label)
        state.camera.changed.connect(self._camera_moved)
        state.session_changed.connect(self._session_changed)
        state.ship_replanned.connect(self._ship_replanned)
        state.presentation.events.black.connect(lambda on: self.actions["black"].setChecked(on))
        state.presentation.events.caption.connect(self._show_tour_place)
        state.tour_changed.connect(self._show_tour_place)

        self._frames_drawn = 0
        self._fps_started = wallclock.perf_counter()
        self._last_tick = wallclock.perf_counter()
        self._frame_pending = False
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self._hovered_at = None
        self._hover_shown = False
        self.hover_timer = QTimer(self)
        self.hover_timer.setInterval(HOVER_MS)
        self.hover_timer.timeout.connect(self.show_hover_name)
        self.hover_timer.start()

        self.catalogs = CatalogLoader(self, state)
        state.populations_changed.connect(self._populations_changed)
        self._session_changed(state.session)
        self.catalogs.start()
        self._restore_geometry()
        self.timer.start()

    @property
    def session(self) -> Session:
        return self.state.session

    # --- construction ------------------------------------------------------------------
    def _add_dock(self, title: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{title}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _bind_actions(self) -> None:
        state, tl = self.state, self.state.timeline
        view, presentation = state.view, state.presentation
        handlers = {
            "open": self.open_dialog, "reload": self.reload, "quit": self.close,
            "new_lesson": self.lesson_gallery, "save_scenario": self.authoring.save,
            "save_scenario_as": self.authoring.save_as, "undo": self.undo, "redo": self.redo,
            "add_site": lambda: self.authoring.pick_site(False),
            "move_site": lambda: self.authoring.pick_site(True),
            "add_facility": self.authoring.add_facility, "add_ship": self.authoring.add_ship,
            "tour_editor": lambda: self.show_tour_editor(self.actions["tour_editor"].isChecked()),
            "tour_add_stop": self.add_tour_stop, "teacher_notes": self.show_notes,
            "screenshot": self.exports.screenshot_dialog, "video": self.exports.video_dialog,
            "play_pause": state.play_pause, "faster": tl.faster, "slower": tl.slower,
            "reverse": tl.reverse,
            "step_forward": lambda: state.step_tour(+1) or tl.step(+1),
            "step_back": lambda: state.step_tour(-1) or tl.step(-1),
            "next_event": lambda: state.step_tour(+1) or tl.next_event(),
            "previous_event": lambda: state.step_tour(-1) or tl.previous_event(),
            "jump_start": lambda: state.jump_tour(False) or tl.jump_to_start(),
            "jump_end": lambda: state.jump_tour(True) or tl.jump_to_end(),
            "focus_selected": self.focus_selected, "reset_view": state.reset_view,
            "zoom_in": lambda: state.camera.zoom(0.7),
            "zoom_out": lambda: state.camera.zoom(1 / 0.7),
            "view_from_earth": self.view_from_earth,
            "present": lambda: self.set_presenting(self.actions["present"].isChecked(),
                                                   self.settings.get("present_screen")),
            "leave_present": lambda: self.authoring.cancel_pick() or self.set_presenting(False),
            "black": lambda: setattr(presentation, "black", self.actions["black"].isChecked()),
            "dome_preview": lambda: self.dome_dock.setVisible(
                self.actions["dome_preview"].isChecked()),
            "help_overlay": self._toggle_help_overlay,
            "tour_start": lambda: self.start_tour(None), "tour_stop": state.stop_tour,
            "shortcuts": self.show_shortcuts, "about": self.show_about,
        }
        for command_id, handler in handlers.items():
            self.actions.bind(command_id, handler)
        self.authoring.bind_undo(self.actions["undo"], self.actions["redo"])
        for option in VIEW_TOGGLES:  # checkable actions bound both ways to ViewOptions
            action = self.actions[f"toggle_{option}"]
            action.setChecked(getattr(view, option))
            action.toggled.connect(lambda on, option=option: setattr(view, option, on))
            getattr(view.events, option).connect(lambda on, action=action: action.setChecked(on))

    def _build_menus(self) -> None:
        bar = self.menuBar()
        for menu_name in ("File", "Edit", "Time", "View", "Tour", "Help"):
            menu = bar.addMenu("&" + menu_name)
            menu.setToolTipsVisible(True)
            for command in self.actions.menu_commands(menu_name):
                if command.id == "tour_start":
                    self.tours_menu = menu.addMenu("&Tours")
                    self.tours_menu.aboutToShow.connect(self._fill_tours)
                if command.id == "quit":
                    self.recent_menu = menu.addMenu("Open &recent")
                    self.recent_menu.aboutToShow.connect(self._fill_recent)
                    menu.addSeparator()
                menu.addAction(self.actions[command.id])
                self.addAction(self.actions[command.id])  # shortcuts work with menus hidden
                if command.id == "present":
                    self.screens_menu = menu.addMenu("Present on scree&n")
                    self.screens_menu.setToolTip("The screen presentation mode fills")
                    self.screens_menu.aboutToShow.connect(self._fill_screens)

    def _fill_tours(self) -> None:
        self.tours_menu.clear()
        for tour in self.session.scenario.tour:
            action = self.tours_menu.addAction(tour.title or tour.name)
            action.setToolTip(f"Play the tour '{tour.name}'")
            action.triggered.connect(lambda *_, n=tour.name: self.start_tour(n))
        if not self.session.scenario.tour:
            self.tours_menu.addAction("(this scenario has no tours)").setEnabled(False)

    def _fill_screens(self) -> None:
        """One entry per screen; the chosen one is remembered (and used at once while
        presenting)."""
        self.screens_menu.clear()
        chosen = self.settings.get("present_screen")
        screens = QGuiApplication.screens()
        for index, screen in enumerate(screens):
            size = screen.size()
            action = self.screens_menu.addAction(
                f"{index + 1}: {screen.name()} ({size.width()} x {size.height()})")
            action.setCheckable(True)
            action.setChecked(index == chosen or (chosen is None and screen
                                                  is QGuiApplication.primaryScreen()))
            action.triggered.connect(lambda *_, i=index: self.choose_screen(i))

    def choose_screen(self, index: int) -> None:
        """Present on screen `index` (of QGuiApplication.screens()) from now on."""
        self.settings.set("present_screen", index)
        if self._presenting:
            self.set_presenting(False)
            self.set_presenting(True, index)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.get("recent", []):
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda *_, p=path: self.open_path(p))
        if not self.settings.get("recent"):
            self.recent_menu.addAction("(none)").setEnabled(False)

    def _make_canvas(self):
        from vispy import scene as vscene

        try:
            canvas = vscene.SceneCanvas(show=False, bgcolor=BACKGROUND, keys=None, parent=self)
        except Exception as exc:  # noqa: BLE001 (no GL context at all)
            from spaceviz.core.errors import GraphicsUnavailableError
            from spaceviz.export.backend import GL_HELP

            raise GraphicsUnavailableError(f"could not create an OpenGL view: {exc}. {GL_HELP}") from None
        canvas.native.setMinimumSize(320, 200)
        canvas.native.setToolTip("")
        return canvas

    # --- scenario ----------------------------------------------------------------------
    def _session_changed(self, session: Session) -> None:
        """Docks that have something to show, the title, the recent-files list."""
        self.facilities_dock.setVisible(session.operations is not None)
        self.porkchop_dock.setVisible(bool(session.ships))
        self.facilities_dock.raise_()
        self.belt_dock.setVisible(bool(session.world.populations) or session.catalogs_pending)
        path = session.scenario.source_path
        self._update_title()
        if path is not None:
            self.settings.add_recent(str(path))
            self.settings.set("last_scenario", str(path))

    def _update_title(self) -> None:
        """The scenario's title and file; a * while it has unsaved changes."""
        authoring = self.authoring.authoring
        self.setWindowTitle(f"{self.session.title}[*] - spaceviz [{authoring.name}]")
        self.setWindowModified(authoring.modified)

    def _populations_changed(self) -> None:
        self.belt_dock.setVisible(bool(self.session.world.populations))

    def open_path(self, path: str | Path) -> bool:
        """Load a scenario; on a problem show every message and keep the current one.
        Unsaved changes are saved or discarded first (the user chooses)."""
        if not self.authoring.may_discard():
            return False
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            session = Session.load(path, defer_catalogs=True)
        except UserError as exc:
            QGuiApplication.restoreOverrideCursor()
            self._show_problems(f"Could not open {path}", exc)
            return False
        QGuiApplication.restoreOverrideCursor()
        self.state.set_session(session)
        self.statusBar().showMessage(f"Opened {path}", 4000)
        return True

    def _show_problems(self, title: str, exc: Exception) -> None:
        log.warning("%s: %s", title, exc)
        box = QMessageBox(QMessageBox.Icon.Warning, "spaceviz", title, parent=self)
        box.setObjectName("ProblemsDialog")
        box.setInformativeText("The previous scenario stays open.")
        box.setDetailedText(str(exc))
        box.setText(f"{title}\n\n{exc}" if len(str(exc)) < 2000 else title)
        box.setModal(True)
        box.open()
        self.problems_dialog = box

    def open_dialog(self) -> None:
        source = self.session.scenario.source_path
        path, _ = QFileDialog.getOpenFileName(self, "Open scenario",
                                              str(source.parent) if source else "",
                                              "Scenarios (*.toml)")
        if path:
            self.open_path(path)

    def reload(self) -> None:
        path = self.session.scenario.source_path
        if path is not None:
            t = self.state.timeline.time
            if self.open_path(path):
                self.state.timeline.set_time(t)

    def lesson_gallery(self) -> None:
        from spaceviz.ui.lessons import LessonGallery

        self.gallery = LessonGallery(self.authoring, LESSONS_DIR, self)
        self.gallery.open()

    def show_notes(self) -> None:
        from spaceviz.ui.lessons import NotesDialog

        self.notes_dialog = NotesDialog(self.authoring, self)
        self.notes_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.notes_dialog.show()

    def undo(self) -> None:
        self.tour_editor.flush()
        self.authoring.stack.undo()

    def redo(self) -> None:
        self.authoring.stack.redo()

    def show_tour_editor(self, shown: bool = True) -> None:
        self.tour_editor_dock.setVisible(shown)
        if shown:
            self.tour_editor_dock.raise_()

    def add_tour_stop(self) -> None:
        self.show_tour_editor()
        self.tour_editor.add_stop()

    def _ship_replanned(self, name: str) -> None:
        """A ship flies on new dates: select it and show its departure."""
        self.state.selection.set(name)
        self.state.timeline.set_time(self.session.ship(name).plan.start_tdb)

    # --- camera and selection ----------------------------------------------------------
    def view_from_earth(self) -> None:
        try:
            self.state.view_from_earth()
        except UserError as exc:
            self.statusBar().showMessage(str(exc), 5000)

    def focus_selected(self) -> None:
        if self.state.selection.name:
            self.state.fly_to(self.state.selection.name)

    def show_hover_name(self) -> str | None:
        """Name the object under a resting mouse (tooltip and status bar), at most every
        HOVER_MS; belt asteroids are found with the GPU picking pass."""
        interaction = self.scene.interaction
        position = interaction.hover_pos if interaction is not None else None
        if position is None or position == self._hovered_at or self.state.animating:
            return None
        self._hovered_at = position
        name = self.scene.pick(*position)
        if name is not None:
            native = self.scene.canvas.native
            ratio = native.devicePixelRatioF() or 1.0
            point = native.mapToGlobal(QPoint(int(position[0] / ratio), int(position[1] / ratio)))
            QToolTip.showText(point, name, native)
            self._hover_shown = True
            self.statusBar().showMessage(name, 3000)
        return name

    def _camera_moved(self) -> None:
        """The view moved under the mouse: the hover name no longer applies."""
        if self._hover_shown:
            QToolTip.hideText()
            self._hover_shown = False
            self._hovered_at = None
        camera = self.state.camera
        self.camera_label.setText(f"{camera.target}  |  {format_length_au(camera.distance_au)}  ")

    # --- presentation and tours ---------------------------------------------------------
    def set_presenting(self, on: bool, screen_index: int | None = None) -> None:
        """Full screen with only the 3D view and large overlays; Escape restores the window
        exactly as it was (docks, their sizes and tabs)."""
        if on == self._presenting:
            self.actions["present"].setChecked(on)
            return
        self._presenting = on
        self.actions["present"].setChecked(on)
        if on:
            self._saved_layout = self.saveState()
            for dock in self.findChildren(QDockWidget):
                dock.hide()
            for widget in (self.menuBar(), self.statusBar(), self.timeline_bar):
                widget.hide()
            if screen_index is not None:
                screens = QGuiApplication.screens()
                if 0 <= screen_index < len(screens):
                    self.windowHandle().setScreen(screens[screen_index])
            self.showFullScreen()
        else:
            self.state.presentation.black = False
            self.showNormal()
            for widget in (self.menuBar(), self.statusBar(), self.timeline_bar):
                widget.show()
            if self._saved_layout is not None:  # showNormal() brings the window's size back
                self.restoreState(self._saved_layout)
                self._layout_timer.start()  # again once the window has its size back
        self.state.presentation.update({"large": on, "footprint": on})

    def _restore_layout(self) -> None:
        """Dock sizes and tabs as they were before presentation mode (restoring them while
        the window manager still resizes the window out of full screen loses the sizes)."""
        if self._saved_layout is not None and not self.isFullScreen():
            self.restoreState(self._saved_layout)

    def resizeEvent(self, event):  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        if self._layout_timer.isActive():
            self._layout_timer.start()  # wait until the resizes settle

    def start_tour(self, name: str | None) -> None:
        """Play a tour of the scenario from its first stop (Space pauses, PageDown steps)."""
        try:
            tour = self.state.start_tour(name)
        except UserError as exc:
            self.statusBar().showMessage(str(exc), 5000)
            return
        self.statusBar().showMessage(f"Tour: {tour.tour.title} ({tour.tour.duration_s:.0f} s)", 4000)

    def _show_tour_place(self, *args) -> None:
        """'Tour: stop 3 of 9' (or 'on the way to stop 4 of 9') in the status bar."""
        player = self.state.tour
        frame = player.frame if player is not None else None
        if frame is None:
            self.tour_label.setText("")
            return
        text = coming_next(player)
        self.tour_label.setText(f"Tour: {text[:90] + '…' if len(text) > 90 else text}  ")
        self.tour_label.setToolTip(text)

    def _toggle_help_overlay(self) -> None:
        on = self.actions["help_overlay"].isChecked()
        self.state.presentation.update({"title": "What am I looking at?" if on else "",
                                        "caption": help_text(self.state) if on else ""})

    # --- clock -------------------------------------------------------------------------
    def _tick(self) -> None:
        """Advance by the real time elapsed since the last step; while a frame is still being
        drawn, wait for it (the next step then covers the whole wait: frames are dropped,
        scenario time is not)."""
        now = wallclock.perf_counter()
        if self._frame_pending and now - self._last_tick < MAX_TICK_S:
            return
        dt = min(now - self._last_tick, MAX_TICK_S)
        self._last_tick = now
        self.state.advance(dt)
        if self.state.animating:
            self._frame_pending = True
            self.scene.request_draw()

    def _on_drawn(self, event=None) -> None:
        """Frames per second while the view animates; at rest, what the last frame cost."""
        self._frame_pending = False
        self._frames_drawn += 1
        now = wallclock.perf_counter()
        if not self.state.animating:
            frame_ms = 1000.0 * (now - self.scene.frame_started)
            self.fps_label.setText(f"frame {frame_ms:.0f} ms")
            self._frames_drawn = 0
            self._fps_started = now
            return
        if now - self._fps_started >= 1.0:
            fps = self._frames_drawn / (now - self._fps_started)
            self.fps_label.setText(f"{fps:.0f} fps")
            self._frames_drawn = 0
            self._fps_started = now

    def _detail_changed(self, fraction: float) -> None:
        """Say when the belt is thinned to keep the view fluid (it refines at rest)."""
        belt = self.scene.belt_layer()
        if belt is None or fraction >= 1.0:
            self.detail_label.setText("")
            return
        self.detail_label.setText(f"asteroids: {belt.drawn_fraction:.0%} while moving  ")

    # --- dialogs -----------------------------------------------------------------------
    def show_shortcuts(self) -> None:
        box = QMessageBox(self)
        box.setObjectName("ShortcutsDialog")
        box.setWindowTitle("Keyboard shortcuts")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(shortcuts_table_html())
        box.open()
        self.shortcuts_dialog = box

    def show_about(self) -> None:
        QMessageBox.about(self, "About spaceviz", about_html())

    def keyPressEvent(self, event):  # noqa: N802 (Qt naming)
        """Keys that reach the window unhandled (no active window, focus in the 3D view,
        a presenter's clicker) trigger the command bound to them."""
        from PySide6.QtGui import QKeySequence

        command_id = self.actions.command_for_key(QKeySequence(event.keyCombination()))
        if command_id is not None:
            self.actions.trigger(command_id)
            event.accept()
            return
        super().keyPressEvent(event)

    # --- persistence -------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = self.settings.get("geometry")
        if geometry:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode()))
        else:
            self.resize(1400, 860)

    def showEvent(self, event):  # noqa: N802 (Qt naming)
        super().showEvent(event)
        if not self.scene.built:
            QTimer.singleShot(0, self._build_scene)

    def _build_scene(self) -> None:
        """The world's layers, right after the window first shows, drawn at once."""
        self.scene.build()
        self.view_stack.setCurrentWidget(self.scene.canvas.native)
        self.scene.canvas.native.repaint()

    def closeEvent(self, event):  # noqa: N802 (Qt naming)
        self.tour_editor.flush()
        if not self.authoring.may_discard():
            event.ignore()
            return
        self.timer.stop()
        self.catalogs.close()
        self.hover_timer.stop()
        if self._presenting:
            self.set_presenting(False)
        self.settings.set("geometry", bytes(self.saveGeometry().toBase64()).decode())
        self.settings.save()
        super().closeEvent(event)
