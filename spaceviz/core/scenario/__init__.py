"""Scenario files (schema, loader, reference checks), the typed World built from them, and the Session."""
