"""The facts behind the words: computed from the runs and the plans' schedules."""

from __future__ import annotations

import numpy as np
import pytest

from experiments.comparison import build_scenarios, run_comparison
from experiments.explain import explain, plan_facts
from scenarios import validate_data

from .fake_runs import fake_run


@pytest.fixture
def plan():
    """Communities from week 0, gamification weeks 0-3, the platform from week 5."""
    return validate_data({
        "name": "test-plan",
        "weeks": 11,
        "plan": [
            {"type": "communities"},
            {"type": "gamification", "end": 3},
            {"type": "launch_platform", "start": 5},
        ],
    }, "test")


def _runs():
    # adoption reaches 10% in week 3 (take-off); lapses jump between weeks 4 and 8
    active = [0, 0.02, 0.05, 0.12, 0.2, 0.3, 0.4, 0.45, 0.5, 0.5, 0.5, 0.5]
    lapsed = [0, 0, 0, 0, 0, 0.02, 0.05, 0.08, 0.1, 0.1, 0.1, 0.1]
    groups = {"Sales": {"active": 0.8, "lapsed": 0.02}, "Claims": {"active": 0.2, "lapsed": 0.3}}
    return [fake_run(active, lapsed=lapsed, groups=groups) for _ in range(5)]


def test_take_off_names_what_was_acting_and_what_came_later(plan):
    f = plan_facts(plan, _runs())
    assert (f.takeoff.reached, f.takeoff.n, f.takeoff.median_week) == (5, 5, 3.0)
    acting = {it.type: n for it, n in f.takeoff.active}
    assert acting == {"communities": 5, "gamification": 5}
    assert {it.type: n for it, n in f.takeoff.later} == {"launch_platform": 5}


def test_stalled_groups_and_where_lapses_came_from(plan):
    f = plan_facts(plan, _runs())
    stalled = f.stalled("department")
    assert [g.group for g in stalled] == ["Claims"]  # 20% active, below the 40% success level
    assert stalled[0].stalled == 5 and stalled[0].active == pytest.approx(0.2)
    sources = f.lapse_sources()
    claims = next(g for g in sources if g.group == "Claims")
    assert claims.lapsed_share == pytest.approx(15 / 16) and claims.staff_share == 0.5
    assert "Sales" not in [g.group for g in sources]


def test_a_lapse_wave_names_the_intervention_that_had_just_ended(plan):
    wave = plan_facts(plan, _runs()).lapses
    assert wave.organizations == 5 and wave.median_week == 8
    assert wave.median_rise == pytest.approx(0.1)  # 0 in week 4 -> 10% in week 8
    assert {it.type for it, _ in wave.ended} == {"gamification"}


def test_no_take_off_and_falling_back(plan):
    flat = [fake_run([0, 0.02, 0.03] + [0.03] * 9)] * 3
    assert plan_facts(plan, flat).takeoff.reached == 0
    peak = [fake_run([0, 0.1, 0.3, 0.5, 0.4, 0.3, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2])] * 2
    f = plan_facts(plan, peak)
    assert f.fell_back == 2 and f.peak_active == pytest.approx(0.5)


def test_the_best_plan_is_contrasted_with_each_other_on_the_same_organizations(plan):
    other = validate_data({"name": "other", "weeks": 11, "plan": [{"type": "launch_platform"}]},
                          "test")
    groups = {"Sales": {"active": 0.1}, "Claims": {"active": 0.1}}
    weak = [fake_run([0] * 11 + [s], success=s > 0.3, groups=groups)
            for s in (0.1, 0.5, 0.1, 0.1, 0.1)]
    e = explain([other, plan], {"other": weak, "test-plan": _runs()})
    assert e.best == "test-plan"
    (c,) = e.contrasts
    assert (c.paired.a, c.paired.b, c.paired.only_a, c.paired.only_b) == (
        "test-plan", "other", 4, 0)
    # the widest gap first: Sales 80% active against 10%, then Claims 20% against 10%
    assert [(g, round(a, 2), round(b, 2)) for g, a, b in c.department_gaps] == [
        ("Sales", 0.8, 0.1), ("Claims", 0.2, 0.1)]


def test_facts_agree_with_the_runs_of_a_real_comparison():
    scs = build_scenarios(["provide-and-pray", "goal-led-communities"],
                          {"weeks": 30, "organization.employees": 300})
    c = run_comparison(scs, replicates=4, seed=3, engine="numba", workers=1)
    e = explain(c.scenarios, {n: c.runs(n) for n in c.names})
    for f in e.plans:
        runs = c.runs(f.name)
        reached = [r.metrics["weeks_to_10"] for r in runs if r.metrics["weeks_to_10"] is not None]
        assert f.takeoff.reached == len(reached)
        if reached:
            assert f.takeoff.median_week == np.median(reached)
        assert f.success.successes == sum(r.success for r in runs)
        assert f.active == pytest.approx(np.median([r.metrics["active_share"] for r in runs]))
        assert {g.group for g in f.departments} == set(runs[0].by_department)
