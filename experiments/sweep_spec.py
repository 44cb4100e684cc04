"""Sweep specs: the TOML file that says what ``adoptsim sweep`` runs (docs/SWEEPS.md).

A spec names one or more scenarios, a horizon, replicates and a root seed, a design (grid, lhs,
sobol, morris) and ``[parameters]``: dotted scenario paths, each a list of values or a
``{low, high}`` range. Loading checks the spec's own fields; whether a path and its values fit
the scenario is checked when the sweep is planned (:mod:`experiments.sweep`), through the same
path as ``--set``. Every error names the file, the field and a fix.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from scenarios import builtin_names, read_toml, shown_value, type_problem
from simulation import ConfigError, EngineName

from .runner import DEFAULT_SEED

__all__ = ["DESIGNS", "Parameter", "SweepSpec", "load_spec", "spec_from_dict"]

DESIGNS = ("grid", "lhs", "sobol", "morris")
SAMPLED = ("lhs", "sobol", "morris")


class _Fields(BaseModel):
    """The spec's top-level fields (``parameters`` is checked entry by entry afterwards)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    scenario: str | list[str] = Field(min_length=1)
    weeks: int | None = Field(None, ge=1, le=10_000)
    replicates: int = Field(1, ge=1, le=1_000_000)
    seed: int = Field(DEFAULT_SEED, ge=0, le=2**63 - 1)
    design: Literal["grid", "lhs", "sobol", "morris"] = "grid"
    samples: int | None = Field(None, ge=1, le=10_000_000)
    levels: int | None = Field(None, ge=2, le=1000)
    second_order: bool | None = None
    engine: EngineName = "auto"
    org_csv: str | None = Field(None, min_length=1)
    ties_csv: str | None = Field(None, min_length=1)
    parameters: dict[str, Any] = {}


_SCENARIO_HINT = "a built-in scenario name or a TOML path, or a list of them"


@dataclass(frozen=True)
class Parameter:
    """One ``[parameters]`` entry: a list of ``values``, or a range ``low``..``high``
    (``integer``: draw whole numbers; None until the scenario's field type decides)."""

    name: str
    values: tuple[Any, ...] | None = None
    low: float | None = None
    high: float | None = None
    integer: bool | None = None

    @property
    def is_range(self) -> bool:
        return self.values is None

    @property
    def field(self) -> str:
        """The entry's key as the spec's TOML spells it, for messages:
        ``parameters."conditions.trust"``."""
        return f"parameters.{_quote(self.name)}"

    def describe(self) -> dict[str, Any]:
        if self.is_range:
            return {
                "name": self.name,
                "kind": "range",
                "low": self.low,
                "high": self.high,
                "integer": bool(self.integer),
            }
        return {"name": self.name, "kind": "values", "values": list(self.values)}


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep spec. ``data`` is the spec as given (what the manifest records and a
    resumed sweep must match); ``source`` names it in messages; scenario paths are resolved
    against ``base_dir`` (the spec file's folder)."""

    scenarios: tuple[str, ...]
    weeks: int | None
    replicates: int
    seed: int
    design: str
    samples: int | None
    levels: int
    second_order: bool
    engine: str
    parameters: tuple[Parameter, ...]
    data: dict[str, Any]
    source: str = "<spec>"
    base_dir: Path = Path(".")
    org_csv: str | None = None  # relative to base_dir
    ties_csv: str | None = None

    def scenario_refs(self) -> list[str]:
        """Scenario references as the loader takes them: built-in names as given, paths
        relative to the spec file's folder."""
        refs = []
        for ref in self.scenarios:
            rel = self.base_dir / ref
            refs.append(str(rel) if ref not in builtin_names() and rel.is_file() else ref)
        return refs


def load_spec(path: str | Path) -> SweepSpec:
    """Read and validate a sweep spec file (:class:`ConfigError` naming file and field)."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: no such sweep spec file")
    return spec_from_dict(read_toml(path), source=str(path), base_dir=path.parent)


def spec_from_dict(
    data: dict[str, Any], source: str = "<spec>", base_dir: str | Path = "."
) -> SweepSpec:
    """Validate a spec given as a dict (the parsed TOML)."""
    problems: list[str] = []
    fields = None
    try:
        fields = _Fields.model_validate(data)
    except ValidationError as err:
        problems += dict.fromkeys(_describe(e, data) for e in err.errors())
    raw_params = data.get("parameters", {})
    params: list[Parameter] = []
    if isinstance(raw_params, dict):
        for name, value in raw_params.items():
            try:
                params.append(_parameter(name, value))
            except ValueError as e:
                problems.append(f"parameters.{_quote(name)}: {e}")
    if fields is not None and not problems:
        problems += _check_design(fields, params)
    if problems:
        raise ConfigError(f"{source}: invalid sweep spec:\n  " + "\n  ".join(problems))
    assert fields is not None
    scenarios = [fields.scenario] if isinstance(fields.scenario, str) else fields.scenario
    return SweepSpec(
        scenarios=tuple(scenarios),
        weeks=fields.weeks,
        replicates=fields.replicates,
        seed=fields.seed,
        design=fields.design,
        samples=fields.samples,
        levels=fields.levels or 4,
        second_order=True if fields.second_order is None else fields.second_order,
        engine=fields.engine,
        parameters=tuple(params),
        data=data,
        source=source,
        base_dir=Path(base_dir),
        org_csv=fields.org_csv,
        ties_csv=fields.ties_csv,
    )


# -- parameters ------------------------------------------------------------------------------
def _quote(name: str) -> str:
    return f'"{name}"' if "." in name else name


def _parameter(name: str, value: Any) -> Parameter:
    if not name or any(not part.strip() for part in name.split(".")):
        raise ValueError("the name must be a dotted scenario path like conditions.trust")
    if isinstance(value, list):
        if not value:
            raise ValueError("an empty list: give at least one value")
        for v in value:
            _check_plain(v)
        return Parameter(name, values=tuple(value))
    if isinstance(value, dict):
        return _range(name, value)
    raise ValueError(
        f"{shown_value(value)} is neither a list of values nor a range: write [{_toml(value)}] "
        "to set it for every run, or { low = ..., high = ... } to sample it"
    )


def _range(name: str, value: dict[str, Any]) -> Parameter:
    unknown = sorted(set(value) - {"low", "high", "integer"})
    if unknown:
        close = difflib.get_close_matches(unknown[0], ["low", "high", "integer"], n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(
            f"unknown key {unknown[0]!r} in a range.{hint} A range is "
            "{ low = ..., high = ... } with an optional integer = true|false; to give the "
            "values a scenario table takes, put them in a list: [{ low = ..., high = ... }]"
        )
    if "low" not in value or "high" not in value:
        raise ValueError("a range needs both low and high, e.g. { low = 0.1, high = 0.5 }")
    low, high, integer = value["low"], value["high"], value.get("integer")
    for key, bound in (("low", low), ("high", high)):
        if isinstance(bound, bool) or not isinstance(bound, int | float):
            raise ValueError(_refused(key, bound, "float_type"))
        if not math.isfinite(bound):
            raise ValueError(f"{key} = {bound!r}: give a finite number")
    if integer is not None and not isinstance(integer, bool):
        raise ValueError(_refused("integer", integer, "bool_type"))
    if not low < high:
        raise ValueError(
            f"low ({low}) must be below high ({high}); to pin one value, write [{low}]"
        )
    # integer None: decided by the scenario field's type when the sweep is planned
    return Parameter(name, low=low, high=high, integer=integer)


def _refused(key: str, value: Any, kind: str) -> str:
    """``key = value: what was refused and what to give`` in the scenario language's words."""
    return f"{key} = {shown_value(value)}: {type_problem({'type': kind, 'msg': ''}, value)}"


def _check_plain(v: Any) -> None:
    """Values must be what a scenario field can hold and JSON can record (no dates, NaN)."""
    if isinstance(v, float) and not math.isfinite(v):
        raise ValueError(f"{v!r} is not a finite number")
    if isinstance(v, list):
        for x in v:
            _check_plain(x)
    elif isinstance(v, dict):
        for x in v.values():
            _check_plain(x)
    elif not isinstance(v, str | int | float | bool):
        raise ValueError(f"{v!r} ({type(v).__name__}) is not a value a scenario field takes")


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


# -- design rules ----------------------------------------------------------------------------
def _check_design(f: _Fields, params: list[Parameter]) -> list[str]:
    problems = []
    scenarios = [f.scenario] if isinstance(f.scenario, str) else f.scenario
    if len(set(scenarios)) < len(scenarios):
        problems.append("scenario: a scenario is listed twice")
    if f.design == "grid":
        for p in params:
            if p.is_range:
                problems.append(
                    f"{p.field}: a range {{ low, high }} needs a sampled "
                    'design: set design = "lhs", "sobol" or "morris" with samples = N, '
                    "or list the values for the grid, e.g. [0.1, 0.3, 0.5]"
                )
    else:
        if f.samples is None:
            problems.append(f"samples: design = {f.design!r} needs samples = N")
        elif f.design == "sobol" and f.samples & (f.samples - 1):
            up = 1 << f.samples.bit_length()
            problems.append(
                f"samples = {f.samples}: Sobol' sampling needs a power of two "
                f"(e.g. {up >> 1} or {up}) to keep its balance properties"
            )
        if not any(p.is_range or len(p.values) > 1 for p in params):
            problems.append(
                f"parameters: design = {f.design!r} needs at least one range "
                "{ low, high } or a list of two or more values to sample"
            )
    # samples, levels and second_order are ignored by the designs that do not use them (so
    # one spec can switch designs, as the example of DESIGN section 7 does)
    if f.ties_csv is not None and f.org_csv is None:
        problems.append("ties_csv: needs org_csv (ties refer to the org chart's ids)")
    if f.levels is not None and f.levels % 2:
        problems.append(f"levels = {f.levels}: use an even number of levels (e.g. 4)")
    return problems


def _describe(e: dict, data: dict) -> str:
    loc = [str(p) for p in e["loc"]]
    top = loc[0] if loc else "(top level)"
    if e["type"] == "extra_forbidden":
        known = sorted(_Fields.model_fields)
        close = difflib.get_close_matches(top, known, n=1, cutoff=0.5)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        return f"{top}: unknown field.{hint} Known fields: {', '.join(known)}"
    if e["type"] == "missing":
        return f"{top}: missing; give {_SCENARIO_HINT if top == 'scenario' else 'a value'}"
    value = data.get(top) if isinstance(data, dict) else None
    # values as the scenario language's messages show them: 'text', true, 3
    shown = f" = {shown_value(value)}" if value is not None else ""
    if top == "scenario":  # one message for the str | list[str] union
        return f"scenario{shown}: give {_SCENARIO_HINT}"
    if top == "parameters":
        return (f"parameters{shown}: give a table of dotted scenario paths, each a list of "
                'values or a range: [parameters] "conditions.trust" = [0.3, 0.6]')
    return f"{top}{shown}: {type_problem(e, value)}"
