"""PySide6 widgets bound to the core models (timeline, camera, selection, session)."""
