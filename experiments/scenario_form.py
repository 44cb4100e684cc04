"""Form fields for building a scenario, read from the scenario schema (no second list).

Every field of the organization and condition sections comes from
``Scenario.model_json_schema()``, and every field of a plan's interventions from the JSON schema
of each type in the intervention registry (``simulation.interventions``, the one list of
types): its type, allowed range, unit and help text are those the loader validates against and
the ODD tables document. A form (the dashboard's plan builder)
shows these fields, checks each value as it is typed (:func:`parse_value`), and validates the
whole plan with the loader (:func:`build_plan`), whose messages are those of the command line;
:func:`errors_by_field` files them under the field they name.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scenarios import Scenario, validate_data
from simulation import ROLES, ConfigError
from simulation.interventions import intervention_types, tag_of

__all__ = [
    "FormField",
    "InterventionForm",
    "build_plan",
    "errors_by_field",
    "form",
    "intervention_forms",
    "nest",
    "parse_value",
    "plan_items",
    "section_fields",
    "top_field",
]

# fields shown first / last in an intervention's form (the rest in schema order between)
_FIRST = ("start", "end", "target.roles", "target.departments", "target.share", "target.count")
_LAST = ("money_fixed", "money_per_person", "hours_per_person", "hours_per_person_week", "label")


@dataclass(frozen=True)
class FormField:
    """One input: ``key`` is its dotted path inside its object (``target.share``)."""

    key: str
    label: str
    kind: str  # int | float | bool | text | roles | departments | range
    default: Any
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False  # the low end is excluded (share > 0)
    optional: bool = False  # may be left empty (unset)
    unit: str = ""
    help: str = ""


@dataclass(frozen=True)
class InterventionForm:
    type: str
    title: str
    help: str
    fields: tuple[FormField, ...]

    def field(self, key: str) -> FormField:
        return next(f for f in self.fields if f.key == key)


@functools.cache
def _schema() -> dict[str, Any]:
    return Scenario.model_json_schema()


def _label(key: str) -> str:
    return key.rsplit(".", 1)[-1].replace("_", " ").capitalize()


def _branches(prop: dict) -> tuple[list[dict], bool]:
    """The non-null alternatives of a property, and whether null is allowed."""
    alts = prop.get("anyOf", [prop])
    return [a for a in alts if a.get("type") != "null"], any(
        a.get("type") == "null" for a in alts
    )


def _field(key: str, prop: dict) -> FormField:
    alts, optional = _branches(prop)
    first = alts[0] if alts else {}
    unit, help_ = prop.get("unit", first.get("unit", "")), prop.get("description", "")
    if any("$ref" in a and a["$ref"].endswith("/Range") for a in alts):
        kind = "range"
    elif first.get("type") == "array":
        kind = "roles" if "enum" in first.get("items", {}) else "departments"
    else:
        kind = {"integer": "int", "number": "float", "boolean": "bool"}.get(
            first.get("type", "string"), "text"
        )
    lo = first.get("minimum", first.get("exclusiveMinimum", prop.get("lo")))
    hi = first.get("maximum", prop.get("hi"))
    return FormField(
        key,
        _label(key),
        kind,
        prop.get("default"),
        lo,
        hi,
        "exclusiveMinimum" in first,
        optional,
        unit,
        help_,
    )


def _fields_of(definition: dict, defs: dict, prefix: str = "") -> list[FormField]:
    out = []
    for name, prop in definition.get("properties", {}).items():
        if name == "type":
            continue
        ref = prop.get("$ref", "")
        if ref and not ref.endswith("/Range"):
            sub = defs[ref.rsplit("/", 1)[-1]]
            defaults = prop.get("default") or {}  # e.g. a tribe's target: share = 0.04
            out += [
                dataclasses.replace(f, default=defaults.get(f.key.rsplit(".", 1)[-1], f.default))
                for f in _fields_of(sub, defs, f"{prefix}{name}.")
            ]
        else:
            out.append(_field(f"{prefix}{name}", prop))
    return out


def intervention_forms() -> tuple[InterventionForm, ...]:
    """One form per registered intervention type, in the registry's order."""
    return _forms(tuple(intervention_types()))


@functools.cache
def _forms(types: tuple[type, ...]) -> tuple[InterventionForm, ...]:
    forms = []
    for cls in types:
        schema = cls.model_json_schema()
        fields = {f.key: f for f in _fields_of(schema, schema.get("$defs", {}))}
        order = [k for k in _FIRST if k in fields]
        order += [k for k in fields if k not in _FIRST and k not in _LAST]
        order += [k for k in _LAST if k in fields]
        tag = tag_of(cls)
        title = tag.replace("_", " ").capitalize()
        help_ = schema.get("description", "")
        forms.append(InterventionForm(tag, title, help_, tuple(fields[k] for k in order)))
    return tuple(forms)


def form(tag: str) -> InterventionForm:
    for f in intervention_forms():
        if f.type == tag:
            return f
    raise ConfigError(f"{tag!r} is not an intervention type")


@functools.cache
def section_fields(section: str) -> tuple[FormField, ...]:
    """The fields of a scenario section (``organization``, ``conditions``, ``success``...)."""
    props = _schema()["properties"]
    if section not in props or "$ref" not in props[section]:
        raise ConfigError(f"{section!r} is not a section of a scenario")
    d = _schema()["$defs"][props[section]["$ref"].rsplit("/", 1)[-1]]
    return tuple(_fields_of(d, _schema()["$defs"]))


@functools.cache
def top_field(key: str) -> FormField:
    """A top-level scenario field (``weeks``)."""
    return _field(key, _schema()["properties"][key])


def _number(text: str, field: FormField) -> tuple[Any, str | None]:
    try:
        value = float(text.replace(",", "").replace("_", ""))
    except ValueError:
        return None, f"{field.label}: {text!r} is not a number"
    if not math.isfinite(value):
        return None, f"{field.label}: give a finite number"
    if field.kind == "int":
        if value != int(value):
            return None, f"{field.label}: give a whole number, not {text}"
        value = int(value)
    below = field.lo is not None and (value <= field.lo if field.lo_open else value < field.lo)
    above = field.hi is not None and value > field.hi
    if below or above:
        lo = "-inf" if field.lo is None else f"{field.lo:g}"
        hi = "inf" if field.hi is None else f"{field.hi:g}"
        unit = f" {field.unit}" if field.unit else ""
        side = "above 0" if field.lo_open and field.lo == 0 else f"from {lo}"
        return None, f"{field.label} = {text}: allowed {side} to {hi}{unit}"
    return value, None


def parse_value(field: FormField, text: str) -> tuple[Any, str | None]:
    """A typed value from what was entered, or the reason it is not allowed.

    Empty means unset for an optional field. Numbers are checked against the schema's range."""
    text = (text or "").strip()
    if not text:
        if field.optional:
            return None, None
        return None, f"{field.label}: required"
    if field.kind in ("int", "float"):
        return _number(text, field)
    if field.kind == "bool":
        low = text.lower()
        if low in ("true", "yes", "1", "on"):
            return True, None
        if low in ("false", "no", "0", "off"):
            return False, None
        return None, f"{field.label}: yes or no"
    return text, None


def nest(values: Mapping[str, Any]) -> dict[str, Any]:
    """Dotted keys to nested tables: {"target.share": 0.1} -> {"target": {"share": 0.1}}."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value is None:
            continue
        node = out
        *parents, last = key.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[last] = value
    return out


def plan_items(scenario: Scenario) -> list[tuple[str, dict[str, Any]]]:
    """A scenario's plan as (type, {dotted key: value}) with only what differs from the
    defaults: where a form starts from when a built-in plan is edited."""
    items = []
    for p in scenario.plan:
        data = p.model_dump(mode="json", exclude_defaults=True, exclude_none=True)
        data.pop("type", None)
        flat: dict[str, Any] = {}
        for k, v in data.items():
            if isinstance(v, dict):
                flat.update({f"{k}.{kk}": vv for kk, vv in v.items()})
            else:
                flat[k] = v
        items.append((p.type, flat))
    return items


def build_plan(
    name: str,
    description: str,
    items: Sequence[tuple[str, Mapping[str, Any]]],
    base: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], Scenario]:
    """The raw data (what a TOML file holds) and the validated scenario of a plan built in a
    form: ``items`` are (type, {dotted key: value}). ``base`` holds other sections (weeks,
    value...). Raises :class:`ConfigError` with the loader's messages."""
    data: dict[str, Any] = {k: v for k, v in (base or {}).items() if k != "plan"}
    data["name"] = name
    if description:
        data["description"] = description
    data["plan"] = [{"type": tag, **nest(values)} for tag, values in items]
    return data, validate_data(data, f"plan {name!r}")


_LINE = re.compile(r"^\s+(?P<path>[A-Za-z_][\w.]*)(?:\.type)?(?: = .*?)?: ")


def errors_by_field(message: str) -> dict[str, str]:
    """The loader's message split by the field each line names (``plan.0.start``: ...);
    lines that name no field go under ``""``."""
    out: dict[str, str] = {}
    for line in message.splitlines()[1:] or message.splitlines():
        m = _LINE.match(line)
        key = m.group("path") if m else ""
        out[key] = f"{out[key]}\n{line.strip()}" if key in out else line.strip()
    return out


def roles() -> tuple[str, ...]:
    return tuple(ROLES)
