"""The play mode's game: one organization, a menu, a budget, eight quarters.

Each quarter a team chooses which interventions start at its beginning, within a budget of
money and person-hours (the menu's prices, :mod:`.menu`); the quarter is then simulated on the
game's organization and revealed. The platform is launched at the start (the game's scenario's
launch, already paid for); the teams choose everything else. A team's plan is a list of
choices ``(type tag, quarter)``; the run of quarter q is the run of the whole plan so far from
week 0 to the quarter's end, replayed from the seed: a plan's entries act only from their
start, so the weeks already revealed never change, and a restarted server shows the same game
from the stored choices.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from scenarios import Scenario, load_scenario
from simulation import STATES, Event

from .live import LiveRun
from .menu import Offer, Price, menu

__all__ = ["Choice", "Game", "GameSettings", "Reveal"]

#: one choice of a team: (intervention type tag, quarter it starts in, from 0)
Choice = tuple[str, int]


class GameSettings(BaseModel):
    """A game every team on the server plays: the organization, the budget, the search."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field("classroom", pattern=r"^[A-Za-z0-9_-]{1,40}$", description="Game name.")
    scenario: str = Field(
        "provide-and-pray",
        description="Organization, conditions and the platform's launch come from this "
        "scenario; the rest of its plan is not used (the teams make the plan).",
    )
    employees: int = Field(500, ge=50, le=5000, description="Head count.")
    seed: int = Field(4, ge=0, description="The organization the teams play (its seed).")
    quarters: int = Field(8, ge=2, le=12, description="Quarters in the game.")
    weeks_per_quarter: int = Field(13, ge=4, le=26, description="Weeks in a quarter.")
    budget_share: float = Field(
        0.5, gt=0.0, le=1.0,
        description="Budget (money and hours, each) as a share of what every offer on the "
        "menu would cost started in the first quarter.",
    )
    replicates: int = Field(
        8, ge=2, le=64,
        description="Organizations like the played one (the played one first) on which the "
        "team's plan and the best plan are compared (the same organizations for both).",
    )
    search_quarters: tuple[int, ...] = Field(
        (0, 2, 4), min_length=1,
        description="Quarters (from 0) the best-plan search may start an offer in "
        "(default: every other quarter of the first six: 0, 2, 4 in an eight-quarter game).",
    )

    @model_validator(mode="before")
    @classmethod
    def _default_search(cls, data: Any) -> Any:
        """Left out, the search quarters follow the game's length (a four-quarter game
        searches quarters 0 and 2)."""
        if isinstance(data, dict) and data.get("search_quarters") is None:
            quarters = data.get("quarters", 8)
            if isinstance(quarters, int) and not isinstance(quarters, bool) and quarters > 0:
                data = {**data, "search_quarters": tuple(range(0, min(quarters, 6), 2))}
        return data

    @field_validator("search_quarters")
    @classmethod
    def _sorted(cls, value: tuple[int, ...], info: ValidationInfo) -> tuple[int, ...]:
        if any(q < 0 for q in value):
            raise ValueError("quarters are counted from 0")
        quarters = info.data.get("quarters")  # validated before (declared before)
        outside = [q for q in value if quarters is not None and q >= quarters]
        if outside:
            raise ValueError(
                f"{outside} not in a {quarters}-quarter game (quarters are counted from 0: "
                f"0 to {quarters - 1})"
            )
        return tuple(sorted(set(value)))


@dataclass
class Reveal:
    """The played organization up to the end of a quarter."""

    quarter: int  # the last quarter revealed (from 0)
    weeks: int  # weeks run
    run: LiveRun  # everyone's state week by week, the events
    spent: Price
    success: bool | None  # the scenario's success criterion, once the game's end is reached
    first: int = 0  # the quarter's first week

    @property
    def series(self) -> dict[str, list[int]]:
        return self.run.series()

    @property
    def events(self) -> list[Event]:
        return self.run.events

    @property
    def quarter_events(self) -> list[Event]:
        """The events of the quarter revealed: what its interventions did from its first
        week, and the changes seen after it up to its last (each event of a game is in one
        quarter's list: :meth:`simulation.Event.within`)."""
        return [e for e in self.run.events if e.within(self.first, self.weeks)]

    @property
    def final(self) -> dict[str, float]:
        """Share of the organization in each state at the last week revealed."""
        counts = self.run.counts[-1]
        n = counts.sum()
        return {s: float(counts[i] / n) for i, s in enumerate(STATES)}

    @property
    def active_share(self) -> float:
        f = self.final
        return f["adopted"] + f["engaged"]


class Game:
    """A game's organization, menu, budget and rules (the same for every team)."""

    def __init__(self, settings: GameSettings | None = None):
        self.settings = s = settings or GameSettings()
        self.horizon = s.quarters * s.weeks_per_quarter
        scenario = load_scenario(
            s.scenario, [f"organization.employees={s.employees}", f"weeks={self.horizon}"]
        )
        # the platform is bought: the scenario's launch stays, the teams choose the rest
        launch = tuple(spec for spec in scenario.plan if type(spec).launches)
        self.base: Scenario = scenario.model_copy(update={"plan": launch})
        self.starts = [q * s.weeks_per_quarter for q in range(s.quarters)]
        offers, self.left_out = menu(self.base, s.seed, self.starts)
        self.offers: dict[str, Offer] = {o.tag: o for o in offers}
        self.budget = Price(
            _round(s.budget_share * sum(o.price(0).money for o in offers)),
            _round(s.budget_share * sum(o.price(0).hours for o in offers)),
        )

    # -- plans ---------------------------------------------------------------------------
    def scenario(self, choices: Sequence[Choice], name: str = "plan") -> Scenario:
        """The base scenario (the launch) plus the plan of ``choices`` (in order of start)."""
        plan = tuple(
            self.offers[tag].spec(self.starts[q]) for tag, q in sorted(choices, key=_order)
        )
        return self.base.model_copy(update={"plan": (*self.base.plan, *plan), "name": name})

    def cost(self, choices: Sequence[Choice]) -> Price:
        total = Price(0.0, 0.0)
        for tag, q in choices:
            total = total + self.offers[tag].price(q)
        return total

    def left(self, choices: Sequence[Choice]) -> Price:
        return self.budget - self.cost(choices)

    def problems(self, choices: Sequence[Choice]) -> list[str]:
        """What breaks the rules in a plan, in words (empty: it is playable)."""
        out = []
        for tag, q in choices:
            if tag not in self.offers:
                out.append(f"{tag!r} is not on the menu")
            elif not 0 <= q < self.settings.quarters:
                out.append(f"{tag}: quarter {q + 1} is not in the game")
        if out:
            return out
        seen: dict[str, list[int]] = {}
        for tag, q in sorted(choices, key=_order):
            o = self.offers[tag]
            for q0 in seen.get(tag, []):
                if o.weeks is None or self.starts[q0] + o.weeks > self.starts[q]:
                    out.append(f"{tag} is still running in quarter {q + 1}")
            seen.setdefault(tag, []).append(q)
        left = self.left(choices)
        if left.money < -1e-6:
            out.append(f"over the money budget by {-left.money:,.0f}")
        if left.hours < -1e-6:
            out.append(f"over the person-hours budget by {-left.hours:,.0f}")
        return out

    def can_add(self, choices: Sequence[Choice], tag: str, quarter: int) -> bool:
        return not self.problems([*choices, (tag, quarter)])

    # -- playing -------------------------------------------------------------------------
    def quarter_end(self, quarter: int) -> int:
        return min(self.horizon, self.starts[quarter] + self.settings.weeks_per_quarter)

    def reveal(self, choices: Sequence[Choice], quarter: int) -> Reveal:
        """Run the played organization with the plan so far to the end of ``quarter``
        (from 0); choices of later quarters are ignored."""
        so_far = [(t, q) for t, q in choices if q <= quarter]
        run = LiveRun(self.scenario(so_far), self.settings.seed)
        run.run_to(self.quarter_end(quarter))
        success = None
        if run.done:
            success = bool(run.result().success)
        return Reveal(quarter, run.week, run, self.cost(so_far), success, self.starts[quarter])


def _order(choice: Choice) -> tuple[int, str]:
    return choice[1], choice[0]


def _round(x: float) -> float:
    """Two significant figures: a budget a trainer can say out loud."""
    if x <= 0:
        return 0.0
    digits = 1 - int(math.floor(math.log10(x)))
    return float(round(x, digits))
