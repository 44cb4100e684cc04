"""A sweep's metric against one parameter: points and a smoothed trend, success by bins."""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.sweep_view import SweepTable, rate_by_bins, trend

from . import Chart, figure, plan_colours, to_chart

__all__ = ["sweep_chart"]


def _label(col: str) -> str:
    return col.replace("drawn.", "drawn ").replace("_", " ")


def sweep_chart(t: SweepTable, metric: str, parameter: str, bins: int = 8) -> Chart:
    """Left: every run (one dot) and each scenario's trend; right: each scenario's success
    rate in bins of the parameter, with 95% intervals."""
    colours = plan_colours(t.scenarios)
    fig = figure(11.0, 4.0)
    ax, bx = fig.subplots(1, 2)
    rng = np.random.default_rng(0)
    rows = []
    for sc in t.scenarios:
        part = t.metrics[t.metrics.scenario == sc]
        x = part[parameter].to_numpy(float)
        y = part[metric].to_numpy(float)
        spread = np.ptp(y[np.isfinite(y)]) if np.isfinite(y).any() else 0.0
        jitter = rng.normal(0, 0.01 * spread, y.size) if metric == "success" else 0.0
        ax.scatter(x, y + jitter, s=9, alpha=0.45, color=colours[sc], label=sc)
        xs, ys = trend(x, y)
        if xs.size:
            ax.plot(xs, ys, color=colours[sc], lw=2.2)
        r = rate_by_bins(x, part["success"].to_numpy(bool), bins)
        if not r.empty:
            mid = (r.low + r.high) / 2
            err = np.clip([r.success_rate - r.ci_low, r.ci_high - r.success_rate], 0, None)
            bx.errorbar(mid, r.success_rate, yerr=err, fmt="o-", color=colours[sc], capsize=3,
                        label=sc)
            rows.append(r.assign(scenario=sc))
    ax.set_xlabel(_label(parameter))
    ax.set_ylabel(_label(metric))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    ax.set_title(f"{_label(metric)} per run, with a smoothed trend", fontsize=10)
    bx.set_xlabel(_label(parameter))
    bx.set_ylabel("success rate")
    bx.set_ylim(-0.02, 1.02)
    bx.grid(alpha=0.3)
    bx.set_title("success rate by bins (95% intervals)", fontsize=10)
    points = t.metrics[["run_id", "scenario", parameter, metric, "success"]]
    csv = points.to_csv(index=False)
    if rows:
        csv += "\n" + pd.concat(rows).to_csv(index=False)
    return to_chart(fig, f"sweep-{metric}-vs-{parameter}".replace(".", "_"),
                    f"{_label(metric)} against {_label(parameter)}", csv,
                    "Trend: local linear smoothing (LOWESS) over 40% of the runs. The CSV holds "
                    "the runs, then the binned success rates.")
