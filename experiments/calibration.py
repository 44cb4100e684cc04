"""Calibration as a record (issue 13 item 8): the rule's behavioural defaults fitted jointly to
the claim effects and the outcome shapes, by a script (``scripts/calibrate.py``), with its
targets, its fit and its residuals written to a record (docs/calibration.json) and to the ODD
(section 8.1, between ``<!-- calibration -->`` markers).

- **Targets** (:data:`TARGETS`): each a number measured on the runs of the claim checks
  (:func:`experiments.claims.collect`: every built-in plan plus the two motivation variants, on
  the same replicate organizations), an interval it should lie in, a *scale* (how far outside
  counts as one unit of misfit) and its source. The claim targets are the effects each claim
  check (experiments/claims.py) compares with its tolerance: success rates, paired differences,
  ratios; the p-values of the checks are left out (they depend on how many organizations run,
  not on the parameters). The distribution targets are issue 13 items 3-5
  (experiments/distributions.py) and provide-and-pray's one success in ten (research facts [8]).
- **Residual** of a target: the distance of its value outside the interval, divided by its
  scale (0 inside: a hinge); a value that cannot be measured (NaN: no successful organization)
  counts :data:`UNMEASURED` scales off.
- **Loss**: the weighted sum of squared residuals, plus a weak pull
  (``prior_weight`` times the squared distance in units of each search range) toward the
  defaults the parameters had before the fit: among settings that meet every target equally,
  the one that changes the model least.
- **Free parameters** (:data:`FREE_PARAMETERS`): the behavioural defaults the 2026-12-02
  recalibration set by hand (ODD 8.2), each with a search range inside its documented range.
- **Fit**: common random numbers (every evaluation runs the same seeded organizations), a
  space-filling screen (Latin hypercube, ``scipy.stats.qmc``) over the search box, then
  Nelder-Mead (``scipy.optimize``, bounded) from the best point screened; the best
  :data:`ROUNDED` points are rounded (:func:`round_value`) and evaluated again and the best
  rounded one is the fit, so the record's residuals are those of the values a configuration
  would hold. Then the values before and at the fit are compared on fresh organizations
  (``holdout``, root seed + 1): does the fit hold beyond the organizations it was fitted on?
- **Audit**: over the screen, each target's value regressed on the parameters (scaled to their
  search range): a parameter *moves* a target when crossing its search range moves the target by
  at least one scale, two standard errors clear. A free parameter that moves one target or none
  is flagged (issue 13: no parameter whose only reason is one claim).
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import re
import subprocess
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from scenarios import Scenario
from simulation import Dynamics, OrganizationConfig

from .claims import ClaimData, collect, library_plans, motivation_variants, paired
from .distributions import churn, engaged_of_active, final_active, plateau_share
from .executors import default_workers, local_pool, stop_pool
from .knockouts import variant
from .runner import DEFAULT_SEED, replicate_seeds

__all__ = [
    "FREE_PARAMETERS",
    "MARKER",
    "TARGETS",
    "UNMEASURED",
    "Evaluation",
    "FreeParameter",
    "Settings",
    "Target",
    "audit",
    "calibrate",
    "choose",
    "claim_scenarios",
    "cited_claims",
    "default_of",
    "documented_range",
    "evaluate",
    "read_record",
    "render_section",
    "round_value",
    "write_record",
]

#: residual of a target that cannot be measured (NaN), in scales
UNMEASURED = 3.0
#: the ODD's markers: <!-- calibration --> ... <!-- /calibration -->
MARKER = "calibration"


# -- targets ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """A number measured on the runs, the interval it should lie in and how far off counts."""

    name: str
    kind: str  # "claim N" or "shape"
    measure: Callable[[ClaimData], float]
    low: float | None
    high: float | None
    scale: float
    source: str
    weight: float = 1.0

    def residual(self, value: float) -> float:
        if value is None or math.isnan(value):
            return UNMEASURED
        below = 0.0 if self.low is None else max(self.low - value, 0.0)
        above = 0.0 if self.high is None else max(value - self.high, 0.0)
        return (below + above) / self.scale

    def interval(self) -> str:
        if self.low is not None and self.high is not None:
            return f"{self.low:g} to {self.high:g}" if self.low != self.high else f"= {self.low:g}"
        return f">= {self.low:g}" if self.low is not None else f"<= {self.high:g}"


def _success(d: ClaimData, tag: str) -> float:
    return float(d.success(d.one(tag)).mean())


def _diff(a: str, b: str) -> Callable[[ClaimData], float]:
    """Success of plan tagged ``a`` minus plan tagged ``b`` (paired, same organizations)."""
    def measure(d: ClaimData) -> float:
        return paired(d.success(d.one(a)), d.success(d.one(b))).difference
    return measure


def _active_diff(a: str, b: str) -> Callable[[ClaimData], float]:
    """Mean final active share of plan tagged ``a`` minus plan tagged ``b``."""
    def measure(d: ClaimData) -> float:
        return float((d.metric(d.one(a), "active_share")
                      - d.metric(d.one(b), "active_share")).mean())
    return measure


def _engaged(d: ClaimData, tag: str) -> float:
    return float(d.final(d.one(tag), "engaged").mean())


def _gl_minus_pp(d: ClaimData) -> float:
    return paired(d.success(d.one("goal-led")), d.success(d.one("provide-and-pray"))).difference


def _engaged_ratio(d: ClaimData) -> float:
    pp = _engaged(d, "provide-and-pray")
    return _engaged(d, "goal-led") / pp if pp > 0 else math.inf


def _engaged_gap(d: ClaimData) -> float:
    return _engaged(d, "goal-led") - _engaged(d, "provide-and-pray")


def _launch_margin(d: ClaimData) -> float:
    """Bootstrap's 10th percentile of users on launch day minus the highest 90th percentile of
    the platform-first plans, in head counts per 1,000 staff."""
    boot = d.metric(d.one("bootstrap"), "active_at_launch")
    others = [d.metric(n, "active_at_launch") for n in d.platform_first()]
    if not others:
        return math.nan
    n = np.mean([r.n_employees for r in d.runs[d.one("bootstrap")]])
    margin = np.percentile(boot, 10) - max(np.percentile(v, 90) for v in others)
    return float(margin * 1000.0 / n)


def _headline(d: ClaimData) -> list[str]:
    return [d.one(t) for t in ("provide-and-pray", "mandate", "marketing", "goal-led",
                               "bootstrap", "sponsorship")]


def _aware_margin(d: ClaimData) -> float:
    """Marketing's aware share at week 2 minus the highest other headline plan's."""
    mk = d.one("marketing")
    aware = {n: float(d.metric(n, "aware_share_week_2").mean()) for n in _headline(d)}
    return aware[mk] - max(v for n, v in aware.items() if n != mk)


def _depth(d: ClaimData, tag: str) -> float:
    name = d.one(tag)
    return float(d.final(name, "engaged").mean() / max(d.metric(name, "active_share").mean(),
                                                       1e-12))


def _depth_gap(d: ClaimData) -> float:
    return _depth(d, "marketing") - _depth(d, "goal-led")


def _ratio_to_goal_led(tag: str) -> Callable[[ClaimData], float]:
    def measure(d: ClaimData) -> float:
        gl = _engaged(d, "goal-led")
        return _engaged(d, tag) / gl if gl > 0 else math.inf
    return measure


def _signup_margin(d: ClaimData) -> float:
    """Mandate's sign-ups by week 8 minus the most of any other plan, per 1,000 staff."""
    md = d.one("mandate")
    signups = {n: float(d.metric(n, "signups_week_8").mean()) for n in d.runs}
    n = np.mean([r.n_employees for r in d.runs[md]])
    return (signups[md] - max(v for k, v in signups.items() if k != md)) * 1000.0 / n


def _withdrawal(claim: int) -> Callable[[ClaimData], float]:
    """The smallest drop in success when the claim's element is withdrawn from the playbook."""
    def measure(d: ClaimData) -> float:
        base = d.one("playbook")
        names = [n for n in d.tagged("withdrawal") if claim in d.scenarios[n].claims]
        if not names:
            return math.nan
        return min(paired(d.success(base), d.success(n)).difference for n in names)
    return measure


def _critics(d: ClaimData) -> float:
    base = d.one("playbook")
    names = d.tagged("addition")
    if not names:
        return math.nan
    return min(paired(d.success(n), d.success(base)).difference for n in names)


def _months(d: ClaimData) -> float:
    """Of the plans that succeed at least half the time, the median weeks to 50% active of
    successful runs farthest outside 8-78 (the nearest to the edge if all are inside)."""
    medians = []
    for n in d.runs:
        wins = d.success(n)
        if wins.mean() >= 0.5:
            medians.append(float(np.nanmedian(d.metric(n, "weeks_to_50")[wins])))
    if not medians:
        return math.nan
    return max(medians, key=lambda m: max(8 - m, m - 78))


def _plateau(tag: str) -> Callable[[ClaimData], float]:
    def measure(d: ClaimData) -> float:
        return plateau_share(final_active(d.runs[d.one(tag)]))
    return measure


def _plans(d: ClaimData) -> list[str]:
    """The library's plans of a collection (the claims' motivation variants left out)."""
    return [n for n in d.runs if not any(t.startswith("motivation-")
                                         for t in d.scenarios[n].tags)]


def _depth_successful(d: ClaimData) -> list[float]:
    out = []
    for n in _plans(d):
        runs = d.runs[n]
        won = np.array([bool(r.success) for r in runs])
        if won.any():
            out.append(float(np.median(engaged_of_active(runs)[won])))
    return out


def _max_depth(d: ClaimData) -> float:
    v = _depth_successful(d)
    return max(v) if v else math.nan


def _min_depth(d: ClaimData) -> float:
    v = _depth_successful(d)
    return min(v) if v else math.nan


def _max_moves(d: ClaimData) -> float:
    return float(max(churn(d.runs[n]).median_moves for n in _plans(d)))


_C = "experiments/claims.py"
TARGETS: tuple[Target, ...] = (
    Target("provide-and-pray success", "claim 1", lambda d: _success(d, "provide-and-pray"),
           0.03, 0.20, 0.05, f"{_C}: success 3-20%"),
    Target("goal-led success", "claim 2", lambda d: _success(d, "goal-led"), 0.6, None, 0.1,
           f"{_C}: success >= 60%"),
    Target("goal-led minus provide-and-pray success", "claim 2", _gl_minus_pp, 0.4, None, 0.1,
           f"{_C}: >= 40 points above provide-and-pray"),
    Target("engaged share, goal-led over provide-and-pray", "claim 2", _engaged_ratio, 3.0, None,
           1.0, f"{_C}: engaged share >= 3 times provide-and-pray's"),
    Target("engaged share, goal-led minus provide-and-pray", "claim 2", _engaged_gap, 0.10, None,
           0.05, f"{_C}: engaged share >= 10 points above provide-and-pray's"),
    Target("bootstrap success", "claim 3", lambda d: _success(d, "bootstrap"), 0.6, None, 0.1,
           f"{_C}: success >= 60%"),
    Target("bootstrap users on launch day: 10th percentile minus platform-first 90th, per 1,000",
           "claim 3", _launch_margin, 0.0, None, 20.0,
           f"{_C}: 10th percentile above every platform-first plan's 90th"),
    Target("aware by week 2: marketing minus the next headline plan", "claim 3", _aware_margin,
           0.0, None, 0.05, f"{_C}: marketing most aware by week 2"),
    Target("engagement depth: marketing minus goal-led", "claim 3", _depth_gap, None, 0.0, 0.1,
           f"{_C}: depth below goal-led's"),
    Target("engaged share, marketing over goal-led", "claim 3", _ratio_to_goal_led("marketing"),
           None, 0.5, 0.25, f"{_C}: at most half goal-led's"),
    Target("sign-ups by week 8: mandate minus the next plan, per 1,000", "claim 4",
           _signup_margin, 0.0, None, 50.0, f"{_C}: most sign-ups by week 8"),
    Target("engaged share, mandate over goal-led", "claim 4", _ratio_to_goal_led("mandate"),
           None, 1 / 3, 0.15, f"{_C}: at most a third of goal-led's"),
    *(Target(f"success, playbook minus without {what}", f"claim {c}", _withdrawal(c), 0.03, None,
             0.03, f"{_C}: withdrawing it lowers success >= 3 points")
      for c, what in ((5, "veteran reinforcement"), (6, "manager engagement"),
                      (7, "executive sponsorship"), (8, "published outcomes"))),
    Target("success, playbook with critics won over minus playbook", "claim 9", _critics, 0.03,
           None, 0.03, f"{_C}: raises success >= 3 points"),
    Target("final active share, education-first minus launch-then-educate", "claim 10",
           _active_diff("education-first", "education-late"), 0.05, None, 0.05,
           f"{_C}: final active share >= 5 points above"),
    Target("median weeks to 50% active, plans succeeding half the time (worst)", "claim 11",
           _months, 8.0, 78.0, 8.0, f"{_C}: 8-78 weeks"),
    Target("success, goal-led with motivators high minus low", "claim 12",
           _diff("motivation-high", "motivation-low"), 0.10, None, 0.05, f"{_C}: >= 10 points"),
    Target("provide-and-pray success, about one in ten", "shape", lambda d: _success(
        d, "provide-and-pray"), 0.05, 0.15, 0.05,
        "issue 13 / DESIGN claim 1: provide and pray fails about 9 times in 10 (Gartner 2013, "
        "research facts [8])"),
    Target("goal-led organizations ending 20-70% active", "shape", _plateau("goal-led"), 0.3,
           None, 0.1, "issue 13 item 3: a substantial share of a headline plan plateaus (Social "
           "Business Council 2012: 57% of firms at 10-20% active, facts [10])"),
    Target("bootstrap organizations ending 20-70% active", "shape", _plateau("bootstrap"), 0.3,
           None, 0.1, "issue 13 item 3 (as above)"),
    Target("engaged of active, median successful organization (highest plan)", "shape",
           _max_depth, None, 0.5, 0.1, "issue 13 item 4: at most half; Yammer 2021: 31% of users "
           "participate, 2022/23: ~60% read-only (facts [4])"),
    Target("engaged of active, median successful organization (lowest plan)", "shape",
           _min_depth, 0.15, None, 0.1, "IBM file sharing: 16% of users upload (facts [7]); "
           "Deloitte 2013: 40% of registrants post monthly (facts [6])"),
    Target("changes of state per person, median (highest plan)", "shape", _max_moves, None, 4.0,
           1.0, "issue 13 item 5: the median stays at or below 4"),
)


# -- free parameters --------------------------------------------------------------------------
@dataclass(frozen=True)
class FreeParameter:
    """A default fitted by the calibration, searched over [low, high] (inside its documented
    range), rounded to ``step`` in the record."""

    path: str  # dotted, as in a scenario (dynamics.engage_hurdle)
    low: float
    high: float
    step: float
    why: str  # why it is free


def _field(path: str):
    section, name = path.split(".", 1)
    model = {"dynamics": Dynamics, "organization": OrganizationConfig}.get(section)
    if model is None or name not in model.model_fields:
        raise KeyError(path)
    return model.model_fields[name]


def documented_range(path: str) -> tuple[float, float]:
    """A parameter's documented range (simulation/params.py's ``lo`` and ``hi``)."""
    extra = _field(path).json_schema_extra or {}
    return float(extra["lo"]), float(extra["hi"])


def default_of(path: str) -> float:
    """A parameter's default in the configuration now."""
    return float(_field(path).default)


FREE_PARAMETERS: tuple[FreeParameter, ...] = (
    FreeParameter("organization.fit_sigma", 0.2, 1.2, 0.01,
                  "spread of work fit: where adoption plateaus (shapes, claims 1-2)"),
    FreeParameter("dynamics.engage_hurdle", 0.6, 2.0, 0.01,
                  "who contributes: participation inequality and the engagement claims 2-4"),
    FreeParameter("dynamics.engage_band", 0.1, 1.0, 0.01,
                  "how graded contributing is (same targets as the hurdle)"),
    FreeParameter("dynamics.contribution_crowding", 0.0, 1.0, 0.01,
                  "situational lurking: how far a group's contributors level off "
                  "(participation inequality, the engagement claims 2-4 and 12)"),
    FreeParameter("dynamics.drop_rate", 0.03, 0.3, 0.005,
                  "how fast an unrewarding trial ends: churn and plateaus"),
    FreeParameter("dynamics.relapse_penalty", 0.1, 1.0, 0.01,
                  "how much harder each lapse makes a return: churn, claim 3's sequence"),
    FreeParameter("dynamics.retry_rate", 0.02, 0.3, 0.005,
                  "how fast the lapsed try again: churn, time scale"),
    FreeParameter("dynamics.weight_goal", 0.4, 1.4, 0.01,
                  "goal fit as the source of value: claims 1-2, plateaus"),
    FreeParameter("dynamics.weight_mastery", 0.05, 0.8, 0.01,
                  "skill's value: claim 10, and every plan's value"),
    FreeParameter("dynamics.weight_manager", 0.1, 1.2, 0.01,
                  "a manager's support: claim 6, and every plan's trying and engaging"),
)


def _free(path: str) -> FreeParameter:
    for p in FREE_PARAMETERS:
        if p.path == path:
            return p
    lo, hi = documented_range(path)
    step = (1.0 if isinstance(_field(path).default, int)
            else 10 ** math.floor(math.log10(max(hi - lo, 1e-9)) - 2))
    return FreeParameter(path, lo, hi, step, "chosen on the command line")


def round_value(value: float, step: float) -> float:
    """``value`` to the nearest multiple of ``step`` (no float noise in the record)."""
    digits = max(0, -math.floor(math.log10(step)) + 2)
    return round(round(value / step) * step, digits)


# -- settings ---------------------------------------------------------------------------------
class Settings(BaseModel):
    """A calibration run's settings (validated: a bad one names its field)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    organizations: int = Field(30, ge=2, le=10_000, description="replicate organizations per "
                               "plan and evaluation (the same seeded ones every time)")
    seed: int = Field(DEFAULT_SEED, ge=0, description="root seed of the organizations")
    screen: int = Field(24, ge=0, le=10_000, description="space-filling screening points")
    evaluations: int = Field(80, ge=2, le=100_000, description="evaluations in all: the "
                             "defaults, the screen, the refinement and the rounded fit")
    parameters: tuple[str, ...] = Field(tuple(p.path for p in FREE_PARAMETERS), min_length=1,
                                        description="free parameters (dotted paths)")
    holdout: int = Field(30, ge=0, le=10_000, description="fresh organizations (root seed "
                         "+ 1) on which the values before and at the fit are compared again, "
                         "outside the budget: does the fit hold beyond the organizations it "
                         "was fitted on? 0: none")
    minutes: float | None = Field(None, gt=0.0, description="time for the defaults, the "
                                  "screen and the refinement: when it is up they stop (the "
                                  "rounded candidates and the fresh organizations still run)")
    prior_weight: float = Field(0.1, ge=0.0, le=100.0, description="pull toward the defaults "
                                "before the fit, per squared search range")
    engine: str = "numba"

    @field_validator("parameters")
    @classmethod
    def _known(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        for path in v:
            try:
                documented_range(path)
            except (KeyError, ValueError, TypeError):
                raise ValueError(f"{path!r} is not a documented dynamics.* or organization.* "
                                 "parameter with a range") from None
        if len(set(v)) != len(v):
            raise ValueError("a parameter is listed twice")
        return v

    @model_validator(mode="after")
    def _budget(self) -> Settings:
        if self.evaluations < self.screen + 2:
            raise ValueError(f"evaluations ({self.evaluations}) must be at least screen + 2 "
                             f"({self.screen + 2}): the defaults, the screen and the rounded fit")
        return self


# -- evaluating a parameter setting -----------------------------------------------------------
def claim_scenarios() -> dict[str, Scenario]:
    """What every evaluation runs: the built-in plans and the claims' motivation variants."""
    plans = library_plans()
    return {**plans, **motivation_variants(list(plans.values()))}


@dataclass
class Evaluation:
    """One parameter setting's target values, residuals and loss."""

    values: dict[str, float]  # parameter path -> value
    targets: dict[str, float]  # target name -> measured value
    residuals: dict[str, float]
    misfit: float  # weighted sum of squared residuals
    loss: float  # misfit + the pull toward the defaults
    passed: dict[str, bool] = field(default_factory=dict)  # claim checks (experiments/claims.py)


def _with(scenarios: Mapping[str, Scenario], values: Mapping[str, float]) -> dict[str, Scenario]:
    if not values:
        return dict(scenarios)
    over = {k: (int(round(v)) if isinstance(_field(k).default, int) else float(v))
            for k, v in values.items()}
    return {n: variant(sc, over, n) for n, sc in scenarios.items()}


def evaluate(values: Mapping[str, float], scenarios: Mapping[str, Scenario],
             targets: Sequence[Target], organizations: int, seed: int = DEFAULT_SEED, *,
             workers: int | None = None, executor: Executor | Any | None = None,
             engine: str = "numba", checks: Sequence = ()) -> tuple[dict[str, float],
                                                                   dict[str, bool]]:
    """Every target's value with the parameters at ``values`` (dotted overrides applied to
    every scenario), on ``organizations`` seeded organizations; and the pass/fail of
    ``checks`` (experiments.claims.CHECKS) if given."""
    data = collect(organizations, seed, scenarios=_with(scenarios, values), workers=workers,
                   executor=executor, engine=engine)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN medians: NaN is the answer
        measured = {}
        for t in targets:
            try:
                measured[t.name] = float(t.measure(data))
            except (LookupError, ValueError, ZeroDivisionError):
                measured[t.name] = math.nan
    return measured, {f"{c.claim}: {c.statement}": bool(c.evaluate(data).passed) for c in checks}


def misfit(targets: Sequence[Target], measured: Mapping[str, float]) -> tuple[dict[str, float],
                                                                             float]:
    res = {t.name: t.residual(measured[t.name]) for t in targets}
    return res, float(sum(t.weight * res[t.name] ** 2 for t in targets))


# -- the fit ----------------------------------------------------------------------------------
def calibrate(settings: Settings, *, targets: Sequence[Target] = TARGETS,
              scenarios: Mapping[str, Scenario] | None = None,
              start: Mapping[str, float] | None = None, workers: int | None = None,
              executor: Executor | Any | None = None, checks: Sequence = (),
              log: Callable[[str], None] = lambda m: None) -> dict[str, Any]:
    """Fit ``settings.parameters`` to ``targets``; returns the record (see the module's
    docstring). ``start``: the values before the fit (default: the configuration's defaults),
    which the loss's prior pulls toward. ``checks`` (claims.CHECKS) are evaluated at the
    defaults and at the fit for the record. ``workers`` > 1 without an ``executor``: one local
    process pool serves every evaluation."""
    own = None
    if executor is None and workers is None:
        workers = default_workers()
    if executor is None and workers > 1:
        own = _OwnPool(workers)  # one pool for every evaluation
    finished = False
    try:
        record = _calibrate(settings, targets, scenarios, start, workers, executor, own, checks,
                            log)
        finished = True
        return record
    finally:
        if own is not None:
            stop_pool(own.pool, finished)


class _OwnPool:
    """The local process pool of a calibration, replaced if a worker dies."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.pool = local_pool(workers)

    def renew(self) -> None:
        stop_pool(self.pool, False)
        self.pool = local_pool(self.workers)


class _OutOfTime(Exception):
    """``Settings.minutes`` have passed: the screen or the refinement stops."""


#: how many of the best points are rounded and evaluated again to choose the fit
ROUNDED = 3
#: a calibration's own pool is replaced this many times at most (a worker killed)
POOL_RESTARTS = 3


def _calibrate(settings, targets, scenarios, start, workers, executor, own, checks, log):
    from scipy.optimize import minimize
    from scipy.stats import qmc

    t_start = time.perf_counter()
    git = _git()  # the code the run starts with (the tree may change while it runs)
    scenarios = claim_scenarios() if scenarios is None else dict(scenarios)
    free = [_free(p) for p in settings.parameters]
    lo = np.array([p.low for p in free])
    hi = np.array([p.high for p in free])
    before = {p.path: (start or {}).get(p.path, default_of(p.path)) for p in free}
    x_before = np.clip((np.array([before[p.path] for p in free]) - lo) / (hi - lo), 0.0, 1.0)
    history: list[Evaluation] = []
    cache: dict[tuple, Evaluation] = {}

    def values_at(x: np.ndarray, rounded: bool = False) -> dict[str, float]:
        v = lo + np.clip(x, 0.0, 1.0) * (hi - lo)
        return {p.path: (round_value(float(val), p.step) if rounded else float(val))
                for p, val in zip(free, v, strict=True)}

    def measure(values: dict[str, float], organizations: int, seed: int,
                checks: Sequence) -> tuple[dict[str, float], dict[str, bool]]:
        for attempt in range(POOL_RESTARTS + 1):
            try:
                return evaluate(values, scenarios, targets, organizations, seed,
                                workers=workers, executor=executor if own is None else own.pool,
                                engine=settings.engine, checks=checks)
            except BrokenProcessPool:
                if own is None or attempt == POOL_RESTARTS:
                    raise
                log("a worker process died: a new pool runs the evaluation again")
                own.renew()
        raise AssertionError("unreachable")

    def run(values: dict[str, float], with_checks: bool = False) -> Evaluation:
        key = tuple(round(values[p.path], 12) for p in free)
        if key in cache and (cache[key].passed or not with_checks):
            return cache[key]
        measured, passed = measure(values, settings.organizations, settings.seed,
                                   checks if with_checks else ())
        res, mis = misfit(targets, measured)
        x = (np.array([values[p.path] for p in free]) - lo) / (hi - lo)
        loss = mis + settings.prior_weight * float(((x - x_before) ** 2).sum())
        e = Evaluation(dict(values), measured, res, mis, loss, passed)
        cache[key] = e
        history.append(e)
        log(f"evaluation {len(history)}: loss {loss:.3f} (misfit {mis:.3f}) at "
            + ", ".join(f"{k.split('.')[-1]} {v:.3g}" for k, v in values.items()))
        return e

    deadline = (math.inf if settings.minutes is None
                else time.perf_counter() + 60.0 * settings.minutes)

    def search(values: dict[str, float]) -> Evaluation:
        """An evaluation of the screen or the refinement: none once the time is up."""
        if time.perf_counter() > deadline:
            raise _OutOfTime
        return run(values)

    def loss_at(x: np.ndarray) -> float:
        return search(values_at(x)).loss

    # 1. the defaults before the fit
    at_defaults = run(dict(before), with_checks=bool(checks))
    # 2. screen
    screened: list[tuple[np.ndarray, Evaluation]] = [(x_before, at_defaults)]
    if settings.screen:
        sampler = qmc.LatinHypercube(d=len(free), seed=settings.seed % 2**32)
        for x in sampler.random(settings.screen):
            try:
                screened.append((x, search(values_at(x))))
            except _OutOfTime:
                log("time is up: the screen stops here")
                break
    best_x = min(screened, key=lambda s: s[1].loss)[0]
    # 3. refine: Nelder-Mead in the unit box from the best point screened
    left = settings.evaluations - len(history) - ROUNDED  # kept for the rounded candidates
    if left > len(free) and time.perf_counter() <= deadline:
        simplex = [best_x]
        for k in range(len(free)):
            step = np.zeros(len(free))
            step[k] = 0.15 if best_x[k] <= 0.85 else -0.15
            simplex.append(np.clip(best_x + step, 0.0, 1.0))
        try:
            minimize(loss_at, best_x, method="Nelder-Mead", bounds=[(0.0, 1.0)] * len(free),
                     options={"maxfev": left, "initial_simplex": np.array(simplex),
                              "xatol": 0.01, "fatol": 1e-3})
        except _OutOfTime:
            log("time is up: the refinement stops here")
    # 4. the best points rounded, each evaluated again: the fit is the best rounded one
    # (rounding can cost much where the loss is rugged), evaluated with the claim checks
    room = max(1, settings.evaluations - len(history))
    candidates: list[dict[str, float]] = []
    for e in sorted(history, key=lambda e: e.loss):
        r = {p.path: round_value(e.values[p.path], p.step) for p in free}
        if r not in candidates:
            candidates.append(r)
        if len(candidates) == min(ROUNDED, room):
            break
    fitted = min(candidates, key=lambda r: run(r, with_checks=bool(checks)).loss)
    at_fit = run(fitted, with_checks=bool(checks))
    holdout = None
    if settings.holdout:
        seed = settings.seed + 1
        holdout = {"seed": seed, "organizations": settings.holdout}
        for key, values in (("before", before), ("fit", fitted)):
            measured, passed = measure(values, settings.holdout, seed, checks)
            res, mis = misfit(targets, measured)
            holdout[key] = _summary(Evaluation(values, measured, res, mis, mis, passed))
            log(f"fresh organizations, {key}: misfit {mis:.3f}")
    seconds = time.perf_counter() - t_start
    screen_evals = [s[1] for s in screened[1:]]
    return choose({
        "format": 1,
        "status": "proposed",
        "created": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        **git,
        "settings": {**settings.model_dump(mode="json"), "workers": workers,
                     "seeds": replicate_seeds(settings.seed, settings.organizations)},
        "runtime_s": round(seconds, 1),
        "evaluations": len(history),
        "targets": [{"name": t.name, "kind": t.kind, "low": t.low, "high": t.high,
                     "scale": t.scale, "weight": t.weight, "source": t.source}
                    for t in targets],
        "parameters": [{"path": p.path, "before": before[p.path], "fitted": fitted[p.path],
                        "search": [p.low, p.high], "documented": list(documented_range(p.path)),
                        "step": p.step, "why_free": p.why,
                        "documented_reason": _field(p.path).description or ""}
                       for p in free],
        "before": _summary(at_defaults),
        "fit": _summary(at_fit),
        "holdout": holdout,
        "audit": audit(free, targets, screen_evals),
        "history": [[round(e.loss, 4)] + [round(e.values[p.path], 4) for p in free]
                    for e in history],
    })


def choose(record: dict[str, Any]) -> dict[str, Any]:
    """Which values the record recommends as defaults (``choice`` and each parameter's
    ``chosen``): the fit, unless on the fresh organizations it does no better than the values
    before it (a fit that does not carry over to organizations it was not fitted on has fitted
    noise); without fresh organizations, the fit."""
    holdout = record.get("holdout")
    keep = bool(holdout) and holdout["fit"]["misfit"] >= holdout["before"]["misfit"]
    record["choice"] = "before" if keep else "fit"
    for p in record["parameters"]:
        p["chosen"] = p["before"] if keep else p["fitted"]
    return record


def _choice_sentence(record: dict[str, Any]) -> str:
    holdout = record.get("holdout")
    if record.get("choice", "fit") == "fit":
        if not holdout:
            return "Chosen: the fit (no fresh organizations to check it on)."
        return (f"Chosen: the fit, which also does better on the fresh organizations (misfit "
                f"{holdout['fit']['misfit']:.3g} against {holdout['before']['misfit']:.3g}).")
    return (f"Chosen: the values before the fit, which on the {holdout['organizations']} fresh "
            f"organizations do at least as well as the fit (misfit "
            f"{holdout['before']['misfit']:.3g} against the fit's "
            f"{holdout['fit']['misfit']:.3g}): the fit's gain on the fitted organizations is "
            "within their noise, so the defaults stand as the joint fit's validated values.")


def _summary(e: Evaluation) -> dict[str, Any]:
    return {"loss": round(e.loss, 4), "misfit": round(e.misfit, 4),
            "values": {k: _num(v) for k, v in e.targets.items()},
            "residuals": {k: round(v, 4) for k, v in e.residuals.items()},
            "checks": e.passed}


def _num(v: float) -> float | None:
    return None if v is None or not math.isfinite(v) else round(v, 4)


def _git() -> dict[str, Any]:
    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                                    cwd=root, capture_output=True, text=True,
                                    check=True).stdout.strip())
    except (OSError, subprocess.CalledProcessError):
        return {"git_commit": None, "git_dirty": None}
    return {"git_commit": head, "git_dirty": dirty}


# -- the audit: which targets each free parameter moves ---------------------------------------
_CLAIM = re.compile(r"claims? ([\d, and]+)")


def cited_claims(text: str) -> list[int]:
    """The claims a parameter's documented reason cites ("(claim 6)", "claims 6, 7, 9")."""
    out: set[int] = set()
    for m in _CLAIM.finditer(text):
        out.update(int(n) for n in re.findall(r"\d+", m.group(1)))
    return sorted(out)


def _kind_order(kind: str) -> tuple[int, str]:
    """Claims in their order (claim 2 before claim 10), then the shapes."""
    number = re.findall(r"\d+", kind)
    return (int(number[0]) if number else 1000, kind)


def audit(free: Sequence[FreeParameter], targets: Sequence[Target],
          screen: Sequence[Evaluation]) -> list[dict[str, Any]]:
    """Per free parameter: the claims its documented reason cites, and the targets it moves
    over the screen (ordinary least squares of each target's value, in scales, on the
    parameters scaled to their search ranges: |slope| >= 1 scale and >= 2 standard errors)."""
    moves: dict[str, list[dict[str, Any]]] = {p.path: [] for p in free}
    n, k = len(screen), len(free)
    if n > k + 2:
        lo = np.array([p.low for p in free])
        hi = np.array([p.high for p in free])
        x = np.array([[e.values[p.path] for p in free] for e in screen])
        design = np.column_stack([np.ones(n), (x - lo) / (hi - lo)])
        for t in targets:
            y = np.array([e.targets[t.name] for e in screen], float) / t.scale
            ok = np.isfinite(y)
            if ok.sum() <= k + 2 or np.ptp(y[ok]) == 0:
                continue
            a, yy = design[ok], y[ok]
            beta, *_ = np.linalg.lstsq(a, yy, rcond=None)
            dof = len(yy) - a.shape[1]
            sigma2 = float(((yy - a @ beta) ** 2).sum() / dof)
            cov = sigma2 * np.linalg.pinv(a.T @ a)
            for j, p in enumerate(free):
                slope, se = float(beta[j + 1]), math.sqrt(max(cov[j + 1, j + 1], 0.0))
                if abs(slope) >= 1.0 and abs(slope) >= 2 * se:
                    moves[p.path].append({"target": t.name, "kind": t.kind,
                                          "slope": round(slope, 2)})
    return [{"path": p.path, "cited_claims": cited_claims(_field(p.path).description or ""),
             "moves": moves[p.path],
             "kinds": sorted({m["kind"] for m in moves[p.path]}, key=_kind_order),
             "screened": n > k + 2}
            for p in free]


# -- the record and the ODD section -----------------------------------------------------------
def write_record(record: Mapping[str, Any], path: Path) -> None:
    """Write the record as JSON, atomically (a temporary file, then rename)."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(record, indent=1) + "\n")
    os.replace(tmp, path)


def read_record(path: Path) -> dict[str, Any]:
    return json.loads(Path(path).read_text())


def _f(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.3g}" if abs(v) < 1000 else f"{v:,.0f}"
    return str(v)


def render_section(record: Mapping[str, Any]) -> str:
    """The ODD's calibration section (between the markers), from the record alone."""
    s = record["settings"]
    params = record["parameters"]
    lines = [
        f"Written by `python scripts/calibrate.py --organizations {s['organizations']} "
        f"--screen {s['screen']} --evaluations {s['evaluations']}"
        + (f" --minutes {s['minutes']:g}" if s.get("minutes") else "")
        + "` from docs/calibration.json "
        f"({record['created']}, commit {str(record['git_commit'])[:7]}"
        f"{' with local changes' if record['git_dirty'] else ''}; {record['evaluations']} "
        f"evaluations in {record['runtime_s']:.0f} s on {s['workers'] or 'default'} workers). "
        f"Every evaluation runs the same {s['organizations']} seeded organizations (root seed "
        f"{s['seed']}) under every built-in plan and the claims' two motivation variants. "
        f"Loss: weighted sum of squared residuals "
        f"plus {s['prior_weight']:g} x the squared distance (in search ranges) from the values "
        f"before the fit. Before the fit: loss {record['before']['loss']:.3g} (misfit "
        f"{record['before']['misfit']:.3g}); at the fit: loss {record['fit']['loss']:.3g} "
        f"(misfit {record['fit']['misfit']:.3g}). " + _choice_sentence(record)
        + f" Status: **{record['status']}**"
        + (" (the chosen values are the configuration's defaults)." if record["status"] ==
           "adopted" else " (the configuration's defaults are not yet the chosen values)."),
        "",
        "**Targets** (residual: distance outside the interval over the scale; 0 inside)",
        "",
        "| target | kind | interval | scale | source |",
        "|---|---|---|---:|---|",
    ]
    for t in record["targets"]:
        interval = Target(t["name"], t["kind"], lambda d: 0.0, t["low"], t["high"], t["scale"],
                          t["source"]).interval()
        lines.append(f"| {t['name']} | {t['kind']} | {interval} | {t['scale']:g} | "
                     f"{t['source']} |")
    lines += ["", "**Free parameters** (searched inside their documented ranges)", "",
              "| parameter | before | fitted | search range | documented range | why free |",
              "|---|---:|---:|---|---|---|"]
    for p in params:
        lines.append(f"| `{p['path']}` | {p['before']:g} | {p['fitted']:g} | "
                     f"{p['search'][0]:g}-{p['search'][1]:g} | "
                     f"{p['documented'][0]:g}-{p['documented'][1]:g} | {p['why_free']} |")
    h = record.get("holdout")
    fresh = (f"; on {h['organizations']} fresh organizations (root seed {h['seed']}), not "
             "fitted on" if h else "")
    lines += ["", "**Residuals** (measured value and residual, before the fit and at the fit, "
              f"on the fitted organizations{fresh})", "",
              "| target | before | residual | fit | residual |"
              + (" fresh: before | residual | fresh: fit | residual |" if h else ""),
              "|---|" + "---:|" * (8 if h else 4)]
    arms = [record["before"], record["fit"]] + ([h["before"], h["fit"]] if h else [])
    for t in record["targets"]:
        n = t["name"]
        lines.append(f"| {n} | " + " | ".join(f"{_f(a['values'][n])} | {a['residuals'][n]:.2f}"
                                              for a in arms) + " |")
    lines.append("| **misfit** (sum of squares) | | " + " | | ".join(
        f"{a['misfit']:.3g}" for a in arms) + " |")
    if h:
        holds = h["fit"]["misfit"] < h["before"]["misfit"]
        lines += ["", f"On the {h['organizations']} fresh organizations the fit's misfit is "
                  f"{h['fit']['misfit']:.3g} against {h['before']['misfit']:.3g} before it: the "
                  f"fit {'holds' if holds else '**does not hold**'} beyond the organizations it "
                  "was fitted on."]
    if arms[0].get("checks"):
        ok = [f"{sum(a['checks'].values())} of {len(a['checks'])}" for a in arms]
        lines += ["", f"Claim checks passing (experiments/claims.py, p-values included): "
                  f"{ok[0]} before and {ok[1]} at the fit on the {s['organizations']} fitted "
                  "organizations" + (f"; {ok[2]} and {ok[3]} on the fresh ones." if h else ".")]
    lines += ["", "**Audit: what each free parameter moves** (over the screen: targets moved by "
              "at least one scale across the search range, two standard errors clear; "
              "**one or none**: a parameter with at most one reason)", "",
              "| parameter | documented reason cites | targets it moves (slope in scales) | "
              "reasons |", "|---|---|---|---|"]
    for a in record["audit"]:
        cites = ", ".join(f"claim {c}" for c in a["cited_claims"]) or "no claim"
        moved = "; ".join(f"{m['target']} ({m['slope']:+.1f})" for m in a["moves"]) or "none"
        count = len(a["moves"])
        kinds = ", ".join(sorted(a["kinds"], key=_kind_order))
        verdict = (f"{count} targets ({kinds})" if count > 1
                   else f"**{'one' if count else 'none'}**") if a["screened"] else "not screened"
        lines.append(f"| `{a['path']}` | {cites} | {moved} | {verdict} |")
    return "\n".join(lines)
