"""Checking a sweep folder's stored parts before a resumed sweep trusts them.

A part is stored as a pair of files of the same name in ``metrics/`` and ``series/`` (and, in
sweeps stored since it exists, ``groups/``, or any other dataset folder a sweep writes:
:mod:`experiments.storage`). Before ``--resume`` runs what is missing, every pair is read in
full (with Parquet page checksums, where the part has them) and checked:

- both halves are present, and every half present is readable;
- the metrics half has one row per run, each run id once and within the sweep;
- every other half holds exactly the metrics half's runs, and the weekly series holds one row
  per run and week (``n_weeks + 1`` rows per run, week 0 included) and no week twice;
- no run is stored in an earlier part already (a duplicate left by an old version that had no
  folder lock).

A pair that fails is removed, and its runs run again; what was removed and why is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .storage import _PART

__all__ = ["PartsCheck", "check_parts"]


@dataclass
class PartsCheck:
    """What :func:`check_parts` found: the run ids stored in good parts, and one line per
    removed part (why, and how many runs go back to the queue)."""

    stored: np.ndarray
    removed: list[str] = field(default_factory=list)
    half_written: int = 0


class _Damaged(Exception):
    pass


def _datasets(out: Path) -> list[str]:
    """The dataset folders of a sweep: metrics first, then series, then any other folder
    holding part files."""
    others = sorted(
        p.name
        for p in out.iterdir()
        if p.is_dir()
        and p.name not in ("metrics", "series")
        and not p.name.startswith(".")
        and any(_PART.match(f.name) for f in p.iterdir())
    )
    return ["metrics", "series", *others]


def _read(path: Path) -> pa.Table:
    try:
        return pq.read_table(path, page_checksum_verification=True)
    except (OSError, pa.ArrowException) as e:
        raise _Damaged(f"{path.parent.name}/{path.name} cannot be read ({e})") from None


def _check_metrics(table: pa.Table, total: int, name: str) -> tuple[np.ndarray, np.ndarray]:
    if "run_id" not in table.column_names or "n_weeks" not in table.column_names:
        raise _Damaged(f"metrics/{name} lacks the run_id or n_weeks column")
    ids = table.column("run_id").to_numpy(zero_copy_only=False)
    weeks = table.column("n_weeks").to_numpy(zero_copy_only=False)
    if len(np.unique(ids)) != len(ids):
        raise _Damaged(f"metrics/{name} holds a run twice")
    if ids.size and (ids.min() < 0 or ids.max() >= total):
        raise _Damaged(f"metrics/{name} holds run ids outside this sweep (0-{total - 1})")
    return ids.astype(np.int64), weeks.astype(np.int64)


def _check_half(table: pa.Table, ids: np.ndarray, weeks: np.ndarray, sub: str, name: str):
    if "run_id" not in table.column_names:
        raise _Damaged(f"{sub}/{name} lacks the run_id column")
    rid = table.column("run_id").to_numpy(zero_copy_only=False)
    if not np.array_equal(np.unique(rid), np.sort(ids)):
        raise _Damaged(f"{sub}/{name} does not hold the same runs as metrics/{name}")
    if sub == "series":
        expected = int((weeks + 1).sum())
        week = table.column("week").to_numpy(zero_copy_only=False)
        pairs = np.unique(rid.astype(np.int64) * (1 << 20) + week)
        if table.num_rows != expected or pairs.size != expected:
            raise _Damaged(
                f"series/{name} has {table.num_rows} rows, expected {expected} (one per run "
                "and week, no week twice)"
            )


def _check_pair(out: Path, name: str, present: set[str], total: int) -> np.ndarray:
    """The run ids of a good pair (and its other halves), or :class:`_Damaged`."""
    ids, weeks = _check_metrics(_read(out / "metrics" / name), total, name)
    for sub in sorted(present - {"metrics"}):
        _check_half(_read(out / sub / name), ids, weeks, sub, name)
    return ids


def _remove(out: Path, name: str, datasets: list[str]) -> None:
    for sub in datasets:
        (out / sub / name).unlink(missing_ok=True)


def check_parts(out: Path | str, total: int) -> PartsCheck:
    """Check every stored part of the sweep in ``out`` (``total`` runs), remove what is
    damaged, duplicated or half written, and return the run ids stored in good parts."""
    out = Path(out)
    datasets = _datasets(out)
    names: dict[str, set[str]] = {}
    half_written = 0
    for sub in datasets:
        for p in (out / sub).glob("*") if (out / sub).is_dir() else ():
            if p.is_file() and _PART.match(p.name):
                names.setdefault(p.name, set()).add(sub)
            elif p.is_file() and p.name.startswith("."):  # a temporary file of a write
                p.unlink()
                half_written += 1
    seen: list[np.ndarray] = []
    check = PartsCheck(np.zeros(0, np.int64), half_written=half_written)
    for name in sorted(names):
        if not {"metrics", "series"} <= names[name]:  # the metrics half was never renamed
            _remove(out, name, datasets)
            check.half_written += 1
            continue
        try:
            ids = _check_pair(out, name, names[name], total)
            if seen and np.isin(ids, np.concatenate(seen)).any():
                _remove(out, name, datasets)
                check.removed.append(
                    f"{name} repeats runs stored in an earlier part; removed (runs only it "
                    "held will run again)"
                )
                continue
        except _Damaged as e:
            _remove(out, name, datasets)
            check.removed.append(f"{e}; removed, its runs will run again")
            continue
        seen.append(ids)
    check.stored = np.unique(np.concatenate(seen)) if seen else np.zeros(0, np.int64)
    return check
