"""What the model records of each person's history beyond their state: one definition for both
engines (the agents engine runs it as plain Python, the numba engine compiled)."""

from __future__ import annotations

from numba.extending import register_jitable

from .states import ADOPTED, LAPSED, TRYING

__all__ = ["commit_moves"]


@register_jitable
def commit_moves(changed, next_state, state, tried, adopted_week, moves, lapses, week):
    """The new states of the people in ``changed`` take effect; first sign-ups (``tried``) and
    first adoptions (``adopted_week``, this ``week``) are noted, and every change of state is
    counted (``moves``; ``lapses``: moves into LAPSED). Someone in ``changed`` whose state
    stays (a community joined) makes no move. Returns (first sign-ups, first adoptions)."""
    signups = 0
    adoptions = 0
    for k in range(changed.shape[0]):
        i = changed[k]
        ns = next_state[i]
        if ns != state[i]:
            moves[i] += 1
            if ns == LAPSED:
                lapses[i] += 1
        state[i] = ns
        if ns == TRYING and not tried[i]:
            tried[i] = True
            signups += 1
        elif ns == ADOPTED and adopted_week[i] < 0:
            adopted_week[i] = week
            adoptions += 1
    return signups, adoptions
