"""Event detection (simulation.events): records from constructed situations, and on real runs
the same events whatever the engine, without changing the run."""

from __future__ import annotations

import numpy as np
import pytest

from simulation import (
    EVENT_KINDS,
    AdoptionModel,
    EventDetector,
    ModelConfig,
    OrganizationConfig,
    detect_events,
)
from simulation.states import ADOPTED, ENGAGED, LAPSED, ROLE_VETERAN, TRYING

LAUNCH = {"type": "launch_platform"}
COMMUNITIES = {"type": "communities", "goal_fit": 0.9}


def _model(weeks=20, employees=240, plan=(), **kw) -> AdoptionModel:
    cfg = ModelConfig.model_validate(
        {"weeks": weeks, "organization": {"employees": employees}, "plan": list(plan), **kw}
    )
    return AdoptionModel(cfg, rng=11, engine="numba")


def _week(model, week: int, det: EventDetector):
    """Make ``week`` the model's week (no step: the test has set the states itself)."""
    model.week = week
    return det.observe(model)


def test_veterans_lapsing_in_one_department_make_one_cluster_with_who_and_numbers():
    m = _model()
    people, org = m.people, m.org
    vets = np.flatnonzero(people.role == ROLE_VETERAN)
    d = int(np.bincount(org.department[vets]).argmax())
    here = vets[org.department[vets] == d]
    k = max(4, int(np.ceil(0.15 * here.size)))
    group = here[:k]
    people.state[group] = ADOPTED
    det = EventDetector(m)
    assert not [e for e in _week(m, 1, det) if e.kind == "lapse_cluster"]  # nothing moved
    people.state[group] = LAPSED
    events = [e for e in _week(m, 2, det) if e.kind == "lapse_cluster"]
    assert len(events) == 1
    e = events[0]
    assert (e.week, e.who, e.where) == (2, "veteran", org.department_names[d])
    assert e.numbers == {"gave_up": k, "were_active": k, "size": here.size, "elsewhere": 0}
    assert sorted(e.people) == sorted(group.tolist())
    # a smaller group (below min_cluster) is no cluster
    m2 = _model()
    m2.people.state[group[:3]] = TRYING
    det2 = EventDetector(m2)
    m2.people.state[group[:3]] = LAPSED
    assert not [e for e in _week(m2, 1, det2) if e.kind == "lapse_cluster"]


def test_same_role_is_not_narrated_again_within_the_quiet_weeks():
    m = _model()
    people, org = m.people, m.org
    emp = np.flatnonzero((people.role == 0) & (org.department == 0))
    k = max(4, int(np.ceil(0.15 * emp.size)))
    assert emp.size >= 3 * k
    people.state[emp] = TRYING
    det = EventDetector(m)
    told = []
    for week, batch in ((1, emp[:k]), (3, emp[k : 2 * k]), (9, emp[2 * k : 3 * k])):
        people.state[batch] = LAPSED
        told += [e.week for e in _week(m, week, det) if e.kind == "lapse_cluster"]
    assert told == [1, 9]  # week 3 is within 8 quiet weeks of week 1


def test_newcomers_stopping_next_to_colleagues_who_gave_up():
    m = _model()
    people, org = m.people, m.org
    # someone with at least two contacts in their own department
    for j in range(people.n):
        contacts = org.neighbours(j)
        same = contacts[org.department[contacts] == org.department[j]]
        if same.size >= 3:
            break
    newcomers = same[:3]
    people.hired_week[newcomers] = -5  # five weeks in the organization
    people.state[j] = ADOPTED
    people.state[newcomers] = TRYING
    det = EventDetector(m)
    people.state[j] = LAPSED
    _week(m, 1, det)
    people.state[newcomers] = LAPSED
    events = [e for e in _week(m, 3, det) if e.kind == "newcomers_followed"]
    assert len(events) == 1
    e = events[0]
    assert (e.who, e.where) == ("newcomers", org.department_names[org.department[j]])
    assert e.numbers["stopped"] == 3 and e.numbers["contacts_gave_up"] >= 1
    assert e.numbers["veterans"] == int(people.role[j] == ROLE_VETERAN)
    assert sorted(e.people) == sorted(newcomers.tolist())
    # the same people giving up with no colleague gone before: no event
    m2 = _model()
    m2.people.hired_week[newcomers] = -5
    m2.people.state[newcomers] = TRYING
    det2 = EventDetector(m2)
    m2.people.state[newcomers] = LAPSED
    assert not [e for e in _week(m2, 1, det2) if e.kind == "newcomers_followed"]


def test_milestones_departments_roles_and_momentum_from_set_states():
    m = _model()
    people, org = m.people, m.org
    det = EventDetector(m)
    n = people.n
    d0 = np.flatnonzero(org.department == 0)
    people.state[d0] = ENGAGED  # one whole department
    events = _week(m, 1, det)
    passed = [e for e in events if e.kind == "department_passed"]
    assert [(e.where, e.numbers["count"]) for e in passed] == [
        (org.department_names[0], d0.size)
    ]
    milestones = [(e.who, e.numbers["level"]) for e in events if e.kind == "milestone"]
    shares = dict(milestones)
    assert len(shares) == len(milestones)  # levels passed in one week: one event, the highest
    share = d0.size / n
    rules = det.rules
    for who, levels in (("active", rules.levels), ("engaged", rules.engaged_levels)):
        passed = [lv for lv in levels if share >= lv]
        assert shares.get(who) == (max(passed) if passed else None)
    assert "engaged" in shares
    assert not _week(m, 2, det)  # nothing new: milestones are announced once
    managers = np.flatnonzero(people.role == 1)
    people.state[managers] = ADOPTED
    roles = [e for e in _week(m, 3, det) if e.kind == "role_passed"]
    assert [(e.who, e.numbers["count"]) for e in roles] == [("middle_manager", managers.size)]
    people.state[managers] = LAPSED
    people.state[d0] = LAPSED
    events = _week(m, 4, det)
    fell = [e for e in events if e.kind == "role_fell"]
    assert [(e.who, e.numbers["count"]) for e in fell] == [("middle_manager", 0)]
    lost = [e for e in events if e.kind == "momentum_lost"]
    assert len(lost) == 1 and lost[0].numbers["share"] == 0.0
    assert lost[0].numbers["peak"] == pytest.approx((d0.size + managers.size - (
        np.isin(managers, d0).sum())) / n)


def test_a_flat_run_stalls_after_the_first_intervention():
    m = _model(plan=[{"type": "marketing_campaign", "start": 2}])
    det = EventDetector(m)
    stalls = []
    for week in range(1, 14):
        stalls += [e for e in _week(m, week, det) if e.kind == "stalled"]
    assert [e.week for e in stalls] == [11]  # 2 + 8 weeks of no growth, told once
    assert stalls[0].numbers == {"weeks": 8, "share": 0.0, "growth": 0.0}


def test_interventions_start_and_end_with_their_reach():
    plan = [LAUNCH, {"type": "marketing_campaign", "start": 3, "end": 6}]
    events = detect_events(_model(weeks=12, plan=plan))
    told = [(e.week, e.kind, e.who) for e in events if e.kind.startswith("intervention")]
    assert told == [
        (0, "intervention_started", "launch_platform"),
        (3, "intervention_started", "marketing_campaign"),
        (6, "intervention_ended", "marketing_campaign"),
    ]
    launch = next(e for e in events if e.who == "launch_platform")
    assert launch.numbers["people"] == 240 and launch.where is None


def test_real_run_every_kind_is_known_events_are_ordered_and_the_run_is_unchanged():
    plan = [LAUNCH, COMMUNITIES]
    kw = {"conditions": {"trust": 0.7, "motivation": 0.6}}
    events = detect_events(m := _model(weeks=40, employees=300, plan=plan, **kw))
    plain = _model(weeks=40, employees=300, plan=plan, **kw).run()
    assert np.array_equal(m.people.state, plain.people.state)
    assert events and all(e.kind in EVENT_KINDS for e in events)
    assert {"intervention_started", "milestone", "community_passed"} <= {e.kind for e in events}
    weeks = [e.week for e in events]
    assert weeks == sorted(weeks)
    for e in events:
        assert e.as_dict()["week"] == e.week


def test_same_events_whatever_the_engine():
    cfg = ModelConfig.model_validate(
        {"weeks": 26, "organization": {"employees": 200}, "plan": [LAUNCH, COMMUNITIES],
         "conditions": {"trust": 0.7}}
    )
    a = detect_events(AdoptionModel(cfg, rng=5, engine="agents"))
    b = detect_events(AdoptionModel(cfg, rng=5, engine="numba"))
    assert a == b and len(a) > 3


def test_new_hires_taking_a_slot_are_not_lapses():
    m = _model(weeks=30, dynamics={"turnover_per_year": 0.9})
    m.people.state[:] = ADOPTED
    det = EventDetector(m)
    m.step()
    hired = np.flatnonzero(m.people.hired_week == m.week)
    assert hired.size
    for e in det.observe(m):
        assert not set(e.people) & set(hired.tolist())
    assert isinstance(OrganizationConfig(), OrganizationConfig)
