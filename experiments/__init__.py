"""adoptsim's experiments layer: runs, comparisons, sweeps, analyses, reports, the CLI.

Its public names are here: one run (:class:`RunSpec`, :func:`run_one`, replicate seeds from
:data:`DEFAULT_SEED`), comparisons (:func:`compare`), the one execution layer every multi-run
path uses (:func:`execute`, :func:`run_all`, :func:`results`: local processes, any
``concurrent.futures.Executor`` or a Dask client). ``analyze`` and ``AnalysisResult``
(:mod:`experiments.analysis`) are loaded on first use, so that commands that do not analyse
start without pyarrow and SALib; sweeps are :mod:`experiments.sweep` (``run_sweep``,
``load_sweep``).
"""

from __future__ import annotations

from typing import Any

from .compare import (
    CompareInterrupted,
    ScenarioSummary,
    compare,
    compare_specs,
    summarize_replicates,
    wilson_interval,
)
from .executors import execute, results, run_all
from .runner import DEFAULT_SEED, RunSpec, build_model, replicate_seeds, run_one

_LAZY = ("AnalysisResult", "analyze")

__all__ = [
    "CompareInterrupted",
    "DEFAULT_SEED",
    "RunSpec",
    "ScenarioSummary",
    "build_model",
    "compare",
    "compare_specs",
    "execute",
    "replicate_seeds",
    "results",
    "run_all",
    "run_one",
    "summarize_replicates",
    "wilson_interval",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import analysis

        return getattr(analysis, name)
    raise AttributeError(f"module 'experiments' has no attribute {name!r}")
