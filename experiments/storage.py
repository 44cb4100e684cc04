"""Sweep results on disk: a manifest and two Parquet datasets, written as runs finish.

Layout of a sweep directory (docs/SWEEPS.md)::

    manifest.json            spec as given, design, seeds, versions, sessions, status
    metrics/part-SSS-NNNNNN.parquet   one row per run
    series/part-SSS-NNNNNN.parquet    one row per run and week
    groups/part-SSS-NNNNNN.parquet    one row per run, week and role or department

Finished runs are buffered and written every few seconds as a *pair* of part files with the same
name: each file is written under a temporary name starting with ``.`` (which Parquet readers
skip), synced and renamed into place, the series part first, then the groups part, and the
metrics part last. A run is
stored when its metrics part exists beside its series part; anything else (a temporary file, a
series part whose metrics part was never renamed) is an interrupted write that
:func:`experiments.sweep_check.check_parts` removes before a resumed sweep goes on (it also
reads every stored pair in full and removes damaged or duplicated ones).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .outputs import OutputError, write_file

__all__ = [
    "MANIFEST",
    "PartWriter",
    "SweepResults",
    "complete_parts",
    "load_sweep",
    "read_manifest",
    "stored_schema",
    "write_manifest",
]

MANIFEST = "manifest.json"
_PART = re.compile(r"^part-\d+-\d+\.parquet$")

#: columns every metrics row starts with, in this order
ID_COLUMNS = {
    "run_id": pa.int64(),
    "point": pa.int64(),
    "replicate": pa.int64(),
    "seed": pa.int64(),
    "scenario": pa.string(),
    "engine": pa.string(),
}
#: outcome columns of a known type (the other metrics follow :func:`_metric_type`)
FIXED_COLUMNS = {
    "success": pa.bool_(),
    "n_employees": pa.int64(),
    "n_weeks": pa.int64(),
    "build_s": pa.float64(),
    "run_s": pa.float64(),
}


# -- manifest --------------------------------------------------------------------------------
def write_manifest(out: Path, manifest: Mapping[str, Any]) -> None:
    write_file(Path(out) / MANIFEST, json.dumps(manifest, indent=1, allow_nan=False) + "\n")


def read_manifest(out: Path) -> dict[str, Any]:
    return json.loads((Path(out) / MANIFEST).read_text(encoding="utf-8"))


# -- part files ------------------------------------------------------------------------------
def complete_parts(out: Path) -> list[str]:
    """Names of the parts written in full (both halves present), in order."""
    out = Path(out)
    metrics = {p.name for p in (out / "metrics").glob("part-*.parquet") if _PART.match(p.name)}
    series = {p.name for p in (out / "series").glob("part-*.parquet") if _PART.match(p.name)}
    return sorted(metrics & series)


def _metric_type(values: Sequence[Any]) -> pa.DataType:
    """Booleans stay booleans and text stays text; every other number is float64, so a
    metric that can be undefined (weeks_to_50 when never reached) is null, not a sentinel."""
    seen = next((v for v in values if v is not None), None)
    if isinstance(seen, bool | np.bool_):
        return pa.bool_()
    if isinstance(seen, str):
        return pa.string()
    return pa.float64()


def _sync_write(table: pa.Table, path: Path) -> Path:
    """Write ``table`` beside ``path`` under a temporary name and sync it; return that name."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "wb") as f:
            pq.write_table(table, f, write_page_checksum=True)  # checked on --resume
            f.flush()
            os.fsync(f.fileno())
    except BaseException as e:
        tmp.unlink(missing_ok=True)
        if isinstance(e, OSError):  # a full disk, a file-size limit: the user's to fix
            raise OutputError("", path, f"cannot write ({e.strerror or e})") from None
        raise
    return tmp


class PartWriter:
    """Buffers finished runs and writes them as part pairs every ``flush_seconds`` (or
    ``flush_runs`` runs), and when closed.

    ``param_types`` fixes the parameter columns' types; the other metric columns take their
    type from the first part written (or from ``schema``, the schema of the parts already
    stored, when a sweep is resumed), so every part of a sweep has the same schema.
    """

    def __init__(
        self,
        out: Path,
        session: int,
        param_types: Mapping[str, pa.DataType],
        schema: pa.Schema | None = None,
        flush_seconds: float = 5.0,
        flush_runs: int = 20_000,
    ):
        self.out = Path(out)
        self.session = session
        self.param_types = dict(param_types)
        self.schema = schema
        self.flush_seconds = flush_seconds
        self.flush_runs = flush_runs
        self.rows: list[dict[str, Any]] = []
        self.series: list[dict[str, np.ndarray]] = []
        self.groups: list[dict[str, np.ndarray]] = []
        self.seq = 0
        self.written = 0
        self.last_flush = time.monotonic()
        for sub in ("metrics", "series", "groups"):
            (self.out / sub).mkdir(parents=True, exist_ok=True)

    def add(
        self,
        row: dict[str, Any],
        series: dict[str, np.ndarray],
        groups: dict[str, np.ndarray] | None = None,
    ) -> None:
        self.rows.append(row)
        self.series.append(series)
        if groups is not None:
            self.groups.append(groups)
        if (
            len(self.rows) >= self.flush_runs
            or time.monotonic() - self.last_flush >= self.flush_seconds
        ):
            self.flush()

    def _metrics_schema(self) -> pa.Schema:
        if self.schema is None:
            names = list(dict.fromkeys(k for r in self.rows for k in r))
            fields = []
            for n in names:
                if n in ID_COLUMNS:
                    t = ID_COLUMNS[n]
                elif n in FIXED_COLUMNS:
                    t = FIXED_COLUMNS[n]
                elif n in self.param_types:
                    t = self.param_types[n]
                else:
                    t = _metric_type([r.get(n) for r in self.rows])
                fields.append(pa.field(n, t))
            self.schema = pa.schema(fields)
        return self.schema

    def _series_table(self) -> pa.Table:
        cols = list(self.series[0])
        data = {c: np.concatenate([s[c] for s in self.series]) for c in cols}
        return pa.table(
            {c: pa.array(v, pa.int64() if c == "run_id" else pa.int32()) for c, v in data.items()}
        )

    def flush(self) -> None:
        """Write the buffered runs as one part pair (series first, metrics last)."""
        self.last_flush = time.monotonic()
        if not self.rows:
            return
        name = f"part-{self.session:03d}-{self.seq:06d}.parquet"
        metrics = pa.Table.from_pylist(self.rows, schema=self._metrics_schema())
        tmp_series = _sync_write(self._series_table(), self.out / "series" / name)
        try:
            tmp_groups = (
                _sync_write(_groups_table(self.groups), self.out / "groups" / name)
                if self.groups
                else None
            )
            tmp_metrics = _sync_write(metrics, self.out / "metrics" / name)
        except BaseException:  # no half pair left behind
            tmp_series.unlink(missing_ok=True)
            if "tmp_groups" in locals() and tmp_groups is not None:
                tmp_groups.unlink(missing_ok=True)
            raise
        os.replace(tmp_series, self.out / "series" / name)
        if tmp_groups is not None:
            os.replace(tmp_groups, self.out / "groups" / name)
        os.replace(tmp_metrics, self.out / "metrics" / name)
        self.written += len(self.rows)
        self.seq += 1
        self.rows, self.series, self.groups = [], [], []


def _groups_table(groups: list[dict[str, np.ndarray]]) -> pa.Table:
    """Head counts per state by role and by department, one row per run, week and group."""
    types = {"run_id": pa.int64(), "week": pa.int32(), "kind": pa.string(), "group": pa.string()}
    cols = list(groups[0])
    return pa.table(
        {
            c: pa.array(np.concatenate([g[c] for g in groups]), types.get(c, pa.int32()))
            for c in cols
        }
    )


def stored_schema(out: Path) -> pa.Schema | None:
    parts = complete_parts(out)
    return pq.read_schema(Path(out) / "metrics" / parts[0]) if parts else None


# -- reading ---------------------------------------------------------------------------------
@dataclass
class SweepResults:
    """A sweep read back: ``metrics`` (one row per run, by run_id), ``series`` (one row per
    run and week), ``design`` (one row per design point) and the ``manifest``; ``groups`` (one
    row per run, week and role or department) when asked for."""

    manifest: dict[str, Any]
    design: pd.DataFrame
    metrics: pd.DataFrame
    series: pd.DataFrame | None
    groups: pd.DataFrame | None = None


def _read(out: Path, sub: str, parts: list[str]) -> pd.DataFrame:
    if sub == "groups":  # sweeps stored before groups/ existed have none
        parts = [name for name in parts if (out / sub / name).is_file()]
    if not parts:
        keys = ["run_id", "week"] if sub == "series" else ["run_id"]
        return pd.DataFrame({k: pd.Series([], dtype="int64") for k in keys})
    tables = []
    for name in parts:
        try:
            tables.append(pq.read_table(out / sub / name))
        except (OSError, pa.ArrowException) as e:
            from simulation import ConfigError

            raise ConfigError(
                f"{out / sub / name}: damaged ({e}). `adoptsim sweep SPEC --out {out} --resume` "
                "checks every part, removes damaged ones and runs their runs again"
            ) from None
    return pa.concat_tables(tables, promote_options="permissive").to_pandas()


def load_sweep(out: str | Path, *, series: bool = True, groups: bool = False) -> SweepResults:
    """Read a sweep directory (finished, interrupted or still running) into DataFrames.

    Only complete part pairs are read; a run stored twice is kept once. ``series=False``
    skips the per-week table, which is the large one; ``groups=True`` reads the head counts
    by role and by department (larger still).
    """
    out = Path(out)
    if not (out / MANIFEST).is_file():
        from simulation import ConfigError

        raise ConfigError(f"{out}: not a sweep directory (no {MANIFEST})")
    manifest = read_manifest(out)
    parts = complete_parts(out)
    metrics = _read(out, "metrics", parts)
    metrics = metrics.drop_duplicates("run_id").sort_values("run_id", kind="stable")
    table = None
    if series:
        table = _read(out, "series", parts).drop_duplicates(["run_id", "week"])
        table = table.sort_values(["run_id", "week"], kind="stable").reset_index(drop=True)
    by_group = None
    if groups:
        keys = ["run_id", "week", "kind", "group"]
        by_group = _read(out, "groups", parts)
        if len(by_group):
            by_group = by_group.drop_duplicates(keys).sort_values(keys, kind="stable")
        by_group = by_group.reset_index(drop=True)
    points = manifest["design"]["points"]
    design = pd.DataFrame({"point": np.arange(manifest["design"]["n_points"]), **points})
    return SweepResults(manifest, design, metrics.reset_index(drop=True), table, by_group)
