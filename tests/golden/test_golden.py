"""Golden fingerprints: the model's behaviour, bit for bit, on a fixed set of cases.

Every case (scenario x seed x engine) is run week by week; each week, a SHA-256 of every
person's state (adoption state, motivation, trust, influence, threshold, critic and champion
flags, community, role, tenure, every intervention modifier), the communities, the
organization-wide environment, the weekly conditions the rule reads and the head counts is
recorded, and at the end the value, the cost and a digest of the whole result. The cases cover
every intervention type, turnover, an imported org chart (with and without a tie list) and the
classic rules. ``fingerprints.json`` was recorded on main before the house refactor (issue 11);
a refactor that changes nothing must reproduce it exactly.

    python tests/golden/test_golden.py --write    # re-record (only for a deliberate change)
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pytest

HERE = Path(__file__).resolve().parent
RECORD = HERE / "fingerprints.json"
ORG_CSV = HERE / "org.csv"
TIES_CSV = HERE / "ties.csv"

#: every person's arrays, by the name the fingerprint gives them: (holder, attribute)
PERSON_ARRAYS = (
    "state", "role", "role_pinned", "hired_week", "autonomy", "mastery", "purpose",
    "community_drive", "trust", "threshold", "influence", "critic", "attitude", "community",
    "champion", "access", "reach", "push", "helper", "support_boost", "compliance", "fatigue",
    "community_goal", "community_helper", "dept_community",
)


#: every intervention type once (the plan of the engine identity test when recorded), as a
#: scenario's ``plan`` data: frozen here, so that editing other tests cannot move the record
EVERY_INTERVENTION = (
    {"type": "pilot_tools", "start": 1, "end": 8, "target": {"share": 0.1}},
    {"type": "education", "start": 2, "target": {"roles": ["employee", "veteran"]}},
    {"type": "manager_engagement", "start": 2, "end": 30},
    {"type": "win_over_critics", "start": 3},
    {"type": "communities", "start": 4, "end": 30,
     "target": {"departments": ["Sales", "Claims", "Client Service"]}},
    {"type": "council", "start": 6},
    {"type": "center_of_excellence", "start": 7, "experts": 3},
    {"type": "champion_tribe", "start": 9, "target": {"count": 40}},
    {"type": "veteran_reinforcement", "start": 9},
    {"type": "launch_platform", "start": 10},
    {"type": "executive_sponsorship", "start": 10},
    {"type": "marketing_campaign", "start": 10, "end": 14},
    {"type": "mandate", "start": 12, "end": 20, "target": {"departments": ["Finance"]}},
    {"type": "gamification", "start": 14, "end": 22},
    {"type": "publish_outcomes", "start": 16},
)

#: other settings of the same types: communities without managers and with founders per
#: department, a tribe by share inside communities, a short pilot, a mandate to all...
VARIANTS = (
    {"type": "communities", "start": 0, "managers": False, "target": {"count": 6}},
    {"type": "champion_tribe", "start": 2, "target": {"share": 0.05}},
    {"type": "center_of_excellence", "start": 3, "experts": 1, "capacity": 20},
    {"type": "pilot_tools", "start": 4, "tools": 5},
    {"type": "launch_platform", "start": 6, "announcement_weeks": 0,
     "target": {"roles": ["leader", "middle_manager"]}},
    {"type": "launch_platform", "start": 12},
    {"type": "mandate", "start": 14, "end": 18},
    {"type": "gamification", "start": 8, "end": 10, "withdrawal_weeks": 3},
    {"type": "publish_outcomes", "start": 10, "interval": 2, "strength": 0.5},
    {"type": "win_over_critics", "start": 5, "target": {"departments": ["HR"]}},
    {"type": "executive_sponsorship", "start": 1, "informal_leaders": 0.0},
)


def _cases() -> dict[str, dict]:
    """name -> case: what to build, seed, engine."""
    from scenarios import builtin_names, load_scenario
    from simulation import ModelConfig, OrganizationConfig

    small = ["organization.employees=300", "weeks=40"]
    cases: dict[str, dict] = {}
    for engine in ("agents", "numba"):
        for seed in (1, 2):
            cfg = ModelConfig(weeks=40, organization=OrganizationConfig(employees=600),
                              plan=EVERY_INTERVENTION, dynamics={"turnover_per_year": 0.3})
            cases[f"every-intervention/seed{seed}/{engine}"] = dict(config=cfg, seed=seed,
                                                                    engine=engine)
        cfg = ModelConfig(weeks=30, organization=OrganizationConfig(employees=500),
                          plan=VARIANTS, dynamics={"turnover_per_year": 0.2})
        cases[f"variants/seed3/{engine}"] = dict(config=cfg, seed=3, engine=engine)
        for name in builtin_names():
            sc = load_scenario(name)
            if "classic" in sc.tags:
                sc = load_scenario(name, ["weeks=60", "organization.employees=400"])
            else:
                sc = load_scenario(name, small)
            cases[f"{name}/seed7/{engine}"] = dict(config=sc, seed=7, engine=engine)
        churn = load_scenario("provide-and-pray", [*small, "dynamics.turnover_per_year=0.8"])
        cases[f"provide-and-pray-churn/seed5/{engine}"] = dict(config=churn, seed=5, engine=engine)
        for ties in (True, False):
            sc = load_scenario("goal-led-communities", ["weeks=40"])
            key = "org-chart+ties" if ties else "org-chart"
            cases[f"{key}/seed11/{engine}"] = dict(config=sc, seed=11, engine=engine,
                                                   org_csv=True, ties_csv=ties)
    return cases


def _digest(parts) -> str:
    h = hashlib.sha256()
    for name, value in parts:
        h.update(name.encode())
        a = np.ascontiguousarray(np.asarray(value))
        h.update(str(a.dtype).encode() + str(a.shape).encode())
        h.update(a.tobytes())
    return h.hexdigest()[:16]


def _adoption_week(model) -> str:
    p = model.people
    parts = [(name, getattr(p, name)) for name in PERSON_ARRAYS]
    env = model.env
    parts += [
        ("env", [env.tool_fit, env.relevance, env.legacy_fit, env.visibility, env.outcomes]),
        ("week_env", [float(x) for x in model.week_env]),
        ("tried", model.tried),
        ("adopted_week", model.adopted_week),
        ("signups", model.signups),
        ("adoptions", model.adoptions),
        ("by_role", model.aggregates.by_role),
        ("by_dept", model.aggregates.by_dept),
        ("comm", model.aggregates.comm),
    ]
    return _digest(parts)


def _classic_week(model) -> str:
    return _digest([("state", model.state), ("adopted_week", model.adopted_week),
                    ("n_active", model.n_active)])


def _result_digest(result) -> str:
    payload = {
        "success": result.success,
        "metrics": result.metrics,
        "costs": result.costs,
        "series": result.series,
        "by_role": result.by_role,
        "by_department": result.by_department,
        "conditions": result.conditions,
    }
    text = json.dumps(payload, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def fingerprint(case: dict) -> dict:
    """Run one case week by week: its weekly digests, value, cost and result digest."""
    from scenarios import load_org_chart
    from simulation import AdoptionModel, summarize
    from simulation.classic import ClassicModel, summarize_classic

    cfg, seed = case["config"], case["seed"]
    org = None
    if case.get("org_csv"):
        ties = TIES_CSV if case.get("ties_csv") else None
        org = load_org_chart(ORG_CSV, ties, cfg.organization, np.random.default_rng(seed))
    classic = cfg.rule != "social-business"
    cls = ClassicModel if classic else AdoptionModel
    model = cls(cfg, rng=np.random.default_rng(seed), engine=case["engine"], organization=org)
    week = _classic_week if classic else _adoption_week
    weeks = [week(model)]
    while model.week < cfg.weeks:
        model.step()
        weeks.append(week(model))
    result = summarize_classic(model) if classic else summarize(model)
    return {
        "weeks": weeks,
        "value": repr(float(result.metrics["value"])),
        "cost": repr(float(result.metrics["cost"])),
        "result": _result_digest(result),
    }


def _write_org_chart() -> None:
    """The imported org chart's files: a generated organization written as CSV, with roles and
    tenures given for some rows and a tie list with weights and repeated pairs."""
    from simulation import OrganizationConfig, generate_organization

    rng = np.random.default_rng(99)
    org = generate_organization(OrganizationConfig(employees=400, departments=5), rng)
    ids = [f"E{i:04d}" for i in range(org.n)]
    rows = ["employee_id,manager_id,department,role,tenure_years"]
    for i in range(org.n):
        m = int(org.manager[i])
        role = "veteran" if i % 17 == 5 and org.position[i] == 0 else ""
        tenure = f"{org.tenure_years[i]:.1f}" if i % 3 else ""
        rows.append(f"{ids[i]},{ids[m] if m >= 0 else ''},"
                    f"{org.department_names[org.department[i]]},{role},{tenure}")
    ORG_CSV.write_text("\n".join(rows) + "\n")
    src = org.tie_sources()
    ties = ["source,target,weight"]
    for t in range(0, src.size, 2):
        a, b = int(src[t]), int(org.indices[t])
        w = "" if t % 5 else f"{0.2 + (t % 7) / 5:.1f}"
        ties.append(f"{ids[b]},{ids[a]},{w}" if t % 3 else f"{ids[a]},{ids[b]},{w}")
    TIES_CSV.write_text("\n".join(ties) + "\n")


def _recorded() -> dict:
    return json.loads(RECORD.read_text())


CASES = sorted(_recorded()) if RECORD.exists() else []


def test_the_cases_cover_every_intervention_type_turnover_and_an_org_chart():
    from simulation.interventions import intervention_types, tag_of

    cases = _cases()
    assert sorted(cases) == CASES
    used = {s.type for c in cases.values() for s in c["config"].plan}
    built_in = {tag_of(cls) for cls in intervention_types()
                if cls.__module__.startswith("simulation.interventions.")}
    assert used == built_in
    assert any(c.get("org_csv") and c.get("ties_csv") for c in cases.values())
    assert any(c["config"].dynamics.turnover_per_year > 0.5 for c in cases.values())


@pytest.mark.parametrize("name", CASES)
def test_golden_fingerprint(name):
    want = _recorded()[name]
    got = fingerprint(_cases()[name])
    differ = [w for w, (a, b) in enumerate(zip(got["weeks"], want["weeks"], strict=True))
              if a != b]
    assert not differ, f"{name}: people's state differs from week {differ[0]} on"
    assert (got["value"], got["cost"]) == (want["value"], want["cost"])
    assert got["result"] == want["result"], f"{name}: the run's result differs"


def main() -> int:
    if "--write" not in sys.argv:
        print(__doc__)
        return 2
    if not ORG_CSV.exists():
        _write_org_chart()
    record = {}
    for name, case in _cases().items():
        record[name] = fingerprint(case)
        print(name, record[name]["weeks"][-1], record[name]["value"], record[name]["cost"])
    RECORD.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
