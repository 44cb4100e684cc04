"""Sweeps on a user's org chart (`--org-csv`, or `org_csv` in the spec) and the head counts by
role and by department in `groups/`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.runner import RunSpec, run_one
from experiments.sweep import load_sweep
from scenarios import load_org_chart, load_scenario
from simulation import STATES, OrganizationConfig, generate_organization

SPEC = """
scenario = "goal-led-communities"
weeks = 10
replicates = 2
seed = 5
engine = "numba"
{extra}
[parameters]
"conditions.trust" = [0.3, 0.6]
{params}"""
DEPARTMENTS = ("Claims", "Sales", "Research")


@pytest.fixture
def org_csv(tmp_path) -> Path:
    """A 140-person org chart in three departments of our own naming."""
    gen = generate_organization(
        OrganizationConfig(employees=140, departments=3), np.random.default_rng(2)
    )
    ids = np.array([f"P{i:04d}" for i in range(gen.n)])
    boss = np.where(gen.manager >= 0, ids[np.maximum(gen.manager, 0)], "")
    path = tmp_path / "org.csv"
    pd.DataFrame(
        {
            "employee_id": ids,
            "manager_id": boss,
            "department": np.array(DEPARTMENTS)[gen.department],
        }
    ).to_csv(path, index=False)
    return path


def _spec(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "spec.toml"
    path.write_text(SPEC.format(extra=extra, params=""))
    return path


def test_sweep_on_an_org_chart_records_it_and_matches_adoptsim_run(tmp_path, org_csv, adoptsim_cli):
    out = tmp_path / "out"
    code, _, err = adoptsim_cli(
        "sweep",
        _spec(tmp_path),
        "--out",
        out,
        "--workers",
        "1",
        "--org-csv",
        org_csv,
    )
    assert code == 0, err
    res = load_sweep(out, groups=True)
    org = res.manifest["organization"]
    assert org["org_csv"] == str(org_csv.resolve()) and org["ties_csv"] is None
    assert org["org_csv_sha256"] == hashlib.sha256(org_csv.read_bytes()).hexdigest()
    assert org["employees"] == 140 and sorted(org["departments"]) == sorted(DEPARTMENTS)
    assert (res.metrics["n_employees"] == 140).all()
    # a run of the sweep is the run `adoptsim run --org-csv` gives (the chart read with the
    # sweep's root seed, as `compare --org-csv` reads it)
    row = res.metrics.iloc[-1]
    sc = load_scenario(
        "goal-led-communities", ["weeks=10", f"conditions.trust={row['conditions.trust']}"]
    )
    chart = load_org_chart(org_csv, None, sc.organization, np.random.default_rng(5))
    alone = run_one(RunSpec(sc, int(row["seed"]), "numba", chart))
    for s in STATES:
        assert row[f"final_share.{s}"] == alone.metrics["final_share"][s]
    # departments in groups/: our names, adding up to the series' head counts
    g = res.groups
    assert set(g.loc[g.kind == "department", "group"]) == set(DEPARTMENTS)
    assert set(g.loc[g.kind == "role", "group"]) == {
        "employee",
        "middle_manager",
        "veteran",
        "leader",
    }
    for kind in ("role", "department"):
        sums = g[g.kind == kind].groupby(["run_id", "week"])[list(STATES)].sum().reset_index()
        merged = sums.merge(res.series, on=["run_id", "week"], suffixes=("", "_all"))
        assert len(merged) == len(res.series)
        for s in STATES:
            np.testing.assert_array_equal(merged[s], merged[f"{s}_all"])
    last = g[(g.kind == "department") & (g.week == 10) & (g.run_id == row["run_id"])]
    dept = {d: alone.by_department[d] for d in DEPARTMENTS}
    for r in last.itertuples():
        assert r.engaged == dept[r.group]["engaged"][-1]


def test_spec_names_the_org_chart_and_resume_checks_it(tmp_path, org_csv, adoptsim_cli):
    spec = _spec(tmp_path, 'org_csv = "org.csv"')
    out = tmp_path / "out"
    code, _, err = adoptsim_cli("sweep", spec, "--out", out, "--workers", "1")
    assert code == 0, err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["organization"]["employees"] == 140
    code, _, err = adoptsim_cli("sweep", spec, "--out", out, "--resume")
    assert code == 0 and "4 of 4 runs already stored" in err
    org_csv.write_text(org_csv.read_text().replace("Claims", "Underwriting"))
    code, _, err = adoptsim_cli("sweep", spec, "--out", out, "--resume")
    assert code == 2 and "differs from the files the sweep" in err and "SHA-256" in err


@pytest.mark.parametrize(
    ("extra", "params", "args", "fragments"),
    [
        ("", "", ["--ties-csv", "ties.csv"], ["--ties-csv needs --org-csv"]),
        ('ties_csv = "ties.csv"', "", [], ["ties_csv: needs org_csv"]),
        ('org_csv = "nowhere.csv"', "", [], ["org_csv", "nowhere.csv", "no such file"]),
        (
            'org_csv = "org.csv"',
            '"organization.employees" = [100, 200]',
            [],
            ["organization.employees", "org chart"],
        ),
    ],
)
def test_bad_org_input_exits_2(tmp_path, org_csv, adoptsim_cli, extra, params, args, fragments):
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC.format(extra=extra, params=params))
    code, _, err = adoptsim_cli("sweep", spec, "--out", tmp_path / "out", *args)
    assert code == 2, err
    assert "Traceback" not in err
    for f in fragments:
        assert f in err, (f, err)
    assert not (tmp_path / "out").exists()


def test_the_completion_message_names_every_dataset_the_sweep_wrote(tmp_path, adoptsim_cli):
    out = tmp_path / "out"
    code, stdout, err = adoptsim_cli("sweep", _spec(tmp_path), "--out", out, "--workers", "1")
    assert code == 0, err
    datasets = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert "groups" in datasets and "metrics" in datasets  # the premise
    said = "".join(stdout.split())  # the console wraps long lines
    for name in datasets:
        assert f"{name}/" in said, stdout
    assert "groups=True" in said, stdout  # how to read the groups dataset back
