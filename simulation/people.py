"""People: per-person attributes and adoption state, as arrays (structure of arrays).

Everything that changes during a run lives here: adoption state, motivation components, trust,
influence, threshold, critic flag, community membership, role (veterans by tenure, new hires),
and the per-person modifiers interventions set (reach, push, helper support, mandate...).
Mesa agents (:mod:`simulation.agents`) hold only an index into these arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .organization import IC, LEADER_POS, MANAGER_POS, Organization
from .states import ROLE_EMPLOYEE, ROLE_LEADER, ROLE_MANAGER, ROLE_VETERAN, UNAWARE

if TYPE_CHECKING:
    from .config import OrganizationConfig

__all__ = ["MODIFIERS", "People", "draw_people", "hire", "role_of"]

INFLUENCE_SCALE = 100  # influence is used as an integer (1.0 == 100) so sums are exact
#: fixed personal attributes and intervention modifiers are stored in single precision (half the
#: memory traffic of the weekly pass); both engines read them into double precision, and trust
#: and mastery, which change every week, stay double
F32 = np.float32

#: the modifiers interventions set, and their value when none acts (the rollout resets them to
#: this and adds every active intervention's contribution at each change point of the plan)
MODIFIERS = {
    "reach": 0.0,
    "push": 0.0,
    "helper": 0.0,
    "support_boost": 0.0,
    "compliance": 0.0,
    "fatigue": 0.0,
    "access": False,
}


@dataclass(eq=False)
class People:
    """Per-person arrays, all of length n (index = position in the organization)."""

    state: np.ndarray  # int8 adoption state
    role: np.ndarray  # int8 ROLE_*
    role_pinned: np.ndarray  # bool: role given by the org chart (not derived from tenure)
    hired_week: np.ndarray  # int32 (negative: hired before the run)
    autonomy: np.ndarray  # float32 [0,1]
    mastery: np.ndarray  # float64 [0,1]
    purpose: np.ndarray
    community_drive: np.ndarray  # the "community" motivator (belonging)
    trust: np.ndarray  # float64 [0,1]
    threshold: np.ndarray  # float32 [0,1]
    influence: np.ndarray  # int64, INFLUENCE_SCALE == 1.0
    critic: np.ndarray  # bool
    attitude: np.ndarray  # float32 [-1,1]: a manager's support for the new way
    community: np.ndarray  # int32 community index, -1 none
    champion: np.ndarray  # bool: member of the champion tribe
    # modifiers set by interventions (recomputed when the schedule changes)
    access: np.ndarray  # bool: the platform is available to this person
    reach: np.ndarray  # float32 broadcast intensity per week
    push: np.ndarray  # float32 extrinsic nudge
    helper: np.ndarray  # float32 support from a champion or expert
    support_boost: np.ndarray  # float32 added to a manager's attitude while engaged
    compliance: np.ndarray  # float32 weekly sign-up probability under a mandate
    fatigue: np.ndarray  # float32 mandate / gamification-withdrawal fatigue
    # communities (created by interventions); a department's open community can be joined
    community_goal: np.ndarray = field(default_factory=lambda: np.zeros(0))
    community_helper: np.ndarray = field(default_factory=lambda: np.zeros(0))
    dept_community: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))

    @property
    def n(self) -> int:
        return int(self.state.shape[0])

    @property
    def n_communities(self) -> int:
        return int(self.community_goal.shape[0])


def role_of(position: np.ndarray, tenure_weeks: np.ndarray, veteran_weeks: int) -> np.ndarray:
    """Role from the slot (leader, middle manager) or, for contributors, from tenure."""
    role = np.where(tenure_weeks >= veteran_weeks, ROLE_VETERAN, ROLE_EMPLOYEE)
    role = np.where(position == MANAGER_POS, ROLE_MANAGER, role)
    role = np.where(position == LEADER_POS, ROLE_LEADER, role)
    return role.astype(np.int8)


def draw_people(
    org: Organization, cfg: OrganizationConfig, cond: dict[str, float], rng: np.random.Generator
) -> People:
    """Everyone's attributes at week 0, drawn from the organization's conditions."""
    n = org.n
    hired_week = -np.rint(org.tenure_years * 52).astype(np.int32)
    role = role_of(org.position, -hired_week, round(cfg.veteran_years * 52))
    pinned = np.zeros(n, bool)
    if org.role_override is not None:
        pinned = org.role_override >= 0
        role = np.where(pinned, org.role_override, role).astype(np.int8)
    people = People(
        state=np.full(n, UNAWARE, np.int8),
        role=role,
        role_pinned=pinned,
        hired_week=hired_week,
        autonomy=np.zeros(n, F32),
        mastery=np.zeros(n),
        purpose=np.zeros(n, F32),
        community_drive=np.zeros(n, F32),
        trust=np.zeros(n),
        threshold=np.zeros(n, F32),
        influence=np.zeros(n, np.int64),
        critic=np.zeros(n, bool),
        attitude=np.zeros(n, F32),
        community=np.full(n, -1, np.int32),
        champion=np.zeros(n, bool),
        access=np.zeros(n, bool),
        reach=np.zeros(n, F32),
        push=np.zeros(n, F32),
        helper=np.zeros(n, F32),
        support_boost=np.zeros(n, F32),
        compliance=np.zeros(n, F32),
        fatigue=np.zeros(n, F32),
        dept_community=np.full(org.n_departments, -1, np.int32),
    )
    _draw_attributes(people, np.arange(n), org, cfg, cond, rng)
    return people


def _draw_attributes(people, idx, org, cfg, cond, rng) -> None:
    """(Re)draw the personal attributes of the people at ``idx`` (fixed draw order)."""
    k = idx.shape[0]
    role = people.role[idx]
    vet = role == ROLE_VETERAN
    shift = np.where(vet, cond["veteran_attitude"], 0.0)
    mot = cond["motivation"]
    sd = cfg.motivation_sd
    people.autonomy[idx] = np.clip(rng.normal(mot, sd, k) + 0.2 * shift, 0.0, 1.0)
    people.mastery[idx] = np.clip(rng.normal(mot, sd, k), 0.0, 1.0)
    people.purpose[idx] = np.clip(rng.normal(mot, sd, k) + 0.3 * shift, 0.0, 1.0)
    people.community_drive[idx] = np.clip(rng.normal(mot, sd, k) + 0.3 * shift, 0.0, 1.0)
    people.trust[idx] = np.clip(rng.normal(cond["trust"], cfg.trust_sd, k) + 0.3 * shift, 0, 1)
    people.threshold[idx] = np.clip(
        rng.normal(cfg.threshold_mean, cfg.threshold_sd, k) - 0.2 * shift, 0.0, 1.0
    )
    people.critic[idx] = rng.random(k) < cond["critics"]
    sigma = cfg.influence_sigma
    informal = rng.lognormal(-0.5 * sigma * sigma, sigma, k)
    formal = np.select(
        [role == ROLE_LEADER, role == ROLE_MANAGER, role == ROLE_VETERAN],
        [cfg.influence_leader, cfg.influence_manager, cfg.influence_veteran],
        1.0,
    )
    people.influence[idx] = np.maximum(1, np.rint(formal * informal * INFLUENCE_SCALE))
    people.attitude[idx] = np.where(
        org.position[idx] != IC,
        np.clip(rng.normal(cond["manager_attitude"], 0.3, k), -1.0, 1.0),
        0.0,
    )


def hire(
    people: People,
    idx: np.ndarray,
    week: int,
    org: Organization,
    cfg: OrganizationConfig,
    cond: dict[str, float],
    rng: np.random.Generator,
) -> None:
    """New hires replace the leavers at ``idx``: same slot, new person, tenure 0."""
    people.state[idx] = UNAWARE
    people.hired_week[idx] = week
    people.role_pinned[idx] = False
    people.role[idx] = role_of(org.position[idx], np.zeros(idx.shape[0]), 1)
    people.community[idx] = -1
    people.champion[idx] = False
    _draw_attributes(people, idx, org, cfg, cond, rng)
