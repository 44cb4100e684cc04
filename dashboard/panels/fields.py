"""Inputs for scenario fields, driven by their schema (:mod:`experiments.scenario_form`).

A number is typed as text and checked against the field's range as soon as it is entered; a
bad value shows its message under the field and is not used (the last good value stays). The
hint under every field gives its unit, its allowed range and what it means.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import solara

from experiments.scenario_form import FormField, parse_value
from simulation import ROLES

__all__ = ["FieldInput", "RangeInput", "hint"]


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def hint(field: FormField) -> str:
    parts = []
    if field.unit:
        parts.append(field.unit)
    if field.lo is not None and field.hi is not None and field.hi < 1e15:
        lo = "> 0" if field.lo_open and field.lo == 0 else f"{field.lo:g}"
        parts.append(f"{lo} to {field.hi:g}")
    elif field.lo is not None:
        parts.append(f"at least {field.lo:g}")
    where = f" ({'; '.join(parts)})" if parts else ""
    blank = " Leave empty for the default." if field.optional else ""
    return f"{field.help}{where}{blank}"


@solara.component
def NumberInput(field: FormField, value: Any, on_value: Callable[[Any], None]):
    text, set_text = solara.use_state(_fmt(value))
    solara.use_effect(lambda: set_text(_fmt(value)), [value])
    _, error = parse_value(field, text)

    def entered(new: str | None) -> None:
        set_text(new or "")
        parsed, problem = parse_value(field, new or "")
        if problem is None:
            on_value(parsed)

    solara.InputText(
        field.label,
        value=text,
        on_value=entered,
        error=error or False,
        message=None if error else hint(field),
        classes=[f"field-{field.key.replace('.', '-')}"],
    )


@solara.component
def FieldInput(
    field: FormField,
    value: Any,
    on_value: Callable[[Any], None],
    departments: Sequence[str] = (),
):
    """The input a field's kind calls for."""
    if field.kind in ("int", "float"):
        NumberInput(field, value, on_value)
    elif field.kind == "bool":
        solara.Checkbox(
            label=f"{field.label}: {field.help}",
            value=bool(field.default if value is None else value),
            on_value=on_value,
        )
    elif field.kind == "roles":
        solara.SelectMultiple(
            f"{field.label} (all if none)",
            list(value or []),
            list(ROLES),
            on_value=lambda v: on_value(list(v) or None),
        )
    elif field.kind == "departments":
        solara.SelectMultiple(
            f"{field.label} (all if none)",
            list(value or []),
            list(departments),
            on_value=lambda v: on_value(list(v) or None),
        )
    else:
        solara.InputText(
            field.label, value=_fmt(value), on_value=lambda v: on_value(v or None),
            message=field.help,
        )


@solara.component
def RangeInput(field: FormField, value: Any, on_value: Callable[[Any], None]):
    """A condition: a range replicate organizations draw from, or one pinned value."""
    default = field.default or {"low": field.lo, "high": field.hi}
    current = default if value is None else value
    pinned = not isinstance(current, dict)
    step = 0.01 if (field.hi - field.lo) <= 2 else 0.1
    label = f"{field.label} ({field.unit})" if field.unit else field.label

    def pin(on: bool) -> None:
        if on:
            on_value(round((current["low"] + current["high"]) / 2, 4))
        else:
            on_value(None)  # back to the scenario's range

    with solara.Column(gap="0px", classes=[f"condition-{field.key}"]):
        if pinned:
            solara.SliderFloat(label, value=float(current), min=field.lo, max=field.hi,
                               step=step, on_value=on_value)
        else:
            solara.SliderRangeFloat(
                label,
                value=(float(current["low"]), float(current["high"])),
                min=field.lo,
                max=field.hi,
                step=step,
                on_value=lambda v: on_value({"low": float(v[0]), "high": float(v[1])}),
            )
        with solara.Row(gap="8px", style={"align-items": "center"}):
            solara.Checkbox(label="one value for every organization", value=pinned,
                            on_value=pin)
        solara.Text(field.help, style={"color": "#666", "font-size": "0.8em"})
