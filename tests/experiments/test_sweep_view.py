"""What the sweep page plots: parameters and metrics of a real sweep, trends, binned rates."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from experiments.sweep import run_sweep
from experiments.sweep_view import analyses, open_sweep, rate_by_bins, trend
from simulation import ConfigError

SPEC = Path(__file__).parent / "specs" / "small.toml"


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep") / "small"
    run_sweep(SPEC, out, workers=1)
    return out


def test_a_sweep_folder_opens_with_its_parameters_and_metrics(sweep_dir):
    t = open_sweep(sweep_dir)
    assert t.n_runs == 12 and t.parameters == ("organization.employees", "conditions.trust")
    assert t.outcomes[0] == "success" and "final_share.engaged" in t.outcomes
    assert "run_id" not in t.outcomes and "drawn.trust" in t.drawn
    assert t.scenarios == ("goal-led-communities",) and t.status == "complete"


def test_what_is_not_a_sweep_is_refused_by_name(tmp_path):
    with pytest.raises(ConfigError, match="no such folder"):
        open_sweep(tmp_path / "missing")
    with pytest.raises(ConfigError, match="not a sweep directory"):
        open_sweep(tmp_path)


def test_the_trend_follows_a_line_and_a_curve():
    x = np.linspace(0, 1, 200)
    xs, ys = trend(x, 3 * x + 1)
    assert np.allclose(ys, 3 * xs + 1)
    rng = np.random.default_rng(1)
    xs, ys = trend(x, np.sin(3 * x) + rng.normal(0, 0.05, x.size), frac=0.2)
    assert np.abs(ys - np.sin(3 * xs)).max() < 0.08
    assert trend([1, 1, 1], [1, 2, 3])[0].size == 0  # no spread in x: no trend


def test_success_rate_by_bins():
    x = np.repeat([0.1, 0.2, 0.3], 10)
    s = np.concatenate([np.zeros(10), np.ones(5), np.zeros(5), np.ones(10)]).astype(bool)
    r = rate_by_bins(x, s)
    assert r.success_rate.tolist() == [0.0, 0.5, 1.0] and r.runs.tolist() == [10, 10, 10]
    assert (r.ci_low <= r.success_rate).all() and (r.success_rate <= r.ci_high + 1e-12).all()
    wide = rate_by_bins(np.linspace(0, 1, 100), np.linspace(0, 1, 100) > 0.5, bins=4)
    assert len(wide) == 4 and wide.success_rate.tolist() == [0.0, 0.0, 1.0, 1.0]


def test_stored_analyses_are_found(sweep_dir):
    assert analyses(sweep_dir) == []
    folder = sweep_dir / "analysis" / "prim-success"
    folder.mkdir(parents=True)
    (folder / "summary.md").write_text("success falls when trust < 0.4")
    (folder / "boxes.csv").write_text("coverage,density\n0.8,0.9\n")
    (folder / "trajectory.png").write_bytes(b"\x89PNG")
    (a,) = analyses(sweep_dir)
    assert a.name == "prim-success" and "trust < 0.4" in a.summary
    assert [p.name for p in a.tables] == ["boxes.csv"] and len(a.figures) == 1


def test_a_root_keeps_the_page_to_one_folder(sweep_dir, tmp_path):
    assert open_sweep(sweep_dir, root=sweep_dir.parent).n_runs == 12
    with pytest.raises(ConfigError, match="under"):
        open_sweep(sweep_dir, root=tmp_path)
