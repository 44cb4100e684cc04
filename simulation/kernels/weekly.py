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

from ..draws import uniform
from ..rule import activity, activity_share, decide, manager_support, motivation, perceive
from ..states import ADOPTED, ENGAGED, ROLE_VETERAN, TRYING, UNAWARE
from .config import invalidate_stale_cache, njit, njit_inline, njit_parallel
from .intrinsics import prefetch

invalidate_stale_cache(__file__, ["../rule.py", "../states.py", "../draws.py", "intrinsics.py"])

#: single-precision attributes are read as doubles (numba's float() would keep float32)
f64 = np.float64

__all__ = [
    "N_EXPOSURE",
    "commit",
    "decide_all",
    "int32_influence_cap",
    "push_changes",
    "push_exposure",
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


@njit_inline
def _state_voice_differs(st, ns):
    """Whether a change of state alone (same role, influence and critic flag) changes a
    person's voice: their activity or whether they are engaged."""
    return activity(st) != activity(ns) or (st == ENGAGED) != (ns == ENGAGED)


#: prefetch distances of :func:`push_changes`, in changed people ahead of the current one
_AHEAD_INDPTR = 16
_AHEAD_TIES = 8
_AHEAD_ROWS = 4


@njit_parallel
def push_changes(changed, count, state, next_state, role, infl, crit, indptr, indices, weight,
                 X, visits, spill):
    """Push the voice changes of this week's movers (``changed[:count]``, ascending, old
    states in ``state``, new ones in ``next_state``) to their contacts' exposure sums ``X``.

    The rows are split into the blocks of :func:`decide_all` (``visits``: the ties of each
    block's movers), one task each; a task walks the ties of its own movers once, adds to the
    rows of its block, and leaves additions to other blocks' rows (ties across departments
    at a block edge: a few percent) in its stretch of ``spill`` (``visits.sum()`` rows at
    least), which the owners then add. Integer
    sums, so the result is the serial one whatever the thread count. The ties and rows of
    the next movers are prefetched while the current one is pushed."""
    n = X.shape[0]
    parts = visits.shape[0]
    starts = np.zeros(parts + 1, np.int64)
    offset = np.zeros(parts + 1, np.int64)
    spilled = np.zeros(parts, np.int64)
    for part in range(parts):
        starts[part + 1] = np.searchsorted(changed[:count], n * (part + 1) // parts)
        offset[part + 1] = offset[part] + visits[part]
    Xf = X.reshape(X.size)
    ncol = X.shape[1]
    for part in prange(parts):
        lo = n * part // parts
        hi = n * (part + 1) // parts
        k0, k1 = starts[part], starts[part + 1]
        out = offset[part]
        s = 0
        for k in range(k0, k1):
            if k + _AHEAD_INDPTR < k1:
                prefetch(indptr, changed[k + _AHEAD_INDPTR])
            if k + _AHEAD_TIES < k1:
                a = indptr[changed[k + _AHEAD_TIES]]
                prefetch(indices, a)
                prefetch(weight, a)
            if k + _AHEAD_ROWS < k1:
                ia = changed[k + _AHEAD_ROWS]
                for t in range(indptr[ia], indptr[ia + 1]):
                    prefetch(Xf, indices[t] * ncol)
            i = changed[k]
            st, ns = state[i], next_state[i]
            if not _state_voice_differs(st, ns):
                continue
            f, a0, a1 = infl[i], activity(st), activity(ns)
            d_act = f * (a1 - a0)
            d_eng = f * ((ns == ENGAGED) - (st == ENGAGED))
            d_neg = f * ((crit[i] and a1 < 2) - (crit[i] and a0 < 2))
            d_vact = d_act if role[i] == ROLE_VETERAN else 0
            for t in range(indptr[i], indptr[i + 1]):
                j = indices[t]
                w = weight[t]
                if lo <= j < hi:
                    X[j, 1] += w * d_act
                    X[j, 2] += w * d_eng
                    X[j, 3] += w * d_neg
                    X[j, 5] += w * d_vact
                else:
                    e = out + s
                    spill[e, 0] = j
                    spill[e, 1] = w * d_act
                    spill[e, 2] = w * d_eng
                    spill[e, 3] = w * d_neg
                    spill[e, 4] = w * d_vact
                    s += 1
        spilled[part] = s
    for part in prange(parts):
        lo = n * part // parts
        hi = n * (part + 1) // parts
        for q in range(parts):
            if q == part or spilled[q] == 0:
                continue
            for e in range(offset[q], offset[q] + spilled[q]):
                j = spill[e, 0]
                if lo <= j < hi:
                    X[j, 1] += spill[e, 1]
                    X[j, 2] += spill[e, 2]
                    X[j, 3] += spill[e, 3]
                    X[j, 5] += spill[e, 4]


@njit_parallel
def push_exposure(who, delta, count, indptr, indices, weight, X, parts):
    """Add each changed voice ``delta[k]`` of person ``who[k]`` (k < count) to their contacts'
    exposure sums ``X``.

    The rows of ``X`` are split into ``parts`` blocks, one per thread; a thread walks every
    change but writes only its own rows, so no two threads write the same row and, the sums
    being integers, the result is exactly the serial one whatever the thread count. The next
    people's ties and rows are prefetched, as in :func:`push_changes`."""
    n = X.shape[0]
    Xf = X.reshape(X.size)
    ncol = X.shape[1]
    for part in prange(parts):
        lo = n * part // parts
        hi = n * (part + 1) // parts
        for k in range(count):
            if k + _AHEAD_INDPTR < count:
                prefetch(indptr, who[k + _AHEAD_INDPTR])
            if k + _AHEAD_TIES < count:
                prefetch(indices, indptr[who[k + _AHEAD_TIES]])
            if k + _AHEAD_ROWS < count:
                ia = who[k + _AHEAD_ROWS]
                for t in range(indptr[ia], indptr[ia + 1]):
                    if lo <= indices[t] < hi:
                        prefetch(Xf, indices[t] * ncol)
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


@njit_parallel
def decide_all(
    state,
    next_state,
    key,
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
    role,
    rec_state,
    rec_com,
    indptr,
    parts,
    changed,
    visits,
    acc_role,
    acc_dept,
    acc_comm,
    by_role,
    by_dept,
):
    """Everyone's decision for one week (synchronous), in parallel: each person's decision
    reads only this week's state and their own draw (:func:`simulation.draws.uniform` of the
    week's ``key`` and their index).

    People are split into ``parts`` contiguous row blocks, one task each. A block lists its
    people who changed state or community (ascending) in its own stretch of ``changed``,
    moves their records (``rec_state``, ``rec_com``) to the new state and community, and
    counts the head-count changes in its own slice of ``acc_role``/``acc_dept``/``acc_comm``.
    The blocks' counts are then added to ``by_role``/``by_dept``/``comm`` and the lists
    joined into ``changed[:count]``: integer sums and ordered lists, so the result does not
    depend on the number of blocks or threads. ``next_state`` is written for the people
    listed only. Trust, mastery and community are updated in place (nobody reads another
    person's, and community head counts are read from ``comm``, updated after the pass).
    ``visits[part]`` gets the number of ties of the block's people whose voice changed.
    Returns (count, total of ``visits``).
    """
    n = state.shape[0]
    counts = np.zeros(parts, np.int64)
    shares = np.empty(comm.shape[0])
    for c in range(comm.shape[0]):
        shares[c] = activity_share(comm[c, 0], comm[c, 1])
    for part in prange(parts):
        lo = n * part // parts
        hi = n * (part + 1) // parts
        a_role, a_dept, a_comm = acc_role[part], acc_dept[part], acc_comm[part]
        a_role[:] = 0
        a_dept[:] = 0
        a_comm[:] = 0
        k = lo
        v = 0
        for i in range(lo, hi):
            st = state[i]
            u = uniform(key, i)
            c = community[i]
            c_size, c_act, c_eng = 0, 0, 0
            if c >= 0:
                c_size, c_act, c_eng = comm[c, 0], comm[c, 1], comm[c, 2]
            extra = extra_vet if week - hired_week[i] < newcomer_weeks else 0
            c_open = dept_community[department[i]]
            open_share = shares[c_open] if c_open >= 0 else 0.0
            social, critics, peers = perceive(
                X[i, 0], X[i, 1], X[i, 2], X[i, 3], X[i, 4], X[i, 5], extra, c_size, c_act,
                c_eng, p,
            )
            if st == UNAWARE:
                ns, tr, ms, nc = decide(
                    st,
                    u,
                    social,
                    critics,
                    peers,
                    0.0,
                    0.0,
                    f64(reach[i]),
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
                        f64(attitude[m]) + f64(support_boost[m]), activity(state[m]) == 2, p
                    )
                tool = 0.0
                if access[i]:
                    tool = e.tool_fit
                elif c >= 0:
                    tool = e.legacy_fit
                goal = comm_goal[c] if c >= 0 else e.relevance
                cm_help = comm_helper[c] if c >= 0 else 0.0
                motive = motivation(
                    f64(autonomy[i]), mastery[i], f64(purpose[i]), f64(community_drive[i]), p
                )
                ns, tr, ms, nc = decide(
                    st,
                    u,
                    social,
                    critics,
                    peers,
                    support,
                    f64(helper[i]) + cm_help,
                    f64(reach[i]),
                    f64(push[i]),
                    f64(compliance[i]),
                    f64(fatigue[i]),
                    motive,
                    f64(purpose[i]),
                    f64(community_drive[i]),
                    trust[i],
                    mastery[i],
                    f64(threshold[i]),
                    tool,
                    goal,
                    c,
                    c_open,
                    open_share,
                    p,
                    e,
                )
            if tr != trust[i]:
                trust[i] = tr
            if ms != mastery[i]:
                mastery[i] = ms
            if ns != st or nc != c:
                next_state[i] = ns
                community[i] = nc
                changed[k] = i
                k += 1
                r = role[i]
                _recount(st, r, c, ns, r, nc, department[i], a_role, a_dept, a_comm)
                rec_state[i] = ns
                rec_com[i] = nc
                if _state_voice_differs(st, ns):
                    v += indptr[i + 1] - indptr[i]
        counts[part] = k - lo
        visits[part] = v
    count = 0
    for part in range(parts):
        lo = n * part // parts
        for q in range(counts[part]):
            changed[count + q] = changed[lo + q]
        count += counts[part]
        by_role += acc_role[part]
        by_dept += acc_dept[part]
        comm += acc_comm[part]
    return count, visits.sum()



@njit
def commit(changed, next_state, state, tried, adopted_week, week):
    """The new states of ``changed`` take effect; marks first sign-ups (``tried``) and first
    adoptions (``adopted_week``). Returns (first sign-ups, first adoptions)."""
    signups = 0
    adoptions = 0
    for k in range(changed.shape[0]):
        i = changed[k]
        ns = next_state[i]
        state[i] = ns
        if ns == TRYING and not tried[i]:
            tried[i] = True
            signups += 1
        elif ns == ADOPTED and adopted_week[i] < 0:
            adopted_week[i] = week
            adoptions += 1
    return signups, adoptions
