"""What one person's weekly decision reads: one definition for both engines.

:func:`gather` turns the arrays (people, organization, communities) and the person's exposure
sums into the :class:`~simulation.rule.RuleInputs` of :func:`simulation.rule.decide`: what they
perceive among their contacts and community, their manager's support, the tool they can work
with, the goal their work with it serves, the help they get, their modifiers and motivation.
The agents engine calls it from each Mesa agent's ``step()`` (plain Python, with the exposure
summed over the agent's contacts); the numba engine compiles it into its kernel (with the
exposure kept incrementally: :func:`look_up` for a block of people one by one, then
:func:`assemble` for the block at once). Adding an input of the rule: a field of
``RuleInputs``, one line in :func:`assemble` (a value read through another index, such as a
manager's or a community's: a field of :class:`Lookups` and a line in :func:`look_up`), and its
use in :mod:`simulation.rule`.
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

__all__ = ["Groups", "Lookups", "assemble", "community_shares", "gather", "look_up"]

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
    dept_active: np.ndarray  # float64 (n_departments,): active share of each department


@register_jitable
def community_shares(counts):
    """Each community's activity share (what joining depends on), once a week."""
    shares = np.empty(counts.shape[0])
    for c in range(counts.shape[0]):
        shares[c] = activity_share(counts[c, 0], counts[c, 1])
    return shares


class Lookups(NamedTuple):
    """What one person's decision reads through another index (their community, department
    or manager); :func:`look_up`."""

    c_size: int  # one's community's members, 0 if none
    c_act: int  # ... their activity sum
    c_eng: int  # ... the engaged among them
    goal: float  # goal fit of one's work with it: one's community's, else the bare platform's
    community_manager: float  # one's community manager's strength, 0 if none
    open_community: int  # one's department's community open to join, -1 none
    open_share: float  # its activity share
    support: float  # one's manager's support
    local: float  # active share of one's department


@register_jitable(inline="always")
def look_up(i, people, manager, department, groups, p: RuleParams, e: WeekEnv, lazy) -> Lookups:
    """Person ``i``'s :class:`Lookups` this week. ``lazy``: as the decision reads them: a
    member of a community reads no open community (only non-members look for one to join:
    ``open_community`` -1, ``open_share`` 0); an explanation of a person asks for everything.
    """
    c = people.community[i]
    cu = np.uintp(max(c, 0))  # unsigned indices (read if c >= 0): no wraparound code
    c_size, c_act, c_eng, goal, community_manager = 0, 0, 0, e.relevance, 0.0
    if c >= 0:
        counts = groups.counts
        c_size, c_act, c_eng = counts[cu, 0], counts[cu, 1], counts[cu, 2]
        goal, community_manager = groups.goal[cu], groups.helper[cu]
    c_open, open_share = -1, 0.0
    if not (lazy and c >= 0):  # rule.decide looks for a community to join for non-members only
        c_open = groups.open_of_department[np.uintp(department[i])]
        open_share = groups.shares[np.uintp(c_open)] if c_open >= 0 else 0.0
    m = manager[i]
    support = 0.0
    if m >= 0:
        mu = np.uintp(m)
        attitude = f64(people.attitude[mu]) + f64(people.support_boost[mu])
        uses_it = activity(people.state[mu]) == 2
        support = p.manager_signal * manager_support(attitude, uses_it, p)
    local = groups.dept_active[np.uintp(department[i])]
    return Lookups(c_size, c_act, c_eng, goal, community_manager, c_open, open_share, support,
                   local)


@register_jitable(inline="always")
def assemble(i, exposure, week, people, look: Lookups, p: RuleParams, e: WeekEnv):
    """Person ``i``'s :class:`~simulation.rule.RuleInputs` from their own rows of the arrays,
    their exposure sums and their :class:`Lookups` (no branches, and no reads through another
    index: the numba engine assembles a block of people's inputs at once, in SIMD registers).
    """
    st = people.state[i]
    c = people.community[i]
    newcomer = week - people.hired_week[i] < p.newcomer_weeks
    extra = p.newcomer_extra_weight if newcomer else 0
    tot, act, eng, neg, vtot, vact = exposure
    social, critics, peers = perceive(
        tot, act, eng, neg, vtot, vact, extra, look.c_size, look.c_act, look.c_eng, p
    )
    mastery = people.mastery[i]
    tool = e.tool_fit if people.access[i] else e.legacy_fit if c >= 0 else 0.0
    purpose, drive = f64(people.purpose[i]), f64(people.community_drive[i])
    motive = motivation(f64(people.autonomy[i]), mastery, purpose, drive, p)
    return RuleInputs(
        st,
        social,
        critics,
        peers,
        look.support,
        f64(people.helper[i]) + look.community_manager,
        f64(people.reach[i]),
        f64(people.push[i]),
        f64(people.compliance[i]),
        f64(people.fatigue[i]),
        motive,
        purpose,
        drive,
        people.trust[i],
        mastery,
        f64(people.threshold[i]),
        tool,
        look.goal,
        c,
        look.open_community,
        look.open_share,
        np.int64(people.lapses[i]),
        f64(people.fit[i]),
        look.local,
    )


@register_jitable(inline="always")
def gather(i, exposure, week, people, manager, department, groups, p: RuleParams, e: WeekEnv,
           lazy):
    """Person ``i``'s :class:`~simulation.rule.RuleInputs` this week: :func:`assemble` of
    their :func:`look_up`.

    ``exposure`` is their six tie- and influence-weighted sums over contacts (everyone,
    activity, engaged, unconverted critics, veterans, veterans' activity: see
    :func:`simulation.rule.voice`); ``people`` the per-person arrays
    (:class:`~simulation.people.PersonArrays`), ``manager`` and ``department`` the
    organization's, ``groups`` the :class:`Groups`; ``lazy``: see :func:`look_up`.
    """
    look = look_up(i, people, manager, department, groups, p, e, lazy)
    return assemble(i, exposure, week, people, look, p, e)
