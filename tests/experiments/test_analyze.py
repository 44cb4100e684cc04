"""`adoptsim analyze`: Sobol' and Morris recover known indices, PRIM finds a planted box, a
parameter that cannot matter gets zero, bad input exits 2; the API and the JSON shapes."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from SALib.sample import latin
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample
from SALib.test_functions import Ishigami

from experiments import AnalysisResult, analyze
from experiments.sweep import run_sweep
from experiments.sweep_spec import spec_from_dict

sys.path.insert(0, str(Path(__file__).parent))
from sweep_folder import sweep_folder  # noqa: E402

ISHIGAMI = {
    "num_vars": 4,
    "names": ["x1", "x2", "x3", "dummy"],  # dummy: in the design, not in the function
    "bounds": [[-np.pi, np.pi]] * 4,
}
# analytical indices of Ishigami (a = 7, b = 0.1): Saltelli et al. (2008), Global Sensitivity
# Analysis: The Primer, section 4.9
S1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0, "dummy": 0.0}
ST = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437, "dummy": 0.0}
S2_13 = 0.2437


def ishigami_outputs(x: np.ndarray, replicate: int) -> dict[str, np.ndarray]:
    """The function plus a shift per replicate organization: the same shift at every point,
    as common random numbers give, so the replicates' mean keeps the indices."""
    y = Ishigami.evaluate(x[:, :3]) + 0.4 * (replicate - 0.5)
    return {"y": y, "success": y > 3.0, "flat": np.full(len(x), 0.5)}


@pytest.fixture(scope="module")
def sobol_dir(tmp_path_factory) -> Path:
    x = sobol_sample.sample(ISHIGAMI, 512, calc_second_order=True, seed=3)
    out = tmp_path_factory.mktemp("ishigami") / "sobol"
    return sweep_folder(out, "sobol", ISHIGAMI, x, ishigami_outputs, replicates=2)


@pytest.fixture(scope="module")
def morris_dir(tmp_path_factory) -> Path:
    x = morris_sample.sample(ISHIGAMI, 150, num_levels=4, seed=3)
    out = tmp_path_factory.mktemp("ishigami") / "morris"
    return sweep_folder(
        out, "morris", ISHIGAMI, x, ishigami_outputs, replicates=2, spec={"levels": 4}
    )


# -- Sobol' and Morris recover Ishigami ------------------------------------------------------
def test_sobol_recovers_ishigami_within_intervals(sobol_dir):
    res = analyze(sobol_dir, metric="y")
    assert (
        res.method == "sobol"
        and res.metric == "y"
        and res.n_runs == len(res.table) * 0 + (512 * 10 * 2)
    )
    t = res.table.set_index("parameter")
    for p in ISHIGAMI["names"]:
        assert abs(t.loc[p, "S1"] - S1[p]) <= t.loc[p, "S1_conf"] + 1e-12, (p, t.loc[p])
        assert abs(t.loc[p, "ST"] - ST[p]) <= t.loc[p, "ST_conf"] + 1e-12, (p, t.loc[p])
    # the dummy cannot change the output: its total index is zero, within its interval
    assert t.loc["dummy", "ST"] == pytest.approx(0, abs=1e-12)
    assert abs(t.loc["dummy", "ST"]) <= t.loc["dummy", "ST_conf"] + 1e-12
    s2 = res.tables["interactions"].set_index(["parameter_1", "parameter_2"])
    assert abs(s2.loc[("x1", "x3"), "S2"] - S2_13) <= s2.loc[("x1", "x3"), "S2_conf"]
    assert abs(s2.loc[("x1", "x2"), "S2"]) <= s2.loc[("x1", "x2"), "S2_conf"]
    # the text names the averaging and the findings
    assert "averaged over its 2 replicate organizations" in res.summary
    assert "dummy has no effect that can be told from zero" in res.summary


def _grid_mu_star() -> dict[str, float]:
    """Exact mu* of Ishigami on SALib's 4-level Morris grid: the mean absolute elementary
    effect over every base point from which a step of 2/3 of the range stays in the grid."""
    levels = np.linspace(-np.pi, np.pi, 4)
    out = {}
    for i, name in enumerate(["x1", "x2", "x3"]):
        effects = []
        for base in itertools.product(range(4), repeat=3):
            if base[i] >= 2:
                continue
            lo = levels[list(base)]
            hi = lo.copy()
            hi[i] = levels[base[i] + 2]
            effects.append(
                (Ishigami.evaluate(hi[None])[0] - Ishigami.evaluate(lo[None])[0]) / (2 / 3)
            )
        out[name] = float(np.mean(np.abs(effects)))
    out["dummy"] = 0.0
    return out


def test_morris_recovers_ishigami_within_intervals(morris_dir):
    res = analyze(morris_dir, metric="y")
    assert res.method == "morris"
    t = res.table.set_index("parameter")
    exact = _grid_mu_star()
    for p, mu in exact.items():
        assert abs(t.loc[p, "mu_star"] - mu) <= t.loc[p, "mu_star_conf"] + 1e-9, (p, mu, t.loc[p])
    assert t.loc["dummy", "mu_star"] == 0 and t.loc["dummy", "sigma"] == 0
    # x2's effect depends on where it starts (sin^2), x3's on x1: both non-linear
    assert t.loc["x2", "sigma"] > 0 and t.loc["x3", "sigma"] > 0
    ranked = t.sort_values("mu_star", ascending=False).index.tolist()
    assert ranked[-1] == "dummy"


def test_success_becomes_a_rate_per_point(sobol_dir):
    """success is averaged into the share of replicates that succeeded."""
    res = analyze(sobol_dir, method="sobol", metric="success")
    assert "the success rate: the share of its 2 replicate organizations" in res.summary
    assert set(res.table["parameter"]) == set(ISHIGAMI["names"])


# -- PRIM finds a planted box ----------------------------------------------------------------
PLANTED = {"num_vars": 3, "names": ["a", "b", "c"], "bounds": [[0.0, 1.0]] * 3}


def planted_outputs(x: np.ndarray, replicate: int) -> dict[str, np.ndarray]:
    """Fails 90% of the time in a < 0.3 and b > 0.6, 10% elsewhere; c does nothing."""
    inside = (x[:, 0] < 0.3) & (x[:, 1] > 0.6)
    u = np.random.default_rng([replicate, 5]).uniform(size=len(x))
    fail = np.where(inside, u < 0.9, u < 0.1)
    return {"success": ~fail, "engaged": np.where(inside, 0.1, 0.5) + 0.05 * u}


@pytest.fixture(scope="module")
def planted_dir(tmp_path_factory) -> Path:
    x = latin.sample(PLANTED, 400, seed=5)
    out = tmp_path_factory.mktemp("planted") / "lhs"
    return sweep_folder(
        out,
        "lhs",
        PLANTED,
        x,
        planted_outputs,
        replicates=2,
        drawn=lambda r: {"trust": 0.2 + 0.1 * r},
    )


def test_prim_finds_the_planted_box(planted_dir):
    res = analyze(planted_dir)  # auto on an lhs design: PRIM on success
    assert res.method == "prim" and res.metric == "success"
    boxes = res.as_json()["boxes"]
    first = boxes[0]
    assert set(first["limits"]) == {"a", "b"}, first  # c and drawn.trust do nothing
    assert first["limits"]["a"][1] == pytest.approx(0.3, abs=0.05)
    assert first["limits"]["b"][0] == pytest.approx(0.6, abs=0.05)
    assert first["density"] >= 0.8
    row = res.table[(res.table["box"] == 1) & (res.table["input"] == "a")].iloc[0]
    assert row["held_out_density"] >= 0.7 and row["held_out_n_runs"] > 10
    assert re.search(
        r"success falls from \d+% to \d+% when a ≤ 0\.[23]\d* and b ≥ 0\.[56]", res.summary
    ), res.summary
    assert "feature_scores" in res.tables
    scores = res.tables["feature_scores"].set_index("input")["score"]
    assert scores["a"] > scores["c"] and scores["b"] > scores["c"]


def test_prim_on_a_metric_below_a_threshold(planted_dir):
    res = analyze(planted_dir, method="prim", metric="engaged", threshold="<0.2")
    lim = res.as_json()["boxes"][0]["limits"]
    assert set(lim) == {"a", "b"}
    assert "runs with engaged < 0.2 rise from" in res.summary


# -- the API and the outputs -----------------------------------------------------------------
def test_api_contract_and_written_outputs(planted_dir, tmp_path):
    res = analyze(planted_dir, method="prim")
    assert isinstance(res, AnalysisResult)
    assert isinstance(res.table, pd.DataFrame) and isinstance(res.summary, str)
    figs = res.figures()
    assert set(figs) == {"prim_tradeoff", "prim_boxes", "feature_scores"}
    assert all(isinstance(f, Figure) for f in figs.values())
    files = res.write()
    out = planted_dir / "analysis" / "prim-success"
    assert {f.name for f in files} >= {"summary.md", "boxes.csv", "prim_tradeoff.png"}
    assert (out / "summary.md").read_text() == res.summary
    assert pd.read_csv(out / "boxes.csv")["input"].tolist() == res.table["input"].tolist()
    res.write()  # a second write replaces the previous analysis
    assert (out / "summary.md").is_file()


def test_json_shapes_are_the_documented_ones(sobol_dir, morris_dir, planted_dir):
    keys = {
        "sobol": {"scenario", "parameter", "S1", "S1_conf", "ST", "ST_conf"},
        "morris": {"scenario", "parameter", "mu_star", "mu_star_conf", "sigma"},
    }
    for d in (sobol_dir, morris_dir):
        j = analyze(d, metric="y").as_json()
        assert set(j) == {"method", "metric", "n_runs", "indices"}
        assert all(set(e) == keys[j["method"]] for e in j["indices"])
        json.dumps(j, allow_nan=False)
    j = analyze(planted_dir).as_json()
    assert set(j) == {"method", "metric", "n_runs", "boxes"}
    assert all(set(b) == {"scenario", "coverage", "density", "limits"} for b in j["boxes"])


def test_cli_prints_writes_and_emits_json(planted_dir, tmp_path, adoptsim_cli):
    out = tmp_path / "an"
    code, stdout, err = adoptsim_cli(
        "analyze", planted_dir, "--out", out, "--json", tmp_path / "a.json"
    )
    assert code == 0, err
    assert "success falls from" in stdout and (out / "prim_boxes.png").is_file()
    assert json.loads((tmp_path / "a.json").read_text())["method"] == "prim"


# -- bad input exits 2 with a message --------------------------------------------------------
def test_bad_input_exits_2(sobol_dir, planted_dir, tmp_path, adoptsim_cli):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    cases = [
        ((tmp_path,), ["not a sweep folder", "manifest.json"]),
        ((tmp_path / "missing",), ["no such folder"]),
        ((sobol_dir, "--metric", "enagaged_share"), ["not a metric", "Metrics:"]),
        ((sobol_dir, "--metric", "flat"), ["same value at every design point", "no variance"]),
        (
            (planted_dir, "--method", "sobol"),
            ["design is 'sobol'", "design = 'lhs'", 'design = "sobol"', "--method prim"],
        ),
        (
            (sobol_dir, "--method", "morris", "--metric", "y"),
            ['design = "morris"', "--method sobol"],
        ),
        ((sobol_dir, "--method", "fast"), ["--method 'fast'"]),
        ((sobol_dir, "--threshold", "0.5"), ["yes/no already"]),
        ((sobol_dir, "--metric", "y", "--threshold", "about 3"), ["--threshold 'about 3'"]),
        ((sobol_dir, "--metric", "y", "--out", tmp_path / "mine"), ["holds other files"]),
    ]
    for args, fragments in cases:
        code, _, err = adoptsim_cli("analyze", *args)
        assert code == 2, (args, err)
        assert "Traceback" not in err
        for f in fragments:
            assert f in err, (args, f, err)
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def test_sobol_needs_every_point(sobol_dir, tmp_path):
    """An unfinished sweep: the indices refuse and say how to finish it."""
    copy = tmp_path / "partial"
    shutil.copytree(sobol_dir, copy)
    parts = sorted((copy / "metrics").glob("part-*.parquet"))
    table = pd.read_parquet(parts[0])
    table[table["point"] != 3].to_parquet(parts[0])
    with pytest.raises(Exception, match="have no stored run.*--resume"):
        analyze(copy, metric="y")


# -- a parameter that cannot matter, on the real model ---------------------------------------
def _small_sweep(tmp_path: Path, design: str, samples: int) -> Path:
    spec = spec_from_dict(
        {
            "scenario": "goal-led-communities",
            "weeks": 26,
            "replicates": 2,
            "seed": 4,
            "design": design,
            "samples": samples,
            "second_order": False,
            "engine": "numba",
            "parameters": {
                "organization.employees": [150],
                "conditions.trust": {"low": 0.1, "high": 0.9},
                "value.hourly_cost": {"low": 20.0, "high": 120.0},
            },
        }
    )
    out = tmp_path / design
    run_sweep(spec, out, workers=1)
    return out


def test_a_parameter_that_cannot_matter_gets_zero(tmp_path):
    """value.hourly_cost prices hours; it cannot change who engages. With common random
    numbers its total Sobol' index and its Morris mu* are zero within their intervals."""
    res = analyze(_small_sweep(tmp_path, "sobol", 8), metric="final_share.engaged")
    t = res.table.set_index("parameter")
    assert t.loc["value.hourly_cost", "ST"] == pytest.approx(0, abs=1e-12)
    assert abs(t.loc["value.hourly_cost", "ST"]) <= t.loc["value.hourly_cost", "ST_conf"] + 1e-12
    assert t.loc["conditions.trust", "ST"] > t.loc["conditions.trust", "ST_conf"]
    res = analyze(_small_sweep(tmp_path, "morris", 6), metric="final_share.engaged")
    t = res.table.set_index("parameter")
    assert t.loc["value.hourly_cost", "mu_star"] == 0
    assert t.loc["value.hourly_cost", "mu_star"] <= t.loc["value.hourly_cost", "mu_star_conf"]
    assert t.loc["conditions.trust", "mu_star"] > 0


# -- the two end-to-end uses, on small organizations ---------------------------------
SOBOL_SPEC = """
scenario = "goal-led-communities"
weeks = 30
replicates = 2
seed = 3
design = "sobol"
samples = 4
engine = "numba"
[parameters]
"organization.employees" = [150]
"conditions.trust" = { low = 0.1, high = 0.8 }
"conditions.manager_attitude" = { low = -0.6, high = 0.4 }
"conditions.relevance" = { low = 0.0, high = 0.7 }
"""
LHS_SPEC = """
scenario = ["provide-and-pray", "goal-led-communities"]
weeks = 30
replicates = 2
seed = 3
design = "lhs"
samples = 40
engine = "numba"
[parameters]
"organization.employees" = [150]
"conditions.trust" = { low = 0.1, high = 0.8 }
"conditions.manager_attitude" = { low = -0.6, high = 0.4 }
"""


@pytest.mark.slow
def test_sweep_then_analyze_on_the_command_line(tmp_path, adoptsim_cli):
    """A Sobol' sweep over three conditions of goal-led communities, then `analyze`: the
    indices with intervals and the plot; an LHS sweep of two plans, then `analyze --method
    prim`: a section per plan and the boxes."""
    (tmp_path / "sobol.toml").write_text(SOBOL_SPEC)
    code, _, err = adoptsim_cli(
        "sweep",
        tmp_path / "sobol.toml",
        "--out",
        tmp_path / "sobol",
        "--workers",
        "1",
    )
    assert code == 0, err
    code, out, err = adoptsim_cli("analyze", tmp_path / "sobol", "--metric", "final_share.engaged")
    assert code == 0, err
    for name in ("conditions.trust", "conditions.manager_attitude", "conditions.relevance"):
        assert re.search(
            rf"\| {re.escape(name)} \| -?\d+\.\d\d ± \d+\.\d\d \| -?\d+\.\d\d ± \d+\.\d\d \|", out
        ), out
    assert (tmp_path / "sobol" / "analysis" / "sobol-final_share.engaged" / "sobol.png").is_file()
    (tmp_path / "lhs.toml").write_text(LHS_SPEC)
    code, _, err = adoptsim_cli(
        "sweep",
        tmp_path / "lhs.toml",
        "--out",
        tmp_path / "lhs",
        "--workers",
        "1",
    )
    assert code == 0, err
    code, out, err = adoptsim_cli("analyze", tmp_path / "lhs", "--method", "prim")
    assert code == 0, err
    assert "## provide-and-pray" in out and "## goal-led-communities" in out
    boxes = pd.read_csv(tmp_path / "lhs" / "analysis" / "prim-success" / "boxes.csv")
    assert set(boxes["input"]) <= {"conditions.trust", "conditions.manager_attitude"} | {
        c for c in boxes["input"] if c.startswith("drawn.")
    }


def test_weeks_to_never_reached_counts_as_the_horizon_plus_one(tmp_path):
    """weeks_to_N is undefined when a run never reaches the level: it counts as the horizon
    plus one week (said in the text), and PRIM's default cases are the slowest quarter."""

    def outputs(x: np.ndarray, replicate: int) -> dict[str, np.ndarray]:
        weeks = np.where(x[:, 0] > 0.75, np.nan, 2 + 6 * x[:, 1])  # horizon: 10 weeks
        return {"weeks_to_50": weeks}

    d = sweep_folder(tmp_path / "s", "lhs", PLANTED, latin.sample(PLANTED, 200, seed=2), outputs)
    res = analyze(d, method="prim", metric="weeks_to_50")
    assert re.search(r"\d+ runs never reached the level of weeks_to_50", res.summary)
    assert "runs with weeks_to_50 > " in res.summary
    limits = res.as_json()["boxes"][0]["limits"]
    assert set(limits) == {"a"} and limits["a"][0] == pytest.approx(0.75, abs=0.03)
