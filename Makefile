# spaceviz — `make run` opens the app on the default scenario, `make test` runs the tests.
# Both set everything up first (system packages when root, then a .venv).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Debian packages Qt (xcb), OpenGL (Mesa) and Xvfb need.
APT_PACKAGES := xvfb xauth libegl1 libgl1 libgl1-mesa-dri libegl-mesa0 libxkbcommon-x11-0 \
	libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 \
	libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libfontconfig1 libdbus-1-3 \
	desktop-file-utils appstream

.PHONY: setup sysdeps venv run test test-slow lint bench package clean screenshot

setup: sysdeps venv

sysdeps:
	@if ! command -v dpkg-query >/dev/null; then \
	  echo "setup: not a Debian-like system; install Xvfb, Mesa (EGL/GL) and Qt's xcb libraries with your package manager."; \
	  exit 0; fi; \
	missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then echo "setup: system packages present"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "setup: installing$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else \
	  echo "setup: missing system packages. Run:"; echo "  sudo apt-get install -y$$missing"; exit 1; fi

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $@

# Opens the app. On a machine without a display it runs under Xvfb (nothing is shown).
run: setup
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then $(PY) -m spaceviz $(ARGS); \
	else echo "run: no display found; starting under xvfb-run"; xvfb-run -a -s "-screen 0 1600x1000x24" $(PY) -m spaceviz $(ARGS); fi

lint: setup
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check spaceviz tests benchmarks
	$(VENV)/bin/vulture

# pytest-xvfb starts a virtual X server for the GUI and render tests.
test: setup
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check spaceviz tests benchmarks
	$(VENV)/bin/vulture
	$(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

bench: setup
	$(PY) -m pytest benchmarks --benchmark-only -p no:xvfb -o testpaths=benchmarks -o python_files="bench_*.py" $(PYTEST_ARGS) || [ $$? -eq 5 ]
	xvfb-run -a -s "-screen 0 1920x1080x24" $(PY) benchmarks/run_all.py

# A real screenshot of the app for the README.
screenshot: setup
	xvfb-run -a -s "-screen 0 1920x1080x24" $(PY) -m spaceviz.ui.snapshot docs/app.png
	xvfb-run -a -s "-screen 0 1920x1080x24" $(PY) -m spaceviz.ui.snapshot --authoring docs
	xvfb-run -a -s "-screen 0 1600x900x24" $(PY) -m spaceviz.ui.snapshot --presentation docs/presentation.png
	xvfb-run -a -s "-screen 0 1600x900x24" $(PY) -m spaceviz.ui.snapshot --tour-strip docs/tour_strip.png
	xvfb-run -a -s "-screen 0 1920x1080x24" $(PY) -m spaceviz.ui.snapshot --economics docs/economics.png

# A one-folder desktop application in dist/spaceviz (PyInstaller), checked by the slow tests.
package: setup
	$(PY) -m pip install -q -e '.[test,package]'
	$(VENV)/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/spaceviz.spec
	@du -sh dist/spaceviz

test-slow: package
	$(PY) -m pytest -m slow $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
