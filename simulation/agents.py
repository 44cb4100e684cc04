"""Mesa agents: employees, middle managers, veterans and leaders.

An agent is an index into the model's arrays (:class:`~simulation.people.People` and the
:class:`~simulation.organization.Organization`); it stores nothing twice. ``step()`` is the
weekly rule in plain Python: sum what one's contacts show (:func:`simulation.rule.voice`),
gather what one sees, has and is (:func:`simulation.inputs.gather`), then apply
:func:`simulation.rule.decide`. It is the readable reference for the numba engine, which
compiles the same functions and must give the same trajectory state for state.
"""

from __future__ import annotations

from typing import ClassVar

import mesa
import numpy as np

from . import rule
from .inputs import gather
from .states import ROLE_EMPLOYEE, ROLE_LEADER, ROLE_MANAGER, ROLE_VETERAN, ROLES, STATES

__all__ = ["AGENT_CLASSES", "Employee", "Leader", "MiddleManager", "Person", "Veteran"]


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
        """Tie- and influence-weighted sums over one's contacts of their voices (exact
        integers): everyone, activity, engaged, unconverted critics, veterans, veterans'
        activity (:func:`simulation.rule.voice`)."""
        org, people = self.model.org, self.model.people
        lo, hi = org.indptr[self.index], org.indptr[self.index + 1]
        contacts = org.indices[lo:hi]
        weight = org.weight[lo:hi].astype(np.int64)
        voices = rule.voice(
            people.state[contacts],
            people.role[contacts],
            people.influence[contacts],
            people.critic[contacts],
        )
        return tuple(int((weight * v).sum()) for v in voices)

    def is_newcomer(self) -> bool:
        m = self.model
        return m.week - int(m.people.hired_week[self.index]) < m.config.dynamics.newcomer_weeks

    def inputs(self, lazy: bool = False) -> rule.RuleInputs:
        """Everything one's decision reads this week (:class:`~simulation.rule.RuleInputs`):
        what one perceives, one's manager's support, tool, goal, help, modifiers, motivation.
        ``lazy``: as the decision reads it (for an unaware person, only what reaches them)."""
        m = self.model
        view = m.engine.view if m.engine.view is not None else m.decision_view()
        return gather(self.index, self.exposure(), m.week, *view, m.params, m.week_env, lazy)

    def perceive(self) -> tuple[float, float, float]:
        """(social proof, critics' share, engaged peers' share) among contacts + community."""
        x = self.inputs()
        return x.social, x.critics, x.peers

    def manager_support(self) -> float:
        return float(self.inputs().support)

    def helper(self) -> float:
        return float(self.inputs().helper)

    def tool(self) -> float:
        """How well one can work socially: the platform if available, else existing tools in a
        community, else not at all."""
        return float(self.inputs().tool)

    def goal(self) -> float:
        return float(self.inputs().goal)

    def open_community(self) -> tuple[int, float]:
        """The community of practice of one's department one could join, and how active it is
        (activity share of its members); (-1, 0.0) if there is none."""
        x = self.inputs()
        return int(x.open_community), float(x.open_share)

    def motivation(self) -> float:
        return float(self.inputs().motive)

    # -- the weekly rule -------------------------------------------------------------------------
    def step(self) -> None:
        """Decide next week's state (written to ``model.next_state``: synchronous update)."""
        m, p, i = self.model, self.model.people, self.index
        x = self.inputs(lazy=True)
        state, trust, mastery, community = rule.decide(x, float(m.draws[i]), m.params,
                                                       m.week_env)
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
