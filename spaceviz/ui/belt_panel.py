"""The asteroid panel: legend, colour mode and filters for the belt, bound to the AppState's
BeltFilters (the scene applies them on the GPU)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from spaceviz.core.astro.catalogs.population import (
    CLASS_COLORS,
    CLASS_NAMES,
    GROUP_COLORS,
    GROUP_NAMES,
)

RANGES = {  # filter field: (label, minimum, maximum, step, decimals, tooltip)
    "a_au": ("a (AU)", 0.0, 100.0, 0.1, 2, "Semi-major axis range"),
    "e": ("e", 0.0, 1.0, 0.02, 2, "Eccentricity range"),
    "i_deg": ("i (deg)", 0.0, 180.0, 1.0, 1, "Inclination range, degrees from the ecliptic"),
    "H": ("H (mag)", -5.0, 35.0, 0.5, 1, "Absolute magnitude range (smaller is bigger)"),
}


TARGET_MODES = {"class": "Spectral class", "value": "Value at today's prices",
                "value_per_dv": "Value per km/s of delta-v"}
VALUE_LEGEND = ("<span style='color:#404dd9'>&#9679;</span> least &rarr; "
                "<span style='color:#1ab3bf'>&#9679;</span> "
                "<span style='color:#59d959'>&#9679;</span> "
                "<span style='color:#ffe633'>&#9679;</span> most (log scale); grey: no estimate")


def swatch(rgba) -> QPixmap:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor.fromRgbF(rgba[0], rgba[1], rgba[2], 1.0))
    return pixmap


class BeltPanel(QWidget):
    """Edits the belt filters; shows where the asteroids come from and how many pass."""

    def __init__(self, state, parent=None):
        super().__init__(parent)
        self.setObjectName("BeltPanel")
        self.state = state
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.source_label = QLabel(self)
        self.source_label.setWordWrap(True)
        layout.addWidget(self.source_label)
        mode_row = QHBoxLayout()
        mode_row.addWidget(QLabel("Colour by"))
        self.color_by = QComboBox(self)
        self.color_by.addItems(["Dynamical group", "Spectral class"])
        self.color_by.setToolTip("Colour asteroids by orbit group or by composition class")
        self.color_by.currentIndexChanged.connect(self._apply)
        mode_row.addWidget(self.color_by, 1)
        layout.addLayout(mode_row)
        targets_row = QHBoxLayout()
        targets_row.addWidget(QLabel("Colour mining targets by"))
        self.targets_by = QComboBox(self)
        self.targets_by.addItems(TARGET_MODES.values())
        self.targets_by.setToolTip("The 27 mining targets: their spectral class, or what their "
                                   "water, metal and platinum-group metals are worth at today's "
                                   "prices in low Earth orbit (alone, or per km/s of delta-v from "
                                   "LEO); see 'Why this target' in the info panel")
        self.targets_by.currentIndexChanged.connect(self._apply_targets)
        targets_row.addWidget(self.targets_by, 1)
        layout.addLayout(targets_row)
        self.targets_legend = QLabel(VALUE_LEGEND, self)
        self.targets_legend.setWordWrap(True)
        self.targets_legend.setVisible(False)
        layout.addWidget(self.targets_legend)
        self.legend = QGridLayout()
        layout.addLayout(self.legend)
        self.group_boxes: list[QCheckBox] = []
        for index, (name, color) in enumerate(zip(GROUP_NAMES, GROUP_COLORS, strict=True)):
            box = QCheckBox(name, self)
            box.setChecked(True)
            box.setIcon(swatch(color))
            box.setToolTip(f"Show or hide {name} asteroids")
            box.toggled.connect(self._apply)
            self.legend.addWidget(box, index // 2, index % 2)
            self.group_boxes.append(box)
        self.class_legend = QLabel(self)
        self.class_legend.setWordWrap(True)
        self.class_legend.setText(" ".join(
            f"<span style='color:{QColor.fromRgbF(*c[:3]).name()}'>&#9679;</span> {n}"
            for n, c in zip(CLASS_NAMES, CLASS_COLORS, strict=True)))
        layout.addWidget(self.class_legend)
        form = QFormLayout()
        self.ranges: dict[str, tuple[QDoubleSpinBox, QDoubleSpinBox]] = {}
        for key, (label, low, high, step, decimals, tip) in RANGES.items():
            row = QHBoxLayout()
            pair = []
            for value in (low, high):
                spin = QDoubleSpinBox(self)
                spin.setRange(low, high)
                spin.setSingleStep(step)
                spin.setDecimals(decimals)
                spin.setValue(value)
                spin.setToolTip(tip)
                spin.valueChanged.connect(self._apply)
                row.addWidget(spin)
                pair.append(spin)
            self.ranges[key] = (pair[0], pair[1])
            form.addRow(label, row)
        layout.addLayout(form)
        self.count_label = QLabel(self)
        layout.addWidget(self.count_label)
        layout.addStretch(1)
        state.session_changed.connect(self._describe)
        state.populations_changed.connect(self._describe)
        state.belt_filters.events.all.connect(self._count)
        self._describe()

    def _describe(self, *args) -> None:
        populations = self.state.world.populations
        self.setEnabled(bool(populations))
        if not populations:
            self.source_label.setText("<i>Loading the asteroid catalogue...</i>"
                                      if self.state.session.catalogs_pending else
                                      "<i>No asteroid catalogue in this scenario.</i>")
            self.count_label.setText("")
            return
        self.source_label.setText("<br>".join(
            f"{len(p):,} from {p.source or 'scenario'}"
            + (" <b>(synthetic, not real asteroids)</b>" if p.synthetic else "")
            for p in populations))
        self._count()

    def _apply(self, *args) -> None:
        self.class_legend.setVisible(self.color_by.currentIndex() == 1)
        changes = {key: (low.value(), high.value()) for key, (low, high) in self.ranges.items()}
        if changes["a_au"][1] >= RANGES["a_au"][2]:
            changes["a_au"] = (changes["a_au"][0], 1e9)  # the top of the box means no limit
        self.state.belt_filters.update({
            "groups": tuple(b.isChecked() for b in self.group_boxes),
            "color_by": "class" if self.color_by.currentIndex() == 1 else "group", **changes})

    def _apply_targets(self, index: int) -> None:
        mode = list(TARGET_MODES)[index]
        self.targets_legend.setVisible(mode != "class")
        self.state.belt_filters.targets_by = mode

    def _count(self, *args) -> None:
        populations = self.state.world.populations
        shown = sum(int(self.state.belt_filters.shown(p).sum()) for p in populations)
        total = sum(len(p) for p in populations)
        self.count_label.setText(f"{shown:,} of {total:,} shown")
