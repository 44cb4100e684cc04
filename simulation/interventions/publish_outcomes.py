"""Publish measured outcomes: fewer and shorter meetings, knowledge reused (claim 8)."""

from __future__ import annotations

from typing import ClassVar, Literal

from ..params import param
from .base import Deployment, InterventionSpec
from .registry import register

__all__ = ["PublishOutcomes"]


@register
class PublishOutcomes(InterventionSpec):
    """Measure and publish outcomes every interval, as strong as the value measured (claim 8).

    A report is the hours saved per person-week over the interval (``simulation.value``)
    against ``convincing_hours``, times how visible and credible the reports are
    (``strength``): a plan that creates little value has little to publish."""

    informs: ClassVar[bool] = False
    type: Literal["publish_outcomes"]
    strength: float = param(1.0, 0.0, 1.0, "[0,1]", "How visible and credible the figures are.")
    interval: int = param(4, 1, 52, "weeks", "Monthly reports.")
    convincing_hours: float = param(
        0.5,
        0.01,
        40.0,
        "hours saved per person-week",
        "Assumption: a figure makes the case in full at half an hour saved per person and week "
        "(1.25% of a 40-hour week, 1,560 a year at 60 an hour: several times a platform's "
        "per-seat cost); less value, a weaker case in proportion.",
    )
    hours_per_person: float = param(0.0, 0.0, 1e5, "hours per person", "Nothing asked of staff.")
    analyst_hours_week: float = param(
        4.0, 0.0, 168.0, "hours per week", "An analyst measures and writes it up."
    )

    def due(self, d: Deployment, week: int) -> bool:
        """A report comes out in ``week``: every ``interval`` weeks from one interval after the
        start."""
        since = week - d.first
        return since >= self.interval and since % self.interval == 0

    def published(self, r, week: int) -> float:
        """The strength of a report published in ``week``: ``strength`` x min(1, hours saved per
        person-week over the last ``interval`` weeks / ``convincing_hours``)."""
        measured = r.model.value.per_person_week(week, self.interval)
        return self.strength * min(1.0, measured / self.convincing_hours)

    def contribute(self, r, d: Deployment, week: int) -> None:
        """At a change point of the plan: publish if a report is due, and the latest report
        stands."""
        if self.due(d, week):
            d.notes["published"] = self.published(r, week)
        r.env.outcomes = max(r.env.outcomes, d.notes.get("published", 0.0))

    def between_changes(self, r, d: Deployment, week: int) -> None:
        """Every ``interval`` weeks: a new report replaces the last; the organization sees the
        strongest report of the publishing interventions active now."""
        if not self.due(d, week):
            return
        d.notes["published"] = self.published(r, week)
        r.env.outcomes = max(
            (it.notes.get("published", 0.0) for it in r.items
             if isinstance(it.spec, PublishOutcomes) and it.index in r.started
             and it.active(week)),
            default=0.0,
        )

    def extra_hours(self, d: Deployment, active_weeks: int) -> float:
        return self.analyst_hours_week * active_weeks
