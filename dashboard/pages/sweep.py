"""Sweep results: open a folder written by `adoptsim sweep`, plot any metric against any varied
parameter (points, a smoothed trend, success by bins) and read its analysis."""

from __future__ import annotations

import os

import solara

from experiments.sweep_view import SweepTable, open_sweep
from simulation import AdoptsimError

from .. import state
from ..figures.sweep import sweep_chart
from ..panels.chart_card import ChartCard, draw
from ..panels.sweep_analysis import SweepAnalysis

__all__ = ["Page"]


def _open(path: str) -> tuple[SweepTable | None, str | None]:
    if not path:
        return None, None
    try:
        return open_sweep(path, os.environ.get("ADOPTSIM_DASHBOARD_SWEEP_ROOT")), None
    except AdoptsimError as e:
        return None, str(e)
    except (OSError, ValueError, KeyError) as e:  # a folder that looks like a sweep but is not
        return None, f"{path}: cannot read it as a sweep ({type(e).__name__}: {e})"


@solara.component
def Plot(t: SweepTable):
    xs = [*t.parameters, *t.drawn]
    metric, set_metric = solara.use_state(t.outcomes[0])
    parameter, set_parameter = solara.use_state(xs[0] if xs else None)
    with solara.Row(style={"flex-wrap": "wrap"}):
        solara.Select("Metric", list(t.outcomes), value=metric, on_value=set_metric)
        solara.Select("Against", xs, value=parameter, on_value=set_parameter)
    # hooks before any early return (Solara's rules of hooks)
    chart = solara.use_memo(
        lambda: None if parameter is None else draw(sweep_chart, t, metric, parameter),
        [t.path, metric, parameter, t.n_runs],
    )
    if chart is None:
        solara.Warning("This sweep varies no numeric parameter.")
        return
    ChartCard(chart)


@solara.component
def Page():
    path = state.sweep_dir.value
    text, set_text = solara.use_state(path)
    version, set_version = solara.use_state(0)  # Reload: read a running sweep again
    t, problem = solara.use_memo(lambda: _open(path), [path, version])
    with solara.Row(style={"align-items": "center"}):
        solara.InputText("Sweep folder (written by `adoptsim sweep --out DIR`)", value=text,
                         on_value=set_text, style={"min-width": "600px"},
                         error=problem or False, classes=["sweep-path"])
        solara.Button("Open", color="primary", on_click=lambda: state.sweep_dir.set(
            text.strip()), classes=["open-sweep"])
        solara.Button("Reload", text=True, on_click=lambda: set_version(version + 1))
    if t is None:
        if not problem:
            solara.Markdown("Give the folder of a sweep, for example `results/lhs` after "
                            "`adoptsim sweep experiments/examples/lhs-conditions.toml --out "
                            "results/lhs`.")
        return
    solara.Text(f"{t.n_runs} runs of {', '.join(t.scenarios)} ({t.status}); parameters: "
                f"{', '.join(t.parameters) or 'none'}", classes=["sweep-info"])
    with solara.Columns([3, 2]):
        Plot(t)
        SweepAnalysis(t)
