"""Centola & Macy (2007): a complex contagion spreads on a clustered lattice, long ties stop it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..runner import DEFAULT_SEED
from . import plots
from .common import ValidationResult, final_share, parallel_map, scenario, spawn_seeds

NAME = "complex-contagion"
DEFAULT_REPLICATES = 50
REWIRING = (0.0, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0)
STOPPED_FROM = 0.1  # rewiring share from which the complex contagion must be stopped
TOL_STOPPED = 0.05  # mean final share at most this
TOL_MONOTONE = 0.10  # mean share may rise by at most this from one rewiring level to the next
SPEEDUP = 0.5  # a simple contagion at STOPPED_FROM takes at most half the steps of p = 0
METHODS = {"watts-strogatz": "random rewiring", "degree-preserving": "degree-preserving swaps"}

METHOD = """\
`classic-complex-contagion`: N = 1,000 people on a ring lattice, each tied to the 2 nearest on
either side (k = 4); a person adopts once at least a = 2 neighbours have (absolute threshold);
the seed is one random person and their four neighbours (Centola & Macy's seed neighbourhood);
synchronous rounds until nothing changes. The lattice is perturbed in two ways: Watts–Strogatz
rewiring (each tie moves its far end with probability p, `classic.rewire`) and degree-preserving
double-edge swaps (p/2 swaps per tie, so about a share p of ties changes, with every degree kept;
`classic.degree_preserving_swaps`). For comparison the same runs with a = 1 (a simple
contagion). Centola & Macy's result is qualitative and is what the checks test: on a clustered
lattice a complex contagion saturates the population; rewiring ties into long ties, which speeds
up a simple contagion (the small-world effect), slows a complex one and, beyond a small share
of rewired ties, stops it. Our population and lattice are chosen for speed, not copied from the
paper."""

NOTES = """\
Finite size sets where the spread stops. On a ring a front of a two-neighbour contagion halts at
the first rewired tie it needs, so the share reached falls once there are a few rewired ties in
the whole ring, i.e. at p of order 1/N (here half the runs stall by p ~ 0.002, about four
rewired ties); a larger ring stops at a proportionally smaller p. At the other extreme a fully
random graph with mean degree 4 would let a 2-neighbour contagion take off only from about
N/(2 z^2) = 31 seeds (bootstrap percolation), far more than the 5 of the seed neighbourhood;
below about N = 160 that would no longer hold and a small random graph could be saturated."""


def _runs(args) -> list[tuple[float, int]]:
    method, p, a, seeds = args
    if method == "watts-strogatz":
        knob = f"classic.rewire={p}"
    else:
        knob = f"classic.degree_preserving_swaps={p / 2}"
    sc = scenario("classic-complex-contagion", [f"classic.threshold={a}", knob])
    return [final_share(sc, s) for s in seeds]


def run(
    replicates: int = DEFAULT_REPLICATES,
    seed: int = DEFAULT_SEED,
    workers: int | None = None,
    rewiring: Sequence[float] = REWIRING,
):
    ps = np.asarray(rewiring, float)
    keys = [(m, a) for m in METHODS for a in (2, 1)]
    tasks = [
        (m, p, a, spawn_seeds(seed, f"{NAME} {m} a={a} p={p:g}", replicates))
        for m, a in keys
        for p in ps
    ]
    out = parallel_map(_runs, tasks, workers)
    data = {
        key: np.array(out[i * ps.size : (i + 1) * ps.size])  # (p, replicates, [share, steps])
        for i, key in enumerate(keys)
    }
    res = ValidationResult(
        NAME,
        "Complex contagion: clustered lattice vs long ties",
        "Centola & Macy (2007)",
        replicates,
    )
    res.method, res.notes = METHOD, NOTES
    _checks(res, ps, data)
    res.plots["complex_contagion.png"] = _plot(ps, data)
    return res


def _checks(res: ValidationResult, ps, data) -> None:
    at = {p: i for i, p in enumerate(ps)}
    stopped = ps >= STOPPED_FROM
    for method, label in METHODS.items():
        share = data[(method, 2)][:, :, 0]
        mean = share.mean(axis=1)
        res.figures[f"complex share, {label}"] = mean.tolist()
        res.figures[f"simple share, {label}"] = data[(method, 1)][:, :, 0].mean(axis=1).tolist()
        if 0.0 in at:
            full = share[at[0.0]]
            res.check(
                f"a = 2 on the clustered lattice ({label} p = 0): share reached",
                "everyone",
                f"min {full.min():.3f} over {full.size} runs",
                "exact (1.000 in every run)",
                bool((full == 1.0).all()),
            )
        if stopped.any():
            res.check(
                f"a = 2 with long ties ({label}, p >= {STOPPED_FROM:g}): mean share",
                "stopped (does not spread)",
                f"largest {mean[stopped].max():.3f}",
                f"<= {TOL_STOPPED:g}",
                mean[stopped].max() <= TOL_STOPPED,
            )
        rise = float(np.diff(mean).max()) if mean.size > 1 else 0.0
        res.check(
            f"a = 2: mean share falls as p grows ({label})",
            "more long ties, less spread",
            f"largest rise {max(rise, 0.0):.3f}",
            f"<= {TOL_MONOTONE:g}",
            rise <= TOL_MONOTONE,
        )
    _simple_checks(res, ps, data, at)
    res.figures["rewiring"] = ps.tolist()


def _simple_checks(res, ps, data, at) -> None:
    simple = data[("watts-strogatz", 1)]
    res.check(
        "a = 1 (simple contagion), every p: mean share",
        "everyone",
        f"smallest {simple[:, :, 0].mean(axis=1).min():.3f}",
        ">= 0.99",
        simple[:, :, 0].mean(axis=1).min() >= 0.99,
    )
    if 0.0 in at and STOPPED_FROM in at:
        slow, fast = (float(np.median(simple[at[p], :, 1])) for p in (0.0, STOPPED_FROM))
        res.figures["simple median steps"] = [slow, fast]
        res.check(
            f"a = 1: median rounds to saturate, p = {STOPPED_FROM:g} vs p = 0",
            "faster with long ties (small world)",
            f"{fast:.0f} vs {slow:.0f}",
            f"ratio <= {SPEEDUP:g}",
            fast <= SPEEDUP * slow,
        )


def _plot(ps, data) -> bytes:
    fig, (share_ax, time_ax) = plots.figure(2)
    x = np.where(ps > 0, ps, ps[ps > 0].min() / 3 if (ps > 0).any() else 1e-4)
    styles = {
        ("watts-strogatz", 2): (plots.MEASURED, "o-", "a = 2, random rewiring"),
        ("degree-preserving", 2): (plots.MEASURED, "s--", "a = 2, degree-preserving"),
        ("watts-strogatz", 1): (plots.OTHER, "o-", "a = 1, random rewiring"),
        ("degree-preserving", 1): (plots.OTHER, "s--", "a = 1, degree-preserving"),
    }
    for key, (colour, fmt, label) in styles.items():
        d = data[key]
        share_ax.plot(x, d[:, :, 0].mean(axis=1), fmt, color=colour, ms=4, label=label)
        full = d[:, :, 0] >= 1.0
        steps = np.where(full, d[:, :, 1], np.nan)
        with np.errstate(all="ignore"):
            med = np.array([np.nanmedian(s) if np.isfinite(s).any() else np.nan for s in steps])
        time_ax.plot(x, med, fmt, color=colour, ms=4, label=label)
    share_ax.axhline(1.0, color=plots.PUBLISHED, lw=0.8, ls=":")
    share_ax.set(
        xscale="log",
        xlabel="share of ties rewired p (leftmost point: p = 0)",
        ylabel="mean share reached",
        title="Centola & Macy (2007): N = 1,000, k = 4",
    )
    share_ax.legend(fontsize=8)
    time_ax.set(
        xscale="log",
        yscale="log",
        xlabel="share of ties rewired p (leftmost point: p = 0)",
        ylabel="median rounds to reach everyone",
        title="Speed, runs that reach everyone",
    )
    time_ax.legend(fontsize=8)
    return plots.png(fig)
