"""The command line as a user meets it: the installed `adoptsim` script in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from simulation import ROLES, STATES

ADOPTSIM = str(Path(sys.executable).parent / "adoptsim")
SMALL = ["--employees", "300", "--weeks", "30"]


def cli(*args, cwd=None):
    return subprocess.run(
        [ADOPTSIM, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=600
    )



def test_run_json_has_exactly_the_documented_shape(tmp_path):
    out = tmp_path / "out.json"
    proc = cli("run", "provide-and-pray", "--json", out)
    assert proc.returncode == 0, proc.stderr
    d = json.loads(out.read_text())
    assert set(d) == {
        "scenario",
        "seed",
        "engine",
        "weeks",
        "n_employees",
        "success",
        "metrics",
        "series",
        "by_role",
        "timing",
    }
    assert d["scenario"] == "provide-and-pray" and d["weeks"] == 104
    assert d["n_employees"] == 1000 and isinstance(d["success"], bool)
    assert set(d["series"]) == {"week", *STATES}
    assert d["series"]["week"] == list(range(105))  # week 0 included
    assert all(len(d["series"][s]) == 105 for s in STATES)
    assert all(sum(d["series"][s][w] for s in STATES) == 1000 for w in range(105))
    assert set(d["by_role"]) == set(ROLES)
    assert all(set(v) == set(STATES) and len(v["aware"]) == 105 for v in d["by_role"].values())
    assert set(d["timing"]) == {"build_s", "run_s"}
    for key in (
        "weeks_to_10",
        "weeks_to_25",
        "weeks_to_50",
        "value",
        "cost",
        "roi",
        "hours_saved",
        "hours_saved_meetings",
        "hours_saved_reuse",
        "hours_saved_cross_department_reuse",
        "engagement_depth",
        "lapse_rate",
        "rogers",
    ):
        assert key in d["metrics"]


def test_run_writes_tables_and_plot_and_json_to_stdout(tmp_path):
    proc = cli(
        "run",
        "goal-led-communities",
        *SMALL,
        "--seed",
        5,
        "--engine",
        "numba",
        "--out",
        tmp_path / "r",
        "--json",
        "-",
    )
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)  # the table went to stderr, stdout is pure JSON
    assert d["engine"] == "numba" and d["seed"] == 5
    for f in ("series.csv", "by_role.csv", "by_department.csv", "metrics.json", "adoption.png"):
        assert (tmp_path / "r" / f).stat().st_size > 0
    assert (tmp_path / "r" / "adoption.png").read_bytes()[:4] == b"\x89PNG"


def test_compare_json_shape_and_outputs(tmp_path):
    out = tmp_path / "c.json"
    proc = cli(
        "compare",
        "provide-and-pray",
        "goal-led-communities",
        "--replicates",
        4,
        *SMALL,
        "--seed",
        7,
        "--out",
        tmp_path / "cmp",
        "--json",
        out,
        "--workers",
        2,
    )
    assert proc.returncode == 0, proc.stderr
    assert "provide-and-pray" in proc.stdout and "success" in proc.stdout
    d = json.loads(out.read_text())
    assert set(d) == {"seed", "replicates", "scenarios"}
    assert d["seed"] == 7 and d["replicates"] == 4
    assert [s["name"] for s in d["scenarios"]] == ["provide-and-pray", "goal-led-communities"]
    for s in d["scenarios"]:
        assert set(s) == {
            "name",
            "success_rate",
            "success_ci",
            "final_share",
            "weeks_to_25",
            "weeks_to_50",
            "value",
            "cost",
            "roi",
        }
        lo, hi = s["success_ci"]
        assert 0 <= lo <= s["success_rate"] <= hi <= 1
        assert set(s["final_share"]) == set(STATES)
        assert abs(sum(s["final_share"].values()) - 1) < 1e-9
    for f in ("summary.csv", "runs.csv", "series.csv", "compare.png"):
        assert (tmp_path / "cmp" / f).stat().st_size > 0


def test_compare_is_reproducible_whatever_the_worker_count(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    base = ["compare", "mandate", "--replicates", 3, *SMALL, "--seed", 3]
    assert cli(*base, "--workers", 1, "--json", a).returncode == 0
    assert cli(*base, "--workers", 2, "--json", b).returncode == 0
    assert json.loads(a.read_text()) == json.loads(b.read_text())


def test_scenarios_list_show_validate(tmp_path, assert_user_error):
    proc = cli("scenarios")
    assert proc.returncode == 0 and "bootstrap" in proc.stdout
    proc = cli("scenarios", "show", "bootstrap")
    assert proc.returncode == 0
    data = tomllib.loads(proc.stdout)
    assert [p["type"] for p in data["plan"]][-1] == "launch_platform"
    good = tmp_path / "good.toml"
    good.write_text(proc.stdout)
    assert cli("scenarios", "validate", good).returncode == 0
    bad = tmp_path / "bad.toml"
    bad.write_text('weeks = 10\n[[plan]]\ntype = "launch_platform"\nstrat = 3\n')
    assert_user_error(cli("scenarios", "validate", good, bad), str(bad), "plan.0.strat", "'start'")


@pytest.mark.parametrize(
    "args, fragments",
    [
        (["run", "no-such-scenario"], ["no-such-scenario", "Built-in scenarios"]),
        (["run", "mandate", "--engine", "gpu"], ["--engine", "agents, numba, auto"]),
        (["run", "mandate", "--set", "dynamics.try_rate=7"], ["dynamics.try_rate = 7"]),
        (["run", "mandate", "--set", "weeks"], ["KEY=VALUE"]),
        (["run", "mandate", "--weeks", "0"], ["weeks = 0"]),
        (["run", "mandate", "--ties-csv", "t.csv"], ["--ties-csv needs --org-csv"]),
        (["run", "mandate", "--bogus"], ["No such option"]),
        (["compare", "mandate", "mandate"], ["more than once"]),
        (["compare", "mandate", "--replicates", "0"], ["replicates"]),
    ],
)
def test_bad_arguments_exit_2_with_a_message(args, fragments, adoptsim_cli):
    """In this process (the command's own code, without starting Python and its imports once
    a case); the installed script's exit 2 on bad input: the test below."""
    code, out, err = adoptsim_cli(*args)
    assert code == 2, err + out
    assert "Traceback" not in err + out
    for f in fragments:
        assert f in err, err


def test_the_installed_script_exits_2_on_bad_arguments(assert_user_error):
    assert_user_error(cli("run", "no-such-scenario"), "no-such-scenario", "Built-in scenarios")
    assert_user_error(cli("run", "mandate", "--bogus"), "No such option")


def test_bad_scenario_file_exit_2(tmp_path, assert_user_error):
    f = tmp_path / "broken.toml"
    f.write_text("[conditions]\ntrust = { low = 0.9, high = 0.2 }\n")
    assert_user_error(cli("run", f), str(f), "conditions.trust")


def test_malformed_org_csv_exit_2_and_nothing_written(tmp_path, assert_user_error):
    org = tmp_path / "org.csv"
    org.write_text("employee_id,manager_id,department\nA,,Sales\nB,A,Sales\nC,Z,Sales\n")
    out = tmp_path / "never.json"
    assert_user_error(
        cli("run", "mandate", "--org-csv", org, "--json", out), str(org), "row 4", "Z"
    )
    assert not out.exists()


def test_org_csv_run(tmp_path):
    rows = ["employee_id,manager_id,department"] + ["E0,,Exec"]
    rows += [f"M{d},E0,D{d}" for d in range(4)]
    rows += [f"P{d}_{k},M{d},D{d}" for d in range(4) for k in range(30)]
    org = tmp_path / "org.csv"
    org.write_text("\n".join(rows) + "\n")
    out = tmp_path / "r.json"
    proc = cli("run", "goal-led-communities", "--org-csv", org, "--weeks", 20, "--json", out)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(out.read_text())["n_employees"] == 125
