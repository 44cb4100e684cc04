"""The organization the plans run on: a synthetic one (its knobs and the conditions that vary
between organizations), or an uploaded org chart with an optional tie list."""

from __future__ import annotations

import dataclasses

import solara
import solara.lab

from experiments.comparison import OrgPreview, build_scenarios, preview_organization
from experiments.scenario_form import section_fields
from simulation import AdoptsimError

from .. import runs, state
from ..uploads import UploadError, max_upload_bytes, save_upload, user_message
from .fields import FieldInput, RangeInput
from .file_chooser import FileChooser

__all__ = ["OrganizationPanel"]

#: knobs shown up front; the others are under "More organization settings"
MAIN_KNOBS = ("employees", "departments", "span_of_control", "veteran_years")


def _preview(choice: state.OrgChoice) -> tuple[OrgPreview | None, str | None]:
    try:
        (sc,) = build_scenarios([state.DEFAULT_PLANS[0]], dict(choice.values), allow_late=True)
        return preview_organization(sc), None
    except AdoptsimError as e:
        return None, str(e)


@solara.component
def SyntheticKnobs(choice: state.OrgChoice):
    fields = {f.key: f for f in section_fields("organization")}
    preview, problem = solara.use_memo(lambda: _preview(choice), [choice.values])

    def setter(key):
        return lambda v: state.org.set(state.org.value.with_value(key, v))

    for key in MAIN_KNOBS:
        f = fields[key]
        FieldInput(f, choice.value(f"organization.{key}", f.default), setter(f"organization.{key}"))
    if preview is not None:
        solara.Text(
            f"{preview.people:,} people in {len(preview.departments)} departments; about "
            f"{preview.veteran_share:.0%} veterans and {preview.manager_share:.0%} managers "
            "and leaders.",
            classes=["org-preview"],
        )
    if problem:
        solara.Error(problem, classes=["org-problem"])
    with solara.Details("More organization settings"):
        for key, f in fields.items():
            if key not in MAIN_KNOBS:
                FieldInput(f, choice.value(f"organization.{key}", f.default),
                           setter(f"organization.{key}"))


@solara.component
def Conditions(choice: state.OrgChoice):
    solara.Markdown(
        "**Conditions** differ between organizations: each replicate organization draws them "
        "from these ranges (pin one to study a single kind of organization)."
    )
    for f in section_fields("conditions"):
        RangeInput(
            f,
            choice.value(f"conditions.{f.key}"),
            lambda v, k=f.key: state.org.set(state.org.value.with_value(f"conditions.{k}", v)),
        )


def _check_upload(choice: state.OrgChoice) -> OrgPreview:
    """Import the uploaded files as a comparison would; note the head count and departments
    in the session's state (if the files are still the ones shown)."""
    org = runs.imported_organization(choice)
    (sc,) = build_scenarios([state.DEFAULT_PLANS[0]], dict(choice.values), allow_late=True)
    p = preview_organization(sc, org)
    now = state.org.value
    if (now.org_chart, now.ties) == (choice.org_chart, choice.ties):
        state.org.set(dataclasses.replace(now, people=p.people, departments=p.departments))
    return p


check_upload = solara.lab.task(_check_upload)


@solara.component
def Uploads(choice: state.OrgChoice):
    error, set_error = solara.use_state(None)
    limit = max_upload_bytes() / 1e6

    def dropped(kind: str):
        def on_file(info) -> None:
            try:
                upload = save_upload(info, kind)
            except UploadError as e:
                set_error(str(e))
                return
            set_error(None)
            new = dataclasses.replace(state.org.value, people=None, departments=(),
                                      **{kind: upload})
            state.org.set(new)
            if new.org_chart is not None:
                check_upload(new)

        return on_file

    solara.Markdown(
        "An **org chart** CSV: `employee_id,manager_id,department[,role][,tenure_years]` "
        "(manager_id empty for the top leader). Optionally a **tie list** CSV: "
        f"`source,target[,weight]`. Files up to {limit:.0f} MB."
    )
    FileChooser("Org chart CSV: drop it here, or", dropped("org_chart"), ("upload-org-chart",))
    FileChooser("Tie list CSV (optional): drop it here, or", dropped("ties"), ("upload-ties",))
    if error:
        solara.Error(error, classes=["upload-error"])
    _UploadStatus(choice)


@solara.component
def _UploadStatus(choice: state.OrgChoice):
    if choice.org_chart is None:
        if choice.ties is not None:
            solara.Warning("A tie list needs an org chart: drop the org chart too.")
        return
    names = choice.org_chart.name + (f" + {choice.ties.name}" if choice.ties else "")
    if check_upload.pending:
        solara.Text(f"checking {names} ...")
        solara.ProgressLinear(True)
    elif check_upload.error:
        solara.Error(user_message(check_upload.exception, choice.org_chart, choice.ties),
                     classes=["upload-error"])
    elif choice.people is not None:
        solara.Success(
            f"{names}: {choice.people:,} people in {len(choice.departments)} departments",
            classes=["upload-ok"],
        )
    with solara.Row():
        solara.Button("Remove the files", text=True, on_click=lambda: state.org.set(
            dataclasses.replace(state.org.value, org_chart=None, ties=None, people=None,
                                departments=())))


@solara.component
def OrganizationPanel():
    choice = state.org.value
    with solara.Card("Organization", margin=0):
        solara.ToggleButtonsSingle(
            value=choice.source,
            values=["synthetic", "upload"],
            on_value=lambda v: state.org.set(dataclasses.replace(state.org.value, source=v)),
        )
        if choice.source == "synthetic":
            SyntheticKnobs(choice)
        else:
            Uploads(choice)
        with solara.Details("Conditions (trust, critics, managers' attitude ...)"):
            Conditions(choice)
