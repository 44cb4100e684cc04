"""The weekly adoption rule, as plain Python functions of scalars.

This is the model's behaviour in one readable place (docs/ODD.md, Submodels, describes the same
formulas). The agents engine calls these functions from each Mesa agent's ``step()``; the numba
engine compiles the very same functions into its kernel (:mod:`simulation.kernels.weekly`).
Only ``+ - * /``, ``min``, ``max`` and comparisons are used, so both engines round identically
and give the same trajectory, state for state. ``register_jitable`` leaves each function a plain
Python function when called from Python and lets numba compile it into a kernel.
"""

from __future__ import annotations

from typing import NamedTuple

from numba.extending import register_jitable

from .states import ADOPTED, AWARE, ENGAGED, LAPSED, TRYING, UNAWARE

__all__ = [
    "RuleParams",
    "WeekEnv",
    "activity",
    "activity_share",
    "decide",
    "manager_support",
    "motivation",
    "perceive",
]


class RuleParams(NamedTuple):
    """The rates and weights of :class:`~simulation.config.Dynamics`, as plain floats."""

    word_of_mouth: float
    try_rate: float
    retry_rate: float
    curiosity: float
    band: float
    weight_leaders: float
    weight_manager: float
    weight_helper: float
    weight_critics: float
    weight_reach: float
    weight_push: float
    community_proof: float
    adopt_rate: float
    drop_rate: float
    value_hurdle: float
    value_band: float
    weight_goal: float
    weight_network: float
    weight_mastery: float
    weight_outcomes: float
    engage_rate: float
    engage_hurdle: float
    engage_band: float
    weight_engaged_peers: float
    lapse_base: float
    lapse_rate: float
    lapse_value: float
    lapse_stall: float
    lapse_unsupported: float
    lapse_fatigue: float
    lapse_support_relief: float
    relapse_penalty: float
    trust_learning: float
    trust_social: float
    trust_lapse_loss: float
    mastery_learning: float
    manager_example: float
    w_autonomy: float
    w_mastery: float
    w_purpose: float
    w_community: float
    join_rate: float
    # derived: reciprocals, so the weekly rule multiplies where it would divide by a constant
    inv_band: float
    inv_value_band: float
    inv_value_hurdle: float
    inv_engage_band: float
    inv_motivation_total: float


class WeekEnv(NamedTuple):
    """Organization-wide conditions this week (same for everyone)."""

    tool_fit: float  # fit of the platform to the work
    legacy_fit: float  # efficiency of working socially with existing tools
    relevance: float  # goal fit of the bare platform, for people without a community goal
    workload: float  # threshold increment: no time to learn
    active_share: float  # share of staff adopted or engaged
    leader_signal: float  # visible use by leaders, [0,1]
    stall: float  # sensed loss of momentum, [0,1]
    outcomes: float  # strength of published, measured outcomes, [0,1]


@register_jitable(inline="always")
def activity(state) -> int:
    """Visible activity of a state, in half units: 2 uses it, 1 tries it, 0 does not."""
    if state == ADOPTED or state == ENGAGED:  # noqa: SIM109 (plain compares compile in numba)
        return 2
    if state == TRYING:
        return 1
    return 0


@register_jitable(inline="always")
def ramp(x: float) -> float:
    """Clamp to [0, 1]."""
    return min(1.0, max(0.0, x))


@register_jitable(inline="always")
def soft_step(x: float) -> float:
    """A linear step from 0 to 1 across x in [-0.5, 0.5]; 0.5 at x = 0."""
    return ramp(0.5 + x)


@register_jitable(inline="always")
def motivation(autonomy, mastery, purpose, community, p: RuleParams) -> float:
    """Pink's motivators plus community (claim 12), as a weighted mean in [0, 1]."""
    return (
        p.w_autonomy * autonomy
        + p.w_mastery * mastery
        + p.w_purpose * purpose
        + p.w_community * community
    ) * p.inv_motivation_total


@register_jitable(inline="always")
def perceive(tot, act, eng, neg, vtot, vact, extra_vet, c_size, c_act, c_eng, p: RuleParams):
    """What a person sees among their contacts: (social proof, critics, engaged peers).

    The integer sums are influence- and tie-weighted: ``tot`` over all contacts, ``act`` of
    their activity (2 uses, 1 tries), ``eng`` of the engaged, ``neg`` of unconverted critics who
    do not use it, ``vtot``/``vact`` the same over veterans, whom a newcomer weighs
    ``1 + extra_vet`` times. Community members also see their community's activity.
    """
    social = 0.0
    critics = 0.0
    peers = 0.0
    if tot > 0:
        inv = 1.0 / tot
        critics = neg * inv
        peers = eng * inv
        if extra_vet != 0:
            inv = 1.0 / (tot + extra_vet * vtot)
        social = (act + extra_vet * vact) * (0.5 * inv)
    if c_size > 0:
        inv_c = 1.0 / c_size
        social = social + p.community_proof * (c_act * (0.5 * inv_c) - social)
        peers = peers + p.community_proof * (c_eng * inv_c - peers)
    return social, critics, peers


@register_jitable(inline="always")
def activity_share(size, act) -> float:
    """The activity share of a group of ``size`` people whose activity sums to ``act``."""
    return act / (2 * size) if size > 0 else 0.0


@register_jitable(inline="always")
def manager_support(attitude: float, manager_uses_it: bool, p: RuleParams) -> float:
    """A manager's support for their team, in [-1, 1]; using it oneself sets an example."""
    s = attitude + (p.manager_example if manager_uses_it else 0.0)
    return min(1.0, max(-1.0, s))


@register_jitable(inline="always")
def _move(
    state,
    u,
    social,
    critics,
    peers,
    support,
    helper,
    reach,
    push,
    compliance,
    fatigue,
    motive,
    purpose,
    community,
    trust,
    mastery,
    threshold,
    tool,
    goal,
    p: RuleParams,
    e: WeekEnv,
):
    """(next state, next trust, next mastery) given one uniform ``u``: a move up when ``u`` is
    below the chance of moving up, a move down when ``u`` is in the top slice of the chance of
    moving down."""
    if state == UNAWARE:
        heard = 1.0 - (1.0 - min(1.0, reach)) * (1.0 - p.word_of_mouth * social)
        return (AWARE if u < heard else UNAWARE), trust, mastery

    value = (
        tool * (p.weight_goal * goal + p.weight_network * (0.5 * social + 0.5 * e.active_share))
        + p.weight_mastery * mastery
        + p.weight_outcomes * e.outcomes * e.active_share
    )
    perceived = value * (0.5 + trust)

    if state == AWARE or state == LAPSED:  # noqa: SIM109
        pressure = (
            social
            + p.weight_leaders * e.leader_signal
            + p.weight_manager * support
            + p.weight_helper * helper
            - p.weight_critics * critics
            + p.weight_reach * min(1.0, reach)
            + p.weight_push * push
        )
        drive = (0.5 + motive) * (0.5 + trust) * (p.curiosity + pressure)
        theta = threshold + e.workload
        rate = p.try_rate
        if state == LAPSED:
            theta = theta + p.relapse_penalty
            rate = p.retry_rate
        chance = 0.0
        if tool > 0.0:
            chance = max(compliance, rate * soft_step((drive - theta) * p.inv_band))
        return (TRYING if u < chance else state), trust, mastery

    # people who use it (trying, adopted, engaged): experience moves trust and skill; what
    # their manager and leaders do, and what critics say, colours that experience
    trust_next = trust + p.trust_learning * (
        ramp(value + p.trust_social * (support + e.leader_signal - critics)) - trust
    )
    lapse_pressure = (
        p.lapse_value * (p.value_hurdle - perceived)
        - p.weight_push * push
        + p.lapse_stall * e.stall
        + p.lapse_unsupported * max(0.0, -support)
        + p.lapse_fatigue * fatigue
        - p.lapse_support_relief * (max(0.0, support) + helper + e.leader_signal)
    )
    lapse = p.lapse_base + p.lapse_rate * ramp(lapse_pressure)

    if state == TRYING:
        up = p.adopt_rate * soft_step((perceived - p.value_hurdle) * p.inv_value_band)
        down = p.drop_rate * soft_step((p.value_hurdle - perceived) * p.inv_value_band)
        if u < up:
            return ADOPTED, trust_next, mastery
        if u >= 1.0 - down:
            return LAPSED, trust_next - p.trust_lapse_loss * trust_next, mastery
        return TRYING, trust_next, mastery

    mastery_next = mastery + p.mastery_learning * (1.0 - mastery)
    # deep engagement needs intrinsic motivation and a purpose: the goal one's work with it
    # serves (claims 2 and 12); engaged peers and helpers draw people in; compelled posting
    # crowds contribution out (claim 4)
    engagement = (
        motive * (0.5 + goal)
        + p.weight_engaged_peers * peers
        + p.weight_helper * helper
        + p.weight_leaders * e.leader_signal
        - p.lapse_fatigue * fatigue
    ) * min(1.0, perceived * p.inv_value_hurdle)
    lean = (engagement - p.engage_hurdle) * p.inv_engage_band
    if state == ADOPTED:
        up = p.engage_rate * soft_step(lean)
        if u < up:
            return ENGAGED, trust_next, mastery_next
        if u >= 1.0 - lapse:
            return LAPSED, trust_next - p.trust_lapse_loss * trust_next, mastery_next
        return ADOPTED, trust_next, mastery_next

    # ENGAGED: contributors fall back to mere use as engagement fades or pressure mounts
    down = p.engage_rate * soft_step(-lean) + lapse
    if u < down:
        return ADOPTED, trust_next, mastery_next
    return ENGAGED, trust_next, mastery_next


@register_jitable(inline="always")
def decide(
    state,
    u,
    social,
    critics,
    peers,
    support,
    helper,
    reach,
    push,
    compliance,
    fatigue,
    motive,
    purpose,
    community,
    trust,
    mastery,
    threshold,
    tool,
    goal,
    member_of,
    open_community,
    open_share,
    p: RuleParams,
    e: WeekEnv,
):
    """One person's week: (next state, next trust, next mastery, community).

    ``u`` is the person's one uniform for the week. Besides the state move, an aware non-member
    may join their department's open community of practice (``open_community``, -1 if none),
    the more likely the more active it is (``open_share``) and the more purpose and belonging
    drive them. That choice uses the low-order bits of ``u`` (an independent uniform).
    """
    nxt, trust_next, mastery_next = _move(
        state,
        u,
        social,
        critics,
        peers,
        support,
        helper,
        reach,
        push,
        compliance,
        fatigue,
        motive,
        purpose,
        community,
        trust,
        mastery,
        threshold,
        tool,
        goal,
        p,
        e,
    )
    if member_of >= 0 or open_community < 0 or state == UNAWARE:
        return nxt, trust_next, mastery_next, member_of
    scaled = u * 1048576.0  # 2**20: exact; the fraction is an independent uniform
    v = scaled - int(scaled)
    if v < p.join_rate * open_share * (0.5 + 0.5 * (purpose + community)):
        return nxt, trust_next, mastery_next, open_community
    return nxt, trust_next, mastery_next, member_of
