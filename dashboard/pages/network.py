"""Network: one organization of the last comparison under one plan, coloured by state at a
chosen week. Up to a few thousand people each person is drawn (the run is traced again with
its seed: the same run); larger organizations are drawn by department."""

from __future__ import annotations

import dataclasses

import numpy as np
import solara
import solara.lab

from simulation import STATES

from .. import runs, state
from ..figures.network import run_chart
from ..panels.chart_card import ChartCard, draw
from ..panels.network_view import MAX_PEOPLE, DepartmentsView, NetworkView
from ..panels.run_controls import error_text

__all__ = ["Page"]


def _choose(**kw) -> None:
    state.network.set(dataclasses.replace(state.network.value, **kw))


@solara.component
def Individuals(outcome: runs.CompareOutcome, plan: str, replicate: int, week: int):
    spec = outcome.comparison.spec(plan, replicate)

    def work():
        return runs.trace(spec, task)

    task = solara.lab.use_task(work, dependencies=[plan, replicate, id(outcome)])
    if task.error:
        solara.Error(error_text(task.exception))
    elif not task.finished or task.value is None:
        solara.Text("tracing the run ...")
        solara.ProgressLinear(True)
    else:
        trace = task.value
        w = min(week, trace.weeks)
        NetworkView(trace.organization, trace.state[w], trace.role[w],
                    f"{plan}, organization {replicate + 1}, week {w}",
                    key=(plan, replicate, w, id(trace)))


@solara.component
def Departments(outcome: runs.CompareOutcome, plan: str, replicate: int, week: int):
    result = outcome.comparison.runs(plan)[replicate]
    names = list(result.by_department)
    counts = np.array([[result.by_department[d][s][week] for s in STATES] for d in names])
    sizes = [int(sum(result.by_department[d][s][0] for s in STATES)) for d in names]
    DepartmentsView(sizes, names, counts, f"{plan}, organization {replicate + 1}, week {week}",
                    key=(plan, replicate, week, id(outcome)))


@solara.component
def Timeline(result, week: int, plan: str):
    chart = solara.use_memo(lambda: draw(run_chart, result, week, plan),
                            [id(result), week, plan])
    ChartCard(chart)


@solara.component
def Page():
    task = runs.compare_task
    outcome = task.value if task.finished else task.latest
    if outcome is None:
        solara.Markdown(
            "## Network\n\nRun a comparison on the **Compare plans** page first: this page "
            "then shows any of its organizations under any of its plans, week by week."
        )
        return
    c = outcome.comparison
    choice = state.network.value
    plan = choice.plan if choice.plan in c.names else c.names[0]
    replicate = min(choice.replicate, c.replicates - 1)
    runs_ = c.runs(plan)
    horizon = runs_[replicate].weeks
    week = horizon if choice.week is None else min(choice.week, horizon)
    labels = [f"organization {r + 1} ({'success' if x.success else 'no success'})"
              for r, x in enumerate(runs_)]
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Select("Plan", c.names, value=plan, on_value=lambda p: _choose(plan=p))
        solara.Select("Organization", labels, value=labels[replicate],
                      on_value=lambda lab: _choose(replicate=labels.index(lab)))
        with solara.Column(style={"min-width": "420px"}):
            solara.SliderInt(f"Week {week} of {horizon}", value=week, min=0, max=horizon,
                             on_value=lambda w: _choose(week=w))
    people = runs_[replicate].n_employees
    with solara.Columns([3, 2]):
        with solara.Column():
            if people <= MAX_PEOPLE:
                Individuals(outcome, plan, replicate, week)
            else:
                solara.Info(f"{people:,} people: drawn by department (people are drawn one by "
                            f"one up to {MAX_PEOPLE:,}).")
                Departments(outcome, plan, replicate, week)
        Timeline(runs_[replicate], week, plan)
