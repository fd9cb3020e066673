"""Authoring: the scenario an AppState shows, as an editable document (Qt-free).

Every edit is tried on a copy of the document and built as loading builds a file; only a
scenario that loads replaces the shown one (`AppState.update_session`, which keeps the
clock, camera and selection), so a bad edit leaves the last good session and the problems
say why. A `Change` (the text before and after, and the session of the result) is what an
undo history keeps: undoing makes the document the earlier text again. Ships re-planned
elsewhere (a click on the launch-window porkchop) are written into the document too and
announced as a Change through `recorded`, so that saving keeps them and undo reverts them.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from psygnal import Signal

from spaceviz.core.errors import UserError
from spaceviz.core.scenario.loader import read_text
from spaceviz.core.scenario.session import Session

if TYPE_CHECKING:  # tomlkit loads with the first edit, not when the app starts
    from spaceviz.core.scenario.document import Edit, ScenarioDocument

log = logging.getLogger(__name__)
BOM = b"\xef\xbb\xbf"


class Change(NamedTuple):
    """One done edit: its label, the document text before and after, the session built from
    `after`."""

    label: str
    before: str
    after: str
    session: Session


class Authoring:
    """The editable document of an AppState's scenario and the edits applied to it."""

    changed = Signal()          # the document's text, file or saved state changed
    recorded = Signal(object)   # a Change made outside `attempt` (a re-planned ship)
    reset = Signal()            # another scenario was opened: earlier changes no longer apply

    def __init__(self, state):
        self.state = state
        self._document: ScenarioDocument | None = None
        self._text: tuple[Path, str, bool] | None = None
        self._installed: Session | None = None
        state.session_changed.connect(self._session_changed)
        state.ship_replanned.connect(self._ship_replanned)
        self._session_changed(state.session)

    # --- the document ----------------------------------------------------------------------
    def _session_changed(self, session: Session) -> None:
        """Another file was opened (or reloaded): its text becomes the document."""
        if session is self._installed:
            return
        self._installed = None
        self._document = None
        self._text = None
        path = session.scenario.source_path
        if path is not None:
            try:
                self._text = (path, read_text(path), path.read_bytes()[:3] == BOM)
            except UserError as exc:
                log.warning("cannot edit %s: %s", path, exc)
        self.reset.emit()
        self.changed.emit()

    @property
    def document(self) -> ScenarioDocument:
        """The document being edited (UserError when the scenario was not read from a file)."""
        if self._document is None:
            from spaceviz.core.scenario.document import ScenarioDocument

            if self._text is None:
                raise UserError("this scenario was not read from a file, so it cannot be "
                                "edited; open a scenario file or a lesson")
            path, text, bom = self._text
            self._document = ScenarioDocument(text, path, name=str(path), bom=bom)
        return self._document

    @property
    def editable(self) -> bool:
        return self._document is not None or self._text is not None

    @property
    def modified(self) -> bool:
        """Unsaved changes (an unsaved copy without edits is not modified)."""
        return self._document is not None and self._document.modified

    @property
    def path(self) -> Path | None:
        """Where Save writes (None: an unsaved copy, Save asks where)."""
        if self._document is not None:
            return self._document.path
        return self._text[0] if self._text is not None else None

    @property
    def name(self) -> str:
        path = self.path
        if path is not None:
            return path.name
        return self._document.name if self._document is not None else "untitled"

    # --- edits -----------------------------------------------------------------------------
    def attempt(self, edit: Edit) -> Change:
        """Try an edit: the Change when the result loads (not yet shown: `install` it, or
        give it to an undo history that does). InputFileError with every problem (`FILE:
        LINE: field: message`) when it would not load; nothing changes then."""
        document = self.document
        candidate = document.edited(edit)
        session = candidate.build(previous=self.state.session)
        return Change(edit.label, document.text, candidate.text, session)

    def install(self, text: str, session: Session | None = None) -> None:
        """Make the document this text and show its scenario (built now unless given; the
        text of a Change always builds)."""
        document = self.document.copy(text)
        if session is None:
            session = document.build(previous=self.state.session)
        self._document = document
        if session is not self.state.session:
            self._installed = session
            self.state.update_session(session)
        self.changed.emit()

    def _ship_replanned(self, name: str) -> None:
        from spaceviz.core.scenario.document import ship_dates

        if not self.editable:
            return
        session = self.state.session
        edit = ship_dates(session, name)
        if edit is None:
            return
        before = self.document.text
        self._document = self.document.edited(edit)
        self.recorded.emit(Change(edit.label, before, self._document.text, session))
        self.changed.emit()

    # --- files -----------------------------------------------------------------------------
    def save(self, path: str | Path | None = None) -> Path:
        """Write the document (to `path`, or where it was read); the scenario now lives
        there (its title, recent files and reload follow)."""
        target = self.document.save(path)
        self.state.session.scenario.source_path = target
        self.changed.emit()
        return target

    def open_copy(self, path: str | Path) -> Session:
        """Open an unsaved copy of a scenario file (a lesson): it is shown as a new scenario,
        and Save asks where to write it. InputFileError when it does not load."""
        from spaceviz.core.scenario.document import ScenarioDocument

        path = Path(path)
        document = ScenarioDocument.open(path).as_untitled(f"{path.stem} (copy)")
        session = document.build()
        self._document = document
        self._installed = session
        self.state.set_session(session)
        self.reset.emit()
        self.changed.emit()
        return session
