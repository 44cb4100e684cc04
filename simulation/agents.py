"""Mesa agents: employees, middle managers, veterans and leaders.

An agent is an index into the model's arrays (:class:`~simulation.people.People` and the
:class:`~simulation.organization.Organization`); it stores nothing twice. ``step()`` is the
weekly rule in plain Python: look at one's contacts, manager and community, then apply
:func:`simulation.rule.decide`. It is the readable reference for the numba engine, which must
give the same trajectory state for state.
"""

from __future__ import annotations

from typing import ClassVar

import mesa
import numpy as np

from . import rule
from .states import (
    ENGAGED,
    ROLE_EMPLOYEE,
    ROLE_LEADER,
    ROLE_MANAGER,
    ROLE_VETERAN,
    ROLES,
    STATES,
)

__all__ = ["AGENT_CLASSES", "Employee", "Leader", "MiddleManager", "Person", "Veteran"]

# visible activity per state code (unaware, aware, trying, adopted, engaged, lapsed)
_ACTIVITY = np.array([rule.activity(s) for s in range(len(STATES))], np.int64)


class Person(mesa.Agent):
    """One person in the organization (a view over the model's arrays)."""

    role: ClassVar[int] = ROLE_EMPLOYEE

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = int(index)

    # -- readable views ------------------------------------------------------------------
    @property
    def state(self) -> int:
        return int(self.model.people.state[self.index])

    @property
    def state_name(self) -> str:
        return STATES[self.state]

    @property
    def role_name(self) -> str:
        return ROLES[self.role]

    @property
    def department(self) -> str:
        org = self.model.org
        return org.department_names[int(org.department[self.index])]

    @property
    def manager(self) -> int:
        return int(self.model.org.manager[self.index])

    @property
    def trust(self) -> float:
        return float(self.model.people.trust[self.index])

    @property
    def community(self) -> int:
        return int(self.model.people.community[self.index])

    def contacts(self) -> np.ndarray:
        return self.model.org.neighbours(self.index)

    # -- perception --------------------------------------------------------------------------
    def exposure(self) -> tuple[int, int, int, int, int, int]:
        """Tie- and influence-weighted sums over one's contacts (exact integers)."""
        org, people = self.model.org, self.model.people
        lo, hi = org.indptr[self.index], org.indptr[self.index + 1]
        contacts = org.indices[lo:hi]
        voice = org.weight[lo:hi].astype(np.int64) * people.influence[contacts]
        state = people.state[contacts]
        act = _ACTIVITY[state]
        critic = people.critic[contacts] & (act < 2)
        veteran = people.role[contacts] == ROLE_VETERAN
        return (
            int(voice.sum()),
            int((voice * act).sum()),
            int(voice[state == ENGAGED].sum()),
            int(voice[critic].sum()),
            int(voice[veteran].sum()),
            int((voice * act)[veteran].sum()),
        )

    def is_newcomer(self) -> bool:
        m = self.model
        return m.week - int(m.people.hired_week[self.index]) < m.config.dynamics.newcomer_weeks

    def perceive(self) -> tuple[float, float, float]:
        """(social proof, critics' share, engaged peers' share) among contacts + community."""
        m = self.model
        extra = m.config.dynamics.newcomer_veteran_weight - 1 if self.is_newcomer() else 0
        c = self.community
        size, act, eng = (int(x) for x in m.aggregates.comm[c]) if c >= 0 else (0, 0, 0)
        return rule.perceive(*self.exposure(), extra, size, act, eng, m.params)

    def manager_support(self) -> float:
        m = self.manager
        if m < 0:
            return 0.0
        people = self.model.people
        boss_uses_it = rule.activity(int(people.state[m])) == 2
        attitude = float(people.attitude[m]) + float(people.support_boost[m])
        return rule.manager_support(attitude, boss_uses_it, self.model.params)

    def helper(self) -> float:
        people, c = self.model.people, self.community
        community_manager = float(people.community_helper[c]) if c >= 0 else 0.0
        return float(people.helper[self.index]) + community_manager

    def tool(self) -> float:
        """How well one can work socially: the platform if available, else existing tools in a
        community, else not at all."""
        env = self.model.week_env
        if self.model.people.access[self.index]:
            return env.tool_fit
        return env.legacy_fit if self.community >= 0 else 0.0

    def goal(self) -> float:
        c = self.community
        people = self.model.people
        return float(people.community_goal[c]) if c >= 0 else self.model.week_env.relevance

    def open_community(self) -> tuple[int, float]:
        """The community of practice of one's department one could join, and how active it is
        (activity share of its members); (-1, 0.0) if there is none."""
        m = self.model
        c = int(m.people.dept_community[m.org.department[self.index]])
        if c < 0:
            return -1, 0.0
        size, act, _ = (int(x) for x in m.aggregates.comm[c])
        return c, rule.activity_share(size, act)

    def motivation(self) -> float:
        p, i = self.model.people, self.index
        return rule.motivation(
            float(p.autonomy[i]),
            float(p.mastery[i]),
            float(p.purpose[i]),
            float(p.community_drive[i]),
            self.model.params,
        )

    # -- the weekly rule -------------------------------------------------------------------------
    def step(self) -> None:
        """Decide next week's state (written to ``model.next_state``: synchronous update)."""
        m, p, i = self.model, self.model.people, self.index
        social, critics, peers = self.perceive()
        open_community, open_share = self.open_community()
        state, trust, mastery, community = rule.decide(
            self.state,
            float(m.draws[i]),
            social,
            critics,
            peers,
            support=self.manager_support(),
            helper=self.helper(),
            reach=float(p.reach[i]),
            push=float(p.push[i]),
            compliance=float(p.compliance[i]),
            fatigue=float(p.fatigue[i]),
            motive=self.motivation(),
            purpose=float(p.purpose[i]),
            community=float(p.community_drive[i]),
            trust=self.trust,
            mastery=float(p.mastery[i]),
            threshold=float(p.threshold[i]),
            tool=self.tool(),
            goal=self.goal(),
            member_of=self.community,
            open_community=open_community,
            open_share=open_share,
            p=m.params,
            e=m.week_env,
        )
        m.next_state[i] = state
        p.trust[i] = trust
        p.mastery[i] = mastery
        p.community[i] = community


class Employee(Person):
    """An individual contributor with less than ``veteran_years`` of tenure."""

    role = ROLE_EMPLOYEE


class Veteran(Person):
    """A long-tenured contributor: newcomers learn the norm from veterans (claim 5)."""

    role = ROLE_VETERAN


class MiddleManager(Person):
    """Manages a team; their support or discouragement reaches every report (claim 6)."""

    role = ROLE_MANAGER

    def team(self) -> np.ndarray:
        return np.flatnonzero(self.model.org.manager == self.index)


class Leader(Person):
    """The top leader and department heads: visible role models (claim 7)."""

    role = ROLE_LEADER


AGENT_CLASSES = {
    ROLE_EMPLOYEE: Employee,
    ROLE_MANAGER: MiddleManager,
    ROLE_VETERAN: Veteran,
    ROLE_LEADER: Leader,
}
