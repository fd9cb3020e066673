"""The tour editor (a dock): build a guided tour from what the view shows, without a text
editor.

"Add stop from view" writes a `[[tour.stop]]` with the camera's target, distance and angles
and the clock's time; each stop's title, caption, target, time (and `until`, to play time
through a range), hold and travel times are edited in the form, every change validated as
loading validates a file (problems appear under the field; the last good scenario stays).
Stops are reordered by dragging or with the arrows, deleted, shown, and played from any stop.
Every edit is undoable (Ctrl+Z / Ctrl+Shift+Z). While a tour runs, the presenter sees what
comes next.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from spaceviz.core.astro.time import format_iso
from spaceviz.core.scenario import document as edits
from spaceviz.core.state.presentation import format_length_au
from spaceviz.ui.edit_dialogs import FieldForm, unique_name

CAPTION_IDLE_MS = 900
"""A caption is committed once typing pauses this long (or the stop changes)."""
PREVIEW_CHARS = 60


def short(text: str, length: int = PREVIEW_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def coming_next(player) -> str:
    """'Stop 3 of 9 · next: <caption>' for a running tour ('' without one)."""
    if player is None or player.frame is None:
        return ""
    tour, frame = player.tour, player.frame
    where = "stop" if frame.at_stop else "on the way to stop"
    text = f"{where} {frame.stop_index + 1} of {len(tour.stops)}"
    coming = tour.coming_stop(frame)
    if coming is None:
        return text + " · last stop"
    words = coming.title or coming.caption or coming.target
    return f"{text} · next: {coming.target}: {' '.join(words.split())}"


class TourEditor(QWidget):
    """A scenario's tours, their stops and the selected stop's form."""

    def __init__(self, state, commands, parent=None):
        super().__init__(parent)
        self.setObjectName("TourEditor")
        self.state = state
        self.commands = commands
        self._filling = False
        self._shown: dict[str, object] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)

        header = QHBoxLayout()
        header.addWidget(QLabel("Tour"))
        self.tours = QComboBox(self)
        self.tours.setToolTip("The tour being edited")
        self.tours.currentIndexChanged.connect(lambda *_: self.refresh())
        header.addWidget(self.tours, 1)
        self.new_tour = self._button("New", "Start a new tour with a stop at the current view",
                                     self.add_tour)
        header.addWidget(self.new_tour)
        layout.addLayout(header)
        titled = QHBoxLayout()
        titled.addWidget(QLabel("Title"))
        self.tour_title = QLineEdit(self)
        self.tour_title.setPlaceholderText("The tour's title (shown in the Tours menu)")
        self.tour_title.editingFinished.connect(self._commit_tour_title)
        titled.addWidget(self.tour_title, 1)
        layout.addLayout(titled)

        self.stops = QListWidget(self)
        self.stops.setObjectName("TourStops")
        self.stops.setToolTip("The stops in order: drag to reorder, double-click to show one")
        self.stops.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.stops.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.stops.model().rowsMoved.connect(self._dragged)
        self.stops.currentRowChanged.connect(lambda *_: self._fill_form())
        self.stops.itemDoubleClicked.connect(lambda *_: self.show_stop())
        layout.addWidget(self.stops, 2)

        buttons = QHBoxLayout()
        self.add_button = self._button("Add stop from view", "A stop looking as the view looks "
                                       "now: target, distance, angles and time", self.add_stop)
        buttons.addWidget(self.add_button)
        self.up = self._button("▲", "Move the stop earlier in the tour", lambda: self.move(-1))
        self.down = self._button("▼", "Move the stop later in the tour", lambda: self.move(+1))
        self.delete = self._button("Delete", "Delete the stop (the tour goes with its last "
                                   "stop)", self.delete_stop)
        for button in (self.up, self.down, self.delete):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        play = QHBoxLayout()
        self.play_here = self._button("Play from here", "Play the tour from the selected stop",
                                      lambda: self.play(self.stops.currentRow()))
        self.play_all = self._button("Play tour", "Play the tour from its first stop",
                                     lambda: self.play(0))
        self.stop_button = self._button("Stop", "Stop the tour", state.stop_tour)
        for button in (self.play_here, self.play_all, self.stop_button):
            play.addWidget(button)
        layout.addLayout(play)

        self.form = FieldForm(self)
        self._build_form()
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.form)
        layout.addWidget(scroll, 3)
        self.coming = QLabel(self)
        self.coming.setObjectName("ComingNext")
        self.coming.setWordWrap(True)
        self.coming.setToolTip("For the presenter: where the tour is and what comes next")
        layout.addWidget(self.coming)

        self._caption_timer = QTimer(self)
        self._caption_timer.setSingleShot(True)
        self._caption_timer.setInterval(CAPTION_IDLE_MS)
        self._caption_timer.timeout.connect(self._commit_caption)
        state.session_changed.connect(lambda *_: self.refresh())
        state.tour_changed.connect(lambda *_: self._show_coming())
        state.presentation.events.caption.connect(lambda *_: self._show_coming())
        self.refresh()

    def _button(self, text: str, tip: str, handler) -> QPushButton:
        button = QPushButton(text, self)
        button.setToolTip(tip)
        button.clicked.connect(lambda *_: handler())
        return button

    def _build_form(self) -> None:
        form = self.form
        self.title = form.add("title", "Title card", QLineEdit(),
                              "Shown large when the stop is reached (optional)")
        self.title.editingFinished.connect(lambda: self._commit_text("title", self.title.text()))
        self.caption = form.add("caption", "Caption", QPlainTextEdit(),
                                "What the audience reads at the bottom of the screen")
        self.caption.setMinimumHeight(70)
        self.caption.textChanged.connect(self._caption_typed)
        self.target = form.add("target", "Look at", QLineEdit(),
                               "Any body, asteroid, site, facility or ship")
        self.target.editingFinished.connect(
            lambda: self._commit_text("target", self.target.text()))
        self.time = form.add("time", "Time", self._time_row("time"),
                             "Scenario time when the stop is reached (ISO UTC or jd:)")
        self.until = form.add("until", "Play until", self._time_row("until"),
                              "Optional: time runs on to here while the stop holds")
        self.duration = form.add("duration_s", "Hold", self._seconds(3600.0),
                                 "Seconds the camera stays at the stop")
        self.duration.valueChanged.connect(lambda v: self._commit_number("duration_s", v))
        self.transition = form.add("transition_s", "Travel", self._seconds(600.0),
                                   "Seconds to fly here from the previous stop")
        self.transition.valueChanged.connect(lambda v: self._commit_number("transition_s", v))
        camera = QWidget()
        row = QHBoxLayout(camera)
        row.setContentsMargins(0, 0, 0, 0)
        self.camera_label = QLabel(camera)
        self.camera_label.setWordWrap(True)
        row.addWidget(self.camera_label, 1)
        row.addWidget(self._button("Use current view", "Take the target, distance and angles "
                                   "of the view now", self.use_view))
        form.add("distance_au", "Camera", camera)
        form.finish()

    def _time_row(self, key: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText("2031-03-01T00:00:00Z" if key == "time" else "(no range)")
        edit.editingFinished.connect(lambda: self._commit_text(key, edit.text()))
        return edit

    @staticmethod
    def _seconds(maximum: float) -> QDoubleSpinBox:
        box = QDoubleSpinBox()
        box.setRange(0.0, maximum)
        box.setDecimals(1)
        box.setSuffix(" s")
        box.setKeyboardTracking(False)
        return box

    # --- what is shown ---------------------------------------------------------------------
    def _specs(self):
        return self.state.session.scenario.tour

    def tour_index(self) -> int | None:
        index = self.tours.currentIndex()
        return index if 0 <= index < len(self._specs()) else None

    def _prefix(self) -> str:
        tour = self.tour_index()
        if tour is None:
            return ""
        return f"tour[{self._specs()[tour].name}].stop[{self.stops.currentRow()}]"

    def refresh(self, select: int | None = None) -> None:
        """Show the scenario's tours and the current tour's stops (keeping the selection)."""
        specs = self._specs()
        self._filling = True
        tour = self.tours.currentIndex()
        row = self.stops.currentRow() if select is None else select
        self.tours.blockSignals(True)
        self.tours.clear()
        for spec in specs:
            self.tours.addItem(spec.title or spec.name, spec.name)
        self.tours.setCurrentIndex(min(max(tour, 0), len(specs) - 1) if specs else -1)
        self.tours.blockSignals(False)
        tour = self.tour_index()
        self.stops.blockSignals(True)
        self.stops.clear()
        if tour is not None:
            for k, stop in enumerate(specs[tour].stop):
                text = short(stop.title or stop.caption or "(no caption)", 42)
                item = QListWidgetItem(f"{k + 1}. {stop.target} · {format_iso(stop.time)[:10]} "
                                       f"· {text}")
                item.setToolTip(" ".join(stop.caption.split()))
                self.stops.addItem(item)
            count = len(specs[tour].stop)
            self.stops.setCurrentRow(min(max(row, 0), count - 1))
            if self.tour_title.text() != specs[tour].title and not self.tour_title.hasFocus():
                self.tour_title.setText(specs[tour].title)
        self.stops.blockSignals(False)
        self._filling = False
        self.tour_title.setEnabled(tour is not None)
        self.new_tour.setEnabled(True)
        self._fill_form()
        self._show_coming()

    def _stop(self):
        tour = self.tour_index()
        row = self.stops.currentRow()
        if tour is None or not 0 <= row < len(self._specs()[tour].stop):
            return None
        return self._specs()[tour].stop[row]

    def _fill_form(self) -> None:
        """The selected stop's values, without touching a field that already shows them
        (the cursor stays where the user types)."""
        self._caption_timer.stop()
        self.form.clear_problems()
        stop = self._stop()
        for widget in (self.form, self.play_here, self.up, self.down, self.delete):
            widget.setEnabled(stop is not None)
        self.play_all.setEnabled(stop is not None)
        if stop is None:
            self.camera_label.setText("")
            return
        self._filling = True
        shown = {"title": stop.title, "caption": stop.caption, "target": stop.target,
                 "time": format_iso(stop.time),
                 "until": format_iso(stop.until) if stop.until is not None else "",
                 "duration_s": stop.duration_s, "transition_s": stop.transition_s}
        self._shown = shown
        for key, widget in (("title", self.title), ("target", self.target),
                            ("time", self.time), ("until", self.until)):
            if widget.text().strip() != shown[key]:
                widget.setText(shown[key])
        if self.caption.toPlainText().split() != stop.caption.split():
            self.caption.setPlainText(stop.caption)  # (wrapping aside, as typed otherwise)
        self.duration.setValue(stop.duration_s)
        self.transition.setValue(stop.transition_s)
        self.transition.setEnabled(self.stops.currentRow() > 0)
        angles = ("sunlit side / overhead" if stop.azimuth is None or stop.elevation is None
                  else f"azimuth {stop.azimuth:.1f}°, elevation {stop.elevation:.1f}°")
        self.camera_label.setText(f"{format_length_au(stop.distance_au)} away, {angles}")
        self._filling = False

    def _show_coming(self) -> None:
        text = coming_next(self.state.tour)
        self.coming.setText(f"<b>Tour</b>: {text}" if text else "")

    # --- edits -----------------------------------------------------------------------------
    def _apply(self, edit, merge_key=None, select: int | None = None) -> bool:
        problems = self.commands.apply(edit, merge_key)
        if problems:
            self.form.show_problems(problems, self._prefix())
            return False
        if select is not None:
            self.refresh(select)
        return True

    def _commit(self, values: dict, label: str, merge_key=None) -> bool:
        tour, row = self.tour_index(), self.stops.currentRow()
        if tour is None or row < 0:
            return False
        return self._apply(edits.set_stop(tour, row, values, label), merge_key)

    def _commit_text(self, key: str, text: str) -> None:
        if self._filling or self._stop() is None:
            return
        value = text.strip()
        if value == self._shown.get(key, ""):
            return
        self._shown[key] = value
        names = {"title": "title", "target": "target", "time": "time", "until": "time range"}
        self._commit({key: value or None}, f"Change stop {self.stops.currentRow() + 1}'s "
                     f"{names[key]}")

    def _caption_typed(self) -> None:
        if not self._filling:
            self._caption_timer.start()

    def _commit_caption(self) -> None:
        """The caption as typed (typing on in the same stop merges into one undo step)."""
        text = self.caption.toPlainText()
        if self._stop() is None or text.split() == str(self._shown.get("caption", "")).split():
            return
        self._shown["caption"] = text
        row = self.stops.currentRow()
        self._commit({"caption": text.strip() or None}, f"Edit stop {row + 1}'s caption",
                     ("caption", self.tour_index(), row))

    def _commit_number(self, key: str, value: float) -> None:
        if self._filling or self._stop() is None or value == self._shown.get(key):
            return
        self._shown[key] = value
        row = self.stops.currentRow()
        what = "hold" if key == "duration_s" else "travel time"
        self._commit({key: edits.number(value, 6)}, f"Change stop {row + 1}'s {what}",
                     (key, self.tour_index(), row))

    def flush(self) -> None:
        """Commit a caption still being typed (before anything else changes the tour)."""
        if self._caption_timer.isActive():
            self._caption_timer.stop()
            self._commit_caption()

    def _view_values(self) -> dict:
        camera, t = self.state.camera, self.state.timeline.time
        return edits.stop_values(camera.target, t, camera.distance_au, camera.azimuth_deg,
                                 camera.elevation_deg)

    def add_stop(self) -> bool:
        """A stop looking as the view looks now, after the selected one (a new tour when
        the scenario has none)."""
        self.flush()
        tour = self.tour_index()
        if tour is None:
            return self.add_tour()
        row = self.stops.currentRow()
        index = row + 1 if row >= 0 else None
        count = len(self._specs()[tour].stop)
        return self._apply(edits.add_stop(tour, self._view_values(), index),
                           select=index if index is not None else count)

    def add_tour(self) -> bool:
        self.flush()
        if not self.commands.authoring.editable:
            self.commands.status("This scenario was not read from a file, so it cannot be "
                                 "edited")
            return False
        names = [spec.name for spec in self._specs()]
        name = "my-tour"
        count = 1
        while name in names:
            count += 1
            name = f"my-tour-{count}"
        title = unique_name({spec.title for spec in self._specs()}, "My tour")
        if not self._apply(edits.add_tour(name, title, self._view_values())):
            return False
        self.tours.setCurrentIndex(len(self._specs()) - 1)
        self.refresh(0)
        return True

    def use_view(self) -> bool:
        """The selected stop looks as the view looks now (target, distance, angles)."""
        values = self._view_values()
        camera = {key: values.get(key) for key in ("target", "distance_au", "azimuth",
                                                   "elevation")}
        return self._commit(camera, f"Set stop {self.stops.currentRow() + 1}'s view")

    def move(self, step: int) -> bool:
        self.flush()
        tour, row = self.tour_index(), self.stops.currentRow()
        to = row + step
        if tour is None or row < 0 or not 0 <= to < self.stops.count():
            return False
        return self._apply(edits.move_stop(tour, row, to), select=to)

    def _dragged(self, _parent, start, _end, _destination, row) -> None:
        """A stop dropped elsewhere in the list."""
        tour = self.tour_index()
        to = row if row < start else row - 1
        if self._filling or tour is None or to == start:
            return
        self.stops.setCurrentRow(to)
        QTimer.singleShot(0, lambda: self._apply(edits.move_stop(tour, start, to), select=to)
                          or self.refresh())

    def delete_stop(self) -> bool:
        self.flush()
        tour, row = self.tour_index(), self.stops.currentRow()
        if tour is None or row < 0:
            return False
        if self.stops.count() == 1:
            name = self._specs()[tour].name
            return self._apply(edits.RemoveTable(f"Delete tour '{name}'", ("tour",), tour))
        return self._apply(edits.remove_stop(tour, row), select=max(row - 1, 0))

    def _commit_tour_title(self) -> None:
        tour = self.tour_index()
        if self._filling or tour is None:
            return
        title = self.tour_title.text().strip()
        if title != self._specs()[tour].title:
            self._apply(edits.SetValues("Rename the tour", ("tour", tour),
                                        {"title": title or None}))

    # --- playing -----------------------------------------------------------------------------
    def play(self, stop: int) -> None:
        self.flush()
        tour = self.tour_index()
        if tour is not None:
            self.state.start_tour(self._specs()[tour].name, max(stop, 0))

    def show_stop(self) -> None:
        """Show the selected stop (the tour paused there; Space plays on)."""
        tour, row = self.tour_index(), self.stops.currentRow()
        if tour is not None and row >= 0:
            self.state.start_tour(self._specs()[tour].name, row, play=False)
