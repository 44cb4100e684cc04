"""Validation against the classic diffusion models (docs/VALIDATION.md).

Four reproductions, each a module with ``run(replicates, seed, workers) -> ValidationResult``:
``bass`` (Bass 1969 closed form), ``granovetter`` (Granovetter 1978 riot), ``watts`` (Watts 2002
cascade window and frequency) and ``complex-contagion`` (Centola & Macy 2007). Each compares
measured figures with published (or analytic) ones within a stated tolerance; ``adoptsim
validate`` and ``scripts/validation.py`` write the report.
"""

from __future__ import annotations

import difflib
import time
from collections.abc import Callable, Sequence

from simulation import ConfigError

from ..runner import DEFAULT_SEED
from . import bass, contagion, granovetter, watts
from .common import Check, ValidationResult
from .report import render_markdown, write_report

__all__ = [
    "VALIDATIONS",
    "Check",
    "ValidationResult",
    "render_markdown",
    "resolve_names",
    "run_validations",
    "write_report",
]

VALIDATIONS = {m.NAME: m for m in (bass, granovetter, watts, contagion)}


def resolve_names(names: Sequence[str] | None) -> list[str]:
    """Validation names in report order; all of them if none given. Unknown names are a
    :class:`ConfigError` naming the closest known one."""
    if not names:
        return list(VALIDATIONS)
    for name in names:
        if name not in VALIDATIONS:
            close = difflib.get_close_matches(name, list(VALIDATIONS), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ConfigError(
                f"no validation named {name!r}.{hint} Validations: {', '.join(VALIDATIONS)}"
            )
    return [n for n in VALIDATIONS if n in names]


def run_validations(
    names: Sequence[str] | None = None,
    *,
    replicates: int | None = None,
    seed: int = DEFAULT_SEED,
    workers: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[ValidationResult]:
    """Run the named validations (all by default); ``replicates`` overrides each default."""
    results = []
    for name in resolve_names(names):
        module = VALIDATIONS[name]
        if progress is not None:
            progress(name)
        t0 = time.perf_counter()
        reps = module.DEFAULT_REPLICATES if replicates is None else replicates
        result = module.run(reps, seed, workers)
        result.seconds = time.perf_counter() - t0
        results.append(result)
    return results
