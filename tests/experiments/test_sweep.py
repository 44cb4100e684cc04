"""`adoptsim sweep`: spec validation, designs, Parquet outputs, seeds, resume, interruption."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
import pytest

from experiments import cli
from experiments.runner import RunSpec, replicate_seeds, run_one
from experiments.sweep import load_sweep, plan_sweep, run_sweep
from experiments.sweep_spec import load_spec, spec_from_dict
from scenarios import load_scenario
from simulation import STATES

ADOPTSIM = str(Path(sys.executable).parent / "adoptsim")
ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "experiments" / "examples"

SMALL = (Path(__file__).parent / "specs" / "small.toml").read_text()
LONGER = (Path(__file__).parent / "specs" / "longer.toml").read_text()
#: columns that hold times, not results
TIMES = ["build_s", "run_s"]


def write(tmp_path: Path, text: str, name: str = "spec.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def results(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    res = load_sweep(out)
    return res.metrics.drop(columns=TIMES), res.series


def assert_same(a: Path, b: Path) -> None:
    ma, sa = results(a)
    mb, sb = results(b)
    pd.testing.assert_frame_equal(ma, mb)
    pd.testing.assert_frame_equal(sa, sb)


def main_cli(monkeypatch, capsys, *args) -> tuple[int, str]:
    """`adoptsim ARGS` in this process (fast): exit code and standard error."""
    monkeypatch.setattr(sys, "argv", ["adoptsim", *map(str, args)])
    with pytest.raises(SystemExit) as exc:
        cli.main()
    code = exc.value.code if isinstance(exc.value.code, int) else 0
    return code, capsys.readouterr().err


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """SMALL run in this process: the results every other executor must reproduce."""
    tmp = tmp_path_factory.mktemp("reference")
    run_sweep(write(tmp, SMALL), tmp / "out", workers=1)
    return tmp / "out"


# -- spec validation through the command line -----------------------------------------------
BAD_SPECS = {
    "unknown key": ('replicate = 3\nscenario = "mandate"\n', ["replicate", "'replicates'"]),
    "bad design": ('scenario = "mandate"\ndesign = "random"\n', ["design = 'random'"]),
    "range in a grid": (
        'scenario = "mandate"\n[parameters]\n"conditions.trust" = { low = 0.1, high = 0.5 }\n',
        ['parameters."conditions.trust"', "sampled design", "list the values"],
    ),
    "unknown parameter path": (
        'scenario = "mandate"\n[parameters]\n"organization.employes" = [100, 200]\n',
        ["organization.employes", "unknown field", "'employees'"],
    ),
    "bad parameter value": (
        'scenario = "mandate"\n[parameters]\n"organization.employees" = [100, 5]\n',
        ['parameters."organization.employees" = 5', "greater than or equal to 10", "[10, "],
    ),
    "bad range bound": (
        'scenario = "mandate"\ndesign = "lhs"\nsamples = 4\n'
        '[parameters]\n"conditions.trust" = { low = 0.5, high = 1.5 }\n',
        ['parameters."conditions.trust" = 1.5', "outside the allowed range"],
    ),
    "samples missing": (
        'scenario = "mandate"\ndesign = "lhs"\n[parameters]\n"weeks" = { low = 10, high = 20 }\n',
        ["samples", "needs samples = N"],
    ),
    "sobol not a power of two": (
        'scenario = "mandate"\ndesign = "sobol"\nsamples = 10\n'
        '[parameters]\n"weeks" = { low = 10, high = 20 }\n',
        ["samples = 10", "power of two", "8 or 16"],
    ),
    "scalar parameter": (
        'scenario = "mandate"\n[parameters]\n"weeks" = 20\n',
        ["parameters.weeks: 20 is neither a list", "[20]"],
    ),
    "organization too small for its departments": (
        'scenario = "mandate"\n[parameters]\n"organization.employees" = [200, 10]\n'
        '"organization.departments" = [8]\n',
        ["design point 1", "organization.employees = 10 is too small", "at least 17"],
    ),
    "unknown scenario": ('scenario = "mandat"\n', ["scenario", "Did you mean 'mandate'"]),
    "not TOML": ('scenario = "mandate\n', ["not valid TOML"]),
}


@pytest.mark.parametrize("case", list(BAD_SPECS))
def test_bad_spec_exits_2_naming_file_and_field(case, tmp_path, monkeypatch, capsys):
    text, fragments = BAD_SPECS[case]
    spec = write(tmp_path, text, "my-sweep.toml")
    code, err = main_cli(monkeypatch, capsys, "sweep", spec, "--out", tmp_path / "out")
    assert code == 2, err
    assert "Traceback" not in err
    assert "my-sweep.toml" in err
    flat = " ".join(err.split())  # rich wraps long lines
    for f in fragments:
        assert f in flat, flat
    assert not (tmp_path / "out").exists()  # nothing written for bad input


#: text and booleans where a sweep spec wants numbers or booleans: (TOML lines, the message's
#: line), worded and quoted as the scenario language's messages are ('text', true)
WRONG_TYPES = {
    "text replicates": ('replicates = "three"',
                        "replicates = 'three': text is not a number here; give a whole number "
                        "without quotes"),
    "text weeks": ('weeks = "10"', "weeks = '10': text is not a number here; give a whole "
                   "number without quotes"),
    "text seed": ('seed = "7"', "seed = '7': text is not a number here"),
    "boolean samples": ('design = "lhs"\nsamples = true',
                        "samples = true: a boolean is not a number here; give a whole number"),
    "text second_order": ('second_order = "yes"',
                          "second_order = 'yes': text is not a boolean here; give true or false "
                          "without quotes"),
    "text parameter": ('[parameters]\nweeks = "ten"',
                       "parameters.weeks: 'ten' is neither a list of values nor a range: write "
                       '["ten"]'),
    "boolean parameter": ('[parameters]\nweeks = true',
                          "parameters.weeks: true is neither a list of values nor a range: "
                          "write [true]"),
    "text range bound": ('design = "lhs"\nsamples = 4\n[parameters]\n'
                         '"conditions.trust" = { low = "0.1", high = 0.5 }',
                         "parameters.\"conditions.trust\": low = '0.1': text is not a number "
                         "here; give a number without quotes"),
    "boolean range bound": ('design = "lhs"\nsamples = 4\n[parameters]\n'
                            '"conditions.trust" = { low = 0.1, high = true }',
                            'parameters."conditions.trust": high = true: a boolean is not a '
                            "number here; give a number"),
    "text integer flag": ('design = "lhs"\nsamples = 4\n[parameters]\n'
                          'weeks = { low = 2, high = 9, integer = "yes" }',
                          "parameters.weeks: integer = 'yes': text is not a boolean here; give "
                          "true or false without quotes"),
    "text in a list of values": ('[parameters]\n"organization.employees" = ["300"]',
                                 'parameters."organization.employees" = \'300\' (scenario '
                                 "mandate)"),
}


@pytest.mark.parametrize("case", list(WRONG_TYPES))
def test_wrong_types_in_a_spec_are_worded_as_in_scenarios(case, tmp_path, monkeypatch, capsys):
    """File, field and value in every message, the value quoted as the scenario language's
    messages quote it, and the same words for the same mistake (never pydantic's "Input
    should be a valid integer")."""
    lines, expected = WRONG_TYPES[case]
    spec = write(tmp_path, f'scenario = "mandate"\n{lines}\n', "typed.toml")
    code, err = main_cli(monkeypatch, capsys, "sweep", spec, "--out", tmp_path / "out")
    flat = " ".join(err.split())
    assert code == 2 and "Traceback" not in err, err
    assert flat.startswith(f"error: {spec}:") and expected in flat, flat
    assert "Input should be" not in flat and "True" not in flat, flat


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["--engine", "fast"], "--engine 'fast'"),
        (["--workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "exclude each other"),
    ],
)
def test_bad_options_exit_2(args, fragment, tmp_path, monkeypatch, capsys):
    spec = write(tmp_path, SMALL)
    code, err = main_cli(monkeypatch, capsys, "sweep", spec, "--out", tmp_path / "o", *args)
    assert code == 2 and fragment in err and "Traceback" not in err


def test_missing_spec_file_exits_2(tmp_path, monkeypatch, capsys):
    code, err = main_cli(monkeypatch, capsys, "sweep", tmp_path / "nope.toml", "--out", tmp_path)
    assert code == 2 and "nope.toml: no such sweep spec file" in err


# -- designs ---------------------------------------------------------------------------------
def spec(design: str, samples: int | None = None, seed: int = 1, **extra):
    data = {
        "scenario": "goal-led-communities",
        "weeks": 10,
        "seed": seed,
        "design": design,
        "parameters": {
            "organization.employees": {"low": 100, "high": 200},  # an int field: whole numbers
            "conditions.trust": {"low": 0.2, "high": 0.6},
            "conditions.critics": [0.0, 0.05, 0.1],  # sampled as one of these values
            "organization.departments": [4],  # one value: a constant
        },
        **extra,
    }
    if samples is not None:
        data["samples"] = samples
    return spec_from_dict(data)


def test_grid_is_the_full_factorial_in_written_order():
    s = spec_from_dict(
        {
            "scenario": "mandate",
            "parameters": {
                "organization.employees": [100, 200],
                "conditions.trust": [0.2, 0.4, 0.6],
            },
        }
    )
    d = plan_sweep(s).design
    assert d.names == ("organization.employees", "conditions.trust")
    assert d.points == [(100, 0.2), (100, 0.4), (100, 0.6), (200, 0.2), (200, 0.4), (200, 0.6)]


@pytest.mark.parametrize(
    "design, samples, extra, n_points",
    [
        ("lhs", 12, {}, 12),
        ("sobol", 8, {}, 8 * (2 * 3 + 2)),  # Saltelli: N (2D + 2), D = 3 factors
        ("sobol", 8, {"second_order": False}, 8 * (3 + 2)),
        ("morris", 5, {}, 5 * (3 + 1)),  # N trajectories of D + 1 points
        ("morris", 5, {"levels": 6}, 5 * (3 + 1)),
    ],
)
def test_sampled_designs_sizes_bounds_and_reproducibility(design, samples, extra, n_points):
    d = plan_sweep(spec(design, samples, **extra)).design
    assert d.n_points == n_points and len(d.sample) == n_points
    assert d.problem["names"] == [
        "organization.employees",
        "conditions.trust",
        "conditions.critics",
    ]
    employees, trust, critics, departments = zip(*d.points, strict=True)
    assert all(isinstance(e, int) and 100 <= e <= 200 for e in employees)
    assert all(isinstance(t, float) and 0.2 <= t <= 0.6 for t in trust)
    assert set(critics) <= {0.0, 0.05, 0.1} and len(set(critics)) > 1
    assert set(departments) == {4}
    assert plan_sweep(spec(design, samples, **extra)).design.points == d.points  # same seed
    assert plan_sweep(spec(design, samples, seed=2, **extra)).design.points != d.points


def test_lhs_puts_one_point_in_each_stratum():
    n = 16
    d = plan_sweep(spec("lhs", n)).design
    trust = np.array([p[1] for p in d.points])
    strata = np.floor((trust - 0.2) / 0.4 * n).astype(int)
    assert sorted(strata) == list(range(n))


def test_morris_steps_change_one_factor_at_a_time():
    d = plan_sweep(spec("morris", 3)).design
    x = np.array(d.sample)
    for t in range(3):
        steps = np.diff(x[t * 4 : (t + 1) * 4], axis=0)
        assert ((steps != 0).sum(axis=1) == 1).all()


# -- outputs ---------------------------------------------------------------------------------
def test_parquet_rows_columns_and_values_equal_direct_runs(reference):
    res = load_sweep(reference)
    m, s = res.metrics, res.series
    assert list(m["run_id"]) == list(range(12))
    assert list(m.columns[:8]) == [
        "run_id",
        "point",
        "replicate",
        "seed",
        "scenario",
        "engine",
        "organization.employees",
        "conditions.trust",
    ]
    for col in (
        "success",
        "final_share.engaged",
        "rogers.laggards",
        "weeks_to_50",
        "roi",
        "drawn.trust",
        "value",
        "cost",
    ):
        assert col in m.columns, col
    assert list(s.columns) == ["run_id", "week", *STATES, "signups"]
    assert len(s) == 12 * 13 and (s.groupby("run_id").size() == 13).all()  # weeks 0..12
    seeds = replicate_seeds(11, 3)
    assert list(m["seed"]) == seeds * 4  # replicate r has the same seed at every point
    assert list(m["point"]) == [p for p in range(4) for _ in range(3)]
    assert list(res.design["organization.employees"]) == [120, 120, 160, 160]
    for run_id in (0, 7, 11):
        row = m.iloc[run_id]
        sc = load_scenario(
            "goal-led-communities",
            [
                "weeks=12",
                f"organization.employees={row['organization.employees']}",
                f"conditions.trust={row['conditions.trust']}",
            ],
        )
        direct = run_one(RunSpec(sc, int(row["seed"]), row["engine"]))
        assert row["success"] == direct.success
        assert row["active_share"] == direct.metrics["active_share"]
        assert row["final_share.engaged"] == direct.metrics["final_share"]["engaged"]
        assert row["rogers.early_majority"] == direct.metrics["rogers"]["early_majority"]
        assert row["drawn.critics"] == direct.conditions["critics"]
        w50 = direct.metrics["weeks_to_50"]
        assert (math.isnan(row["weeks_to_50"]) and w50 is None) or row["weeks_to_50"] == w50
        weekly = s[s["run_id"] == run_id]
        for st in (*STATES, "signups"):
            assert weekly[st].tolist() == direct.series[st], st


def test_manifest_records_spec_design_seeds_versions_and_status(reference):
    m = json.loads((reference / "manifest.json").read_text())
    assert m["status"] == "complete" and m["runs"] == {"total": 12, "stored": 12, "failed": 0}
    assert m["spec"]["parameters"]["conditions.trust"] == [0.3, 0.6]
    assert m["seeds"] == replicate_seeds(11, 3)
    assert m["design"]["points"]["conditions.trust"] == [0.3, 0.6, 0.3, 0.6]
    assert {"adoptsim", "python", "numpy", "numba", "mesa"} <= set(m["versions"])
    assert m["started"] and m["ended"] and len(m["sessions"]) == 1


def test_two_local_processes_give_the_same_results_as_one(reference, tmp_path):
    report = run_sweep(write(tmp_path, SMALL), tmp_path / "out", workers=2)
    assert report.status == "complete" and report.new == 12
    assert "2 local processes" in report.executor
    assert_same(reference, tmp_path / "out")


def test_a_sampled_design_with_two_scenarios_runs_and_reads_back(tmp_path):
    text = """
scenario = ["provide-and-pray", "goal-led-communities"]
weeks = 8
replicates = 2
design = "lhs"
samples = 3
engine = "numba"
[parameters]
"organization.employees" = [100]
"conditions.trust" = { low = 0.2, high = 0.6 }
"""
    report = run_sweep(write(tmp_path, text), tmp_path / "out", workers=1)
    m = load_sweep(tmp_path / "out").metrics
    assert report.total == len(m) == 2 * 3 * 2
    assert list(m["scenario"][:6]) == ["provide-and-pray"] * 6
    assert set(m["engine"]) == {"numba"}
    same_point = m.groupby(["point", "replicate"])["conditions.trust"].nunique()
    assert (same_point == 1).all()  # both scenarios meet the same design points


# -- resume, interruption, refusing to overwrite ---------------------------------------------
def test_resume_after_losing_parts_runs_only_the_rest_and_equals_the_full_sweep(
    reference, tmp_path
):
    out = tmp_path / "out"
    run_sweep(write(tmp_path, SMALL), out, workers=1, flush_seconds=0)  # one part per run
    parts = sorted((out / "metrics").glob("part-*.parquet"))
    assert len(parts) == 12
    for p in parts[3:8]:  # as if the sweep had stopped before writing these
        p.unlink()
    # an interrupted write: a series half without its metrics half, and a temporary file
    (out / "series" / parts[3].name).rename(out / "series" / "part-009-000000.parquet")
    (out / "metrics" / ".part-009-000001.parquet.tmp").write_bytes(b"half")
    report = run_sweep(write(tmp_path, SMALL), out, resume=True, workers=1)
    assert report.new == 5 and report.stored == 12 and report.status == "complete"
    assert (
        not list((out / "metrics").glob(".*"))
        and not (out / "series" / "part-009-000000.parquet").exists()
    )
    assert_same(reference, out)
    again = run_sweep(write(tmp_path, SMALL), out, resume=True, workers=1)
    assert again.new == 0 and len(load_sweep(out).metrics) == 12


def test_refuses_a_non_empty_directory_and_a_changed_spec(reference, tmp_path, monkeypatch, capsys):
    spec = write(tmp_path, SMALL)
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    code, err = main_cli(monkeypatch, capsys, "sweep", spec, "--out", tmp_path / "busy")
    assert code == 2 and "not empty" in err
    code, err = main_cli(monkeypatch, capsys, "sweep", spec, "--out", reference)
    assert code == 2 and "--resume" in err
    changed = write(tmp_path, SMALL.replace("replicates = 3", "replicates = 4"), "other.toml")
    code, err = main_cli(monkeypatch, capsys, "sweep", changed, "--out", reference, "--resume")
    assert code == 2 and "replicates" in err and "differs" in err
    assert len(load_sweep(reference).metrics) == 12  # untouched


def test_engine_option_overrides_the_spec_and_is_recorded(tmp_path, monkeypatch, capsys):
    spec = write(tmp_path, SMALL)  # engine "auto": agents for runs this small
    out = tmp_path / "out"
    code, err = main_cli(
        monkeypatch, capsys, "sweep", spec, "--out", out, "--workers", "1", "--engine", "numba"
    )
    assert code == 0, err
    m = json.loads((out / "manifest.json").read_text())
    assert m["engine"] == {"spec": "auto", "requested": "numba", "resolved": ["numba"]}
    assert set(load_sweep(out).metrics["engine"]) == {"numba"}
    code, err = main_cli(
        monkeypatch, capsys, "sweep", spec, "--out", out, "--resume", "--engine", "agents"
    )
    assert code == 2 and "--engine numba" in err


def _start(spec: Path, out: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "ADOPTSIM_SWEEP_FLUSH_SECONDS": "0"}  # write every run at once
    return subprocess.Popen(
        [ADOPTSIM, "sweep", str(spec), "--out", str(out), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # its own process group, like a terminal's job
    )


#: a hang guard, not a speed check: these tests wait for conditions (a part stored, the
#: process gone), however long a busy machine takes; only a sweep that never gets there fails
HANG = 900


def _wait_for_parts(out: Path, proc: subprocess.Popen, n: int = 1) -> None:
    """Until ``n`` runs are stored (or the sweep ends before: a failure)."""
    while len(list((out / "metrics").glob("part-*.parquet"))) < n:
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)


def _disturbed(spec: Path, out: Path, disturb) -> tuple[int, str]:
    """Run the CLI sweep on 2 local workers, call ``disturb(proc)`` once a run is stored,
    wait for the end: (exit code, stderr). The process group is killed if the test ends
    first (a failure, or pytest-timeout's hang guard)."""
    proc = _start(spec, out, "--workers", "2")
    try:
        _wait_for_parts(out, proc)
        disturb(proc)
        _, err = proc.communicate()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    return proc.returncode, err


def _check_complete(out: Path, spec: Path, run_ids: list[int]) -> None:
    m, s = results(out)
    assert list(m["run_id"]) == list(range(24))  # every run, once
    assert len(s) == 24 * 16 and not s.duplicated(["run_id", "week"]).any()
    sc = load_spec(spec)
    for run_id in run_ids:  # spot checks against direct runs
        row = m.iloc[run_id]
        scenario = load_scenario(
            sc.scenarios[0], ["weeks=15", f"organization.employees={row['organization.employees']}"]
        )
        direct = run_one(RunSpec(scenario, int(row["seed"]), "agents"))
        assert row["active_share"] == direct.metrics["active_share"]
        assert s[s["run_id"] == run_id]["engaged"].tolist() == direct.series["engaged"]


@pytest.mark.timeout(HANG)
def test_ctrl_c_keeps_finished_runs_and_resume_completes(tmp_path):
    spec, out = write(tmp_path, LONGER), tmp_path / "out"
    # Ctrl-C reaches the whole process group
    code, err = _disturbed(spec, out, lambda p: os.killpg(p.pid, signal.SIGINT))
    assert code == 130, err
    assert "Traceback" not in err and "--resume" in err
    manifest = json.loads((out / "manifest.json").read_text())
    stored = manifest["runs"]["stored"]
    assert manifest["status"] == "interrupted" and 0 < stored < 24
    first = {p.name: p.read_bytes() for p in (out / "metrics").glob("part-*")}
    assert len(load_sweep(out).metrics) == stored
    done = subprocess.run(
        [ADOPTSIM, "sweep", str(spec), "--out", str(out), "--resume", "--workers", "2"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert f"resuming: {stored} of 24 runs" in done.stderr
    assert all((out / "metrics" / n).read_bytes() == b for n, b in first.items())  # kept as is
    _check_complete(out, spec, [0, 23])


@pytest.mark.timeout(HANG)
def test_a_killed_local_worker_process_loses_no_run(tmp_path):
    spec, out = write(tmp_path, LONGER), tmp_path / "out"

    def kill_a_worker(proc):
        workers = [
            p
            for p in psutil.Process(proc.pid).children(recursive=True)
            if "spawn_main" in " ".join(p.cmdline())
        ]
        assert workers, "no worker process found"
        workers[0].kill()

    code, err = _disturbed(spec, out, kill_a_worker)
    assert code == 0, err
    assert "a worker process died" in err and "go to a new pool" in err
    _check_complete(out, spec, [5, 17])


def test_example_specs_and_the_specs_in_the_docs_are_valid():
    for path in sorted(EXAMPLES.glob("*.toml")):
        plan = plan_sweep(load_spec(path))
        assert plan.total > 0, path
    for doc in ("README.md", "docs/SWEEPS.md"):
        text = (ROOT / doc).read_text()
        block = text.split("```toml\n", 1)[1].split("```", 1)[0]
        assert plan_sweep(spec_from_dict(tomllib.loads(block), doc)).total > 0, doc


#: the spec of ../shared/DESIGN.md section 7, as written there
DESIGN_SPEC = """
scenario = "goal-led-communities"   # built-in name or path
weeks = 52
replicates = 4
seed = 2026
design = "grid"                     # grid | lhs | sobol | morris
samples = 16                        # for lhs / sobol / morris
engine = "auto"
[parameters]                        # dotted scenario paths
"organization.employees" = [200, 400]          # a list: these values
# "some.rate" = { low = 0.1, high = 0.5 }      # a range: sampled by the design
"""


def test_the_design_documents_spec_is_valid():
    plan = plan_sweep(spec_from_dict(tomllib.loads(DESIGN_SPEC)))
    assert plan.design.points == [(200,), (400,)] and plan.total == 8


def test_a_scenario_file_beside_the_spec_and_a_changed_one_on_resume(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "study"
    folder.mkdir()
    text = (ROOT / "scenarios" / "library" / "mandate.toml").read_text()
    text = text.replace('name = "mandate"', 'name = "my-plan"')
    (folder / "my-plan.toml").write_text(text)
    spec = write(
        folder,
        'scenario = "my-plan.toml"\nweeks = 4\n[parameters]\n"organization.employees" = [100]\n',
    )
    monkeypatch.chdir(tmp_path)  # the path is relative to the spec, not to the working folder
    code, err = main_cli(monkeypatch, capsys, "sweep", spec, "--out", "out", "--workers", "1")
    assert code == 0, err
    assert load_sweep(tmp_path / "out").metrics["scenario"].tolist() == ["my-plan"]
    (folder / "my-plan.toml").write_text(text + "\n[conditions]\ntrust = 0.9\n")
    code, err = main_cli(monkeypatch, capsys, "sweep", spec, "--out", "out", "--resume")
    assert code == 2 and "changed since the sweep" in " ".join(err.split())
