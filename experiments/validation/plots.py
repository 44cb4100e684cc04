"""Matplotlib helpers for the validation figures (Agg backend, PNG bytes, no global state)."""

from __future__ import annotations

import io

__all__ = ["figure", "png"]

PUBLISHED = "#d62728"  # published or analytic values
MEASURED = "#1f77b4"  # our reproduction
OTHER = "#2ca02c"


def figure(ncols: int = 1, width: float = 5.6, height: float = 3.9):
    """A figure with ``ncols`` axes side by side (no pyplot: safe in workers and tests)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width * ncols, height), layout="constrained")
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    for ax in axes:
        ax.grid(alpha=0.3)
    return fig, axes


def png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return buf.getvalue()
