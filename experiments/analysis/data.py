"""A sweep read for analysis: its design, the metric to explain, one value per run and per point.

The analyses take a stored sweep (``adoptsim sweep``'s folder: manifest.json and the metrics/
Parquet dataset) as it is: the design kind, the SALib problem and sample from the manifest, one
row per run from metrics/. Everything a user can get wrong (a folder that is not a sweep, an
unknown or constant metric, missing points) is a :class:`ConfigError` naming what and how to fix it.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation import ConfigError

from ..storage import ID_COLUMNS, MANIFEST, load_sweep

__all__ = [
    "Outcome",
    "SweepData",
    "few_drawn",
    "inputs",
    "is_constant",
    "load",
    "outcome",
    "parse_threshold",
    "point_means",
]

#: columns of metrics/ that are not outcomes (besides the parameters and the drawn conditions)
_NOT_METRICS = {*ID_COLUMNS, "n_employees", "n_weeks", "build_s", "run_s"}
_WEEKS_TO = re.compile(r"^weeks_to_\d+$")
#: a drawn condition is an input only with this many distinct values: with common random
#: numbers, replicate r draws the same conditions at every point, so a sweep of 4 replicates
#: has 4 values of each (4 organizations), too few for a box limit to mean anything
MIN_DRAWN_VALUES = 10
_THRESHOLD = re.compile(r"^\s*(<=|>=|<|>)?\s*([-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)\s*$")


@dataclass
class SweepData:
    """A stored sweep: ``metrics`` has one row per run (sorted by run id)."""

    path: Path
    manifest: dict[str, Any]
    metrics: pd.DataFrame

    @property
    def design(self) -> dict[str, Any]:
        return self.manifest["design"]

    @property
    def kind(self) -> str:
        return self.design["kind"]

    @property
    def scenarios(self) -> list[str]:
        return [s["name"] for s in self.manifest["scenarios"]]

    @property
    def replicates(self) -> int:
        return int(self.manifest["replicates"])

    @property
    def parameters(self) -> list[str]:
        """Every parameter column of the design (constants included)."""
        return list(self.design["points"])

    @property
    def factors(self) -> list[str]:
        """The parameters that vary: the SALib problem's names, or a grid's lists of 2+ values."""
        if self.design.get("problem"):
            return list(self.design["problem"]["names"])
        return [n for n, v in self.design["points"].items() if len({_key(x) for x in v}) > 1]

    def metric_names(self) -> list[str]:
        params = set(self.parameters)
        return [
            c
            for c in self.metrics.columns
            if c not in _NOT_METRICS and c not in params and not c.startswith("drawn.")
        ]


def _key(v: Any) -> str:
    return repr(v)


def load(path: str | Path) -> SweepData:
    """Read a sweep folder's manifest and metrics (no series)."""
    path = Path(path)
    if not path.is_dir():
        raise ConfigError(f"{path}: no such folder; give the --out folder of `adoptsim sweep`")
    if not (path / MANIFEST).is_file():
        raise ConfigError(
            f"{path}: not a sweep folder (no {MANIFEST}); give the --out folder of `adoptsim sweep`"
        )
    try:
        res = load_sweep(path, series=False)
    except (OSError, ValueError, KeyError) as e:
        raise ConfigError(f"{path}: the sweep cannot be read ({type(e).__name__}: {e})") from None
    if not str(res.manifest.get("format", "")).startswith("adoptsim-sweep/"):
        raise ConfigError(f"{path / MANIFEST}: not an adoptsim sweep manifest")
    if res.metrics.empty:
        raise ConfigError(
            f"{path}: the sweep has no stored runs yet; run it (or resume it with "
            "`adoptsim sweep SPEC --out DIR --resume`) before analysing it"
        )
    return SweepData(path, res.manifest, res.metrics)


@dataclass(frozen=True)
class Outcome:
    """What is explained: a metric, or whether it crosses a threshold (``op`` ``value``)."""

    metric: str
    kind: str  # "bool" (success), "number", or "indicator" (a number against a threshold)
    op: str | None = None
    value: float | None = None
    censored: int = 0  # weeks_to_* runs that never reached the level (counted as horizon + 1)

    @property
    def is_share(self) -> bool:
        """Per point, the replicates' mean of a yes/no outcome is a share."""
        return self.kind in ("bool", "indicator")

    def describe(self) -> str:
        if self.kind == "indicator":
            return f"{self.metric} {self.op} {self.value:.4g}"
        return self.metric


def parse_threshold(text: str | float | None) -> tuple[str, float] | None:
    """``0.3`` or ``<0.3`` (below), ``>40`` (above), ``<=``, ``>=``; None when not given."""
    if text is None:
        return None
    if isinstance(text, int | float) and not isinstance(text, bool):
        return "<", float(text)
    m = _THRESHOLD.match(str(text))
    if not m:
        raise ConfigError(
            f"--threshold {text!r}: give a number (runs below it are the cases of interest), "
            "or a number after <, <=, > or >= (e.g. '>40' for weeks_to_50 above 40)"
        )
    return m.group(1) or "<", float(m.group(2))


def outcome(
    data: SweepData, metric: str, threshold: str | float | None
) -> tuple[Outcome, pd.Series]:
    """The outcome of every run, as floats (success: 1.0/0.0), and how it was made."""
    names = data.metric_names()
    if metric not in data.metrics.columns or metric not in names:
        close = difflib.get_close_matches(metric, names, n=3, cutoff=0.5)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise ConfigError(
            f"--metric {metric!r}: not a metric of the sweep in {data.path}.{hint} "
            f"Metrics: {', '.join(names)}"
        )
    col = data.metrics[metric]
    thr = parse_threshold(threshold)
    if pd.api.types.is_bool_dtype(col):
        if thr is not None:
            raise ConfigError(
                f"--threshold: {metric} is yes/no already; a threshold applies to a numeric "
                "metric (e.g. --metric final_share.engaged --threshold 0.2)"
            )
        return Outcome(metric, "bool"), col.astype(float)
    if not pd.api.types.is_numeric_dtype(col):
        raise ConfigError(f"--metric {metric}: holds text, not numbers; choose a numeric metric")
    y, censored = col.astype(float), 0
    if _WEEKS_TO.match(metric):  # never reached within the horizon: counted as horizon + 1
        never = y.isna()
        censored = int(never.sum())
        y = y.where(~never, data.metrics["n_weeks"].astype(float) + 1)
    missing = int(y.isna().sum())
    if missing:
        raise ConfigError(
            f"--metric {metric}: undefined in {missing} of {len(y)} runs (for example roi "
            "without cost); choose a metric every run defines"
        )
    if thr is None:
        return Outcome(metric, "number", censored=censored), y
    op, value = thr
    hit = {"<": y < value, "<=": y <= value, ">": y > value, ">=": y >= value}[op]
    return Outcome(metric, "indicator", op, value, censored), hit.astype(float)


def point_means(data: SweepData, y: pd.Series, scenario: str) -> np.ndarray:
    """One value per design point of ``scenario``, in point order: the mean over its replicates
    (for a yes/no outcome, the share of replicates). Every point must be stored."""
    rows = data.metrics["scenario"] == scenario
    means = y[rows].groupby(data.metrics.loc[rows, "point"]).mean()
    n_points = int(data.design["n_points"])
    missing = n_points - len(means)
    if missing:
        raise ConfigError(
            f"{data.path}: {missing} of {n_points} design points of {scenario} have no stored "
            "run; the indices need every point. Finish the sweep with `adoptsim sweep SPEC "
            f"--out {data.path} --resume`"
        )
    return means.sort_index().to_numpy(float)


def is_constant(values: np.ndarray) -> bool:
    return bool(values.size == 0 or math.isclose(float(np.ptp(values)), 0.0, abs_tol=1e-12))


def few_drawn(data: SweepData) -> dict[str, int]:
    """The drawn conditions that vary but take too few values to be PRIM inputs."""
    out = {}
    for name in (c for c in data.metrics.columns if c.startswith("drawn.")):
        n = int(data.metrics.groupby("scenario")[name].nunique().max())
        if 1 < n < MIN_DRAWN_VALUES:
            out[name] = n
    return out


def inputs(data: SweepData, scenario: str) -> pd.DataFrame:
    """What may explain a run's outcome: the varied parameters and the conditions the run's
    organization drew (``drawn.*``), leaving out constants, drawn conditions the design pinned
    (equal to a parameter column) and those with fewer than ``MIN_DRAWN_VALUES`` values."""
    rows = data.metrics.loc[data.metrics["scenario"] == scenario]
    cols = {}
    for name in data.factors:
        cols[name] = rows[name]
    for name in sorted(c for c in rows.columns if c.startswith("drawn.")):
        col = rows[name]
        if col.nunique(dropna=False) < MIN_DRAWN_VALUES:
            continue  # a few organizations' values: too few to put a limit between
        if any(col.equals(rows[p].astype(col.dtype, errors="ignore")) for p in cols):
            continue  # a condition the design pinned: the parameter says it already
        cols[name] = col
    x = pd.DataFrame(cols).reset_index(drop=True)
    for c in x.columns:  # PRIM takes numbers as limits and everything else as categories
        if pd.api.types.is_bool_dtype(x[c]) or not pd.api.types.is_numeric_dtype(x[c]):
            x[c] = x[c].astype(str)
        elif pd.api.types.is_integer_dtype(x[c]):
            x[c] = x[c].astype(np.int64)
        else:
            x[c] = x[c].astype(np.float64)
    return x
