"""Classic diffusion rules for researchers, run by the same two engines as the adoption model.

* ``bass``: Bass (1969) on a fully mixed population (innovation p, imitation q);
* ``granovetter``: Granovetter (1978) absolute-count thresholds, fully mixed;
* ``threshold``: Watts (2002) fractional thresholds on a network from a seed set, synchronous;
  with absolute thresholds of 2 it is the complex contagion of Centola & Macy (2007).

Modules: :mod:`.config` (the scenario section), :mod:`.rules` (the rules as plain functions),
:mod:`.agents` (Mesa agents), :mod:`.kernels` (numba), :mod:`.engines`, :mod:`.model`
(:class:`ClassicModel`), :mod:`.networks` (research networks), :mod:`.metrics` and
:mod:`.theory` (the analytic results of docs/VALIDATION.md).

Only the configuration is imported eagerly (``simulation.config`` needs it); the model and the
networks load on first use, so importing the configuration never pulls in the model layer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .config import RULES, ClassicConfig

if TYPE_CHECKING:
    from .metrics import summarize_classic
    from .model import ClassicModel
    from .networks import Network

__all__ = ["RULES", "ClassicConfig", "ClassicModel", "Network", "summarize_classic"]

_LAZY = {"ClassicModel": ".model", "Network": ".networks", "summarize_classic": ".metrics"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
