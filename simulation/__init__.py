"""adoptsim's model layer: organization, people, rule, engines, interventions, metrics.

Knows nothing of files, command lines or screens. Upper layers (scenarios, experiments,
dashboard) import the names below, and the public subpackages :mod:`simulation.interventions`
(the intervention registry and types), :mod:`simulation.classic` (the classic diffusion rules)
and :mod:`simulation.kernels` (the numba flags and helpers for writing kernels); everything
else is the layer's own (``tests/test_layers.py`` checks it).
"""

from . import classic  # noqa: F401  (registers the classic rules)
from .classic_config import RULES, ClassicConfig
from .config import (
    Conditions,
    Dynamics,
    ModelConfig,
    OrganizationConfig,
    Range,
    SuccessCriterion,
    ValueModel,
    VeteranShift,
)
from .engines import (
    AUTO_NUMBA_AGENT_WEEKS,
    ENGINES,
    SECONDS_PER_AGENT_WEEK,
    EngineName,
    estimated_seconds,
    resolve_engine,
)
from .errors import AdoptsimError, ConfigError, OrganizationError, PlanError
from .events import ACTING_KINDS, EVENT_KINDS, Event, EventDetector, EventRules, detect_events
from .generator import check_size, generate_organization
from .metrics import RunResult, summarize
from .model import AdoptionModel
from .organization import WEIGHT_SCALE, Organization, OrgChart, depth_of
from .params import Frozen, param, param_table
from .rule_registry import Rule, registered_rules, rule_named
from .states import ROLE_CODES, ROLES, STATES

__all__ = [
    "AUTO_NUMBA_AGENT_WEEKS",
    "AdoptionModel",
    "AdoptsimError",
    "ClassicConfig",
    "Conditions",
    "ConfigError",
    "Dynamics",
    "ENGINES",
    "ACTING_KINDS",
    "EVENT_KINDS",
    "EngineName",
    "Event",
    "EventDetector",
    "EventRules",
    "Frozen",
    "ModelConfig",
    "OrgChart",
    "Organization",
    "OrganizationConfig",
    "OrganizationError",
    "PlanError",
    "ROLES",
    "ROLE_CODES",
    "RULES",
    "Range",
    "Rule",
    "RunResult",
    "SECONDS_PER_AGENT_WEEK",
    "STATES",
    "SuccessCriterion",
    "ValueModel",
    "VeteranShift",
    "WEIGHT_SCALE",
    "check_size",
    "depth_of",
    "detect_events",
    "estimated_seconds",
    "generate_organization",
    "param",
    "param_table",
    "registered_rules",
    "resolve_engine",
    "rule_named",
    "summarize",
]
