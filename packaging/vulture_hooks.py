"""Entry points and hooks used from outside Python code, named here for vulture (the dead-code
check in `make test`): the scripts in pyproject.toml and attributes that libraries read."""

from spaceviz import cli
from spaceviz.core.astro.oem import OemSegment
from spaceviz.render import camera
from spaceviz.render.visuals import text

cli.gui_main  # the `spaceviz-gui` script (pyproject.toml [project.gui-scripts])
OemSegment.acc_km_s2  # optional accelerations of an OEM file, kept as read
camera.TurntableCamera.depth_value  # set on VisPy's camera, read by VisPy
OemSegment.stop_tdb  # STOP_TIME of an OEM segment, kept as read
camera.TurntableCamera.fov, camera.TurntableCamera.scale_factor  # read by VisPy
camera.TurntableCamera.dpi  # export canvases set SceneCanvas.dpi; VisPy's text reads it

text.CachedTextureFont._load_char  # VisPy's TextureFont calls it for each new glyph
text.CachedFontManager.get_font  # VisPy's TextVisual asks its font manager for the font
