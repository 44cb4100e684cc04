"""The weekly rule's engagement step, on one person's inputs (no model, no randomness)."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.config import Dynamics
from simulation.rule import RuleInputs, WeekEnv, _move, rule_params
from simulation.states import ADOPTED, ENGAGED

ENV = WeekEnv(tool_fit=0.7, legacy_fit=0.3, relevance=0.4, workload=0.0, active_share=0.4,
              leader_signal=0.3, stall=0.0, outcomes=0.0)


def _member(peers: float, fit: float = 1.3) -> RuleInputs:
    """An adopted community member (goal fit 0.8, a community manager's help, a mildly
    supportive manager) with ``peers`` of the voice around them engaged."""
    return RuleInputs(
        state=ADOPTED, social=0.6, critics=0.0, peers=peers, support=0.2, helper=0.8,
        reach=0.0, push=0.0, compliance=0.0, fatigue=0.0, motive=0.61, purpose=0.6,
        community=0.6, trust=0.6, mastery=0.5, threshold=0.3, tool=0.7, goal=0.8,
        member_of=0, open_community=-1, open_share=0.0, lapses=0, fit=fit, local=0.4,
    )


def engage_chance(x: RuleInputs, d: Dynamics) -> float:
    """P(ADOPTED -> ENGAGED) this week: the share of uniforms that lead there."""
    p = rule_params(d)
    us = (np.arange(4000) + 0.5) / 4000
    return float(np.mean([_move(x, u, p, ENV)[0] == ENGAGED for u in us]))


PEERS = (0.0, 0.1, 0.3, 0.5, 0.7, 0.9)


def test_situational_lurking_where_many_contribute_one_reads():
    d = Dynamics()
    chances = [engage_chance(_member(s, fit=1.2), d) for s in PEERS]
    # at the defaults crowding outweighs engaged peers' pull: fewer start where more contribute
    assert all(b <= a for a, b in zip(chances, chances[1:], strict=False)), chances
    assert chances[0] > 0.05
    assert chances[-1] < 0.25 * chances[0], chances


def test_without_crowding_engaged_peers_only_draw_people_in():
    d = Dynamics(contribution_crowding=0.0)
    chances = [engage_chance(_member(s, fit=1.2), d) for s in PEERS]
    assert all(b >= a for a, b in zip(chances, chances[1:], strict=False)), chances
    assert chances[-1] > chances[0]


@pytest.mark.parametrize("crowding", [0.3, 0.5, 0.8])
def test_more_crowding_fewer_contributors_where_most_contribute(crowding):
    weaker = Dynamics(contribution_crowding=crowding - 0.2)
    stronger = Dynamics(contribution_crowding=crowding)
    x = _member(0.7)
    assert engage_chance(x, stronger) <= engage_chance(x, weaker)
    assert engage_chance(_member(0.0), stronger) == engage_chance(_member(0.0), weaker)
