"""Figures of the analyses, as matplotlib Figures built without pyplot (no global state, so a
server can draw them from any thread): Sobol' bars with intervals, the Morris mu*-sigma plane,
PRIM's peeling trajectories and box limits, feature scores."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .discovery import Discovery

__all__ = ["boxes_figure", "morris_figure", "scores_figure", "sobol_figure", "tradeoff_figure"]


def _panels(n: int, width: float, height: float) -> tuple[Figure, list]:
    cols = min(n, 2)
    rows = math.ceil(n / cols)
    fig = Figure(figsize=(width * cols, height * rows), layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False).ravel().tolist()
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes[:n]


def sobol_figure(table: pd.DataFrame, label: str) -> Figure:
    groups = list(table.groupby("scenario", sort=False))
    fig, axes = _panels(len(groups), 6.0, 0.5 * table["parameter"].nunique() + 1.8)
    for ax, (s, t) in zip(axes, groups, strict=True):
        t = t.sort_values("ST")
        y = np.arange(len(t))
        ax.barh(
            y - 0.2, t["S1"], 0.4, xerr=t["S1_conf"], label="S1 (alone)", color="#6baed6", capsize=3
        )
        ax.barh(
            y + 0.2,
            t["ST"],
            0.4,
            xerr=t["ST_conf"],
            label="ST (with interactions)",
            color="#08519c",
            capsize=3,
        )
        ax.set_yticks(y, t["parameter"])
        ax.axvline(0, color="black", lw=0.8)
        ax.set_xlabel(f"share of the variance of {label}")
        ax.set_title(s)
        ax.legend(loc="lower right", fontsize="small")
    fig.suptitle("Sobol' indices with 95% intervals")
    return fig


def morris_figure(table: pd.DataFrame, label: str) -> Figure:
    groups = list(table.groupby("scenario", sort=False))
    fig, axes = _panels(len(groups), 5.5, 4.5)
    for ax, (s, t) in zip(axes, groups, strict=True):
        ax.errorbar(
            t["mu_star"], t["sigma"], xerr=t["mu_star_conf"], fmt="o", capsize=3, color="#08519c"
        )
        for r in t.itertuples():
            ax.annotate(
                r.parameter,
                (r.mu_star, r.sigma),
                textcoords="offset points",
                xytext=(4, 4),
                fontsize="small",
            )
        top = float(max(t["mu_star"].max() + t["mu_star_conf"].max(), t["sigma"].max(), 1e-12))
        ax.plot([0, top], [0, top], ls="--", color="grey", lw=0.8, label="sigma = mu*")
        ax.set_xlim(left=0)
        ax.set_ylim(bottom=0)
        ax.set_xlabel(f"mu* (mean absolute effect on {label})")
        ax.set_ylabel("sigma (spread of the effects)")
        ax.set_title(s)
        ax.legend(loc="upper left", fontsize="small")
    fig.suptitle("Morris screening: mu* with 95% intervals against sigma")
    return fig


def tradeoff_figure(found: list[Discovery]) -> Figure:
    """Each box's peeling trajectory (coverage against density, coloured by the number of
    restricted inputs), the box picked on it and its re-check on held-out runs."""
    found = [d for d in found if d.boxes] or found[:1]
    fig, axes = _panels(len(found), 5.5, 4.5)
    for ax, d in zip(axes, found, strict=True):
        for i, b in enumerate(d.boxes, start=1):
            t = b.trajectory
            pts = ax.scatter(
                t["coverage"],
                t["density"],
                c=t["res_dim"],
                cmap="viridis",
                s=14,
                vmin=0,
                vmax=max(4, int(t["res_dim"].max())),
            )
            ax.plot(t["coverage"], t["density"], color="grey", lw=0.6)
            ax.scatter(
                [b.coverage],
                [b.density],
                marker="*",
                s=180,
                color="#de2d26",
                edgecolor="black",
                zorder=3,
                label="picked box" if i == 1 else None,
            )
            ax.annotate(
                f"box {i}",
                (b.coverage, b.density),
                textcoords="offset points",
                xytext=(6, -10),
                fontsize="small",
            )
            h = b.held_out
            if h["n"]:
                ax.scatter(
                    [h["coverage"]],
                    [h["density"]],
                    marker="D",
                    s=40,
                    facecolor="none",
                    edgecolor="#de2d26",
                    zorder=3,
                    label="held-out runs" if i == 1 else None,
                )
        if d.boxes:
            fig.colorbar(pts, ax=ax, label="restricted inputs")
            ax.legend(loc="lower left", fontsize="small")
        else:
            ax.text(0.5, 0.5, "no box found", ha="center", transform=ax.transAxes)
        ax.axhline(d.density_threshold, ls=":", color="grey", lw=0.8)
        ax.set_xlim(0, 1.02)
        ax.set_ylim(0, 1.02)
        ax.set_xlabel("coverage (share of all cases of interest in the box)")
        ax.set_ylabel("density (share of the box's runs that are cases)")
        ax.set_title(d.scenario)
    fig.suptitle("PRIM peeling trajectories")
    return fig


def _span(lim: list, full: list) -> tuple[float, float]:
    if isinstance(lim[0], int | float) and not isinstance(lim[0], bool):
        width = (full[1] - full[0]) or 1.0
        return (lim[0] - full[0]) / width, (lim[1] - full[0]) / width
    return 0.0, len(lim) / len(full)


def boxes_figure(found: list[Discovery]) -> Figure:
    """Each box's limits as bars over each restricted input's full range (0 to 1)."""
    rows = [
        (d, i, name, lim)
        for d in found
        for i, b in enumerate(d.boxes, start=1)
        for name, lim in b.limits.items()
    ]
    fig = Figure(figsize=(7.5, 0.45 * max(len(rows), 1) + 1.5), layout="constrained")
    ax = fig.subplots()
    for k, (d, i, name, lim) in enumerate(rows):
        full = d.bounds[name]
        lo, hi = _span(lim, full)
        ax.barh(k, hi - lo, left=lo, color=f"C{i - 1}", height=0.6)
        text = (
            f"{lim[0]:.3g} to {lim[1]:.3g}"
            if len(lim) == 2 and not isinstance(lim[0], str)
            else ", ".join(map(str, lim))
        )
        ax.text(1.02, k, text, va="center", fontsize="small")
    ax.set_yticks(range(len(rows)), [f"{d.scenario} box {i}: {n}" for d, i, n, _ in rows])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("position within the input's full range (numbers) or share of its values")
    if not rows:
        ax.text(0.5, 0.5, "no box found", ha="center", transform=ax.transAxes)
    ax.set_title("PRIM boxes: limits of the restricted inputs")
    return fig


def scores_figure(scores: pd.DataFrame) -> Figure:
    groups = list(scores.groupby("scenario", sort=False))
    fig, axes = _panels(len(groups), 5.5, 0.4 * scores["input"].nunique() + 1.6)
    for ax, (s, t) in zip(axes, groups, strict=True):
        t = t.sort_values("score")
        ax.barh(t["input"], t["score"], color="#6baed6")
        ax.set_xlabel("feature score (extra trees)")
        ax.set_title(s)
    fig.suptitle("Which inputs tell most about the outcome")
    return fig
