"""The numbers behind the comparison charts, on runs with known outcomes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from experiments.outcomes import (
    active_bands,
    band,
    final_group_shares,
    milestone_weeks,
    money,
    outcome_table,
    paired_success,
    share_series,
    state_bands,
    success_rate,
)

from .fake_runs import fake_run


def test_bands_are_median_and_10_90_percentiles_per_week():
    values = np.arange(11, dtype=float)[:, None] * np.ones((1, 3))  # 0..10 in every week
    b = band(np.arange(3), values)
    assert b.median.tolist() == [5.0] * 3
    assert b.low.tolist() == [1.0] * 3 and b.high.tolist() == [9.0] * 3


def test_state_shares_sum_to_one_and_follow_the_runs():
    runs = [fake_run([0.0, 0.2, 0.5], lapsed=[0, 0.1, 0.1]), fake_run([0.0, 0.1, 0.3])]
    assert share_series(runs, "active")[:, -1].tolist() == [0.5, 0.3]
    bands = state_bands(runs)
    total = sum(bands[s].median for s in bands)
    assert np.allclose(total, 1.0)
    assert bands["adopted"].median[-1] == pytest.approx(0.4)


def test_group_shares_are_within_each_group():
    run = fake_run([0, 0.5], groups={"Sales": {"active": 0.9}, "Claims": {"active": 0.1}})
    frame = final_group_shares([run, run], "department")
    assert frame["Sales"].tolist() == [0.9, 0.9] and frame["Claims"].tolist() == [0.1, 0.1]
    lapsed = final_group_shares([run], "department", "lapsed")
    assert lapsed.loc[0].tolist() == [0.0, 0.0]
    bands = active_bands([run], "department")
    assert bands["Sales"].median[-1] == pytest.approx(0.9)


def test_success_rate_has_a_wilson_interval():
    runs = [fake_run([0, 0.5])] * 7 + [fake_run([0, 0.1])] * 3
    r = success_rate(runs)
    assert (r.successes, r.n, r.rate) == (7, 10, 0.7)
    assert r.low < 0.7 < r.high and r.low == pytest.approx(0.3968, abs=1e-3)


def test_paired_comparison_counts_discordant_organizations():
    a = [fake_run([0, 0.5], success=s) for s in [True] * 6 + [False] * 4]
    b = [fake_run([0, 0.5], success=s) for s in [True, True, False, False, False, False,
                                                  False, False, False, True]]
    p = paired_success("a", a, "b", b)
    assert (p.both, p.only_a, p.only_b, p.neither) == (2, 4, 1, 3)
    assert p.difference == pytest.approx(0.3)
    # exact two-sided McNemar: 2 * P(X >= 4), X ~ Binomial(5, 1/2)
    assert p.p_value == pytest.approx(2 * (5 + 1) / 32)
    assert p.low < p.difference < p.high
    swapped = paired_success("b", b, "a", a)
    assert swapped.p_value == p.p_value and swapped.difference == pytest.approx(-0.3)


def test_identical_plans_do_not_differ():
    runs = [fake_run([0, 0.5], success=s) for s in (True, False, True)]
    p = paired_success("a", runs, "b", runs)
    assert p.only_a == p.only_b == 0 and p.p_value == 1.0 and p.difference == 0.0


def test_paired_comparison_needs_the_same_organizations():
    with pytest.raises(ValueError):
        paired_success("a", [fake_run([0, 1])], "b", [fake_run([0, 1])] * 2)


def test_milestones_money_and_the_outcome_table():
    runs = [fake_run([0, 0.3, 0.6], value=300, cost=100), fake_run([0, 0.1, 0.2], cost=50)]
    assert milestone_weeks(runs, 25).tolist()[0] == 1
    assert math.isnan(milestone_weeks(runs, 50)[1])
    m = money(runs)
    assert m.net_value.tolist() == [200, -50] and m.roi.tolist() == [2.0, -1.0]
    table = outcome_table({"p": runs}, [11, 12])
    assert table.seed.tolist() == [11, 12] and table.final_active.tolist() == [0.6, 0.2]
    assert table.success.tolist() == [True, False]
