"""The domain claims (DESIGN section 3), measured over replicate organizations.

Scenarios are selected by their ``tags`` and by the structure of their plans, never by name, so
renaming a scenario changes nothing here. Every scenario runs on the same replicate
organizations (same seeds), so paired differences between plans are measured on the same
organizations (common random numbers).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from scenarios import Scenario, builtin_names, load_scenario
from simulation import RunResult

from .compare import wilson_interval
from .executors import execute
from .runner import DEFAULT_SEED, RunSpec, replicate_seeds

__all__ = [
    "CHECKS",
    "Check",
    "ClaimData",
    "Outcome",
    "Paired",
    "collect",
    "library_plans",
    "mcnemar_p",
    "motivation_variants",
    "paired",
    "rate",
]


@dataclass
class ClaimData:
    """Runs of the library's scenarios (and variants) on the same replicate organizations."""

    replicates: int
    seed: int
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    runs: dict[str, list[RunResult]] = field(default_factory=dict)
    engine: str = "numba"

    def tagged(self, tag: str) -> list[str]:
        return [n for n, s in self.scenarios.items() if tag in s.tags]

    def one(self, tag: str) -> str:
        names = self.tagged(tag)
        if len(names) != 1:
            raise LookupError(f"expected one scenario tagged {tag!r}, found {names}")
        return names[0]

    def success(self, name: str) -> np.ndarray:
        return np.array([r.success for r in self.runs[name]])

    def metric(self, name: str, key: str) -> np.ndarray:
        return np.array([np.nan if r.metrics[key] is None else r.metrics[key]
                         for r in self.runs[name]], float)

    def final(self, name: str, state: str) -> np.ndarray:
        return np.array([r.metrics["final_share"][state] for r in self.runs[name]])

    def platform_first(self) -> list[str]:
        """Scenarios that launch the platform in week 0, before anything else acts."""
        out = []
        for n, s in self.scenarios.items():
            launches = [p.start for p in s.plan if p.launches]
            if launches and min(launches) == 0 and n in self.runs:
                out.append(n)
        return out

    def withdrawn(self, name: str, base: str) -> str | None:
        """The intervention type in ``base``'s plan that ``name``'s plan lacks (else None)."""
        return _plan_difference(self.scenarios[base], self.scenarios[name])


def _plan_difference(bigger: Scenario, smaller: Scenario) -> str | None:
    big = [p.model_dump() for p in bigger.plan]
    small = [p.model_dump() for p in smaller.plan]
    missing = [p for p in big if p not in small]
    if len(missing) == 1 and len(big) == len(small) + 1:
        return missing[0]["type"]
    return None


def library_plans() -> dict[str, Scenario]:
    """The built-in rollout plans by name (the classic diffusion scenarios left out)."""
    return {n: sc for n in builtin_names() if "classic" not in (sc := load_scenario(n)).tags}


def collect(replicates: int, seed: int = DEFAULT_SEED, *,
            variants: dict[str, Scenario] | None = None,
            scenarios: dict[str, Scenario] | None = None, workers: int | None = None,
            executor: Executor | Any | None = None, engine: str = "numba",
            progress: Callable[[int], None] | None = None,
            reuse: Sequence[ClaimData] = ()) -> ClaimData:
    """Run ``scenarios`` (default: every built-in scenario) plus ``variants`` on
    ``replicates`` organizations, the same organizations for every scenario, through the
    execution layer (``workers`` local processes, or an ``executor``: any
    ``concurrent.futures.Executor`` or a Dask client).

    ``reuse``: runs already made (earlier ``collect`` s); those from the same root seed on the
    same engine are reused: a scenario equal to one of theirs apart from its name takes its
    runs instead of running them again (only the replicates they lack are run). Replicate i's
    seed does not depend on how many replicates are drawn
    (:func:`~experiments.runner.replicate_seeds`), and a run depends on its scenario's content
    and seed only, so the results are those of running everything."""
    if scenarios is None:
        scenarios = library_plans()
    scenarios = dict(scenarios)
    scenarios.update(variants or {})
    seeds = replicate_seeds(seed, replicates)
    known = _reusable(reuse, seed, engine)
    have = {name: known.get(_content(sc), [])[:replicates] for name, sc in scenarios.items()}
    specs = [RunSpec(sc, seeds[r], engine, None, r) for name, sc in scenarios.items()
             for r in range(len(have[name]), replicates)]
    results = iter(execute(specs, workers=workers, executor=executor, progress=progress))
    data = ClaimData(replicates, seed, scenarios, engine=engine)
    for name in scenarios:
        data.runs[name] = have[name] + [next(results) for _ in range(replicates - len(have[name]))]
    return data


def _content(sc: Scenario) -> str:
    """A scenario's content apart from its name."""
    return sc.model_dump_json(exclude={"name"})


def _reusable(reuse: Sequence[ClaimData], seed: int,
              engine: str) -> dict[str, list[RunResult]]:
    """The runs of ``reuse`` made from ``seed`` on ``engine``, by scenario content (the most
    replicates of each)."""
    known: dict[str, list[RunResult]] = {}
    for data in reuse:
        if data.seed != seed or data.engine != engine:
            continue
        for name, runs in data.runs.items():
            key = _content(data.scenarios[name])
            if len(runs) > len(known.get(key, ())):
                known[key] = runs
    return known


def rate(successes: np.ndarray) -> tuple[float, float, float]:
    """(success rate, 95% Wilson low, high)."""
    lo, hi = wilson_interval(int(successes.sum()), int(successes.size))
    return float(successes.mean()), lo, hi


def mcnemar_p(b: int, c: int) -> float:
    """One-sided exact McNemar p-value that the first plan succeeds more often: among the
    discordant organizations, P(X >= b) for X ~ Binomial(b + c, 1/2)."""
    n = b + c
    if n == 0:
        return 1.0
    return sum(math.comb(n, k) for k in range(b, n + 1)) / 2.0**n


@dataclass(frozen=True)
class Paired:
    """Plan A vs plan B on the same organizations."""

    rate_a: float
    rate_b: float
    only_a: int  # organizations where A succeeds and B fails
    only_b: int
    p_value: float  # one-sided: A succeeds more often than B

    @property
    def difference(self) -> float:
        return self.rate_a - self.rate_b


def paired(a: np.ndarray, b: np.ndarray) -> Paired:
    only_a = int((a & ~b).sum())
    only_b = int((b & ~a).sum())
    return Paired(float(a.mean()), float(b.mean()), only_a, only_b, mcnemar_p(only_a, only_b))


# -- the checks: one or more per claim, each with its tolerance ------------------------------
@dataclass(frozen=True)
class Outcome:
    measured: str
    passed: bool


@dataclass(frozen=True)
class Check:
    claim: int
    statement: str
    tolerance: str
    evaluate: Callable[[ClaimData], Outcome]


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _rate_str(data: ClaimData, name: str) -> str:
    r, lo, hi = rate(data.success(name))
    return f"{name}: {_pct(r)} (95% CI {_pct(lo)}-{_pct(hi)})"


def _provide_and_pray(d: ClaimData) -> Outcome:
    name = d.one("provide-and-pray")
    r, _, _ = rate(d.success(name))
    return Outcome(_rate_str(d, name), 0.03 <= r <= 0.20)


def _goal_led(d: ClaimData) -> Outcome:
    gl, pp = d.one("goal-led"), d.one("provide-and-pray")
    r, lo, _ = rate(d.success(gl))
    pair = paired(d.success(gl), d.success(pp))
    eng_gl, eng_pp = d.final(gl, "engaged").mean(), d.final(pp, "engaged").mean()
    ok = (r >= 0.6 and lo > 0.5 and pair.difference >= 0.4 and pair.p_value < 1e-3
          and eng_gl >= 3 * eng_pp and eng_gl - eng_pp >= 0.1)
    return Outcome(f"{_rate_str(d, gl)}; vs provide-and-pray +{_pct(pair.difference)} "
                   f"(p={pair.p_value:.1g}); engaged at horizon {_pct(eng_gl)} vs "
                   f"{_pct(eng_pp)}", ok)


def _bootstrap_success(d: ClaimData) -> Outcome:
    name = d.one("bootstrap")
    r, lo, _ = rate(d.success(name))
    return Outcome(_rate_str(d, name), r >= 0.6 and lo > 0.5)


def _bootstrap_launch(d: ClaimData) -> Outcome:
    name = d.one("bootstrap")
    boot = d.metric(name, "active_at_launch")
    others = {n: d.metric(n, "active_at_launch") for n in d.platform_first()}
    best = max(others, key=lambda n: np.median(others[n]))
    ok = np.percentile(boot, 10) > max(np.percentile(v, 90) for v in others.values())
    return Outcome(f"{name}: median {np.median(boot):.0f} active on launch day (10th pct "
                   f"{np.percentile(boot, 10):.0f}); best platform-first ({best}): median "
                   f"{np.median(others[best]):.0f}", bool(ok))


def _headline(d: ClaimData) -> list[str]:
    return [d.one(t) for t in ("provide-and-pray", "mandate", "marketing", "goal-led",
                               "bootstrap", "sponsorship")]


def _marketing(d: ClaimData) -> Outcome:
    mk, gl = d.one("marketing"), d.one("goal-led")
    aware = {n: d.metric(n, "aware_share_week_2").mean() for n in _headline(d)}
    fastest = max(aware, key=aware.get)
    eng_mk, eng_gl = d.final(mk, "engaged").mean(), d.final(gl, "engaged").mean()
    # depth pooled over organizations (all engaged over all active): a per-organization mean
    # would count the few enthusiasts left in a failed rollout as deep engagement
    depth_mk = eng_mk / max(d.metric(mk, "active_share").mean(), 1e-12)
    depth_gl = eng_gl / max(d.metric(gl, "active_share").mean(), 1e-12)
    ok = fastest == mk and depth_mk < depth_gl and eng_mk <= 0.5 * eng_gl
    return Outcome(f"aware by week 2: {mk} {_pct(aware[mk])} (fastest: {fastest}); engagement "
                   f"depth {depth_mk:.2f} vs {gl} {depth_gl:.2f}; engaged at horizon "
                   f"{_pct(eng_mk)} vs {_pct(eng_gl)}", ok)


def _mandate(d: ClaimData) -> Outcome:
    md, gl = d.one("mandate"), d.one("goal-led")
    signups = {n: d.metric(n, "signups_week_8").mean() for n in d.runs}
    top = max(signups, key=signups.get)
    eng_md, eng_gl = d.final(md, "engaged").mean(), d.final(gl, "engaged").mean()
    ok = top == md and eng_md <= eng_gl / 3
    return Outcome(f"sign-ups by week 8: {md} {signups[md]:.0f} (most: {top}); engaged at "
                   f"horizon {_pct(eng_md)} vs {gl} {_pct(eng_gl)}", ok)


def _withdrawal(claim: int) -> Callable[[ClaimData], Outcome]:
    def evaluate(d: ClaimData) -> Outcome:
        base = d.one("playbook")
        variants = [n for n in d.tagged("withdrawal") if claim in d.scenarios[n].claims]
        if not variants:
            return Outcome("no withdrawal scenario for this claim", False)
        parts, ok = [], True
        for n in variants:
            kind = d.withdrawn(n, base)
            pair = paired(d.success(base), d.success(n))
            ok &= kind is not None and pair.difference >= 0.03 and pair.p_value < 0.05
            parts.append(f"{base} {_pct(pair.rate_a)} vs without {kind} ({n}) "
                         f"{_pct(pair.rate_b)}: -{_pct(pair.difference)} "
                         f"(p={pair.p_value:.1g})")
        return Outcome("; ".join(parts), ok)

    return evaluate


def _critics(d: ClaimData) -> Outcome:
    base = d.one("playbook")
    parts, ok = [], True
    for n in d.tagged("addition"):
        added = _plan_difference(d.scenarios[n], d.scenarios[base])
        pair = paired(d.success(n), d.success(base))
        ok &= added == "win_over_critics" and pair.difference >= 0.03 and pair.p_value < 0.05
        parts.append(f"{n} {_pct(pair.rate_a)} vs {base} {_pct(pair.rate_b)}: "
                     f"+{_pct(pair.difference)} (p={pair.p_value:.1g})")
    return Outcome("; ".join(parts) or "no scenario adds win_over_critics", ok and bool(parts))


def shift_p(diff: np.ndarray) -> float:
    """One-sided p-value that paired differences (one per organization) are positive: the
    normal approximation to the paired t-test (hundreds of organizations)."""
    n = diff.size
    sd = float(diff.std(ddof=1)) if n > 1 else 0.0
    if sd == 0.0:
        return 0.0 if diff.mean() > 0 else 1.0
    z = float(diff.mean()) / (sd / math.sqrt(n))
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def _education(d: ClaimData) -> Outcome:
    # on the final active share, like its knockout: education's mechanism is skill raising the
    # value of use (adopting, not lapsing); success also asks for 10% contributors, a threshold
    # participation inequality puts most of these plans' organizations near (ODD 8.2)
    first, late = d.one("education-first"), d.one("education-late")
    a, b = d.metric(first, "active_share"), d.metric(late, "active_share")
    diff = a - b
    p = shift_p(diff)
    ok = diff.mean() >= 0.05 and p < 0.05
    return Outcome(f"final active share {first} {_pct(a.mean())} vs {late} {_pct(b.mean())}: "
                   f"+{_pct(diff.mean())} (paired p={p:.1g})", bool(ok))


def _time_scale(d: ClaimData) -> Outcome:
    parts, ok = [], True
    for n in d.runs:
        wins = d.success(n)
        if wins.mean() < 0.5:
            continue
        weeks = d.metric(n, "weeks_to_50")[wins]
        med = float(np.nanmedian(weeks))
        ok &= 8 <= med <= 78
        parts.append(f"{n} {med:.0f}")
    return Outcome("median weeks to 50% active, successful runs: " + ", ".join(parts),
                   ok and bool(parts))


MOTIVATION_LEVELS = {"low": 0.35, "high": 0.65}


def motivation_variants(scenarios: list[Scenario] | None = None) -> dict[str, Scenario]:
    """The goal-led scenario in organizations with low and with high motivation."""
    pool = scenarios if scenarios is not None else list(library_plans().values())
    base = next(s for s in pool if "goal-led" in s.tags)
    out = {}
    for level, value in MOTIVATION_LEVELS.items():
        data = base.model_dump()
        data["conditions"]["motivation"] = value
        data.update(name=f"{base.name} [motivation {value}]", tags=[f"motivation-{level}"])
        out[data["name"]] = Scenario.model_validate(data)
    return out


def _motivators(d: ClaimData) -> Outcome:
    lo, hi = d.one("motivation-low"), d.one("motivation-high")
    pair = paired(d.success(hi), d.success(lo))
    ok = pair.difference >= 0.1 and pair.p_value < 0.01
    return Outcome(f"goal-led with motivators high ({MOTIVATION_LEVELS['high']}) "
                   f"{_pct(pair.rate_a)} vs low ({MOTIVATION_LEVELS['low']}) "
                   f"{_pct(pair.rate_b)}: +{_pct(pair.difference)} (p={pair.p_value:.1g})", ok)


CHECKS = (
    Check(1, "Provide and pray fails almost 9 times in 10", "success 3-20%", _provide_and_pray),
    Check(2, "Goal-led communities succeed", "success >= 60%, CI above 50%; >= 40 points above "
          "provide-and-pray (paired p < 0.001); engaged share >= 3 times provide-and-pray's "
          "and >= 10 points above it", _goal_led),
    Check(3, "Bootstrap succeeds", "success >= 60%, CI above 50%", _bootstrap_success),
    Check(3, "Bootstrap has users on launch day", "10th percentile above every platform-first "
          "plan's 90th percentile", _bootstrap_launch),
    Check(3, "Platform-first marketing: fastest awareness, shallow engagement", "most aware "
          "by week 2 of the headline plans; engagement depth (engaged over active, pooled) below "
          "goal-led's; engaged share at most half goal-led's", _marketing),
    Check(4, "Mandates: sign-ups, not engagement", "most sign-ups by week 8 of all plans; "
          "engaged share at most a third of goal-led's", _mandate),
    Check(5, "Veterans set the norm for newcomers", "withdrawing veteran reinforcement lowers "
          "success >= 3 points (paired p < 0.05)", _withdrawal(5)),
    Check(6, "Middle managers are a major causal factor", "withdrawing manager engagement "
          "lowers success >= 3 points (paired p < 0.05)", _withdrawal(6)),
    Check(7, "Leaders must walk the talk", "withdrawing executive sponsorship lowers success "
          ">= 3 points (paired p < 0.05)", _withdrawal(7)),
    Check(8, "Momentum: measured, published outcomes sustain it", "withdrawing published "
          "outcomes lowers success >= 3 points (paired p < 0.05)", _withdrawal(8)),
    Check(9, "Win over the critics", "engaging critics raises success >= 3 points (paired "
          "p < 0.05)", _critics),
    Check(10, "Education first, pilot several tools", "education-first's final active share "
          "beats launch-then-educate's by >= 5 points (paired p < 0.05)", _education),
    Check(11, "Months, not days or eons", "median weeks to 50% active of every plan that "
          "succeeds at least half the time: 8-78 weeks", _time_scale),
    Check(12, "Motivators: autonomy, mastery, purpose, community", "goal-led succeeds >= 10 "
          "points more with motivators high than low (paired p < 0.01)", _motivators),
)
