"""The classic rules as plain Python functions of scalars.

The agents engine calls them from each Mesa agent's ``step()``; the numba engine compiles the
very same functions into its kernels (:mod:`simulation.classic.kernels`), so both engines decide
identically. Only comparisons and ``* / + -`` are used here; the one transcendental function of
the Bass rule (``exp``) is evaluated once per step by the model, outside both engines.
"""

from __future__ import annotations

import math

from numba.extending import register_jitable

__all__ = ["bass_adoption_probability", "crosses_threshold"]


def bass_adoption_probability(p: float, q: float, adopters: int, n: int, dt: float) -> float:
    """Probability that a non-adopter adopts during one step of ``dt`` Bass time units.

    The Bass hazard p + q F (F = adopters / n, the adopted share) is held at its value at the
    start of the step, and the step adopts with the probability of at least one event of a
    Poisson process at that rate over ``dt``: 1 - exp(-(p + q F) dt). It is exact for a constant
    hazard and never exceeds 1; the hazard's growth within a step is what the discretisation
    misses (first order in dt; docs/VALIDATION.md measures it against the closed form).
    """
    share = adopters / n if n > 0 else 0.0
    return 1.0 - math.exp(-(p + q * share) * dt)


@register_jitable
def crosses_threshold(active: int, degree: int, threshold: float, fractional: bool) -> bool:
    """Does a person with ``active`` active contacts out of ``degree`` adopt?

    Fractional (Watts 2002): the active share reaches ``threshold``; a person without contacts
    has no share and never adopts. Absolute (Granovetter 1978): the head count reaches it, so a
    threshold of 0 adopts with nobody active (Granovetter's instigator).
    """
    if fractional:
        return degree > 0 and active >= threshold * degree
    return active >= threshold
