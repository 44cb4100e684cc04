"""What every intervention has: a schedule, a target, a cost model, and effects hooks.

An intervention type is one class derived from :class:`InterventionSpec`, in its own module of
this package. The class is both the typed spec a scenario's ``[[plan]]`` entry is validated
into (its pydantic fields, each with a default, range, unit and reason) and the home of its
effects: the hooks below, which the :class:`~simulation.interventions.rollout.Rollout` calls.
Every hook has a default that does nothing (``on_start``: reach the target), so a type
overrides only what it does. Effects change attributes, ties, environment or schedules, never an
adoption outcome.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Literal

import numpy as np
from pydantic import Field, model_validator

from ..params import Frozen, param
from ..states import ROLES

if TYPE_CHECKING:
    from .rollout import Rollout

__all__ = ["Deployment", "InterventionSpec", "RoleName", "Target"]

RoleName = Literal[ROLES]


class Target(Frozen):
    """Who an intervention reaches: eligible = roles x departments; then a share or a count."""

    roles: tuple[RoleName, ...] | None = Field(None, description="Roles reached (all if unset).")
    departments: tuple[str, ...] | None = Field(
        None, description="Department names reached (all if unset)."
    )
    share: float | None = Field(None, gt=0.0, le=1.0, description="Share of the eligible.")
    count: int | None = Field(None, ge=1, description="Number of the eligible.")

    @model_validator(mode="after")
    def _one_size(self) -> Target:
        if self.share is not None and self.count is not None:
            raise ValueError("give either share or count, not both")
        return self


class Deployment:
    """One intervention of a plan at run time: its spec and what it did (whom it reached)."""

    def __init__(self, spec: InterventionSpec, index: int, horizon: int):
        self.spec = spec
        self.index = index
        self.first = spec.start
        self.last = spec.last_week(horizon)
        self.people = np.empty(0, np.int64)  # who it reached (chosen at its start)
        self.groups = np.empty(0, np.int64)  # communities it created
        self.approached: int | None = None  # people worked on, if more than it reached
        self.notes: dict[str, Any] = {}  # a type's own run-time record (e.g. whom it coaches)

    @property
    def name(self) -> str:
        return f"plan[{self.index}] ({self.spec.type})"

    def active(self, week: int) -> bool:
        return self.first <= week <= self.last


class InterventionSpec(Frozen):
    """Base of every intervention: schedule, target and cost fields, and the effects hooks.

    A subclass declares ``type: Literal["its_tag"]`` (the TOML ``type``; after the base
    fields, so that every spec dumps them in the same order), its own documented fields, and
    overrides the hooks it needs; :func:`~simulation.interventions.register` adds it to the
    registry.
    """

    #: duration when ``end`` is unset (None: to the horizon)
    default_weeks: ClassVar[int | None] = None
    #: the people it involves hear of the new way of working while it is active
    informs: ClassVar[bool] = True
    #: it makes the platform available: the run's ``launch_week`` is its first start
    launches: ClassVar[bool] = False
    #: extra lines of the PLAYBOOK's TOML example (commented usage notes)
    example_notes: ClassVar[tuple[str, ...]] = ()

    start: int = Field(0, ge=0, le=1040, description="First week the intervention acts.")
    end: int | None = Field(
        None, ge=0, le=1040, description="Last week it acts (inclusive); unset = to the horizon."
    )
    target: Target = Target()
    label: str | None = Field(None, description="Free text shown in reports.")
    money_fixed: float = param(0.0, 0.0, 1e12, "money", "One-off cost.")
    money_per_person: float = param(0.0, 0.0, 1e9, "money per person reached", "One-off cost.")
    hours_per_person: float = param(0.0, 0.0, 1e5, "hours per person reached", "One-off time.")
    hours_per_person_week: float = param(
        0.0, 0.0, 168.0, "hours per person-week", "Recurring time while active."
    )

    @model_validator(mode="after")
    def _ordered(self) -> InterventionSpec:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end (week {self.end}) is before start (week {self.start})")
        return self

    def last_week(self, horizon: int) -> int:
        """Last week the intervention acts (inclusive)."""
        if self.end is not None:
            return self.end
        if self.default_weeks is not None:
            return self.start + self.default_weeks - 1
        return horizon

    # -- effects: the rollout calls these --------------------------------------------------
    def change_points(self, d: Deployment) -> tuple[int, ...]:
        """Weeks, besides its first and the one after its last, when its effects change."""
        return ()

    def on_start(self, r: Rollout, d: Deployment) -> None:
        """Once, in its first week: choose whom it reaches (``d.people``) and make its
        permanent changes (a course raises skill, a mandate costs autonomy)."""
        d.people = r.choose(self.target)

    def contribute(self, r: Rollout, d: Deployment, week: int) -> None:
        """While active, at every change point of the plan: add its lasting-while-active
        modifiers (reach, push, access, helper support...) to the freshly reset ones."""

    def after_end(self, r: Rollout, d: Deployment, week: int) -> None:
        """After its last week, at every change point: any aftermath (a withdrawal)."""

    def between_changes(self, r: Rollout, d: Deployment, week: int) -> None:
        """While active, in every week that is not a change point (follow a moving target)."""

    def on_stop(self, r: Rollout, d: Deployment) -> None:
        """Once, in the week after its last: undo or settle what it set up."""

    def on_hire(self, r: Rollout, d: Deployment, idx: np.ndarray) -> None:
        """While active, when the people at ``idx`` are hired."""

    def extra_hours(self, d: Deployment, active_weeks: int) -> float:
        """Staff hours beyond the per-person ones (a community manager's, an analyst's)."""
        return 0.0
