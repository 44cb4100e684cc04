"""adoptsim's model layer: organization, people, rule, engines, interventions, metrics.

Knows nothing of files, command lines or screens.
"""

from .config import (
    Conditions,
    Dynamics,
    ModelConfig,
    OrganizationConfig,
    Range,
    SuccessCriterion,
    ValueModel,
)
from .engines import AUTO_NUMBA_AGENT_WEEKS, resolve_engine
from .errors import AdoptsimError, ConfigError, OrganizationError, PlanError
from .generator import generate_organization
from .metrics import RunResult, summarize
from .model import AdoptionModel
from .organization import Organization
from .states import ROLES, STATES

__all__ = [
    "AUTO_NUMBA_AGENT_WEEKS",
    "AdoptionModel",
    "AdoptsimError",
    "Conditions",
    "ConfigError",
    "Dynamics",
    "ModelConfig",
    "Organization",
    "OrganizationConfig",
    "OrganizationError",
    "PlanError",
    "ROLES",
    "Range",
    "RunResult",
    "STATES",
    "SuccessCriterion",
    "ValueModel",
    "generate_organization",
    "resolve_engine",
    "summarize",
]
