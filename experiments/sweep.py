"""Sweeps: many runs over a design of parameter points, stored as Parquet (docs/SWEEPS.md).

    from experiments.sweep import load_sweep, run_sweep

    report = run_sweep("experiments/examples/lhs-conditions.toml", "results/lhs", workers=2)
    res = load_sweep("results/lhs")         # res.metrics, res.series, res.design: DataFrames

:func:`run_sweep` checks the whole sweep before it runs anything
(:mod:`experiments.sweep_plan`: every design point goes through the same override path as
``--set``), then runs the runs not yet stored, in batches, in
this process, on local processes, on any ``concurrent.futures.Executor`` or on a
``distributed.Client`` (:mod:`experiments.executors`), and stores finished runs as they arrive
(:mod:`experiments.storage`).

Seeds: replicate r of every design point and scenario gets ``replicate_seeds(seed,
replicates)[r]`` (common random numbers, as in ``adoptsim compare``: every point meets the
same replicate organizations, so a difference between points is not a difference between
draws). A run depends only on its scenario, values, seed and engine, never on the executor,
the worker count, the batching or the order: the same spec gives the same results anywhere.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import math
import platform
import time
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from .design import Design
from .executors import (
    Batch,
    Outcome,
    default_workers,
    is_dask_client,
    results,
    run_batch,
)
from .memory import fitting_workers
from .storage import (
    PartWriter,
    SweepResults,
    load_sweep,
    stored_schema,
    write_manifest,
)
from .sweep_folder import FORMAT, check_new_sweep, json_data, locked_folder, open_out, resume_plan
from .sweep_org import org_source
from .sweep_plan import SweepPlan, plan_sweep
from .sweep_spec import SweepSpec, load_spec

__all__ = ["SweepPlan", "SweepReport", "SweepResults", "load_sweep", "plan_sweep", "run_sweep"]

#: work per task: a Dask task costs about 2 ms of CPU, a local pool's about 0.2 ms
_TASK_SECONDS = {"dask": 1.0, "pool": 0.25}
_MAX_FAILURES_KEPT = 100


# -- output columns --------------------------------------------------------------------------
def _param_types(design: Design) -> tuple[dict[str, pa.DataType], set[str]]:
    """Each parameter column's type, from its values; tables, lists and mixed values are
    stored as JSON text (the names of those columns are returned too)."""
    types, as_json = {}, set()
    for j, name in enumerate(design.names):
        vals = [p[j] for p in design.points]
        if all(isinstance(v, bool) for v in vals):
            types[name] = pa.bool_()
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in vals):
            types[name] = pa.int64()
        elif all(isinstance(v, int | float) and not isinstance(v, bool) for v in vals):
            types[name] = pa.float64()
        elif all(isinstance(v, str) for v in vals):
            types[name] = pa.string()
        else:
            types[name] = pa.string()
            as_json.add(name)
    return types, as_json


def _row(plan: SweepPlan, as_json: set[str], o: Outcome) -> dict[str, Any]:
    s, point, replicate = plan.locate(o.run_id)
    row: dict[str, Any] = {
        "run_id": o.run_id,
        "point": point,
        "replicate": replicate,
        "seed": plan.seeds[replicate],
        "scenario": plan.bases[s].scenario.name,
        "engine": o.row["engine"],
    }
    for name, v in zip(plan.design.names, plan.design.points[point], strict=True):
        row[name] = json.dumps(v, sort_keys=True) if name in as_json else v
    for k, v in o.row.items():
        if k != "engine":
            row[f"metrics.{k}" if k in row else k] = v  # a metric named like a parameter
    return row


# -- manifest --------------------------------------------------------------------------------
def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in ("adoptsim", "numpy", "numba", "mesa", "pyarrow", "pandas", "SALib", "distributed"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            out[dist.lower()] = importlib.metadata.version(dist)
    return out


def _new_manifest(plan: SweepPlan) -> dict[str, Any]:
    _, as_json = _param_types(plan.design)
    resolved = sorted({e for row in plan.engines for e in row})
    return {
        "format": FORMAT,
        "spec": json_data(plan.spec.data),
        "spec_file": plan.spec.source,
        "scenarios": [
            {"ref": b.ref, "name": b.scenario.name, "sha256": b.digest} for b in plan.bases
        ],
        "engine": {"spec": plan.spec.engine, "requested": plan.engine, "resolved": resolved},
        "organization": (
            plan.org_source.describe(plan.organization) if plan.org_source is not None else None
        ),
        "replicates": len(plan.seeds),
        "seeds": plan.seeds,
        "design": plan.design.to_json(),
        "json_columns": sorted(as_json),
        "runs": {"total": plan.total, "stored": 0, "failed": 0},
        "status": "running",
        "started": _now(),
        "ended": None,
        "versions": _versions(),
        "sessions": [],
        "failures": [],
    }


# -- running ---------------------------------------------------------------------------------
@dataclass
class SweepReport:
    """What one call of :func:`run_sweep` did."""

    out: Path
    total: int
    stored: int
    new: int
    seconds: float
    status: str  # complete | incomplete (runs failed) | interrupted | error
    executor: str
    failures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def bad_input(self) -> bool:
        """Every failed run failed on bad input (an AdoptsimError), none on a bug."""
        return bool(self.failures) and all(f["bad_input"] for f in self.failures)


def _batches(plan: SweepPlan, pending: np.ndarray, size: int, one_thread: bool) -> list[Batch]:
    out = []
    for start in range(0, len(pending), size):
        runs, used = [], set()
        for rid in pending[start : start + size].tolist():
            s, p, r = plan.locate(rid)
            runs.append((rid, s, plan.design.points[p], plan.seeds[r], plan.engines[s][p]))
            used.add(s)
        bases = {s: plan.bases[s].data for s in sorted(used)}
        out.append(Batch(bases, plan.design.names, tuple(runs), one_thread, plan.organization))
    return out


def _batch_size(plan: SweepPlan, n_pending: int, slots: int, kind: str) -> int:
    """About ``_TASK_SECONDS`` of work per task, but at least four tasks per slot."""
    per_task = max(1, round(_TASK_SECONDS[kind] / plan.cost))
    return max(1, min(per_task, math.ceil(n_pending / (4 * slots))))


def _results(plan, pending, executor, workers, log):
    """(results iterator, description of the executor): the pending runs in batches of about
    ``_TASK_SECONDS`` of work, through the execution layer."""
    if executor is None:
        asked = default_workers() if workers is None else workers
        workers = fitting_workers(asked, plan.memory)
        if workers < asked:
            log(f"{workers} local processes, not {asked}: each run needs up to "
                f"{plan.memory / 2**30:.1f} GB of memory")
        if workers <= 1 or len(pending) <= 1:
            batches, where = _batches(plan, pending, 1, False), "this process"
        else:
            size = _batch_size(plan, len(pending), workers, "pool")
            batches = _batches(plan, pending, size, True)
            where = f"{workers} local processes, {size} runs/task"
    elif is_dask_client(executor):
        slots = max(1, sum(executor.nthreads().values()))
        size = _batch_size(plan, len(pending), slots, "dask")
        batches = _batches(plan, pending, size, True)
        where = f"Dask scheduler {executor.scheduler.address} ({slots} threads), {size} runs/task"
    else:
        slots = getattr(executor, "_max_workers", None) or default_workers()
        size = _batch_size(plan, len(pending), slots, "pool")
        batches = _batches(plan, pending, size, True)
        where = f"{type(executor).__name__}, {size} runs/task"
    it = results(run_batch, batches, workers=workers, executor=executor, log=log)
    return it, where


def run_sweep(
    spec: SweepSpec | str | Path,
    out: str | Path,
    *,
    workers: int | None = None,
    executor: Executor | Any | None = None,
    resume: bool = False,
    engine: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    log: Callable[[str], None] | None = None,
    flush_seconds: float = 5.0,
    org_csv: str | Path | None = None,
    ties_csv: str | Path | None = None,
    force: bool = False,
) -> SweepReport:
    """Run a sweep into ``out`` (see the module docstring and docs/SWEEPS.md).

    ``executor``: None for local processes (``workers`` of them; 1 runs in this process), a
    ``concurrent.futures.Executor``, or a ``distributed.Client``. ``resume``: run only what
    ``out`` lacks (the spec must be the one it was started with). ``engine`` overrides the
    spec's. ``progress(finished, total)`` is called as runs finish; ``log(message)`` gets
    notes. Finished runs are written every ``flush_seconds``. A new sweep of more than
    ``sweep_folder.MAX_RUNS`` runs is refused unless ``force``. Raises :class:`ConfigError`
    for bad input (before anything is written) and ``KeyboardInterrupt`` after storing what
    finished (an :class:`experiments.outputs.OutputError` when the disk is full). A run
    that fails is recorded in the report and the manifest, not stored.
    ``org_csv``/``ties_csv``: run every point on this org chart (overriding the spec's;
    :mod:`experiments.sweep_org`).
    """
    spec = spec if isinstance(spec, SweepSpec) else load_spec(spec)
    out, log = Path(out), log or (lambda message: None)
    org = org_source(spec, org_csv, ties_csv)
    plan = check_new_sweep(spec, out, resume, engine, force, org)  # None: out holds a sweep
    with locked_folder(out):
        manifest = open_out(out, resume)  # again, now that no one else writes here
        if manifest is None:
            plan = plan or plan_sweep(spec, engine, org=org)
            manifest, done = _new_manifest(plan), np.zeros(0, np.int64)
        else:
            plan, done = resume_plan(spec, manifest, engine, out, log, org)
        pending = np.setdiff1d(np.arange(plan.total, dtype=np.int64), done)
        results, where = _results(plan, pending, executor, workers, log)
        return _execute(plan, out, manifest, results, where, len(done), progress, flush_seconds)


def _execute(plan, out, manifest, results, where, n_done, progress, flush_seconds) -> SweepReport:
    session = {
        "started": _now(),
        "ended": None,
        "executor": where,
        "runs": 0,
        "failed": 0,
        "versions": _versions(),
    }
    manifest["sessions"].append(session)
    manifest.update(status="running", ended=None)
    write_manifest(out, manifest)
    types, as_json = _param_types(plan.design)
    writer = PartWriter(
        out, len(manifest["sessions"]) - 1, types, stored_schema(out), flush_seconds=flush_seconds
    )
    failures: list[dict[str, Any]] = []
    status, finished, t0 = "error", n_done, time.perf_counter()
    try:
        if progress:
            progress(finished, plan.total)
        with contextlib.closing(results) as it:
            for batch, result in it:
                for o in _outcomes(batch, result):
                    if o.error is None:
                        writer.add(_row(plan, as_json, o), o.series, o.groups)
                    else:
                        s, point, replicate = plan.locate(o.run_id)
                        failures.append(
                            {
                                "run_id": o.run_id,
                                "point": point,
                                "replicate": replicate,
                                "error": o.error,
                                "bad_input": o.bad_input,
                            }
                        )
                finished += len(batch.runs)
                if progress:
                    progress(finished, plan.total)
        status = "incomplete" if failures else "complete"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        try:
            writer.flush()
        finally:
            stored = n_done + writer.written
            if stored == plan.total and status == "interrupted":
                status = "complete"  # stopped after the last run was stored
            session.update(ended=_now(), runs=writer.written, failed=len(failures))
            manifest.update(
                status=status,
                ended=_now(),
                failures=failures[:_MAX_FAILURES_KEPT],
                runs={"total": plan.total, "stored": stored, "failed": len(failures)},
            )
            write_manifest(out, manifest)
    return SweepReport(
        out, plan.total, stored, writer.written, time.perf_counter() - t0, status, where, failures
    )


def _outcomes(batch: Batch, result) -> list[Outcome]:
    if isinstance(result, BaseException):  # the whole batch was lost
        error = f"{type(result).__name__}: {result}"
        return [Outcome(run[0], error=error) for run in batch.runs]
    return result
