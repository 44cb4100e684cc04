"""`adoptsim sweep --scheduler` and `adoptsim compare --scheduler`: a real `dask scheduler`
and two `dask worker` processes on 127.0.0.1, the command line in a subprocess, results equal
to local ones, and a worker killed in the middle of a sweep without losing or repeating a
run."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from experiments import compare
from experiments.report import compare_json, to_json
from experiments.sweep import load_sweep, run_sweep
from scenarios import load_scenario

pytestmark = pytest.mark.cluster
#: a hang guard, not a speed check: the test waits for conditions (the scheduler's file, the
#: workers, a stored part, the end of a command) however long a busy machine takes
HANG = 900

BIN = Path(sys.executable).parent
SPECS = Path(__file__).parent / "specs"  # shared with test_sweep.py
SMALL = (SPECS / "small.toml").read_text()
LONGER = (SPECS / "longer.toml").read_text()


def _start(cmd: list, log: Path) -> subprocess.Popen:
    # own session: one killpg reaches a worker's nanny and the worker under it
    return subprocess.Popen(
        [str(c) for c in cmd],
        stdout=open(log, "w"),  # noqa: SIM115 (closed with the process)
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(5)


@pytest.fixture
def cluster(tmp_path):
    """A scheduler and workers w1, w2 (1 thread each): (scheduler file, {name: Popen})."""
    sched_file = tmp_path / "scheduler.json"
    procs = {}
    try:
        procs["scheduler"] = _start(
            [BIN / "dask", "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
             "--scheduler-file", sched_file, "--idle-timeout", "300"],
            tmp_path / "scheduler.log",
        )  # fmt: skip
        while not sched_file.is_file():
            assert procs["scheduler"].poll() is None, (tmp_path / "scheduler.log").read_text()
            time.sleep(0.1)
        for name in ("w1", "w2"):
            procs[name] = _start(
                [BIN / "dask", "worker", "--scheduler-file", sched_file, "--name", name,
                 "--host", "127.0.0.1", "--nthreads", "1", "--no-dashboard",
                 "--memory-limit", "2GiB", "--death-timeout", "60",
                 "--local-directory", tmp_path / name],
                tmp_path / f"{name}.log",
            )  # fmt: skip
        _wait_for_workers(sched_file, 2)
        yield sched_file, procs
    finally:
        for p in procs.values():
            _stop(p)


def _wait_for_workers(sched_file: Path, n: int) -> None:
    from distributed import Client

    with Client(scheduler_file=str(sched_file), timeout="30s") as client:
        client.wait_for_workers(n, timeout=HANG)


def _sweep(spec: Path, out: Path, *extra) -> subprocess.Popen:
    env = {**os.environ, "ADOPTSIM_SWEEP_FLUSH_SECONDS": "0"}
    return subprocess.Popen(
        [str(BIN / "adoptsim"), "sweep", str(spec), "--out", str(out), *map(str, extra)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _results(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    res = load_sweep(out)
    return res.metrics.drop(columns=["build_s", "run_s"]), res.series


def _compare_on(sched_file: Path, out: Path) -> dict:
    """``adoptsim compare`` of two plans on the cluster: its JSON."""
    done = subprocess.run(
        [str(BIN / "adoptsim"), "compare", "provide-and-pray", "goal-led-communities",
         "--replicates", "3", "--employees", "200", "--weeks", "16", "--engine", "numba",
         "--seed", "5", "--scheduler", str(sched_file), "--json", str(out)],
        capture_output=True, text=True, timeout=HANG,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text())


@pytest.mark.timeout(HANG)
def test_dask_compare_and_sweep_equal_local_and_survive_a_killed_worker(cluster, tmp_path):
    sched_file, procs = cluster
    plans = [load_scenario(n, ["weeks=16", "organization.employees=200"])
             for n in ("provide-and-pray", "goal-led-communities")]
    local = compare_json(compare(plans, replicates=3, seed=5, engine="numba", workers=1), 5, 3)
    assert _compare_on(sched_file, tmp_path / "compare.json") == json.loads(to_json(local))

    small = tmp_path / "small.toml"
    small.write_text(SMALL)
    run_sweep(small, tmp_path / "local", workers=1)

    # by address (tcp://...), as one would pass a scheduler on another machine
    address = json.loads(sched_file.read_text())["address"]
    proc = _sweep(small, tmp_path / "dask", "--scheduler", address)
    _, err = proc.communicate()
    assert proc.returncode == 0, err
    manifest = json.loads((tmp_path / "dask" / "manifest.json").read_text())
    assert "Dask scheduler" in manifest["sessions"][0]["executor"]
    local, dask = _results(tmp_path / "local"), _results(tmp_path / "dask")
    pd.testing.assert_frame_equal(local[0], dask[0])
    pd.testing.assert_frame_equal(local[1], dask[1])

    # by scheduler file; lose worker w2 (nanny and worker at once) after the first results
    longer = tmp_path / "longer.toml"
    longer.write_text(LONGER)
    out = tmp_path / "lost-worker"
    proc = _sweep(longer, out, "--scheduler", sched_file)
    try:
        while len(list((out / "metrics").glob("part-*.parquet"))) < 2:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.05)
        _stop(procs["w2"], signal.SIGKILL)
        stored_at_loss = len(load_sweep(out, series=False).metrics)
        _, err = proc.communicate()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    metrics, series = _results(out)
    assert list(metrics["run_id"]) == list(range(24))  # every run, exactly once
    assert not series.duplicated(["run_id", "week"]).any() and len(series) == 24 * 16
    assert procs["w2"].poll() is not None and stored_at_loss < 24  # lost in the middle
    run_sweep(longer, tmp_path / "longer-local", workers=2)
    reference = _results(tmp_path / "longer-local")
    pd.testing.assert_frame_equal(reference[0], metrics)
    pd.testing.assert_frame_equal(reference[1], series)
