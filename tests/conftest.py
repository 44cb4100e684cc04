"""Shared fixtures. Slow, browser and cluster tests are marked and still run in CI.

The whole suite runs on two processes (``scripts/test.sh``: pytest-xdist, ``-n 2 --dist
loadfile``): each test file runs whole on one process, so a module-scoped fixture (a claims
run, a sweep, a classroom game) is built once, and a process that runs browser tests starts
one dashboard server (a session fixture) for all of them. Files with slow, browser or
cluster tests are handed out first; numba's kernels are compiled once, before the processes
start, rather than by both at once.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from simulation import ModelConfig, OrganizationConfig, generate_organization

#: what each warm-up process runs (``python -c``): for each argument RULE[:int64], a short
#: mandate run of that rule on the numba engine; with ``:int64``, exposure sums in int64 from
#: the start, the variants the kernels take once a sum could overflow int32
#: (tests/simulation/test_engines.py's overflow test)
_WARM = """
import sys
from scenarios import load_scenario
from simulation import AdoptionModel
for case in sys.argv[1:]:
    rule, _, sums = case.partition(":")
    sc = load_scenario("mandate", [f"rule={rule}", "weeks=2", "organization.employees=100"])
    m = AdoptionModel(sc, rng=1, engine="numba")
    if sums == "int64":
        m.engine.influence_cap = -1
    m.run()
    assert sums != "int64" or m.engine.X.dtype.name == "int64", case
"""


def _warm_numba() -> None:
    """Compile the model's numba kernels once (the social-business rule's, a classic rule's,
    and the int64 variants) into numba's on-disk cache, so that the test processes load them
    instead of each compiling them at the same time. Two processes share the work (numba
    writes each cache file whole: a process reads a complete one or compiles its own)."""
    root = Path(__file__).resolve().parent.parent
    procs = [subprocess.Popen([sys.executable, "-c", _WARM, *cases], cwd=root,
                              stderr=subprocess.PIPE, text=True)
             for cases in (["social-business"], ["threshold", "social-business:int64"])]
    errors = [err for p, err in [(p, p.communicate()[1]) for p in procs] if p.returncode]
    if errors:
        raise RuntimeError("compiling the numba kernels failed:\n" + "\n".join(errors))


#: marks of long tests: their files are handed out first (the most long tests first: the
#: claims' module), so that the last file to finish on one process is a short one rather than
#: the claims or a browser file. pytest-xdist keeps this order only with
#: ``--no-loadscope-reorder`` (scripts/test.sh); by default it hands out files by their
#: number of tests.
_LONG = ("slow", "browser", "cluster")


def pytest_collection_modifyitems(config, items):
    files: dict[str, list[pytest.Item]] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::")[0], []).append(item)
    long_first = sorted(files.values(), key=lambda tests: -sum(
        any(t.get_closest_marker(m) for m in _LONG) for t in tests))  # stable: else as collected
    items[:] = [t for tests in long_first for t in tests]


def pytest_configure(config):
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        _warm_numba()  # the controller, before it starts the test processes
    if hasattr(config, "workerinput") and signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        # pytest-xdist's test processes ignore SIGINT, and a command they start inherits
        # that: the Ctrl-C tests' commands would never see their Ctrl-C. Commands start with
        # Python's own handling of it, as from a terminal.
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(scope="module")
def process_pool():
    """Two local processes (``experiments.executors.local_pool``) for every run of a test
    module that asks for it: one pool per module, as a pool's processes take seconds to start."""
    from experiments.executors import local_pool

    pool = local_pool(2)
    yield pool
    pool.shutdown()


@pytest.fixture(scope="session")
def default_org():
    """The default 1,000-employee organization (seeded)."""
    return generate_organization(OrganizationConfig(), np.random.default_rng(12345))


@pytest.fixture
def small_config():
    return ModelConfig(weeks=30, organization=OrganizationConfig(employees=300))


def _assert_user_error(proc, *fragments):
    """A command that failed on bad input: exit 2, no traceback, and ``fragments`` (what and
    where) in its message on stderr."""
    assert proc.returncode == 2, proc.stderr + proc.stdout
    assert "Traceback" not in proc.stderr + proc.stdout
    for f in fragments:
        assert f in proc.stderr, proc.stderr


def _assert_engines_identical(cfg, seed: int):
    """Run ``cfg`` on both engines from ``seed`` and compare them state for state, every week
    (states, communities, trust, mastery, head counts, first adoptions, sign-ups, each person's
    moves and lapses); returns the two models."""
    from simulation import AdoptionModel

    a = AdoptionModel(cfg, rng=seed, engine="agents")
    b = AdoptionModel(cfg, rng=seed, engine="numba")
    moved = 0
    for week in range(cfg.weeks):
        a.step()
        b.step()
        pa, pb = a.people, b.people
        assert np.array_equal(pa.state, pb.state), f"state differs in week {week + 1}"
        assert np.array_equal(pa.community, pb.community), f"community, week {week + 1}"
        assert np.array_equal(pa.trust, pb.trust), f"trust differs in week {week + 1}"
        assert np.array_equal(pa.mastery, pb.mastery), f"mastery differs in week {week + 1}"
        assert np.array_equal(a.aggregates.by_role, b.aggregates.by_role)
        assert np.array_equal(a.aggregates.by_dept, b.aggregates.by_dept)
        assert np.array_equal(a.aggregates.comm, b.aggregates.comm)
        assert np.array_equal(a.adopted_week, b.adopted_week)
        assert np.array_equal(pa.moves, pb.moves), f"moves differ in week {week + 1}"
        assert np.array_equal(pa.lapses, pb.lapses), f"lapses differ in week {week + 1}"
        assert (a.signups, a.adoptions.tolist()) == (b.signups, b.adoptions.tolist())
        moved += int((pa.state > 0).sum())
    assert moved > 0  # the comparison covered real dynamics
    return a, b


@pytest.fixture
def assert_engines_identical():
    """:func:`_assert_engines_identical`: the engine identity check."""
    return _assert_engines_identical


@pytest.fixture
def assert_user_error():
    """:func:`_assert_user_error`, for tests of the command line."""
    return _assert_user_error


@pytest.fixture
def adoptsim_cli(monkeypatch, capsys):
    """``adoptsim ARGS`` run in this process (fast): returns (exit code, stdout, stderr)."""
    import sys

    from experiments import cli

    def run(*args) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["adoptsim", *map(str, args)])
        with pytest.raises(SystemExit) as exc:
            cli.main()
        code = exc.value.code if isinstance(exc.value.code, int) else 0
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
