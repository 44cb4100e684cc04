"""Size guards: a run's memory is estimated from its organization before anything is
allocated, the estimate bounds what a run really takes, and what does not fit is refused."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from experiments.memory import (
    WORKER_BYTES,
    available_bytes,
    check_memory,
    estimate_bytes,
    expected_ties,
    fitting_workers,
    run_bytes,
)
from scenarios import load_scenario
from simulation import generate_organization

ADOPTSIM = str(Path(sys.executable).parent / "adoptsim")
HUGE = ["--employees", "50000000", "--set", "organization.ties_within_department=100"]

#: the peak resident memory a run adds to a warmed-up process, and its estimate
MEASURE = """
import json, sys
import numpy as np
from experiments.memory import run_bytes
from scenarios import load_scenario
from simulation import AdoptionModel
def hwm():
    status = open("/proc/self/status").read().splitlines()
    return next(int(x.split()[1]) * 1024 for x in status if x.startswith("VmHWM"))
engine, n, weeks = sys.argv[1], int(sys.argv[2]), sys.argv[3]
AdoptionModel(load_scenario("mandate", ["organization.employees=300", "weeks=3"]), rng=1,
              engine=engine).run()
base = hwm()
sc = load_scenario("goal-led-communities", [f"organization.employees={n}", f"weeks={weeks}"])
m = AdoptionModel(sc, rng=np.random.default_rng(2), engine=engine).run()
print(json.dumps({"used": hwm() - base, "estimate": run_bytes(sc, engine)}))
"""


def test_a_run_too_large_for_memory_is_refused_before_it_allocates(assert_user_error):
    assert estimate_bytes(50_000_000, 50_000_000 * 110 // 2, "numba") > available_bytes()
    t = time.monotonic()
    proc = subprocess.run([ADOPTSIM, "run", "mandate", *HUGE], capture_output=True, text=True)
    assert_user_error(proc, "organization.employees = 50,000,000 would need about",
                      "200 bytes per employee and 40 per tie", "is available", "fit")
    proc = subprocess.run([ADOPTSIM, "compare", "mandate", "provide-and-pray", *HUGE],
                          capture_output=True, text=True)
    assert_user_error(proc, "organization.employees = 50,000,000")
    assert time.monotonic() - t < 60  # refused, not allocated and swapped


@pytest.mark.slow  # about 10 s: two runs measured in fresh processes
def test_the_estimate_bounds_what_a_run_takes():
    for engine, n, weeks in (("numba", 200_000, 104), ("agents", 3_000, 20)):
        done = subprocess.run([sys.executable, "-c", MEASURE, engine, str(n), str(weeks)],
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        r = json.loads(done.stdout)
        assert 0.6 * r["estimate"] < r["used"] <= r["estimate"], r  # an upper bound, not wild


def test_expected_ties_match_the_generated_organization():
    sc = load_scenario("goal-led-communities", ["organization.employees=20000"])


    org = generate_organization(sc.organization, np.random.default_rng(1))
    assert abs(expected_ties(sc) / (org.indices.size // 2) - 1) < 0.05
    assert expected_ties(sc, org) == org.indices.size // 2


def test_a_default_run_fits_and_parallel_runs_are_limited_to_what_fits():
    sc = load_scenario("goal-led-communities")
    assert check_memory(sc, "auto") == run_bytes(sc, "auto") < 100 * 2**20
    room = available_bytes()
    assert fitting_workers(4, 1) == min(4, room // (1 + WORKER_BYTES))
    assert fitting_workers(8, room) == 1  # one run's worth of memory: one process
