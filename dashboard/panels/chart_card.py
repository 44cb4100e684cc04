"""A chart with its caption and its downloads: the PNG shown and the CSV behind it."""

from __future__ import annotations

import solara

from ..figures import Chart

__all__ = ["ChartCard"]


@solara.component
def ChartCard(chart: Chart):
    with solara.Card(chart.title, margin=0, classes=["adoptsim-chart", f"chart-{chart.name}"]):
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
