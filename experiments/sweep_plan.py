"""Planning a sweep: load its scenarios, check every parameter value and design point through
the same override path as ``--set``, build the design, seed the replicates and pick each point's
engine, all before anything runs (so bad input never leaves a half-done sweep).

Seeds: replicate r of every design point and scenario gets ``replicate_seeds(seed,
replicates)[r]`` (common random numbers, as in ``adoptsim compare``; docs/SWEEPS.md says why).
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from scenarios import Scenario, scenario_data, shown_value, validate_data
from simulation import ConfigError, Organization, check_size, estimated_seconds, resolve_engine

from .design import Design, build_design
from .executors import point_scenario
from .memory import check_memory, run_bytes
from .runner import replicate_seeds
from .storage import FIXED_COLUMNS, ID_COLUMNS
from .sweep_org import OrgSource, check_org_parameters, read_org
from .sweep_spec import SweepSpec

__all__ = ["SweepPlan", "plan_sweep"]

#: rough cost of a run's build and summary, besides its weeks (simulation.estimated_seconds):
#: sizes batches
SECONDS_PER_RUN = 0.005


# -- planning --------------------------------------------------------------------------------
@dataclass
class _Base:
    ref: str
    data: dict[str, Any]
    scenario: Scenario
    digest: str


@dataclass
class SweepPlan:
    """A checked sweep: base scenarios, design, replicate seeds and each point's engine.

    Run ids enumerate scenarios, then points, then replicates:
    ``run_id = (scenario_index * n_points + point) * replicates + replicate``.
    ``organization``: the imported org chart every run meets (None: synthetic ones).
    """

    spec: SweepSpec
    bases: list[_Base]
    design: Design
    seeds: list[int]
    engine: str
    engines: list[list[str]]
    cost: float
    organization: Organization | None = None
    org_source: OrgSource | None = None
    #: the estimated peak memory of the largest run (bytes; experiments.memory)
    memory: int = 0
    #: the longest horizon and the most departments of any run (a design may vary them; an
    #: org chart sets the departments): what one run can store at most (the free-space check)
    max_weeks: int = 0
    max_departments: int = 0

    @property
    def total(self) -> int:
        return len(self.bases) * self.design.n_points * len(self.seeds)

    def locate(self, run_id: int) -> tuple[int, int, int]:
        """(scenario index, point, replicate) of a run id."""
        rest, replicate = divmod(run_id, len(self.seeds))
        s, point = divmod(rest, self.design.n_points)
        return s, point, replicate


def plan_sweep(
    spec: SweepSpec,
    engine: str | None = None,
    design: Design | None = None,
    org: OrgSource | None = None,
) -> SweepPlan:
    """Check everything a sweep will run before it runs: the scenarios, each parameter
    value on its own, every design point (through ``--set``'s path) and the engines.
    ``engine`` overrides the spec's; ``design`` (a stored one) replaces the spec's sampling;
    ``org``: run every point on this org chart (read here, once)."""
    engine = engine or spec.engine
    resolve_engine(engine, 1, 1)  # rejects an unknown engine
    for p in spec.parameters:
        if p.name in ID_COLUMNS or p.name in FIXED_COLUMNS:
            raise ConfigError(
                f"{spec.source}: {p.field}: the name of an output "
                "column; a parameter is a dotted scenario path"
            )
    bases = [_load_base(spec, ref) for ref in spec.scenario_refs()]
    names = [b.scenario.name for b in bases]
    if len(set(names)) < len(names):
        raise ConfigError(
            f"{spec.source}: scenario: two scenarios share a name ({names}); "
            "give them distinct `name` fields"
        )
    organization = None
    if org is not None:
        check_org_parameters(spec)
        organization = read_org(org, bases[0].scenario, spec.seed)
    integer = _integer_flags(spec, bases[0])
    for b in bases:
        _check_values(spec, b, integer)
    design = design if design is not None else build_design(spec, integer)
    seeds = replicate_seeds(spec.seed, spec.replicates)
    runs = len(bases) * design.n_points * len(seeds)
    engines, costs = [], []
    largest: tuple[int, Scenario | None, str, str] = (-1, None, "", "")
    max_weeks = max_departments = 0
    for b in bases:
        row = []
        for p in range(design.n_points):
            where = _where(spec, b, design, p)
            sc = point_scenario(b.data, design.names, design.points[p], where)
            if sc.rule == "social-business" and organization is None:
                try:  # a synthetic organization of this size exists
                    check_size(sc.organization)
                except ConfigError as e:
                    raise ConfigError(f"{where}: {e}") from None
            n = sc.organization.employees if organization is None else organization.n
            max_weeks = max(max_weeks, sc.weeks)
            max_departments = max(max_departments, sc.organization.departments
                                  if organization is None else organization.n_departments)
            name = resolve_engine(engine, n, sc.weeks, runs)
            need = run_bytes(sc, name, organization)
            if need > largest[0]:
                largest = (need, sc, name, where)
            row.append(name)
            costs.append(estimated_seconds(name, n, sc.weeks))
        engines.append(row)
    cost = SECONDS_PER_RUN + (float(np.mean(costs)) if costs else 0.0)
    if largest[1] is not None:  # the largest run fits in memory
        try:
            check_memory(largest[1], largest[2], organization)
        except ConfigError as e:
            raise ConfigError(f"{largest[3]}: {e}") from None
    return SweepPlan(
        spec, bases, design, seeds, engine, engines, cost, organization, org, max(0, largest[0]),
        max_weeks, max_departments,
    )


def _load_base(spec: SweepSpec, ref: str) -> _Base:
    try:
        _, data = scenario_data(ref)
        if spec.weeks is not None:
            data["weeks"] = spec.weeks
        sc = validate_data(data, f"scenario {ref}")
    except ConfigError as e:
        raise ConfigError(f"{spec.source}: scenario: {e}") from None
    # what runs depend on: the text fields (description, claims, tags) may change
    model = sc.model_dump(mode="json", exclude={"description", "claims", "tags"})
    dump = json.dumps(model, sort_keys=True)
    return _Base(ref, data, sc, hashlib.sha256(dump.encode()).hexdigest())


def _field_value(data: Any, name: str) -> Any:
    node = data
    for part in name.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _integer_flags(spec: SweepSpec, base: _Base) -> list[bool]:
    """Whether each range draws whole numbers: as the spec says, else as the scenario's
    field holds (an int field such as organization.employees), else when both bounds are
    whole numbers."""
    dump = base.scenario.model_dump()
    flags = []
    for p in spec.parameters:
        if not p.is_range:
            flags.append(False)
            continue
        current = _field_value(dump, p.name)
        integer = p.integer
        if integer is None and isinstance(current, int | float) and not isinstance(current, bool):
            integer = isinstance(current, int)
        if integer is None:
            integer = isinstance(p.low, int) and isinstance(p.high, int)
        if integer and math.floor(p.high) - math.ceil(p.low) < 1:
            raise ConfigError(
                f"{spec.source}: {p.field}: the whole-number range "
                f"[{p.low}, {p.high}] holds fewer than two whole numbers"
            )
        flags.append(integer)
    return flags


def _check_values(spec: SweepSpec, base: _Base, integer: list[bool]) -> None:
    """Each value of each parameter alone, so that an error names the parameter and value."""
    for p, whole in zip(spec.parameters, integer, strict=True):
        if p.is_range:
            values = [math.ceil(p.low), math.floor(p.high)] if whole else [p.low, p.high]
        else:
            values = list(p.values)
        for v in values:
            where = f"{spec.source}: {p.field} = {shown_value(v)} (scenario {base.ref})"
            point_scenario(base.data, (p.name,), (v,), where)


def _where(spec: SweepSpec, base: _Base, design: Design, point: int) -> str:
    values = ", ".join(f"{n} = {shown_value(v)}" for n, v in design.values(point).items())
    return f"{spec.source}: design point {point} ({values}; scenario {base.ref})"
