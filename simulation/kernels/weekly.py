"""numba kernels of the weekly dynamics: exposure bookkeeping and the weekly decision pass.

Exposure sums are kept incrementally: when a person's voice (:func:`simulation.rule.voice` of
their state, role, influence and critic flag) changes, the change is pushed to their contacts'
integer sums, instead of a full pass over all ties each week. Integer sums are exact, so the
incremental totals equal the agents engine's direct sums, and the trajectories match state for
state.

The decision is :func:`simulation.inputs.gather` (its two halves,
:func:`~simulation.inputs.look_up` and :func:`~simulation.inputs.assemble`) and
:func:`simulation.rule.decide`, compiled into :func:`decide_all`, which decides for blocks of
people at once (SIMD; see ``BLOCK``). Every kernel takes bundles of arrays (NamedTuples: the
people's arrays, the ties, the head counts, the records of who is counted as what, the list of
changes), behind a public function that checks their shapes and dtypes before calling the
private kernel (the public-wrapper / private-kernel style of stumpy): a wrong array is a clear
``ValueError`` here, never a wrong result or a crash inside compiled code.

The engine calls the kernels every week of every run, and at 1,000 employees those checks
(about a hundred arrays a week) cost more than the decision itself. So each check is also a
function of its own (:func:`check_sync`, :func:`check_decide`, :func:`check_push`), and each
kernel has an ``*_unchecked`` twin that trusts its caller (:func:`sync_unchecked`,
:func:`decide_all_unchecked`, :func:`push_changes_unchecked`): the engine checks its bundles
when it builds them and again whenever one is replaced, and calls the twins every week.
Outside callers use the checking wrappers.

A model of one block (below ``threads.PARALLEL_FROM`` employees) pushes its changes with
:func:`_push_changes`' serial twin (:func:`.jit.serial_twin`: the same code, no parallel
region to open each call). The decision pass stays parallel even then: compiled serially, its
loop over people would count references to the bundles' arrays at every person (parallel loop
bodies do not), five times the pass's cost at 1,000 employees.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import prange
from numba.extending import register_jitable

from ..draws import uniform
from ..inputs import Groups, Lookups, assemble, look_up
from ..people import PERSON_ARRAYS, PersonArrays
from ..records import commit_moves
from ..rule import activity, decide, voice
from ..states import ENGAGED
from .intrinsics import prefetch
from .jit import dispatch, invalidate_stale_cache, njit, njit_inline, njit_parallel, serial_twin

invalidate_stale_cache(
    __file__,
    ["../rule.py", "../inputs.py", "../people.py", "../records.py", "../states.py",
     "../draws.py", "intrinsics.py"],
)

__all__ = [
    "N_EXPOSURE",
    "Changes",
    "Records",
    "Scratch",
    "Tally",
    "Ties",
    "check_decide",
    "check_people",
    "check_push",
    "check_sync",
    "commit",
    "cross_block_ties",
    "decide_all",
    "decide_all_unchecked",
    "int32_influence_cap",
    "push_changes",
    "push_changes_unchecked",
    "spill_rows",
    "sync",
    "sync_unchecked",
]

N_EXPOSURE = 6  # the sums of rule.voice: tot, act, eng, neg, vtot, vact


class Ties(NamedTuple):
    """The organization's informal ties as symmetric CSR (int32 indices and weights)."""

    indptr: np.ndarray  # int64 (n + 1,)
    indices: np.ndarray  # int32 (ties,)
    weight: np.ndarray  # int32 (ties,)


class Tally(NamedTuple):
    """Head counts: by state x role, by state x department, and per community (members,
    activity sum, engaged)."""

    by_role: np.ndarray  # int64 (n_states, n_roles)
    by_dept: np.ndarray  # int64 (n_states, n_departments)
    comm: np.ndarray  # int64 (n_communities, 3)


class Records(NamedTuple):
    """What each person is counted as in the head counts and exposure sums: their state (-1:
    never counted), role, community, influence and critic flag when last synced."""

    state: np.ndarray  # int8
    role: np.ndarray  # int8
    community: np.ndarray  # int32
    influence: np.ndarray  # int64
    critic: np.ndarray  # bool


class Changes(NamedTuple):
    """Voice changes to push to contacts, listed block by block: block ``part`` (rows
    ``n * part // parts`` to ``n * (part + 1) // parts``) lists ``voiced[part]`` people from
    ``who[first[part]]`` on, their changes in the same rows of ``delta``, with ``visits[part]``
    ties between them."""

    who: np.ndarray  # int64 (n,)
    delta: np.ndarray  # int64 (n, N_EXPOSURE)
    first: np.ndarray  # int64 (parts,)
    voiced: np.ndarray  # int64 (parts,)
    visits: np.ndarray  # int64 (parts,)


class Scratch(NamedTuple):
    """The decision pass's own arrays: next states, the movers, and per-block head-count
    changes."""

    next_state: np.ndarray  # int8 (n,)
    changed: np.ndarray  # int64 (n,)
    acc_role: np.ndarray  # int64 (parts, n_states, n_roles)
    acc_dept: np.ndarray  # int64 (parts, n_states, n_departments)
    acc_comm: np.ndarray  # int64 (parts, n_communities, 3)


# -- the public wrappers' checks -------------------------------------------------------------
def _check(name: str, a, dtype, shape) -> None:
    if not isinstance(a, np.ndarray):
        raise ValueError(f"{name}: expected a numpy array, got {type(a).__name__}")
    if a.dtype != np.dtype(dtype) or a.shape != shape:
        raise ValueError(f"{name}: expected {np.dtype(dtype)} of shape {shape}, "
                         f"got {a.dtype} of shape {a.shape}")


def check_people(people: PersonArrays, n: int) -> None:
    """Every per-person array with its declared dtype and length ``n``."""
    if not isinstance(people, PersonArrays):
        raise ValueError(f"people: expected PersonArrays, got {type(people).__name__}")
    for name, dtype in PERSON_ARRAYS.items():
        _check(f"people.{name}", getattr(people, name), dtype, (n,))


def _check_bundle(bundle: NamedTuple, dtypes: dict, shapes: dict) -> None:
    label = type(bundle).__name__
    for name in bundle._fields:
        _check(f"{label}.{name}", getattr(bundle, name), dtypes[name], shapes[name])


def check_sync(people, rec, ties, department, tally, changes, X=None) -> int:
    """The checks of :func:`sync` (and the common part of :func:`decide_all`'s); returns the
    number of people."""
    n = department.shape[0]
    check_people(people, n)
    _check("department", department, np.int32, (n,))
    _check_bundle(ties, {"indptr": np.int64, "indices": np.int32, "weight": np.int32},
                  {"indptr": (n + 1,), "indices": ties.indices.shape,
                   "weight": ties.indices.shape})
    _check_bundle(rec, {"state": np.int8, "role": np.int8, "community": np.int32,
                        "influence": np.int64, "critic": np.bool_},
                  dict.fromkeys(rec._fields, (n,)))
    s, r = tally.by_role.shape
    _check_bundle(tally, dict.fromkeys(tally._fields, np.int64),
                  {"by_role": (s, r), "by_dept": (s, tally.by_dept.shape[1]),
                   "comm": (tally.comm.shape[0], 3)})
    parts = changes.first.shape[0]
    _check_bundle(changes, dict.fromkeys(changes._fields, np.int64),
                  {"who": (n,), "delta": (n, N_EXPOSURE), "first": (parts,),
                   "voiced": (parts,), "visits": (parts,)})
    if X is not None and (X.shape != (n, N_EXPOSURE) or X.dtype not in (np.int32, np.int64)):
        raise ValueError(f"X: expected int32 or int64 of shape {(n, N_EXPOSURE)}, "
                         f"got {X.dtype} of shape {X.shape}")
    return n


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


# -- bookkeeping of one person -----------------------------------------------------------------
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
    new = voice(state, role, infl, crit)
    old = voice(max(ostate, 0), orole, oinfl if ostate >= 0 else 0, ocrit)
    differs = False
    for k in range(N_EXPOSURE):
        out[k] = new[k] - old[k]
        differs = differs or out[k] != 0
    return differs


# -- pushing voice changes to contacts -----------------------------------------------------------
#: prefetch distances of :func:`_push_changes`, in changed people ahead of the current one
_AHEAD_INDPTR = 16
_AHEAD_TIES = 8
_AHEAD_ROWS = 4


def cross_block_ties(indptr: np.ndarray, indices: np.ndarray, parts: int) -> np.ndarray:
    """Per row block of :func:`push_changes`, the ties from its people to people of other
    blocks: the most exposure additions the block can spill in one push (none with one
    block)."""
    return _cross_block_ties(indptr, indices, parts)


@njit
def _cross_block_ties(indptr, indices, parts):
    n = indptr.shape[0] - 1
    room = np.zeros(parts, np.int64)
    if parts <= 1:
        return room
    for part in range(parts):
        lo = n * part // parts
        hi = n * (part + 1) // parts
        c = 0
        for t in range(indptr[lo], indptr[hi]):
            j = indices[t]
            if j < lo or j >= hi:
                c += 1
        room[part] = c
    return room


def spill_rows(changes: Changes, room: np.ndarray) -> int:
    """The rows of ``spill`` a push of ``changes`` may fill: per block, the fewer of its ties
    to visit and its ties to other blocks (``room``, :func:`cross_block_ties`)."""
    return int(np.minimum(changes.visits, room).sum())


def push_changes(changes: Changes, ties: Ties, X: np.ndarray, spill: np.ndarray,
                 room: np.ndarray) -> None:
    """Push the listed voice changes to the contacts' exposure sums ``X`` (``room``: each
    block's ties to other blocks, :func:`cross_block_ties`; ``spill``: at least
    :func:`spill_rows` rows of 1 + N_EXPOSURE int64)."""
    check_push(changes, ties, X, room, spill)
    if spill.shape[0] < spill_rows(changes, room):
        raise ValueError(f"spill: {spill.shape} cannot hold the pushes")
    _push_changes(changes, ties, X, spill, room)


def check_push(changes: Changes, ties: Ties, X: np.ndarray, room: np.ndarray,
               spill: np.ndarray | None = None) -> None:
    """The checks of :func:`push_changes` that do not depend on this week's changes (the
    spill's width and dtype; its rows are checked against each push's :func:`spill_rows`)."""
    n = X.shape[0]
    if X.shape != (n, N_EXPOSURE) or ties.indptr.shape != (n + 1,):
        raise ValueError(f"X {X.shape} and ties.indptr {ties.indptr.shape} do not fit")
    _check("room", room, np.int64, changes.visits.shape)
    if spill is not None and (spill.dtype != np.int64 or spill.ndim != 2
                              or spill.shape[1] != 1 + N_EXPOSURE):
        raise ValueError(f"spill: {spill.dtype} {spill.shape} cannot hold the pushes")


def push_changes_unchecked(changes: Changes, ties: Ties, X: np.ndarray, spill: np.ndarray,
                         room: np.ndarray, call=dispatch) -> None:
    """:func:`push_changes` for a caller that checked its arrays with :func:`check_push` and
    gives a ``spill`` of at least :func:`spill_rows` rows (one block: on the calling thread);
    ``call``: how the kernel is called (:class:`.jit.Direct`)."""
    kernel = _push_changes if changes.visits.shape[0] > 1 else _push_changes_serial
    call(kernel, changes, ties, X, spill, room)


@njit_parallel
def _push_changes(changes, ties, X, spill, room):
    """A task per row block walks the ties of its own people once, adds to the rows of its
    block, and leaves additions to other blocks' rows (ties across departments at a block edge:
    a few percent) in its stretch of ``spill``, which the owners then add. Integer sums, so the
    result is the serial one whatever the thread count. The ties and rows of the next people are
    prefetched while the current one is pushed."""
    who, delta, first, voiced, visits = changes
    indptr, indices, weight = ties
    n = X.shape[0]
    parts = visits.shape[0]
    offset = np.zeros(parts + 1, np.int64)
    spilled = np.zeros(parts, np.int64)
    for part in range(parts):
        # a block spills at most one addition per tie to another block (its people are
        # listed once each)
        offset[part + 1] = offset[part] + min(visits[part], room[part])
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


#: :func:`_push_changes` for one block, without a parallel region (:func:`.jit.serial_twin`)
_push_changes_serial = serial_twin(_push_changes)


@njit
def _blocks_of(count, indptr, n, changes):
    """Split the ascending list ``changes.who[:count]`` into the row blocks of
    :func:`push_changes`: where each block's people start, how many, and their ties."""
    who, first, voiced, visits = changes.who, changes.first, changes.voiced, changes.visits
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


# -- syncing after turnover and interventions ----------------------------------------------------
def sync(idx, people: PersonArrays, rec: Records, ties: Ties, department, tally: Tally,
         changes: Changes) -> tuple[int, int]:
    """Sync the records of the people in ``idx`` (ascending int64; None: everyone, O(n)
    checks) with their arrays: head counts are updated, and the people whose voice changed and
    by how much are listed block by block in ``changes`` for :func:`push_changes`. Returns
    (people listed, ties to visit)."""
    check_sync(people, rec, ties, department, tally, changes)
    if idx is not None:
        _check("idx", idx, np.int64, idx.shape)
    return sync_unchecked(idx, people, rec, ties, department, tally, changes)


def sync_unchecked(idx, people: PersonArrays, rec: Records, ties: Ties, department,
                   tally: Tally, changes: Changes, call=dispatch) -> tuple[int, int]:
    """:func:`sync` for a caller that checked its arrays with :func:`check_sync` (and gives
    ``idx`` as contiguous int64, ascending if the pass has several blocks, or None); ``call``:
    how the kernel is called (:class:`.jit.Direct`)."""
    if idx is None:
        idx, ahead = np.arange(department.shape[0]), 0
    else:
        ahead = 8  # scattered people: fetch the next ones' records early
    return call(_sync_listed, idx, ahead, people, rec, ties.indptr, department, tally, changes)


@njit
def _sync_listed(idx, ahead, people, rec, indptr, department, tally, changes):
    """:func:`_sync`, then its list split into blocks (one compiled call: a week syncs only
    the few people hired or promoted)."""
    count, visits = _sync(idx, ahead, people, rec, indptr, department, tally, changes)
    if count:
        _blocks_of(count, indptr, department.shape[0], changes)
    return count, visits


@njit
def _sync(idx, ahead, people, rec, indptr, department, tally, changes):
    count = 0
    visits = 0
    state, role, com, infl, crit = (people.state, people.role, people.community,
                                    people.influence, people.critic)
    ostate, orole, ocom, oinfl, ocrit = rec
    by_role, by_dept, comm = tally
    who, delta = changes.who, changes.delta
    n = idx.shape[0]
    for k in range(n):
        if ahead and k + ahead < n:
            j = idx[k + ahead]
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
        i = idx[k]
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


# -- a block of people's lookups as columns --------------------------------------------------------
#: people decided together: what they read through another index (:func:`.inputs.look_up`) is
#: read one by one into columns, then their inputs are assembled and decided on in a loop that
#: LLVM vectorizes (SIMD: no branches, and no gathers, which it will not vectorize here)
BLOCK = 256


def _column_functions(record):
    """numba functions keeping a block of ``record`` NamedTuples as the rows of one float64
    array (one array: the vectorized loop then checks fewer pairs of arrays for overlap),
    one row per field, int fields converted back when read (exact): ``columns(size)``
    allocates it, ``put(cols, j, x)`` writes column ``j``, ``take(cols, j)`` reads it back.
    Generated from the fields, so a new field needs nothing here."""
    ints = [record.__annotations__[f] == "int" for f in record._fields]
    src = (
        f"def columns(size):\n    return np.empty(({len(ints)}, size))\n"
        "def put(cols, j, x):\n" + "".join(f"    cols[{i}, j] = x[{i}]\n" for i in range(len(ints)))
        + "def take(cols, j):\n    return record("
        + ", ".join(f"np.int64(cols[{i}, j])" if n else f"cols[{i}, j]" for i, n in enumerate(ints))
        + ")\n"
    )
    space = {"np": np, "record": record}
    exec(compile(src, f"<{record.__name__} columns>", "exec"), space)  # noqa: S102
    return tuple(register_jitable(inline="always")(space[f]) for f in ("columns", "put", "take"))


_columns, _put, _take = _column_functions(Lookups)


# -- the weekly decision -------------------------------------------------------------------------
def decide_all(key: int, week: int, X: np.ndarray, people: PersonArrays, manager, department,
               groups: Groups, p, e, rec: Records, ties: Ties, tally: Tally, changes: Changes,
               scratch: Scratch) -> tuple[int, int]:
    """Everyone's decision for one week (synchronous), in parallel; returns (movers, ties to
    visit pushing their voice changes). See :func:`_decide_all`."""
    check_decide(X, people, manager, department, groups, rec, ties, tally, changes, scratch)
    return decide_all_unchecked(key, week, X, people, manager, department, groups, p, e, rec,
                                ties, tally, changes, scratch)


def check_decide(X: np.ndarray, people: PersonArrays, manager, department, groups: Groups,
                 rec: Records, ties: Ties, tally: Tally, changes: Changes,
                 scratch: Scratch) -> None:
    """The checks of :func:`decide_all` (everything but the week's key, parameters and
    conditions, which the compiled code takes by type)."""
    n = check_sync(people, rec, ties, department, tally, changes, X)
    _check("manager", manager, np.int32, (n,))
    nc = tally.comm.shape[0]
    if groups.counts is not tally.comm or groups.goal.shape != (nc,) or (
        groups.helper.shape != (nc,) or groups.shares.shape != (nc,)
    ):
        raise ValueError("groups: counts must be the tally's, goal, helper and shares one per "
                         f"community ({nc})")
    _check("groups.open_of_department", groups.open_of_department, np.int32,
           (tally.by_dept.shape[1],))
    _check("groups.dept_active", groups.dept_active, np.float64, (tally.by_dept.shape[1],))
    parts = changes.first.shape[0]
    _check("scratch.next_state", scratch.next_state, np.int8, (n,))
    _check("scratch.changed", scratch.changed, np.int64, (n,))
    _check("scratch.acc_role", scratch.acc_role, np.int64, (parts, *tally.by_role.shape))
    _check("scratch.acc_dept", scratch.acc_dept, np.int64, (parts, *tally.by_dept.shape))
    _check("scratch.acc_comm", scratch.acc_comm, np.int64, (parts, nc, 3))


def decide_all_unchecked(key: int, week: int, X: np.ndarray, people: PersonArrays, manager,
                         department, groups: Groups, p, e, rec: Records, ties: Ties,
                         tally: Tally, changes: Changes, scratch: Scratch,
                         call=dispatch) -> tuple[int, int]:
    """:func:`decide_all` for a caller that checked its arrays with :func:`check_decide`;
    ``call``: how the kernel is called (:class:`.jit.Direct`)."""
    n, parts = X.shape[0], changes.first.shape[0]
    changes.first[:] = n * np.arange(parts, dtype=np.int64) // parts
    return call(_decide_all, key, week, X, people, manager, department, groups, p, e, rec,
                ties.indptr, tally, changes, scratch)


@njit_parallel
def _decide_all(key, week, X, people, manager, department, groups, p, e, rec, indptr, tally,
                changes, scratch):
    """Each person's decision reads only this week's state and their own draw
    (:func:`simulation.draws.uniform` of the week's ``key`` and their index).

    People are split into contiguous row blocks, one task each. A block lists its people who
    changed state or community (ascending) in its own stretch of ``scratch.changed``, moves
    their records to the new state and community, and counts the head-count changes in its own
    slice of the ``scratch.acc_*`` arrays. The blocks' counts are then added to the tally and
    the lists joined into ``changed[:count]``: integer sums and ordered lists, so the result
    does not depend on the number of blocks or threads. ``next_state`` is written for the
    people listed only. Trust, mastery and community are updated in place (nobody reads
    another person's, and community head counts are read from the tally, updated after the
    pass). The block's people whose voice changed are listed in ``changes`` from the block's
    first row on: the work of :func:`push_changes`.
    """
    # every array written inside the prange loop is a plain variable: numba loses writes made
    # through a tuple's member in a parallel loop (numba issues 5872, 7135, 10338); bundles
    # are only read there
    state, trust, mastery, community = people.state, people.trust, people.mastery, people.community
    role, infl, crit = people.role, people.influence, people.critic
    rec_state, rec_com = rec.state, rec.community
    next_state, changed, acc_role, acc_dept, acc_comm = scratch
    who, delta, voiced, visits = changes.who, changes.delta, changes.voiced, changes.visits
    n = state.shape[0]
    parts = visits.shape[0]
    counts = np.zeros(parts, np.int64)
    for part in prange(parts):
        lo = n * part // parts
        hi = n * (part + 1) // parts
        a_role, a_dept, a_comm = acc_role[part], acc_dept[part], acc_comm[part]
        a_role[:] = 0
        a_dept[:] = 0
        a_comm[:] = 0
        looks = _columns(BLOCK)
        exposed = np.empty((N_EXPOSURE, BLOCK), np.int64)  # X's rows as columns
        out = np.empty((5, BLOCK))  # next state, trust, mastery, community, moved
        k = lo
        kv = lo
        v = 0
        for b in range(lo, hi, BLOCK):
            size = min(BLOCK, hi - b)
            for j in range(size):
                iu = np.uintp(b + j)  # unsigned: no negative-index wraparound code
                _put(looks, j, look_up(iu, people, manager, department, groups, p, e, True))
                for q in range(N_EXPOSURE):
                    exposed[q, j] = X[iu, q]
            for j in range(size):  # vectorized
                iu = np.uintp(b + j)
                exposure = (exposed[0, j], exposed[1, j], exposed[2, j], exposed[3, j],
                            exposed[4, j], exposed[5, j])
                x = assemble(iu, exposure, week, people, _take(looks, j), p, e)
                ns, tr, ms, nc = decide(x, uniform(key, b + j), p, e)
                out[0, j] = ns
                out[1, j] = tr
                out[2, j] = ms
                out[3, j] = nc
                out[4, j] = (ns != x.state) | (nc != x.member_of)
            for j in range(size):  # as the agents engine: written for everyone
                trust[b + j] = out[1, j]
                mastery[b + j] = out[2, j]
            for j in range(size):
                if out[4, j] == 0.0:
                    continue
                i = b + j
                iu = np.uintp(i)
                ns, nc = np.int64(out[0, j]), np.int64(out[3, j])
                st = state[iu]
                c = community[iu]
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
    by_role, by_dept, comm = tally
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
def commit(changed, next_state, state, tried, adopted_week, moves, lapses, week):
    """:func:`simulation.records.commit_moves`, compiled."""
    return commit_moves(changed, next_state, state, tried, adopted_week, moves, lapses, week)
