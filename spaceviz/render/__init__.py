"""VisPy scene built from core state. No Qt widgets here (a VisPy SceneCanvas only)."""
