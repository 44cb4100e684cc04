"""Is each domain claim carried by the mechanism it names? Knockouts and falsifications.

DESIGN section 3: switching the named mechanism off (a documented parameter) must remove most
of a claim's effect on the same organizations, and some plausible setting within the
documented ranges must make the claim fail. For every claim this module names

- the claim's *effect*, a paired contrast between two library plans measured on the same
  replicate organizations (plan A minus plan B, per organization; or one plan's level),
- the *switch*: dotted overrides (as ``adoptsim run --set``) that turn the named mechanism
  off, applied to both plans,
- a *falsification*: a plausible setting within the documented ranges under which the effect
  should vanish or reverse,

and measures the effect three times on the same organizations (same seeds): at the
defaults, with the switch, and under the falsification. A claim is *carried* by its
mechanism when the default effect is clear (at least ``min_effect`` and two paired standard
errors above zero), the knockout keeps at most half of it, and the falsification keeps at most
half of it. :func:`evaluate` returns the figures; ``scripts/knockouts.py`` writes them to
docs/KNOCKOUTS.md.

Overrides address an intervention of a plan by its type: ``plan[communities].goal_fit``
(the first intervention of that type in the plan; a plan without one is left as it is).
Conditions are overridden as a range of zero width (``{low = x, high = x}``) so that every
organization draws the same random numbers as at the defaults (pinning a condition to a bare
number would skip its draw and shift every later one). Claim 12's motivators are moved one at a
time by ``organization.motivator_shift.*``, which moves a draw's location, not the draws.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

import numpy as np

from scenarios import Scenario, set_value, validate_data
from simulation import Dynamics, RunResult

from .claims import ClaimData, collect, library_plans
from .runner import DEFAULT_SEED

__all__ = [
    "MECHANISMS",
    "Contrast",
    "Driver",
    "Effect",
    "Mechanism",
    "MechanismOutcome",
    "condition_ranges",
    "driver_ranking",
    "evaluate",
    "variant",
    "active_at_horizon",
    "engaged_at_week",
    "half_active_in_months",
    "newcomers_active",
]

Measure = Callable[[RunResult, Scenario], float]


def success(r: RunResult, sc: Scenario) -> float:
    return float(r.success)


def failure(r: RunResult, sc: Scenario) -> float:
    return 1.0 - float(r.success)


def engaged_at_horizon(r: RunResult, sc: Scenario) -> float:
    return float(r.metrics["final_share"]["engaged"])


def active_at_week(week: int) -> Measure:
    def measure(r: RunResult, sc: Scenario) -> float:
        s = r.series
        return float(s["adopted"][week] + s["engaged"][week]) / r.n_employees

    measure.__name__ = f"active share at week {week}"
    return measure


def engaged_at_week(week: int) -> Measure:
    def measure(r: RunResult, sc: Scenario) -> float:
        return float(r.series["engaged"][week]) / r.n_employees

    measure.__name__ = f"engaged share at week {week}"
    return measure


def active_at_horizon(r: RunResult, sc: Scenario) -> float:
    return float(r.metrics["active_share"])


#: claim 11's window: "months" is 8 to 78 weeks to 50% active (experiments/claims.py's check)
MONTHS = (8, 78)


def half_active_in_months(r: RunResult, sc: Scenario) -> float:
    """1 if the organization reaches 50% active in months (:data:`MONTHS`, weeks inclusive),
    0 if faster (days or weeks), slower or never within the horizon (eons)."""
    w = r.metrics["weeks_to_50"]
    return float(w is not None and MONTHS[0] <= w <= MONTHS[1])


def newcomers_active(r: RunResult, sc: Scenario) -> float:
    """Active share at the horizon among the people hired during the run (0 if none)."""
    v = r.metrics["newcomer_active_share"]
    return 0.0 if v is None else float(v)


@dataclass(frozen=True)
class Contrast:
    """A claim's effect per organization: ``measure`` of plan ``a`` minus that of plan ``b``
    (or of ``a`` alone when ``b`` is None). Plans are picked by tag, and, for a plan tagged
    ``withdrawal``, by the intervention type it lacks (``without``)."""

    a: str
    b: str | None
    measure: Measure
    label: str
    without: str | None = None  # b is the playbook without this intervention type
    add_to_b: tuple[dict[str, Any], ...] = ()  # interventions appended to b's plan
    change_b: tuple[tuple[str, Any], ...] = ()  # overrides of b's plan (``variant``'s keys)


@dataclass(frozen=True)
class Mechanism:
    claim: int
    statement: str
    mechanism: str  # what the claim names as its cause, in words
    contrast: Contrast
    switch: dict[str, Any]  # dotted overrides that switch the mechanism off
    falsify: dict[str, Any]  # a plausible setting where the claim should fail
    falsify_why: str
    min_effect: float = 0.03
    key: str = ""  # tells apart two checks of one claim ("3-sequence")

    @property
    def name(self) -> str:
        return self.key or str(self.claim)


@dataclass(frozen=True)
class Effect:
    mean: float
    se: float  # paired standard error across organizations

    def __str__(self) -> str:
        return f"{self.mean:+.3f} (se {self.se:.3f})"


@dataclass(frozen=True)
class MechanismOutcome:
    mechanism: Mechanism
    default: Effect
    knockout: Effect
    falsified: Effect

    @property
    def kept_by_knockout(self) -> float:
        return _kept(self.knockout, self.default)

    @property
    def kept_by_falsification(self) -> float:
        return _kept(self.falsified, self.default)

    @property
    def clear(self) -> bool:
        d = self.default
        return d.mean >= self.mechanism.min_effect and d.mean > 2 * d.se

    @property
    def carried(self) -> bool:
        return self.clear and self.kept_by_knockout <= 0.5

    @property
    def falsifiable(self) -> bool:
        return self.clear and self.kept_by_falsification <= 0.5

    @property
    def passed(self) -> bool:
        return self.carried and self.falsifiable


def _kept(part: Effect, whole: Effect) -> float:
    return part.mean / whole.mean if whole.mean > 0 else math.nan


_TYPED = re.compile(r"^plan\[(\w+)\]\.(.+)$")


def variant(sc: Scenario, overrides: dict[str, Any], name: str,
            add: Sequence[dict[str, Any]] = ()) -> Scenario:
    """``sc`` with the interventions ``add`` appended to its plan, then ``overrides`` applied
    (dotted paths; ``plan[type].field`` addresses the plan's first intervention of that type,
    skipped if it has none)."""
    data = sc.model_dump(mode="json", exclude_none=True)
    data["plan"] = [*data["plan"], *add]
    for key, value in overrides.items():
        m = _TYPED.match(key)
        if m:
            types = [p["type"] for p in data["plan"]]
            if m.group(1) not in types:
                continue
            key = f"plan.{types.index(m.group(1))}.{m.group(2)}"
        set_value(data, key, value, f"override {key!r}")
    data["name"] = name
    return validate_data(data, f"variant {name!r}", overridden=True)


def _pinned(value: float) -> dict[str, float]:
    """A condition pinned without skipping its draw (see the module's docstring)."""
    return {"low": value, "high": value}


def _pick(plans: dict[str, Scenario], tag: str, without: str | None = None) -> Scenario:
    found = [s for s in plans.values() if tag in s.tags]
    if without is not None:
        base = _pick(plans, "playbook")
        found = [s for s in found
                 if {p.type for p in base.plan} - {p.type for p in s.plan} == {without}]
    if len(found) != 1:
        raise LookupError(f"expected one plan tagged {tag!r} (without {without}), "
                          f"found {[s.name for s in found]}")
    return found[0]


def _withdrawal(claim: int, statement: str, mechanism: str, without: str, what: str,
                switch: dict[str, Any], falsify: dict[str, Any], why: str) -> Mechanism:
    """A playbook element's claim: success of the playbook minus the playbook without it."""
    return Mechanism(claim, statement, mechanism,
                     Contrast("playbook", "withdrawal", success,
                              f"success, playbook minus playbook without {what}",
                              without=without),
                     switch, falsify, why)


#: claim 12's motivators, in the order of ``dynamics.motivation_weights``, and their defaults
MOTIVATORS = ("autonomy", "mastery", "purpose", "community")
_WEIGHTS = tuple(Dynamics.model_fields["motivation_weights"].default)
#: how far below the others' level a motivator is set in claim 12's plan B
MOTIVATOR_LOW = -0.3


def _weights(motivator: str, weight: float) -> list[float]:
    w = list(_WEIGHTS)
    w[MOTIVATORS.index(motivator)] = weight
    return w


def _motivator(name: str, channel: str, switch: dict[str, Any], falsify: dict[str, Any],
               why: str) -> Mechanism:
    """Claim 12, one motivator: goal-led's engaged share with the motivator at the others'
    level minus with it 0.3 lower (the same organizations otherwise)."""
    return Mechanism(
        12, f"Motivators: {name} drives engagement", channel,
        Contrast("goal-led", "goal-led", engaged_at_horizon,
                 f"engaged share at the horizon, goal-led minus goal-led with {name} "
                 f"{-MOTIVATOR_LOW:g} below the other motivators "
                 f"(`organization.motivator_shift.{name} = {MOTIVATOR_LOW:g}`)",
                 change_b=((f"organization.motivator_shift.{name}", MOTIVATOR_LOW),)),
        switch, falsify, why, key=f"12-{name}")


def _motivator_weighed(name: str, channel: str, care: str) -> Mechanism:
    """A motivator whose own channel is its weight in motivation: switched off at 0, falsified
    at 0.2 (people who value it little)."""
    return _motivator(name, channel, {"dynamics.motivation_weights": _weights(name, 0.0)},
                      {"dynamics.motivation_weights": _weights(name, 0.2)},
                      f"people who {care} ({name} weighs 0.2 in motivation against 1-1.2 for "
                      "the others)")


# -- the claims ------------------------------------------------------------------------------
#: bootstrap's platform launch week (scenarios/library/bootstrap.toml)
BOOTSTRAP_LAUNCH = 26

MECHANISMS: tuple[Mechanism, ...] = (
    Mechanism(
        1, "Provide and pray fails almost 9 times in 10",
        "a bare platform serves no goal: little value without a purpose",
        Contrast("provide-and-pray", None, failure, "failure rate of provide-and-pray"),
        {"conditions.relevance": _pinned(1.0)},
        {"conditions.relevance": _pinned(0.6), "conditions.motivation": _pinned(0.6),
         "conditions.tool_fit": _pinned(0.9)},
        "an organization whose work a well-fitting platform (tool_fit 0.9) serves even bare "
        "(relevance 0.6), with motivated staff (0.6): the tops of the documented ranges",
    ),
    Mechanism(
        2, "Goal-led communities succeed",
        "goal fit of one's work with it is the main source of value",
        Contrast("goal-led", "provide-and-pray", success,
                 "success, goal-led minus provide-and-pray"),
        {"dynamics.weight_goal": 0.0},
        {"plan[communities].goal_fit": 0.3},
        "communities whose goal fits the work poorly (goal_fit 0.3)",
    ),
    Mechanism(
        3, "Bootstrap has users when the platform launches",
        "communities work socially with existing tools before the platform exists",
        Contrast("bootstrap", "marketing", engaged_at_week(BOOTSTRAP_LAUNCH),
                 f"engaged share (working out loud) at week {BOOTSTRAP_LAUNCH} (bootstrap's "
                 "launch), bootstrap minus platform-first marketing"),
        {"dynamics.legacy_fit": 0.0},
        {"dynamics.legacy_fit": 0.1},
        "existing tools barely support working out loud (legacy_fit 0.1)",
    ),
    Mechanism(
        3, "The sequence: the same bootstrap plan beats itself with the platform first",
        "first impressions: people who gave up on an empty platform are harder to win back "
        "(a relapse penalty on the threshold, trust lost on lapsing, a slower retry)",
        Contrast("bootstrap", "bootstrap", active_at_horizon,
                 "active share at the horizon, bootstrap (platform at week 26) minus the same "
                 "interventions with the platform launched at week 0",
                 change_b=(("plan[launch_platform].start", 0),)),
        {"dynamics.relapse_penalty": 0.0, "dynamics.trust_lapse_loss": 0.0,
         "dynamics.retry_rate": 0.35},
        {"conditions.tool_fit": _pinned(0.9)},
        "a platform that fits the work well (tool_fit 0.9, the top of the documented range): "
        "even empty, it does not disappoint",
        key="3-sequence", min_effect=0.02,
    ),
    Mechanism(
        4, "Mandates: sign-ups, not engagement",
        "being told erodes autonomy and trust in the initiative",
        Contrast("goal-led", "goal-led", engaged_at_horizon,
                 "engaged share at the horizon, goal-led minus goal-led with a six-month "
                 "mandate (weeks 0-25)",
                 add_to_b=({"type": "mandate", "start": 0, "end": 25},)),
        {"plan[mandate].autonomy_cost": 0.0, "plan[mandate].trust_cost": 0.0},
        {"plan[mandate].autonomy_cost": 0.05, "plan[mandate].trust_cost": 0.05,
         "plan[mandate].fatigue": 0.2},
        "a light mandate in an organization used to being told: little autonomy and trust "
        "lost (0.05 each) and little pressure to post (fatigue 0.2)",
        min_effect=0.01,
    ),
    Mechanism(
        5, "Veterans set the norm for newcomers",
        "newcomers learn the norm from veterans: they weigh veterans' behaviour more than "
        "others', and onboarding passes on what their department's veterans do",
        Contrast("playbook", "withdrawal", newcomers_active,
                 "active share at the horizon of the people hired during the run, playbook "
                 "minus playbook without veteran reinforcement",
                 without="veteran_reinforcement"),
        {"dynamics.newcomer_veteran_weight": 1, "dynamics.veteran_mentoring": 0.0},
        {"organization.veteran_years": 20.0},
        "an organization with few veterans (veterans from 20 years' tenure)",
    ),
    _withdrawal(
        6, "Middle managers are a major causal factor",
        "people feel their manager's support or discouragement",
        "manager_engagement", "manager engagement",
        {"dynamics.manager_signal": 0.0},
        {"conditions.manager_attitude": _pinned(0.3), "conditions.tool_fit": _pinned(0.9),
         "conditions.trust": _pinned(0.7)},
        "managers already supportive, a platform that fits the work, a trusting organization "
        "(attitude 0.3, tool_fit 0.9, trust 0.7: the tops of the documented ranges): the "
        "playbook succeeds with or without the managers' programme",
    ),
    # on the final active share: leaders' example also amplifies contributing (7.4), and with
    # situational lurking most organizations sit near success's 10%-contributors threshold, so
    # on success a trusting, motivated organization still gains ~2/3 of sponsorship's effect
    # through that threshold (ODD 8.5); whether people take it up at all is what role models
    # move, and what a trusting, motivated organization does not need them for
    Mechanism(
        7, "Leaders must walk the talk",
        "people feel the leaders' visible example",
        Contrast("playbook", "withdrawal", active_at_horizon,
                 "active share at the horizon, playbook minus playbook without executive "
                 "sponsorship", without="executive_sponsorship"),
        {"dynamics.leader_example": 0.0},
        {"conditions.trust": _pinned(0.7), "conditions.motivation": _pinned(0.6)},
        "a trusting, motivated organization (trust 0.7, motivation 0.6: the tops of the "
        "documented ranges), which needs no role models", min_effect=0.02,
    ),
    _withdrawal(
        8, "Momentum: measured, published outcomes sustain it",
        "published outcomes make value visible and remove the sense of a stall",
        "publish_outcomes", "published outcomes",
        {"dynamics.weight_outcomes": 0.0, "dynamics.outcomes_momentum": 0.0},
        {"plan[publish_outcomes].strength": 0.3},
        "figures few people see or believe (strength 0.3)",
    ),
    # claims 9 and 10 move outcomes by a few points: measured on the final active share (with
    # partial plateaus, success, a threshold, is too coarse to tell a knockout from noise)
    Mechanism(9, "Win over the critics", "critics won over stop their negative voice",
              Contrast("addition", "playbook", active_at_horizon,
                       "active share at the horizon, playbook with critics won over minus "
                       "playbook"),
              {"plan[win_over_critics].conversion": 0.0}, {"conditions.critics": _pinned(0.02)},
              "an organization with few critics (2% of staff)", min_effect=0.02),
    Mechanism(10, "Education first, pilot several tools",
              "skill with the tools raises the value one gets",
              Contrast("education-first", "education-late", active_at_horizon,
                       "active share at the horizon, education-first minus "
                       "launch-then-educate"),
              {"dynamics.weight_mastery": 0.0}, {"conditions.tool_fit": _pinned(0.9)},
              "a platform that fits the work well anyway (tool_fit 0.9)", min_effect=0.02),
    Mechanism(
        11, "Time scale: months, not days and not eons",
        "every step (hearing of it, trying, adopting, joining a community) is a weekly chance "
        "of a few tenths, and most people try only once enough of their contacts do "
        "(thresholds of social proof): each step takes weeks, the cascade contact by contact "
        "months",
        Contrast("goal-led", None, half_active_in_months,
                 f"share of organizations where goal-led reaches 50% active in months "
                 f"({MONTHS[0]}-{MONTHS[1]} weeks; faster, slower or never counts 0)"),
        {"dynamics.word_of_mouth": 1.0, "dynamics.try_rate": 1.0, "dynamics.adopt_rate": 0.6,
         "dynamics.retry_rate": 1.0, "dynamics.join_rate": 1.0,
         "organization.threshold_mean": 0.0},
        {"dynamics.try_rate": 0.05, "dynamics.adopt_rate": 0.05},
        "a sluggish organization where a ready person tries it, and a trial turns into use, "
        "about once in 20 weeks (try_rate and adopt_rate 0.05 per week): eons",
    ),
    _motivator_weighed(
        "autonomy", "autonomy's weight in motivation, its only channel (motivation drives "
        "trying and engaging)", "care little how free they are in their work"),
    _motivator(
        "mastery", "mastery's weight in motivation and skill's value (weight_mastery), "
        "its two channels",
        {"dynamics.motivation_weights": _weights("mastery", 0.0),
         "dynamics.weight_mastery": 0.0},
        {"dynamics.motivation_weights": _weights("mastery", 0.2),
         "dynamics.weight_mastery": 0.05},
        "people who care little about getting better with the tools, on a platform that needs "
        "little skill (mastery weighs 0.2 in motivation against 1-1.2 for the others; skill's "
        "value 0.05)"),
    *(_motivator_weighed(
        name, f"{name}'s weight in motivation (it also draws people into communities, with "
        f"{other}: a channel no parameter switches off for one motivator)", care)
      for name, other, care in (
          ("purpose", "belonging", "look for little purpose in their work tools"),
          ("community", "purpose", "care little about belonging to a community"))),
)


def _plans_needed(plans: dict[str, Scenario],
                  mechanisms: Sequence[Mechanism]) -> list[tuple[Mechanism, Scenario,
                                                                 Scenario | None]]:
    out = []
    for m in mechanisms:
        c = m.contrast
        a = _pick(plans, c.a)
        b = None if c.b is None else _pick(plans, c.b, c.without if c.b == "withdrawal" else None)
        if b is not None and (c.add_to_b or c.change_b):
            b = variant(b, dict(c.change_b), f"{b.name} [plan B of claim {m.name}]",
                        add=c.add_to_b)
        out.append((m, a, b))
    return out


ARMS = ("default", "knockout", "falsified")


def evaluate(replicates: int, seed: int = DEFAULT_SEED, *,
             mechanisms: Sequence[Mechanism] = MECHANISMS,
             plans: dict[str, Scenario] | None = None, workers: int | None = None,
             executor: Executor | Any | None = None,
             progress: Callable[[int], None] | None = None,
             reuse: Sequence[ClaimData] = ()) -> list[MechanismOutcome]:
    """Every mechanism's effect at the defaults, knocked out and falsified, on ``replicates``
    organizations (the same ones for every plan and arm). ``reuse``: runs already made
    (``collect`` s from the same seed) that need not run again (see
    :func:`~experiments.claims.collect`)."""
    plans = library_plans() if plans is None else plans
    scenarios: dict[str, Scenario] = {}  # every plan and variant to run, by its unique name

    def arm_of(sc: Scenario | None, m: Mechanism, arm: str) -> str | None:
        if sc is None:
            return None
        over = {"default": {}, "knockout": m.switch, "falsified": m.falsify}[arm]
        v = variant(sc, over, f"{sc.name} [{arm}, claim {m.name}]") if over else sc
        scenarios.setdefault(v.name, v)
        return v.name

    wanted = []
    for m, a, b in _plans_needed(plans, mechanisms):
        wanted.append((m, {arm: (arm_of(a, m, arm), arm_of(b, m, arm)) for arm in ARMS}))
    runs = collect(replicates, seed, scenarios=scenarios, workers=workers, executor=executor,
                   progress=progress, reuse=reuse).runs

    def per_org(m: Mechanism, name: str) -> np.ndarray:
        sc = scenarios[name]
        return np.array([m.contrast.measure(r, sc) for r in runs[name]])

    def effect(m: Mechanism, pair: tuple[str, str | None]) -> Effect:
        x = per_org(m, pair[0])
        if pair[1] is not None:
            x = x - per_org(m, pair[1])
        se = float(x.std(ddof=1) / math.sqrt(x.size)) if x.size > 1 else math.nan
        return Effect(float(x.mean()), se)

    return [MechanismOutcome(m, *(effect(m, pairs[arm]) for arm in ARMS))
            for m, pairs in wanted]


# -- claim 6 as a ranking: which organizational conditions drive outcomes most ---------------
def condition_ranges() -> dict[str, tuple[float, float]]:
    """The documented ranges of the organization-level conditions (``conditions.*`` whose
    default is a range): what differs between organizations."""
    from simulation import Conditions, Range

    out = {}
    for name, f in Conditions.model_fields.items():
        if isinstance(f.default, Range):
            out[name] = (f.default.low, f.default.high)
    return out


@dataclass(frozen=True)
class Driver:
    name: str
    mu_star: float  # Morris mean absolute elementary effect on the final active share
    conf: float  # its 95% bootstrap half-width
    rank: int  # 1 = strongest


def driver_ranking(plan: Scenario, trajectories: int = 20, organizations: int = 3, *,
                   seed: int = DEFAULT_SEED, levels: int = 4, workers: int | None = None,
                   executor: Executor | Any | None = None) -> list[Driver]:
    """Morris screening (SALib) of ``plan`` over the documented condition ranges: each design
    point pins every condition (zero-width ranges) and runs the same ``organizations`` seeds;
    the output is the final active share averaged over them. Drivers strongest first."""
    from SALib.analyze import morris as analyze_morris
    from SALib.sample import morris as sample_morris

    ranges = condition_ranges()
    names = list(ranges)
    problem = {"num_vars": len(names), "names": names, "bounds": [list(ranges[n]) for n in names]}
    x = sample_morris.sample(problem, trajectories, num_levels=levels,
                             seed=seed % (2**32))
    points = [variant(plan, {f"conditions.{n}": _pinned(float(v))
                             for n, v in zip(names, row, strict=True)},
                      f"{plan.name} [morris point {i}]") for i, row in enumerate(x)]
    runs = collect(organizations, seed, scenarios={sc.name: sc for sc in points},
                   workers=workers, executor=executor).runs
    y = np.array([np.mean([r.metrics["active_share"] for r in runs[sc.name]]) for sc in points])
    si = analyze_morris.analyze(problem, x, y, num_levels=levels, num_resamples=1000,
                                seed=seed % (2**32))
    order = np.argsort(-np.asarray(si["mu_star"]))
    return [Driver(names[k], float(si["mu_star"][k]), float(si["mu_star_conf"][k]), rank + 1)
            for rank, k in enumerate(order)]
