"""Center of excellence: a few experts coaching the communities and champions they reach."""

from __future__ import annotations

from typing import Literal

import numpy as np

from ..params import param
from .base import Deployment, InterventionSpec
from .effects import connect, employed, enlist, homes, renewal_due, renewed, set_goal_boost
from .registry import register

__all__ = ["CenterOfExcellence"]


@register
class CenterOfExcellence(InterventionSpec):
    """A small center of experts (typically 2-6) advising communities and the tribe.

    The experts are people (the most skilled of the target). Each coaches the communities
    they are assigned to (their own and their department's open one) or tied to (a contact
    is a member), and the champions among their contacts, while they work here: a coached
    person's help is ``strength`` times the expert's mastery, thinned when the people they
    reach outnumber their ``capacity``; several experts' help adds up to ``strength`` at
    most. The experts bring best practice from outside to the communities they reach
    (``goal_fit_gain``). Whom they reach is reviewed every ``review_weeks`` weeks and at the
    plan's change points; a coached person who leaves loses the help at once, and an expert
    who leaves stops coaching from the next week."""

    type: Literal["center_of_excellence"]
    experts: int = param(4, 1, 100, "people", "The sources: typically only 2 to 6 people.")
    capacity: int = param(
        150, 1, 100_000, "people supported per expert", "One expert can coach about 150 people."
    )
    strength: float = param(
        0.6, 0.0, 1.0, "helper units",
        "Advice of an expert of full mastery within capacity (and at most, from several).",
    )
    goal_fit_gain: float = param(
        0.05, 0.0, 1.0, "[0,1]", "Best practice from outside, for the communities they reach."
    )
    review_weeks: int = param(
        4, 1, 52, "weeks",
        "Experts plan their coaching monthly: people who join a community they reach are "
        "coached from the next review.",
    )
    hours_per_person_week: float = param(
        40.0, 0.0, 168.0, "hours per expert-week", "Experts work on it full time."
    )

    def on_start(self, r, d: Deployment) -> None:
        enlist(r, d, r.choose(r.within(self.target, self.experts), r.people.mastery))

    def contribute(self, r, d: Deployment, week: int) -> None:
        d.notes.pop("help", None)  # the helper modifiers were just reset
        self._coach(r, d)

    def between_changes(self, r, d: Deployment, week: int) -> None:
        """At each review, or the week after an expert has left: renew whom they coach."""
        if renewal_due(r.people, d, week, self.start, self.review_weeks):
            self._coach(r, d)

    def on_hire(self, r, d: Deployment, idx: np.ndarray) -> None:
        """A coached person who leaves takes the help along: none for the hire in their slot."""
        help_ = d.notes.get("help")
        if help_ is not None:
            r.people.helper[idx] -= help_[idx]
            help_[idx] = 0.0

    def coaching(self, r, d: Deployment) -> tuple[np.ndarray, np.ndarray]:
        """The experts' help to each person now (0: not coached), and per community whether
        an expert still here reaches it."""
        people = r.people
        n_c = people.n_communities
        here = employed(people, d.people, d.notes["hired"])
        k = here.shape[0]
        pos, contacts = d.notes["ties"]
        theirs = people.community[contacts]
        reached = connect(np.zeros((k, n_c + 1), bool), pos, theirs,
                          homes(people, r.org, d.people), True, True)
        reached[:, n_c] = False  # the last column: no community (-1)
        reached[~here] = False
        sizes = np.bincount(people.community + 1, minlength=n_c + 1)[1:]  # members
        # champions among an expert's contacts, outside the communities that expert reaches
        loose = people.champion[contacts] & here[pos] & ~reached[pos, theirs]
        pos, contacts = pos[loose], contacts[loose]
        load = reached[:, :n_c] @ sizes + np.bincount(pos, minlength=here.shape[0])
        ratio = np.minimum(1.0, self.capacity / np.maximum(load, 1))
        each = np.where(here, self.strength * people.mastery[d.people] * ratio, 0.0)
        per_community = (reached * each[:, None]).sum(axis=0)  # last: no community, 0
        help_ = per_community[people.community]
        np.add.at(help_, contacts, each[pos])
        return np.minimum(help_, self.strength, out=help_), reached[:, :n_c].any(axis=0)

    def _coach(self, r, d: Deployment) -> None:
        people = r.people
        helper = people.helper  # in place (not people.helper -= ...: that replaces the array)
        if "help" in d.notes:
            helper -= d.notes["help"]
        help_, reaches = self.coaching(r, d)
        helper += help_
        d.notes["help"] = help_
        renewed(people, d)
        set_goal_boost(people, d.notes, self.goal_fit_gain * reaches)
