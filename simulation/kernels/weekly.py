"""numba kernels of the weekly dynamics: exposure bookkeeping and the weekly decision pass.

Exposure sums are kept incrementally: when a person's voice (activity, engagement, critic flag,
veteran flag, influence) changes, the change is pushed to their contacts' integer sums, instead
of a full pass over all ties each week. Integer sums are exact, so the incremental totals equal
the agents engine's direct sums, and the trajectories match state for state.

The decision itself is :func:`simulation.rule.decide`, compiled into :func:`decide_all`.
"""

from __future__ import annotations

import numpy as np

from ..rule import activity, decide, manager_support, motivation, perceive
from ..states import ENGAGED, ROLE_VETERAN, UNAWARE
from .config import invalidate_stale_cache, njit

invalidate_stale_cache(__file__, ["../rule.py", "../states.py"])

__all__ = ["N_EXPOSURE", "decide_all", "sync_all", "sync_list"]

N_EXPOSURE = 6  # tot, act, eng, neg, vtot, vact


@njit
def _voice(state, role, infl, critic, out):
    a = activity(state)
    out[0] = infl
    out[1] = infl * a
    out[2] = infl if state == ENGAGED else 0
    out[3] = infl if (critic and a < 2) else 0
    vet = role == ROLE_VETERAN
    out[4] = infl if vet else 0
    out[5] = infl * a if vet else 0


@njit
def _sync_one(i, cur, rec, indptr, indices, weight, department, X, by_role, by_dept, comm, vo, vn):
    """Bring person i's pushed record ``rec`` up to their current attributes ``cur``.
    Returns the number of ties visited."""
    state, role, com, infl, crit = cur[0][i], cur[1][i], cur[2][i], cur[3][i], cur[4][i]
    ostate, orole, ocom = rec[0][i], rec[1][i], rec[2][i]
    if (
        state == ostate
        and role == orole
        and com == ocom
        and infl == rec[3][i]
        and crit == rec[4][i]
    ):
        return 0
    if ostate >= 0:
        _voice(ostate, orole, rec[3][i], rec[4][i], vo)
    else:
        vo[:] = 0
    _voice(state, role, infl, crit, vn)
    differs = False
    for k in range(vo.shape[0]):
        vn[k] -= vo[k]
        differs = differs or vn[k] != 0
    visits = 0
    if differs:
        visits = indptr[i + 1] - indptr[i]
        for t in range(indptr[i], indptr[i + 1]):
            j = indices[t]
            w = weight[t]
            for k in range(vn.shape[0]):
                X[j, k] += w * vn[k]
    d = department[i]
    if ostate >= 0:
        by_role[ostate, orole] -= 1
        by_dept[ostate, d] -= 1
        if ocom >= 0:
            comm[ocom, 0] -= 1
            comm[ocom, 1] -= activity(ostate)
            comm[ocom, 2] -= 1 if ostate == ENGAGED else 0
    by_role[state, role] += 1
    by_dept[state, d] += 1
    if com >= 0:
        comm[com, 0] += 1
        comm[com, 1] += activity(state)
        comm[com, 2] += 1 if state == ENGAGED else 0
    rec[0][i], rec[1][i], rec[2][i], rec[3][i], rec[4][i] = state, role, com, infl, crit
    return visits


@njit
def sync_all(cur, rec, indptr, indices, weight, department, X, by_role, by_dept, comm):
    """Sync everyone (after turnover or interventions): O(n) checks, pushes only changes.
    Returns the number of ties visited."""
    vo = np.zeros(N_EXPOSURE, np.int64)
    vn = np.zeros(N_EXPOSURE, np.int64)
    visits = 0
    for i in range(department.shape[0]):
        visits += _sync_one(
            i, cur, rec, indptr, indices, weight, department, X, by_role, by_dept, comm, vo, vn
        )
    return visits


@njit
def sync_list(idx, cur, rec, indptr, indices, weight, department, X, by_role, by_dept, comm):
    """Sync the people in ``idx`` (those whose state changed this week).
    Returns the number of ties visited."""
    vo = np.zeros(N_EXPOSURE, np.int64)
    vn = np.zeros(N_EXPOSURE, np.int64)
    visits = 0
    for i in idx:
        visits += _sync_one(
            i, cur, rec, indptr, indices, weight, department, X, by_role, by_dept, comm, vo, vn
        )
    return visits


@njit
def decide_all(
    state,
    next_state,
    u,
    X,
    week,
    hired_week,
    newcomer_weeks,
    extra_vet,
    manager,
    attitude,
    support_boost,
    community,
    comm,
    comm_goal,
    comm_helper,
    department,
    dept_community,
    access,
    helper,
    reach,
    push,
    compliance,
    fatigue,
    autonomy,
    mastery,
    purpose,
    community_drive,
    trust,
    threshold,
    p,
    e,
    changed,
):
    """Everyone's decision for one week (synchronous). Returns how many changed state or
    community; their indices are in ``changed[:count]``. Trust, mastery and community are
    updated in place (nobody reads another person's, and community head counts are read from
    ``comm``, which is synced after the pass)."""
    count = 0
    for i in range(state.shape[0]):
        st = state[i]
        c = community[i]
        c_size, c_act, c_eng = 0, 0, 0
        if c >= 0:
            c_size, c_act, c_eng = comm[c, 0], comm[c, 1], comm[c, 2]
        extra = extra_vet if week - hired_week[i] < newcomer_weeks else 0
        c_open = dept_community[department[i]]
        open_share = 0.0
        if c_open >= 0 and comm[c_open, 0] > 0:
            open_share = comm[c_open, 1] / (2 * comm[c_open, 0])
        social, critics, peers = perceive(
            X[i, 0], X[i, 1], X[i, 2], X[i, 3], X[i, 4], X[i, 5], extra, c_size, c_act, c_eng, p
        )
        if st == UNAWARE:
            ns, tr, ms, nc = decide(
                st,
                u[i],
                social,
                critics,
                peers,
                0.0,
                0.0,
                reach[i],
                0.0,
                0.0,
                0.0,
                0.0,
                0.0,
                0.0,
                trust[i],
                mastery[i],
                0.0,
                0.0,
                0.0,
                c,
                c_open,
                open_share,
                p,
                e,
            )
        else:
            m = manager[i]
            support = 0.0
            if m >= 0:
                support = manager_support(
                    attitude[m] + support_boost[m], activity(state[m]) == 2, p
                )
            tool = 0.0
            if access[i]:
                tool = e.tool_fit
            elif c >= 0:
                tool = e.legacy_fit
            goal = comm_goal[c] if c >= 0 else e.relevance
            cm_help = comm_helper[c] if c >= 0 else 0.0
            motive = motivation(autonomy[i], mastery[i], purpose[i], community_drive[i], p)
            ns, tr, ms, nc = decide(
                st,
                u[i],
                social,
                critics,
                peers,
                support,
                helper[i] + cm_help,
                reach[i],
                push[i],
                compliance[i],
                fatigue[i],
                motive,
                purpose[i],
                community_drive[i],
                trust[i],
                mastery[i],
                threshold[i],
                tool,
                goal,
                c,
                c_open,
                open_share,
                p,
                e,
            )
        next_state[i] = ns
        trust[i] = tr
        mastery[i] = ms
        community[i] = nc
        if ns != st or nc != c:
            changed[count] = i
            count += 1
    return count
