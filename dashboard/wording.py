"""Plain words for the facts of :mod:`experiments.explain` (the page only words them).

Each function returns Markdown paragraphs; nothing here computes a number, it only chooses how
to say it (and what to leave out when it says nothing).
"""

from __future__ import annotations

from experiments.explain import Contrast, Explanation, GroupFact, Item, PlanFacts
from experiments.outcomes import Paired

__all__ = ["explanation_markdown", "item_name", "paired_sentence", "plan_paragraph"]


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def item_name(item: Item) -> str:
    name = item.label or item.type.replace("_", " ")
    return f"{name} (from week {item.start})"


def _group(g: GroupFact) -> str:
    return f"{g.group.replace('_', ' ')} {_pct(g.active)}"


def _p(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}" if p < 0.1 else f"p = {p:.2f}"


def paired_sentence(pr: Paired) -> str:
    """The McNemar comparison of two plans on the same organizations."""
    head = (
        f"On the same {pr.n} organizations, **{pr.a}** succeeded where **{pr.b}** failed in "
        f"{pr.only_a}, and the reverse happened in {pr.only_b} (both succeeded in {pr.both}, "
        f"neither in {pr.neither})."
    )
    diff = (
        f" The difference in success rate is {100 * pr.difference:+.0f} points "
        f"(95% interval {100 * pr.low:+.0f} to {100 * pr.high:+.0f}; McNemar {_p(pr.p_value)})"
    )
    if pr.only_a + pr.only_b == 0:
        return head + " The two plans did not differ in any organization."
    if pr.p_value < 0.05:
        return head + diff + ": more than chance would give."
    return head + diff + ": too close to tell apart with this many organizations."


def _stalled(f: PlanFacts) -> str:
    roles, depts = f.stalled("role"), f.stalled("department")
    level = _pct(f.success_level)
    if f.active >= f.success_level and not roles and not depts:
        return (
            f"Adoption spread everywhere: every role and department of the median "
            f"organization ended above {level} active."
        )
    if len(roles) == len(f.roles) and len(depts) == len(f.departments):
        return (
            f"Adoption stalled everywhere: in the median organization no role and no "
            f"department reached {level} active (overall {_pct(f.active)} active at the end)."
        )
    parts = []
    if roles:
        parts.append(f"among {_names([_group(g) for g in roles[:3]])}")
    if depts:
        parts.append(f"in {_names([_group(g) for g in depts[:3]])}")
    return (
        f"Adoption stalled {' and '.join(parts)} (median share active at the end; the plan "
        f"needs {level} to count as a success)."
    )


def _lapses(f: PlanFacts) -> str:
    text = f"At the end {_pct(f.lapsed)} of staff had given up (median organization)."
    sources = f.lapse_sources() if f.lapsed >= 0.02 else []
    if sources:
        text += " Those who gave up came disproportionately from " + _names(
            [f"{g.group.replace('_', ' ')} ({_pct(g.lapsed_share)} of the lapsed, "
             f"{_pct(g.staff_share)} of staff)" for g in sources[:3]]
        ) + "."
    wave = f.lapses
    if wave.organizations and wave.median_week is not None:
        text += (
            f" Lapses rose fastest around week {wave.median_week:.0f} "
            f"({_pct(wave.median_rise)} of staff within a month)"
        )
        ended = [item_name(it) for it, n in wave.ended if n >= wave.organizations / 2]
        text += f", just after {_names(ended)} ended" if ended else ""
        text += "; most of them came back by the end." if f.lapsed < wave.median_rise / 2 else "."
    if f.fell_back:
        text += (
            f" In {f.fell_back} of {f.success.n} organizations adoption fell back by 10 points "
            "or more from its peak: people sensed it losing momentum and returned to the old way."
        )
    return text


def _takeoff(f: PlanFacts) -> str:
    t = f.takeoff
    if not t.reached:
        return f"Adoption never took off (10% active) in any of the {t.n} organizations."
    when = f"In {t.reached} of {t.n} organizations adoption took off (reached 10% active), "
    when += f"in week {t.median_week:.0f} (median)"
    acting = [item_name(it) for it, n in t.active if n >= t.reached / 2]
    text = when + (f", while {_names(acting)} {'was' if len(acting) == 1 else 'were'} acting."
                   if acting else ", before any intervention acted.")
    later = [item_name(it) for it, n in t.later if n >= t.reached / 2]
    if later:
        text += f" {_cap(_names(later))} started only after take-off."
    return text


def _ending(f: PlanFacts) -> str:
    text = (f"the median organization ended with {_pct(f.active)} of staff active and "
            f"{_pct(f.engaged)} engaged")
    if abs(f.mean_active - f.active) >= 0.1:
        text += (f" (mean {_pct(f.mean_active)}: outcomes split, adoption took hold in some "
                 "organizations and fizzled in others)")
    return text + "."


def plan_paragraph(f: PlanFacts) -> str:
    s = f.success
    return (
        f"**{f.name}** succeeded in {s.successes} of {s.n} organizations ({_pct(s.rate)}, 95% "
        f"interval {_pct(s.low)} to {_pct(s.high)}); {_ending(f)} "
        f"{_takeoff(f)} {_stalled(f)} {_lapses(f)}"
    )


def _contrast(c: Contrast, e: Explanation) -> str:
    text = paired_sentence(c.paired)
    gaps = [g for g in c.role_gaps if g[1] - g[2] >= 0.1][:2]
    gaps += [g for g in c.department_gaps if g[1] - g[2] >= 0.1][:2]
    if gaps:
        text += " The widest gaps: " + _names(
            [f"{g.replace('_', ' ')} {_pct(a)} against {_pct(b)}" for g, a, b in gaps]
        ) + f" active at the end under {c.paired.a} and {c.paired.b}."
    return text


def explanation_markdown(e: Explanation) -> str:
    """Why the plans differ: the best plan against each other one, then each plan's story."""
    best = e.facts(e.best).success
    others = [f"{p.success.successes} for {p.name}" for p in e.plans if p.name != e.best]
    parts = [
        f"### Why the plans differ\n\n**{e.best}** did best: it succeeded in "
        f"{best.successes} of {best.n} organizations, against {_names(others)}."
    ]
    parts += [_contrast(c, e) for c in e.contrasts]
    parts += ["### What happened under each plan"]
    parts += [plan_paragraph(f) for f in e.plans]
    return "\n\n".join(parts)
