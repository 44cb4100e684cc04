"""Outcome metrics: milestones, Rogers categories, ties, success criterion, value and cost."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulation import AdoptionModel, ModelConfig, OrganizationConfig, summarize
from simulation import interventions as P
from simulation.metrics import rogers_categories, weeks_to
from simulation.states import ADOPTED, ENGAGED


def test_weeks_to_is_the_first_week_at_or_above_the_level():
    share = np.array([0.0, 0.05, 0.1, 0.3, 0.2, 0.6])
    assert weeks_to(share, 0.10) == 2
    assert weeks_to(share, 0.25) == 3
    assert weeks_to(share, 0.5) == 5
    assert weeks_to(share, 0.7) is None


def test_rogers_categories_of_normal_adoption_times_are_rogers_shares():
    # adoption weeks ~ N(200, 20): the categories cut at mean -2sd, -sd, mean, +sd
    weeks = np.arange(400)
    density = np.exp(-0.5 * ((weeks - 200) / 20) ** 2)
    cats = rogers_categories(np.rint(density * 1e5).astype(np.int64))
    expected = {"innovators": 0.0228, "early_adopters": 0.1359, "early_majority": 0.3413,
                "late_majority": 0.3413, "laggards": 0.1587}
    assert math.isclose(sum(cats.values()), 1.0)
    for k, v in expected.items():
        assert abs(cats[k] - v) < 0.02, (k, cats[k])


def test_rogers_categories_without_adopters_are_zero():
    assert set(rogers_categories(np.zeros(10, np.int64)).values()) == {0.0}


@pytest.fixture(scope="module")
def run():
    cfg = ModelConfig(
        weeks=40,
        organization=OrganizationConfig(employees=400),
        plan=(
            P.Communities(type="communities", start=0),
            P.LaunchPlatform(type="launch_platform", start=0),
            P.Education(type="education", start=2, end=5, target=P.Target(share=0.5)),
        ),
        conditions={"trust": 0.7, "tool_fit": 0.9, "relevance": 0.5},
    )
    model = AdoptionModel(cfg, rng=11, engine="numba").run()
    return model, summarize(model)


def test_milestones_match_the_series(run):
    model, r = run
    n = r.n_employees
    active = (np.array(r.series["adopted"]) + np.array(r.series["engaged"])) / n
    assert active[-1] > 0.1  # the run has real dynamics to measure
    for lvl in (10, 25, 50):
        hit = np.flatnonzero(active >= lvl / 100)
        assert r.metrics[f"weeks_to_{lvl}"] == (int(hit[0]) if hit.size else None)
    users = r.series["adopted"][-1] + r.series["engaged"][-1]
    assert r.metrics["engagement_depth"] == pytest.approx(r.series["engaged"][-1] / users)


def test_value_is_hours_saved_times_hourly_cost(run):
    """Hours saved are measured week by week (tests/simulation/test_value.py checks the
    measure); the metrics sum weeks 1..horizon by source and price the total."""
    model, r = run
    v = model.config.value
    by_source = [r.metrics[f"hours_saved_{k}"] for k in
                 ("meetings", "reuse", "cross_department_reuse")]
    assert min(by_source) > 0
    hours = model.value.hours[1:].sum()
    assert r.metrics["hours_saved"] == pytest.approx(hours) == pytest.approx(sum(by_source))
    assert r.metrics["value"] == pytest.approx(hours * v.hourly_cost)
    assert r.metrics["roi"] == pytest.approx((r.metrics["value"] - r.metrics["cost"])
                                            / r.metrics["cost"])


def test_costs_count_the_weeks_an_intervention_acts_and_the_people_it_reaches(run):
    model, r = run
    launch, edu = r.costs[1], r.costs[2]
    spec = model.config.plan[1]
    assert launch["weeks"] == model.config.weeks  # weeks 0..39 act; week 40 is the horizon
    assert launch["people"] == 400
    assert launch["money"] == pytest.approx(spec.money_fixed + spec.money_per_person * 400)
    e = model.config.plan[2]
    assert edu["weeks"] == 4 and edu["people"] == 200
    hours = e.hours_per_person * 200 + e.hours_per_person_week * 200 * 4
    assert edu["hours"] == pytest.approx(hours)
    assert edu["cost"] == pytest.approx(e.money_fixed + e.money_per_person * 200
                                        + hours * model.config.value.hourly_cost)
    assert r.metrics["cost"] == pytest.approx(sum(c["cost"] for c in r.costs))


def test_cross_department_ties_carrying_activity(run):
    model, r = run
    org, state = model.org, model.people.state
    active = (state == ADOPTED) | (state == ENGAGED)
    cross = carrying = 0
    for i in range(org.n):
        for j in org.neighbours(i):
            if j > i and org.department[i] != org.department[j]:
                cross += 1
                carrying += bool(active[i] and active[j])
    assert r.metrics["cross_department_ties"] == cross > 0
    assert r.metrics["cross_department_ties_active"] == carrying


@pytest.mark.parametrize(
    ("criterion", "expected"),
    [
        ({"active_share": 0.0, "engaged_share": 0.0}, True),
        ({"active_share": 1.0, "engaged_share": 0.0}, False),
        ({"active_share": 0.0, "engaged_share": 1.0}, False),
    ],
)
def test_success_criterion_is_configurable(criterion, expected):
    cfg = ModelConfig(weeks=12, organization=OrganizationConfig(employees=200),
                      plan=(P.LaunchPlatform(type="launch_platform", start=0),),
                      success=criterion)
    r = summarize(AdoptionModel(cfg, rng=1).run())
    assert r.success is expected
