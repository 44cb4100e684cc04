"""A finished comparison: key numbers, curves and the explanation first; then groups, risk,
money and distributions, each chart drawn when its tab is first opened."""

from __future__ import annotations

import solara
import solara.lab

from ..figures import compare as charts
from ..runs import CompareOutcome
from .chart_card import ChartCard, draw
from .risk import PairedTable
from .summary import SummaryTable
from .why import Why

__all__ = ["Results"]


@solara.component
def Charts(outcome: CompareOutcome, makers: tuple):
    """Charts drawn once per comparison (kept with it: tabs switched, the panel rebuilt)."""
    c, e, cache = outcome.comparison, outcome.explanation, outcome.charts
    for make in makers:
        if make not in cache:
            cache[make] = draw(make, e if make is charts.success_chart else c)
        ChartCard(cache[make])


@solara.component
def Results(outcome: CompareOutcome):
    c = outcome.comparison
    tab, set_tab = solara.use_state(0)
    with solara.lab.Tabs(value=tab, on_value=set_tab, lazy=True):
        with solara.lab.Tab("Overview"), solara.Column():
            SummaryTable(c)
            Charts(outcome, (charts.curves_chart,))
            Why(outcome.explanation)
        with solara.lab.Tab("Roles & departments"):
            Charts(outcome, (charts.role_chart, charts.department_chart))
        with solara.lab.Tab("Risk"), solara.Column():
            Charts(outcome, (charts.success_chart, charts.milestones_chart))
            PairedTable(c)
        with solara.lab.Tab("Money"):
            Charts(outcome, (charts.money_chart,))
        with solara.lab.Tab("Distributions"):
            Charts(outcome, (charts.distribution_chart,))
