"""Classic diffusion rules for researchers, run by the same two engines as the adoption model.

* ``bass``: Bass (1969) on a fully mixed population (innovation p, imitation q);
* ``granovetter``: Granovetter (1978) absolute-count thresholds, fully mixed;
* ``threshold``: Watts (2002) fractional thresholds on a network from a seed set, synchronous;
  with absolute thresholds of 2 it is the complex contagion of Centola & Macy (2007).

Modules: :mod:`.formulas` (the rules as plain functions), :mod:`.agents` (Mesa agents),
:mod:`.compiled` (numba kernels), :mod:`.engines`, :mod:`.model` (:class:`ClassicModel`, which
registers the three rules in :mod:`simulation.rule_registry`), :mod:`.networks` (research
networks), :mod:`.metrics` and :mod:`.theory` (the analytic results of docs/VALIDATION.md). The
scenario section (``ClassicConfig``) is the leaf module :mod:`simulation.classic_config`, so
the configuration never imports a model. The public names are below.
"""

from __future__ import annotations

from ..classic_config import RULES, ClassicConfig
from . import theory
from .metrics import summarize_classic
from .model import ClassicModel, build_network, draw_thresholds, pick_seeds
from .networks import (
    Network,
    erdos_renyi,
    from_edges,
    rewire_degree_preserving,
    ring_lattice,
    watts_strogatz,
)

__all__ = [
    "RULES",
    "ClassicConfig",
    "ClassicModel",
    "Network",
    "build_network",
    "draw_thresholds",
    "erdos_renyi",
    "from_edges",
    "pick_seeds",
    "rewire_degree_preserving",
    "ring_lattice",
    "summarize_classic",
    "theory",
    "watts_strogatz",
]
