"""Small effects several intervention types share."""

from __future__ import annotations

import numpy as np

from ..states import ADOPTED, ENGAGED, STATES, TRYING

__all__ = [
    "clip01",
    "commit",
    "connect",
    "employed",
    "enlist",
    "homes",
    "practice",
    "renewal_due",
    "renewed",
    "set_goal_boost",
    "sharpen_goals",
    "ties_of",
]


def clip01(a: np.ndarray) -> np.ndarray:
    """Clamp to [0, 1] in place."""
    return np.clip(a, 0.0, 1.0, out=a)


def commit(people, idx: np.ndarray, commitment: float) -> None:
    """People who commit personally (sponsors, veterans asked for their insight): more purpose
    and trust, a lower threshold."""
    people.purpose[idx] = clip01(people.purpose[idx] + commitment)
    people.trust[idx] = clip01(people.trust[idx] + commitment)
    people.threshold[idx] *= 1.0 - commitment


def sharpen_goals(people, gain: float) -> None:
    """Every community's goal fit rises by ``gain`` (at most 1): a battle-tested plan."""
    people.community_goal[:] = np.minimum(1.0, people.community_goal + gain)


def employed(people, idx: np.ndarray, hired: np.ndarray) -> np.ndarray:
    """Whether the people chosen at ``idx`` still work here: their slot's hire week is the one
    recorded when they were chosen (a leaver's slot holds a new hire)."""
    return people.hired_week[idx] == hired


def enlist(r, d, idx: np.ndarray) -> None:
    """The people at ``idx`` carry the intervention ``d``: recorded with their hire weeks (to
    tell when one has left: :func:`employed`) and their contacts (:func:`ties_of`)."""
    d.people = idx
    d.notes["hired"] = r.people.hired_week[idx].copy()
    d.notes["ties"] = ties_of(r.org, idx)


def renewal_due(people, d, week: int, start: int, every: int) -> bool:
    """Whether what the enlisted people of ``d`` carry is renewed in ``week``: every ``every``
    weeks from ``start``, or the week after one of them has left (fewer still work here than
    at the last renewal: :func:`renewed`)."""
    if (week - start) % every == 0:
        return True
    return np.count_nonzero(employed(people, d.people, d.notes["hired"])) < d.notes["here"]


def renewed(people, d) -> np.ndarray:
    """Record a renewal of ``d``: how many of its enlisted people work here now; returns
    whether each does (:func:`employed`)."""
    here = employed(people, d.people, d.notes["hired"])
    d.notes["here"] = np.count_nonzero(here)
    return here


#: how much a person in each state practises the new way of working (:func:`practice`)
_PRACTICE = np.array([1.0 if s in (ADOPTED, ENGAGED) else 0.5 if s == TRYING else 0.0
                      for s in range(len(STATES))])


def practice(people, idx: np.ndarray, here: np.ndarray) -> np.ndarray:
    """How much of the new way of working each of the people chosen at ``idx`` practises, and
    so carries to others: 1 using it (adopted or engaged), 0.5 trying it, 0 not (yet) using
    it or lapsed, and 0 once they have left (``here``: whether each still works here,
    :func:`employed`)."""
    return np.where(here, _PRACTICE[people.state[idx]], 0.0)


def ties_of(org, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The contacts of the people at ``idx`` as pairs (position in ``idx``, contact): ties
    belong to positions in the organization, so an intervention keeps them from its start."""
    starts = org.indptr[idx].astype(np.int64)
    deg = org.indptr[idx + 1] - starts
    pos = np.repeat(np.arange(idx.shape[0]), deg)
    offsets = np.arange(pos.shape[0]) - np.repeat(np.cumsum(deg) - deg, deg)
    return pos, org.indices[np.repeat(starts, deg) + offsets].astype(np.int64)


def homes(people, org, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The home communities of the people at ``idx``: their own, and their department's open
    one (-1: none)."""
    return people.community[idx], people.dept_community[org.department[idx]]


def connect(out: np.ndarray, pos: np.ndarray, theirs: np.ndarray,
            home: tuple[np.ndarray, np.ndarray], tied, at_home) -> np.ndarray:
    """Mark in ``out`` (a row per person, a column per community and a last one for none, -1)
    how each person reaches each community: ``tied`` where one of their contacts belongs to it
    (``pos``: the person's row of each contact, :func:`ties_of`; ``theirs``: that contact's
    community), then ``at_home`` in their home communities (``home``: :func:`homes`).
    Returns ``out``."""
    out[pos, theirs] = tied
    rows = np.arange(out.shape[0])
    for c in home:  # their own, their department's open one
        out[rows, c] = at_home
    return out


def set_goal_boost(people, notes: dict, boost: np.ndarray) -> None:
    """Raise each community's goal fit by ``boost`` (per community, at most to 1) in place of
    the boost this intervention gave before (kept in ``notes``): a boost carried by people
    follows them (it falls when they stop carrying it); other interventions' changes to the
    goal stay."""
    n_c = people.n_communities
    before = notes.get("goal_boost")
    if before is None or before.shape[0] != n_c:  # none yet, or communities made since
        old = before if before is not None else np.zeros(0)
        before = np.zeros(n_c)
        before[: old.shape[0]] = old[:n_c]
    base = people.community_goal - before
    goal = np.minimum(1.0, base + boost)
    people.community_goal[:] = goal
    notes["goal_boost"] = goal - base
