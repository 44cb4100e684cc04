"""The organization drawn: people coloured by state with roles as shapes, or departments as
blocks coloured by their state shares. Positions come from :mod:`experiments.layout` (computed
once per organization); drawing only reads them."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from experiments.layout import Box, NetworkLayout
from experiments.report import ROLE_MARKERS, STATE_COLOURS
from simulation import ROLES, STATES, Organization

from . import Chart, figure, to_chart

__all__ = ["departments_chart", "people_chart", "run_chart", "tie_segments"]

_ROLE_SIZE = {"employee": 1.0, "middle_manager": 1.5, "veteran": 1.3, "leader": 3.0}
#: informal ties across departments drawn at most (a sample: the rest would be a hairball)
MAX_TIES = 1500


def tie_segments(org: Organization, layout: NetworkLayout, seed: int = 0) -> np.ndarray:
    """(k, 2, 2) line segments: every reporting line, and a sample of the informal ties that
    cross departments (the bridges between silos)."""
    xy = layout.xy
    has = org.manager >= 0
    lines = np.stack([xy[org.manager[has]], xy[has]], axis=1)
    src = org.tie_sources()
    cross = (org.department[src] != org.department[org.indices]) & (src < org.indices)
    pick = np.flatnonzero(cross)
    if pick.size > MAX_TIES:
        pick = np.sort(np.random.default_rng(seed).choice(pick, MAX_TIES, replace=False))
    ties = np.stack([xy[src[pick]], xy[org.indices[pick]]], axis=1)
    return np.concatenate([lines, ties]) if ties.size else lines


def _frame(ax, boxes: tuple[Box, ...], aspect: float) -> None:
    for b in boxes:
        if b.size:
            ax.add_patch(Rectangle((b.x0, b.y0), b.x1 - b.x0, b.y1 - b.y0, fill=False,
                                   lw=0.6, ec="#999"))
            if min(b.x1 - b.x0, b.y1 - b.y0) > 0.04:  # a name fits (not a one-person box)
                ax.text(b.x0 + 0.004, b.y1 - 0.004, b.name, fontsize=7, va="top",
                        color="#333")
    ax.set_xlim(-0.005, 1.005)
    ax.set_ylim(-0.005, aspect + 0.005)
    ax.set_aspect("equal")
    ax.axis("off")


def _legend(ax, roles: bool) -> None:
    handles = [Line2D([], [], ls="", marker="s", color=STATE_COLOURS[s], label=s) for s in STATES]
    if roles:
        handles += [Line2D([], [], ls="", marker=m, mfc="white", mec="black",
                           label=r.replace("_", " ")) for r, m in ROLE_MARKERS.items()]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=10,
              fontsize=7, frameon=False)


def people_chart(
    layout: NetworkLayout,
    state: np.ndarray,
    role: np.ndarray,
    title: str,
    segments: np.ndarray | None = None,
) -> Chart:
    """Everyone at one week: colour = adoption state, shape = role."""
    n = state.shape[0]
    aspect = max(b.y1 for b in layout.boxes)
    fig = figure(10.0, 10.0 * aspect + 0.8)
    ax = fig.subplots()
    if segments is not None and len(segments):
        ax.add_collection(LineCollection(segments, colors="#b0b0b0", linewidths=0.3,
                                         alpha=0.5, zorder=0))
    size = 60.0 / max(1.0, np.sqrt(n / 250))
    colours = np.array([STATE_COLOURS[s] for s in STATES])
    for code, name in enumerate(ROLES):
        who = role == code
        if who.any():
            ax.scatter(layout.xy[who, 0], layout.xy[who, 1], c=colours[state[who]],
                       marker=ROLE_MARKERS[name], s=size * _ROLE_SIZE[name], lw=0.2,
                       edgecolors="#333", zorder=2)
    _frame(ax, layout.boxes, aspect)
    ax.set_title(title, fontsize=10)
    _legend(ax, roles=True)
    csv = pd.DataFrame({
        "person": np.arange(n), "x": layout.xy[:, 0], "y": layout.xy[:, 1],
        "role": np.asarray(ROLES)[role], "state": np.asarray(STATES)[state],
    }).to_csv(index=False)
    return to_chart(fig, "network", title, csv,
                    "Each mark is a person: colour = adoption state, shape = role. Rectangles "
                    "are departments; grey lines are reporting lines and a sample of the "
                    "informal ties that cross departments.")


def departments_chart(boxes: tuple[Box, ...], counts: np.ndarray, title: str) -> Chart:
    """Each department a block whose bands show its people's states (``counts``:
    departments x states head counts at one week)."""
    aspect = max(b.y1 for b in boxes)
    fig = figure(10.0, 10.0 * aspect + 0.8)
    ax = fig.subplots()
    for b, row in zip(boxes, counts, strict=True):
        total = row.sum()
        if not b.size or total == 0:
            continue
        y = b.y0
        for s, k in zip(STATES, row, strict=True):
            h = (b.y1 - b.y0) * k / total
            ax.add_patch(Rectangle((b.x0, y), b.x1 - b.x0, h, color=STATE_COLOURS[s], lw=0))
            y += h
        active = (row[STATES.index("adopted")] + row[STATES.index("engaged")]) / total
        ax.text((b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2, f"{b.name}\n{int(total):,} people\n"
                f"{active:.0%} active", ha="center", va="center", fontsize=8,
                bbox={"fc": "white", "alpha": 0.75, "lw": 0, "pad": 2})
    _frame(ax, boxes, aspect)
    ax.set_title(title, fontsize=10)
    _legend(ax, roles=False)
    frame = pd.DataFrame(counts, columns=list(STATES))
    frame.insert(0, "department", [b.name for b in boxes])
    return to_chart(fig, "departments", title, frame.to_csv(index=False),
                    "Each block is a department (area = head count), banded by the share of "
                    "its people in each state.")


def run_chart(result, week: int, plan: str) -> Chart:
    """One organization's run: the share of staff in each state over time, the shown week
    marked."""
    weeks = np.asarray(result.series["week"])
    shares = np.array([np.asarray(result.series[s], float) for s in STATES]) / result.n_employees
    fig = figure(5.2, 3.4)
    ax = fig.subplots()
    ax.stackplot(weeks, shares, colors=[STATE_COLOURS[s] for s in STATES], labels=STATES,
                 alpha=0.9)
    ax.axvline(week, color="black", lw=1.2)
    ax.set_xlim(weeks[0], weeks[-1])
    ax.set_ylim(0, 1)
    ax.set_xlabel("week")
    ax.set_ylabel("share of staff")
    outcome = "success" if result.success else "no success"
    ax.set_title(f"{plan}: this organization ({outcome})", fontsize=10)
    ax.legend(fontsize=7, loc="upper left", ncol=2)
    frame = pd.DataFrame({"week": weeks, **{s: result.series[s] for s in STATES}})
    return to_chart(fig, "organization-run", "This organization over time",
                    frame.to_csv(index=False), "Head counts by state, as shares of staff.")
