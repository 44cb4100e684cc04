"""A comparison as an interactive tool makes it: plans with the same settings applied, an
organization (synthetic, or an imported org chart), runs through :func:`experiments.compare`
on any executor, and the summaries.

The scenarios are built the way ``adoptsim compare SCENARIO... --set KEY=VALUE`` builds them
(the settings set on each plan's raw data through the ``--set`` path, then validated), the
organization is imported as ``--org-csv/--ties-csv`` imports it (with the first plan's
organization settings and the root seed), and the runs are those of :func:`compare`, the
function the command runs: for the same inputs the numbers are those of the command line.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from scenarios import (
    Scenario,
    late_interventions,
    load_org_chart,
    scenario_data,
    set_value,
    validate_data,
)
from simulation import ROLES, ConfigError, Organization, RunResult, generate_organization

from .compare import ScenarioSummary, compare, compare_specs
from .runner import RunSpec

__all__ = [
    "Comparison",
    "OrgPreview",
    "PlanSource",
    "build_scenarios",
    "import_organization",
    "preview_organization",
    "run_comparison",
]

#: a library plan by name, or a plan's raw scenario data (as a TOML file would hold it)
PlanSource = str | Mapping[str, Any]


def build_scenarios(
    plans: Sequence[PlanSource], settings: Mapping[str, Any], *, allow_late: bool = False
) -> list[Scenario]:
    """Each plan with ``settings`` (dotted scenario paths -> values, as ``--set`` takes them)
    applied, validated. Raises :class:`ConfigError` naming the plan and the field; like the
    command line, a plan entry that starts at or after the horizon (it would never act) is an
    error unless ``allow_late`` (``--allow-late-interventions``)."""
    if not 1 <= len(plans) <= 8:
        raise ConfigError(f"compare 1 to 8 plans, not {len(plans)}")
    out = []
    for plan in plans:
        if isinstance(plan, str):
            path, data = scenario_data(plan)
            source = str(path) if path.stem != plan else plan
        else:
            data = copy.deepcopy(dict(plan))
            source = f"plan {data.get('name', 'unnamed')!r}"
        for key, value in settings.items():
            set_value(data, key, copy.deepcopy(value), f"{source}: setting {key!r}")
        scenario = validate_data(data, source, overridden=bool(settings))
        late = late_interventions(scenario)
        if late and not allow_late:
            raise ConfigError(
                f"{source}: " + "; ".join(late) + ". Move the start or lengthen the horizon "
                "(weeks)"
            )
        out.append(scenario)
    names = [s.name for s in out]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ConfigError(f"plans given more than once (or sharing a name): {', '.join(dupes)}")
    return out


def import_organization(
    org_csv: str | Path, ties_csv: str | Path | None, scenario: Scenario, seed: int
) -> Organization:
    """An org chart (and tie list) as ``adoptsim compare --org-csv --ties-csv`` imports it:
    with ``scenario``'s organization settings and a generator seeded with the root seed."""
    return load_org_chart(org_csv, ties_csv, scenario.organization, np.random.default_rng(seed))


@dataclass(frozen=True)
class OrgPreview:
    """What an organization looks like before anything runs."""

    people: int
    departments: tuple[str, ...]
    veteran_share: float  # individual contributors with the veteran tenure or more (of staff)
    manager_share: float  # middle managers and leaders (of staff)


#: a synthetic organization's shares are estimated on at most this many people
_PREVIEW_PEOPLE = 5_000


def preview_organization(scenario: Scenario, org: Organization | None = None) -> OrgPreview:
    """Head count, departments and role shares of ``org`` (an imported org chart), or of the
    synthetic organization ``scenario`` describes (shares estimated on a sample of it)."""
    cfg = scenario.organization
    if org is None:
        size = min(cfg.employees, _PREVIEW_PEOPLE)
        sample = cfg.model_copy(update={"employees": size})
        org = generate_organization(sample, np.random.default_rng(0))
        people = cfg.employees
    else:
        people = org.n
    ic = org.position == 0  # individual contributors (Organization.position)
    veteran = ic & (org.tenure_years >= cfg.veteran_years)
    if org.role_override is not None:  # roles given in the org chart win
        given = org.role_override >= 0
        veteran = np.where(given, org.role_override == ROLES.index("veteran"), veteran)
    return OrgPreview(
        people,
        tuple(org.department_names),
        float(veteran.mean()),
        float((~ic).mean()),
    )


@dataclass(frozen=True)
class Comparison:
    """Plans over the same replicate organizations: what was asked and what came out."""

    scenarios: tuple[Scenario, ...]
    replicates: int
    seed: int
    engine: str
    specs: tuple[RunSpec, ...]
    summaries: tuple[ScenarioSummary, ...]
    organization: Organization | None = None

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.scenarios]

    @property
    def seeds(self) -> list[int]:
        """Replicate r's seed (the same organization under every plan)."""
        return [s.seed for s in self.specs[: self.replicates]]

    def runs(self, name: str) -> list[RunResult]:
        return self.summaries[self.names.index(name)].runs

    def spec(self, name: str, replicate: int) -> RunSpec:
        return self.specs[self.names.index(name) * self.replicates + replicate]


def run_comparison(
    scenarios: Sequence[Scenario],
    *,
    replicates: int,
    seed: int,
    engine: str = "auto",
    organization: Organization | None = None,
    **run_options: Any,
) -> Comparison:
    """Run every plan on the same ``replicates`` organizations: :func:`compare`, what
    ``adoptsim compare`` runs. ``run_options`` go to it (``workers``, ``executor``: a
    :class:`experiments.pool.WarmPool` job keeps warm workers and can be stopped;
    ``progress``)."""
    if replicates < 1:
        raise ConfigError(f"replicates = {replicates}: give at least 1")
    scenarios = list(scenarios)
    options = {"replicates": replicates, "seed": seed, "engine": engine,
               "organization": organization}
    summaries = compare(scenarios, **options, **run_options)
    specs = compare_specs(scenarios, **options)
    return Comparison(
        tuple(scenarios), replicates, seed, engine, tuple(specs), tuple(summaries), organization
    )
