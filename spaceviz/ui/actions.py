"""User actions as named commands, bound once to menus, shortcuts, buttons and clickers.

Widgets never poke models directly: they trigger a command by id. `COMMANDS` documents
every action (the Help > Keyboard shortcuts dialog and the README table are built from it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence


@dataclass(frozen=True)
class Command:
    id: str
    text: str
    shortcuts: tuple[str, ...]
    tip: str
    menu: str  # "File", "Edit", "Time", "View", "Tour", "Help"


COMMANDS: tuple[Command, ...] = (
    Command("open", "&Open scenario...", ("Ctrl+O",), "Open a scenario TOML file", "File"),
    Command("reload", "&Reload scenario", ("Ctrl+R", "F5"), "Read the scenario file again", "File"),
    Command("new_lesson", "&New from lesson...", ("Ctrl+N",),
            "Start from a ready-made lesson: a scenario with a tour and teacher notes", "File"),
    Command("save_scenario", "Save scen&ario", ("Ctrl+Shift+S",),
            "Write the edited scenario back to its file (comments and layout kept)", "File"),
    Command("save_scenario_as", "Save scenario &as...", (),
            "Write the scenario to another file", "File"),
    Command("screenshot", "Save &screenshot...", ("Ctrl+S",),
            "Save the view as a PNG of any size (rendered offscreen)", "File"),
    Command("video", "Export &video...", ("Ctrl+E",), "Write an MP4 of a time span or a tour", "File"),
    Command("quit", "&Quit", ("Ctrl+Q",), "Quit spaceviz", "File"),
    Command("undo", "&Undo", ("Ctrl+Z",), "Undo the last change to the scenario", "Edit"),
    Command("redo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "Redo the change undone", "Edit"),
    Command("add_site", "Add lunar &site...", (),
            "Click on the Moon where a new site should go", "Edit"),
    Command("move_site", "&Move selected site...", (),
            "Click on the Moon where the selected site should go", "Edit"),
    Command("add_facility", "Add &facility...", (),
            "A mining plant at a site or an asteroid (the selected one)", "Edit"),
    Command("add_ship", "Add s&hip...", (),
            "A ship between two objects, its dates picked on the launch-window porkchop", "Edit"),
    Command("play_pause", "&Play / pause", ("Space",), "Start or stop the clock", "Time"),
    Command("faster", "&Faster", ("]", "+"), "Next faster playback rate", "Time"),
    Command("slower", "&Slower", ("[", "-"), "Next slower playback rate", "Time"),
    Command("reverse", "Re&verse", ("R",), "Run time backwards / forwards", "Time"),
    Command("step_forward", "Step &forward", ("Right",), "Step ahead by one second of playback", "Time"),
    Command("step_back", "Step &back", ("Left",), "Step back by one second of playback", "Time"),
    Command("next_event", "&Next event", ("PgDown",), "Jump to the next event", "Time"),
    Command("previous_event", "P&revious event", ("PgUp",), "Jump to the previous event", "Time"),
    Command("jump_start", "Jump to s&tart", ("Home",), "Jump to the scenario's start", "Time"),
    Command("jump_end", "Jump to &end", ("End",), "Jump to the scenario's end", "Time"),
    Command("focus_selected", "&Focus selected", ("F",), "Fly the camera to the selected object", "View"),
    Command("reset_view", "&Reset view", ("Ctrl+0",), "The scenario's initial camera", "View"),
    Command("zoom_in", "Zoom &in", ("Ctrl+=",), "Move the camera closer", "View"),
    Command("zoom_out", "Zoom &out", ("Ctrl+-",), "Move the camera away", "View"),
    Command("toggle_labels", "Show &labels", ("L",), "Show or hide name labels", "View"),
    Command("toggle_orbits", "Show &orbits", ("O",), "Show or hide orbit lines", "View"),
    Command("toggle_stars", "Show s&tars", ("S",),
            "Show or hide the stars (Hipparcos, to magnitude 8)", "View"),
    Command("toggle_constellations", "Show &constellations", ("C",),
            "Show or hide the constellation figures", "View"),
    Command("toggle_star_names", "Show star &names", ("N",),
            "Label the IAU-named stars (a selected star is always labelled)", "View"),
    Command("view_from_earth", "View from &Earth", ("V",),
            "Look at the focused object along the line from Earth (north up)", "View"),
    Command("present", "&Presentation mode", ("F11", "Ctrl+P"),
            "Full screen with only the 3D view and large captions (Escape leaves)", "View"),
    Command("leave_present", "Leave presentation mode", ("Escape",), "Back to the normal window", "View"),
    Command("dome_preview", "&Dome preview", ("Ctrl+D",),
            "A fisheye dome master of the view, to check a planetarium's framing", "View"),
    Command("tour_editor", "&Tour editor", ("Ctrl+T",),
            "Build and edit tours: add stops from the view, captions, order, timing", "View"),
    Command("black", "&Black screen", ("B", "."), "Blank the screen (press again to come back)", "View"),
    Command("help_overlay", "&What am I looking at?", ("H", "?"),
            "Explain what the view shows, in plain words", "Help"),
    Command("tour_start", "&Start tour", ("T",), "Play the scenario's first tour from its start", "Tour"),
    Command("tour_stop", "S&top tour", ("Shift+T",), "Stop the tour and return to free viewing", "Tour"),
    Command("tour_add_stop", "&Add stop from view", ("Ctrl+Shift+A",),
            "Add a tour stop that looks as the view looks now (target, distance, time)", "Tour"),
    Command("teacher_notes", "&Teacher notes", ("Ctrl+Shift+N",),
            "What to point at, questions for the class, sources (editable)", "Help"),
    Command("shortcuts", "&Keyboard shortcuts", ("F1",), "List every shortcut", "Help"),
    Command("about", "&About spaceviz", (), "Version and credits", "Help"),
)

CHECKABLE = {"toggle_labels", "toggle_orbits", "toggle_stars", "toggle_constellations",
             "toggle_star_names", "present", "black", "help_overlay", "dome_preview",
             "tour_editor"}


class ActionRegistry:
    """QActions for COMMANDS, each triggering the handler registered under its id."""

    def __init__(self, parent):
        self.parent = parent
        self.actions: dict[str, QAction] = {}
        for command in COMMANDS:
            action = QAction(command.text, parent)
            action.setObjectName(f"action_{command.id}")
            action.setShortcuts([QKeySequence(s) for s in command.shortcuts])
            shown = ", ".join(command.shortcuts)
            action.setToolTip(f"{command.tip} ({shown})" if shown else command.tip)
            action.setStatusTip(command.tip)
            action.setCheckable(command.id in CHECKABLE)
            self.actions[command.id] = action

    def bind(self, command_id: str, handler: Callable[[], object]) -> None:
        self.actions[command_id].triggered.connect(lambda *_: handler())

    def trigger(self, command_id: str) -> None:
        self.actions[command_id].trigger()

    def __getitem__(self, command_id: str) -> QAction:
        return self.actions[command_id]

    def command_for_key(self, key_sequence: QKeySequence) -> str | None:
        """The id of the enabled command bound to a key sequence, if any."""
        for command_id, action in self.actions.items():
            if action.isEnabled() and any(
                    s.matches(key_sequence) == QKeySequence.SequenceMatch.ExactMatch
                    for s in action.shortcuts()):
                return command_id
        return None

    def menu_commands(self, menu: str) -> list[Command]:
        return [c for c in COMMANDS if c.menu == menu]


def shortcuts_table_html() -> str:
    rows = "".join(
        f"<tr><td><b>{', '.join(c.shortcuts) or '-'}</b></td><td>{c.text.replace('&', '')}</td>"
        f"<td>{c.tip}</td></tr>" for c in COMMANDS)
    return ("<table cellspacing=6><tr><th align=left>Keys</th><th align=left>Action</th>"
            f"<th align=left>What it does</th></tr>{rows}</table>"
            "<p>Mouse: drag to orbit, wheel to zoom, click to select, double-click to fly to.</p>")
