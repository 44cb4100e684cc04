"""Salient events of a run, detected week by week: what a trainer narrates to a class.

An :class:`EventDetector` watches one model: after every week it compares the people's states
with the week before and returns :class:`Event` records (week, kind, who, where, numbers, the
people involved). The records are facts only; words are given to them above this layer
(``experiments.narrate``). Detection reads the state arrays both engines share, so it gives the
same events whatever the engine, and it never changes the model.

Kinds (:data:`EVENT_KINDS`), with the thresholds of :class:`EventRules`:

- ``intervention_started`` / ``intervention_ended``: an intervention of the plan acts for the
  first time / acted for the last time (who: its type; numbers: people reached, weeks).
- ``milestone``: a share of the organization first reaches a level (who: ``aware``: heard of
  it; ``tried``: ever tried it; ``active``: adopted or engaged; ``engaged``).
- ``most_gave_up``: more than half of those who ever tried it have given up.
- ``department_passed``: a department's active share first reaches a level.
- ``community_passed``: a community of practice's members first reach a level active.
- ``role_passed`` / ``role_fell``: a role's active share first reaches half its people / falls
  back below a third after having passed half (middle managers, leaders, veterans...).
- ``lapse_cluster``: several people of one role in one department gave up in the same week.
- ``newcomers_followed``: newcomers (under a year in the organization) who were trying gave up
  in a week when people they work with had given up in the weeks before.
- ``critics_turned``: a share of the critics use the platform for their work.
- ``momentum_lost``: the active share fell well below its peak (people sense lost momentum).
- ``stalled``: the active share barely grew over several weeks since the first intervention,
  short of a majority.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .states import ADOPTED, ENGAGED, LAPSED, ROLE_VETERAN, ROLES, TRYING, UNAWARE

__all__ = ["ACTING_KINDS", "EVENT_KINDS", "Event", "EventDetector", "EventRules", "detect_events"]

#: every kind of event, with what it means (lesson files name kinds from this table)
EVENT_KINDS: dict[str, str] = {
    "intervention_started": "an intervention of the plan starts acting",
    "intervention_ended": "an intervention of the plan stops acting",
    "milestone": "the aware, tried, active or engaged share first reaches a level",
    "most_gave_up": "more than half of those who tried it have given up",
    "department_passed": "a department's active share first reaches a level",
    "community_passed": "a community of practice's members first reach a level active",
    "role_passed": "a role's active share first reaches half its people",
    "role_fell": "a role's active share falls back below a third after passing half",
    "lapse_cluster": "several people of one role in one department give up in the same week",
    "newcomers_followed": "newcomers give up after people they work with gave up",
    "critics_turned": "a share of the critics use the platform for their work",
    "momentum_lost": "the active share falls well below its peak",
    "stalled": "the active share barely grows over several weeks",
}

#: kinds dated by the week an intervention acts in (it acts on the move from week t to t + 1);
#: every other kind is dated by the week its change is seen (t + 1, after the move)
ACTING_KINDS = frozenset({"intervention_started", "intervention_ended"})


@dataclass(frozen=True)
class Event:
    """One salient event: a fact a page words and a test asserts on.

    ``who``: a role, ``newcomers``, ``critics``, ``active``/``engaged``, ``organization``, a
    department's or community's members (``department``, ``community``) or an intervention
    type; ``where``: a department name (or several, joined by ", ") or None for the whole
    organization; ``numbers``: the counts and shares the event is about; ``people``: the
    indices of the people involved (to point at them on the network)."""

    week: int
    kind: str
    who: str
    where: str | None = None
    numbers: Mapping[str, float | int] = field(default_factory=dict)
    people: tuple[int, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"numbers": dict(self.numbers), "people": list(self.people)}

    def within(self, first: int, last: int) -> bool:
        """Whether the event belongs to the stretch of a run that begins in week ``first``
        (its interventions start from there) and ends at week ``last`` (the state shown):
        consecutive stretches share their boundary week, and each event belongs to one."""
        if self.kind in ACTING_KINDS:
            return first <= self.week < last
        return first < self.week <= last


@dataclass(frozen=True)
class EventRules:
    """Thresholds of the detection (why: a class should hear of a few events a month, each
    large enough to see on the network)."""

    aware_levels: tuple[float, ...] = (0.50, 0.90)  # heard of it
    tried_levels: tuple[float, ...] = (0.01, 0.10, 0.25)  # ever tried it
    levels: tuple[float, ...] = (0.10, 0.25, 0.50)  # active (adopted + engaged)
    engaged_levels: tuple[float, ...] = (0.05, 0.15)
    min_tried: int = 10  # most_gave_up: once at least this many have tried
    group_levels: tuple[float, ...] = (0.50,)  # departments and communities
    min_group: int = 8  # smaller departments and communities are not narrated
    min_cluster: int = 4  # people of one role in one department giving up in one week ...
    min_cluster_share: float = 0.15  # ... and at least this share of them
    quiet_weeks: int = 8  # a repeated kind (lapses of a role, newcomers) told again after this
    newcomer_weeks: int = 52  # under a year in the organization
    follow_weeks: int = 4  # newcomers give up within this many weeks of their contacts
    min_followers: int = 2
    critics_share: float = 0.25
    fall_points: float = 0.05  # momentum lost: this far below the peak
    stall_weeks: int = 8
    stall_growth: float = 0.01  # stalled: grew less than this over stall_weeks ...
    stall_ceiling: float = 0.50  # ... short of this share


def _active(state: np.ndarray) -> np.ndarray:
    return (state == ADOPTED) | (state == ENGAGED)


def _share(mask: np.ndarray, group: np.ndarray, size: np.ndarray) -> np.ndarray:
    """Share of each group's people in ``mask`` (groups are 0..len(size) - 1)."""
    counts = np.bincount(group[mask], minlength=size.size)
    return counts / np.maximum(size, 1)


class EventDetector:
    """Watches one model week by week (call :meth:`observe` after every ``model.step()``)."""

    def __init__(self, model, rules: EventRules | None = None):
        self.rules = rules or EventRules()
        n = model.people.n
        self.prev = model.people.state.copy()
        self.tried = self.prev >= TRYING  # ever tried (trying, adopted, engaged, lapsed)
        self.gave_up_week = np.full(n, -(10**6), np.int64)  # last week each person lapsed
        self.passed: set[tuple] = set()  # (kind, who, where, level) already announced
        self.last_told: dict[tuple, int] = {}  # repeated kinds: week last narrated
        self.history = [float(_active(self.prev).mean())]
        self.peak = self.history[0]
        self.stalled = False
        self.fell = False
        self.started: set[int] = set()
        self.ended: set[int] = set()

    # -- the week ----------------------------------------------------------------------------
    def observe(self, model) -> list[Event]:
        """The events of the week just run (``model.week``), in a fixed order."""
        week = model.week
        people = model.people
        state = people.state
        moved = people.hired_week != week  # new hires took a leaver's slot: not a change
        before = self.prev
        gave_up = moved & (state == LAPSED) & (before != LAPSED)
        self.tried &= moved
        self.tried |= state >= TRYING
        events = self._interventions(model, week)
        events += self._milestones(state, week)
        events += self._groups(model, state, week)
        events += self._roles(people, state, week)
        events += self._lapses(model, gave_up, before, week)
        events += self._critics(people, state, week)
        events += self._momentum(state, week, model.rollout.first_start)
        self.gave_up_week[gave_up] = week
        self.gave_up_week[~moved] = -(10**6)
        self.prev = state.copy()
        return events

    def run(self, model) -> list[Event]:
        """Run the model to its horizon; every event on the way."""
        events = []
        while model.week < model.config.weeks:
            model.step()
            events += self.observe(model)
        return events

    # -- detectors ---------------------------------------------------------------------------
    def _once(self, key: tuple) -> bool:
        if key in self.passed:
            return False
        self.passed.add(key)
        return True

    def _interventions(self, model, week: int) -> list[Event]:
        out = []
        org = model.org
        for item in model.rollout.items:
            spec = item.spec
            reached = np.asarray(item.people)
            if item.index not in self.started and item.index in model.rollout.started:
                self.started.add(item.index)
                depts = np.unique(org.department[reached]) if reached.size else []
                where = None
                if 0 < len(depts) < org.n_departments:
                    where = ", ".join(org.department_names[d] for d in depts)
                numbers = {"people": int(reached.size)}
                out.append(Event(item.first, "intervention_started", spec.type, where, numbers))
            if item.index in self.started and item.index not in self.ended and week > item.last:
                self.ended.add(item.index)
                numbers = {"weeks": int(item.last - item.first + 1), "people": int(reached.size)}
                out.append(Event(item.last, "intervention_ended", spec.type, None, numbers))
        return out

    def _milestones(self, state: np.ndarray, week: int) -> list[Event]:
        out = []
        n = state.size
        rules = self.rules
        for who, mask, levels in (
            ("aware", state != UNAWARE, rules.aware_levels),
            ("tried", self.tried, rules.tried_levels),
            ("active", _active(state), rules.levels),
            ("engaged", state == ENGAGED, rules.engaged_levels),
        ):
            count = int(mask.sum())
            # levels passed in the same week are one event, at the highest of them
            passed = [lv for lv in levels
                      if count / n >= lv and self._once(("milestone", who, None, lv))]
            if passed:
                numbers = {"level": max(passed), "count": count, "share": count / n}
                out.append(Event(week, "milestone", who, None, numbers))
        tried, lapsed = int(self.tried.sum()), int((state == LAPSED).sum())
        if tried >= rules.min_tried and lapsed * 2 > tried and self._once(("most_gave_up",)):
            numbers = {"tried": tried, "gave_up": lapsed, "active": int(_active(state).sum())}
            out.append(Event(week, "most_gave_up", "organization", None, numbers))
        return out

    def _groups(self, model, state: np.ndarray, week: int) -> list[Event]:
        org, people = model.org, model.people
        active = _active(state)
        out = []
        size = np.bincount(org.department, minlength=org.n_departments)
        share = _share(active, org.department, size)
        for d in np.flatnonzero(size >= self.rules.min_group):
            name = org.department_names[d]
            for level in self.rules.group_levels:
                if share[d] >= level and self._once(("department_passed", name, level)):
                    count = int(round(share[d] * size[d]))
                    numbers = {"level": level, "count": count, "size": int(size[d])}
                    out.append(Event(week, "department_passed", "department", name, numbers))
        member = people.community >= 0
        if not member.any():
            return out
        csize = np.bincount(people.community[member], minlength=people.n_communities)
        cshare = _share(active & member, np.where(member, people.community, 0), csize)
        for c in np.flatnonzero(csize >= self.rules.min_group):
            where = self._community_home(org, people.community == c)
            for level in self.rules.group_levels:
                if cshare[c] >= level and self._once(("community_passed", int(c), level)):
                    count = int(round(cshare[c] * csize[c]))
                    numbers = {"level": level, "count": count, "size": int(csize[c])}
                    out.append(Event(week, "community_passed", "community", where, numbers))
        return out

    @staticmethod
    def _community_home(org, members: np.ndarray) -> str:
        """The department most of a community's members are in."""
        depts = np.bincount(org.department[members], minlength=org.n_departments)
        return org.department_names[int(depts.argmax())]

    def _roles(self, people, state: np.ndarray, week: int) -> list[Event]:
        out = []
        active = _active(state)
        size = np.bincount(people.role, minlength=len(ROLES))
        share = _share(active, people.role.astype(np.int64), size)
        for r, name in enumerate(ROLES):
            if size[r] < 2:
                continue
            numbers = {"count": int(round(share[r] * size[r])), "size": int(size[r])}
            if share[r] >= 0.5 and self._once(("role_passed", name)):
                out.append(Event(week, "role_passed", name, None, numbers | {"level": 0.5}))
            fell = ("role_passed", name) in self.passed and share[r] < 1 / 3
            if fell and self._once(("role_fell", name)):
                out.append(Event(week, "role_fell", name, None, numbers | {"level": 1 / 3}))
        return out

    def _quiet(self, key: tuple, week: int) -> bool:
        """Not narrated in the last ``quiet_weeks`` (then noted as narrated now)."""
        if week - self.last_told.get(key, -(10**6)) < self.rules.quiet_weeks:
            return False
        self.last_told[key] = week
        return True

    def _lapses(self, model, gave_up, before, week: int) -> list[Event]:
        """Per role, the department where most of its people gave up this week, if enough
        did there (the others are counted as elsewhere)."""
        org, people = model.org, model.people
        rules = self.rules
        out = []
        idx = np.flatnonzero(gave_up)
        for r, role in enumerate(ROLES):
            mine = idx[people.role[idx] == r]
            if mine.size < rules.min_cluster:
                continue
            count = np.bincount(org.department[mine], minlength=org.n_departments)
            size = np.bincount(org.department[people.role == r], minlength=org.n_departments)
            big = count >= np.maximum(rules.min_cluster, rules.min_cluster_share * size)
            if not big.any() or not self._quiet(("lapse_cluster", role), week):
                continue
            d = int(np.argmax(np.where(big, count, -1)))
            group = mine[org.department[mine] == d]
            numbers = {
                "gave_up": int(group.size),
                "were_active": int(_active(before[group]).sum()),
                "size": int(size[d]),
                "elsewhere": int(mine.size - group.size),
            }
            where = org.department_names[d]
            out.append(Event(week, "lapse_cluster", role, where, numbers, tuple(group.tolist())))
        out += self._followers(model, idx, before, week)
        return out

    def _followers(self, model, idx, before, week: int) -> list[Event]:
        """Newcomers who stopped trying this week next to people who had given up in the
        weeks just before: the department where most did."""
        org, people = model.org, model.people
        rules = self.rules
        newcomer = week - people.hired_week[idx] < rules.newcomer_weeks
        stopped = idx[newcomer & (before[idx] == TRYING)]
        if stopped.size < rules.min_followers:
            return []
        recent = self.gave_up_week >= week - rules.follow_weeks  # before this week
        followers, near = [], {}
        for i in stopped:
            contacts = org.indices[org.indptr[i] : org.indptr[i + 1]]
            gone = contacts[recent[contacts]]
            if gone.size:
                followers.append(int(i))
                near[int(i)] = gone
        if len(followers) < rules.min_followers:
            return []
        dept = org.department[followers]
        d = int(np.bincount(dept).argmax())
        group = [f for f, fd in zip(followers, dept, strict=True) if fd == d]
        if len(group) < rules.min_followers or not self._quiet(("newcomers_followed",), week):
            return []
        gone = np.unique(np.concatenate([near[f] for f in group]))
        numbers = {
            "stopped": len(group),
            "contacts_gave_up": int(gone.size),
            "veterans": int((people.role[gone] == ROLE_VETERAN).sum()),
            "elsewhere": len(followers) - len(group),
        }
        where = org.department_names[d]
        return [Event(week, "newcomers_followed", "newcomers", where, numbers, tuple(group))]

    def _critics(self, people, state: np.ndarray, week: int) -> list[Event]:
        critics = people.critic
        n = int(critics.sum())
        if n < 2:
            return []
        won = int((_active(state) & critics).sum())
        if won / n >= self.rules.critics_share and self._once(("critics_turned",)):
            numbers = {"count": won, "size": n, "level": self.rules.critics_share}
            return [Event(week, "critics_turned", "critics", None, numbers)]
        return []

    def _momentum(self, state: np.ndarray, week: int, first: int | None) -> list[Event]:
        rules = self.rules
        share = float(_active(state).mean())
        self.history.append(share)
        self.peak = max(self.peak, share)
        out = []
        if self.peak - share >= rules.fall_points and not self.fell:
            self.fell = True
            numbers = {"peak": self.peak, "share": share}
            out.append(Event(week, "momentum_lost", "organization", None, numbers))
        elif share >= self.peak:
            self.fell = False  # re-armed once it recovers to a new peak
        if first is not None and week - first > rules.stall_weeks:
            growth = share - self.history[-1 - rules.stall_weeks]
            flat = abs(growth) < rules.stall_growth
            if flat and share < rules.stall_ceiling and not self.stalled:
                self.stalled = True
                numbers = {"weeks": rules.stall_weeks, "share": share, "growth": growth}
                out.append(Event(week, "stalled", "organization", None, numbers))
            elif growth >= 3 * rules.stall_growth:
                self.stalled = False
        return out


def detect_events(model, rules: EventRules | None = None) -> list[Event]:
    """Run ``model`` (from where it is) to its horizon and return every event on the way."""
    return EventDetector(model, rules).run(model)
