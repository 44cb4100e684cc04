"""Veteran reinforcement and new-hire onboarding (claim 5)."""

from __future__ import annotations

from typing import Literal

import numpy as np

from ..params import param
from ..states import ADOPTED, ENGAGED, ROLE_VETERAN
from .base import Deployment, InterventionSpec, Target
from .effects import clip01, commit
from .registry import register

__all__ = ["VeteranReinforcement"]


@register
class VeteranReinforcement(InterventionSpec):
    """Reinforce veterans and onboard new hires into the new way (claim 5)."""

    type: Literal["veteran_reinforcement"]
    target: Target = Target(roles=("veteran",))
    commitment: float = param(
        0.3, 0.0, 1.0, "motivation and trust units", "Veterans asked for their insight buy in."
    )
    onboarding_mastery: float = param(
        0.2, 0.0, 1.0, "mastery units", "New hires learn the new way from day one."
    )
    hours_per_person: float = param(2.0, 0.0, 1e5, "hours per veteran", "Listening sessions.")
    hours_per_person_week: float = param(
        0.25, 0.0, 168.0, "hours per veteran-week", "Mentoring newcomers."
    )

    def on_start(self, r, d: Deployment) -> None:
        super().on_start(r, d)
        commit(r.people, d.people, self.commitment)

    def on_hire(self, r, d: Deployment, idx: np.ndarray) -> None:
        """New hires are onboarded into the new way by the veterans of their department: they
        learn what the veterans do, so each gain is scaled by the active share of the veterans
        in the hire's department (times ``dynamics.veteran_mentoring``). Where veterans have not
        bought in, onboarding passes on nothing (claim 5)."""
        people, org = r.people, r.org
        vet = people.role == ROLE_VETERAN
        active = vet & ((people.state == ADOPTED) | (people.state == ENGAGED))
        k = org.n_departments
        share = np.bincount(org.department, active, k) / np.maximum(
            np.bincount(org.department, vet, k), 1)
        mentored = r.model.config.dynamics.veteran_mentoring * share[org.department[idx]]
        people.mastery[idx] = clip01(people.mastery[idx] + self.onboarding_mastery * mentored)
        people.trust[idx] = clip01(people.trust[idx] + self.commitment * mentored)
        people.purpose[idx] = clip01(people.purpose[idx] + self.commitment * mentored)
