"""Compare plans: choose 2-4 plans and an organization, run them on the same replicate
organizations, and read the curves, the risk, the money and why they differ."""

from __future__ import annotations

import solara

from experiments.comparison import build_scenarios, preview_organization
from simulation import AdoptsimError

from .. import runs, state
from ..panels.organization import OrganizationPanel
from ..panels.plan_builder import PlanBuilder
from ..panels.plan_picker import PlanPicker
from ..panels.results import Results
from ..panels.run_controls import RunControls

__all__ = ["Page"]


def _departments(choice: state.OrgChoice) -> tuple[str, ...]:
    """Department names the plan builder can target (the uploaded chart's, once checked)."""
    if choice.source == "upload":
        return choice.departments
    try:
        (sc,) = build_scenarios([state.DEFAULT_PLANS[0]], dict(choice.values), allow_late=True)
        return preview_organization(sc).departments
    except AdoptsimError:
        return ()


@solara.component
def Page():
    choice = state.org.value
    departments = solara.use_memo(lambda: _departments(choice), [choice])
    settings = runs.settings(choice, state.run_settings.value)
    task = runs.compare_task
    with solara.Columns([4, 9], gutters_dense=True):
        with solara.Column(gap="12px"):
            PlanPicker()
            RunControls()
            OrganizationPanel()
            with solara.Details("Build a plan of your own"):
                PlanBuilder(departments, settings)
        with solara.Column():
            shown = task.value if task.finished else task.latest
            if shown is not None:
                if task.pending:
                    solara.Info("Showing the previous comparison while the new one runs.")
                # keyed: the Info above must not make it a new panel (its widgets rebuilt)
                Results(shown).key("results")
            else:
                solara.Markdown(
                    "## Which rollout plan works for your organization?\n\n"
                    "Pick two to four plans on the left (or build one), describe the "
                    "organization (or upload its org chart) and press **Compare**. Every plan "
                    "runs on the same replicate organizations, so differences are the plans', "
                    "not the draws'. You get the adoption curves, how often each plan succeeds "
                    "and how sure that is, what it costs and returns, and why the plans differ."
                )
