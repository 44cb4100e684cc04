"""The one execution layer every multi-run path uses (compare, the claim checks, sweeps,
validations): results in task order whatever the executor, a dead worker's tasks rerun."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from experiments import RunSpec, compare, replicate_seeds, run_all, run_one
from experiments.report import compare_json
from scenarios import load_scenario

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _scenario(name="provide-and-pray"):
    return load_scenario(name, ["organization.employees=200", "weeks=20"])


def test_a_dead_workers_task_is_rerun_and_nothing_is_lost(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(FIXTURES))  # spawned workers inherit sys.path
    import dying_task

    sc = _scenario()
    specs = [RunSpec(sc, s, "numba") for s in replicate_seeds(5, 6)]
    marker = tmp_path / "died"
    notes = []
    got = run_all(dying_task.run_or_die, [(str(marker), s) for s in specs], workers=2,
                  log=notes.append)
    assert marker.exists(), "no worker died: the test did not test the rerun"
    assert any("a worker process died" in n for n in notes), notes
    want = [run_one(s) for s in specs]
    assert [r.metrics for r in got] == [r.metrics for r in want]
    assert [r.series for r in got] == [r.series for r in want]


def test_compare_gives_the_same_result_in_process_on_processes_and_on_any_executor():
    plans = [_scenario("provide-and-pray"), _scenario("goal-led-communities")]

    def table(**how):
        return compare_json(compare(plans, replicates=3, seed=11, engine="numba", **how), 11, 3)

    alone = table(workers=1)
    assert table(workers=2) == alone
    with ThreadPoolExecutor(2) as pool:
        assert table(executor=pool) == alone
    assert alone["scenarios"][0]["name"] == "provide-and-pray"


def test_a_bad_run_fails_the_whole_call_with_its_error():
    from simulation import PlanError

    sc = load_scenario("provide-and-pray", ["organization.employees=200", "weeks=5",
                                            "plan.0.target.count=5000"])
    with pytest.raises(PlanError, match="exceeds"):
        run_all(run_one, [RunSpec(sc, 1, "numba")] * 2, workers=2)
