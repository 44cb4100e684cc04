"""Social-media council of practitioners across businesses (claim 3, bootstrap step 2)."""

from __future__ import annotations

from typing import Literal

import numpy as np

from ..params import param
from .base import Deployment, InterventionSpec
from .effects import connect, enlist, homes, practice, renewal_due, renewed, set_goal_boost
from .registry import register

__all__ = ["Council"]


@register
class Council(InterventionSpec):
    """Social-media council of practitioners across businesses (claim 3, bootstrap step 2).

    Its members are people: each carries what works between the council and the communities
    they connect to (their own, their department's open one, and, at ``tie_carry``, those of
    their contacts, fellow members included: the meetings make them contacts of one another),
    as much as they practise the new way themselves (using it: fully; trying it: half; not
    yet, lapsed or gone: nothing). A community's goal fit rises by ``goal_fit_gain`` times
    what reaches it (at most 1), updated at every meeting. The members also bridge their
    businesses: while they practise, people in a member's department reach the contributors
    of the other members' departments (the value's cross-department reuse, simulation.value),
    ``bridge_share`` times the two departments' practice (each at most 1)."""

    type: Literal["council"]
    members: int = param(12, 1, 10_000, "people", "A practitioner or two per business.")
    goal_fit_gain: float = param(
        0.08, 0.0, 1.0, "[0,1]",
        "Sharing what works sharpens the goal of each community a practising member carries "
        "it to.",
    )
    tie_carry: float = param(
        0.5, 0.0, 1.0, "share of a home community's",
        "A member carries less to a community where they only have a contact than to their "
        "own or their department's.",
    )
    bridge_share: float = param(
        0.25, 0.0, 1.0, "share of a department's people",
        "What members share at meetings reaches a share of their own department's people from "
        "the other members' departments (an assumption: monthly meetings, practitioners who "
        "pass it on); 0 switches the council's cross-silo value off.",
    )
    meeting_weeks: int = param(
        4, 1, 52, "weeks", "Monthly meetings: what members carry is renewed at each."
    )
    hours_per_person_week: float = param(
        2.0, 0.0, 168.0, "hours per member-week", "Monthly meetings plus shared services."
    )

    def on_start(self, r, d: Deployment) -> None:
        enlist(r, d, r.choose(r.within(self.target, self.members), r.volunteers()))
        # the members' departments, and each member's among them (fixed: bridged)
        departments, where = np.unique(r.org.department[d.people], return_inverse=True)
        d.notes["departments"] = departments.astype(np.int64), where

    def contribute(self, r, d: Deployment, week: int) -> None:
        self._carry(r, d)

    def between_changes(self, r, d: Deployment, week: int) -> None:
        """At each meeting, or the week after a member has left: renew what they carry."""
        if renewal_due(r.people, d, week, self.start, self.meeting_weeks):
            self._carry(r, d)

    def carried(self, r, d: Deployment, w: np.ndarray) -> np.ndarray:
        """Per community, how much of what works reaches it (at most 1): the sum over members
        of their practice ``w`` (:func:`.effects.practice`) times their link to it (1 home,
        ``tie_carry`` tied). The meetings make the members contacts of one another: a member
        is tied to every fellow member's home communities too."""
        people, k = r.people, w.shape[0]
        home = homes(people, r.org, d.people)
        pos, contacts = d.notes["ties"]
        link = np.zeros((k, people.n_communities + 1))  # the last column: no community (-1)
        for c in home:  # every member's home communities (they meet)
            link[:, c] = self.tie_carry
        connect(link, pos, people.community[contacts], home, self.tie_carry, 1.0)
        return np.minimum(1.0, (w[:, None] * link[:, :-1]).sum(axis=0))

    def bridged(self, r, d: Deployment, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The members' departments and each one's practice (the sum of its members' practice
        ``w``, at most 1), as :meth:`simulation.value.ValueMeter.link` takes them."""
        departments, where = d.notes["departments"]
        level = np.minimum(1.0, np.bincount(where, weights=w, minlength=departments.size))
        return departments, level

    def on_stop(self, r, d: Deployment) -> None:
        """The meetings end: the members no longer bridge their departments."""
        r.model.value.link(("council", d.index), np.empty(0, np.int64), np.empty(0))

    def _carry(self, r, d: Deployment) -> None:
        here = renewed(r.people, d)
        w = practice(r.people, d.people, here)  # once a meeting, for both
        set_goal_boost(r.people, d.notes, self.goal_fit_gain * self.carried(r, d, w))
        departments, level = self.bridged(r, d, w)
        r.model.value.link(("council", d.index), departments, level, self.bridge_share)
