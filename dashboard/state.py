"""The session's state, in one place.

Every ``solara.reactive`` value here is per browser session (Solara keeps one value per
virtual kernel): two people using the same server never see each other's plans, uploads or
results. Values are frozen dataclasses and tuples, replaced, never mutated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import solara

from experiments import DEFAULT_SEED

__all__ = [
    "DEFAULT_PLANS",
    "BuiltPlan",
    "Draft",
    "DraftItem",
    "NetworkChoice",
    "OrgChoice",
    "RunSettings",
    "Upload",
    "built_plans",
    "draft",
    "network",
    "org",
    "plans",
    "run_settings",
    "sweep_dir",
]

#: the comparison a new session starts with (the headline of the practitioners' sources)
DEFAULT_PLANS = ("provide-and-pray", "goal-led-communities", "bootstrap")
MAX_PLANS = 4


@dataclass(frozen=True)
class Upload:
    """A file a user uploaded: their name for it, where the session keeps it, its size."""

    name: str
    path: str
    size: int


@dataclass(frozen=True)
class OrgChoice:
    """The organization the plans run on: synthetic (``values``: the organization and
    condition settings that differ from the scenario, as ``--set`` takes them), or an
    uploaded org chart (and tie list), checked by the import when uploaded."""

    source: str = "synthetic"  # "synthetic" | "upload"
    values: tuple[tuple[str, Any], ...] = ()
    org_chart: Upload | None = None
    ties: Upload | None = None
    people: int | None = None  # head count of the uploaded org chart, once checked
    departments: tuple[str, ...] = ()  # of the uploaded org chart, once checked

    def value(self, key: str, default: Any = None) -> Any:
        return dict(self.values).get(key, default)

    def with_value(self, key: str, value: Any) -> OrgChoice:
        kept = tuple((k, v) for k, v in self.values if k != key)
        return OrgChoice(self.source, kept if value is None else (*kept, (key, value)),
                         self.org_chart, self.ties, self.people, self.departments)


@dataclass(frozen=True)
class RunSettings:
    replicates: int = 40
    seed: int = DEFAULT_SEED
    weeks: int = 104


@dataclass(frozen=True)
class BuiltPlan:
    """A plan built in the page, kept as the TOML text `adoptsim run` accepts."""

    name: str
    toml: str


@dataclass(frozen=True)
class DraftItem:
    """One intervention being edited: its type and the values entered (dotted keys)."""

    type: str
    values: tuple[tuple[str, Any], ...] = ()

    def value(self, key: str, default: Any = None) -> Any:
        return dict(self.values).get(key, default)

    def with_value(self, key: str, value: Any) -> DraftItem:
        kept = tuple((k, v) for k, v in self.values if k != key)
        return DraftItem(self.type, kept if value is None else (*kept, (key, value)))


@dataclass(frozen=True)
class Draft:
    """The plan in the builder."""

    name: str = "my-plan"
    description: str = ""
    items: tuple[DraftItem, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class NetworkChoice:
    plan: str | None = None
    replicate: int = 0
    week: int | None = None  # None: the horizon


plans = solara.reactive(DEFAULT_PLANS)  # library names or names of built plans
built_plans: solara.Reactive[tuple[BuiltPlan, ...]] = solara.reactive(())
draft = solara.reactive(Draft())
org = solara.reactive(OrgChoice())
run_settings = solara.reactive(RunSettings())
network = solara.reactive(NetworkChoice())
sweep_dir = solara.reactive("")
