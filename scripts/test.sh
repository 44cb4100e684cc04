#!/usr/bin/env bash
# Set up everything the whole test suite needs and run it (this is what CI runs).
# Slow, browser and cluster tests included. The core model tests run again on Python 3.12
# (Mesa 3.5) when a Python 3.12 is available (pyenv's 3.12.1 on these machines).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
# browser tests drive Debian's Chromium: install it when missing (CI starts from a fresh machine)
if [ ! -x "${CHROMIUM_EXECUTABLE:-/usr/bin/chromium}" ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium; } >&2; then
    export ADOPTSIM_NO_CHROMIUM="apt-get install chromium failed (no root, no network or no such package): see the output of scripts/test.sh"
    echo "WARNING: $ADOPTSIM_NO_CHROMIUM; the browser tests will be skipped" >&2
  fi
fi
.venv/bin/ruff check .
.venv/bin/lint-imports   # the layers contract of pyproject.toml (tests/test_layers.py: public names)
.venv/bin/python -m pytest -q "$@"

if PYENV_VERSION=3.12.1 python -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null; then
  PY312="env PYENV_VERSION=3.12.1 python"
elif command -v python3.12 >/dev/null 2>&1; then
  PY312=python3.12
else
  echo "NOTE: no Python 3.12 found; the Python 3.12 / Mesa 3.5 leg was not run" >&2
  exit 0
fi
if [ ! -x .venv312/bin/python ]; then
  $PY312 -m venv .venv312
fi
.venv312/bin/python -m pip install -q --upgrade pip
.venv312/bin/python -m pip install -q -e ".[dev]"
echo "core model tests on $(.venv312/bin/python --version), mesa $(.venv312/bin/python -c 'import mesa; print(mesa.__version__)')" >&2
.venv312/bin/python -m pytest -q -p no:cacheprovider tests/simulation tests/scenarios
