"""The debrief after the last quarter: a team's plan against the best plan found, in words.

Both plans are scored on the same replicate organizations (:func:`.search.score_plans`: the
played one first). The facts (:class:`Difference`) come from those runs only: what each element
of the best plan was worth (the best plan without it, from the search), which of them the team
chose, chose at another time or left out, what the team bought that the best plan did without,
and in which role the two plans differ most. The words are made from the facts, so a test can
hold one against the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field

from simulation import ROLES

from .game import Choice, Game
from .narrate import intervention_name, role_words
from .search import PlanScore, SearchResult, plan_key, score_plans

__all__ = ["Debrief", "Difference", "debrief"]


@dataclass(frozen=True)
class Difference:
    """One fact of the debrief.

    ``kind``: ``same`` (both plans start the offer in the same quarter), ``timing`` (the team
    started it in another quarter), ``missing`` (the best plan's, not the team's), ``extra``
    (the team's, not the best plan's), ``role`` (the role whose active share differs most).
    ``worth``: for the best plan's elements, its mean active share minus the same plan's
    without that element (share points, on the same organizations)."""

    kind: str
    tag: str
    quarter: int | None = None
    team_quarter: int | None = None
    worth: float | None = None
    numbers: dict[str, float] = field(default_factory=dict)


@dataclass
class Debrief:
    team: PlanScore
    best: PlanScore
    differences: list[Difference]
    lines: list[str]  # the words, headline first

    @property
    def organizations(self) -> int:
        return len(self.team.success)


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _q(quarter: int) -> str:
    return f"quarter {quarter + 1}"


def _differences(game: Game, team: PlanScore, result: SearchResult) -> list[Difference]:
    best = result.best
    team_tags: dict[str, int] = {}
    for tag, q in team.plan:
        team_tags.setdefault(tag, q)  # an offer started twice: its first start
    out = []
    for tag, q in best.plan:
        lesser = result.without.get((tag, q))
        worth = best.mean("active") - lesser.mean("active") if lesser else None
        numbers = {"without_successes": lesser.successes} if lesser else {}
        if (tag, q) in team.plan:
            out.append(Difference("same", tag, q, q, worth, numbers))
        elif tag in team_tags:
            out.append(Difference("timing", tag, q, team_tags[tag], worth, numbers))
        else:
            out.append(Difference("missing", tag, q, None, worth, numbers))
    best_tags = {t for t, _ in best.plan}
    for tag, q in team.plan:
        if tag not in best_tags:
            price = game.offers[tag].price(q)
            numbers = {"money": price.money, "hours": price.hours}
            out.append(Difference("extra", tag, None, q, None, numbers))
    gaps = {r: best.mean_role(r) - team.mean_role(r) for r in ROLES if r in best.by_role}
    if gaps:
        role = max(gaps, key=lambda r: abs(gaps[r]))
        numbers = {"team": team.mean_role(role), "best": best.mean_role(role)}
        out.append(Difference("role", role, numbers=numbers))
    return out


def _say(d: Difference, n: int) -> str | None:
    name = intervention_name(d.tag)
    points = round(100 * d.worth) if d.worth is not None else None
    worth = "" if points is None else (
        f"{points} point{'' if abs(points) == 1 else 's'} of active share")
    without = d.numbers.get("without_successes")
    if d.kind == "missing":
        text = f"The best plan starts {name} in {_q(d.quarter)}; you did not choose it."
        if worth:
            text += f" It was worth {worth}"
            text += "." if without is None else f" (without it, {without} of {n} succeed)."
        return text
    if d.kind == "timing":
        text = f"You started {name} in {_q(d.team_quarter)}, the best plan in {_q(d.quarter)}."
        return text + (f" In the best plan it was worth {worth}." if worth else "")
    if d.kind == "same":
        return f"Like the best plan, you started {name} in {_q(d.quarter)}" + (
            f" (worth {worth} there)." if worth else ".")
    if d.kind == "extra":
        return (
            f"Your {name} ({_q(d.team_quarter)}) cost {d.numbers['money']:,.0f} in money and "
            f"{d.numbers['hours']:,.0f} person-hours; the best plan did without it."
        )
    if d.kind == "role":
        who = role_words(d.tag, 2).split(" ", 1)[1]
        t, b = d.numbers["team"], d.numbers["best"]
        if abs(b - t) < 0.05:
            return None
        return (
            f"The largest gap is among {who}: {_pct(t)} of them use it at the end under your "
            f"plan, {_pct(b)} under the best plan."
        )
    return None


def _headline(team: PlanScore, best: PlanScore) -> list[str]:
    n = len(team.success)
    lines = [
        f"On {n} organizations like yours (yours first), your plan succeeds on "
        f"{team.successes} with {_pct(team.mean('active'))} of staff using it at the end; the "
        f"best plan found succeeds on {best.successes} with {_pct(best.mean('active'))}."
    ]
    if team.key >= best.key:
        lines.append("Your plan did as well as the best plan the search found.")
    return lines


def debrief(
    game: Game,
    choices: Sequence[Choice],
    result: SearchResult,
    *,
    executor: Executor | None = None,
    workers: int | None = None,
) -> Debrief:
    """The team's plan against ``result.best`` on the game's organizations, in words."""
    key = plan_key(choices)
    team = result.scores.get(key)
    if team is None:
        (team,) = score_plans(game, [key], executor=executor, workers=workers)
    diffs = _differences(game, team, result)
    rank = {"missing": 0, "timing": 1, "extra": 2, "role": 3, "same": 4}
    diffs.sort(key=lambda d: (rank[d.kind], -(d.worth or 0.0)))
    n = len(team.success)
    lines = _headline(team, result.best)
    lines += [s for d in diffs if (s := _say(d, n))]
    top = [d for d in diffs if d.kind in ("missing", "timing") and (d.worth or 0) > 0]
    if top:
        biggest = max(top, key=lambda d: d.worth or 0.0)
        lines.insert(1, f"What made the most difference: {intervention_name(biggest.tag)} in "
                     f"{_q(biggest.quarter)}, as the best plan has it.")
    return Debrief(team, result.best, diffs, lines)
