"""``analyze``: one call from a sweep folder to indices or boxes, words, tables and figures."""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from simulation import ConfigError

from .data import Outcome, SweepData, inputs, load, outcome
from .discovery import Discovery, discover, feature_scores
from .result import AnalysisResult
from .sensitivity import morris_indices, sobol_indices
from .summary import prim_text, sensitivity_text

__all__ = ["METHODS", "analyze"]

METHODS = ("auto", "sobol", "morris", "prim")


def _choose(method: str, data: SweepData) -> tuple[str, str]:
    """(method, a sentence saying why when ``auto`` chose it)."""
    if method not in METHODS:
        raise ConfigError(f"--method {method!r}: choose one of {', '.join(METHODS)}")
    if method != "auto":
        return method, ""
    chosen = data.kind if data.kind in ("sobol", "morris") else "prim"
    why = (
        f"the sweep's design is {data.kind}"
        if chosen != "prim"
        else f"the sweep's design ({data.kind}) is not a Sobol' or Morris sample"
    )
    return chosen, f"Method: `auto` chose {chosen} because {why}."


def analyze(
    path: str | Path,
    method: str = "auto",
    metric: str = "success",
    threshold: str | float | None = None,
    *,
    max_boxes: int = 3,
) -> AnalysisResult:
    """Analyse a stored sweep (``adoptsim sweep``'s folder).

    ``method``: ``sobol`` (S1, ST with 95% intervals, S2 when sampled) or ``morris`` (mu* with
    its interval, sigma) on the sweep's stored SALib problem and sample, which its design must
    be; ``prim`` (scenario discovery: boxes where the metric's cases of interest concentrate,
    re-checked on held-out runs, plus feature scores); ``auto`` picks from the design.
    ``metric``: any column of metrics/ (``success``, ``final_share.engaged``, ``roi``, ...).
    ``threshold``: turns a numeric metric into a yes/no case (``0.2`` or ``'<0.2'``: below;
    ``'>40'``: above); PRIM on a numeric metric without one looks at its lowest quarter.
    Bad input raises :class:`ConfigError` (the command line exits 2).
    """
    data = load(path)
    method, chosen = _choose(method, data)
    out, y = outcome(data, metric, threshold)
    if method == "prim":
        return _prim(data, out, y, chosen, max_boxes)
    return _sensitivity(data, out, y, method, chosen)


def _label(out: Outcome) -> str:
    if out.kind == "bool":
        return "the success rate"
    if out.kind == "indicator":
        return f"the share with {out.describe()}"
    return f"mean {out.metric}"


def _sensitivity(data, out: Outcome, y: pd.Series, method: str, chosen: str) -> AnalysisResult:
    from . import plots  # matplotlib: only when there is something to draw

    compute = sobol_indices if method == "sobol" else morris_indices
    res = compute(data, y, out.metric)
    tables = {"indices": res.table}
    if res.interactions is not None:
        tables["interactions"] = res.interactions
    draw = plots.sobol_figure if method == "sobol" else plots.morris_figure
    keys = (
        ("parameter", "S1", "S1_conf", "ST", "ST_conf")
        if method == "sobol"
        else ("parameter", "mu_star", "mu_star_conf", "sigma")
    )
    payload = [
        {"scenario": r["scenario"], **{k: r[k] for k in keys}} for r in res.table.to_dict("records")
    ]
    return AnalysisResult(
        method=method,
        metric=out.metric,
        n_runs=len(data.metrics),
        path=data.path,
        summary=sensitivity_text(data, out, method, res, chosen),
        table=res.table,
        tables=tables,
        payload=payload,
        plotters={method: partial(draw, res.table, _label(out))},
    )


#: metrics where more is worse: PRIM's default cases of interest are their highest quarter
WORSE_WHEN_HIGH = re.compile(r"^(weeks_to_\d+|lapse_rate|cost|final_share\.(unaware|lapsed))$")


def _prim_outcome(data: SweepData, out: Outcome, y: pd.Series) -> tuple[Outcome, pd.Series]:
    """Cases of interest (1.0): failures, runs past the threshold, or, for a numeric metric
    without a threshold, its worst quarter (the lowest, or the highest where more is worse:
    weeks to a level, lapses, cost, unaware or lapsed shares)."""
    if out.kind == "bool":
        return out, 1.0 - y
    if out.kind == "indicator":
        return out, y
    if WORSE_WHEN_HIGH.match(out.metric):
        value = float(np.quantile(y, 0.75))
        op = ">" if (y > value).any() else ">="
    else:
        value = float(np.quantile(y, 0.25))
        op = "<" if (y < value).any() else "<="
    return outcome(data, out.metric, f"{op}{value!r}")


def _prim(data: SweepData, out: Outcome, y: pd.Series, chosen: str, max_boxes: int):
    out, cases = _prim_outcome(data, out, y)
    seed = int(data.manifest["spec"].get("seed", 2026))
    found: list[Discovery] = []
    scores = []
    for s in data.scenarios:
        rows = (data.metrics["scenario"] == s).to_numpy()
        if not rows.any():
            continue
        x = inputs(data, s)
        if x.empty:
            raise ConfigError(
                f"{data.path}: nothing varies between the runs of {s} (no varied parameter, no "
                "drawn condition): PRIM has no input to put limits on"
            )
        yc = cases[rows].to_numpy()
        found.append(
            discover(s, x, yc, data.metrics.loc[rows, "point"].to_numpy(), seed, max_boxes)
        )
        if 0 < yc.sum() < len(yc):
            sc = feature_scores(x, yc, seed, classify=True)
            scores.append(pd.DataFrame({"scenario": s, "input": sc.index, "score": sc.values}))
    if all(d.n_cases in (0, d.n_runs) for d in found):
        shown = ", ".join(f"{d.scenario}: {d.n_cases} of {d.n_runs}" for d in found)
        what = "failures" if out.kind == "bool" else out.describe()
        raise ConfigError(
            f"--metric {out.metric}: the cases of interest ({what}) "
            f"are none or all of the runs of every scenario ({shown}), so there is no "
            "variance to explain; choose another metric or threshold"
        )
    score_table = pd.concat(scores, ignore_index=True) if scores else None
    return _prim_result(data, out, found, score_table, chosen)


def _prim_result(data, out, found, scores, chosen) -> AnalysisResult:
    from . import plots

    boxes = _boxes_table(found)
    tables = {"boxes": boxes, "trajectories": _trajectories(found)}
    plotters = {
        "prim_tradeoff": partial(plots.tradeoff_figure, found),
        "prim_boxes": partial(plots.boxes_figure, found),
    }
    if scores is not None:
        tables["feature_scores"] = scores
        plotters["feature_scores"] = partial(plots.scores_figure, scores)
    payload = [
        {
            "scenario": d.scenario,
            "coverage": b.coverage,
            "density": b.density,
            "limits": {k: list(v) for k, v in b.limits.items()},
        }
        for d in found
        for b in d.boxes
    ]
    return AnalysisResult(
        method="prim",
        metric=out.metric,
        n_runs=len(data.metrics),
        path=data.path,
        summary=prim_text(data, out, found, scores, chosen),
        table=boxes,
        tables=tables,
        payload=payload,
        plotters=plotters,
    )


def _boxes_table(found: list[Discovery]) -> pd.DataFrame:
    rows = []
    for d in found:
        for i, b in enumerate(d.boxes, start=1):
            for name, lim in b.limits.items():
                numeric = isinstance(lim[0], int | float) and not isinstance(lim[0], bool)
                rows.append(
                    {
                        "scenario": d.scenario,
                        "box": i,
                        "coverage": b.coverage,
                        "density": b.density,
                        "mass": b.mass,
                        "n_runs": b.n,
                        "held_out_coverage": b.held_out["coverage"],
                        "held_out_density": b.held_out["density"],
                        "held_out_n_runs": b.held_out["n"],
                        "input": name,
                        "low": lim[0] if numeric else None,
                        "high": lim[1] if numeric else None,
                        "values": None if numeric else "|".join(map(str, lim)),
                        "qp": b.qp.get(name),
                    }
                )
    columns = [
        "scenario",
        "box",
        "coverage",
        "density",
        "mass",
        "n_runs",
        "held_out_coverage",
        "held_out_density",
        "held_out_n_runs",
        "input",
        "low",
        "high",
        "values",
        "qp",
    ]
    return pd.DataFrame(rows, columns=columns)


def _trajectories(found: list[Discovery]) -> pd.DataFrame:
    parts = []
    for d in found:
        for i, b in enumerate(d.boxes, start=1):
            t = b.trajectory[["coverage", "density", "mass", "res_dim"]].copy()
            t.insert(0, "step", np.arange(len(t)))
            t.insert(0, "box", i)
            t.insert(0, "scenario", d.scenario)
            t["picked"] = t["step"] == b.picked
            parts.append(t)
    cols = ["scenario", "box", "step", "coverage", "density", "mass", "res_dim", "picked"]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
