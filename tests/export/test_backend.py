"""OpenGL checks: clear messages for missing or old GL, no crash."""

import pytest

from spaceviz.core.errors import GraphicsUnavailableError
from spaceviz.export.backend import check_gl_version, parse_gl_version


def test_parse_gl_version_strings():
    assert parse_gl_version("4.5 (Core Profile) Mesa 22.3.6") == (4, 5)
    assert parse_gl_version("OpenGL ES 3.2 NVIDIA 550.54") == (3, 2)
    assert parse_gl_version("") == (0, 0)


def test_old_gl_is_refused_with_what_to_install():
    check_gl_version("2.1 Mesa 10.0")
    with pytest.raises(GraphicsUnavailableError, match="OpenGL 2.1 or newer.*libgl1"):
        check_gl_version("1.4 (Compatibility Profile) Mesa")


def test_render_with_an_unusable_backend_exits_2_with_advice(run_cli, tmp_path):
    result = run_cli("render", "--at", "2030-01-01", "--out", str(tmp_path / "x.png"),
                     env={"SPACEVIZ_GL_BACKEND": "no-such-backend"})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "could not start OpenGL through no-such-backend" in result.stderr
    assert not (tmp_path / "x.png").exists()
