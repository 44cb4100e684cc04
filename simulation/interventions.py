"""Interventions at run time: they change attributes, ties, environment or schedules, never
outcomes.

Permanent changes (a course raises mastery, a mandate costs autonomy and trust, a tribe is
chosen) happen once, when an intervention starts. Modifiers that last only while an intervention
is active (platform access, broadcast reach, extrinsic push, helper support, a manager's support
boost, mandate compliance and fatigue) are recomputed from all active interventions at every
change point of the schedule, so that ending one is exact.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import plan as P
from .errors import PlanError
from .states import ROLE_EMPLOYEE, ROLE_LEADER, ROLE_MANAGER, ROLE_VETERAN

__all__ = ["Environment", "Schedule"]

_ROLE_CODE = {
    "employee": ROLE_EMPLOYEE,
    "middle_manager": ROLE_MANAGER,
    "veteran": ROLE_VETERAN,
    "leader": ROLE_LEADER,
}


@dataclass
class Environment:
    """Organization-wide quantities interventions may change."""

    tool_fit: float
    relevance: float
    legacy_fit: float
    visibility: float  # how visible leaders' use is
    outcomes: float = 0.0  # strength of published outcomes


def _clip01(a: np.ndarray) -> np.ndarray:
    return np.clip(a, 0.0, 1.0, out=a)


def top_k(keys: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` largest ``keys``, ties going to the lower position: the same set
    as ``np.argsort(-keys, kind="stable")[:k]``, in O(n) instead of a sort (in no particular
    order)."""
    n = keys.shape[0]
    if k >= n:
        return np.arange(n)
    if k <= 0:
        return np.empty(0, np.int64)
    kth = keys[np.argpartition(keys, n - k)[n - k]]  # the k-th largest value
    above = np.flatnonzero(keys > kth)
    tied = np.flatnonzero(keys == kth)[: k - above.size]
    return np.concatenate([above, tied])


class _Active:
    """One intervention of the plan, with the people it reached."""

    def __init__(self, spec, index: int, horizon: int):
        self.spec = spec
        self.index = index
        self.first = spec.start
        self.last = spec.last_week(horizon)
        self.people = np.empty(0, np.int64)  # who it reached (chosen at start)
        self.groups = np.empty(0, np.int64)  # communities it created
        self.approached: int | None = None  # people worked on, if more than it reached
        self.coached: tuple[np.ndarray, float] | None = None  # a center's current coaching

    @property
    def name(self) -> str:
        return f"plan[{self.index}] ({self.spec.type})"

    def active(self, week: int) -> bool:
        return self.first <= week <= self.last

    def change_points(self) -> set[int]:
        pts = {self.first, self.last + 1}
        s = self.spec
        if isinstance(s, P.LaunchPlatform):
            pts.add(self.first + s.announcement_weeks)
        if isinstance(s, P.Gamification):
            pts.add(self.last + 1 + s.withdrawal_weeks)
        if isinstance(s, P.PublishOutcomes):
            pts.add(self.first + s.interval)
        return pts


class Schedule:
    """Applies a plan to a model week by week."""

    def __init__(self, plan, model):
        self.model = model
        horizon = model.config.weeks
        self.items = [_Active(spec, i, horizon) for i, spec in enumerate(plan)]
        for item in self.items:
            self._check(item)
        self.points = set().union(*(it.change_points() for it in self.items)) if plan else set()
        self.started: set[int] = set()
        self.first_start = min((it.first for it in self.items), default=None)

    # -- validation --------------------------------------------------------------------
    def _check(self, item: _Active) -> None:
        s, org = item.spec, self.model.org
        known = set(org.department_names)
        for d in s.target.departments or ():
            if d not in known:
                raise PlanError(
                    f"{item.name}: target department {d!r} does not exist; "
                    f"departments are: {', '.join(org.department_names)}"
                )
        eligible = int(self._eligible(s.target).sum())
        if s.target.count is not None and s.target.count > eligible:
            raise PlanError(
                f"{item.name}: target.count = {s.target.count} exceeds the "
                f"{eligible} eligible people"
            )
        if eligible == 0:
            raise PlanError(f"{item.name}: the target reaches nobody")

    def _eligible(self, target: P.Target) -> np.ndarray:
        people, org = self.model.people, self.model.org
        mask = np.ones(people.n, bool)
        if target.roles is not None:
            mask &= np.isin(people.role, [_ROLE_CODE[r] for r in target.roles])
        if target.departments is not None:
            codes = [org.department_names.index(d) for d in target.departments]
            mask &= np.isin(org.department, codes)
        return mask

    def _within(self, target: P.Target, size: int) -> P.Target:
        """``size`` people from the target's roles and departments (all of them if fewer)."""
        eligible = int(self._eligible(target).sum())
        return P.Target(roles=target.roles, departments=target.departments,
                        count=min(size, eligible))

    def _choose(self, target: P.Target, weight: np.ndarray | None = None) -> np.ndarray:
        """Indices reached: all eligible, or a share/count of them (weighted: volunteers)."""
        idx = np.flatnonzero(self._eligible(target))
        k = idx.size
        if target.count is not None:
            k = min(k, target.count)
        elif target.share is not None:
            k = int(round(target.share * idx.size))
        if k >= idx.size:
            return idx
        u = self.model.rng.random(idx.size)
        # Efraimidis-Spirakis keys: weighted sampling without replacement
        keys = u if weight is None else u ** (1.0 / np.maximum(weight[idx], 1e-9))
        return np.sort(idx[top_k(keys, k)])

    # -- weekly application ----------------------------------------------------------------
    def apply(self, week: int) -> None:
        """Start and stop interventions due this week; recompute modifiers if anything changed.
        Between change points, a center of excellence follows the communities as they grow."""
        if week not in self.points:
            self._follow_communities(week)
            return
        for item in self.items:
            if item.first == week and item.index not in self.started:
                self.started.add(item.index)
                self._start(item)
            if item.last + 1 == week:
                self._stop(item)
        self._recompute(week)

    def on_hire(self, idx: np.ndarray, week: int) -> None:
        for item in self.items:
            if item.active(week) and isinstance(item.spec, P.VeteranReinforcement):
                people = self.model.people
                people.mastery[idx] = _clip01(people.mastery[idx] + item.spec.onboarding_mastery)
                people.trust[idx] = _clip01(people.trust[idx] + item.spec.commitment)
                people.purpose[idx] = _clip01(people.purpose[idx] + item.spec.commitment)

    def initiative_started(self, week: int) -> bool:
        return self.first_start is not None and week >= self.first_start

    # -- starting and stopping ----------------------------------------------------------------
    def _start(self, item: _Active) -> None:
        s, m = item.spec, self.model
        people = m.people
        volunteer = people.purpose + people.community_drive
        if isinstance(s, (P.Communities, P.ChampionTribe)):
            before = people.n_communities
            start = self._start_communities if isinstance(s, P.Communities) else self._start_tribe
            item.people = start(s, volunteer)
            item.groups = np.arange(before, people.n_communities)
            return
        if isinstance(s, P.CenterOfExcellence):
            item.people = self._choose(self._within(s.target, s.experts), people.mastery)
            people.community_goal[:] = np.minimum(1.0, people.community_goal + s.goal_fit_gain)
            return
        if isinstance(s, P.Council):
            item.people = self._choose(self._within(s.target, s.members), volunteer)
            people.community_goal[:] = np.minimum(1.0, people.community_goal + s.goal_fit_gain)
            return
        if isinstance(s, P.WinOverCritics):
            critics = self._eligible(s.target) & people.critic
            idx = np.flatnonzero(critics)
            item.approached = int(idx.size)  # every critic is approached, some convert
            k = int(round(s.conversion * idx.size))
            item.people = np.sort(m.rng.permutation(idx)[:k]) if k else idx[:0]
            people.critic[item.people] = False
            people.trust[item.people] = _clip01(people.trust[item.people] + s.trust_gain)
            m.env.relevance = min(1.0, m.env.relevance + s.plan_gain)
            people.community_goal[:] = np.minimum(1.0, people.community_goal + s.plan_gain)
            return
        idx = item.people = self._choose(s.target)
        if isinstance(s, P.ExecutiveSponsorship) and s.informal_leaders > 0:
            k = int(round(s.informal_leaders * people.n))
            top = top_k(people.influence, k)
            idx = item.people = np.union1d(idx, top)
        if isinstance(s, P.Mandate):
            people.autonomy[idx] = _clip01(people.autonomy[idx] - s.autonomy_cost)
            people.trust[idx] = _clip01(people.trust[idx] - s.trust_cost)
        elif isinstance(s, P.Education):
            people.mastery[idx] = _clip01(people.mastery[idx] + s.mastery_gain)
            people.trust[idx] = _clip01(people.trust[idx] + s.trust_gain)
        elif isinstance(s, (P.ExecutiveSponsorship, P.VeteranReinforcement)):
            people.purpose[idx] = _clip01(people.purpose[idx] + s.commitment)
            people.trust[idx] = _clip01(people.trust[idx] + s.commitment)
            people.threshold[idx] *= 1.0 - s.commitment
        elif isinstance(s, P.ManagerEngagement):
            people.trust[idx] = _clip01(people.trust[idx] + s.trust_gain)

    def _start_communities(self, s: P.Communities, volunteer: np.ndarray) -> np.ndarray:
        """One community of practice per targeted department, of volunteers."""
        m = self.model
        people, org = m.people, m.org
        eligible = self._eligible(s.target) & (people.community < 0)
        chosen = []
        for d in np.unique(org.department[eligible]):
            pool = np.flatnonzero(eligible & (org.department == d))
            k = int(round(s.members * pool.size))
            if s.target.count is not None:
                k = min(pool.size, s.target.count)
            if k < 2:
                continue
            u = m.rng.random(pool.size)
            keys = u ** (1.0 / np.maximum(volunteer[pool], 1e-9))
            members = np.sort(pool[top_k(keys, k)])
            self._new_community(members, s.goal_fit, s.manager_strength if s.managers else 0.0)
            people.dept_community[d] = people.n_communities - 1
            chosen.append(members)
        idx = np.concatenate(chosen) if chosen else np.empty(0, np.int64)
        people.purpose[idx] = _clip01(people.purpose[idx] + s.purpose_gain)
        people.community_drive[idx] = _clip01(people.community_drive[idx] + s.community_gain)
        return idx

    def _start_tribe(self, s: P.ChampionTribe, volunteer: np.ndarray) -> np.ndarray:
        m = self.model
        people = m.people
        idx = self._choose(s.target, volunteer + people.influence / people.influence.mean())
        people.champion[idx] = True
        people.influence[idx] = np.rint(people.influence[idx] * s.influence_gain)
        for arr in (people.purpose, people.community_drive, people.trust):
            arr[idx] = _clip01(arr[idx] + s.motivation_gain)
        people.threshold[idx] *= 0.5
        loose = idx[people.community[idx] < 0]
        if loose.size:
            self._new_community(loose, s.goal_fit, 0.0)
        return idx

    def _new_community(self, members: np.ndarray, goal: float, helper: float) -> None:
        people = self.model.people
        people.community[members] = people.n_communities
        people.community_goal = np.append(people.community_goal, goal)
        people.community_helper = np.append(people.community_helper, helper)

    def _stop(self, item: _Active) -> None:
        s, m = item.spec, self.model
        people = m.people
        if isinstance(s, P.Communities):  # the communities dissolve
            people.community[np.isin(people.community, item.groups)] = -1
            people.dept_community[np.isin(people.dept_community, item.groups)] = -1
        elif isinstance(s, P.PilotTools):  # keep the best of the tools piloted
            fits = [m.draw_tool_fit() for _ in range(s.tools)]
            m.env.tool_fit = max(m.env.tool_fit, *fits)

    # -- modifiers ---------------------------------------------------------------------------
    def _recompute(self, week: int) -> None:
        m = self.model
        people = m.people
        for arr in (
            people.reach,
            people.push,
            people.helper,
            people.support_boost,
            people.compliance,
            people.fatigue,
        ):
            arr[:] = 0.0
        people.access[:] = False
        m.env.visibility = m.config.dynamics.leader_visibility
        m.env.outcomes = 0.0
        for item in self.items:
            if item.index in self.started:
                self._contribute(item, week)

    def _contribute(self, item: _Active, week: int) -> None:
        s, m = item.spec, self.model
        people, idx = m.people, item.people
        on = item.active(week)
        if isinstance(s, P.Gamification) and item.last < week <= item.last + s.withdrawal_weeks:
            people.fatigue[idx] += s.withdrawal
        if not on:
            return
        if s.informs:
            people.reach[idx] += 1.0
        if isinstance(s, (P.LaunchPlatform, P.PilotTools)):
            people.access[idx] = True
            if isinstance(s, P.LaunchPlatform):
                announcing = week < item.first + s.announcement_weeks
                people.reach[idx] += s.announcement_reach if announcing else s.ambient_reach
        elif isinstance(s, P.MarketingCampaign):
            people.reach[idx] += s.reach
            people.push[idx] += s.hype
        elif isinstance(s, P.Mandate):
            people.reach[idx] += s.reach
            people.compliance[idx] = np.maximum(people.compliance[idx], s.compliance)
            people.fatigue[idx] += s.fatigue
        elif isinstance(s, P.Education):
            people.reach[idx] += s.reach
        elif isinstance(s, P.Gamification):
            people.push[idx] += s.push
        elif isinstance(s, P.ManagerEngagement):
            people.support_boost[idx] += s.support
        elif isinstance(s, P.ExecutiveSponsorship):
            m.env.visibility = max(m.env.visibility, s.visibility)
        elif isinstance(s, P.PublishOutcomes) and week >= item.first + s.interval:
            m.env.outcomes = max(m.env.outcomes, s.strength)
        elif isinstance(s, P.CenterOfExcellence):
            self._coach(item)
        elif isinstance(s, P.ChampionTribe):
            self._team_help(idx[people.champion[idx]], s.team_help)

    def _coach(self, item: _Active) -> None:
        """The center's experts coach community members and champions, spread over them all
        (full strength while they number at most experts x capacity)."""
        s, people = item.spec, self.model.people
        supported = np.flatnonzero((people.community >= 0) | people.champion)
        amount = 0.0
        if supported.size:
            amount = s.strength * min(1.0, s.experts * s.capacity / supported.size)
        people.helper[supported] += amount
        item.coached = (supported, amount)

    def _follow_communities(self, week: int) -> None:
        """Re-spread each active center's coaching when community membership has changed."""
        people = self.model.people
        for item in self.items:
            if not (isinstance(item.spec, P.CenterOfExcellence) and item.active(week)
                    and item.index in self.started and item.coached is not None):
                continue
            old, amount = item.coached
            now = np.flatnonzero((people.community >= 0) | people.champion)
            if np.array_equal(now, old):
                continue
            people.helper[old] -= amount
            self._coach(item)

    def _team_help(self, champions: np.ndarray, amount: float) -> None:
        """A champion helps their own team (same manager) and their direct reports."""
        m = self.model
        teams = np.zeros(m.people.n + 1, bool)
        teams[m.org.manager[champions] + 1] = True  # +1: the top leader's manager is -1
        helped = teams[m.org.manager + 1]
        helped[champions] = False
        leads = np.zeros(m.people.n, bool)
        leads[champions] = True
        helped |= leads[np.maximum(m.org.manager, 0)] & (m.org.manager >= 0)
        m.people.helper[helped] += amount

    # -- costs -------------------------------------------------------------------------------
    def costs(self, weeks: int, hourly: float) -> list[dict]:
        """Money, hours and total cost per intervention over ``weeks`` weeks run: weeks
        0 .. weeks - 1 act (week t acts on the move to t + 1)."""
        out = []
        for item in self.items:
            s = item.spec
            started = item.index in self.started
            n = int(item.people.size) if started else 0
            if started and item.approached is not None:
                n = item.approached
            active = max(0, min(item.last, weeks - 1) - item.first + 1) if started else 0
            money = (s.money_fixed + s.money_per_person * n) if started else 0.0
            hours = s.hours_per_person * n + s.hours_per_person_week * n * active
            if isinstance(s, P.Communities) and s.managers:
                hours += s.manager_hours_week * item.groups.size * active
            if isinstance(s, P.PublishOutcomes):
                hours += s.analyst_hours_week * active
            out.append(
                {
                    "intervention": item.name,
                    "type": s.type,
                    "label": s.label,
                    "people": n,
                    "weeks": active,
                    "money": money,
                    "hours": hours,
                    "cost": money + hours * hourly,
                }
            )
        return out
