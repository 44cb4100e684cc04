"""Granovetter (1978): the riot example, exactly, in both engines."""

from __future__ import annotations

import numpy as np

from simulation.classic import ClassicModel

from ..runner import DEFAULT_SEED
from . import plots
from .common import ValidationResult, scenario

NAME = "granovetter"
DEFAULT_REPLICATES = 1  # deterministic: one run per engine and case

METHOD = """\
`classic-granovetter`: 100 people, fully mixed; person i joins once at least threshold_i others
riot (absolute counts), synchronous rounds until nothing changes. Case A is Granovetter's
uniform distribution, thresholds 0, 1, 2, ..., 99 (`threshold_distribution = "ladder"`); case B
moves the one threshold of 1 to 2 (`--set classic.thresholds=[0, 2, 2, 3, ..., 99]`). Both cases
run in both engines; the dynamics are deterministic, so one run each is exact."""

NOTES = """\
No finite-size effect: the example is about 100 people. The rounds are synchronous, as in
Granovetter's recursion r(t+1) = N F(r(t)) (F the cumulative threshold distribution), so case A
takes one round per person; the equilibrium is the first crossing of N F(r) with the diagonal
(the figure)."""

PUBLISHED = {"uniform 0..99": 100, "threshold 1 moved to 2": 1}


def _case_thresholds() -> dict[str, np.ndarray]:
    ladder = np.arange(100.0)
    moved = ladder.copy()
    moved[1] = 2.0
    return {"uniform 0..99": ladder, "threshold 1 moved to 2": moved}


def _run(thresholds: np.ndarray, engine: str) -> tuple[int, list[int]]:
    values = ", ".join(f"{t:g}" for t in thresholds)
    sc = scenario("classic-granovetter", [f"classic.thresholds=[{values}]"])
    model = ClassicModel(sc, rng=0, engine=engine)
    while not model.settled and model.week < sc.weeks:
        model.step()
    return model.n_active, list(model.datacollector.model_vars["adopted"])


def run(replicates: int = DEFAULT_REPLICATES, seed: int = DEFAULT_SEED, workers: int | None = None):
    res = ValidationResult(NAME, "Granovetter's riot: thresholds 0..99", "Granovetter (1978)", 1)
    res.method, res.notes = METHOD, NOTES
    chains = {}
    for case, thresholds in _case_thresholds().items():
        for engine in ("agents", "numba"):
            final, chain = _run(thresholds, engine)
            chains[case] = chain
            res.figures[f"rioters[{case}, {engine}]"] = final
            res.check(
                f"{case}: rioters at equilibrium ({engine} engine)",
                str(PUBLISHED[case]),
                f"{final} (after {len(chain) - 1} rounds)",
                "exact",
                final == PUBLISHED[case],
            )
    res.plots["granovetter.png"] = _plot(_case_thresholds(), chains)
    return res


def _plot(cases: dict[str, np.ndarray], chains: dict[str, list[int]]) -> bytes:
    """Left: Granovetter's equilibrium diagram near the origin (the first r where N F(r) meets
    the diagonal is where the riot stops). Right: the model's rioters round by round."""
    fig, (eq, chain) = plots.figure(2)
    r = np.arange(13)
    styles = ((plots.MEASURED, "-"), (plots.OTHER, "--"))
    for (case, th), (colour, ls) in zip(cases.items(), styles, strict=True):
        joiners = (th[None, :] <= r[:, None]).sum(axis=1)  # N F(r): would riot if r riot
        eq.step(r, joiners, where="post", color=colour, ls=ls, lw=1.8, label=f"{case}: N F(r)")
        stop = int(np.argmax(joiners <= r)) if (joiners <= r).any() else None
        if stop is not None:
            eq.plot(stop, joiners[stop], "o", color=colour, ms=7, mfc="none")
        chain.plot(chains[case], marker=".", ms=3, color=colour, ls=ls, label=f"{case} (model)")
        chain.axhline(PUBLISHED[case], color=plots.PUBLISHED, lw=0.8, ls=":")
    eq.plot(r, r, color=plots.PUBLISHED, lw=1, label="diagonal: equilibria where N F(r) = r")
    eq.set(
        xlabel="rioters r",
        ylabel="people with threshold <= r",
        title="Granovetter's equilibrium diagram (r <= 12)",
    )
    eq.legend(fontsize=8)
    chain.set(
        xlabel="round",
        ylabel="rioters",
        title="Rioters per round (dotted: Granovetter's 100 and 1)",
    )
    chain.legend(fontsize=8)
    return plots.png(fig)
