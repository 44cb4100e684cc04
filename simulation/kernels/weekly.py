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
    "blocks_of",
    "push_changes",
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
def _voice(state, role, infl, critic):
    """What a person adds to each contact's sums (tot, act, eng, neg, vtot, vact), per unit
    of tie weight."""
    a = activity(state)
    vet = role == ROLE_VETERAN
    return (
        infl,
        infl * a,
        infl if state == ENGAGED else 0,
        infl if (critic and a < 2) else 0,
        infl if vet else 0,
        infl * a if vet else 0,
    )


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
def _voice_change(ostate, orole, oinfl, ocrit, state, role, infl, crit, out):
    """The change of a person's voice into ``out`` (``ostate`` -1: no voice before); True if
    any part of it is not zero."""
    new = _voice(state, role, infl, crit)
    old = _voice(max(ostate, 0), orole, oinfl if ostate >= 0 else 0, ocrit)
    differs = False
    for k in range(N_EXPOSURE):
        out[k] = new[k] - old[k]
        differs = differs or out[k] != 0
    return differs


#: prefetch distances of :func:`push_changes`, in changed people ahead of the current one
_AHEAD_INDPTR = 16
_AHEAD_TIES = 8
_AHEAD_ROWS = 4


@njit_parallel
def push_changes(who, delta, first, voiced, visits, indptr, indices, weight, X, spill):
    """Push voice changes to contacts' exposure sums ``X``.

    The changes come in row blocks, one per task: block ``part`` (rows ``n * part // parts``
    to ``n * (part + 1) // parts``) lists ``voiced[part]`` people from ``who[first[part]]``
    on, their voice changes in the same rows of ``delta`` (the six sums of :func:`_voice`),
    and ``visits[part]`` ties between them. A task walks the ties of its own people once,
    adds to the rows of its block, and leaves additions to other blocks' rows (ties across
    departments at a block edge: a few percent) in its stretch of ``spill`` (``visits.sum()``
    rows at least), which the owners then add. Integer sums, so the result is the serial one
    whatever the thread count. The ties and rows of the next people are prefetched while the
    current one is pushed."""
    n = X.shape[0]
    parts = visits.shape[0]
    offset = np.zeros(parts + 1, np.int64)
    spilled = np.zeros(parts, np.int64)
    for part in range(parts):
        offset[part + 1] = offset[part] + visits[part]
    Xf = X.reshape(X.size)
    ncol = X.shape[1]
    for part in prange(parts):
        lo = n * part // parts
        hi = n * (part + 1) // parts
        k0 = first[part]
        k1 = k0 + voiced[part]
        out = offset[part]
        s = 0
        for k in range(k0, k1):
            if k + _AHEAD_INDPTR < k1:
                prefetch(indptr, who[k + _AHEAD_INDPTR])
            if k + _AHEAD_TIES < k1:
                a = indptr[who[k + _AHEAD_TIES]]
                prefetch(indices, a)
                prefetch(weight, a)
            if k + _AHEAD_ROWS < k1:
                ia = who[k + _AHEAD_ROWS]
                for t in range(indptr[ia], indptr[ia + 1]):
                    prefetch(Xf, indices[t] * ncol)
            i = who[k]
            d0, d1, d2 = delta[k, 0], delta[k, 1], delta[k, 2]
            d3, d4, d5 = delta[k, 3], delta[k, 4], delta[k, 5]
            for t in range(indptr[i], indptr[i + 1]):
                tu = np.uintp(t)  # unsigned indices: no negative-index wraparound code
                j = indices[tu]
                w = weight[tu]
                if lo <= j < hi:
                    ju = np.uintp(j)
                    # a change of state moves activity; the other sums move less often
                    # (the same test for all of a person's ties: well predicted)
                    if d0 != 0:
                        X[ju, 0] += w * d0
                    X[ju, 1] += w * d1
                    if d2 != 0:
                        X[ju, 2] += w * d2
                    if d3 != 0:
                        X[ju, 3] += w * d3
                    if d4 != 0:
                        X[ju, 4] += w * d4
                    if d5 != 0:
                        X[ju, 5] += w * d5
                else:
                    e = out + s
                    spill[e, 0] = j
                    spill[e, 1] = w * d0
                    spill[e, 2] = w * d1
                    spill[e, 3] = w * d2
                    spill[e, 4] = w * d3
                    spill[e, 5] = w * d4
                    spill[e, 6] = w * d5
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
                    for c in range(ncol):
                        X[j, c] += spill[e, c + 1]


@njit
def blocks_of(who, count, indptr, n, first, voiced, visits):
    """Split an ascending list ``who[:count]`` into the row blocks of :func:`push_changes`:
    where each block's people start, how many, and how many ties they have."""
    parts = first.shape[0]
    k = 0
    for part in range(parts):
        hi = n * (part + 1) // parts
        first[part] = k
        v = 0
        while k < count and who[k] < hi:
            v += indptr[who[k] + 1] - indptr[who[k]]
            k += 1
        voiced[part] = k - first[part]
        visits[part] = v


@njit
def _sync(people, ahead, cur, rec, indptr, department, by_role, by_dept, comm, who, delta):
    count = 0
    visits = 0
    state, role, com, infl, crit = cur
    ostate, orole, ocom, oinfl, ocrit = rec
    n = people.shape[0]
    for k in range(n):
        if ahead and k + ahead < n:  # scattered people: fetch the next ones' records early
            j = people[k + ahead]
            prefetch(state, j)
            prefetch(ostate, j)
            prefetch(role, j)
            prefetch(orole, j)
            prefetch(com, j)
            prefetch(ocom, j)
            prefetch(infl, j)
            prefetch(oinfl, j)
            prefetch(crit, j)
            prefetch(ocrit, j)
            prefetch(department, j)
            prefetch(indptr, j)
        i = people[k]
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
        if _voice_change(os, orl, oi, ocr, st, rl, p, cr, delta[count]):
            who[count] = i
            count += 1
            visits += indptr[i + 1] - indptr[i]
    return count, visits


@njit
def sync_all(cur, rec, indptr, department, by_role, by_dept, comm, who, delta):
    """Sync everyone (after turnover or interventions): O(n) checks. Head counts are updated;
    the people whose voice changed and by how much go to ``who[:count]``, ``delta[:count]``
    for :func:`push_changes`. Returns (count, ties to visit)."""
    everyone = np.arange(department.shape[0])
    return _sync(everyone, 0, cur, rec, indptr, department, by_role, by_dept, comm, who, delta)


@njit
def sync_list(idx, cur, rec, indptr, department, by_role, by_dept, comm, who, delta):
    """:func:`sync_all` for the people in ``idx`` (those who changed this week, ascending)."""
    return _sync(idx, 8, cur, rec, indptr, department, by_role, by_dept, comm, who, delta)


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
    infl,
    crit,
    rec_state,
    rec_com,
    indptr,
    parts,
    changed,
    who,
    delta,
    voiced,
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
    The block's people whose voice changed (:func:`_voice_change`) are listed in ``who`` from
    the block's first row on, with the change in ``delta``, ``voiced[part]`` of them, with
    ``visits[part]`` ties between them: the work of :func:`push_changes`. Returns (count,
    total of ``visits``).
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
        kv = lo
        v = 0
        for i in range(lo, hi):
            iu = np.uintp(i)  # unsigned: no negative-index wraparound code
            st = state[iu]
            u = uniform(key, i)
            c = community[iu]
            c_size, c_act, c_eng = 0, 0, 0
            if c >= 0:
                cu = np.uintp(c)
                c_size, c_act, c_eng = comm[cu, 0], comm[cu, 1], comm[cu, 2]
            extra = extra_vet if week - hired_week[iu] < newcomer_weeks else 0
            c_open = dept_community[np.uintp(department[iu])]
            open_share = shares[np.uintp(c_open)] if c_open >= 0 else 0.0
            social, critics, peers = perceive(
                X[iu, 0], X[iu, 1], X[iu, 2], X[iu, 3], X[iu, 4], X[iu, 5], extra, c_size, c_act,
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
                    f64(reach[iu]),
                    0.0,
                    0.0,
                    0.0,
                    0.0,
                    0.0,
                    0.0,
                    trust[iu],
                    mastery[iu],
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
                m = manager[iu]
                support = 0.0
                if m >= 0:
                    mu = np.uintp(m)
                    support = manager_support(
                        f64(attitude[mu]) + f64(support_boost[mu]), activity(state[mu]) == 2, p
                    )
                tool = 0.0
                if access[iu]:
                    tool = e.tool_fit
                elif c >= 0:
                    tool = e.legacy_fit
                goal = comm_goal[np.uintp(c)] if c >= 0 else e.relevance
                cm_help = comm_helper[np.uintp(c)] if c >= 0 else 0.0
                motive = motivation(
                    f64(autonomy[iu]), mastery[iu], f64(purpose[iu]), f64(community_drive[iu]), p
                )
                ns, tr, ms, nc = decide(
                    st,
                    u,
                    social,
                    critics,
                    peers,
                    support,
                    f64(helper[iu]) + cm_help,
                    f64(reach[iu]),
                    f64(push[iu]),
                    f64(compliance[iu]),
                    f64(fatigue[iu]),
                    motive,
                    f64(purpose[iu]),
                    f64(community_drive[iu]),
                    trust[iu],
                    mastery[iu],
                    f64(threshold[iu]),
                    tool,
                    goal,
                    c,
                    c_open,
                    open_share,
                    p,
                    e,
                )
            if tr != trust[iu]:
                trust[iu] = tr
            if ms != mastery[iu]:
                mastery[iu] = ms
            if ns != st or nc != c:
                next_state[iu] = ns
                community[iu] = nc
                changed[k] = i
                k += 1
                r = role[iu]
                _recount(st, r, c, ns, r, nc, department[iu], a_role, a_dept, a_comm)
                rec_state[iu] = ns
                rec_com[iu] = nc
                f, cr = infl[iu], crit[iu]
                if ns != st and _voice_change(st, r, f, cr, ns, r, f, cr, delta[kv]):
                    who[kv] = i
                    kv += 1
                    v += indptr[i + 1] - indptr[iu]
        counts[part] = k - lo
        voiced[part] = kv - lo
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
