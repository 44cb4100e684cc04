"""The play mode's menu: every registered intervention type as an offer, priced from its cost
fields on the game's organization.

An offer is a type with its default settings (what the type's documentation recommends),
started at the beginning of a quarter and acting for its type's usual duration (a campaign's
weeks, or to the end of the game). Its price is what the rollout's own cost accounting
(``Rollout.costs``: money one-off and per person reached, hours per person, per person-week and
a type's extra hours, such as community managers') gives for that start: the people it reaches
are chosen on the game's organization, so the price is that organization's. The platform itself
is bought already (the game's scenario launches it): types that launch the platform are not on
the menu. Types registered later (a plug-in, a new built-in type) appear by themselves; a type
that cannot be built from its defaults alone is left out, with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from pydantic import ValidationError

from simulation import AdoptionModel, ModelConfig
from simulation.interventions import InterventionSpec, intervention_types, tag_of

__all__ = ["Offer", "Price", "menu"]


@dataclass(frozen=True)
class Price:
    """Money (currency units) and person-hours."""

    money: float
    hours: float

    def __add__(self, other: Price) -> Price:
        return Price(self.money + other.money, self.hours + other.hours)

    def __sub__(self, other: Price) -> Price:
        return Price(self.money - other.money, self.hours - other.hours)

    def fits(self, budget: Price) -> bool:
        """Within ``budget`` (a rounding error's tolerance)."""
        return self.money <= budget.money + 1e-6 and self.hours <= budget.hours + 1e-6


@dataclass(frozen=True)
class Offer:
    """One intervention type on the menu: its tag, what it does (the type's docstring), how
    long it acts once started (None: to the end of the game), and its price by start quarter."""

    tag: str
    about: str
    weeks: int | None
    prices: tuple[Price, ...]  # by quarter of start
    people: int  # people it reaches on the game's organization

    def spec(self, start: int) -> InterventionSpec:
        cls = _types()[self.tag]
        return cls.model_validate({"type": self.tag, "start": start})

    def price(self, quarter: int) -> Price:
        return self.prices[quarter]


def _types() -> dict[str, type[InterventionSpec]]:
    return {tag_of(cls): cls for cls in intervention_types()}


def _about(cls: type[InterventionSpec]) -> str:
    doc = (cls.__doc__ or tag_of(cls)).strip().split("\n\n")[0]
    return " ".join(doc.split())


def _quote(config: ModelConfig, spec: InterventionSpec, seed: int, starts: Sequence[int]):
    """(people reached, prices by start) of ``spec`` started in week 0 on the organization of
    ``seed``, after the game's own plan (the platform's launch): a start in week s costs what
    weeks 0 .. H - s - 1 cost from week 0 (the same reach; fewer weeks of recurring time when
    it runs to the end)."""
    cfg = config.model_copy(update={"plan": (*config.plan, spec)})
    model = AdoptionModel(cfg, rng=np.random.default_rng(seed), engine="numba")
    model.step()  # its first week: whom it reaches is chosen
    hourly = cfg.value.hourly_cost
    prices = []
    for s in starts:
        row = model.rollout.costs(config.weeks - s, hourly)[-1]
        prices.append(Price(float(row["money"]), float(row["hours"])))
    return int(model.rollout.items[-1].people.size), tuple(prices)


def menu(
    config: ModelConfig, seed: int, starts: Sequence[int]
) -> tuple[list[Offer], list[str]]:
    """Offers for every registered type that does not launch the platform (and the reasons
    types were left out), priced on the organization of ``seed`` for each start week."""
    offers, left_out = [], []
    for tag, cls in _types().items():
        if cls.launches:
            continue
        try:
            spec = cls.model_validate({"type": tag, "start": 0})
        except ValidationError as e:
            left_out.append(f"{tag}: needs settings of its own ({e.error_count()} missing)")
            continue
        people, prices = _quote(config, spec, seed, starts)
        offers.append(Offer(tag, _about(cls), cls.default_weeks, prices, people))
    return offers, left_out
