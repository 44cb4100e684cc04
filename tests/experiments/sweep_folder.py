"""Sweep-shaped folders built directly (no model runs): a manifest and metrics/series parts in
the format ``adoptsim sweep`` writes, written with its own :class:`PartWriter`, so the analyses
can be tested on functions whose answers are known."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa

from experiments.storage import PartWriter, write_manifest
from experiments.sweep import FORMAT


def sweep_folder(
    out: Path,
    kind: str,
    problem: dict,
    sample: np.ndarray,
    outputs: Callable[[np.ndarray, int], dict[str, np.ndarray]],
    *,
    replicates: int = 1,
    scenarios: tuple[str, ...] = ("test",),
    drawn: Callable[[int], dict[str, float]] | None = None,
    spec: dict | None = None,
) -> Path:
    """A complete sweep over ``sample`` (one row per design point, the factors' values).

    ``outputs(sample, replicate)`` gives each metric column at every point for one replicate
    (bool arrays for yes/no metrics); ``drawn(replicate)`` the conditions that replicate drew.
    """
    names = list(problem["names"])
    n_points = len(sample)
    spec = {
        "scenario": list(scenarios),
        "design": kind,
        "replicates": replicates,
        "seed": 7,
        **(spec or {}),
    }
    manifest = {
        "format": FORMAT,
        "spec": spec,
        "spec_file": "<test>",
        "scenarios": [{"ref": s, "name": s, "sha256": "0"} for s in scenarios],
        "engine": {"spec": "auto", "requested": "auto", "resolved": ["numba"]},
        "replicates": replicates,
        "seeds": list(range(replicates)),
        "design": {
            "kind": kind,
            "n_points": n_points,
            "seed": 11,
            "parameters": [{"name": n, "kind": "range"} for n in names],
            "problem": problem if kind in ("sobol", "morris", "lhs") else None,
            "points": {n: sample[:, j].tolist() for j, n in enumerate(names)},
            "sample": sample.tolist() if kind != "grid" else None,
        },
        "json_columns": [],
        "runs": {"total": 0, "stored": 0, "failed": 0},
        "status": "complete",
        "versions": {},
        "sessions": [],
        "failures": [],
    }
    out.mkdir(parents=True)
    writer = PartWriter(out, 0, {n: pa.float64() for n in names}, flush_seconds=1e9)
    run_id = 0
    for s in scenarios:
        per_rep = [outputs(sample, r) for r in range(replicates)]
        for p in range(n_points):
            for r in range(replicates):
                row = {
                    "run_id": run_id,
                    "point": p,
                    "replicate": r,
                    "seed": r,
                    "scenario": s,
                    "engine": "numba",
                }
                row.update({n: float(sample[p, j]) for j, n in enumerate(names)})
                row.update({k: v[p].item() for k, v in per_rep[r].items()})
                row.update({"n_employees": 100, "n_weeks": 10})
                row.update({f"drawn.{k}": v for k, v in (drawn(r) if drawn else {}).items()})
                series = {"run_id": np.array([run_id]), "week": np.array([0])}
                writer.add(row, series)
                run_id += 1
    writer.flush()
    manifest["runs"] = {"total": run_id, "stored": run_id, "failed": 0}
    write_manifest(out, manifest)
    return out
