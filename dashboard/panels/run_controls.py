"""How many organizations, which seed and horizon; Compare, progress and Cancel."""

from __future__ import annotations

import dataclasses

import solara

from experiments import DEFAULT_SEED
from experiments.scenario_form import top_field
from simulation import AdoptsimError

from .. import runs, state
from ..uploads import user_message
from .fields import FieldInput, NumberInput

__all__ = ["RunControls", "error_text"]

#: replicate organizations the page runs at most (more: use `adoptsim compare`)
MAX_REPLICATES = 1000
_REPLICATES = dataclasses.replace(
    top_field("weeks"), key="replicates", label="Replicate organizations", default=40, lo=1,
    hi=MAX_REPLICATES, unit="organizations per plan",
    help="Each is a different organization drawn from the conditions; every plan meets the "
    "same ones.",
)
_SEED = dataclasses.replace(
    top_field("weeks"), key="seed", label="Seed", default=DEFAULT_SEED, lo=0, hi=2**63 - 1, unit="",
    help="Root seed of the replicate organizations: the same seed gives the same numbers "
    "(and `adoptsim compare --seed` gives them too).",
)


def error_text(exc: BaseException | None) -> str:
    """A task's error for the page: a user's mistake as is, anything else briefly."""
    if exc is None:
        return ""
    choice = state.org.value
    if isinstance(exc, AdoptsimError):
        return user_message(exc, choice.org_chart, choice.ties)
    return f"internal error: {type(exc).__name__}: {exc}"


_count = solara.reactive(0)  # comparisons started in this session


def _start() -> None:
    _count.set(_count.value + 1)
    runs.compare_task(dataclasses.replace(runs.current_request(), number=_count.value))


def _set(**kw) -> None:
    state.run_settings.set(dataclasses.replace(state.run_settings.value, **kw))


#: the progress bar moves without animation: an animated bar (indeterminate, or easing to each
#: new value) is repainted at 60 frames a second, 0.3-0.4 s of the browser's CPU per second of
#: runs (headless Chromium, software rendering), taken from the runs on a 2-core machine
_STILL_BAR = (".run-progress, .run-progress * "
              "{ transition: none !important; animation: none !important; }")


@solara.component
def Running():
    """The running comparison's progress (updated in place by :data:`runs.live_progress`)."""
    solara.Style(_STILL_BAR)
    bar = solara.v.ProgressLinear(value=0, class_="run-progress")
    text = solara.v.Html(tag="span", children=["running: 0%"], class_="run-status")
    solara.use_effect(
        lambda: runs.live_progress.attach(solara.get_widget(bar), solara.get_widget(text)), []
    )


@solara.component
def RunControls():
    rs = state.run_settings.value
    task = runs.compare_task
    with solara.Card("Run", margin=0, classes=["run-controls"]):
        NumberInput(_REPLICATES, rs.replicates, lambda v: _set(replicates=v))
        FieldInput(top_field("weeks"), rs.weeks, lambda v: _set(weeks=v))
        NumberInput(_SEED, rs.seed, lambda v: _set(seed=v))
        with solara.Row():
            solara.Button("Compare", color="primary", icon_name="mdi-play",
                          on_click=_start, classes=["compare"],
                          disabled=len(set(state.plans.value)) < len(state.plans.value))
            if task.pending:
                solara.Button("Cancel", icon_name="mdi-stop", on_click=task.cancel,
                              classes=["cancel"])
        if task.pending:
            Running()
        elif task.cancelled:
            solara.Warning("Cancelled: the runs were stopped.", classes=["run-cancelled"])
        elif task.error:
            solara.Error(error_text(task.exception), classes=["run-error"])
        elif task.finished and task.value is not None:
            c = task.value.comparison
            solara.Text(f"comparison #{task.value.request.number}: {len(c.names)} plans x "
                        f"{c.replicates} "
                        f"organizations in {task.value.seconds:.1f} s", classes=["run-done"])
