"""How outcomes are spread across replicate organizations, departments and people (issue 13):
what the playbook reports beside the claims, for every plan, from the runs the claim checks
make (:func:`experiments.claims.collect`).

- **Final active share** (adopted or engaged, at the horizon) across organizations: a histogram
  of ten bins of 10 points (the last includes 100%) and the share of organizations that end
  between 20% and 70% active (a partial plateau, neither failure nor saturation).
- **Spread across departments**: in each organization, the interquartile range and the range
  (max - min) of its departments' final active shares; the median over organizations (and the
  range's 90th percentile).
- **Participation inequality**: engaged (contributing) staff as a share of active staff at the
  horizon, in the median successful organization (the model's success criterion,
  ``RunResult.success``).
- **Churn**: changes of state per person over the run and moves into LAPSED per person
  (``RunResult.churn``, the model's per-person counters), pooled over the organizations' people
  who were there the whole run (hires had fewer weeks to move): median, 90th percentile, share
  with more than 4 moves; mean lapses, share who lapsed at least once and at least twice.

Everything takes the runs of each plan (``RunResult`` lists, one per organization) and is pure:
no runs are made here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from simulation import RunResult

from .outcomes import final_group_shares, share_series

__all__ = [
    "BIN_EDGES",
    "PLATEAU",
    "Churn",
    "PlanDistribution",
    "active_histogram",
    "churn",
    "department_spread",
    "describe",
    "engaged_of_active",
    "final_active",
    "histogram_quantile",
    "markdown",
    "plateau_share",
    "pooled_counts",
    "summary",
]

#: the histogram's bins of final active share: [0, 0.1), [0.1, 0.2), ..., [0.9, 1.0]
BIN_EDGES = np.linspace(0.0, 1.0, 11)
#: a partial plateau: final active share in [low, high)
PLATEAU = (0.2, 0.7)
#: more moves than this over the run count as churning
MANY_MOVES = 4


def _percent(shares) -> np.ndarray:
    """Shares as percentages, rounded to 1e-9 so that a share of 0.7 (700 of 1,000) is 70,
    not 70.00000000000001 or 69.99999999999999 (where bin edges fall)."""
    return np.round(np.asarray(shares, float) * 100.0, 9)


def final_active(runs: Sequence[RunResult]) -> np.ndarray:
    """Each organization's active share (adopted + engaged) at the horizon."""
    return share_series(runs, "active")[:, -1]


def active_histogram(shares: np.ndarray) -> np.ndarray:
    """Organizations per bin of :data:`BIN_EDGES` (10-point bins, 100% in the last)."""
    bins = np.clip(np.floor(_percent(shares) / 10.0), 0, len(BIN_EDGES) - 2).astype(np.int64)
    return np.bincount(bins, minlength=len(BIN_EDGES) - 1)


def plateau_share(shares: np.ndarray, low: float = PLATEAU[0], high: float = PLATEAU[1]) -> float:
    """The share of organizations ending with an active share in [low, high)."""
    pct = _percent(shares)
    inside = (pct >= _percent(low)) & (pct < _percent(high))
    return float(inside.mean()) if pct.size else 0.0


def department_spread(runs: Sequence[RunResult]) -> tuple[np.ndarray, np.ndarray]:
    """Per organization: the interquartile range and the range (max - min) of its departments'
    final active shares (departments with nobody left out; NaN with fewer than two)."""
    shares = final_group_shares(runs, "department").to_numpy()
    iqr = np.full(len(runs), np.nan)
    span = np.full(len(runs), np.nan)
    for k, row in enumerate(shares):
        d = row[~np.isnan(row)]
        if d.size >= 2:
            q1, q3 = np.percentile(d, [25.0, 75.0])
            iqr[k], span[k] = q3 - q1, d.max() - d.min()
    return iqr, span


def engaged_of_active(runs: Sequence[RunResult]) -> np.ndarray:
    """Per organization: engaged staff as a share of active staff at the horizon (NaN where
    nobody is active)."""
    engaged = share_series(runs, "engaged")[:, -1]
    active = final_active(runs)
    with np.errstate(all="ignore"):
        return np.where(active > 0, engaged / active, np.nan)


def pooled_counts(runs: Sequence[RunResult], key: str) -> np.ndarray:
    """People by count (``RunResult.churn[key]``: index k = people with k moves or lapses),
    summed over the organizations."""
    hists = [np.asarray(r.churn[key], np.int64) for r in runs]
    out = np.zeros(max((h.size for h in hists), default=1), np.int64)
    for h in hists:
        out[: h.size] += h
    return out


def histogram_quantile(counts: np.ndarray, q: float) -> int:
    """The ``q`` quantile (0-1) of the values whose counts are ``counts`` (index = value): the
    smallest value with at least a share ``q`` of the people at or below it."""
    counts = np.asarray(counts, np.int64)
    total = int(counts.sum())
    if total == 0:
        return 0
    return int(np.searchsorted(np.cumsum(counts), q * total, side="left"))


@dataclass(frozen=True)
class Churn:
    """State changes and lapses per person, pooled over organizations."""

    people: int
    median_moves: int
    p90_moves: int
    many_moves: float  # share with more than MANY_MOVES moves
    mean_moves: float
    mean_lapses: float
    lapsed_once: float  # share with at least one lapse
    lapsed_twice: float  # share with at least two


def churn(runs: Sequence[RunResult], scope: str = "full_run") -> Churn:
    """Moves and lapses per person over the organizations of ``runs``: ``scope`` "full_run",
    the people there since week 0, or "" for everyone there at the horizon."""
    suffix = f"_{scope}" if scope else ""
    moves = pooled_counts(runs, f"moves{suffix}")
    lapses = pooled_counts(runs, f"lapses{suffix}")
    n = int(moves.sum())
    if n == 0:
        return Churn(0, 0, 0, 0.0, 0.0, 0.0, 0.0, 0.0)
    values_m, values_l = np.arange(moves.size), np.arange(lapses.size)
    return Churn(
        people=n,
        median_moves=histogram_quantile(moves, 0.5),
        p90_moves=histogram_quantile(moves, 0.9),
        many_moves=float(moves[MANY_MOVES + 1 :].sum() / n),
        mean_moves=float(moves @ values_m / n),
        mean_lapses=float(lapses @ values_l / n),
        lapsed_once=float(lapses[1:].sum() / n),
        lapsed_twice=float(lapses[2:].sum() / n),
    )


@dataclass(frozen=True)
class PlanDistribution:
    """One plan's outcomes across its organizations, departments and people."""

    plan: str
    organizations: int
    histogram: np.ndarray  # organizations per 10-point bin of final active share
    plateau: float  # share of organizations ending 20-70% active
    median_active: float
    dept_iqr: float  # median over organizations of the departments' interquartile range
    dept_range: float  # median over organizations of the departments' max - min
    dept_range_p90: float  # its 90th percentile over organizations
    successes: int
    engaged_of_active: float  # in the median successful organization (NaN: none succeeded)
    engaged_of_active_all: float  # median over organizations with anyone active
    churn: Churn


def _quantile(x: np.ndarray, q: float) -> float:
    """The ``q`` quantile of ``x`` without its NaN (NaN if nothing is left)."""
    x = np.asarray(x, float)
    x = x[~np.isnan(x)]
    return float(np.quantile(x, q)) if x.size else float("nan")


def _median(x: np.ndarray) -> float:
    return _quantile(x, 0.5)


def describe(plans: Mapping[str, Sequence[RunResult]]) -> list[PlanDistribution]:
    """Every plan's :class:`PlanDistribution`, in the order given."""
    out = []
    for name, runs in plans.items():
        active = final_active(runs)
        iqr, span = department_spread(runs)
        won = np.array([bool(r.success) for r in runs])
        depth = engaged_of_active(runs)
        out.append(PlanDistribution(
            plan=name,
            organizations=len(runs),
            histogram=active_histogram(active),
            plateau=plateau_share(active),
            median_active=float(np.median(active)),
            dept_iqr=_median(iqr),
            dept_range=_median(span),
            dept_range_p90=_quantile(span, 0.9),
            successes=int(won.sum()),
            engaged_of_active=_median(depth[won]),
            engaged_of_active_all=_median(depth),
            churn=churn(runs),
        ))
    return out


def _pct(x: float, digits: int = 0) -> str:
    return "-" if np.isnan(x) else f"{100 * x:.{digits}f}%"


def _cell(share: float) -> str:
    """A histogram cell: percent of organizations, "<1" for a few, "." for none."""
    return "." if share == 0 else "<1" if share < 0.005 else f"{100 * share:.0f}"


def summary(rows: Sequence[PlanDistribution]) -> str:
    """What the tables say across plans, in a few sentences of figures."""
    orgs = sum(r.organizations for r in rows)
    extremes = sum(int(r.histogram[0] + r.histogram[-1]) for r in rows)
    plateau = [r.plateau for r in rows]
    span = [r.dept_range for r in rows]
    won = [r.engaged_of_active for r in rows if not np.isnan(r.engaged_of_active)]
    moves = [r.churn.median_moves for r in rows]
    many = max(rows, key=lambda r: r.churn.many_moves)
    parts = [
        f"Of all {orgs:,} organization runs ({len(rows)} plans), {_pct(extremes / orgs)} end "
        f"below 10% active or at 90% and above; the share on a {_pct(PLATEAU[0])}-"
        f"{_pct(PLATEAU[1])} plateau is {_pct(min(plateau))}-{_pct(max(plateau))} by plan.",
        f"Departments' max - min of final active share, median over organizations: "
        f"{_pct(min(span))}-{_pct(max(span))} by plan.",
    ]
    if won:
        parts.append(f"In the median successful organization, {_pct(min(won))}-{_pct(max(won))} "
                     "of active staff are engaged (contributing), by plan.")
    parts.append(f"A person there the whole run changes state {min(moves)}-{max(moves)} times "
                 f"(median, by plan); most churn: {many.plan}, {_pct(many.churn.many_moves)} "
                 f"with more than {MANY_MOVES} moves and {_pct(many.churn.lapsed_twice)} lapsing "
                 "at least twice.")
    return " ".join(parts)


def markdown(rows: Sequence[PlanDistribution]) -> str:
    """The playbook's distributions section: a summary (:func:`summary`) and three tables."""
    bins = [f"{p}-{p + 10}" for p in range(0, 100, 10)]
    lo, hi = PLATEAU
    out = [
        summary(rows),
        "",
        "**Final active share across organizations** (% of organizations per bin of final "
        f"active share; <1: under 0.5%, \".\": none; plateau: ending {_pct(lo)}-{_pct(hi)} "
        "active)",
        "",
        "| plan | " + " | ".join(bins) + f" | plateau {_pct(lo)}-{_pct(hi)} | median |",
        "|---|" + "---:|" * (len(bins) + 2),
    ]
    for r in rows:
        cells = [_cell(c / r.organizations) for c in r.histogram]
        out.append(f"| {r.plan} | " + " | ".join(cells)
                   + f" | {_pct(r.plateau)} | {_pct(r.median_active)} |")
    out += [
        "",
        "**Departments and contributors** (medians over organizations; engaged of active: "
        "engaged staff as a share of active staff at the horizon)",
        "",
        "| plan | departments' IQR | departments' max - min | max - min, 90th percentile | "
        "successful organizations | engaged of active, median successful | "
        "engaged of active, all |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        out.append(f"| {r.plan} | {_pct(r.dept_iqr)} | {_pct(r.dept_range)} | "
                   f"{_pct(r.dept_range_p90)} | {r.successes} of {r.organizations} | "
                   f"{_pct(r.engaged_of_active)} | {_pct(r.engaged_of_active_all)} |")
    out += [
        "",
        "**Churn per person over the run** (people there the whole run, pooled over the "
        "organizations: changes of state, and lapses: moves into lapsed)",
        "",
        f"| plan | people | moves: median | 90th percentile | more than {MANY_MOVES} | mean | "
        "lapses: mean | at least one | at least two |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        c = r.churn
        out.append(f"| {r.plan} | {c.people:,} | {c.median_moves} | {c.p90_moves} | "
                   f"{_pct(c.many_moves, 1)} | {c.mean_moves:.2f} | {c.mean_lapses:.2f} | "
                   f"{_pct(c.lapsed_once, 1)} | {_pct(c.lapsed_twice, 1)} |")
    return "\n".join(out)
