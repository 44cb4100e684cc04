"""Worker processes die with the command that started them (SIGKILL included), and Ctrl-C in
``compare`` says what had finished and how to get it."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

ADOPTSIM = str(Path(sys.executable).parent / "adoptsim")
#: long enough to be killed in the middle (agents engine, about 0.3 s a run)
SPEC = """scenario = "goal-led-communities"
weeks = 15
replicates = 40
seed = 5
engine = "agents"
[parameters]
"organization.employees" = [300, 320]
"""
COMPARE = ["compare", "provide-and-pray", "mandate", "--replicates", "30", "--employees", "300",
           "--weeks", "20", "--engine", "agents", "--seed", "3"]


def _start(*args: str) -> subprocess.Popen:
    env = {**os.environ, "ADOPTSIM_SWEEP_FLUSH_SECONDS": "0"}
    return subprocess.Popen([ADOPTSIM, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, start_new_session=True)


def _initialised(p: psutil.Process) -> bool:
    """Whether a worker's initialiser has run: its last step starts numba's thread pool, so the
    pool's library is mapped (the parent watch starts before it)."""
    pools = ("omppool", "tbbpool", "workqueue")
    try:
        return any(any(x in m.path for x in pools) for m in p.memory_maps())
    except psutil.Error:
        return False


def _workers(proc: subprocess.Popen, n: int, timeout: float = 120) -> list[psutil.Process]:
    """The command's ``n`` worker processes, once their initialisers have run (before that,
    a worker still importing its libraries cannot yet watch its parent)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        found = [p for p in psutil.Process(proc.pid).children()
                 if "spawn_main" in " ".join(p.cmdline())]
        if len(found) >= n and all(_initialised(p) for p in found):
            return found
        time.sleep(0.2)
    raise AssertionError("the worker processes did not start in time")


def _gone(procs: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """Those of ``procs`` still running (not exited, not a zombie) after ``timeout``."""
    _, alive = psutil.wait_procs(procs, timeout=timeout)
    return [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]


def _kill_main_and_check(proc: subprocess.Popen, workers: list[psutil.Process]) -> None:
    try:
        proc.kill()  # SIGKILL: the parent runs no clean-up at all
        proc.wait(10)
        alive = _gone(workers, timeout=10)
        assert not alive, f"workers still running 10 s after their parent died: {alive}"
    finally:
        for p in workers:  # never leave a worker behind, even when the test fails
            if p.is_running():
                p.kill()
        proc.communicate()


@pytest.mark.timeout(180)
def test_sigkilled_sweep_takes_its_workers_with_it(tmp_path):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC)
    proc = _start("sweep", str(spec), "--out", str(tmp_path / "out"), "--workers", "2")
    _kill_main_and_check(proc, _workers(proc, 2))


@pytest.mark.timeout(180)
def test_sigkilled_compare_takes_its_workers_with_it():
    proc = _start(*COMPARE, "--workers", "2")
    _kill_main_and_check(proc, _workers(proc, 2))


@pytest.mark.timeout(240)
def test_ctrl_c_in_compare_says_what_finished_and_how_to_get_it(tmp_path):
    # one process runs the replicates in order: all of "quick" (4 weeks), then "slow" (60
    # weeks, about 1.4 s of CPU a run), so Ctrl-C after 10 s of CPU (start-up about 2 s,
    # "quick" about 1.5 s) lands in the middle of "slow", however busy the machine is
    for name, weeks in (("quick", 4), ("slow", 60)):
        (tmp_path / f"{name}.toml").write_text(
            f'name = "{name}"\nweeks = {weeks}\n[[plan]]\ntype = "launch_platform"\n')
    out = tmp_path / "c.json"
    proc = _start("compare", str(tmp_path / "quick.toml"), str(tmp_path / "slow.toml"),
                  "--replicates", "30", "--employees", "300", "--engine", "agents",
                  "--workers", "1", "--json", str(out))
    ps = psutil.Process(proc.pid)
    while sum(ps.cpu_times()[:2]) < 10:
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the terminal's process group
    stdout, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "interrupted after" in err and "of 60 runs" in err
    assert "quick 30 of 30" in err and f"Nothing was written to --json {out}" in err
    assert not out.exists()
    line = next(x for x in err.splitlines() if x.strip().startswith("adoptsim compare"))
    k = int(line.split("--replicates")[-1])
    assert 1 <= k < 30 and f"slow {k} of 30" in err
    assert f"{k} replicate organizations per scenario" in stdout  # the partial comparison
    again = subprocess.run([ADOPTSIM, *shlex.split(line)[1:]], capture_output=True, text=True,
                           timeout=300)
    assert again.returncode == 0, again.stderr  # the command it gives writes those results
    assert json.loads(out.read_text())["replicates"] == k


def test_ctrl_c_while_the_command_line_loads_exits_quietly():
    """Ctrl-C before the CLI has finished importing numpy, numba, pandas and Mesa: exit 130 and
    one line, no traceback from the middle of an import (the console script lives outside the
    packages, whose import is the slow part)."""
    proc = subprocess.Popen([ADOPTSIM, "run", "mandate", "--weeks", "3"], text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    ps = psutil.Process(proc.pid)
    # Python is up and importing (the imports take well over a second of CPU time)
    while proc.poll() is None and sum(ps.cpu_times()[:2]) < 0.15:
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and err.strip() == "interrupted: nothing was written", err
    assert out == ""
