"""The weekly adoption rule, as plain Python functions of scalars.

This is the model's behaviour in one readable place (docs/ODD.md, Submodels, describes the same
formulas): :func:`decide` takes what one person sees, has and is (:class:`RuleInputs`, gathered
from the arrays by :func:`simulation.inputs.gather`), their draw for the week, the rates and
weights (:class:`RuleParams`) and the week's organization-wide conditions (:class:`WeekEnv`).
What a person shows their contacts is :func:`voice`. The agents engine calls these functions
from each Mesa agent's ``step()``; the numba engine compiles the very same functions into its
kernel (:mod:`simulation.kernels.weekly`).
Only ``+ - * /``, ``min``, ``max`` and comparisons are used, so both engines round identically
and give the same trajectory, state for state. ``register_jitable`` leaves each function a plain
Python function when called from Python and lets numba compile it into a kernel.
"""

from __future__ import annotations

from typing import NamedTuple

from numba.extending import register_jitable

from .config import Dynamics
from .states import ADOPTED, AWARE, ENGAGED, LAPSED, ROLE_VETERAN, TRYING, UNAWARE

__all__ = [
    "RuleInputs",
    "RuleParams",
    "WeekEnv",
    "activity",
    "activity_share",
    "decide",
    "manager_support",
    "motivation",
    "perceive",
    "rule_params",
    "voice",
]

#: values the rule uses that are derived from :class:`~simulation.config.Dynamics`: the
#: motivators' weights one by one, and reciprocals, so that the weekly rule multiplies where it
#: would divide by a constant
_DERIVED = {
    "w_autonomy": lambda d: float(d.motivation_weights[0]),
    "w_mastery": lambda d: float(d.motivation_weights[1]),
    "w_purpose": lambda d: float(d.motivation_weights[2]),
    "w_community": lambda d: float(d.motivation_weights[3]),
    "inv_band": lambda d: 1.0 / d.band,
    "inv_value_band": lambda d: 1.0 / d.value_band,
    "inv_value_hurdle": lambda d: 1.0 / d.value_hurdle,
    "inv_engage_band": lambda d: 1.0 / d.engage_band,
    "inv_motivation_total": lambda d: 1.0 / sum(float(w) for w in d.motivation_weights),
    "newcomer_extra_weight": lambda d: d.newcomer_veteran_weight - 1,
}
_FIELDS = [
    (name, int if f.annotation is int else float)
    for name, f in Dynamics.model_fields.items()
    if f.annotation in (int, float)
]

#: the rates and weights of :class:`~simulation.config.Dynamics` as plain numbers, by the same
#: names (every number of the ``dynamics`` section), plus the derived values of ``_DERIVED``
RuleParams = NamedTuple(
    "RuleParams",
    [*_FIELDS, *((name, type(f(Dynamics()))) for name, f in _DERIVED.items())],
)


def rule_params(d: Dynamics) -> RuleParams:
    """The weekly rule's :class:`RuleParams` from a scenario's ``dynamics``."""
    values = {name: kind(getattr(d, name)) for name, kind in _FIELDS}
    values.update({name: f(d) for name, f in _DERIVED.items()})
    return RuleParams(**values)


class RuleInputs(NamedTuple):
    """Everything one person's decision reads besides the week's draw, the rates and weights
    (:class:`RuleParams`) and the organization-wide conditions (:class:`WeekEnv`); computed
    for both engines by :func:`simulation.inputs.gather`."""

    state: int  # this week's adoption state
    social: float  # social proof among contacts (and community), [0,1]
    critics: float  # share of the voice among contacts that is unconverted critics'
    peers: float  # share of the voice among contacts (and community) that is engaged
    support: float  # one's manager's support, [-1,1]
    helper: float  # support from champions, experts and one's community manager
    reach: float  # broadcast intensity this week
    push: float  # extrinsic nudge
    compliance: float  # weekly sign-up probability under a mandate
    fatigue: float  # mandate or withdrawal fatigue
    motive: float  # motivation (autonomy, mastery, purpose, community), [0,1]
    purpose: float
    community: float  # the community motivator (belonging)
    trust: float
    mastery: float
    threshold: float
    tool: float  # how well one can work socially: platform, existing tools or not at all
    goal: float  # goal fit of one's work with it: one's community's, else the bare platform's
    member_of: int  # one's community, -1 none
    open_community: int  # one's department's community open to join, -1 none
    open_share: float  # its activity share
    lapses: int  # times one has lapsed since hired
    fit: float  # how much one's own work gains from working socially (mean 1)
    local: float  # active share of one's department


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
def activity(state):
    """Visible activity of a state, in half units: 2 uses it, 1 tries it, 0 does not (of one
    state, or elementwise of an array of states)."""
    return 2 * ((state == ADOPTED) | (state == ENGAGED)) + (state == TRYING)


@register_jitable(inline="always")
def voice(state, role, influence, critic):
    """What a person adds to each of their contacts' six exposure sums per unit of tie weight:
    (everyone, activity, engaged, unconverted critics who do not use it, veterans, veterans'
    activity), all their influence or none of it (elementwise for arrays of people)."""
    a = activity(state)
    vet = role == ROLE_VETERAN
    return (
        influence,
        influence * a,
        influence * (state == ENGAGED),
        influence * (critic & (a < 2)),
        influence * vet,
        influence * a * vet,
    )


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
    ``1 + extra_vet`` times. Community members also see their community's activity, in
    full once it has ``community_critical_mass`` active members (in proportion below).
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
        mass = min(1.0, c_act * 0.5 / p.community_critical_mass)  # an empty room pulls little
        social = social + p.community_proof * (mass * c_act * (0.5 * inv_c) - social)
        peers = peers + p.community_proof * (mass * c_eng * inv_c - peers)
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
def _move(x: RuleInputs, u: float, p: RuleParams, e: WeekEnv):
    """(next state, next trust, next mastery) given one uniform ``u``: a move when ``u`` is
    below the chance of one's state's move (up, or for the engaged down to mere use), a lapse
    when ``u`` is in the top slice of the chance of lapsing (trying and adopted people).

    Every state's formulas are evaluated for everyone and one's own state then selects its
    values (no branch on the state: the numba engine decides for a block of people at once,
    in SIMD registers); each value is computed by the same operations as if only one's own
    state's formulas were evaluated. A new term: compute it beside the others, use it in its
    state's formula.
    """
    st = x.state
    user = (st == TRYING) | (st == ADOPTED) | (st == ENGAGED)

    # unaware: hearing of it, by broadcast or word of mouth
    heard = 1.0 - (1.0 - min(1.0, x.reach)) * (1.0 - p.word_of_mouth * x.social)

    # the network effect is felt among one's contacts and in one's department; all of the
    # value scales with how much one's own work gains from it (work fit)
    network = 0.5 * x.social + 0.5 * x.local
    value = x.fit * (
        x.tool * (p.weight_goal * x.goal + p.weight_network * network)
        + p.weight_mastery * x.mastery
        + p.weight_outcomes * e.outcomes * e.active_share
    )
    perceived = value * (0.5 + x.trust)

    # aware or lapsed: trying it (again), if one can work with it at all
    pressure = (
        x.social
        + p.weight_leaders * e.leader_signal
        + p.weight_manager * x.support
        + p.weight_helper * x.helper
        - p.weight_critics * x.critics
        + p.weight_reach * min(1.0, x.reach)
        + p.weight_push * x.push
    )
    drive = (0.5 + x.motive) * (0.5 + x.trust) * (p.curiosity + pressure)
    relapse = st == LAPSED
    theta = x.threshold + e.workload
    theta = theta + p.relapse_penalty * x.lapses if relapse else theta  # each lapse adds
    rate = p.retry_rate if relapse else p.try_rate
    compliance = 0.0 if relapse else x.compliance  # a mandate signs people up, once
    tries = max(compliance, rate * soft_step((drive - theta) * p.inv_band))
    tries = tries if x.tool > 0.0 else 0.0

    # people who use it (trying, adopted, engaged): experience moves trust and skill; what
    # their manager and leaders do, and what critics say, colours that experience
    trust_next = x.trust + p.trust_learning * (
        ramp(value + p.trust_social * (x.support + e.leader_signal - x.critics)) - x.trust
    )
    lapse_pressure = (
        p.lapse_value * (p.value_hurdle - perceived)
        - p.weight_push * x.push
        + p.lapse_stall * e.stall
        + p.lapse_unsupported * max(0.0, -x.support)
        + p.lapse_fatigue * x.fatigue
        - p.lapse_support_relief * (max(0.0, x.support) + x.helper + e.leader_signal)
    )
    lapse = p.lapse_base + p.lapse_rate * ramp(lapse_pressure)

    # trying: adopting it, or dropping it
    adopts = p.adopt_rate * soft_step((perceived - p.value_hurdle) * p.inv_value_band)
    drops = p.drop_rate * soft_step((p.value_hurdle - perceived) * p.inv_value_band)

    # adopted and engaged: skill grows with use; deep engagement needs one's own work fit,
    # intrinsic motivation and a purpose: the goal one's work with it serves (claims 2 and
    # 12); engaged peers, helpers, leaders' example and one's manager amplify it; compelled
    # posting crowds contribution out (claim 4)
    mastery_next = x.mastery + p.mastery_learning * (1.0 - x.mastery)
    engagement = (
        x.fit * x.motive * (0.5 + x.goal)
        * (1.0 + p.weight_engaged_peers * x.peers + p.weight_helper * x.helper
           + p.weight_leaders * e.leader_signal + p.weight_manager * x.support)
        * (1.0 - p.contribution_crowding * x.peers)
        - p.lapse_fatigue * x.fatigue
    ) * min(1.0, perceived * p.inv_value_hurdle)
    lean = (engagement - p.engage_hurdle) * p.inv_engage_band
    engages = p.engage_rate * soft_step(lean)
    # engaged: contributors fall back to mere use, slowly (a habit), as engagement fades or
    # pressure mounts
    disengages = p.disengage_rate * soft_step(-lean) + lapse

    # one's own state's move (its chance and where it leads) and chance of lapsing
    move = (
        heard if st == UNAWARE
        else adopts if st == TRYING
        else engages if st == ADOPTED
        else disengages if st == ENGAGED
        else tries  # aware, lapsed
    )
    to = (
        AWARE if st == UNAWARE
        else ADOPTED if st == TRYING
        else ENGAGED if st == ADOPTED
        else ADOPTED if st == ENGAGED
        else TRYING
    )
    falls = drops if st == TRYING else lapse if st == ADOPTED else 0.0
    nxt = to if u < move else LAPSED if u >= 1.0 - falls else st
    lapsed_trust = trust_next - p.trust_lapse_loss * trust_next  # a bad first impression
    trust = (lapsed_trust if nxt == LAPSED else trust_next) if user else x.trust
    mastery = mastery_next if (st == ADOPTED) | (st == ENGAGED) else x.mastery
    return nxt, trust, mastery


@register_jitable(inline="always")
def decide(x: RuleInputs, u: float, p: RuleParams, e: WeekEnv):
    """One person's week: (next state, next trust, next mastery, community).

    ``x`` is what the person sees, has and is (:class:`RuleInputs`), ``u`` their one uniform
    for the week. Besides the state move, an aware non-member may join their department's open
    community of practice (``x.open_community``, -1 if none), the more likely the more active
    it is (``x.open_share``) and the more purpose and belonging drive them. That choice uses the
    low-order bits of ``u`` (an independent uniform).
    """
    nxt, trust, mastery = _move(x, u, p, e)
    scaled = u * 1048576.0  # 2**20: exact; the fraction is an independent uniform
    v = scaled - int(scaled)
    may_join = (x.member_of < 0) & (x.open_community >= 0) & (x.state != UNAWARE)
    joins = v < p.join_rate * x.open_share * (0.5 + 0.5 * (x.purpose + x.community)) * x.fit
    return nxt, trust, mastery, x.open_community if may_join & joins else x.member_of
