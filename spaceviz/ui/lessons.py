"""Lessons: the gallery of shipped scenarios a teacher starts from (File > New from lesson),
and the teacher notes of the scenario shown (Help > Teacher notes), editable in the app.

A lesson is a scenario in resources/scenarios/lessons/ with a tour and a `notes` text
(Markdown: what to point at, questions for the class, facts with their sources). The gallery
reads only their titles and notes (no building); choosing one opens an unsaved copy.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
)

from spaceviz.core.scenario import document as edits
from spaceviz.ui.edit_dialogs import PROBLEM_STYLE

NO_NOTES = ("*This scenario has no teacher notes yet.* Press **Edit** to write some: what to "
            "point at, questions for the class, and the sources of the facts (Markdown).")


@dataclass(frozen=True)
class Lesson:
    path: Path
    title: str
    description: str
    notes: str


def shipped_lessons(folder: Path) -> list[Lesson]:
    """The lessons in a folder, by file name (unreadable files are left out)."""
    found = []
    for path in sorted(folder.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        found.append(Lesson(path, str(data.get("title", path.stem)),
                            " ".join(str(data.get("description", "")).split()),
                            str(data.get("notes", ""))))
    return found


class LessonGallery(QDialog):
    """Pick a lesson: its description and teacher notes beside the list; Open makes a copy."""

    def __init__(self, commands, folder: Path, parent=None):
        super().__init__(parent)
        self.setObjectName("LessonGallery")
        self.setWindowTitle("New from lesson")
        self.resize(980, 640)
        self.commands = commands
        self.lessons = shipped_lessons(folder)
        layout = QVBoxLayout(self)
        intro = QLabel("Start from a ready-made lesson: each has a guided tour (T plays it) "
                       "and teacher notes. You get a copy; Save asks where to keep it.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        self.list = QListWidget(split)
        self.list.setObjectName("Lessons")
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        for lesson in self.lessons:
            item = QListWidgetItem(f"{lesson.title.removeprefix('Lesson: ')}\n"
                                   f"{lesson.description}")
            item.setToolTip(str(lesson.path))
            self.list.addItem(item)
        self.notes = QTextBrowser(split)
        self.notes.setOpenExternalLinks(True)
        split.addWidget(self.list)
        split.addWidget(self.notes)
        split.setSizes([330, 650])
        layout.addWidget(split, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.open_button = buttons.addButton("Open a copy",
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.open_chosen)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.list.currentRowChanged.connect(self._show)
        self.list.itemDoubleClicked.connect(lambda *_: self.open_chosen())
        if self.lessons:
            self.list.setCurrentRow(0)
        self.open_button.setEnabled(bool(self.lessons))

    def _show(self, row: int) -> None:
        if 0 <= row < len(self.lessons):
            self.notes.setMarkdown(self.lessons[row].notes or NO_NOTES)

    def open_chosen(self) -> bool:
        row = self.list.currentRow()
        if not 0 <= row < len(self.lessons):
            return False
        if self.commands.open_lesson(self.lessons[row].path):
            self.accept()
            return True
        return False


class NotesDialog(QDialog):
    """The scenario's teacher notes (Markdown); Edit changes them like any other edit."""

    def __init__(self, commands, parent=None):
        super().__init__(parent)
        self.setObjectName("NotesDialog")
        self.setWindowTitle("Teacher notes")
        self.resize(640, 620)
        self.commands = commands
        layout = QVBoxLayout(self)
        self.view = QTextBrowser(self)
        self.view.setOpenExternalLinks(True)
        self.editor = QPlainTextEdit(self)
        self.editor.hide()
        self.problem = QLabel(self)
        self.problem.setStyleSheet(PROBLEM_STYLE)
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout.addWidget(self.view, 1)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.problem)
        row = QHBoxLayout()
        self.edit_button = QPushButton("Edit", self)
        self.edit_button.setToolTip("Write the notes (Markdown: ## headings, - lists, *emphasis*)")
        self.edit_button.clicked.connect(self.toggle_editing)
        row.addWidget(self.edit_button)
        row.addStretch(1)
        close = QPushButton("Close", self)
        close.clicked.connect(self.close)
        row.addWidget(close)
        layout.addLayout(row)
        commands.state.session_changed.connect(self._refresh)
        self._refresh()

    def _refresh(self, *args) -> None:
        session = self.commands.state.session
        self.setWindowTitle(f"Teacher notes: {session.title}")
        self.view.setMarkdown(session.scenario.notes or NO_NOTES)

    def toggle_editing(self) -> bool:
        """Edit the notes; pressing again applies them (undoable) and shows them."""
        if self.editor.isHidden():
            self.editor.setPlainText(self.commands.state.session.scenario.notes.strip())
            self.view.hide()
            self.editor.show()
            self.edit_button.setText("Apply")
            return True
        text = self.editor.toPlainText().strip()
        if text != self.commands.state.session.scenario.notes.strip():
            problems = self.commands.apply(edits.SetValues("Edit the teacher notes", (),
                                                           {"notes": text or None}))
            if problems:
                self.problem.setText("\n".join(f"{p.field}: {p.message}" for p in problems))
                self.problem.show()
                return False
        self.problem.hide()
        self.editor.hide()
        self.view.show()
        self.edit_button.setText("Edit")
        return True

    def closeEvent(self, event):  # noqa: N802 (Qt naming)
        self.commands.state.session_changed.disconnect(self._refresh, missing_ok=True)
        super().closeEvent(event)
