"""The best plan found for a game, and plans scored on the game's replicate organizations.

Plans are scored on the same ``replicates`` organizations (common random numbers: the played
organization first, then organizations drawn like it from seeds spawned from its seed), through
the project's execution layer (:func:`experiments.execute`: this process, local processes or
any executor given). A plan's score is its number of successes (the scenario's success
criterion: a sustained active share and an engaged share at the horizon), then its mean active
share at the horizon.

The search (:func:`best_plan`) is a greedy forward selection with one timing pass:

1. start from the empty plan (the platform's launch only);
2. each round, every offer the budget still allows, started in the first of the game's
   ``search_quarters``, is added to the current plan in turn; the candidates are scored on half
   the organizations, the best four on all of them (successive halving: half the runs), and
   the best is kept if it scores higher than the current plan (more successes, or as many and
   a mean active share at least ``min_gain`` higher); rounds stop when nothing helps;
3. then every chosen offer is tried at each other quarter of ``search_quarters`` (later starts
   are cheaper when an offer runs to the end: the money saved may buy another offer, so a
   round of step 2 follows any move that helps);
4. finally the best plan is scored without each of its elements in turn (what each was worth
   on the same organizations), for the debrief.

Greedy selection finds a good plan, not a proven optimum: the debrief says "the best plan
found". Every plan scored is kept (``SearchResult.scores``) and the result is stored as JSON
with the game, so a restarted server does not search again.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from simulation import ROLES, STATES, RunResult

from ..executors import execute, local_pool, stop_pool
from ..outputs import write_file
from ..runner import RunSpec, replicate_seeds
from .game import Choice, Game

__all__ = ["PlanScore", "SearchResult", "best_plan", "game_seeds", "plan_key", "score_plans"]

Plan = tuple[Choice, ...]


def plan_key(plan: Sequence[Choice]) -> Plan:
    """A plan's one spelling: choices as (tag, quarter) tuples, by quarter then tag."""
    return tuple(sorted(((str(t), int(q)) for t, q in plan), key=lambda c: (c[1], c[0])))


@dataclass
class PlanScore:
    """One plan over the game's organizations (lists: one entry per organization)."""

    plan: Plan
    success: list[bool]
    active: list[float]  # active share at the horizon
    engaged: list[float]
    lapsed: list[float]
    by_role: dict[str, list[float]]  # active share within each role at the horizon
    cost: list[float]

    @property
    def successes(self) -> int:
        return int(sum(self.success))

    @property
    def key(self) -> tuple[int, float]:
        return self.successes, round(float(np.mean(self.active)), 6)

    def mean(self, what: str) -> float:
        return float(np.mean(getattr(self, what)))

    def mean_role(self, role: str) -> float:
        return float(np.mean(self.by_role[role]))

    def as_dict(self) -> dict[str, Any]:
        fields = ("success", "active", "engaged", "lapsed", "by_role", "cost")
        return {"plan": [list(c) for c in self.plan], **{k: getattr(self, k) for k in fields}}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PlanScore:
        fields = ("success", "active", "engaged", "lapsed", "by_role", "cost")
        return cls(plan_key(d["plan"]), *(d[k] for k in fields))


@dataclass
class SearchResult:
    """The best plan found, what each of its elements was worth, and every plan scored."""

    best: PlanScore
    without: dict[Choice, PlanScore] = field(default_factory=dict)  # best minus one element
    scores: dict[Plan, PlanScore] = field(default_factory=dict)
    runs: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "best": self.best.as_dict(),
            "without": [{"choice": list(c), **s.as_dict()} for c, s in self.without.items()],
            "scores": [s.as_dict() for s in self.scores.values()],
            "runs": self.runs,
            "seconds": self.seconds,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SearchResult:
        scores = [PlanScore.from_dict(s) for s in d["scores"]]
        without = {plan_key([w["choice"]])[0]: PlanScore.from_dict(w) for w in d["without"]}
        return cls(PlanScore.from_dict(d["best"]), without, {s.plan: s for s in scores},
                   int(d["runs"]), float(d["seconds"]))

    def save(self, path: Path) -> None:
        write_file(path, json.dumps(self.as_dict(), indent=1))

    @classmethod
    def load(cls, path: Path) -> SearchResult:
        return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))


def game_seeds(game: Game) -> list[int]:
    """The played organization's seed, then seeds of organizations drawn like it."""
    s = game.settings
    return [s.seed, *replicate_seeds(s.seed, s.replicates - 1)]


def _role_share(r: RunResult, role: str) -> float:
    counts = {k: r.by_role[role][k][-1] for k in STATES}
    total = sum(counts.values())
    return (counts["adopted"] + counts["engaged"]) / total if total else 0.0


def _score(plan: Plan, results: list[RunResult]) -> PlanScore:
    n = results[0].n_employees
    final = [{k: r.series[k][-1] / n for k in STATES} for r in results]
    return PlanScore(
        plan,
        [bool(r.success) for r in results],
        [f["adopted"] + f["engaged"] for f in final],
        [f["engaged"] for f in final],
        [f["lapsed"] for f in final],
        {role: [_role_share(r, role) for r in results] for role in ROLES},
        [float(r.metrics["cost"]) for r in results],
    )


def score_plans(
    game: Game,
    plans: Sequence[Sequence[Choice]],
    *,
    seeds: Sequence[int] | None = None,
    executor: Executor | None = None,
    workers: int | None = None,
) -> list[PlanScore]:
    """Each plan on the same organizations (``seeds``, by default the game's)."""
    seeds = list(game_seeds(game) if seeds is None else seeds)
    keys = [plan_key(p) for p in plans]
    specs = [
        RunSpec(game.scenario(k), s, "numba", None, r) for k in keys for r, s in enumerate(seeds)
    ]
    results = execute(specs, workers=workers, executor=executor)
    m = len(seeds)
    return [_score(k, results[i * m : (i + 1) * m]) for i, k in enumerate(keys)]


class _Scorer:
    """Scores plans on all or half the organizations, remembering full scores."""

    def __init__(self, game: Game, executor: Executor | None, workers: int | None,
                 progress: Callable[[int], None] | None):
        self.game, self.executor, self.workers = game, executor, workers
        self.seeds = game_seeds(game)
        self.scores: dict[Plan, PlanScore] = {}
        self.runs = 0
        self.progress = progress or (lambda runs: None)

    def _score(self, plans: Sequence[Plan], seeds: Sequence[int]) -> list[PlanScore]:
        out = score_plans(self.game, plans, seeds=seeds, executor=self.executor,
                          workers=self.workers)
        self.runs += len(plans) * len(seeds)
        self.progress(self.runs)
        return out

    def full(self, plans: Sequence[Plan]) -> list[PlanScore]:
        todo = [p for p in dict.fromkeys(plans) if p not in self.scores]
        if todo:
            for s in self._score(todo, self.seeds):
                self.scores[s.plan] = s
        return [self.scores[p] for p in plans]

    def halving(self, plans: Sequence[Plan], keep: int = 4) -> PlanScore:
        """The best of ``plans``: all on half the organizations, the best ``keep`` on all."""
        plans = list(dict.fromkeys(plans))
        fresh = [p for p in plans if p not in self.scores]
        if len(fresh) > keep:
            half = self.seeds[: max(2, len(self.seeds) // 2)]
            quick = sorted(self._score(fresh, half), key=lambda s: s.key, reverse=True)
            plans = [p for p in plans if p in self.scores] + [s.plan for s in quick[:keep]]
        return max(self.full(plans), key=lambda s: s.key)


def _additions(game: Game, plan: Plan, quarter: int) -> list[Plan]:
    return [
        plan_key((*plan, (tag, quarter))) for tag in game.offers
        if game.can_add(plan, tag, quarter)
    ]


def _moves(game: Game, plan: Plan) -> list[Plan]:
    out = []
    for i, (tag, q) in enumerate(plan):
        for q2 in game.settings.search_quarters:
            moved = plan_key((*plan[:i], (tag, q2), *plan[i + 1 :]))
            if q2 != q and not game.problems(moved):
                out.append(moved)
    return out


def _better(a: PlanScore, b: PlanScore, min_gain: float) -> bool:
    """``a`` beats ``b``: more successes, or as many and a mean active share higher by at
    least ``min_gain`` (an offer that adds less is not worth telling a class about), and
    higher at all: a tie is never better, so the search, which keeps only what is better,
    cannot move back and forth between plans that score the same (with ``min_gain`` 0 it
    did)."""
    if a.successes != b.successes:
        return a.successes > b.successes
    mine, theirs = a.mean("active"), b.mean("active")
    return mine > theirs and mine >= theirs + min_gain


def _grow(scorer: _Scorer, current: PlanScore, quarter: int, min_gain: float) -> PlanScore:
    while candidates := _additions(scorer.game, current.plan, quarter):
        best = scorer.halving(candidates)
        if not _better(best, current, min_gain):
            break
        current = best
    return current


def best_plan(
    game: Game,
    *,
    executor: Executor | None = None,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    min_gain: float = 0.01,
) -> SearchResult:
    """The best plan the search finds within the game's budget (module docstring); an
    addition or a move is kept if it brings more successes, or as many and ``min_gain`` more
    mean active share. ``progress(runs)`` after each batch of runs. Without an executor,
    one pool of ``workers`` local processes (default 2) serves the whole search; ``workers=1``
    runs here."""
    t0 = time.perf_counter()
    own = None
    if executor is None and (workers or 2) > 1:
        own = executor = local_pool(workers or 2)
    finished = False
    try:
        scorer = _Scorer(game, executor, workers, progress)
        first = game.settings.search_quarters[0]
        (current,) = scorer.full([()])
        current = _grow(scorer, current, first, min_gain)
        while moves := _moves(game, current.plan):
            moved = scorer.halving(moves)
            if not _better(moved, current, min_gain):
                break
            current = _grow(scorer, moved, first, min_gain)
        lesser = {c: plan_key([x for x in current.plan if x != c]) for c in current.plan}
        scored = dict(zip(lesser.values(), scorer.full(list(lesser.values())), strict=True))
        without = {c: scored[p] for c, p in lesser.items()}
        finished = True
    finally:
        if own is not None:
            stop_pool(own, finished)
    return SearchResult(current, without, scorer.scores, scorer.runs, time.perf_counter() - t0)
