"""The classroom's charts: a run's curves growing week by week (the horizon fixed, so the
curves grow across the chart), and a team's organization at the end of a quarter."""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.report import STATE_COLOURS
from simulation import STATES

from . import Chart, figure, to_chart

__all__ = ["growing_chart"]

_SHOWN = ("aware", "trying", "adopted", "engaged", "lapsed")


def growing_chart(series: dict[str, list[int]], horizon: int, title: str,
                  marks: tuple[int, ...] = ()) -> Chart:
    """Shares of staff by state from week 0 to the last week of ``series``, on an x axis to
    ``horizon``; ``marks``: weeks drawn as dotted lines (quarters)."""
    counts = np.array([series[s] for s in STATES], float)
    n = counts[:, 0].sum() or 1.0
    weeks = np.arange(counts.shape[1])
    fig = figure(6.0, 3.4, margins=(0.6, 0.5, 0.15, 0.35))
    ax = fig.subplots()
    for s in _SHOWN:
        ax.plot(weeks, counts[STATES.index(s)] / n, color=STATE_COLOURS[s], lw=2, label=s)
    for w in marks:
        ax.axvline(w, color="#999", lw=0.8, ls=":")
    ax.set_xlim(0, horizon)
    ax.set_ylim(0, 1)
    ax.set_xlabel("week")
    ax.set_ylabel("share of staff")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="upper left", ncol=3, frameon=False)
    frame = pd.DataFrame({"week": weeks, **{s: series[s] for s in STATES}})
    return to_chart(fig, "curves", title, frame.to_csv(index=False),
                    "Share of staff in each state, week by week so far.")
