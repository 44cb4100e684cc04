"""The comparison's key numbers, as `adoptsim compare` prints them (and its summary.csv)."""

from __future__ import annotations

import solara

from experiments.comparison import Comparison
from experiments.report import summary_table

from .tables import markdown_table

__all__ = ["SummaryTable", "summary_rows"]

COLUMNS = ("plan", "success (95% CI)", "active", "engaged", "wk to 25%", "wk to 50%", "value",
           "cost", "net value", "ROI")


def _weeks(w) -> str:
    return "-" if w is None or w != w else f"{w:.0f}"


def summary_rows(c: Comparison) -> list[tuple[str, ...]]:
    """The rows of the command line's comparison table, formatted as it formats them."""
    rows = []
    for s in c.summaries:
        d = s.as_dict()
        lo, hi = d["success_ci"]
        fs = d["final_share"]
        rows.append((
            d["name"],
            f"{d['success_rate']:.0%} ({lo:.0%}-{hi:.0%})",
            f"{fs['adopted'] + fs['engaged']:.0%}",
            f"{fs['engaged']:.0%}",
            _weeks(d["weeks_to_25"]),
            _weeks(d["weeks_to_50"]),
            f"{d['value']:,.0f}",
            f"{d['cost']:,.0f}",
            f"{d['value'] - d['cost']:,.0f}",
            "-" if d["roi"] is None else f"{d['roi']:.1f}",
        ))
    return rows


@solara.component
def SummaryTable(c: Comparison):
    csv = solara.use_memo(lambda: summary_table(c.summaries).to_csv(index=False), [c])
    with solara.Card(f"{c.replicates} replicate organizations per plan (root seed {c.seed})",
                     margin=0, classes=["summary"]):
        solara.Markdown(markdown_table(COLUMNS, summary_rows(c)))
        solara.Text(
            "Active and engaged: mean share of staff at the horizon; weeks: median over the "
            "organizations; value and cost: means (money); net value = value - cost; ROI = net "
            "value / cost. Read ROI with the success rate: a cheap plan that rarely works can "
            "show a high ROI on a small net value.",
            style={"color": "#555", "font-size": "0.85em"},
        )
        solara.FileDownload(csv, filename="summary.csv", label="CSV", mime_type="text/csv")
