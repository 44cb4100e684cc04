"""A scenario: a named, described model configuration (organization + plan + parameters)."""

from __future__ import annotations

from pydantic import Field

from simulation import ModelConfig

__all__ = ["Scenario"]


class Scenario(ModelConfig):
    """What a scenario file holds: a name, a description and a :class:`ModelConfig`.

    A scenario *is* a model configuration (pass it to ``AdoptionModel`` as is).
    """

    name: str = Field(
        "unnamed", min_length=1, max_length=100, description="Short name, used in tables and plots."
    )
    description: str = Field("", description="What the scenario demonstrates.")
    claims: tuple[int, ...] = Field(
        (), description="Domain claims (DESIGN section 3) it helps demonstrate."
    )
    tags: tuple[str, ...] = Field(
        (),
        description="Labels the claims suite selects scenarios by, so that nothing keys on "
        "names: e.g. 'provide-and-pray', 'goal-led', 'playbook', 'withdrawal', 'addition'.",
    )
