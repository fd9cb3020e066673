"""The timeline bar: transport buttons, rate, UTC date and a slider over the scenario span."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QToolButton,
    QWidget,
)

from spaceviz.core.astro.time import format_utc
from spaceviz.core.state.timeline import RATE_PRESETS_DAYS_PER_S, rate_label

SLIDER_STEPS = 100_000


class EventSlider(QSlider):
    """A horizontal slider that paints a tick for every timeline event."""

    def __init__(self, parent=None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.event_fractions: list[float] = []

    def paintEvent(self, event):  # noqa: N802 (Qt naming)
        super().paintEvent(event)
        if not self.event_fractions:
            return
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        groove = self.style().subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                             QStyle.SubControl.SC_SliderGroove, self)
        handle = self.style().subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                             QStyle.SubControl.SC_SliderHandle, self)
        left = groove.left() + handle.width() / 2
        width = groove.width() - handle.width()
        painter = QPainter(self)
        painter.setPen(QColor(255, 170, 40))
        for fraction in self.event_fractions:
            x = int(left + fraction * width)
            painter.drawLine(x, groove.top() - 3, x, groove.top() + 2)
            painter.fillRect(QRect(x - 1, groove.bottom() - 1, 3, 4), QColor(255, 170, 40))
        painter.end()


class TimelineBar(QWidget):
    """Binds to the AppState's timeline (and whether time runs by itself, a tour included);
    every button goes through the action registry's commands."""

    def __init__(self, state, actions, parent=None):
        super().__init__(parent)
        self.setObjectName("TimelineBar")
        self.state = state
        timeline = self.timeline = state.timeline
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        self.buttons: dict[str, QToolButton] = {}
        for command_id, icon in [("jump_start", QStyle.StandardPixmap.SP_MediaSkipBackward),
                                 ("previous_event", QStyle.StandardPixmap.SP_MediaSeekBackward),
                                 ("step_back", QStyle.StandardPixmap.SP_ArrowLeft),
                                 ("play_pause", QStyle.StandardPixmap.SP_MediaPlay),
                                 ("step_forward", QStyle.StandardPixmap.SP_ArrowRight),
                                 ("next_event", QStyle.StandardPixmap.SP_MediaSeekForward),
                                 ("jump_end", QStyle.StandardPixmap.SP_MediaSkipForward)]:
            button = QToolButton(self)
            button.setDefaultAction(actions[command_id])
            button.setIcon(self.style().standardIcon(icon))
            button.setAutoRaise(True)
            layout.addWidget(button)
            self.buttons[command_id] = button
        self.rate_box = QComboBox(self)
        self.rate_box.setToolTip("Playback rate: scenario time per second ([ and ] change it)")
        for label, value in RATE_PRESETS_DAYS_PER_S:
            self.rate_box.addItem(label, value)
        for label, value in reversed(RATE_PRESETS_DAYS_PER_S):
            self.rate_box.addItem("-" + label, -value)
        self.rate_box.currentIndexChanged.connect(self._rate_chosen)
        layout.addWidget(self.rate_box)
        self.date_label = QLabel(self)
        self.date_label.setMinimumWidth(190)
        self.date_label.setToolTip("Scenario time (UTC)")
        self.date_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.date_label.font()
        font.setFamily("monospace")
        self.date_label.setFont(font)
        layout.addWidget(self.date_label)
        self.slider = EventSlider(self)
        self.slider.setRange(0, SLIDER_STEPS)
        self.slider.setToolTip("Drag to move through the scenario; orange ticks are events")
        self.slider.valueChanged.connect(self._slider_moved)
        layout.addWidget(self.slider, stretch=1)
        self._play_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPlay)
        self._pause_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPause)
        self._updating = False
        timeline.time_changed.connect(self._on_time)
        timeline.rate_changed.connect(self._on_rate)
        state.playing_changed.connect(self._on_playing)
        timeline.events_changed.connect(self._on_events)
        timeline.bounds_changed.connect(self._on_bounds)
        self.refresh()

    def refresh(self) -> None:
        self._on_time(self.timeline.time)
        self._on_rate(self.timeline.rate)
        self._on_playing(self.state.playing)
        self._on_events()

    def _on_time(self, t_tdb: float) -> None:
        self.date_label.setText(format_utc(t_tdb))
        self._updating = True
        self.slider.setValue(round(self.timeline.fraction * SLIDER_STEPS))
        self._updating = False

    def _on_bounds(self, *args) -> None:
        self._on_events()
        self._on_time(self.timeline.time)

    def _on_rate(self, rate: float) -> None:
        index = self.rate_box.findData(rate)
        self._updating = True
        if index < 0:
            self.rate_box.addItem(rate_label(rate), rate)
            index = self.rate_box.count() - 1
        self.rate_box.setCurrentIndex(index)
        self._updating = False

    def _on_playing(self, playing: bool) -> None:
        button = self.buttons["play_pause"]
        button.setIcon(self._pause_icon if playing else self._play_icon)
        button.setToolTip("Pause (Space)" if playing else "Play (Space)")

    def _on_events(self) -> None:
        span = self.timeline.end - self.timeline.start
        self.slider.event_fractions = [(e.t_tdb - self.timeline.start) / span
                                       for e in self.timeline.events
                                       if self.timeline.start <= e.t_tdb <= self.timeline.end]
        self.slider.update()

    def _slider_moved(self, value: int) -> None:
        if not self._updating:
            self.timeline.set_fraction(value / SLIDER_STEPS)

    def _rate_chosen(self, index: int) -> None:
        if not self._updating and index >= 0:
            self.timeline.set_rate(float(self.rate_box.itemData(index)))
