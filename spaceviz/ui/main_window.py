"""The main window: 3D view, timeline bar, object tree, info panel, menus, status bar."""

from __future__ import annotations

import logging
import time as wallclock
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from spaceviz import __version__
from spaceviz.core.errors import InputFileError, UserError
from spaceviz.core.scenario.session import Session
from spaceviz.core.state.camera import CameraModel
from spaceviz.core.state.presentation import PresentationState
from spaceviz.core.state.selection import Selection
from spaceviz.core.state.timeline import Timeline
from spaceviz.core.state.viewpoints import framing_distance_au
from spaceviz.render.scene import SpaceScene
from spaceviz.ui.actions import ActionRegistry, shortcuts_table_html
from spaceviz.ui.belt_panel import BeltPanel
from spaceviz.ui.charts import ChartsPanel
from spaceviz.ui.facilities_panel import FacilitiesTable
from spaceviz.ui.info_panel import InfoPanel
from spaceviz.ui.object_tree import ObjectTree
from spaceviz.ui.porkchop_panel import PorkchopPanel
from spaceviz.ui.settings import Settings
from spaceviz.ui.timeline_bar import TimelineBar

log = logging.getLogger(__name__)
TICK_MS = 16
HOVER_MS = 250  # how often a resting mouse is asked "what is under you?"
MAX_TICK_S = 0.25  # a slow frame never makes time jump by more than this much playback


class MainWindow(QMainWindow):
    """Owns the clock's driver (a Qt timer) and rebuilds the scene when a scenario loads."""

    def __init__(self, session: Session, settings: Settings | None = None):
        super().__init__()
        self.setObjectName("MainWindow")
        self.settings = settings or Settings()
        self.session = session
        self.timeline: Timeline = session.make_timeline()
        self.camera = CameraModel()
        self.selection = Selection()
        self.presentation = PresentationState()
        self.tour_player = None
        self._presenting = False
        self.scene: SpaceScene | None = None
        self.actions = ActionRegistry(self)
        self._bind_actions()
        self._build_menus()

        self.view_container = QWidget(self)
        self.view_layout = QVBoxLayout(self.view_container)
        self.view_layout.setContentsMargins(0, 0, 0, 0)
        self.timeline_bar = TimelineBar(self.timeline, self.actions, self)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.view_container, stretch=1)
        layout.addWidget(self.timeline_bar)
        self.setCentralWidget(central)

        self.object_tree = ObjectTree(self.selection, self)
        self.object_tree.activated.connect(self.fly_to)
        self._add_dock("Objects", self.object_tree, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.object_tree.setMinimumWidth(190)
        self.info_panel = InfoPanel(self.selection, self.timeline, self)
        self.info_panel.setMinimumWidth(300)
        self._add_dock("Info", self.info_panel, Qt.DockWidgetArea.RightDockWidgetArea)
        self.charts = ChartsPanel(self.selection, self.timeline, self)
        self.charts_dock = self._add_dock("Charts", self.charts, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.facilities_table = FacilitiesTable(self.selection, self.timeline, self)
        self.facilities_dock = self._add_dock("Facilities", self.facilities_table,
                                              Qt.DockWidgetArea.BottomDockWidgetArea)
        self.porkchop = PorkchopPanel(self, self)
        self.porkchop_dock = self._add_dock("Launch windows", self.porkchop,
                                            Qt.DockWidgetArea.BottomDockWidgetArea)
        self.belt_panel = BeltPanel(self)
        self.belt_dock = self._add_dock("Asteroids", self.belt_panel,
                                        Qt.DockWidgetArea.RightDockWidgetArea)

        self.fps_label = QLabel("")
        self.camera_label = QLabel("")
        self.statusBar().addPermanentWidget(self.camera_label)
        self.statusBar().addPermanentWidget(self.fps_label)
        self.camera.changed.connect(self._update_camera_label)

        self._frames_drawn = 0
        self._fps_started = wallclock.perf_counter()
        self._last_tick = wallclock.perf_counter()
        self._frame_pending = False
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self._hovered_at = None
        self.hover_timer = QTimer(self)
        self.hover_timer.setInterval(HOVER_MS)
        self.hover_timer.timeout.connect(self.show_hover_name)
        self.hover_timer.start()

        self._install_session(session)
        self._restore_geometry()
        self.timer.start()

    # --- construction ------------------------------------------------------------------
    def _add_dock(self, title: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{title}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _bind_actions(self) -> None:
        a, tl = self.actions, lambda: self.timeline
        handlers = {
            "open": self.open_dialog, "reload": self.reload, "quit": self.close,
            "screenshot": self.save_screenshot_dialog, "video": self.export_video_dialog,
            "play_pause": self.play_pause, "faster": lambda: tl().faster(),
            "slower": lambda: tl().slower(), "reverse": lambda: tl().reverse(),
            "step_forward": lambda: self._clicker(+1, lambda: tl().step(+1)),
            "step_back": lambda: self._clicker(-1, lambda: tl().step(-1)),
            "next_event": lambda: self._clicker(+1, tl().next_event),
            "previous_event": lambda: self._clicker(-1, tl().previous_event),
            "jump_start": lambda: self._tour_jump(0) or tl().jump_to_start(),
            "jump_end": lambda: self._tour_jump(-1) or tl().jump_to_end(),
            "focus_selected": self.focus_selected, "reset_view": self.reset_view,
            "zoom_in": lambda: self.camera.zoom(0.7), "zoom_out": lambda: self.camera.zoom(1 / 0.7),
            "toggle_labels": self._toggle_labels, "toggle_orbits": self._toggle_orbits,
            "present": lambda: self.set_presenting(self.actions["present"].isChecked()),
            "leave_present": lambda: self.set_presenting(False),
            "black": lambda: self.presentation.set(black=self.actions["black"].isChecked()),
            "help_overlay": self._toggle_help_overlay,
            "tour_start": lambda: self.start_tour(None), "tour_stop": self.stop_tour,
            "shortcuts": self.show_shortcuts, "about": self.show_about,
        }
        for command_id, handler in handlers.items():
            a.bind(command_id, handler)
        a["toggle_labels"].setChecked(True)
        a["toggle_orbits"].setChecked(True)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        for menu_name in ("File", "Time", "View", "Tour", "Help"):
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

    def _fill_tours(self) -> None:
        self.tours_menu.clear()
        for tour in self.session.scenario.tour:
            action = self.tours_menu.addAction(tour.title or tour.name)
            action.setToolTip(f"Play the tour '{tour.name}'")
            action.triggered.connect(lambda *_, n=tour.name: self.start_tour(n))
        if not self.session.scenario.tour:
            self.tours_menu.addAction("(this scenario has no tours)").setEnabled(False)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.get("recent", []):
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda *_, p=path: self.open_path(p))
        if not self.settings.get("recent"):
            self.recent_menu.addAction("(none)").setEnabled(False)

    # --- scenario ----------------------------------------------------------------------
    def _install_session(self, session: Session) -> None:
        self.session = session
        scenario = session.scenario
        self.timeline.pause()
        self.timeline.set_bounds(scenario.start, scenario.end)
        self.timeline.set_events(session.events)
        self.timeline.set_rate(scenario.view.rate)
        self.timeline.set_time(scenario.start)
        if self.scene is not None:
            native = self.scene.canvas.native
            self.view_layout.removeWidget(native)
            self.scene.close()
            native.setParent(None)
            native.deleteLater()  # VisPy's close() hides the Qt widget; we own its lifetime
        self.reset_view(animate=False)
        self.stop_tour()
        self.scene = SpaceScene.from_session(session, self.timeline, self.camera, show=False,
                                canvas=self._make_canvas(), presentation=self.presentation)
        self.scene.activated.connect(self.fly_to)
        self.scene.picked.connect(self._picked)
        self.scene.canvas.events.draw.connect(self._on_drawn, position="last")
        self.view_layout.addWidget(self.scene.canvas.native)
        self.object_tree.set_world(session.world)
        self.info_panel.set_world(session.world)
        self.charts.set_world(session.world, session.operations)
        self.facilities_table.set_operations(session.operations)
        self.facilities_dock.setVisible(session.operations is not None)
        self.porkchop.set_session(session)
        self.porkchop_dock.setVisible(bool(session.world.ships))
        self.tabifyDockWidget(self.facilities_dock, self.porkchop_dock)
        self.facilities_dock.raise_()
        self.belt_panel.set_layer(self.scene.belt_layer())
        self.belt_dock.setVisible(self.belt_panel.layer is not None)
        self.selection.clear()
        title = session.title
        path = scenario.source_path
        self.setWindowTitle(f"{title} - spaceviz" + (f" [{path.name}]" if path else ""))
        if path is not None:
            self.settings.add_recent(str(path))
            self.settings.set("last_scenario", str(path))

    def _make_canvas(self):
        from vispy import scene as vscene

        from spaceviz.render.scene import BACKGROUND

        try:
            canvas = vscene.SceneCanvas(show=False, bgcolor=BACKGROUND, keys=None,
                                        parent=self.view_container)
        except Exception as exc:  # noqa: BLE001 (no GL context at all)
            from spaceviz.core.errors import GraphicsUnavailableError
            from spaceviz.export.backend import GL_HELP

            raise GraphicsUnavailableError(f"could not create an OpenGL view: {exc}. {GL_HELP}") from None
        canvas.native.setMinimumSize(320, 200)
        canvas.native.setToolTip("")
        return canvas

    def open_path(self, path: str | Path) -> bool:
        """Load a scenario; on a problem show every message and keep the current one."""
        try:
            session = Session.load(path)
        except InputFileError as exc:
            self._show_problems(f"Could not open {path}", exc)
            return False
        except UserError as exc:
            self._show_problems(f"Could not open {path}", exc)
            return False
        self._install_session(session)
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
        start = str(self.session.scenario.source_path.parent) if self.session.scenario.source_path else ""
        path, _ = QFileDialog.getOpenFileName(self, "Open scenario", start, "Scenarios (*.toml)")
        if path:
            self.open_path(path)

    def reload(self) -> None:
        path = self.session.scenario.source_path
        if path is not None:
            t = self.timeline.time
            if self.open_path(path):
                self.timeline.set_time(t)

    # --- export ------------------------------------------------------------------------
    def save_screenshot(self, path, size: tuple[int, int]) -> None:
        """Write what the view shows at `size` pixels (offscreen, tiled past the GL limit)."""
        from PySide6.QtGui import QGuiApplication

        from spaceviz.export.screenshot import screenshot_view

        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            screenshot_view(self.scene, size, path, title=self.session.title)
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.statusBar().showMessage(f"Saved {path} ({size[0]}x{size[1]})", 5000)

    def save_screenshot_dialog(self) -> None:
        from spaceviz.export.screenshot import parse_size
        from spaceviz.ui.export_dialogs import ScreenshotDialog, ask_output, show_error

        dialog = ScreenshotDialog(self)
        if dialog.exec() != ScreenshotDialog.DialogCode.Accepted:
            return
        path = ask_output(self, "Save screenshot", "spaceviz.png", "PNG images (*.png)")
        if path is None:
            return
        try:
            self.save_screenshot(path, parse_size(dialog.size_box.currentText()))
        except UserError as exc:
            show_error(self, "Could not save the screenshot", exc)

    def export_video(self, path, t0: float, t1: float, duration_s: float, fps: float,
                     size: tuple[int, int], quality: str = "medium", tour: str | None = None) -> bool:
        """Export an MP4 with a progress dialog; False when the user cancelled."""
        from spaceviz.export.video import export_video, frame_count
        from spaceviz.ui.export_dialogs import run_with_progress

        total = frame_count(duration_s, fps)
        was_playing = self.timeline.playing
        self.timeline.pause()
        # The live view does not repaint while the export renders in its own GL context.
        self.scene.canvas.native.setUpdatesEnabled(False)
        self.timer.stop()
        try:
            done = run_with_progress(
                self, f"Writing {Path(path).name}", total,
                lambda progress, cancel: export_video(
                    self.session, t0, t1, duration_s, fps, size, path, quality=quality,
                    progress=progress, cancel=cancel, tour=tour, overlay=True,
                    scene=self.scene))
        finally:
            self.scene.canvas.native.setUpdatesEnabled(True)
            self.timer.start()
        if was_playing:
            self.timeline.play()
        self.statusBar().showMessage(f"Saved {path}" if done else "Video export cancelled", 5000)
        return done

    def export_video_dialog(self) -> None:
        from spaceviz.export.screenshot import parse_size
        from spaceviz.ui.export_dialogs import (
            VideoDialog,
            ask_output,
            parse_time_field,
            show_error,
        )

        dialog = VideoDialog(self.session, self.timeline, self)
        if dialog.exec() != VideoDialog.DialogCode.Accepted:
            return
        path = ask_output(self, "Export video", "spaceviz.mp4", "MP4 videos (*.mp4)")
        if path is None:
            return
        try:
            self.export_video(path, parse_time_field(dialog.t_from.text()),
                              parse_time_field(dialog.t_to.text()), dialog.duration.value(),
                              dialog.fps.value(), parse_size(dialog.size_box.currentText()),
                              dialog.quality.currentText(), dialog.source.currentData())
        except (UserError, RuntimeError) as exc:
            show_error(self, "Could not export the video", exc)

    # --- camera and selection ----------------------------------------------------------
    def reset_view(self, animate: bool = True) -> None:
        view = self.session.scenario.view
        if animate:
            self.camera.fly_to(view.target, view.distance_au, view.azimuth, view.elevation)
        else:
            self.camera.set_pose(view.target, view.distance_au, view.azimuth, view.elevation)

    def fly_to(self, name: str) -> None:
        """Select `name` and fly the camera to it at a distance that frames it."""
        from spaceviz.core.state.viewpoints import viewing_angles

        obj = self.session.world.get(name)
        self.selection.set(obj.name)
        azimuth, elevation = (None, None)
        if obj.kind in ("site", "facility"):
            azimuth, elevation = viewing_angles(self.session.world, obj.name, self.timeline.time)
        self.camera.fly_to(obj.name, framing_distance_au(obj), azimuth, elevation)

    def focus_selected(self) -> None:
        if self.selection.name:
            self.fly_to(self.selection.name)

    def show_hover_name(self) -> str | None:
        """Name the object under a resting mouse (tooltip and status bar), at most every
        HOVER_MS; belt asteroids are found with the GPU picking pass."""
        interaction = getattr(self.scene, "interaction", None)
        position = interaction.hover_pos if interaction is not None else None
        if position is None or position == self._hovered_at or self.timeline.playing:
            return None
        self._hovered_at = position
        name = self.scene.pick(*position)
        if name is not None:
            from PySide6.QtCore import QPoint
            from PySide6.QtWidgets import QToolTip

            native = self.scene.canvas.native
            ratio = native.devicePixelRatioF() or 1.0
            point = native.mapToGlobal(QPoint(int(position[0] / ratio), int(position[1] / ratio)))
            QToolTip.showText(point, name, native)
            self.statusBar().showMessage(name, 3000)
        return name

    def _picked(self, name) -> None:
        if name is not None:
            self.selection.set(name)

    def _toggle_labels(self) -> None:
        self.scene.labels.node.parent = (self.scene.view.scene
                                         if self.actions["toggle_labels"].isChecked() else None)
        self.scene.canvas.update()

    def _toggle_orbits(self) -> None:
        from spaceviz.render.layers.orbits import OrbitsLayer

        visible = self.actions["toggle_orbits"].isChecked()
        for layer in self.scene.layers:
            if isinstance(layer, OrbitsLayer):
                layer.node.visible = visible
        self.scene.canvas.update()

    def ships_replanned(self, name: str) -> None:
        """A ship flies on new dates: refresh events, operations views, and show its departure."""
        self.timeline.set_events(self.session.events)
        if self.scene is not None:
            self.scene.operations = self.session.operations
        self.facilities_table.set_operations(self.session.operations)
        self.charts.set_world(self.session.world, self.session.operations)
        self.selection.set(name)
        self.timeline.set_time(self.session.world.ships[name].leg.depart_tdb)
        self.scene._mark_dirty()

    # --- presentation and tours ---------------------------------------------------------
    def set_presenting(self, on: bool, screen_index: int | None = None) -> None:
        """Full screen with only the 3D view and large overlays; Escape leaves."""
        self._presenting = on
        self.actions["present"].setChecked(on)
        for widget in (self.menuBar(), self.statusBar(), self.timeline_bar):
            widget.setVisible(not on)
        if on:
            self._docks_visible = {d: d.isVisible() for d in self.findChildren(QDockWidget)}
            for dock in self._docks_visible:
                dock.hide()
            if screen_index is not None:
                from PySide6.QtGui import QGuiApplication

                screens = QGuiApplication.screens()
                if 0 <= screen_index < len(screens):
                    self.windowHandle().setScreen(screens[screen_index])
            self.showFullScreen()
        else:
            for dock, visible in getattr(self, "_docks_visible", {}).items():
                dock.setVisible(visible)
            self.presentation.set(black=False)
            self.actions["black"].setChecked(False)
            self.showNormal()
        self.presentation.set(large=on)

    @property
    def presenting(self) -> bool:
        return self._presenting

    def start_tour(self, name: str | None) -> None:
        """Play a tour of the scenario from its first stop (Space pauses, PageDown steps)."""
        from spaceviz.core.errors import UserError
        from spaceviz.core.state.tour import TourPlayer

        try:
            tour = self.session.tour(name)
        except UserError as exc:
            self.statusBar().showMessage(str(exc), 5000)
            return
        self.timeline.pause()
        self.tour_player = TourPlayer(tour, self.timeline, self.camera)
        self._show_tour_frame(self.tour_player.seek(0.0))
        self.tour_player.playing = True
        self.statusBar().showMessage(f"Tour: {tour.title} ({tour.duration_s:.0f} s)", 4000)

    def stop_tour(self) -> None:
        if self.tour_player is not None:
            self.tour_player = None
            self.presentation.set(caption="", title="")

    def _show_tour_frame(self, frame) -> None:
        if frame is not None:
            self.presentation.set(caption=frame.caption, title=frame.title)

    def _clicker(self, direction: int, otherwise) -> None:
        """PageDown/Right (and PageUp/Left) step a running tour, else the timeline."""
        if self.tour_player is None:
            otherwise()
            return
        frame = self.tour_player.next_stop() if direction > 0 else self.tour_player.previous_stop()
        self._show_tour_frame(frame)

    def _tour_jump(self, which: int) -> bool:
        if self.tour_player is None:
            return False
        tau = 0.0 if which == 0 else float(self.tour_player.tour.arrive_s[-1])
        self._show_tour_frame(self.tour_player.seek(tau))
        return True

    def play_pause(self) -> None:
        if self.tour_player is not None:
            self.tour_player.playing = not self.tour_player.playing
            if self.tour_player.finished:
                self._show_tour_frame(self.tour_player.seek(0.0))
                self.tour_player.playing = True
            return
        self.timeline.toggle_play()

    def _toggle_help_overlay(self) -> None:
        on = self.actions["help_overlay"].isChecked()
        self.presentation.set(title="What am I looking at?" if on else "",
                              caption=HELP_TEXT if on else "")

    def _update_camera_label(self) -> None:
        from spaceviz.core.state.presentation import format_length_au as format_distance_au

        self.camera_label.setText(
            f"{self.camera.target}  |  {format_distance_au(self.camera.distance_au)}  ")

    # --- clock -------------------------------------------------------------------------
    def _tick(self) -> None:
        now = wallclock.perf_counter()
        dt = min(now - self._last_tick, MAX_TICK_S)
        if self._frame_pending and dt < MAX_TICK_S:
            return  # playback waits for the draw: never run ahead of rendering
        self._last_tick = now
        self.camera.step(dt)
        self.timeline.advance(dt)
        if self.tour_player is not None and self.tour_player.playing:
            self._show_tour_frame(self.tour_player.advance(dt))
        touring = self.tour_player is not None and self.tour_player.playing
        if self.timeline.playing or self.camera.in_transition or touring:
            self._frame_pending = True
            if self.scene is not None:
                self.scene._mark_dirty()

    def _on_drawn(self, event=None) -> None:
        self._frame_pending = False
        self._frames_drawn += 1
        now = wallclock.perf_counter()
        if now - self._fps_started >= 1.0:
            fps = self._frames_drawn / (now - self._fps_started)
            self.fps_label.setText(f"{fps:.0f} fps")
            self._frames_drawn = 0
            self._fps_started = now

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
        QMessageBox.about(self, "About spaceviz",
                          f"<h3>spaceviz {__version__}</h3><p>A 3D visualiser of mining operations "
                          "in the solar system.</p><p>Ephemeris: JPL DE421 (via skyfield-data). "
                          "Rendering: VisPy. UI: Qt (PySide6).</p>")

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

    def closeEvent(self, event):  # noqa: N802 (Qt naming)
        self.timer.stop()
        self.settings.set("geometry", bytes(self.saveGeometry().toBase64()).decode())
        self.settings.save()
        super().closeEvent(event)


HELP_TEXT = (
    "The Sun is at the centre; coloured lines are the planets' orbits and dots the planets, "
    "drawn larger than life so you can find them. The date is at the top left. Drag to turn, "
    "scroll to zoom, double-click anything to fly there. Press H again to close this.")

