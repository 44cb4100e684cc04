"""The analyses in plain words (markdown): what was explained, how, and what was found."""

from __future__ import annotations

import pandas as pd

from .data import Outcome, SweepData, few_drawn
from .discovery import Box, Discovery
from .sensitivity import SensitivityResult

__all__ = ["prim_text", "sensitivity_text"]


def _pct(v: float) -> str:
    return f"{v:.0%}"


def _num(v) -> str:
    return f"{v:.3g}" if isinstance(v, float) else str(v)


def what(data: SweepData, out: Outcome, per_point: bool) -> str:
    """What each value analysed is, in words."""
    r = data.replicates
    orgs = f"{r} replicate organization{'s' if r > 1 else ''}"
    if out.kind == "bool":
        base = f"the success rate: the share of its {orgs} that met the plan's success criterion"
    elif out.kind == "indicator":
        base = f"the share of its {orgs} whose {out.metric} is {out.op} {out.value:g}"
    else:
        base = f"{out.metric} averaged over its {orgs}"
    text = f"For each design point, {base}" if per_point else ""
    return text + ("." + _censored_words(out).rstrip(".") if out.censored else "")


def _header(data: SweepData, title: str) -> str:
    d = data.design
    n_factors = len(data.factors)
    return (
        f"# {title}\n\nSweep `{data.path}`: design {d['kind']}, {n_factors} varied "
        f"parameter{'s' if n_factors != 1 else ''} ({', '.join(data.factors)}), "
        f"{d['n_points']} points x {data.replicates} replicate organizations, "
        f"{len(data.metrics)} runs ({', '.join(data.scenarios)}).\n"
    )


def sensitivity_text(
    data: SweepData, out: Outcome, method: str, res: SensitivityResult, chosen: str = ""
) -> str:
    name = "Sobol'" if method == "sobol" else "Morris"
    text = [_header(data, f"{name} sensitivity of {out.describe()}")]
    if chosen:
        text.append(chosen + "\n")
    text.append(
        what(data, out, True) + ". Every point meets the same organizations (common random "
        "numbers), so differences between points are the parameters' effects. "
        + (
            "The indices split the variance of that value across the points between the "
            "parameters: S1 is a parameter's share on its own, ST its share including its "
            "interactions with the others; the intervals are 95% bootstrap intervals.\n"
            if method == "sobol"
            else "mu* is the mean absolute change of that value when one parameter moves by "
            "a Morris step (2/3 of its range with 4 levels), with a 95% bootstrap interval; "
            "sigma is the spread of those changes: a sigma near or above mu* marks an effect "
            "that depends on the other parameters (interactions or a curved response).\n"
        )
    )
    for s, group in res.table.groupby("scenario", sort=False):
        text.append(f"\n## {s}\n")
        if method == "sobol":
            text.append(_sobol_words(group, res.interactions, s))
        else:
            text.append(_morris_words(group))
    for s, v in res.constant.items():
        text.append(
            f"\n## {s}\n\n{out.describe()} is {v:g} at every point: no variance, no indices.\n"
        )
    return "\n".join(text)


def _sobol_words(t: pd.DataFrame, pairs: pd.DataFrame | None, s: str) -> str:
    t = t.sort_values("ST", ascending=False)
    rows = ["| parameter | S1 (alone) | ST (with interactions) |", "|---|---|---|"]
    rows += [
        f"| {r.parameter} | {r.S1:.2f} ± {r.S1_conf:.2f} | {r.ST:.2f} ± {r.ST_conf:.2f} |"
        for r in t.itertuples()
    ]
    words = []
    for r in t.itertuples():
        if r.ST - r.ST_conf <= 0:
            words.append(
                f"{r.parameter} has no effect that can be told from zero (ST {r.ST:.2f} ± "
                f"{r.ST_conf:.2f})."
            )
        else:
            words.append(
                f"{r.parameter} accounts for {_pct(max(r.S1, 0))} of the variance on its own "
                f"(± {r.S1_conf:.0%}) and {_pct(r.ST)} with its interactions (± {r.ST_conf:.0%})."
            )
    first = float(t["S1"].clip(lower=0).sum())
    words.append(
        f"The first-order shares add up to {_pct(first)}"
        + (
            f": about {_pct(1 - first)} of the variance comes from interactions."
            if first < 0.9
            else ": the parameters act mostly on their own."
        )
    )
    if pairs is not None and len(pairs[pairs.scenario == s]):
        top = pairs[pairs.scenario == s].sort_values("S2", ascending=False).iloc[0]
        words.append(
            f"Strongest pairwise interaction: {top.parameter_1} x {top.parameter_2} "
            f"(S2 {top.S2:.2f} ± {top.S2_conf:.2f})."
        )
    return "\n".join(rows) + "\n\n" + " ".join(words) + "\n"


def _morris_words(t: pd.DataFrame) -> str:
    t = t.sort_values("mu_star", ascending=False)
    rows = ["| parameter | mu* | sigma | mu |", "|---|---|---|---|"]
    rows += [
        f"| {r.parameter} | {r.mu_star:.3g} ± {r.mu_star_conf:.2g} | {r.sigma:.3g} | {r.mu:.3g} |"
        for r in t.itertuples()
    ]
    words = [f"Ranked by mu*: {', '.join(t['parameter'])}."]
    for r in t.itertuples():
        if r.mu_star - r.mu_star_conf <= 0:
            words.append(f"{r.parameter}: no effect that can be told from zero.")
        elif r.sigma >= r.mu_star:
            words.append(f"{r.parameter}: its effect depends on the others (sigma >= mu*).")
    return "\n".join(rows) + "\n\n" + " ".join(words) + "\n"


# -- PRIM ------------------------------------------------------------------------------------
def condition(name: str, lim: list, full: list) -> str:
    """``lim`` of input ``name`` in words, given its full range or values."""
    if not (lim and isinstance(lim[0], int | float) and not isinstance(lim[0], bool)):
        return f"{name} is {' or '.join(map(str, lim))}"
    lo, hi = lim
    if lo > full[0] and hi < full[1]:
        return f"{name} is between {_num(lo)} and {_num(hi)}"
    return f"{name} ≤ {_num(hi)}" if lo <= full[0] else f"{name} ≥ {_num(lo)}"


def _change(out: Outcome, base: float, density: float) -> str:
    if out.kind == "bool":
        return f"success falls from {_pct(1 - base)} to {_pct(1 - density)}"
    return f"runs with {out.describe()} rise from {_pct(base)} to {_pct(density)}"


def box_sentence(out: Outcome, d: Discovery, b: Box, cases: str) -> str:
    where = " and ".join(condition(k, v, d.bounds[k]) for k, v in b.limits.items())
    h = b.held_out
    held = (
        "no held-out run falls in it"
        if not h["n"]
        else f"on the {h['n']} held-out runs in it, {_held(out, h)} "
        f"({_pct(h['coverage'])} of the held-out {cases})"
    )
    return (
        f"{_change(out, d.base_rate, b.density)} when {where}: {_pct(b.mass)} of the runs, "
        f"{_pct(b.coverage)} of the {cases}. Re-checked: {held}."
    )


def _held(out: Outcome, h: dict) -> str:
    if out.kind == "bool":
        return f"success is {_pct(1 - h['density'])}"
    return f"{_pct(h['density'])} have {out.describe()}"


def prim_text(
    data: SweepData,
    out: Outcome,
    found: list[Discovery],
    scores: pd.DataFrame | None,
    chosen: str = "",
) -> str:
    cases = "failures" if out.kind == "bool" else f"runs with {out.describe()}"
    title = "Where the plans fail" if out.kind == "bool" else f"Where {out.describe()}"
    text = [_header(data, f"{title} (PRIM scenario discovery)")]
    if chosen:
        text.append(chosen + "\n")
    inputs = sorted({k for d in found for k in d.bounds})
    drawn = any(k.startswith("drawn.") for k in inputs)
    text.append(
        "Every run is a case; the cases of interest are the "
        f"{cases}{' (the plan did not meet its success criterion)' if out.kind == 'bool' else ''}."
        f" PRIM (EMA Workbench) looked for boxes of the inputs ({', '.join(inputs)}) that hold "
        "mostly such cases: coverage is the share of all cases of interest inside a box, "
        "density the share of the box's runs that are cases of interest."
        + (
            " drawn.X is the value of condition X the run's organization drew from its range."
            if drawn
            else ""
        )
        + " A quarter of the design points (or runs) was held out before the search; each box "
        "is re-checked on them." + _few_drawn_words(data) + _censored_words(out) + "\n"
    )
    for d in found:
        text.append(_scenario_words(out, d, cases))
    if scores is not None and len(scores):
        text.append("\n## Feature scores\n")
        text.append(
            "How much each input tells about the outcome (extra-trees feature scoring, EMA "
            "Workbench; each scenario's scores add up to 1):\n"
        )
        for s, g in scores.groupby("scenario", sort=False):
            top = ", ".join(f"{r.input} {r.score:.2f}" for r in g.head(6).itertuples())
            text.append(f"- {s}: {top}")
    return "\n".join(text) + "\n"


def _censored_words(out: Outcome) -> str:
    if not out.censored:
        return ""
    return (
        f" {out.censored} runs never reached the level of {out.metric} within the horizon: "
        "they count as the horizon plus one week."
    )


def _few_drawn_words(data: SweepData) -> str:
    few = few_drawn(data)
    if not few:
        return ""
    n = max(few.values())
    return (
        f" The conditions the organizations drew ({', '.join(sorted(few))}) take at most {n} "
        "values each: replicate r meets the same organization at every point (common random "
        "numbers), so they are the values of a few organizations, too few for a box limit to "
        "mean anything, and are left out. To study such a condition, make it a parameter, or "
        "run more replicates."
    )


def _scenario_words(out: Outcome, d: Discovery, cases: str) -> str:
    head = f"\n## {d.scenario}\n\n"
    overall = (
        f"success {_pct(1 - d.base_rate)} overall ({d.n_runs - d.n_cases} of {d.n_runs} runs)"
        if out.kind == "bool"
        else f"{d.n_cases} of {d.n_runs} runs have {out.describe()} ({_pct(d.base_rate)})"
    )
    if d.n_cases == 0:
        return head + f"{overall}: no case of interest, nothing to discover.\n"
    if d.n_cases == d.n_runs:
        return head + f"{overall}: every run is a case of interest, everywhere.\n"
    if not d.boxes:
        return head + (
            f"{overall}. PRIM found no box where the {cases} concentrate (density at least "
            f"{_pct(d.density_threshold)}): they are spread over the inputs' ranges.\n"
        )
    lines = [f"{i}. {box_sentence(out, d, b, cases)}" for i, b in enumerate(d.boxes, start=1)]
    return head + f"{overall}.\n\n" + "\n".join(lines) + "\n"
