"""Charts as PNG images with the CSV of the numbers behind them (pure functions of results).

Each function returns a :class:`Chart`; the page shows its PNG and offers both files for
download. Figures are drawn with matplotlib's Agg backend (no display, thread-safe per figure).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

__all__ = ["DPI", "Chart", "figure", "plan_colours", "to_chart"]

DPI = 96
_PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2")


@dataclass(frozen=True)
class Chart:
    """A finished chart: ``name`` is the file stem of its downloads."""

    name: str
    title: str
    png: bytes
    csv: str
    caption: str = ""


def figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def plan_colours(names) -> dict[str, str]:
    return {n: _PALETTE[i % len(_PALETTE)] for i, n in enumerate(names)}


def to_chart(fig: Figure, name: str, title: str, csv: str, caption: str = "") -> Chart:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI)
    return Chart(name, title, buf.getvalue(), csv, caption)
