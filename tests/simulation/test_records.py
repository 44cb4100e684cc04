"""What the model records of each person's history: moves (changes of state) and lapses."""

from __future__ import annotations

import numpy as np

from simulation import AdoptionModel, ModelConfig, OrganizationConfig, summarize
from simulation import interventions as P
from simulation.kernels import weekly
from simulation.people import People
from simulation.records import commit_moves
from simulation.states import ADOPTED, AWARE, LAPSED, TRYING, UNAWARE


def _commit(compiled: bool):
    """Three people over five weeks, by hand: person 0 goes aware, trying, adopted, lapsed,
    trying (5 moves, 1 lapse); person 1 is listed in four weeks (as if joining a community)
    but changes state twice (aware, trying); person 2 never moves."""
    people = People.allocate(3, 1)
    fn = weekly.commit if compiled else commit_moves
    weeks = [
        ([0, 1], [AWARE, AWARE, UNAWARE]),
        ([0, 1], [TRYING, AWARE, UNAWARE]),  # 1 listed, same state: no move
        ([0, 1], [ADOPTED, TRYING, UNAWARE]),
        ([0], [LAPSED, TRYING, UNAWARE]),
        ([0, 1], [TRYING, TRYING, UNAWARE]),
    ]
    for week, (changed, nxt) in enumerate(weeks, start=1):
        fn(np.array(changed, np.int64), np.array(nxt, np.int8), people.state, people.tried,
           people.adopted_week, people.moves, people.lapses, week)
    return people


def test_moves_and_lapses_by_hand_in_python_and_compiled():
    for compiled in (False, True):
        p = _commit(compiled)
        assert p.state.tolist() == [TRYING, TRYING, UNAWARE]
        assert p.moves.tolist() == [5, 2, 0]
        assert p.lapses.tolist() == [1, 0, 0]
        assert p.moves.dtype == np.int16 and p.lapses.dtype == np.int16


def _config(weeks=40, turnover=0.3):
    plan = (P.LaunchPlatform(type="launch_platform", start=2),
            P.Communities(type="communities", start=0, target=P.Target(count=4)),
            P.Gamification(type="gamification", start=4, end=12))
    return ModelConfig(weeks=weeks, organization=OrganizationConfig(employees=300), plan=plan,
                       dynamics={"turnover_per_year": turnover})


def test_counters_follow_the_states_week_by_week_in_both_engines():
    """Counted from each week's states by hand: a move is a person whose state differs from
    last week's (a new hire starts at 0); a lapse, a move into LAPSED. Both engines agree."""
    cfg = _config()
    models = [AdoptionModel(cfg, rng=5, engine=e) for e in ("agents", "numba")]
    for m in models:
        moves = np.zeros(m.people.n, int)
        lapses = np.zeros(m.people.n, int)
        for _ in range(cfg.weeks):
            before = m.people.state.copy()
            m.step()
            hired = m.people.hired_week == m.week
            moves[hired] = 0
            lapses[hired] = 0
            moved = (m.people.state != before) & ~hired
            moves += moved
            lapses += moved & (m.people.state == LAPSED)
            # a hire arrives UNAWARE and may move in its first week
            moves += hired & (m.people.state != UNAWARE)
            lapses += hired & (m.people.state == LAPSED)
            assert np.array_equal(m.moves, moves) and np.array_equal(m.lapses, lapses)
        assert m.moves.max() >= 3 and m.lapses.sum() > 0  # the case covers real churn
        assert (m.people.hired_week > 0).any()
    a, b = models
    assert np.array_equal(a.moves, b.moves) and np.array_equal(a.lapses, b.lapses)
    assert summarize(a).churn == summarize(b).churn


def test_churn_summary_counts_everyone_and_those_here_all_run():
    m = AdoptionModel(_config(weeks=30), rng=2, engine="numba").run()
    c = summarize(m).churn
    stayed = m.people.hired_week <= 0
    assert sum(c["moves"]) == sum(c["lapses"]) == m.people.n
    assert sum(c["moves_full_run"]) == sum(c["lapses_full_run"]) == int(stayed.sum())
    assert c["moves"] == np.bincount(m.moves).tolist()
    assert c["lapses_full_run"] == np.bincount(m.lapses[stayed]).tolist()
    assert np.array(c["moves"]) @ np.arange(len(c["moves"])) == int(m.moves.sum())
