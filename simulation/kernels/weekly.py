"""numba kernels of the weekly dynamics: exposure bookkeeping and the weekly decision pass.

Exposure sums are kept incrementally: when a person's voice (activity, engagement, critic flag,
veteran flag, influence) changes, the change is pushed to their contacts' integer sums, instead
of a full pass over all ties each week. Integer sums are exact, so the incremental totals equal
the agents engine's direct sums, and the trajectories match state for state.

The decision itself is :func:`simulation.rule.decide`, compiled into :func:`decide_all`.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from ..rule import activity, decide, manager_support, motivation, perceive
from ..states import ENGAGED, ROLE_VETERAN, UNAWARE
from .config import invalidate_stale_cache, njit, njit_inline, njit_parallel

invalidate_stale_cache(__file__, ["../rule.py", "../states.py"])

__all__ = [
    "N_EXPOSURE",
    "decide_all",
    "int32_influence_cap",
    "push_exposure",
    "settle",
    "sync_all",
    "sync_list",
]

N_EXPOSURE = 6  # tot, act, eng, neg, vtot, vact


def int32_influence_cap(indptr, weight) -> int:
    """The largest influence for which int32 exposure sums cannot overflow: a person's sum is
    at most (their tie weights) x (the largest influence) x 2 (full activity). int32 sums
    halve the memory traffic of int64; the engine moves to int64 if anyone's influence ever
    exceeds this cap."""
    if indptr.shape[0] <= 1 or weight.size == 0:
        return 2**31 - 1
    per_person = np.add.reduceat(weight.astype(np.int64), indptr[:-1])
    per_person[np.diff(indptr) == 0] = 0
    return (2**31 - 1) // max(1, 2 * int(per_person.max()))


@njit_inline
def _voice(state, role, infl, critic, out):
    a = activity(state)
    out[0] = infl
    out[1] = infl * a
    out[2] = infl if state == ENGAGED else 0
    out[3] = infl if (critic and a < 2) else 0
    vet = role == ROLE_VETERAN
    out[4] = infl if vet else 0
    out[5] = infl * a if vet else 0


@njit_inline
def _recount(ostate, orole, ocom, state, role, com, d, by_role, by_dept, comm):
    """Move one person of department ``d`` in the head counts from the old (state, role,
    community) to the new; ``ostate`` -1: never counted."""
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


@njit_inline
def _voice_change(ostate, orole, oinfl, ocrit, state, role, infl, crit, vo, vn):
    """The change of a person's voice into ``vn``; True if any part of it is not zero."""
    if ostate >= 0:
        _voice(ostate, orole, oinfl, ocrit, vo)
    else:
        vo[:] = 0
    _voice(state, role, infl, crit, vn)
    differs = False
    for k in range(vo.shape[0]):
        vn[k] -= vo[k]
        differs = differs or vn[k] != 0
    return differs


@njit_parallel
def push_exposure(who, delta, count, indptr, indices, weight, X, parts):
    """Add each changed voice ``delta[k]`` of person ``who[k]`` (k < count) to their contacts'
    exposure sums ``X``.

    The rows of ``X`` are split into ``parts`` blocks, one per thread; a thread walks every
    change but writes only its own rows, so no two threads write the same row and, the sums
    being integers, the result is exactly the serial one whatever the thread count."""
    n = X.shape[0]
    for part in prange(parts):
        lo = n * part // parts
        hi = n * (part + 1) // parts
        for k in range(count):
            i = who[k]
            for t in range(indptr[i], indptr[i + 1]):
                j = indices[t]
                if lo <= j < hi:
                    w = weight[t]
                    for c in range(delta.shape[1]):
                        X[j, c] += w * delta[k, c]


@njit
def _sync(people, cur, rec, indptr, department, by_role, by_dept, comm, who, delta):
    vo = np.zeros(N_EXPOSURE, np.int64)
    vn = np.zeros(N_EXPOSURE, np.int64)
    count = 0
    visits = 0
    state, role, com, infl, crit = cur
    ostate, orole, ocom, oinfl, ocrit = rec
    for i in people:
        if (
            state[i] == ostate[i]
            and role[i] == orole[i]
            and com[i] == ocom[i]
            and infl[i] == oinfl[i]
            and crit[i] == ocrit[i]
        ):
            continue  # the common case, kept in this tight loop
        os, orl, oc, oi, ocr = ostate[i], orole[i], ocom[i], oinfl[i], ocrit[i]
        st, rl, c, p, cr = state[i], role[i], com[i], infl[i], crit[i]
        _recount(os, orl, oc, st, rl, c, department[i], by_role, by_dept, comm)
        ostate[i], orole[i], ocom[i], oinfl[i], ocrit[i] = st, rl, c, p, cr
        if _voice_change(os, orl, oi, ocr, st, rl, p, cr, vo, vn):
            who[count] = i
            delta[count] = vn
            count += 1
            visits += indptr[i + 1] - indptr[i]
    return count, visits


@njit
def sync_all(cur, rec, indptr, department, by_role, by_dept, comm, who, delta):
    """Sync everyone (after turnover or interventions): O(n) checks. Head counts are updated;
    the people whose voice changed and by how much go to ``who[:count]``, ``delta[:count]``
    for :func:`push_exposure`. Returns (count, ties to visit)."""
    everyone = np.arange(department.shape[0])
    return _sync(everyone, cur, rec, indptr, department, by_role, by_dept, comm, who, delta)


@njit
def sync_list(idx, cur, rec, indptr, department, by_role, by_dept, comm, who, delta):
    """:func:`sync_all` for the people in ``idx`` (those who changed this week)."""
    return _sync(idx, cur, rec, indptr, department, by_role, by_dept, comm, who, delta)


@njit
def settle(flags, state, next_state, cur, rec, indptr, department, by_role, by_dept, comm,
           changed, who, delta):
    """After :func:`decide_all`, before the new states are committed: list who changed (in
    ``changed``), move head counts and records to the new states and communities, and list
    whose voice changed and by how much (``who``, ``delta``) for :func:`push_exposure`.

    One ascending pass over the week's flags, so the scattered per-person reads of a
    person-by-person sync become a forward scan. Before the decision pass every record equals
    the person's attributes (everyone was synced), and the pass changes only states and
    communities. Returns (changed count, pushes, ties to visit)."""
    vo = np.zeros(N_EXPOSURE, np.int64)
    vn = np.zeros(N_EXPOSURE, np.int64)
    count = 0
    pushes = 0
    visits = 0
    role, infl, crit = cur[1], cur[3], cur[4]
    for i in range(flags.shape[0]):
        if not flags[i]:
            continue
        changed[count] = i
        count += 1
        st, ns = state[i], next_state[i]
        oc, nc = rec[2][i], cur[2][i]
        r = role[i]
        _recount(st, r, oc, ns, r, nc, department[i], by_role, by_dept, comm)
        rec[0][i] = ns
        rec[2][i] = nc
        if ns != st and _voice_change(st, r, infl[i], crit[i], ns, r, infl[i], crit[i], vo, vn):
            who[pushes] = i
            delta[pushes] = vn
            pushes += 1
            visits += indptr[i + 1] - indptr[i]
    return count, pushes, visits


@njit_parallel
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
    flags,
):
    """Everyone's decision for one week (synchronous), in parallel over people: each person's
    decision reads only this week's state and their own draw. ``flags[i]`` is set when person
    i changed state or community. Trust, mastery and community are updated in place (nobody
    reads another person's, and community head counts are read from ``comm``, which is synced
    after the pass)."""
    for i in prange(state.shape[0]):
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
        flags[i] = ns != st or nc != c
