"""People: per-person attributes and adoption state, as arrays (structure of arrays).

Everything that changes during a run lives here: adoption state, motivation components, trust,
influence, threshold, critic flag, community membership, role (veterans by tenure, new hires),
what the model records of each person's history, and the per-person modifiers interventions set
(reach, push, helper support, mandate...). Mesa agents (:mod:`simulation.agents`) hold only an
index into these arrays.

Each per-person array is declared once, as a field of :class:`People` made with
:func:`per_person`: its dtype, its value for nobody-yet (allocation), its value for a new hire
(if a hire resets it), and whether interventions set it (a modifier, reset by the rollout at
every change point). Allocation, hiring, the rollout's reset and the kernels' bundle of arrays
(:class:`PersonArrays`, checked by dtype and length before the kernels use it) all follow these
declarations: adding a per-person attribute is one field here (plus where it is drawn or read).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from .kernels.jit import njit, njit_inline
from .organization import IC, LEADER_POS, MANAGER_POS, Organization
from .states import ROLE_EMPLOYEE, ROLE_LEADER, ROLE_MANAGER, ROLE_VETERAN, ROLES, UNAWARE

if TYPE_CHECKING:
    from .config import OrganizationConfig

__all__ = [
    "MODIFIERS",
    "PERSON_ARRAYS",
    "People",
    "PersonArrays",
    "attribute_params",
    "draw_people",
    "hire",
    "per_person",
    "promote_veterans",
    "role_of",
]

INFLUENCE_SCALE = 100  # influence is used as an integer (1.0 == 100) so sums are exact
#: fixed personal attributes and intervention modifiers are stored in single precision (half the
#: memory traffic of the weekly pass); both engines read them into double precision, and trust
#: and mastery, which change every week, stay double
F32 = np.float32
_KEEP = object()  # a hire keeps the slot's value (or it is drawn anew, or set by the hire)


def per_person(dtype, initial, *, on_hire: Any = _KEEP, modifier: bool = False) -> Any:
    """A per-person array field of :class:`People`: its dtype, its value before anything is
    drawn or set, its value for a new hire (unless the hire keeps the slot's value, or draws
    or sets it), and whether it is a modifier interventions set (reset to ``initial`` by the
    rollout at every change point)."""
    meta = {"dtype": np.dtype(dtype), "initial": initial, "on_hire": on_hire,
            "modifier": modifier}
    return field(metadata=meta)


@dataclass(eq=False)
class People:
    """Per-person arrays, all of length n (index = position in the organization), and the
    communities interventions create."""

    state: np.ndarray = per_person(np.int8, UNAWARE, on_hire=UNAWARE)  # adoption state
    role: np.ndarray = per_person(np.int8, ROLE_EMPLOYEE)  # ROLE_*; set by the hire
    role_pinned: np.ndarray = per_person(np.bool_, False, on_hire=False)  # role from the chart
    hired_week: np.ndarray = per_person(np.int32, 0)  # negative: before the run; set by the hire
    autonomy: np.ndarray = per_person(F32, 0.0)  # [0,1]; drawn for a hire
    mastery: np.ndarray = per_person(np.float64, 0.0)  # [0,1]; changes every week
    purpose: np.ndarray = per_person(F32, 0.0)  # [0,1]
    community_drive: np.ndarray = per_person(F32, 0.0)  # the "community" motivator (belonging)
    trust: np.ndarray = per_person(np.float64, 0.0)  # [0,1]; changes every week
    threshold: np.ndarray = per_person(F32, 0.0)  # [0,1]
    influence: np.ndarray = per_person(np.int64, 0)  # INFLUENCE_SCALE == 1.0
    critic: np.ndarray = per_person(np.bool_, False)  # an unconverted skeptic
    attitude: np.ndarray = per_person(F32, 0.0)  # [-1,1]: a manager's support for the new way
    fit: np.ndarray = per_person(F32, 1.0)  # how much one's own work gains from it, mean 1
    community: np.ndarray = per_person(np.int32, -1, on_hire=-1)  # community index, -1 none
    champion: np.ndarray = per_person(np.bool_, False, on_hire=False)  # in the champion tribe
    # history the model records (metrics)
    tried: np.ndarray = per_person(np.bool_, False, on_hire=False)  # has signed up (tried)
    adopted_week: np.ndarray = per_person(np.int32, -1, on_hire=-1)  # first adoption, -1 never
    moves: np.ndarray = per_person(np.int16, 0, on_hire=0)  # changes of state since hired
    lapses: np.ndarray = per_person(np.int16, 0, on_hire=0)  # moves into LAPSED since hired
    # modifiers set by interventions (recomputed when the rollout reaches a change point)
    access: np.ndarray = per_person(np.bool_, False, modifier=True)  # the platform is available
    reach: np.ndarray = per_person(F32, 0.0, modifier=True)  # broadcast intensity per week
    push: np.ndarray = per_person(F32, 0.0, modifier=True)  # extrinsic nudge
    helper: np.ndarray = per_person(F32, 0.0, modifier=True)  # a champion's or expert's support
    support_boost: np.ndarray = per_person(F32, 0.0, modifier=True)  # added to a manager's
    compliance: np.ndarray = per_person(F32, 0.0, modifier=True)  # sign-up chance (mandate)
    fatigue: np.ndarray = per_person(F32, 0.0, modifier=True)  # mandate / withdrawal fatigue
    # communities (created by interventions); a department's open community can be joined
    community_goal: np.ndarray = field(default_factory=lambda: np.zeros(0))
    community_helper: np.ndarray = field(default_factory=lambda: np.zeros(0))
    community_capacity: np.ndarray = field(default_factory=lambda: np.zeros(0))  # members
    dept_community: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))

    @classmethod
    def allocate(cls, n: int, n_departments: int) -> People:
        """Everyone at their declared initial values; no communities."""
        arrays = {f.name: np.full(n, m["initial"], m["dtype"]) for f, m in _PER_PERSON}
        return cls(**arrays, dept_community=np.full(n_departments, -1, np.int32))

    @property
    def n(self) -> int:
        return int(self.state.shape[0])

    @property
    def n_communities(self) -> int:
        return int(self.community_goal.shape[0])

    def arrays(self) -> PersonArrays:
        """The per-person arrays as the kernels take them (the same arrays, not copies).

        The same bundle object every time until a per-person array is replaced (assigned, not
        written into): the numba engine checks a bundle's dtypes and lengths once, and again
        only when it gets a new one."""
        bundle = self.__dict__.get("_bundle")
        if bundle is None:
            bundle = PersonArrays(*(getattr(self, name) for name in PERSON_ARRAYS))
            self.__dict__["_bundle"] = bundle
        return bundle

    def __setattr__(self, name: str, value: Any) -> None:
        if name in PERSON_ARRAYS:  # a per-person array replaced: the next bundle is new
            self.__dict__.pop("_bundle", None)
        object.__setattr__(self, name, value)


_PER_PERSON = [(f, f.metadata) for f in dataclasses.fields(People) if "dtype" in f.metadata]
#: name -> dtype of every per-person array, in declaration order
PERSON_ARRAYS = {f.name: m["dtype"] for f, m in _PER_PERSON}
#: the modifiers interventions set, and their value when none acts
MODIFIERS = {f.name: m["initial"] for f, m in _PER_PERSON if m["modifier"]}
#: what a new hire starts with, where it is not drawn or set by the hire
_ON_HIRE = {f.name: m["on_hire"] for f, m in _PER_PERSON if m["on_hire"] is not _KEEP}

#: every per-person array, bundled for the kernels (numba compiles field access by name)
PersonArrays = NamedTuple("PersonArrays", [(name, np.ndarray) for name in PERSON_ARRAYS])


#: a new hire's role by position (:func:`role_of` of a tenure of 0 weeks)
_NEW_HIRE_ROLE = np.zeros(max(IC, MANAGER_POS, LEADER_POS) + 1, np.int8)
_NEW_HIRE_ROLE[[IC, MANAGER_POS, LEADER_POS]] = [ROLE_EMPLOYEE, ROLE_MANAGER, ROLE_LEADER]


def role_of(position: np.ndarray, tenure_weeks: np.ndarray, veteran_weeks: int) -> np.ndarray:
    """Role from the slot (leader, middle manager) or, for contributors, from tenure."""
    role = np.where(tenure_weeks >= veteran_weeks, ROLE_VETERAN, ROLE_EMPLOYEE)
    role = np.where(position == MANAGER_POS, ROLE_MANAGER, role)
    role = np.where(position == LEADER_POS, ROLE_LEADER, role)
    return role.astype(np.int8)


def draw_people(
    org: Organization, cfg: OrganizationConfig, cond: dict[str, float], rng: np.random.Generator
) -> People:
    """Everyone's attributes at week 0, drawn from the organization's conditions."""
    n = org.n
    people = People.allocate(n, org.n_departments)
    people.hired_week[:] = -np.rint(org.tenure_years * 52).astype(np.int32)
    role = role_of(org.position, -people.hired_week, round(cfg.veteran_years * 52))
    if org.role_override is not None:
        people.role_pinned[:] = org.role_override >= 0
        role = np.where(people.role_pinned, org.role_override, role).astype(np.int8)
    people.role[:] = role
    _draw_attributes(people, np.arange(n), org, cfg, cond, rng)
    return people


def _draw_attributes(people, idx, org, cfg, cond, rng, params=None) -> None:
    """(Re)draw the personal attributes of the people at ``idx`` (fixed draw order).

    The draws are numpy's, in this order: autonomy, mastery, purpose and community drive
    (``rng.normal(motivation, motivation_sd, k)`` each), trust, threshold (normal), the critic
    draw (``rng.random(k)``), informal influence (``rng.lognormal``), managers' attitude
    (normal). numpy draws ``normal(loc, scale)`` as ``loc + scale * z`` and ``lognormal(mean,
    sigma)`` as ``exp(mean + sigma * z)``, z its standard normal: so the draws are taken as
    three calls (the six normals' z, the uniforms, the last two's z), the same numbers of the
    same stream, and scaled in one compiled pass (:func:`_set_attributes`) that also makes the
    attributes of them (veterans' shifts, clipping, influence by role): hiring calls this every
    week for the few people hired, where nine draws and some fifty small numpy operations cost
    more than the week's decisions. Same values as the numpy expressions written in its
    docstring (a test checks it against them). ``params``: :func:`attribute_params` of ``cfg``
    and ``cond`` (computed here if not given; a model computes them once)."""
    k = idx.shape[0]
    z = rng.standard_normal(6 * k)  # autonomy, mastery, purpose, community drive, trust, threshold
    u = rng.random(k)  # critic if below the critics' share
    w = rng.standard_normal(3 * k)  # informal influence (lognormal), managers' attitude, fit
    scale, shifts, formal = attribute_params(cfg, cond) if params is None else params
    _set_attributes(np.ascontiguousarray(idx, np.int64), z, u, w, scale, shifts, formal,
                    org.position, people.role, people.autonomy, people.mastery, people.purpose,
                    people.community_drive, people.trust, people.threshold, people.critic,
                    people.influence, people.attitude, people.fit)


def attribute_params(cfg, cond: dict[str, float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What :func:`_set_attributes` takes besides the draws, for an organization's settings
    ``cfg`` and conditions ``cond``: the draws' locations (each motivator's the organization's
    mean plus its ``motivator_shift``: ``x + 0.0`` is ``x``, so the defaults draw the same
    values bit for bit) and scales (then the veterans'
    attitude and the critics' share), the veterans' shifts, and formal influence by role code
    (leaders', middle managers' and veterans' from the settings, 1.0 for everyone else)."""
    mot, sd, sigma = cond["motivation"], cfg.motivation_sd, cfg.influence_sigma
    m = cfg.motivator_shift  # each motivator's mean: the organization's plus its own shift
    scale = np.array([mot + m.autonomy, sd, mot + m.mastery, sd, mot + m.purpose, sd,
                      mot + m.community, sd, cond["trust"], cfg.trust_sd,
                      cfg.threshold_mean, cfg.threshold_sd, -0.5 * sigma * sigma, sigma,
                      cond["manager_attitude"], cfg.manager_attitude_sd,
                      cond["veteran_attitude"], cond["critics"],
                      -0.5 * cfg.fit_sigma * cfg.fit_sigma, cfg.fit_sigma], np.float64)
    v = cfg.veteran_shift
    shifts = np.array([v.autonomy, v.purpose, v.community, v.trust, v.threshold], np.float64)
    formal = np.ones(len(ROLES))
    formal[ROLE_LEADER] = cfg.influence_leader
    formal[ROLE_MANAGER] = cfg.influence_manager
    formal[ROLE_VETERAN] = cfg.influence_veteran
    return scale, shifts, formal


@njit_inline
def _clip(x, lo, hi):
    """``np.clip`` of one double, as numpy computes it (NaN kept, then max, then min)."""
    if np.isnan(x):
        return x
    y = x if x > lo else lo
    return y if y < hi else hi


@njit
def _set_attributes(idx, z, u, w, scale, shifts, formal, position, role, autonomy, mastery,
                    purpose, community_drive, trust, threshold, critic, influence, attitude, fit):
    """Person ``idx[j]``'s attributes from the j-th of each draw (k people: ``z`` holds six
    blocks of k standard normals, ``u`` k uniforms, ``w`` two blocks of k standard normals;
    ``scale`` the draws' locations and scales, then the veterans' attitude and the critics'
    share). With ``shift`` the veterans' attitude (0.0 for the others), as numpy would compute
    it over the arrays::

        autonomy = clip(rng.normal(motivation + motivator_shift.autonomy, sd)
                        + shift_autonomy * shift, 0, 1)            # purpose, community alike
        mastery = clip(rng.normal(motivation + motivator_shift.mastery, sd), 0, 1)
        trust = clip(rng.normal(trust, trust_sd) + shift_trust * shift, 0, 1)
        threshold = clip(rng.normal(threshold_mean, threshold_sd) - shift_threshold * shift, 0, 1)
        critic = rng.random() < critics
        influence = maximum(1, rint(formal[role] * rng.lognormal(-sigma**2 / 2, sigma) * 100))
        attitude = clip(rng.normal(manager_attitude, sd), -1, 1) if a manager or leader else 0.0

    (double precision, each stored in its array's dtype; ``rng.normal(loc, scale)`` is ``loc
    + scale * z`` and ``rng.lognormal(mean, sigma)`` is ``exp(mean + sigma * z)`` in numpy,
    computed here the same way)."""
    k = idx.shape[0]
    s_aut, s_pur, s_com, s_tru, s_thr = shifts[0], shifts[1], shifts[2], shifts[3], shifts[4]
    veteran_attitude, critics = scale[16], scale[17]
    for j in range(k):
        i = idx[j]
        r = role[i]
        shift = veteran_attitude if r == ROLE_VETERAN else 0.0
        autonomy[i] = _clip((scale[0] + scale[1] * z[j]) + s_aut * shift, 0.0, 1.0)
        mastery[i] = _clip(scale[2] + scale[3] * z[k + j], 0.0, 1.0)
        purpose[i] = _clip((scale[4] + scale[5] * z[2 * k + j]) + s_pur * shift, 0.0, 1.0)
        community_drive[i] = _clip((scale[6] + scale[7] * z[3 * k + j]) + s_com * shift,
                                   0.0, 1.0)
        trust[i] = _clip((scale[8] + scale[9] * z[4 * k + j]) + s_tru * shift, 0.0, 1.0)
        threshold[i] = _clip((scale[10] + scale[11] * z[5 * k + j]) - s_thr * shift, 0.0, 1.0)
        critic[i] = u[j] < critics
        informal = math.exp(scale[12] + scale[13] * w[j])
        f = np.rint(formal[r] * informal * INFLUENCE_SCALE)
        influence[i] = np.int64(1.0 if f <= 1.0 else f)
        if position[i] != IC:
            attitude[i] = _clip(scale[14] + scale[15] * w[k + j], -1.0, 1.0)
        else:
            attitude[i] = 0.0
        fit[i] = min(3.0, math.exp(scale[18] + scale[19] * w[2 * k + j]))


def hire(
    people: People,
    idx: np.ndarray,
    week: int,
    org: Organization,
    cfg: OrganizationConfig,
    cond: dict[str, float],
    rng: np.random.Generator,
    params: tuple | None = None,
) -> None:
    """New hires replace the leavers at ``idx``: same slot, new person, tenure 0 (``params``:
    :func:`attribute_params` of ``cfg`` and ``cond``, if the caller keeps them)."""
    for name, value in _ON_HIRE.items():
        getattr(people, name)[idx] = value
    people.hired_week[idx] = week
    people.role[idx] = _NEW_HIRE_ROLE[org.position[idx]]  # role_of at tenure 0, by lookup
    _draw_attributes(people, idx, org, cfg, cond, rng, params)


def promote_veterans(
    people: People, org: Organization, veteran_week: int, leavers: np.ndarray
) -> np.ndarray:
    """Individual contributors hired in ``veteran_week`` whose role is not pinned by the org
    chart become veterans (employees only); returns everyone whose person or role changed
    this week: ``leavers`` (the hires) and the promoted, ascending, each once. As numpy::

        due = flatnonzero(hired_week == veteran_week)
        promoted = due[(role[due] == EMPLOYEE) & (position[due] == IC) & ~role_pinned[due]]
        role[promoted] = VETERAN
        moved = union1d(leavers, promoted)   # leavers if none was promoted

    the due found by numpy (one SIMD comparison over everyone: a compiled scalar scan of a
    million hire weeks took three times as long), the rest in one compiled pass (almost every
    week someone is due: eight numpy calls a week cost more than the week's decisions at 1,000
    employees)."""
    due = np.flatnonzero(people.hired_week == veteran_week)
    return _promote(due, people.role, org.position, people.role_pinned,
                    np.ascontiguousarray(leavers, np.int64))


@njit
def _promote(due, role, position, role_pinned, leavers):
    promoted = np.empty(due.shape[0], np.int64)
    m = 0
    for i in due:
        if role[i] == ROLE_EMPLOYEE and position[i] == IC and not role_pinned[i]:
            role[i] = ROLE_VETERAN
            promoted[m] = i
            m += 1
    if m == 0:
        return leavers
    # merge two ascending lists, each once (a leaver is promoted too only if veteran_years
    # rounds to 0 weeks)
    out = np.empty(leavers.shape[0] + m, np.int64)
    a = b = c = 0
    while a < leavers.shape[0] or b < m:
        if b == m or (a < leavers.shape[0] and leavers[a] < promoted[b]):
            v = leavers[a]
            a += 1
        elif a == leavers.shape[0] or promoted[b] < leavers[a]:
            v = promoted[b]
            b += 1
        else:  # the same person in both
            v = leavers[a]
            a += 1
            b += 1
        out[c] = v
        c += 1
    return out[:c].copy()
