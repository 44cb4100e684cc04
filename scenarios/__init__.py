"""The scenario language and library: TOML scenarios validated into typed objects, overrides,
and org-chart import."""

from .loader import (
    LIBRARY,
    builtin_names,
    late_interventions,
    load_scenario,
    parse_override,
    read_toml,
    scenario_to_toml,
)
from .orgchart import load_org_chart
from .schema import Scenario

__all__ = [
    "LIBRARY",
    "Scenario",
    "builtin_names",
    "late_interventions",
    "load_org_chart",
    "load_scenario",
    "parse_override",
    "read_toml",
    "scenario_to_toml",
]
