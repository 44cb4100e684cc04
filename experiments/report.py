"""Reports: JSON in the documented shapes, CSV tables, plots, terminal tables.

Files are written through :mod:`experiments.outputs`: a folder of results appears whole or not
at all, and a single file is replaced atomically (or written through, for ``-``, a FIFO or a
device), so an interrupted or failed command never leaves a half-written result.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from simulation import STATES, RunResult

from .compare import ScenarioSummary
from .outputs import write_file, write_folder

__all__ = [
    "ROLE_MARKERS",
    "STATE_COLOURS",
    "compare_bytes",
    "compare_json",
    "run_bytes",
    "run_json",
    "summary_table",
    "write_atomic",
    "write_compare_outputs",
    "write_run_outputs",
]

#: kept for callers of the old name: :func:`experiments.outputs.write_file`
write_atomic = write_file

#: sizes for the pre-flight check of free space (measured on this project's outputs, rounded
#: up): a PNG, a CSV row of a weekly table, a JSON number with its separator
_PNG_BYTES = 200_000
_CSV_ROW_BYTES = 80
_JSON_NUMBER_BYTES = 12

STATE_COLOURS = {
    "unaware": "#c7c7c7",
    "aware": "#9ecae1",
    "trying": "#fdae6b",
    "adopted": "#74c476",
    "engaged": "#006d2c",
    "lapsed": "#de2d26",
}
#: each role's marker on a network drawing (matplotlib's codes: circle, square, triangle,
#: star): roles are told apart by shape, without colour (colour is the state)
ROLE_MARKERS = {"employee": "o", "middle_manager": "s", "veteran": "^", "leader": "*"}


def run_bytes(weeks: int, departments: int) -> tuple[int, int]:
    """About how many bytes ``run --out`` and ``run --json`` write (for the free-space
    check): weekly rows for the total, each role and each department, and the plot."""
    rows = (weeks + 1) * (1 + len(STATES) + departments)
    numbers = (weeks + 1) * len(STATES) * 6  # series and four roles' series
    return rows * _CSV_ROW_BYTES + _PNG_BYTES, numbers * _JSON_NUMBER_BYTES + 20_000


def compare_bytes(weeks: int, runs: int) -> tuple[int, int]:
    """About how many bytes ``compare --out`` and ``compare --json`` write."""
    rows = runs * (weeks + 1) + runs * 10  # series.csv, and runs.csv's wide rows
    return rows * _CSV_ROW_BYTES + _PNG_BYTES, 10_000


def _json_default(o):
    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating):
        return float(o)
    raise TypeError(f"not JSON serializable: {type(o).__name__}")


def to_json(obj) -> str:
    return json.dumps(obj, indent=2, default=_json_default) + "\n"


# -- run ------------------------------------------------------------------------------------
def run_json(result: RunResult, scenario: str, seed: int) -> dict:
    """The documented shape of ``adoptsim run --json`` (DESIGN section 7)."""
    metrics = dict(result.metrics)
    metrics["interventions"] = result.costs
    metrics["conditions"] = result.conditions
    return {
        "scenario": scenario,
        "seed": seed,
        "engine": result.engine,
        "weeks": result.weeks,
        "n_employees": result.n_employees,
        "success": result.success,
        "metrics": metrics,
        "series": {k: result.series[k] for k in ("week", *STATES)},
        "by_role": result.by_role,
        "timing": {
            "build_s": result.timing.get("build_s", 0.0),
            "run_s": result.timing.get("run_s", 0.0),
        },
    }


def _long_table(groups: dict[str, dict[str, list[int]]], key: str, weeks: list[int]):
    rows = []
    for name, series in groups.items():
        frame = pd.DataFrame({"week": weeks, **series})
        frame.insert(0, key, name)
        rows.append(frame)
    return pd.concat(rows, ignore_index=True)


def write_run_outputs(out: Path, result: RunResult, scenario: str, seed: int) -> list[Path]:
    """series.csv, by_role.csv, by_department.csv, metrics.json and adoption.png, written
    into ``out`` all at once (:func:`experiments.outputs.write_folder`)."""
    weeks = result.series["week"]
    files = {
        "series.csv": pd.DataFrame(result.series).to_csv(index=False),
        "by_role.csv": _long_table(result.by_role, "role", weeks).to_csv(index=False),
        "by_department.csv": _long_table(result.by_department, "department", weeks).to_csv(
            index=False
        ),
        "metrics.json": to_json(run_json(result, scenario, seed)["metrics"]),
        "adoption.png": plot_run(result, scenario),
    }
    return write_folder(out, files)


# -- compare ---------------------------------------------------------------------------------
def compare_json(summaries: Sequence[ScenarioSummary], seed: int, replicates: int) -> dict:
    """The documented shape of ``adoptsim compare --json`` (DESIGN section 7)."""
    return {"seed": seed, "replicates": replicates, "scenarios": [s.as_dict() for s in summaries]}


def _runs_table(summaries: Sequence[ScenarioSummary]) -> pd.DataFrame:
    rows = []
    for s in summaries:
        for r, (res, seed) in enumerate(zip(s.runs, s.seeds, strict=True)):
            flat = {k: v for k, v in res.metrics.items() if not isinstance(v, dict)}
            flat.update({f"final_{k}": v for k, v in res.metrics["final_share"].items()})
            flat.update({f"rogers_{k}": v for k, v in res.metrics["rogers"].items()})
            rows.append(
                {
                    "scenario": s.name,
                    "replicate": r,
                    "seed": seed,
                    "success": res.success,
                    **flat,
                    **{f"condition_{k}": v for k, v in res.conditions.items()},
                }
            )
    return pd.DataFrame(rows)


def _series_table(summaries: Sequence[ScenarioSummary]) -> pd.DataFrame:
    frames = []
    for s in summaries:
        for r, res in enumerate(s.runs):
            f = pd.DataFrame({k: res.series[k] for k in ("week", *STATES, "signups")})
            f.insert(0, "replicate", r)
            f.insert(0, "scenario", s.name)
            frames.append(f)
    return pd.concat(frames, ignore_index=True)


def summary_table(summaries: Sequence[ScenarioSummary]) -> pd.DataFrame:
    rows = []
    for s in summaries:
        d = s.as_dict()
        rows.append(
            {
                "scenario": d["name"],
                "success_rate": d["success_rate"],
                "success_ci_low": d["success_ci"][0],
                "success_ci_high": d["success_ci"][1],
                **{f"final_{k}": v for k, v in d["final_share"].items()},
                "weeks_to_25": d["weeks_to_25"],
                "weeks_to_50": d["weeks_to_50"],
                "value": d["value"],
                "cost": d["cost"],
                "net_value": d["value"] - d["cost"],
                "roi": d["roi"],
            }
        )
    return pd.DataFrame(rows)


def write_compare_outputs(out: Path, summaries: Sequence[ScenarioSummary]) -> list[Path]:
    """summary.csv, runs.csv, series.csv and compare.png, all at once."""
    files = {
        "summary.csv": summary_table(summaries).to_csv(index=False),
        "runs.csv": _runs_table(summaries).to_csv(index=False),
        "series.csv": _series_table(summaries).to_csv(index=False),
        "compare.png": plot_compare(summaries),
    }
    return write_folder(out, files)


# -- plots -------------------------------------------------------------------------------------
def _figure(n_panels: int):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    cols = min(3, n_panels)
    rows = -(-n_panels // cols)
    fig = Figure(figsize=(5.2 * cols, 3.6 * rows), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols, sharey=True, squeeze=False)).ravel()
    for ax in axes[n_panels:]:
        ax.set_visible(False)
    return fig, axes


def _png(fig) -> bytes:
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    return buf.getvalue()


def _draw_states(ax, weeks, shares: dict[str, np.ndarray], title: str) -> None:
    """shares[state] is (replicates, weeks): median line, 10-90% band."""
    for state in STATES:
        arr = shares[state]
        ax.plot(weeks, np.median(arr, axis=0), color=STATE_COLOURS[state], label=state, lw=1.8)
        if arr.shape[0] > 1:
            lo, hi = np.percentile(arr, [10, 90], axis=0)
            ax.fill_between(weeks, lo, hi, color=STATE_COLOURS[state], alpha=0.2, lw=0)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("week")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)


def plot_run(result: RunResult, scenario: str) -> bytes:
    fig, axes = _figure(1)
    weeks = np.asarray(result.series["week"])
    n = result.n_employees
    shares = {s: np.asarray(result.series[s], float)[None, :] / n for s in STATES}
    outcome = "success" if result.success else "no success"
    _draw_states(axes[0], weeks, shares, f"{scenario} ({outcome})")
    axes[0].set_ylabel("share of staff")
    axes[0].legend(fontsize=8, ncol=2)
    return _png(fig)


def plot_compare(summaries: Sequence[ScenarioSummary]) -> bytes:
    fig, axes = _figure(len(summaries))
    for ax, s in zip(axes, summaries, strict=False):
        weeks = np.asarray(s.runs[0].series["week"])
        shares = {
            st: np.array([np.asarray(r.series[st], float) / r.n_employees for r in s.runs])
            for st in STATES
        }
        d = s.as_dict()
        lo, hi = d["success_ci"]
        _draw_states(
            ax,
            weeks,
            shares,
            f"{s.name}\nsuccess {d['success_rate']:.0%} (95% CI {lo:.0%}-{hi:.0%}), "
            f"n={len(s.runs)}",
        )
    axes[0].set_ylabel("share of staff (median, 10-90% band)")
    axes[0].legend(fontsize=8, ncol=2, loc="upper right")
    return _png(fig)
