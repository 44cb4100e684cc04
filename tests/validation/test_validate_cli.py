"""`adoptsim validate` and the classic rules on the command line, as a user meets them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from experiments import cli
from experiments.validation import VALIDATIONS, ValidationResult
from simulation import STATES

ADOPTSIM = str(Path(sys.executable).parent / "adoptsim")


def run_cli(*args):
    return subprocess.run([ADOPTSIM, *map(str, args)], capture_output=True, text=True, timeout=600)



def test_validate_one_writes_the_report_and_exits_0(tmp_path):
    out = tmp_path / "report"
    proc = run_cli("validate", "granovetter", "--out", out)
    assert proc.returncode == 0, proc.stderr
    md = (out / "VALIDATION.md").read_text()
    assert "Granovetter (1978)" in md and "validation/granovetter.png" in md
    assert (out / "validation" / "granovetter.png").stat().st_size > 10_000
    data = json.loads((out / "validation" / "validation.json").read_text())
    assert data["passed"] and [v["name"] for v in data["validations"]] == ["granovetter"]


def test_unknown_validation_name_is_a_user_error(tmp_path, assert_user_error):
    proc = run_cli("validate", "wats", "--out", tmp_path)
    assert_user_error(proc, "no validation named 'wats'", "Did you mean 'watts'?")
    assert not (tmp_path / "VALIDATION.md").exists()


def test_failed_reproduction_exits_1_and_still_writes_the_report(tmp_path, monkeypatch):
    def failing(replicates, seed, workers):
        r = ValidationResult("bass", "Bass", "Bass (1969)", replicates)
        r.check("curve", "0", "0.5", "<= 0.01", False)
        return r

    monkeypatch.setattr(VALIDATIONS["bass"], "run", failing)
    result = CliRunner().invoke(cli.app, ["validate", "bass", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "**FAIL**" in (tmp_path / "VALIDATION.md").read_text()


def test_run_classic_scenario_json(tmp_path):
    out = tmp_path / "out.json"
    proc = run_cli("run", "classic-watts", "--employees", 2000, "--weeks", 30, "--json", out)
    assert proc.returncode == 0, proc.stderr
    d = json.loads(out.read_text())
    assert d["n_employees"] == 2000 and d["series"]["week"] == list(range(31))
    assert set(d["series"]) == {"week", *STATES}
    assert all(sum(d["series"][s][w] for s in STATES) == 2000 for w in range(31))


def test_bad_edge_list_file_is_a_user_error_naming_file_and_line(tmp_path, assert_user_error):
    edges = tmp_path / "edges.txt"
    edges.write_text("0 1\n1 2\n2 three\n")
    proc = run_cli(
        "run",
        "classic-watts",
        "--set",
        "classic.network='edge-list'",
        "--set",
        f"classic.edges_file='{edges}'",
    )
    assert_user_error(proc, str(edges), "line 3, column 2", "not a node id")
    assert "three" not in proc.stderr  # a scenario may name any file: its lines are not shown


def test_edge_list_network_runs(tmp_path):
    edges = tmp_path / "ring.csv"
    edges.write_text("".join(f"{i},{(i + 1) % 50}\n{i},{(i + 2) % 50}\n" for i in range(50)))
    scenario = tmp_path / "ring.toml"
    scenario.write_text(
        'rule = "threshold"\nweeks = 40\n[classic]\nnetwork = "edge-list"\n'
        'edges_file = "ring.csv"\nthreshold = 2\nthreshold_kind = "absolute"\n'
        "seeds = [0]\nseed_neighbours = true\n"
    )
    out = tmp_path / "r.json"
    proc = run_cli("run", scenario, "--json", out)
    assert proc.returncode == 0, proc.stderr
    d = json.loads(out.read_text())
    assert d["n_employees"] == 50 and d["series"]["adopted"][-1] == 50
