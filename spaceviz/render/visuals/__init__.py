"""Custom VisPy visuals (GLSL in shaders/)."""
