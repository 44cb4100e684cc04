"""Outcomes across organizations, departments and people (experiments.distributions), on
hand-made runs with known numbers, and the playbook section written from real runs."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from experiments.distributions import (
    Churn,
    PlanDistribution,
    active_histogram,
    churn,
    department_spread,
    describe,
    engaged_of_active,
    histogram_quantile,
    markdown,
    plateau_share,
    pooled_counts,
    summary,
)

from .fake_runs import fake_run

ROOT = Path(__file__).resolve().parents[2]


def test_histogram_bins_by_ten_points_with_100_in_the_last():
    shares = [0.0, 0.05, 0.1, 0.19, 0.2, 300 / 1000, 0.55, 600 / 1000, 699 / 1000, 0.7, 0.999, 1.0]
    assert active_histogram(shares).tolist() == [2, 2, 1, 1, 0, 1, 2, 1, 0, 2]
    assert active_histogram([]).tolist() == [0] * 10


def test_plateau_is_20_to_70_percent_active():
    assert plateau_share([0.19, 0.2, 0.5, 699 / 1000, 0.7, 0.95]) == pytest.approx(3 / 6)
    assert plateau_share([]) == 0.0


def test_department_spread_is_each_organizations_iqr_and_range():
    # four equal departments: active 10%, 20%, 40%, 80%: quartiles (numpy's linear) 0.175 and
    # 0.5, range 0.7
    groups = {d: {"active": a} for d, a in zip("ABCD", (0.1, 0.2, 0.4, 0.8), strict=True)}
    flat = {d: {"active": 0.5} for d in "ABCD"}
    runs = [fake_run([0.0, 0.375], n=400, groups=groups), fake_run([0.0, 0.5], n=400, groups=flat),
            fake_run([0.0, 0.5], n=400)]  # one department: no spread
    iqr, span = department_spread(runs)
    assert iqr[:2] == pytest.approx([0.5 - 0.175, 0.0])
    assert span[:2] == pytest.approx([0.7, 0.0])
    assert np.isnan(iqr[2]) and np.isnan(span[2])


def _with_engaged(run, engaged: int):
    """Make ``engaged`` of the run's final active people engaged instead of adopted."""
    run.series["adopted"][-1] -= engaged
    run.series["engaged"][-1] += engaged
    return run


def test_engaged_of_active_in_the_median_successful_organization():
    runs = [_with_engaged(fake_run([0.0, 0.5], success=True), e) for e in (10, 20, 45)]
    runs += [_with_engaged(fake_run([0.0, 0.2], success=False), 20),  # all engaged, failed
             fake_run([0.0, 0.0], success=False)]  # nobody active
    depth = engaged_of_active(runs)
    assert depth[:4] == pytest.approx([0.2, 0.4, 0.9, 1.0]) and np.isnan(depth[4])
    for r in runs:
        r.churn = {"moves_full_run": [1], "lapses_full_run": [1]}
    (d,) = describe({"plan": runs})
    assert d.successes == 3
    assert d.engaged_of_active == pytest.approx(0.4)  # median of the successful: 0.2, 0.4, 0.9
    assert d.engaged_of_active_all == pytest.approx(0.65)  # 0.2, 0.4, 0.9, 1.0


def test_quantiles_of_a_histogram():
    counts = [3, 0, 5, 2]  # values 0,0,0,2,2,2,2,2,3,3
    assert histogram_quantile(counts, 0.5) == 2
    assert histogram_quantile(counts, 0.3) == 0  # 3 of 10 at or below 0
    assert histogram_quantile(counts, 0.31) == 2
    assert histogram_quantile(counts, 0.9) == 3
    assert histogram_quantile([0, 0], 0.5) == 0
    sample = np.repeat(np.arange(4), counts)
    for q in (0.1, 0.5, 0.8, 0.9):
        assert histogram_quantile(counts, q) == np.quantile(sample, q, method="inverted_cdf")


def test_churn_pools_people_over_organizations():
    a, b = fake_run([0.0, 0.1]), fake_run([0.0, 0.1])
    # a: moves 0 x2, 1 x1, 6 x1; lapses 0 x3, 2 x1.  b: moves 5 x4, lapses 1 x4
    a.churn = {"moves_full_run": [2, 1, 0, 0, 0, 0, 1], "lapses_full_run": [3, 0, 1],
               "moves": [9], "lapses": [9]}
    b.churn = {"moves_full_run": [0, 0, 0, 0, 0, 4], "lapses_full_run": [0, 4],
               "moves": [9], "lapses": [9]}
    assert pooled_counts([a, b], "moves_full_run").tolist() == [2, 1, 0, 0, 0, 4, 1]
    c = churn([a, b])
    assert c == Churn(people=8, median_moves=5, p90_moves=6, many_moves=5 / 8,
                      mean_moves=(1 + 6 + 20) / 8, mean_lapses=(2 + 4) / 8, lapsed_once=5 / 8,
                      lapsed_twice=1 / 8)
    assert churn([a, b], scope="").people == 18  # everyone at the horizon
    assert churn([_empty(a)]) == Churn(0, 0, 0, 0.0, 0.0, 0.0, 0.0, 0.0)


def _empty(run):
    run.churn = {"moves_full_run": [0], "lapses_full_run": [0]}
    return run


def test_markdown_has_a_row_per_plan_in_each_table():
    runs = [fake_run([0.0, x]) for x in (0.05, 0.5, 0.9, 0.95)]
    for r in runs:
        r.churn = {"moves_full_run": [1, 2, 3, 0, 0, 4], "lapses_full_run": [6, 4]}
    text = markdown(describe({"p1": runs, "p2": runs[:2]}))
    rows = [line for line in text.splitlines() if line.startswith(("| p1 ", "| p2 "))]
    assert len(rows) == 6
    assert rows[0] == "| p1 | 25 | . | . | . | . | 25 | . | . | . | 50 | 25% | 70% |"
    # each organization: moves 0, 1, 1, 2, 2, 2, 5, 5, 5, 5; lapses 0 x6, 1 x4
    assert rows[4] == "| p1 | 40 | 2 | 5 | 40.0% | 2.80 | 0.40 | 40.0% | 0.0% |"


def _playbook_script():
    spec = importlib.util.spec_from_file_location("playbook_script", ROOT / "scripts/playbook.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_playbook_script_writes_the_distributions_section_only(tmp_path):
    """Two organizations per plan, run for real: the section between the markers is replaced,
    the claims section and the rest of the document are kept."""
    doc = tmp_path / "PLAYBOOK.md"
    doc.write_text("intro\n<!-- claims -->\nclaims table\n<!-- /claims -->\nmiddle\n"
                   "<!-- distributions -->\nold figures\n<!-- /distributions -->\nend\n")
    script = _playbook_script()
    assert script.main(["--replicates", "2", "--workers", "1", "--sections", "distributions",
                        "--doc", str(doc)]) == 0
    text = doc.read_text()
    assert text.startswith("intro\n<!-- claims -->\nclaims table\n<!-- /claims -->\nmiddle\n")
    assert text.endswith("<!-- /distributions -->\nend\n") and "old figures" not in text
    section = text.split("<!-- distributions -->\n")[1]
    assert "| provide-and-pray |" in section and "| goal-led-communities |" in section
    assert section.count("| provide-and-pray |") == 3  # one row in each table
    assert "motivation" not in section  # the claims' variants are left out
    with pytest.raises(SystemExit):
        script.replace_section("no markers", "distributions", "x")


def _row(plan, histogram, plateau, dept_range, depth, median_moves, many, twice):
    c = Churn(1000, median_moves, 9, many, 5.0, 1.0, 0.5, twice)
    return PlanDistribution(plan, int(sum(histogram)), np.array(histogram), plateau, 0.5, 0.01,
                            dept_range, 0.1, 10, depth, depth, c)


def test_summary_and_small_shares():
    rows = [_row("a", [150, 0, 0, 0, 0, 0, 0, 0, 1, 149], 0.0, 0.02, 0.9, 3, 0.2, 0.1),
            _row("b", [100, 100, 0, 0, 0, 0, 0, 0, 0, 100], 0.1, 0.05, float("nan"), 11, 0.9,
                 0.8)]
    assert summary(rows) == (
        "Of all 600 organization runs (2 plans), 83% end below 10% active or at 90% and above; "
        "the share on a 20%-70% plateau is 0%-10% by plan. Departments' max - min of final "
        "active share, median over organizations: 2%-5% by plan. In the median successful "
        "organization, 90%-90% of active staff are engaged (contributing), by plan. A person "
        "there the whole run changes state 3-11 times (median, by plan); most churn: b, 90% with "
        "more than 4 moves and 80% lapsing at least twice.")
    first = next(line for line in markdown(rows).splitlines() if line.startswith("| a "))
    assert first == "| a | 50 | . | . | . | . | . | . | . | <1 | 50 | 0% | 50% |"
