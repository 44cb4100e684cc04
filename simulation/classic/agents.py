"""Mesa agents of the classic rules: the readable reference of each rule.

An agent is an index into the model's arrays. ``step()`` looks at this step's state (never at
the next one: updates are synchronous) and writes its decision to ``model.next_state``.
"""

from __future__ import annotations

import mesa
import numpy as np

from ..states import ADOPTED, STATES, UNAWARE
from .formulas import crosses_threshold

__all__ = [
    "AGENT_CLASSES",
    "BassAdopter",
    "ClassicAgent",
    "MixedThresholdAdopter",
    "NetworkAdopter",
]


class ClassicAgent(mesa.Agent):
    """One person of a classic population (a view over the model's arrays)."""

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = int(index)

    @property
    def state(self) -> int:
        return int(self.model.state[self.index])

    @property
    def state_name(self) -> str:
        return STATES[self.state]

    @property
    def threshold(self) -> float:
        return float(self.model.threshold[self.index])

    def adopt(self) -> None:
        self.model.next_state[self.index] = ADOPTED


class BassAdopter(ClassicAgent):
    """Bass (1969): a non-adopter adopts with this step's probability, the same for everyone
    in a fully mixed population (innovation p plus imitation q times the adopted share)."""

    def step(self) -> None:
        m = self.model
        if self.state == UNAWARE and m.draws[self.index] < m.adoption_probability:
            self.adopt()


class MixedThresholdAdopter(ClassicAgent):
    """Granovetter (1978): join once at least ``threshold`` others have (fully mixed)."""

    def step(self) -> None:
        m = self.model
        others = m.n - 1
        if self.state == UNAWARE and crosses_threshold(
            m.n_active, others, self.threshold, m.fractional
        ):
            self.adopt()


class NetworkAdopter(ClassicAgent):
    """Watts (2002) / Centola & Macy (2007): adopt once enough of one's neighbours have."""

    def contacts(self) -> np.ndarray:
        return self.model.network.neighbours(self.index)

    def step(self) -> None:
        m = self.model
        if self.state != UNAWARE:
            return
        contacts = self.contacts()
        active = sum(1 for j in contacts if m.state[j] == ADOPTED)
        if crosses_threshold(active, len(contacts), self.threshold, m.fractional):
            self.adopt()


AGENT_CLASSES = {
    "bass": BassAdopter,
    "granovetter": MixedThresholdAdopter,
    "threshold": NetworkAdopter,
}
