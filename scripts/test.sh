#!/usr/bin/env bash
# Set up everything the whole test suite needs and run it (this is what CI runs).
# Slow, browser and cluster tests included. The core model tests run again on Python 3.12
# (Mesa 3.5) when a Python 3.12 is available (pyenv's 3.12.1 on these machines).
# Tests run on ADOPTSIM_TEST_PROCESSES processes (default 2, this machine's cores; pytest-xdist,
# one test file per process at a time, long files first: tests/conftest.py says why).
set -euo pipefail
cd "$(dirname "$0")/.."
PROCESSES=${ADOPTSIM_TEST_PROCESSES:-2}
scripts/setup.sh --dev
# browser tests drive Debian's Chromium: install it when missing (CI starts from a fresh machine)
if [ ! -x "${CHROMIUM_EXECUTABLE:-/usr/bin/chromium}" ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium; } >&2; then
    export ADOPTSIM_NO_CHROMIUM="apt-get install chromium failed (no root, no network or no such package): see the output of scripts/test.sh"
    echo "WARNING: $ADOPTSIM_NO_CHROMIUM; the browser tests will be skipped" >&2
  fi
fi

# The Python 3.12 leg's environment is installed (mostly disk and network) while the main
# suite runs (CPU); its tests run after the main suite.
if PYENV_VERSION=3.12.1 python -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null; then
  PY312="env PYENV_VERSION=3.12.1 python"
elif command -v python3.12 >/dev/null 2>&1; then
  PY312=python3.12
else
  PY312=""
fi
SETUP312=""
if [ -n "$PY312" ]; then
  (
    set -e
    [ -x .venv312/bin/python ] || $PY312 -m venv .venv312
    .venv312/bin/python -m pip install -q --upgrade pip
    .venv312/bin/python -m pip install -q -e ".[dev]"
  ) > .venv312-setup.log 2>&1 &
  SETUP312=$!
  trap 'wait "$SETUP312" 2>/dev/null || true' EXIT  # never leave the install behind
fi

.venv/bin/ruff check .
.venv/bin/lint-imports   # the layers contract of pyproject.toml (tests/test_layers.py: public names)
.venv/bin/python -m pytest -q -n "$PROCESSES" --dist loadfile --no-loadscope-reorder --durations=25 "$@"

if [ -z "$PY312" ]; then
  echo "NOTE: no Python 3.12 found; the Python 3.12 / Mesa 3.5 leg was not run" >&2
  exit 0
fi
if ! wait "$SETUP312"; then
  cat .venv312-setup.log >&2
  echo "the Python 3.12 environment could not be installed (above)" >&2
  exit 1
fi
echo "core model tests on $(.venv312/bin/python --version), mesa $(.venv312/bin/python -c 'import mesa; print(mesa.__version__)')" >&2
.venv312/bin/python -m pytest -q -p no:cacheprovider -n "$PROCESSES" --dist loadfile \
  --no-loadscope-reorder tests/simulation tests/scenarios
