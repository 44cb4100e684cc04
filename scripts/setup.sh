#!/usr/bin/env bash
# Set up adoptsim in ./.venv (created with python3 if missing). Idempotent.
#   scripts/setup.sh          runtime only
#   scripts/setup.sh --dev    plus what the test suite needs
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
if [ "${1:-}" = "--dev" ]; then
  .venv/bin/python -m pip install -q -e ".[dev]"
else
  .venv/bin/python -m pip install -q -e .
fi
# the dashboard's front-end assets, so it works with no internet (scripts/fetch_solara_assets.py)
.venv/bin/python scripts/fetch_solara_assets.py \
  || echo "WARNING: the dashboard's offline assets were not installed (see above)" >&2
echo "adoptsim $(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("adoptsim"))') ready in .venv" >&2
