"""Pick the 2 to 4 plans to compare: built-in plans or plans built in the page."""

from __future__ import annotations

import functools

import solara

from experiments.claims import library_plans

from .. import state

__all__ = ["PlanPicker", "library"]


@functools.cache
def library() -> dict[str, str]:
    """Built-in rollout plans and the first sentence of each description."""
    return {n: s.description.split(". ")[0].rstrip(".") + "." for n, s in library_plans().items()}


def _set(i: int, name: str | None) -> None:
    if name:
        names = list(state.plans.value)
        names[i] = name
        state.plans.set(tuple(names))


def _remove(i: int) -> None:
    names = list(state.plans.value)
    del names[i]
    state.plans.set(tuple(names))


def _add() -> None:
    names = state.plans.value
    spare = [n for n in library() if n not in names]
    state.plans.set((*names, spare[0] if spare else next(iter(library()))))


@solara.component
def PlanPicker():
    names = state.plans.value
    built = {b.name: "Built in this page." for b in state.built_plans.value}
    options = {**library(), **built}
    with solara.Card("Plans to compare", margin=0):
        for i, name in enumerate(names):
            with solara.Row(style={"align-items": "center"}, classes=[f"plan-slot-{i}"]):
                solara.Select(f"Plan {i + 1}", list(options), value=name,
                              on_value=functools.partial(_set, i), style={"flex": "1"})
                if len(names) > 2:
                    solara.Button(icon_name="mdi-close", icon=True, on_click=functools.partial(
                        _remove, i), classes=[f"remove-plan-{i}"])
            solara.Text(options.get(name, ""), style={"color": "#666", "font-size": "0.8em"})
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            solara.Warning(f"{', '.join(sorted(dupes))} is chosen twice: pick different plans.")
        if len(names) < state.MAX_PLANS:
            solara.Button("Add a plan", icon_name="mdi-plus", text=True, on_click=_add)
