"""Science and state: pure Python + numpy. No Qt, no VisPy, no OpenGL."""
