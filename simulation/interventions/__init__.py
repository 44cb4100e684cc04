"""Interventions: the building blocks of a rollout plan, one module per type.

Each module holds one type: its typed spec (fields with defaults, ranges, units and reasons)
and its effects (the hooks of :class:`InterventionSpec`). Each registers itself
(:func:`register`); the registry is the one list from which the plan's entry type, the TOML
``type`` tags, the parameter tables of the docs and a form's fields are derived. The rollout
(:class:`simulation.interventions.rollout.Rollout`, the model's own) applies a plan to a model
week by week. Adding an intervention: CONTRIBUTING.md.
An intervention only changes agent attributes, ties, environment or schedules; it never sets an
adoption outcome.
"""

from __future__ import annotations

# ruff: noqa: I001  (the built-in types register in the order they are imported below)
from ..params import param
from .base import Deployment, InterventionSpec, RoleName, Target
from .effects import clip01, commit
from .registry import (
    PlanItem,
    intervention_types,
    parameters,
    register,
    spec_class,
    tag_of,
    tags,
    unregister,
)
from .targeting import top_k

# the built-in types, in the order of the docs' tables and of the messages listing types
from .launch_platform import LaunchPlatform
from .marketing_campaign import MarketingCampaign
from .mandate import Mandate
from .education import Education
from .communities import Communities
from .council import Council
from .center_of_excellence import CenterOfExcellence
from .champion_tribe import ChampionTribe
from .executive_sponsorship import ExecutiveSponsorship
from .manager_engagement import ManagerEngagement
from .veteran_reinforcement import VeteranReinforcement
from .win_over_critics import WinOverCritics
from .pilot_tools import PilotTools
from .gamification import Gamification
from .publish_outcomes import PublishOutcomes

__all__ = [
    "CenterOfExcellence",
    "ChampionTribe",
    "Communities",
    "Council",
    "Deployment",
    "Education",
    "ExecutiveSponsorship",
    "Gamification",
    "InterventionSpec",
    "LaunchPlatform",
    "Mandate",
    "ManagerEngagement",
    "MarketingCampaign",
    "PilotTools",
    "PlanItem",
    "PublishOutcomes",
    "RoleName",
    "Target",
    "VeteranReinforcement",
    "WinOverCritics",
    "clip01",
    "commit",
    "intervention_types",
    "param",
    "parameters",
    "register",
    "spec_class",
    "tag_of",
    "tags",
    "top_k",
    "unregister",
]
