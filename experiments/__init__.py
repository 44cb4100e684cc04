"""adoptsim's experiments layer: runs, comparisons, sweeps, analyses, reports, the CLI.

``analyze`` and ``AnalysisResult`` (:mod:`experiments.analysis`) are loaded on first use, so
that commands that do not analyse start without pyarrow and SALib.
"""

from __future__ import annotations

from typing import Any

__all__ = ["AnalysisResult", "analyze"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import analysis

        return getattr(analysis, name)
    raise AttributeError(f"module 'experiments' has no attribute {name!r}")
