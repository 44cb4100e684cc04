"""Knockouts and falsifications of the domain claims (experiments.knockouts, docs/KNOCKOUTS.md)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from experiments.claims import collect, library_plans
from experiments.knockouts import (
    MECHANISMS,
    MONTHS,
    MOTIVATORS,
    driver_ranking,
    evaluate,
    half_active_in_months,
    variant,
)
from simulation import AdoptionModel


def _plan(tag):
    return next(s for s in library_plans().values() if tag in s.tags)


def test_variant_addresses_an_intervention_by_type_and_skips_plans_without_it():
    gl = _plan("goal-led")
    v = variant(gl, {"plan[communities].goal_fit": 0.3, "plan[mandate].fatigue": 0.0}, "v")
    comm = next(p for p in v.plan if p.type == "communities")
    assert comm.goal_fit == 0.3 and v.name == "v"
    assert [p.type for p in v.plan] == [p.type for p in gl.plan]  # no mandate added


def test_a_condition_pinned_as_a_zero_width_range_keeps_every_other_draw():
    """Knockouts compare the same organizations: pinning one condition must not shift the
    random numbers of the others (a bare number would skip its draw)."""
    pp = _plan("provide-and-pray")
    pinned = variant(pp, {"conditions.relevance": {"low": 0.8, "high": 0.8}}, "pinned")
    a = AdoptionModel(pp, rng=5)
    b = AdoptionModel(pinned, rng=5)
    assert b.conditions["relevance"] == 0.8
    assert {k: v for k, v in a.conditions.items() if k != "relevance"} == \
        {k: v for k, v in b.conditions.items() if k != "relevance"}
    assert np.array_equal(a.org.manager, b.org.manager)


def test_evaluate_measures_default_knockout_and_falsification_on_the_same_organizations():
    assert len({m.name for m in MECHANISMS}) == len(MECHANISMS)
    goal_led = next(m for m in MECHANISMS if m.name == "2")
    (o,) = evaluate(6, seed=3, mechanisms=[goal_led], workers=1)
    assert o.default.mean > 0.3  # goal-led beats provide-and-pray on these organizations
    # without goal fit as a source of value neither plan gets anywhere: nothing is left
    assert o.knockout.mean == 0.0 and o.kept_by_knockout == 0.0
    again = evaluate(6, seed=3, mechanisms=[goal_led], workers=2)[0]
    assert (again.default, again.knockout, again.falsified) == (o.default, o.knockout, o.falsified)
    # the plans' runs at their defaults taken from earlier runs (renamed, fewer replicates)
    earlier = collect(4, 3, scenarios={f"p{i}": _plan(t).model_copy(update={"name": f"p{i}"})
                                       for i, t in enumerate(("goal-led", "provide-and-pray"))},
                      workers=1)
    ran = []
    (reused,) = evaluate(6, seed=3, mechanisms=[goal_led], workers=1, reuse=[earlier],
                         progress=ran.append)
    # run: the last 2 replicates of both defaults and of provide-and-pray's falsified arm (it has
    # no communities to change: the same content as the default), 6 of each other arm
    assert len(ran) == 3 * 2 + 3 * 6
    assert (reused.default, reused.knockout, reused.falsified) == \
        (o.default, o.knockout, o.falsified)


def test_months_count_an_organization_reaching_half_active_in_8_to_78_weeks():
    def w(weeks):
        return half_active_in_months(SimpleNamespace(metrics={"weeks_to_50": weeks}), None)

    assert MONTHS == (8, 78)
    assert [w(x) for x in (None, 3, 7, 8, 40, 78, 79)] == [0, 0, 0, 1, 1, 1, 0]


@pytest.mark.parametrize("motivator", MOTIVATORS)
def test_each_motivator_is_contrasted_and_knocked_out_on_its_own(motivator):
    """Claim 12 per motivator: plan B moves only that motivator's mean; the switch zeroes only
    its weight in motivation (and, for mastery, skill's value: its other channel)."""
    m = next(m for m in MECHANISMS if m.name == f"12-{motivator}")
    assert m.contrast.change_b == ((f"organization.motivator_shift.{motivator}", -0.3),)
    weights = m.switch["dynamics.motivation_weights"]
    k = MOTIVATORS.index(motivator)
    assert weights[k] == 0 and all(w > 0 for i, w in enumerate(weights) if i != k)
    assert set(m.switch) - {"dynamics.motivation_weights"} == (
        {"dynamics.weight_mastery"} if motivator == "mastery" else set())
    variant(_plan("goal-led"), {**m.switch, **dict(m.contrast.change_b)}, "valid")
    variant(_plan("goal-led"), m.falsify, "valid too")


# whether each check is carried and falsifiable: tests/experiments/test_claims.py (it shares the
# claims' runs)


@pytest.mark.slow
@pytest.mark.parametrize("tag", ["provide-and-pray", "goal-led"])
def test_managers_attitude_is_among_the_three_strongest_drivers(tag, process_pool):
    """Claim 6 as a ranking (Morris screening over the documented condition ranges, as in
    docs/KNOCKOUTS.md)."""
    drivers = {d.name: d for d in driver_ranking(_plan(tag), 20, 3, executor=process_pool)}
    assert drivers["manager_attitude"].rank <= 3, sorted(drivers.values(), key=lambda d: d.rank)


def test_with_managers_unfelt_their_attitude_drives_nothing():
    """The ranking's knockout: with dynamics.manager_signal = 0 the managers' attitude has no
    elementary effect at all (every design point runs the same organizations)."""
    plan = variant(_plan("goal-led"), {"dynamics.manager_signal": 0.0}, "goal-led, unfelt")
    drivers = {d.name: d for d in driver_ranking(plan, 3, 1, workers=1)}
    assert drivers["manager_attitude"].mu_star == 0.0
    assert max(d.mu_star for d in drivers.values()) > 0  # the others still act
