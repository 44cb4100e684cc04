"""A sweep's results seen one metric against one parameter: points, a smoothed trend and the
success rate by bins (what the dashboard's sweep page plots), and the analyses written by
``adoptsim analyze`` next to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simulation import ConfigError

from .compare import wilson_interval
from .storage import load_sweep

__all__ = [
    "AnalysisFolder",
    "SweepTable",
    "analyses",
    "open_sweep",
    "rate_by_bins",
    "trend",
]

#: columns of a sweep's metrics that are bookkeeping, not outcomes
_NOT_METRICS = {"run_id", "point", "replicate", "seed", "n_weeks", "n_employees", "build_s",
                "run_s"}


@dataclass(frozen=True)
class SweepTable:
    """A sweep's runs (one row each) and which columns are parameters and metrics."""

    path: str
    metrics: pd.DataFrame
    parameters: tuple[str, ...]  # varied by the design (numbers)
    drawn: tuple[str, ...]  # conditions each organization drew (``drawn.*``)
    outcomes: tuple[str, ...]  # numeric outcome columns (success first)
    scenarios: tuple[str, ...]
    status: str

    @property
    def n_runs(self) -> int:
        return len(self.metrics)


def _numeric(frame: pd.DataFrame, col: str) -> bool:
    return pd.api.types.is_numeric_dtype(frame[col]) or pd.api.types.is_bool_dtype(frame[col])


def open_sweep(path: str | Path, root: str | Path | None = None) -> SweepTable:
    """Read a folder written by ``adoptsim sweep`` (finished or not). Raises
    :class:`ConfigError` naming the folder when it is not one, holds no runs yet, or is not
    under ``root`` (when given: a server open to others reads only there)."""
    path = Path(path).expanduser()
    if root is not None and not path.resolve().is_relative_to(Path(root).resolve()):
        raise ConfigError(f"{path}: this dashboard opens sweep folders under {root} only")
    if not path.is_dir():
        raise ConfigError(f"{path}: no such folder")
    res = load_sweep(path, series=False)
    m = res.metrics
    if m.empty:
        raise ConfigError(f"{path}: the sweep has no finished runs yet")
    names = [p["name"] for p in res.manifest["design"]["parameters"]]
    params = tuple(n for n in names if n in m and _numeric(m, n))
    drawn = tuple(c for c in m.columns if c.startswith("drawn.") and _numeric(m, c))
    skip = _NOT_METRICS | set(names) | set(drawn)
    outcomes = [c for c in m.columns if c not in skip and _numeric(m, c)]
    outcomes.sort(key=lambda c: c != "success")
    return SweepTable(
        str(path),
        m,
        params,
        drawn,
        tuple(outcomes),
        tuple(sorted(m["scenario"].unique())),
        str(res.manifest.get("status", "")),
    )


def trend(x: np.ndarray, y: np.ndarray, frac: float = 0.4, points: int = 60):
    """A smoothed trend of y against x: local linear regression with tricube weights over the
    nearest ``frac`` of the points (LOWESS without robustness iterations), evaluated at
    ``points`` x values. NaN pairs are left out; returns (xs, ys), empty if too few points."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if x.size < 3 or np.ptp(x) == 0:
        return np.empty(0), np.empty(0)
    k = max(3, int(np.ceil(frac * x.size)))
    xs = np.linspace(x.min(), x.max(), points)
    ys = np.empty(points)
    for i, x0 in enumerate(xs):
        d = np.abs(x - x0)
        h = np.partition(d, k - 1)[k - 1] or 1e-12
        w = np.clip(1 - (d / (h * 1.0001)) ** 3, 0, None) ** 3
        sw = w.sum()
        mx, my = (w * x).sum() / sw, (w * y).sum() / sw
        var = (w * (x - mx) ** 2).sum()
        slope = (w * (x - mx) * (y - my)).sum() / var if var > 0 else 0.0
        ys[i] = my + slope * (x0 - mx)
    return xs, ys


def rate_by_bins(x: np.ndarray, success: np.ndarray, bins: int = 8) -> pd.DataFrame:
    """Success rate with its 95% Wilson interval in ``bins`` bins of x (equal width; a
    parameter with few distinct values gets one bin per value)."""
    x = np.asarray(x, float)
    s = np.asarray(success, bool)
    ok = np.isfinite(x)
    x, s = x[ok], s[ok]
    values = np.unique(x)
    if values.size <= bins:
        groups = [(v, v, x == v) for v in values]
    else:
        edges = np.linspace(x.min(), x.max(), bins + 1)
        idx = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, bins - 1)
        groups = [(edges[b], edges[b + 1], idx == b) for b in range(bins)]
    rows = []
    for lo, hi, mask in groups:
        n, k = int(mask.sum()), int(s[mask].sum())
        if n:
            cl, ch = wilson_interval(k, n)
            rows.append({"low": lo, "high": hi, "runs": n, "successes": k,
                         "success_rate": k / n, "ci_low": cl, "ci_high": ch})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class AnalysisFolder:
    """An analysis ``adoptsim analyze`` wrote: ``DIR/analysis/<method>-<metric>/``."""

    name: str
    summary: str  # summary.md, in plain words
    tables: tuple[Path, ...]  # indices.csv / boxes.csv ...
    figures: tuple[Path, ...]  # PNG plots


def analyses(path: str | Path) -> list[AnalysisFolder]:
    """The analyses stored with a sweep (none if it was never analysed)."""
    root = Path(path) / "analysis"
    out = []
    for d in sorted(p for p in root.glob("*") if p.is_dir()) if root.is_dir() else []:
        summary = d / "summary.md"
        out.append(
            AnalysisFolder(
                d.name,
                summary.read_text(encoding="utf-8") if summary.is_file() else "",
                tuple(sorted(d.glob("*.csv"))),
                tuple(sorted(d.glob("*.png"))),
            )
        )
    return out
