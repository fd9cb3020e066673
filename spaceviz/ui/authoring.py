"""Authoring commands: edits with undo and redo, Save / Save as, unsaved changes, lessons.

Every edit goes through `AuthoringCommands.apply`: the core `Authoring` tries it on a copy
of the scenario document and builds it as loading does; an edit that loads becomes a
`ChangeCommand` on a QUndoStack (Ctrl+Z / Ctrl+Shift+Z) and the scenario shown follows it;
one that does not returns its problems for the form to show next to its fields. Sites are
placed by clicking on the Moon (`render.surface_pick` finds the point under the mouse).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QFileDialog, QMessageBox

from spaceviz.core.errors import Problem, UserError
from spaceviz.core.scenario.world import Asteroid, Facility, Site
from spaceviz.core.state.authoring import Authoring, Change
from spaceviz.paths import RESOURCES_DIR
from spaceviz.ui.edit_dialogs import FacilityDialog, ShipDialog, SiteDialog, as_problems

log = logging.getLogger(__name__)
LESSONS_DIR = RESOURCES_DIR / "scenarios" / "lessons"
CLICK_SLOP_PX = 4.0
MERGE_ID = 18
"""QUndoCommand id of edits to one field that merge while the user keeps changing it."""


class ChangeCommand(QUndoCommand):
    """One edit in the undo history: redo shows the text after it, undo the text before.
    The first redo shows the session already built for it (or nothing at all when the
    change was made elsewhere, `done`); later ones build the text again."""

    def __init__(self, authoring: Authoring, change: Change, done: bool = False,
                 merge_key: object = None, report=None):
        super().__init__(change.label)
        self.authoring = authoring
        self.change = change
        self.merge_key = merge_key
        self._first = True
        self._done = done
        self._report = report

    def redo(self) -> None:
        if self._first:
            self._first = False
            if not self._done:
                self.authoring.install(self.change.after, self.change.session)
            return
        self._show(self.change.after)

    def undo(self) -> None:
        self._show(self.change.before)

    def _show(self, text: str) -> None:
        try:
            self.authoring.install(text)
        except UserError as exc:  # a file it refers to went away meanwhile
            log.warning("cannot show %s: %s", self.text(), exc)
            if self._report is not None:
                self._report(f"Cannot {self.text()}: {exc}")

    def id(self) -> int:  # noqa: A003 (Qt naming)
        return MERGE_ID if self.merge_key is not None else -1

    def mergeWith(self, other) -> bool:  # noqa: N802 (Qt naming)
        """Typing on in the same field is one edit."""
        if not isinstance(other, ChangeCommand) or other.merge_key != self.merge_key:
            return False
        self.change = Change(self.change.label, self.change.before, other.change.after,
                             other.change.session)
        return True


class AuthoringCommands:
    """The window's scenario editing: the undo history, saving, lessons and site picking."""

    def __init__(self, window, state, settings, status):
        self.window = window
        self.state = state
        self.settings = settings
        self.status = status
        self.authoring = Authoring(state)
        self.stack = QUndoStack(window)
        self.authoring.recorded.connect(self._recorded)
        self.authoring.reset.connect(lambda: self.stack.clear())
        self._picking: str | None = None   # "add" or the name of the site being moved
        self._press = None
        self.last_dialog = None

    def bind_undo(self, undo, redo) -> None:
        """Undo and redo actions enabled, and named after the edit, as the history allows."""
        stack = self.stack
        undo.setEnabled(stack.canUndo())
        redo.setEnabled(stack.canRedo())
        stack.canUndoChanged.connect(undo.setEnabled)
        stack.canRedoChanged.connect(redo.setEnabled)
        stack.undoTextChanged.connect(lambda text: undo.setText(f"&Undo {text}".rstrip()))
        stack.redoTextChanged.connect(lambda text: redo.setText(f"&Redo {text}".rstrip()))

    # --- edits ---------------------------------------------------------------------------
    def apply(self, edit, merge_key: object = None) -> list[Problem]:
        """Try an edit; when it loads, do it (undoable) and return []; else its problems."""
        try:
            change = self.authoring.attempt(edit)
        except UserError as exc:
            return as_problems(exc)
        self.stack.push(ChangeCommand(self.authoring, change, merge_key=merge_key,
                                      report=self.status))
        return []

    def _recorded(self, change: Change) -> None:
        """A change made outside the editor (a porkchop click): undoable like the others."""
        self.stack.push(ChangeCommand(self.authoring, change, done=True, report=self.status))

    # --- files -----------------------------------------------------------------------------
    def save(self) -> bool:
        """Save to the scenario's file (Save as for an unsaved copy)."""
        if self.authoring.path is None:
            return self.save_as()
        return self._save(None)

    def save_as(self) -> bool:
        start = self.authoring.path or Path.home() / (self.authoring.name.replace(
            " (copy)", "") + ".toml")
        path, _ = QFileDialog.getSaveFileName(self.window, "Save scenario as", str(start),
                                              "Scenarios (*.toml)")
        if not path:
            return False
        if not path.endswith(".toml"):
            path += ".toml"
        return self._save(path)

    def _save(self, path) -> bool:
        try:
            saved = self.authoring.save(path)
        except UserError as exc:
            QMessageBox.warning(self.window, "spaceviz", f"Could not save the scenario.\n\n{exc}")
            return False
        self.stack.setClean()
        self.settings.add_recent(str(saved))
        self.settings.set("last_scenario", str(saved))
        self.status(f"Saved {saved}")
        return True

    def may_discard(self) -> bool:
        """Before the scenario is replaced or the window closes: True when nothing unsaved
        would be lost (saved now, or the user chose to discard it)."""
        if not self.authoring.modified:
            return True
        answer = QMessageBox.question(
            self.window, "Unsaved changes",
            f"The scenario '{self.authoring.name}' has changes that are not saved. Save them?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def open_lesson(self, path: str | Path) -> bool:
        """Open a copy of a lesson (Save asks where to keep it)."""
        if not self.may_discard():
            return False
        try:
            self.authoring.open_copy(path)
        except UserError as exc:
            QMessageBox.warning(self.window, "spaceviz", f"Could not open the lesson.\n\n{exc}")
            return False
        self.status(f"Opened a copy of the lesson {Path(path).stem}; Save asks where to keep it")
        return True

    # --- dialogs -----------------------------------------------------------------------------
    def _open(self, dialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.last_dialog = dialog

    def _editable(self) -> bool:
        if self.authoring.editable:
            return True
        self.status("This scenario was not read from a file, so it cannot be edited")
        return False

    def add_facility(self) -> None:
        if not self._editable():
            return
        selected = self.state.selection.name
        obj = self.state.world.exact(selected) if selected else None
        at = obj.name if isinstance(obj, Site | Asteroid) else (
            obj.host.name if isinstance(obj, Facility) else None)
        self._open(FacilityDialog(self, at, self.window))

    def add_ship(self) -> None:
        if not self._editable():
            return
        selected = self.state.selection.name
        target = selected if selected and selected != "Earth" else None
        dialog = ShipDialog(self, "Earth", target, self.window)
        self._open(dialog)
        dialog.find_windows()

    # --- sites by clicking on the Moon -----------------------------------------------------
    def pick_site(self, move: bool = False) -> None:
        """Wait for a click on the Moon: a new site there, or the selected site moved."""
        if not self._editable():
            return
        if move:
            name = self.state.selection.name
            obj = self.state.world.exact(name) if name else None
            if not isinstance(obj, Site):
                self.status("Select a lunar site first (click it, or pick it in Objects)")
                return
            self._picking = obj.name
            self.status(f"Click on the Moon where '{obj.name}' should go (Escape cancels)")
        else:
            self._picking = "add"
            self.status("Click on the Moon where the new site should go (Escape cancels)")
        self.window.scene.canvas.native.setCursor(Qt.CursorShape.CrossCursor)

    def cancel_pick(self) -> bool:
        """Escape: stop waiting for a click (False when no pick was waiting)."""
        if self._picking is None:
            return False
        self._picking = None
        self.window.scene.canvas.native.unsetCursor()
        self.status("")
        return True

    def on_mouse_press(self, event) -> None:
        self._press = tuple(event.pos[:2])

    def on_mouse_release(self, event) -> None:
        if self._picking is None or self._press is None:
            return
        x, y = event.pos[:2]
        if abs(x - self._press[0]) + abs(y - self._press[1]) > CLICK_SLOP_PX:
            return  # a drag turns the view
        self.place_site_at(float(x), float(y))

    def place_site_at(self, x: float, y: float) -> bool:
        """A click at canvas pixel (x, y) while picking: the site goes where it meets the
        Moon. False when it missed (the pick keeps waiting)."""
        from spaceviz.core.astro import moon
        from spaceviz.core.scenario import document as edits
        from spaceviz.render.surface_pick import surface_direction

        scene = self.window.scene
        direction = surface_direction(scene, "Moon", moon.MOON_RADIUS_KM, x, y)
        if direction is None:
            self.status("That missed the Moon: click on its disc (Escape cancels)")
            return False
        lat, lon = (float(v) for v in moon.selenographic_latlon(direction,
                                                                 self.state.timeline.time))
        picking = self._picking
        self.cancel_pick()
        if picking == "add":
            self._open(SiteDialog(self, lat, lon, self.window))
            return True
        index = next(i for i, spec in enumerate(self.state.session.scenario.site)
                     if spec.name.strip().lower() == picking.lower())
        problems = self.apply(edits.move_site(index, picking, lat, lon))
        self.status("; ".join(f"{p.field}: {p.message}" for p in problems) if problems
                    else f"Moved '{picking}' to {lat:.2f}°, {lon:.2f}°")
        return True
