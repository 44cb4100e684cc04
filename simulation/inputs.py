"""What one person's weekly decision reads: one definition for both engines.

:func:`gather` turns the arrays (people, organization, communities) and the person's exposure
sums into the :class:`~simulation.rule.RuleInputs` of :func:`simulation.rule.decide`: what they
perceive among their contacts and community, their manager's support, the tool they can work
with, the goal their work with it serves, the help they get, their modifiers and motivation.
The agents engine calls it from each Mesa agent's ``step()`` (plain Python, with the exposure
summed over the agent's contacts); the numba engine compiles it into its kernel (with the
exposure kept incrementally). Adding an input of the rule: a field of ``RuleInputs``, one line
here, and its use in :mod:`simulation.rule`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba.extending import register_jitable

from .rule import (
    RuleInputs,
    RuleParams,
    WeekEnv,
    activity,
    activity_share,
    manager_support,
    motivation,
    perceive,
)
from .states import UNAWARE

__all__ = ["Groups", "community_shares", "gather"]

#: single-precision attributes are read as doubles (numba's float() would keep float32)
f64 = np.float64


class Groups(NamedTuple):
    """The communities, as the decision reads them: head counts (members, activity sum,
    engaged) per community, goal fit, community manager's strength, each department's open
    community and each community's activity share this week."""

    counts: np.ndarray  # int64 (n_communities, 3)
    goal: np.ndarray  # float64 (n_communities,)
    helper: np.ndarray  # float64 (n_communities,)
    open_of_department: np.ndarray  # int32 (n_departments,)
    shares: np.ndarray  # float64 (n_communities,): community_shares(counts)


@register_jitable
def community_shares(counts):
    """Each community's activity share (what joining depends on), once a week."""
    shares = np.empty(counts.shape[0])
    for c in range(counts.shape[0]):
        shares[c] = activity_share(counts[c, 0], counts[c, 1])
    return shares


@register_jitable(inline="always")
def gather(i, exposure, week, people, manager, department, groups, p: RuleParams, e: WeekEnv,
           lazy):
    """Person ``i``'s :class:`~simulation.rule.RuleInputs` this week.

    ``exposure`` is their six tie- and influence-weighted sums over contacts (everyone,
    activity, engaged, unconverted critics, veterans, veterans' activity: see
    :func:`simulation.rule.voice`); ``people`` the per-person arrays
    (:class:`~simulation.people.PersonArrays`), ``manager`` and ``department`` the
    organization's, ``groups`` the :class:`Groups`. ``lazy``: as the decision reads them:
    an unaware person reads only what reaches them (the rule looks at nothing else before one
    hears of it), so the rest is left at 0, and a member of a community reads no open community
    (only non-members look for one to join: ``open_community`` -1, ``open_share`` 0); an
    explanation of a person asks for everything. A term of the rule that reads a field for more
    people must be read here for them too.
    """
    st = people.state[i]
    c = people.community[i]
    cu = np.uintp(max(c, 0))  # unsigned indices (read if c >= 0): no wraparound code
    c_size, c_act, c_eng = 0, 0, 0
    if c >= 0:
        counts = groups.counts
        c_size, c_act, c_eng = counts[cu, 0], counts[cu, 1], counts[cu, 2]
    newcomer = week - people.hired_week[i] < p.newcomer_weeks
    extra = p.newcomer_extra_weight if newcomer else 0
    c_open, open_share = -1, 0.0
    if not (lazy and c >= 0):  # rule.decide looks for a community to join for non-members only
        c_open = groups.open_of_department[np.uintp(department[i])]
        open_share = groups.shares[np.uintp(c_open)] if c_open >= 0 else 0.0
    tot, act, eng, neg, vtot, vact = exposure
    social, critics, peers = perceive(
        tot, act, eng, neg, vtot, vact, extra, c_size, c_act, c_eng, p
    )
    trust, mastery = people.trust[i], people.mastery[i]
    reach = f64(people.reach[i])
    if lazy and st == UNAWARE:
        return RuleInputs(st, social, critics, peers, 0.0, 0.0, reach, 0.0, 0.0, 0.0, 0.0, 0.0,
                          0.0, trust, mastery, 0.0, 0.0, 0.0, c, c_open, open_share)
    m = manager[i]
    support = 0.0
    if m >= 0:
        mu = np.uintp(m)
        attitude = f64(people.attitude[mu]) + f64(people.support_boost[mu])
        uses_it = activity(people.state[mu]) == 2
        support = p.manager_signal * manager_support(attitude, uses_it, p)
    tool = 0.0
    if people.access[i]:
        tool = e.tool_fit
    elif c >= 0:
        tool = e.legacy_fit
    goal = groups.goal[cu] if c >= 0 else e.relevance
    community_manager = groups.helper[cu] if c >= 0 else 0.0
    purpose, drive = f64(people.purpose[i]), f64(people.community_drive[i])
    motive = motivation(f64(people.autonomy[i]), mastery, purpose, drive, p)
    return RuleInputs(
        st,
        social,
        critics,
        peers,
        support,
        f64(people.helper[i]) + community_manager,
        reach,
        f64(people.push[i]),
        f64(people.compliance[i]),
        f64(people.fatigue[i]),
        motive,
        purpose,
        drive,
        trust,
        mastery,
        f64(people.threshold[i]),
        tool,
        goal,
        c,
        c_open,
        open_share,
    )
