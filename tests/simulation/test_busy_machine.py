"""numba's threads do not spin on a busy machine: the OpenMP runtime gets a passive wait
policy before numba starts its pool (the runtime reads it once, when it loads), and a policy
the user set is kept."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

#: start numba's pool the way a run does: import the model, then use the threads
START_POOL = (
    "import simulation, numba\n"
    "from scenarios import load_scenario\n"
    "from simulation import AdoptionModel\n"
    "sc = load_scenario('goal-led-communities', ['organization.employees=300', 'weeks=2'])\n"
    "AdoptionModel(sc, rng=1, engine='numba').run()\n"
    "numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)\n"
    "print(numba.threading_layer())\n"
)


def _openmp_settings(**env: str) -> tuple[str, str]:
    """(threading layer, the settings the OpenMP runtime printed when it loaded)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OMP_", "GOMP_", "KMP_"))}
    done = subprocess.run([sys.executable, "-c", START_POOL], capture_output=True, text=True,
                          env={**clean, "OMP_DISPLAY_ENV": "VERBOSE", **env}, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1], done.stderr


def test_openmp_threads_wait_passively_unless_the_user_says_otherwise():
    layer, shown = _openmp_settings()
    if layer != "omp":
        pytest.skip(f"numba uses the {layer} threading layer here, not OpenMP")
    assert "OMP_WAIT_POLICY = 'PASSIVE'" in shown and "GOMP_SPINCOUNT = '0'" in shown, shown
    _, shown = _openmp_settings(OMP_WAIT_POLICY="ACTIVE")
    assert "OMP_WAIT_POLICY = 'ACTIVE'" in shown, shown
