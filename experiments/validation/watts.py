"""Watts (2002): the cascade window and the frequency of global cascades from one seed."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from simulation.classic.theory import (
    watts_cascade_probability,
    watts_cascade_size,
    watts_window,
)

from ..runner import DEFAULT_SEED
from . import plots
from .common import ValidationResult, final_share, parallel_map, scenario, spawn_seeds

NAME = "watts"
DEFAULT_REPLICATES = 100
Z_GRID = tuple(round(0.25 * i, 2) for i in range(1, 41))  # 0.25 .. 10
GLOBAL = 0.10  # a cascade is global when it reaches this share of the network
EDGE_LEVEL = 0.01  # the measured window: where the frequency of global cascades >= 1%
PUBLISHED_WINDOW = (1.0, 7.0)  # read off Watts (2002) Fig. 1 for phi = 0.18, N = 10,000
INTERIOR = (1.5, 5.0)  # away from the edges, where the infinite-N theory should hold
TOL_LOWER = 0.25
TOL_UPPER = 0.25
TOL_FREQ = 0.05  # plus 3 binomial standard errors
TOL_SIZE = 0.03
TOL_OUTSIDE = 0.01

METHOD = """\
`classic-watts`: N = 10,000 people on an Erdős–Rényi random graph G(N, z/(N-1)) with mean
degree z, everyone with threshold phi = 0.18 (adopt once at least 18% of one's neighbours have),
one random seed, synchronous rounds until nothing changes; a new graph and seed for every run,
`--replicates` runs per value of z on a grid of step 0.25 from 0.25 to 10. A cascade is
global when it reaches at least 10% of the network. The published window edges (about 1 and
about 7 at N = 10,000) are read off Watts' Fig. 1 and are approximate. The analytic window is
where Watts' cascade condition holds, sum_k k(k-1) rho_k p_k > z with Poisson p_k and rho_k = 1 for
1 <= k <= 1/phi (here k <= 5); the analytic frequency is the probability that the seed's
extended vulnerable cluster percolates (tree approximation of the same paper), and the
analytic size of a global cascade is Gleeson & Cahalane's (2007) fixed point."""

NOTES = """\
Finite size moves both edges of the window. Near the lower edge (z close to 1) cascades are
limited by connectivity: their sizes follow a power law, so at N = 10,000 few reach 10% until
z is a little above the analytic edge, and the measured lower edge depends on the 10% cut (the
measured figures give the frequencies for a 1% cut as well). Near the upper edge the finite
network still holds vulnerable clusters close enough for a cascade to hop between them
(Whitney, "Exploring Watts' cascade boundary"), so global cascades persist somewhat above the
analytic edge: the measured upper edge lies between the analytic one (infinite N) and the edge
of about 7 that Watts' simulations at N = 10,000 show. In the interior the size distribution is
bimodal (tiny or almost everyone), so the frequency does not depend on the 10% cut."""


def _sizes(args) -> list[float]:
    z, seeds = args
    sc = scenario("classic-watts", [f"classic.mean_degree={z}"])
    return [final_share(sc, s)[0] for s in seeds]


def _crossing(zs: np.ndarray, freq: np.ndarray, rising: bool) -> float:
    """Where the frequency crosses EDGE_LEVEL (linear interpolation), first rising or last
    falling crossing; nan if it never does."""
    above = np.flatnonzero(freq >= EDGE_LEVEL)
    if above.size == 0:
        return math.nan
    i = above[0] if rising else above[-1]
    j = i - 1 if rising else i + 1
    if j < 0 or j >= zs.size:
        return float(zs[i])
    return float(zs[j] + (EDGE_LEVEL - freq[j]) / (freq[i] - freq[j]) * (zs[i] - zs[j]))


def run(
    replicates: int = DEFAULT_REPLICATES,
    seed: int = DEFAULT_SEED,
    workers: int | None = None,
    z_values: Sequence[float] = Z_GRID,
):
    zs = np.asarray(z_values, float)
    tasks = [(z, spawn_seeds(seed, f"{NAME} z={z:g}", replicates)) for z in zs]
    sizes = np.array(parallel_map(_sizes, tasks, workers))  # (z, replicates)
    phi = scenario("classic-watts").classic.threshold
    res = ValidationResult(
        NAME,
        "Watts cascades: window and frequency of global cascades",
        "Watts (2002)",
        replicates,
    )
    res.method, res.notes = METHOD, NOTES
    theory = {
        "window": watts_window(phi),
        "probability": np.array([watts_cascade_probability(z, phi) for z in zs]),
        "size": np.array([watts_cascade_size(z, phi) for z in zs]),
    }
    _checks(res, zs, sizes, theory)
    res.plots["watts.png"] = _plot(zs, sizes, theory, phi)
    return res


def _global_stats(sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    glob = sizes >= GLOBAL
    freq = glob.mean(axis=1)
    with np.errstate(invalid="ignore"):
        mean_size = np.where(
            glob.any(axis=1), (sizes * glob).sum(axis=1) / glob.sum(axis=1), np.nan
        )
    return freq, mean_size, glob.sum(axis=1)


def _checks(res: ValidationResult, zs, sizes, theory) -> None:
    freq, mean_size, counts = _global_stats(sizes)
    lo_an, hi_an = theory["window"]
    lower, upper = _crossing(zs, freq, True), _crossing(zs, freq, False)
    r = sizes.shape[1]
    inner = (zs >= INTERIOR[0]) & (zs <= INTERIOR[1])
    p = theory["probability"]
    slack = TOL_FREQ + 3 * np.sqrt(p * (1 - p) / r)
    freq_dev = np.abs(freq - p)
    enough = inner & (counts >= 5)
    size_dev = np.abs(mean_size - theory["size"])[enough]
    outside = (zs < lo_an - 0.25) | (zs > PUBLISHED_WINDOW[1])
    res.figures.update(
        z=zs.tolist(),
        frequency=freq.tolist(),
        frequency_1pct=(sizes >= 0.01).mean(axis=1).tolist(),
        mean_global_size=[None if math.isnan(v) else float(v) for v in mean_size],
        analytic_frequency=p.tolist(),
        analytic_size=theory["size"].tolist(),
        analytic_window=[lo_an, hi_an],
        measured_window=[lower, upper],
    )
    res.check(
        "lower edge of the window (frequency crosses 1%)",
        f"z ~ {PUBLISHED_WINDOW[0]:g} (Fig. 1); analytic {lo_an:.2f}",
        f"{lower:.2f}",
        f"analytic +/- {TOL_LOWER:g}",
        abs(lower - lo_an) <= TOL_LOWER,
    )
    res.check(
        "upper edge of the window (frequency crosses 1%)",
        f"z ~ {PUBLISHED_WINDOW[1]:g} (Fig. 1, N = 10,000); analytic {hi_an:.2f} (N infinite)",
        f"{upper:.2f}",
        f"in [{hi_an - TOL_UPPER:.2f}, {PUBLISHED_WINDOW[1] + TOL_UPPER:.2f}]",
        hi_an - TOL_UPPER <= upper <= PUBLISHED_WINDOW[1] + TOL_UPPER,
    )
    worst = int(np.argmax(np.where(inner, freq_dev - slack, -np.inf)))
    res.check(
        f"frequency of global cascades, z in [{INTERIOR[0]:g}, {INTERIOR[1]:g}]",
        "analytic (extended vulnerable cluster)",
        f"largest gap {freq_dev[inner].max():.3f} (at z = {zs[worst]:g}: "
        f"{freq[worst]:.3f} vs {p[worst]:.3f})",
        f"<= {TOL_FREQ:g} + 3 standard errors",
        bool(np.all((freq_dev <= slack)[inner])),
    )
    res.check(
        "mean size of global cascades, same z",
        "analytic (Gleeson & Cahalane 2007)",
        f"largest gap {size_dev.max():.3f}" if size_dev.size else "no global cascades",
        f"<= {TOL_SIZE:g}",
        size_dev.size > 0 and size_dev.max() <= TOL_SIZE,
    )
    res.check(
        f"no global cascades outside the window (z < {lo_an - 0.25:.2f} or z > "
        f"{PUBLISHED_WINDOW[1]:g})",
        "0",
        f"largest frequency {freq[outside].max():.3f}" if outside.any() else "not sampled",
        f"<= {TOL_OUTSIDE:g}",
        not outside.any() or freq[outside].max() <= TOL_OUTSIDE,
    )


def _plot(zs, sizes, theory, phi) -> bytes:
    freq, mean_size, _ = _global_stats(sizes)
    fig, (ax,) = plots.figure(1, width=7.0, height=4.2)
    lo, hi = theory["window"]
    ax.axvspan(
        lo, hi, color=plots.PUBLISHED, alpha=0.08, label=f"analytic window {lo:.2f}-{hi:.2f}"
    )
    for edge in PUBLISHED_WINDOW:
        ax.axvline(edge, color=plots.PUBLISHED, ls=":", lw=1.2)
    ax.plot([], [], color=plots.PUBLISHED, ls=":", label="published window edges ~1, ~7")
    ax.plot(zs, theory["probability"], color=plots.PUBLISHED, lw=1.4, label="analytic frequency")
    ax.plot(zs, theory["size"], color=plots.PUBLISHED, lw=1.4, ls="--", label="analytic size")
    ax.plot(zs, freq, "o", mfc="none", color=plots.MEASURED, label="frequency of global cascades")
    ax.plot(zs, mean_size, "o", ms=4, color=plots.MEASURED, label="mean size of global cascades")
    ax.set(
        xlabel="mean degree z",
        ylabel="frequency / share of network",
        title=f"Watts (2002) Fig. 1 setting: phi = {phi:g}, N = 10,000, "
        f"{sizes.shape[1]} runs per z",
        ylim=(-0.02, 1.05),
    )
    ax.legend(fontsize=7.5, loc="center right")
    return plots.png(fig)
