"""A chart with its caption and its downloads: the PNG shown and the CSV behind it."""

from __future__ import annotations

import logging
from collections.abc import Callable

import solara

from ..figures import Chart

__all__ = ["ChartCard", "draw"]

logger = logging.getLogger("adoptsim.dashboard")


def draw(make: Callable[..., Chart], *args) -> Chart | str:
    """``make(*args)``, or a message for the page if it fails (never a traceback)."""
    try:
        return make(*args)
    except Exception as e:  # a chart that cannot be drawn must not take the page with it
        logger.exception("chart %s failed", getattr(make, "__name__", make))
        return f"This chart could not be drawn ({type(e).__name__}: {e})."


@solara.component
def ChartCard(chart: Chart | str):
    if isinstance(chart, str):
        solara.Error(chart, classes=["chart-error"])
        return
    with solara.Card(chart.title, margin=0, classes=["adoptsim-chart", f"chart-{chart.name}"]):
        if chart.svg:  # drawn by the browser
            solara.Image(chart.svg.encode(), width="100%", format="svg+xml")
        else:
            solara.Image(chart.png, width="100%")
        if chart.caption:
            solara.Text(chart.caption, style={"color": "#555", "font-size": "0.85em"})
        with solara.Row(gap="8px"):
            solara.FileDownload(
                chart.png, filename=f"{chart.name}.png", label="PNG", mime_type="image/png"
            )
            solara.FileDownload(
                chart.csv, filename=f"{chart.name}.csv", label="CSV", mime_type="text/csv"
            )
