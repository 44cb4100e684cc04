"""Communities of practice around real goals, with community managers (claim 2).

A community manager is a person with a week of hours: ``manager_hours_week`` each, of which a
member needs ``hours_per_member`` to be supported well. A community's ``managers`` therefore
support ``managers x manager_hours_week / hours_per_member`` members well (its capacity); the
help each member gets, ``manager_strength x min(1, capacity / members)``, thins as the
community outgrows its managers (:func:`simulation.engines.decision_view` computes it every
week from the head counts both engines share)."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field, field_validator, model_validator

from ..params import param
from .base import Deployment, InterventionSpec
from .effects import clip01
from .registry import register
from .targeting import top_k

__all__ = ["Communities"]


@register
class Communities(InterventionSpec):
    """Communities of practice around real goals, per department or across them (scope; claim 2).

    One per targeted department, or one across the targeted departments (``scope =
    "across"``); see ODD 7.7 for managers' capacity and the cross-department community.
    ``target`` picks the roles and departments; in each targeted department, ``members`` of
    its eligible people found the community (or ``target.count`` founders per department).
    Each community has ``managers`` community managers."""

    example_notes: ClassVar[tuple[str, ...]] = (
        'target = { departments = ["Sales", "Claims", "Client Service"] }',
    )
    type: Literal["communities"]
    goal_fit: float = param(
        0.8, 0.0, 1.0, "[0,1]", "A goal meaningful to members and relevant to the business."
    )
    members: float = param(
        0.3,
        0.0,
        1.0,
        "share of the target",
        "Volunteers, more likely the more purpose and community drive them.",
    )
    scope: Literal["department", "across"] = Field(
        "department",
        description="'department': one community per targeted department, which its people "
        "can join; 'across': one community whose founders come from every targeted department "
        "and which people of any of them can join (cross-department ties inside it).",
    )
    managers: int = param(
        1,
        0,
        1000,
        "community managers per community",
        "One strong community manager per community [S1]. People, with a cost: each adds "
        "manager_hours_week to the plan's hours and supports capacity members well. "
        "(true/false in older scenarios read as 1/0.)",
    )
    manager_strength: float = param(
        0.8,
        0.0,
        1.0,
        "helper units",
        "Strong community managers lead and give direction: the help a member gets while "
        "the managers have the time a member needs.",
    )
    hours_per_member: float = param(
        0.06,
        0.001,
        40.0,
        "manager hours per member-week",
        "About 1.5 full-time support staff per 1,000 members of a community of practice "
        "(N. Milton's 2011 survey of community sizes and support, practitioner data, "
        "scattered): 60 h / 1,000 members a week.",
    )
    purpose_gain: float = param(0.15, 0.0, 1.0, "purpose units", "A shared goal gives purpose.")
    community_gain: float = param(0.25, 0.0, 1.0, "community units", "Belonging.")
    hours_per_person_week: float = param(
        1.0, 0.0, 168.0, "hours per member-week", "Members' time in community work."
    )
    manager_hours_week: float = param(
        8.0, 0.0, 168.0, "hours per manager-week", "A community manager's time: a day a week."
    )

    @field_validator("managers", mode="before")
    @classmethod
    def _managers_number(cls, v):
        """A number of managers; older scenarios' ``managers = true/false`` mean 1 and 0."""
        if isinstance(v, float) and not v.is_integer():
            raise ValueError(
                f"managers is a number of community managers per community (now {v:g}): "
                "give a whole number >= 0"
            )
        return v

    @property
    def capacity(self) -> float:
        """Members a community's managers support well (0 without managers)."""
        return self.managers * self.manager_hours_week / self.hours_per_member

    @model_validator(mode="after")
    def _no_target_share(self) -> Communities:
        if self.target.share is not None:
            raise ValueError(
                "communities take the share of each department's people who found its "
                "community from 'members' (now "
                f"{self.members:g}); target.share = {self.target.share:g} would be ignored: "
                "set members instead"
            )
        return self

    def on_start(self, r, d: Deployment) -> None:
        """One community of practice per targeted department, of volunteers; with ``scope =
        "across"`` the departments' founders form one community, open to all of them."""
        people, org = r.people, r.org
        volunteer = r.volunteers()
        before = people.n_communities
        eligible = r.eligible(self.target) & (people.community < 0)
        across = self.scope == "across"
        chosen, depts = [], []
        for dept in np.unique(org.department[eligible]):
            pool = np.flatnonzero(eligible & (org.department == dept))
            k = int(round(self.members * pool.size))
            if self.target.count is not None:
                k = min(pool.size, self.target.count)
            if k < (1 if across else 2):
                continue
            u = r.rng.random(pool.size)
            keys = u ** (1.0 / np.maximum(volunteer[pool], 1e-9))
            members = np.sort(pool[top_k(keys, k)])
            if not across:
                self._found(r, members, [dept])
            chosen.append(members)
            depts.append(dept)
        idx = np.concatenate(chosen) if chosen else np.empty(0, np.int64)
        if across and idx.size >= 2:
            idx = np.sort(idx)
            self._found(r, idx, depts)
        elif across:
            idx = np.empty(0, np.int64)
        people.purpose[idx] = clip01(people.purpose[idx] + self.purpose_gain)
        people.community_drive[idx] = clip01(people.community_drive[idx] + self.community_gain)
        d.people = idx
        d.groups = np.arange(before, people.n_communities)

    def _found(self, r, members: np.ndarray, depts) -> None:
        """A community of ``members``, open to the people of ``depts``."""
        helper = self.manager_strength if self.managers > 0 else 0.0
        r.new_community(members, self.goal_fit, helper, self.capacity)
        r.people.dept_community[depts] = r.people.n_communities - 1

    def on_stop(self, r, d: Deployment) -> None:
        """The communities dissolve."""
        people = r.people
        people.community[np.isin(people.community, d.groups)] = -1
        people.dept_community[np.isin(people.dept_community, d.groups)] = -1

    def extra_hours(self, d: Deployment, active_weeks: int) -> float:
        """Each community's managers' time: managers x manager_hours_week a week."""
        return self.managers * self.manager_hours_week * d.groups.size * active_weeks
