"""The asteroid panel: legend, colour mode and filters for the belt (applied on the GPU)."""

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

RANGES = {  # key: (label, minimum, maximum, step, decimals, tooltip)
    "a": ("a (AU)", 0.0, 100.0, 0.1, 2, "Semi-major axis range"),
    "e": ("e", 0.0, 1.0, 0.02, 2, "Eccentricity range"),
    "i": ("i (deg)", 0.0, 180.0, 1.0, 1, "Inclination range, degrees from the ecliptic"),
    "H": ("H (mag)", -5.0, 35.0, 0.5, 1, "Absolute magnitude range (smaller is bigger)"),
}


def swatch(rgba) -> QPixmap:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor.fromRgbF(rgba[0], rgba[1], rgba[2], 1.0))
    return pixmap


class BeltPanel(QWidget):
    """Filters the scene's BeltLayer; shows how many asteroids pass."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("BeltPanel")
        self.layer = None
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
        self.set_layer(None)

    def set_layer(self, layer) -> None:
        """Bind to a BeltLayer (None: no catalogue loaded)."""
        self.layer = layer if layer is not None and layer.node is not None else None
        self.setEnabled(self.layer is not None)
        if self.layer is None:
            self.source_label.setText("<i>No asteroid catalogue in this scenario.</i>")
            self.count_label.setText("")
            return
        sources = []
        for belt in self.layer.belts:
            tag = " <b>(synthetic, not real asteroids)</b>" if belt.synthetic else ""
            sources.append(f"{len(belt):,} from {belt.source or 'scenario'}{tag}")
        self.source_label.setText("<br>".join(sources))
        self._apply()

    def _apply(self, *args) -> None:
        if self.layer is None:
            return
        self.class_legend.setVisible(self.color_by.currentIndex() == 1)
        changes = {key: (low.value(), high.value()) for key, (low, high) in self.ranges.items()}
        if changes["a"][1] >= RANGES["a"][2]:
            changes["a"] = (changes["a"][0], 1e9)  # the top of the box means "no upper limit"
        self.layer.set_filters(groups=[b.isChecked() for b in self.group_boxes],
                               color_by="class" if self.color_by.currentIndex() == 1 else "group",
                               **changes)
        self.count_label.setText(f"{self.layer.visible_count_cpu():,} of {self.layer.count:,} shown")
