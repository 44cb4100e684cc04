"""The organization-wide quantities interventions may change (one per model)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Environment"]


@dataclass
class Environment:
    """Organization-wide quantities interventions may change."""

    tool_fit: float
    relevance: float
    legacy_fit: float
    visibility: float  # how visible leaders' use is
    outcomes: float = 0.0  # strength of published outcomes
