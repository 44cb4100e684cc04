"""One dynamics, two engines: the same trajectory, state for state, every week."""

from __future__ import annotations

import numpy as np
import pytest

from scenarios import load_scenario
from simulation import AdoptionModel, ModelConfig, OrganizationConfig
from simulation import interventions as P

EVERY_INTERVENTION = (
    P.PilotTools(type="pilot_tools", start=1, end=8, target=P.Target(share=0.1)),
    P.Education(type="education", start=2, target=P.Target(roles=("employee", "veteran"))),
    P.ManagerEngagement(type="manager_engagement", start=2, end=30),
    P.WinOverCritics(type="win_over_critics", start=3),
    P.Communities(
        type="communities",
        start=4,
        end=40,
        target=P.Target(departments=("Sales", "Claims", "Client Service")),
    ),
    P.Council(type="council", start=6),
    P.CenterOfExcellence(type="center_of_excellence", start=7, experts=3),
    P.ChampionTribe(type="champion_tribe", start=9, target=P.Target(count=60)),
    P.VeteranReinforcement(type="veteran_reinforcement", start=9),
    P.LaunchPlatform(type="launch_platform", start=10),
    P.ExecutiveSponsorship(type="executive_sponsorship", start=10),
    P.MarketingCampaign(type="marketing_campaign", start=10, end=14),
    P.Mandate(type="mandate", start=12, end=20, target=P.Target(departments=("Finance",))),
    P.Gamification(type="gamification", start=14, end=22),
    P.PublishOutcomes(type="publish_outcomes", start=16),
)

#: communities whose help per member thins as they grow past their managers' capacity (one
#: across three departments, one per department elsewhere)
OUTGROWN = (
    P.LaunchPlatform(type="launch_platform", start=2),
    P.Communities(type="communities", scope="across", managers=1, manager_hours_week=1.0,
                  target=P.Target(departments=("Sales", "Claims", "Client Service"))),
    P.Communities(type="communities", start=1, managers=2, manager_hours_week=2.0,
                  target=P.Target(departments=("Finance", "HR", "Product"))),
)


def _scenarios():
    org = OrganizationConfig(employees=2000)
    return {
        "provide-and-pray, high turnover": load_scenario(
            "provide-and-pray",
            ["organization.employees=2000", "weeks=52", "dynamics.turnover_per_year=0.6"],
        ),
        "bootstrap": load_scenario("bootstrap", ["organization.employees=2000", "weeks=52"]),
        "every intervention": ModelConfig(weeks=52, organization=org, plan=EVERY_INTERVENTION),
        "communities outgrowing their managers, across departments": ModelConfig(
            weeks=52, organization=org, plan=OUTGROWN, dynamics={"turnover_per_year": 0.3}),
    }


@pytest.mark.slow
@pytest.mark.parametrize("name", list(_scenarios()))
def test_engines_identical_state_for_state(name, assert_engines_identical):
    agents, _ = assert_engines_identical(_scenarios()[name], 20261122)
    assert (agents.people.hired_week > 0).any()  # the comparison covered turnover


def test_the_identity_test_plan_has_every_intervention_type():
    """Every intervention type the package ships is in the engine identity test's plan (a new
    type must be added to EVERY_INTERVENTION)."""
    shipped = {P.tag_of(cls) for cls in P.intervention_types()
               if cls.__module__.startswith("simulation.interventions.")}
    assert len(shipped) >= 15
    assert {s.type for s in EVERY_INTERVENTION} == shipped


def test_incremental_exposure_equals_direct_sums():
    cfg = ModelConfig(
        weeks=30,
        organization=OrganizationConfig(employees=600),
        plan=EVERY_INTERVENTION,
        dynamics={"turnover_per_year": 0.5},
    )
    m = AdoptionModel(cfg, rng=3, engine="numba")
    for _ in range(cfg.weeks):
        m.step()
        for i in range(0, m.people.n, 13):  # an agent view sums its contacts directly
            assert tuple(m.engine.X[i]) == m.agent(i).exposure()


def test_exposure_sums_move_to_int64_before_they_could_overflow():
    cfg = ModelConfig(weeks=20, organization=OrganizationConfig(employees=600),
                      plan=EVERY_INTERVENTION)
    ref = AdoptionModel(cfg, rng=5, engine="numba")
    assert ref.engine.X.dtype == np.int32  # default organization: int32 is safe
    m = AdoptionModel(cfg, rng=5, engine="numba")
    m.engine.influence_cap = int(m.people.influence.max())  # the tribe's influence gain (week
    for week in range(cfg.weeks):  # 9) pushes someone above the cap
        ref.step()
        m.step()
        assert np.array_equal(ref.people.state, m.people.state), f"week {week + 1}"
        assert np.array_equal(ref.engine.X, m.engine.X)
    assert m.engine.X.dtype == np.int64


def test_int32_cap_bounds_every_possible_sum():
    from simulation.kernels.weekly import int32_influence_cap

    indptr = np.array([0, 2, 2, 5])
    weight = np.array([100, 300, 50, 50, 1000], np.int32)
    cap = int32_influence_cap(indptr, weight)
    assert cap == (2**31 - 1) // (2 * 1100)
    assert 2 * 1100 * cap <= 2**31 - 1 < 2 * 1100 * (cap + 1)


def test_numba_engine_gives_the_same_result_whatever_the_thread_count(monkeypatch):
    """The weekly pass works in one block per thread: one thread (one block) and two threads
    (two blocks, exposure additions spilled across the block edge) agree exactly."""
    import numba

    from simulation.kernels import threads as policy

    monkeypatch.setattr(policy, "PARALLEL_FROM", 0)  # threads at this small size too
    monkeypatch.setattr(policy, "free_cpus", lambda: 64)  # as if the machine were idle
    cfg = ModelConfig(weeks=30, organization=OrganizationConfig(employees=1500),
                      plan=EVERY_INTERVENTION, dynamics={"turnover_per_year": 0.3})
    before = numba.get_num_threads()
    try:
        runs = []
        for threads in (1, 2):
            numba.set_num_threads(threads)
            m = AdoptionModel(cfg, rng=11, engine="numba")
            assert m.engine.parts == m.engine.threads == threads
            m.run()
            runs.append(m)
    finally:
        numba.set_num_threads(before)
    one, two = runs
    assert (one.people.state > 0).sum() > 100  # real dynamics
    assert np.array_equal(one.people.state, two.people.state)
    assert np.array_equal(one.people.trust, two.people.trust)
    assert np.array_equal(one.engine.X, two.engine.X)
    assert np.array_equal(one.aggregates.by_dept, two.aggregates.by_dept)
    assert np.array_equal(one.aggregates.comm, two.aggregates.comm)


def test_weekly_draws_are_the_same_in_numpy_and_numba_and_uniform():
    import numba

    from simulation.draws import uniform, uniforms

    @numba.njit
    def compiled(key, n):
        out = np.empty(n)
        for i in range(n):
            out[i] = uniform(key, i)
        return out

    for key in (0, 1, 2**63 - 1, 20261130):
        u = uniforms(key, 200_000)
        assert np.array_equal(u, compiled(key, 200_000))
        assert u.min() >= 0.0 and u.max() < 1.0
        # 20 equal bins: each holds 10,000 +- 5 sd (sd ~ 97)
        counts = np.bincount((u * 20).astype(int), minlength=20)
        assert np.abs(counts - 10_000).max() < 500
        # the low bits used for community joining, frac(u * 2**20), are uniform too
        v = u * 2**20 - np.floor(u * 2**20)
        assert abs(v.mean() - 0.5) < 0.005
    assert not np.array_equal(uniforms(1, 1000), uniforms(2, 1000))


def test_kernels_refuse_arrays_of_the_wrong_dtype_or_length():
    """The kernels' public wrappers check every bundled array before compiled code runs."""
    from simulation.draws import week_key
    from simulation.engines import decision_view
    from simulation.kernels import weekly

    cfg = ModelConfig(weeks=5, organization=OrganizationConfig(employees=300),
                      plan=EVERY_INTERVENTION)
    m = AdoptionModel(cfg, rng=2, engine="numba")
    e = m.engine
    people = m.people.arrays()
    wrong = people._replace(trust=people.trust.astype(np.float32))
    with pytest.raises(ValueError, match=r"people\.trust: expected float64 of shape \(300,\)"):
        weekly.sync(None, wrong, e.rec, e.ties, m.org.department, e.tally, e.changes)
    _, manager, department, groups = decision_view(m, e.comm)
    short = people._replace(reach=people.reach[:-1])
    args = (week_key(m.rng), 1, e.X, short, manager, department, groups, m.params, m.week_env,
            e.rec, e.ties, e.tally, e.changes, e.scratch)
    with pytest.raises(ValueError, match=r"people\.reach: expected float32 of shape \(300,\)"):
        weekly.decide_all(*args)
    with pytest.raises(ValueError, match=r"manager: expected int32"):
        weekly.decide_all(*args[:3], people, manager.astype(np.int64), *args[5:])
    m.run()  # the checks passed as the engine calls them
    assert m.week == 5


def test_engine_checks_again_when_an_array_is_replaced():
    """The engine checks its bundles once and calls the unchecked kernels; a per-person array
    replaced (assigned, not written into) is a new bundle, checked before the next kernel."""
    cfg = ModelConfig(weeks=6, organization=OrganizationConfig(employees=300),
                      plan=EVERY_INTERVENTION)
    m = AdoptionModel(cfg, rng=2, engine="numba")
    m.run(2)
    bundle = m.people.arrays()
    assert m.people.arrays() is bundle  # unchanged arrays: the bundle already checked
    m.people.trust[:] = 0.5  # written into: the same bundle
    assert m.people.arrays() is bundle
    m.people.trust = m.people.trust.astype(np.float32)
    assert m.people.arrays() is not bundle
    with pytest.raises(ValueError, match=r"people\.trust: expected float64"):
        m.step()
    # the failed week is half done: the model refuses to go on (on Mesa 3.5 its scheduler also
    # stops; run() used to loop for ever there) and says why
    m.people.trust = m.people.trust.astype(np.float64)
    with pytest.raises(RuntimeError, match=r"week 3 failed half-way \(ValueError: people\.trust"):
        m.run()
    assert m.week == 3
    fresh = AdoptionModel(cfg, rng=2, engine="numba").run()
    assert fresh.week == 6


def test_threads_only_where_they_pay(monkeypatch):
    """Below PARALLEL_FROM employees a model works in one block on one thread; from it on in one
    block per numba thread, and each week on as many threads as CPUs are free of other work
    (a busy machine: one thread through both blocks, with the same result)."""
    import numba

    from simulation.kernels import threads

    before = numba.get_num_threads()
    monkeypatch.setattr(threads, "PARALLEL_FROM", 1000)
    small = ModelConfig(weeks=6, organization=OrganizationConfig(employees=999))
    large = ModelConfig(weeks=6, organization=OrganizationConfig(employees=1000))
    monkeypatch.setattr(threads, "free_cpus", lambda: 64)  # an idle machine
    assert AdoptionModel(small, rng=1, engine="numba").run().engine.parts == 1
    idle = AdoptionModel(large, rng=1, engine="numba").run()
    assert idle.engine.parts == idle.engine.threads == before
    monkeypatch.setattr(threads, "free_cpus", lambda: 1)  # every other CPU busy
    busy = AdoptionModel(large, rng=1, engine="numba").run()
    assert busy.engine.parts == before and busy.engine.threads == 1
    assert np.array_equal(idle.people.state, busy.people.state)
    assert numba.get_num_threads() == before  # the count in effect is restored


def test_free_cpus_counts_this_process_cpus_less_other_running_work():
    """Beside one busy process, at least one CPU fewer is free than this process may use."""
    import os
    import subprocess
    import sys
    import time

    from simulation.kernels.threads import free_cpus

    cpus = len(os.sched_getaffinity(0))
    assert 1 <= free_cpus() <= cpus
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.2)
        assert free_cpus() <= max(1, cpus - 1)
    finally:
        busy.kill()
        busy.wait()


def test_spill_buffer_holds_only_ties_across_blocks(monkeypatch):
    """The exposure additions one block leaves to another are bounded by its ties to other
    blocks, not by all its ties: one block needs no buffer, two need a few percent of the ties
    (a buffer for every tie was 34 GB of address space at 40M people)."""
    from simulation.kernels import threads as policy
    from simulation.kernels import weekly

    cfg = ModelConfig(weeks=12, organization=OrganizationConfig(employees=2000),
                      plan=EVERY_INTERVENTION, dynamics={"turnover_per_year": 0.3})
    one = AdoptionModel(cfg, rng=5, engine="numba").run()
    assert one.engine.parts == 1 and one.engine.spill.shape[0] == 0
    monkeypatch.setattr(policy, "PARALLEL_FROM", 0)  # one block per numba thread
    many = AdoptionModel(cfg, rng=5, engine="numba").run()
    org, room, parts = many.org, many.engine.room, many.engine.parts
    assert parts >= 2, "this test needs numba to have two threads or more"
    block = parts * np.arange(org.n) // org.n  # block of each row (n * part // parts edges)
    owner = np.repeat(block, np.diff(org.indptr))
    crossing = owner[block[org.indices] != owner]
    assert np.array_equal(room, np.bincount(crossing, minlength=parts))
    assert 0 < room.sum() < org.indices.size // 2
    assert 0 < many.engine.spill.shape[0] <= room.sum()
    assert np.array_equal(one.engine.X, many.engine.X)
    assert np.array_equal(one.people.state, many.people.state)
    assert weekly.spill_rows(many.engine.changes, room) <= room.sum()
