"""Comparisons as the dashboard makes them: same scenarios, seeds and numbers as
`adoptsim compare`, through the same evaluator on warm workers that can be stopped."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from experiments import RunSpec, compare, execute
from experiments.comparison import (
    build_scenarios,
    import_organization,
    preview_organization,
    run_comparison,
)
from experiments.pool import Cancelled, WarmPool
from experiments.report import compare_json
from scenarios import load_scenario
from simulation import ConfigError

ADOPTSIM = str(Path(sys.executable).parent / "adoptsim")
PLANS = ["provide-and-pray", "goal-led-communities", "bootstrap"]
SETTINGS = {"weeks": 20, "organization.employees": 200, "conditions.trust": 0.45}


@pytest.fixture(scope="module")
def pool():
    with WarmPool(2) as p:
        yield p


def test_settings_are_applied_as_the_command_line_sets_them():
    built = build_scenarios(PLANS, SETTINGS, allow_late=True)
    cli = [load_scenario(p, ["weeks=20", "organization.employees=200",
                             "conditions.trust=0.45"], allow_late=True) for p in PLANS]
    assert [b.model_dump() for b in built] == [c.model_dump() for c in cli]


def test_a_bad_setting_names_the_plan_and_the_field():
    with pytest.raises(ConfigError) as e:
        build_scenarios(["bootstrap"], {"organization.employees": 5})
    assert "organization.employees" in str(e.value) and "bootstrap" in str(e.value)
    with pytest.raises(ConfigError, match="more than once"):
        build_scenarios(["bootstrap", "bootstrap"], {})
    with pytest.raises(ConfigError, match=r"bootstrap: plan\.\d \(launch_platform\) starts"):
        build_scenarios(["bootstrap"], {"weeks": 20})


def test_numbers_equal_the_command_line(tmp_path, pool):
    """The page's comparison (warm pool, numba) gives the JSON `adoptsim compare` prints."""
    out = tmp_path / "cli.json"
    proc = subprocess.run(
        [ADOPTSIM, "compare", *PLANS, "--replicates", "3", "--weeks", "20", "--employees",
         "200", "--set", "conditions.trust=0.45", "--seed", "7", "--json", str(out),
         "--allow-late-interventions"],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    with pool.job() as job:
        c = run_comparison(build_scenarios(PLANS, SETTINGS, allow_late=True), replicates=3, seed=7,
                           engine="numba", executor=job)
    assert compare_json(c.summaries, 7, 3) == json.loads(out.read_text())


def test_an_imported_org_chart_is_the_one_the_command_line_imports(tmp_path, pool):
    org_csv = tmp_path / "org.csv"
    rows = ["employee_id,manager_id,department", "ceo,,Board"]
    rows += [f"m{d},ceo,D{d}" for d in range(3)]
    rows += [f"e{d}_{i},m{d},D{d}" for d in range(3) for i in range(40)]
    org_csv.write_text("\n".join(rows) + "\n")
    scs = build_scenarios(["provide-and-pray", "bootstrap"], {"weeks": 20}, allow_late=True)
    org = import_organization(org_csv, None, scs[0], 11)
    assert preview_organization(scs[0], org).people == 124
    with pool.job() as job:
        c = run_comparison(scs, replicates=3, seed=11, organization=org, executor=job)
    direct = compare(scs, replicates=3, seed=11, organization=org, workers=1)
    assert [s.as_dict() for s in c.summaries] == [s.as_dict() for s in direct]


def test_a_stopped_job_frees_the_workers_within_a_week(pool):
    """Runs in progress stop at their next week, queued runs are dropped."""
    big = load_scenario("bootstrap", ["organization.employees=20000", "weeks=520"])
    specs = [RunSpec(big, s, "numba") for s in range(6)]
    stop = threading.Event()
    threading.Timer(1.0, stop.set).start()
    t0 = time.perf_counter()
    with pytest.raises(Cancelled):
        pool.run(lambda job: execute(specs, executor=job), stop=stop)
    stopped = time.perf_counter() - t0
    small = load_scenario("provide-and-pray", ["organization.employees=100", "weeks=5"])
    t1 = time.perf_counter()
    with pool.job() as job:
        execute([RunSpec(small, 1, "numba")] * 2, executor=job)
    free = time.perf_counter() - t1
    # one run of 20,000 x 520 weeks takes tens of seconds: both were stopped within a week
    assert stopped < 5 and free < 5, (stopped, free)


def test_stopping_one_job_leaves_another_running(pool):
    """Two sessions share the pool: the second job's runs, queued behind the first's, survive
    the first one's stop and give the numbers of an undisturbed run."""
    # the first job must still be running when it is stopped (0.5 s in): 40 runs of 5,000 x 104
    # take seconds even on a fast day (400 x 60 finished in time once the runs got faster)
    big = load_scenario("provide-and-pray", ["organization.employees=5000", "weeks=104"])
    sc = load_scenario("provide-and-pray", ["organization.employees=400", "weeks=60"])
    first = [RunSpec(big, s, "numba") for s in range(40)]
    second = [RunSpec(sc, s, "numba") for s in (101, 102, 103)]
    stop, outcome = threading.Event(), []

    def run_first() -> None:
        try:
            pool.run(lambda job: execute(first, executor=job), stop=stop)
            outcome.append("finished")
        except Cancelled:
            outcome.append("cancelled")

    thread = threading.Thread(target=run_first)
    thread.start()
    time.sleep(0.2)
    threading.Timer(0.3, stop.set).start()
    out = pool.run(lambda job: execute(second, executor=job))
    thread.join(60)
    assert outcome == ["cancelled"]
    assert [r.series for r in out] == [r.series for r in execute(second, workers=1)]


def test_a_finished_job_reports_progress_and_keeps_spec_order(pool):
    sc = load_scenario("provide-and-pray", ["organization.employees=120", "weeks=6"])
    specs = [RunSpec(sc, s, "numba") for s in (5, 1, 9, 3)]
    seen = []
    out = pool.run(lambda job: execute(specs, executor=job), progress=seen.append)
    assert seen and seen[-1] == 4 and seen == sorted(seen)
    again = execute(specs, workers=1)
    assert [r.series for r in out] == [r.series for r in again]
