"""Measure whether each domain claim is carried by the mechanism it names (experiments.knockouts)
and write the figures to docs/KNOCKOUTS.md.

    python scripts/knockouts.py [--replicates 60] [--workers 2] [--out docs/KNOCKOUTS.md]
                                [--playbook docs/PLAYBOOK.md]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from playbook import replace_section  # scripts/playbook.py, beside this script

from experiments.claims import library_plans
from experiments.knockouts import driver_ranking, evaluate

HEAD = """# Claims and the mechanisms that carry them: knockouts and falsifications

Written by `python scripts/knockouts.py --replicates {r}` ({when}, {secs:.0f} s); the
definitions (effect, switch, falsification) are in `experiments/knockouts.py`. Every figure is a
paired mean over the same {r} replicate organizations (plan A minus plan B, organization by
organization), with its standard error. A claim is **carried** by its mechanism when the effect
at the defaults is clear (at least its minimum and two standard errors above zero) and the
knockout (the named mechanism switched off, on both plans) keeps at most half of it; it is
**falsifiable** when the plausible setting named keeps at most half of it.

"""
RANKING = """
## Claim 6 as a ranking: the strongest drivers among the organizational conditions

Morris screening (SALib, {t} trajectories over the documented ranges of the eight organization
conditions, each design point run on the same {o} organizations; output: the final active share,
averaged). mu* is the mean absolute elementary effect, with its 95% bootstrap half-width; the
claim holds when the managers' attitude is among the three strongest drivers for both plans.

| plan | drivers, strongest first: mu* (95% half-width) |
|---|---|
"""
TABLE = ("| claim | effect measured | default | knockout: switch | kept | falsification | kept "
         "| carried | falsifiable |\n|---|---|---|---|---|---|---|---|---|\n")


def _fmt(over: dict) -> str:
    return ", ".join(f"`{k} = {v}`" for k, v in over.items())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replicates", type=int, default=60)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--out", type=Path, default=Path("docs/KNOCKOUTS.md"))
    ap.add_argument("--trajectories", type=int, default=20, help="Morris trajectories")
    ap.add_argument("--organizations", type=int, default=3, help="organizations per point")
    ap.add_argument("--playbook", type=Path, default=Path("docs/PLAYBOOK.md"),
                    help="also write the compact table between its <!-- knockouts --> markers")
    args = ap.parse_args()
    t0 = time.time()
    outcomes = evaluate(args.replicates, workers=args.workers)
    secs = time.time() - t0
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines = [HEAD.format(r=args.replicates, when=when, secs=secs), TABLE]
    for o in outcomes:
        m = o.mechanism
        lines.append(
            f"| {m.name}. {m.statement} | {m.contrast.label} | {o.default} | "
            f"{m.mechanism}: {_fmt(m.switch)} -> {o.knockout} | {o.kept_by_knockout:.0%} | "
            f"{m.falsify_why}: {_fmt(m.falsify)} -> {o.falsified} | "
            f"{o.kept_by_falsification:.0%} | {'yes' if o.carried else '**no**'} | "
            f"{'yes' if o.falsifiable else '**no**'} |\n")
    lines.append(RANKING.format(t=args.trajectories, o=args.organizations))
    for tag in ("provide-and-pray", "goal-led"):
        plan = next(s for s in library_plans().values() if tag in s.tags)
        drivers = driver_ranking(plan, args.trajectories, args.organizations,
                                 workers=args.workers)
        lines.append(f"| `{plan.name}` | " + "; ".join(
            f"{d.rank}. {d.name} {d.mu_star:.3f} (±{d.conf:.3f})" for d in drivers) + " |\n")
    text = "".join(lines)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(text)
    tmp.replace(args.out)
    print(text)
    if args.playbook is not None:
        _write_playbook(args.playbook, outcomes, args.replicates, when)


def playbook_rows(outcomes) -> str:
    """The PLAYBOOK's compact table: each check with its knockout and falsification."""
    rows = ["| claim | effect at the defaults | knockout: switched off | kept | "
            "falsification | kept | result |", "|---|---|---|---|---|---|---|"]
    for o in outcomes:
        m = o.mechanism
        rows.append(f"| {m.name} | {m.contrast.label}: {o.default} | {m.mechanism} | "
                    f"{o.kept_by_knockout:.0%} | {m.falsify_why} | "
                    f"{o.kept_by_falsification:.0%} | "
                    f"{'pass' if o.passed else '**FAIL**'} |")
    return "\n".join(rows)


def _write_playbook(path: Path, outcomes, replicates: int, when: str) -> None:
    body = (f"Measured with `python scripts/knockouts.py --replicates {replicates}` ({when}).\n\n"
            + playbook_rows(outcomes))
    new = replace_section(path.read_text(), "knockouts", body)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(new)
    tmp.replace(path)


if __name__ == "__main__":
    main()
