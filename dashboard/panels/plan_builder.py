"""Build a plan: interventions with their schedule, target and parameters, every field read from
the scenario schema, checked as it is typed and validated by the scenario loader (the messages
of ``adoptsim scenarios validate``). The plan joins the comparison or downloads as a scenario
TOML file that ``adoptsim run`` accepts."""

from __future__ import annotations

import dataclasses
import functools

import solara
import tomli_w

from experiments.comparison import build_scenarios
from experiments.scenario_form import build_plan, errors_by_field, form, intervention_forms
from scenarios import load_scenario, scenario_to_toml
from simulation import AdoptsimError

from .. import state
from .fields import FieldInput
from .plan_picker import library

__all__ = ["PlanBuilder", "draft_scenario", "export_toml"]


def _items(d: state.Draft) -> list[tuple[str, dict]]:
    return [(it.type, dict(it.values)) for it in d.items]


def draft_scenario(d: state.Draft):
    """(raw plan data, validated scenario, None) or (None, None, the loader's message)."""
    try:
        data, sc = build_plan(d.name, d.description, _items(d))
        return data, sc, None
    except AdoptsimError as e:
        return None, None, str(e)


def export_toml(d: state.Draft, settings: dict) -> str:
    """The plan with the page's organization and run settings, as a scenario file."""
    data, _, problem = draft_scenario(d)
    if problem:
        raise AdoptsimError(problem)
    (sc,) = build_scenarios([data], settings)
    return scenario_to_toml(sc)


def _update(i: int, key: str, value) -> None:
    d = state.draft.value
    items = list(d.items)
    items[i] = items[i].with_value(key, value)
    state.draft.set(dataclasses.replace(d, items=tuple(items)))


def _move(i: int, step: int) -> None:
    d = state.draft.value
    items = list(d.items)
    j = i + step
    if 0 <= j < len(items):
        items[i], items[j] = items[j], items[i]
        state.draft.set(dataclasses.replace(d, items=tuple(items)))


def _remove(i: int) -> None:
    d = state.draft.value
    state.draft.set(dataclasses.replace(d, items=d.items[:i] + d.items[i + 1 :]))


def _start_from(name: str | None) -> None:
    if not name:
        return
    from experiments.scenario_form import plan_items

    sc = load_scenario(name)
    items = tuple(state.DraftItem(t, tuple(v.items())) for t, v in plan_items(sc))
    state.draft.set(state.Draft(f"my-{name}", f"Edited from {name}.", items))


@solara.component
def ItemEditor(i: int, item: state.DraftItem, departments: tuple[str, ...], problem: str | None):
    f = form(item.type)
    end = item.value("end")
    weeks = f"from week {item.value('start', 0)}" + (f" to {end}" if end is not None else "")
    with solara.Card(f"{i + 1}. {f.title} ({weeks})", margin=0, classes=[f"plan-item-{i}"]):
        solara.Text(f.help.split("\n")[0], style={"color": "#555", "font-size": "0.85em"})
        if problem:
            solara.Error(problem, classes=["item-problem"])
        with solara.Details("Schedule, target and parameters", expand=i == 0):
            for field in f.fields:
                FieldInput(field, item.value(field.key, field.default),
                           functools.partial(_update, i, field.key), departments)
        with solara.Row(gap="4px"):
            solara.Button(icon_name="mdi-arrow-up", icon=True, on_click=functools.partial(
                _move, i, -1))
            solara.Button(icon_name="mdi-arrow-down", icon=True, on_click=functools.partial(
                _move, i, 1))
            solara.Button("Remove", text=True, on_click=functools.partial(_remove, i))


def _use(d: state.Draft, data: dict) -> None:
    built = tuple(b for b in state.built_plans.value if b.name != d.name)
    state.built_plans.set((*built, state.BuiltPlan(d.name, tomli_w.dumps(data))))
    names = state.plans.value
    if d.name not in names:
        names = (*names[: state.MAX_PLANS - 1], d.name)
        state.plans.set(names)


@solara.component
def PlanBuilder(departments: tuple[str, ...], settings: dict):
    d = state.draft.value
    kind, set_kind = solara.use_state(intervention_forms()[0].type)
    data, _, problem = solara.use_memo(lambda: draft_scenario(d), [d])
    by_item = errors_by_field(problem) if problem else {}
    titles = {f.title: f.type for f in intervention_forms()}
    with solara.Card("Build a plan", margin=0, classes=["plan-builder"]):
        solara.Select("Start from a built-in plan", [""] + list(library()), value="",
                      on_value=_start_from)
        solara.InputText("Plan name", value=d.name, on_value=lambda v: state.draft.set(
            dataclasses.replace(state.draft.value, name=(v or "").strip() or "my-plan")))
        solara.InputText("Description", value=d.description, on_value=lambda v: state.draft.set(
            dataclasses.replace(state.draft.value, description=v or "")))
        for i, item in enumerate(d.items):
            mine = [m for k, m in by_item.items() if k == f"plan.{i}" or k.startswith(f"plan.{i}.")]
            ItemEditor(i, item, departments, "\n".join(mine) or None)
        with solara.Row(style={"align-items": "center"}):
            solara.Select("Intervention", list(titles), value=form(kind).title,
                          on_value=lambda t: set_kind(titles[t]), style={"flex": "1"})
            solara.Button("Add", icon_name="mdi-plus", on_click=lambda: state.draft.set(
                dataclasses.replace(state.draft.value,
                                    items=(*state.draft.value.items, state.DraftItem(kind)))))
        if not d.items:
            solara.Info("Add interventions, or start from a built-in plan.")
        elif problem:
            general = [m for k, m in by_item.items() if not k.startswith("plan.")]
            solara.Error("\n".join(general) or "Fix the problems shown above.",
                         classes=["plan-problem"])
        else:
            solara.Success(f"{d.name}: a valid plan of {len(d.items)} interventions.",
                           classes=["plan-ok"])
        with solara.Row():
            solara.Button("Use in the comparison", color="primary", disabled=data is None,
                          on_click=lambda: _use(d, data), classes=["use-plan"])
            if data is not None:
                solara.FileDownload(lambda: export_toml(d, settings),
                                    filename=f"{d.name}.toml", label="Download TOML",
                                    mime_type="application/toml")
