"""The comparison's charts: curves, groups, risk, money and distributions."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from matplotlib.collections import PolyCollection
from matplotlib.ticker import FuncFormatter

from experiments.comparison import Comparison
from experiments.explain import Explanation
from experiments.outcomes import (
    Band,
    active_bands,
    final_group_shares,
    money,
    outcome_table,
    state_bands,
)
from experiments.report import STATE_COLOURS
from simulation import STATES

from . import Chart, figure, plan_colours, png, svg, to_chart

__all__ = [
    "curves_chart",
    "department_chart",
    "distribution_chart",
    "milestones_chart",
    "money_chart",
    "role_chart",
    "success_chart",
]

BAND_NOTE = "Lines: median over the replicate organizations; shaded: 10th to 90th percentile."


def money_format(x: float, _pos=None) -> str:
    """Money on an axis: 1.2M, 350k."""
    for scale, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(x) >= scale:
            return f"{x / scale:g}{suffix}"
    return f"{x:g}"


def _band_rows(plan: str, group: str, b: Band) -> pd.DataFrame:
    return pd.DataFrame(
        {"plan": plan, "group": group, "week": b.weeks, "median": b.median,
         "p10": b.low, "p90": b.high}
    )


def _panels(n: int, width: float = 4.2, height: float = 3.0, cols: int = 3,
            left: float = 0.6):
    cols = min(cols, n)
    rows = -(-n // cols)
    fig = figure(width * cols, height * rows, margins=(left, 0.5, 0.1, 0.3))
    axes = np.atleast_1d(fig.subplots(rows, cols, sharey=True, squeeze=False)).ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes


def _over_time(ax, title: str, horizon: int) -> None:
    """A share-over-weeks panel. Its ticks are fixed (quarters of the horizon, fifths of the
    share) and its title placed by hand: matplotlib's automatic ticks and title placement
    were most of the drawing time."""
    ax.set_title(title, fontsize=10, y=1.0)
    ax.set_xlabel("week")
    ax.set_xlim(0, horizon)
    ax.set_xticks(np.unique(np.linspace(0, horizon, 5).round()))
    ax.set_ylim(0, 1)
    ax.set_yticks(np.linspace(0, 1, 6))
    ax.grid(alpha=0.3)


def _horizon(c: Comparison) -> int:
    return max(s.weeks for s in c.scenarios)


def _shade(ax, b: Band, colour: str, label: str, lw: float = 1.8) -> None:
    """The median as a line, the 10th-90th percentile band as one polygon (what fill_between
    draws, without its checks: the axes' limits are set by hand)."""
    ax.plot(b.weeks, b.median, color=colour, lw=lw, label=label)
    if np.isnan(b.low).any() or np.isnan(b.high).any():  # weeks without the group: gaps
        ax.fill_between(b.weeks, b.low, b.high, color=colour, alpha=0.18, lw=0)
        return
    x = np.asarray(b.weeks, dtype=float)
    outline = np.column_stack([np.r_[x, x[::-1]], np.r_[b.low, np.asarray(b.high)[::-1]]])
    ax.add_collection(PolyCollection([outline], facecolors=colour, alpha=0.18, lw=0),
                      autolim=False)


def _bands_csv(bands: list[tuple[str, str, Band]], group: str) -> Callable[[], str]:
    """The CSV of ``bands`` ((plan, group value, band), in row order), made when it is
    downloaded."""
    return lambda: pd.concat([_band_rows(*row) for row in bands]).rename(
        columns={"group": group}).to_csv(index=False)


def curves_chart(c: Comparison) -> Chart:
    """Adoption by state over time, one panel per plan: SVG for the page (drawn in
    milliseconds, :mod:`.svg`), the same picture by matplotlib when its PNG is downloaded."""
    bands = {name: state_bands(c.runs(name)) for name in c.names}
    panels = [(name, [(s, STATE_COLOURS[s], bands[name][s]) for s in STATES])
              for name in c.names]
    rows = [(n, s, bands[n][s]) for n in c.names for s in STATES]
    return Chart("adoption-by-state", "Adoption by state over time",
                 lambda: _curves_png(c, bands), _bands_csv(rows, "state"), BAND_NOTE,
                 svg.share_panels(panels, _horizon(c), "share of staff"))


def _curves_png(c: Comparison, bands: dict[str, dict[str, Band]]) -> bytes:
    fig, axes = _panels(len(c.names))
    for ax, name in zip(axes, c.names, strict=False):
        for state in STATES:
            _shade(ax, bands[name][state], STATE_COLOURS[state], state)
        _over_time(ax, name, _horizon(c))
    axes[0].set_ylabel("share of staff")
    axes[0].legend(fontsize=7, ncol=2, loc="upper left")
    return png(fig)


def role_chart(c: Comparison) -> Chart:
    """Active share within each role over time, one line per plan."""
    bands = {name: active_bands(c.runs(name), "role") for name in c.names}
    roles = list(next(iter(bands.values())))
    fig, axes = _panels(len(roles), 3.4, 2.6, cols=4)
    colours = plan_colours(c.names)
    for ax, role in zip(axes, roles, strict=False):
        for name in c.names:
            _shade(ax, bands[name][role], colours[name], name, lw=1.5)
        _over_time(ax, role.replace("_", " "), _horizon(c))
    axes[0].set_ylabel("active share in the role")
    axes[0].legend(fontsize=7, loc="upper left")
    rows = [(n, r, bands[n][r]) for r in roles for n in c.names]
    return to_chart(fig, "active-by-role", "Active share by role", _bands_csv(rows, "role"),
                    BAND_NOTE)


def department_chart(c: Comparison) -> Chart:
    """Median active share at the horizon by department and plan (a heat map)."""
    frames = {name: final_group_shares(c.runs(name), "department") for name in c.names}
    depts = list(next(iter(frames.values())).columns)
    grid = np.array([[frames[n][d].median() for n in c.names] for d in depts])
    fig = figure(2.2 + 1.5 * len(c.names), 1.2 + 0.32 * len(depts))
    ax = fig.subplots()
    im = ax.imshow(grid, vmin=0, vmax=1, cmap="Greens", aspect="auto")
    ax.set_xticks(range(len(c.names)), c.names, fontsize=8)
    ax.set_yticks(range(len(depts)), depts, fontsize=8)
    for (i, j), v in np.ndenumerate(grid):
        if np.isfinite(v):
            ax.text(j, i, f"{v:.0%}", ha="center", va="center", fontsize=7,
                    color="white" if v > 0.6 else "black")
    fig.colorbar(im, ax=ax, label="active share at the horizon (median)")
    rows = [
        {"department": d, "plan": n, "median_active": frames[n][d].median(),
         "p10": frames[n][d].quantile(0.1), "p90": frames[n][d].quantile(0.9)}
        for d in depts for n in c.names
    ]
    return to_chart(
        fig, "active-by-department", "Active share by department at the horizon",
        pd.DataFrame(rows).to_csv(index=False),
        "Median over the replicate organizations of each department's active share.",
    )


def success_chart(e: Explanation) -> Chart:
    """Success probability per plan with its 95% interval."""
    names = [p.name for p in e.plans]
    rate = np.array([p.success.rate for p in e.plans])
    lo = np.array([p.success.low for p in e.plans])
    hi = np.array([p.success.high for p in e.plans])
    fig = figure(6.0, 0.9 + 0.45 * len(names))
    ax = fig.subplots()
    colours = plan_colours(names)
    y = np.arange(len(names))[::-1]
    ax.barh(y, rate, color=[colours[n] for n in names], alpha=0.75)
    err = np.clip([rate - lo, hi - rate], 0, None)  # the interval's ends carry rounding
    ax.errorbar(rate, y, xerr=err, fmt="none", ecolor="black", capsize=4)
    for yy, r, p in zip(y, rate, e.plans, strict=True):
        ax.text(min(hi.max(), 1.0) + 0.02, yy, f"{r:.0%} ({p.success.successes}/{p.success.n})",
                va="center", fontsize=8)
    ax.set_yticks(y, names, fontsize=8)
    ax.set_xlim(0, 1.25)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
    ax.set_xlabel("organizations where the plan succeeded")
    ax.grid(axis="x", alpha=0.3)
    csv = pd.DataFrame(
        {"plan": names, "successes": [p.success.successes for p in e.plans],
         "organizations": [p.success.n for p in e.plans], "success_rate": rate,
         "ci_low": lo, "ci_high": hi}
    ).to_csv(index=False)
    return to_chart(fig, "success", "Success probability", csv,
                    "Bars: share of the replicate organizations where the plan succeeded; "
                    "whiskers: 95% Wilson interval.")


def milestones_chart(c: Comparison) -> Chart:
    """Weeks to 25% and 50% active per organization (never reached counted apart)."""
    table = outcome_table({n: c.runs(n) for n in c.names}, c.seeds)
    fig, axes = _panels(2, 4.6, 0.9 + 0.45 * len(c.names), cols=2, left=1.7)
    colours = plan_colours(c.names)
    horizon = _horizon(c)
    for ax, level in zip(axes, (25, 50), strict=True):
        for k, name in enumerate(c.names):
            w = table.loc[table.plan == name, f"weeks_to_{level}"].to_numpy()
            reached = w[np.isfinite(w)]
            y = len(c.names) - 1 - k
            jitter = np.linspace(-0.18, 0.18, reached.size) if reached.size > 1 else 0.0
            ax.scatter(reached, y + jitter, s=10, color=colours[name], alpha=0.7)
            if reached.size:
                ax.plot([np.median(reached)] * 2, [y - 0.3, y + 0.3], color="black", lw=2)
            ax.text(horizon * 1.02, y, f"never: {np.isnan(w).sum()}", va="center", fontsize=7)
        ax.set_yticks(range(len(c.names))[::-1], c.names, fontsize=8)
        ax.set_xlim(0, horizon * 1.25)
        ax.set_xlabel("week")
        ax.set_title(f"weeks to {level}% active", fontsize=10)
        ax.grid(axis="x", alpha=0.3)
    cols = ["plan", "replicate", "seed", "weeks_to_25", "weeks_to_50"]
    return to_chart(fig, "weeks-to-milestones", "Weeks to 25% and 50% active",
                    table[cols].to_csv(index=False),
                    "Dots: organizations; bar: median of those that got there; "
                    "'never': organizations that did not get there by the horizon.")


def money_chart(c: Comparison) -> Chart:
    """Value against cost per organization, and net value per plan."""
    colours = plan_colours(c.names)
    fig = figure(10.5, 3.8)
    ax, bx = fig.subplots(1, 2, width_ratios=[1.1, 1])
    frames = []
    for name in c.names:
        m = money(c.runs(name))
        ax.scatter(m.cost, m.value, s=14, alpha=0.7, color=colours[name], label=name)
        frames.append(m.assign(plan=name, replicate=np.arange(len(m))))
    table = pd.concat(frames, ignore_index=True)
    top = float(max(table.cost.max(), table.value.max(), 1.0)) * 1.05
    ax.plot([0, top], [0, top], color="grey", lw=1, ls="--", label="break-even")
    ax.set_xlabel("cost (money + staff time)")
    ax.set_ylabel("value (hours saved x hourly cost)")
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    ax.xaxis.set_major_formatter(FuncFormatter(money_format))
    ax.yaxis.set_major_formatter(FuncFormatter(money_format))
    data = [table.loc[table.plan == n, "net_value"].to_numpy() for n in c.names]
    parts = bx.boxplot(data, vert=False, patch_artist=True, widths=0.5)
    for patch, n in zip(parts["boxes"], c.names, strict=True):
        patch.set_facecolor(colours[n])
        patch.set_alpha(0.5)
    bx.set_yticks(range(1, len(c.names) + 1), c.names, fontsize=8)
    bx.axvline(0, color="grey", lw=1, ls="--")
    bx.set_xlabel("net value (value - cost)")
    bx.grid(axis="x", alpha=0.3)
    bx.xaxis.set_major_formatter(FuncFormatter(money_format))
    cols = ["plan", "replicate", "value", "cost", "net_value", "roi"]
    return to_chart(fig, "value-and-cost", "Value against cost", table[cols].to_csv(index=False),
                    "Left: one dot per organization (above the dashed line the plan paid for "
                    "itself). Right: net value across organizations (box: middle half, "
                    "whiskers: the rest but outliers).")


def distribution_chart(c: Comparison) -> Chart:
    """How outcomes spread across organizations: final active share and lapsed share."""
    table = outcome_table({n: c.runs(n) for n in c.names}, c.seeds)
    colours = plan_colours(c.names)
    fig, axes = _panels(2, 5.0, 3.0, cols=2)
    bins = np.linspace(0, 1, 21)
    for ax, col, label in zip(axes, ("final_active", "final_lapsed"),
                              ("active share at the horizon", "lapsed share at the horizon"),
                              strict=True):
        for name in c.names:
            ax.hist(table.loc[table.plan == name, col], bins=bins, histtype="step", lw=1.8,
                    color=colours[name], label=name)
        ax.set_xlabel(label)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("organizations")
    axes[0].legend(fontsize=7)
    return to_chart(fig, "outcome-distributions", "Outcomes across organizations",
                    table.to_csv(index=False),
                    "How many of the replicate organizations ended at each level: two humps "
                    "mean a plan either takes off or fizzles, depending on the organization.")
