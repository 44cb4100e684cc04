"""The scenario language and library: TOML scenarios validated into typed objects, overrides,
and org-chart import."""

from .edgelist import read_edge_list
from .lesson import LESSONS, Lesson, lesson_names, lesson_path, load_lesson
from .loader import (
    LIBRARY,
    builtin_names,
    format_errors,
    late_interventions,
    load_scenario,
    parse_override,
    read_toml,
    scenario_data,
    scenario_to_toml,
    set_value,
    shown_value,
    type_problem,
    validate_data,
)
from .orgchart import load_org_chart, read_org_chart
from .schema import Scenario

__all__ = [
    "LESSONS",
    "LIBRARY",
    "Lesson",
    "Scenario",
    "builtin_names",
    "format_errors",
    "late_interventions",
    "lesson_names",
    "lesson_path",
    "load_lesson",
    "load_org_chart",
    "load_scenario",
    "parse_override",
    "read_edge_list",
    "read_org_chart",
    "read_toml",
    "scenario_data",
    "scenario_to_toml",
    "set_value",
    "shown_value",
    "type_problem",
    "validate_data",
]
