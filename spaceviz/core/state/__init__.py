"""Qt-free application state: timeline clock, camera, selection, presentation, tours, and the AppState aggregate."""
