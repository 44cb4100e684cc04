"""One error hierarchy for everything a user can get wrong.

Every message names *what* is wrong and *where* (file, row, column or field), the value, and the
allowed range or the fix. The command line turns these into exit code 2 with no traceback.
"""

from __future__ import annotations

__all__ = ["AdoptsimError", "ConfigError", "OrganizationError", "PlanError"]


class AdoptsimError(Exception):
    """Base class: bad input from a user (exit code 2 on the command line)."""


class ConfigError(AdoptsimError):
    """A parameter, scenario field or command-line value is invalid."""


class OrganizationError(AdoptsimError):
    """An imported org chart or tie list is invalid (names file, row and column)."""


class PlanError(ConfigError):
    """An intervention plan is impossible for this organization (names the intervention)."""
