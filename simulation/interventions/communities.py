"""Communities of practice around real goals, with community managers (claim 2)."""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field, model_validator

from ..params import param
from .base import Deployment, InterventionSpec
from .effects import clip01
from .registry import register
from .targeting import top_k

__all__ = ["Communities"]


@register
class Communities(InterventionSpec):
    """Communities of practice around real goals, one per department (claim 2).

    ``target`` picks the roles and departments; in each targeted department, ``members`` of
    its eligible people found the community (or ``target.count`` founders per department)."""

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
    managers: bool = Field(True, description="Each community gets a strong community manager.")
    manager_strength: float = param(
        0.8, 0.0, 1.0, "helper units", "Strong community managers lead and give direction."
    )
    purpose_gain: float = param(0.15, 0.0, 1.0, "purpose units", "A shared goal gives purpose.")
    community_gain: float = param(0.25, 0.0, 1.0, "community units", "Belonging.")
    hours_per_person_week: float = param(
        1.0, 0.0, 168.0, "hours per member-week", "Members' time in community work."
    )
    manager_hours_week: float = param(
        8.0, 0.0, 168.0, "hours per community-week", "A community manager's time."
    )

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
        """One community of practice per targeted department, of volunteers."""
        people, org = r.people, r.org
        volunteer = r.volunteers()
        before = people.n_communities
        eligible = r.eligible(self.target) & (people.community < 0)
        chosen = []
        for dept in np.unique(org.department[eligible]):
            pool = np.flatnonzero(eligible & (org.department == dept))
            k = int(round(self.members * pool.size))
            if self.target.count is not None:
                k = min(pool.size, self.target.count)
            if k < 2:
                continue
            u = r.rng.random(pool.size)
            keys = u ** (1.0 / np.maximum(volunteer[pool], 1e-9))
            members = np.sort(pool[top_k(keys, k)])
            r.new_community(members, self.goal_fit, self.manager_strength if self.managers else 0.0)
            people.dept_community[dept] = people.n_communities - 1
            chosen.append(members)
        idx = np.concatenate(chosen) if chosen else np.empty(0, np.int64)
        people.purpose[idx] = clip01(people.purpose[idx] + self.purpose_gain)
        people.community_drive[idx] = clip01(people.community_drive[idx] + self.community_gain)
        d.people = idx
        d.groups = np.arange(before, people.n_communities)

    def on_stop(self, r, d: Deployment) -> None:
        """The communities dissolve."""
        people = r.people
        people.community[np.isin(people.community, d.groups)] = -1
        people.dept_community[np.isin(people.dept_community, d.groups)] = -1

    def extra_hours(self, d: Deployment, active_weeks: int) -> float:
        return self.manager_hours_week * d.groups.size * active_weeks if self.managers else 0.0
