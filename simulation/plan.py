"""The intervention catalogue: validated, composable building blocks of a rollout plan.

Each intervention has a schedule (``start``/``end`` week, inclusive), a ``target`` (roles,
departments, a share or a count of the eligible people) and a cost model (money and person-hours,
defaults documented per type). An intervention only changes agent attributes, ties, environment or
schedules (see :mod:`simulation.interventions`); it never sets an adoption outcome.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, model_validator

from .params import Frozen, param

__all__ = ["ROLE_NAMES", "Intervention", "Target", "INTERVENTION_TYPES"]

ROLE_NAMES = ("employee", "middle_manager", "veteran", "leader")
RoleName = Literal["employee", "middle_manager", "veteran", "leader"]


class Target(Frozen):
    """Who an intervention reaches: eligible = roles x departments; then a share or a count."""

    roles: tuple[RoleName, ...] | None = Field(None, description="Roles reached (all if unset).")
    departments: tuple[str, ...] | None = Field(
        None, description="Department names reached (all if unset)."
    )
    share: float | None = Field(None, gt=0.0, le=1.0, description="Share of the eligible.")
    count: int | None = Field(None, ge=1, description="Number of the eligible.")

    @model_validator(mode="after")
    def _one_size(self) -> Target:
        if self.share is not None and self.count is not None:
            raise ValueError("give either share or count, not both")
        return self


class _Base(Frozen):
    #: duration when ``end`` is unset (None: to the horizon)
    default_weeks: ClassVar[int | None] = None
    #: the people it involves hear of the new way of working while it is active
    informs: ClassVar[bool] = True
    start: int = Field(0, ge=0, le=1040, description="First week the intervention acts.")
    end: int | None = Field(
        None, ge=0, le=1040, description="Last week it acts (inclusive); unset = to the horizon."
    )
    target: Target = Target()
    label: str | None = Field(None, description="Free text shown in reports.")
    money_fixed: float = param(0.0, 0.0, 1e12, "money", "One-off cost.")
    money_per_person: float = param(0.0, 0.0, 1e9, "money per person reached", "One-off cost.")
    hours_per_person: float = param(0.0, 0.0, 1e5, "hours per person reached", "One-off time.")
    hours_per_person_week: float = param(
        0.0, 0.0, 168.0, "hours per person-week", "Recurring time while active."
    )

    @model_validator(mode="after")
    def _ordered(self) -> _Base:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"end (week {self.end}) is before start (week {self.start})")
        return self

    def last_week(self, horizon: int) -> int:
        """Last week the intervention acts (inclusive)."""
        if self.end is not None:
            return self.end
        if self.default_weeks is not None:
            return self.start + self.default_weeks - 1
        return horizon


class LaunchPlatform(_Base):
    """Make the platform available (to the target; all by default) with an announcement."""

    informs: ClassVar[bool] = False
    type: Literal["launch_platform"]
    announcement_weeks: int = param(2, 0, 52, "weeks", "A launch announcement runs briefly.")
    announcement_reach: float = param(
        0.5,
        0.0,
        1.0,
        "probability per week",
        "Half the unaware hear of the launch each announcement week.",
    )
    ambient_reach: float = param(
        0.03,
        0.0,
        1.0,
        "probability per week",
        "After the announcement, the intranet link and news keep reaching a few people a week.",
    )
    money_fixed: float = param(50_000.0, 0.0, 1e12, "money", "Set-up and integration.")
    money_per_person: float = param(
        120.0, 0.0, 1e9, "money per employee", "Licences: about 5 per user-month over two years."
    )


class MarketingCampaign(_Base):
    """Posters, videos, events: awareness and hype, no goal (claim 3, shallow engagement)."""

    default_weeks: ClassVar[int | None] = 12
    informs: ClassVar[bool] = False
    type: Literal["marketing_campaign"]
    reach: float = param(0.4, 0.0, 1.0, "probability per week", "Campaigns reach people fast.")
    hype: float = param(0.6, 0.0, 2.0, "push units", "Novelty nudges people to try.")
    money_fixed: float = param(40_000.0, 0.0, 1e12, "money", "Agency, events, swag.")
    hours_per_person: float = param(0.5, 0.0, 1e5, "hours per person", "Time at events.")


class Mandate(_Base):
    """Require sign-up and posting (claim 4: sign-ups, not engagement; costs autonomy, trust)."""

    informs: ClassVar[bool] = False
    type: Literal["mandate"]
    reach: float = param(
        0.3,
        0.0,
        1.0,
        "probability per week",
        "The order travels down the management chain: a third hear of it each week.",
    )
    compliance: float = param(
        0.5, 0.0, 1.0, "probability per week", "Mandated people sign up within a few weeks."
    )
    autonomy_cost: float = param(0.25, 0.0, 1.0, "autonomy units", "Being told erodes autonomy.")
    trust_cost: float = param(0.25, 0.0, 1.0, "trust units", "And trust in the initiative.")
    fatigue: float = param(1.0, 0.0, 5.0, "fatigue level", "Compelled posting wears people out.")
    hours_per_person_week: float = param(
        0.5, 0.0, 168.0, "hours per person-week", "Posting on demand takes time."
    )


class Education(_Base):
    """Training on social ways of working and their benefits (claim 10: education first)."""

    default_weeks: ClassVar[int | None] = 8
    informs: ClassVar[bool] = False
    type: Literal["education"]
    mastery_gain: float = param(0.2, 0.0, 1.0, "mastery units", "A course raises skill.")
    trust_gain: float = param(0.08, 0.0, 1.0, "trust units", "Understanding the why builds trust.")
    reach: float = param(0.5, 0.0, 1.0, "probability per week", "Participants hear of it.")
    money_per_person: float = param(150.0, 0.0, 1e9, "money per participant", "Course costs.")
    hours_per_person: float = param(4.0, 0.0, 1e5, "hours per participant", "Half a day.")


class Communities(_Base):
    """Communities of practice around real goals, one per department (claim 2).

    ``target`` picks the roles and departments; in each targeted department, ``members`` of
    its eligible people found the community (or ``target.count`` founders per department)."""

    type: Literal["communities"]
    goal_fit: float = param(
        0.8, 0.0, 1.0, "[0,1]", "A goal meaningful to members and relevant to the business."
    )
    members: float = param(
        0.3,
        0.0,
        1.0,
        "share of the target",
        "Volunteers, more likely the more purpose and community drive them.",
    )
    managers: bool = Field(True, description="Each community gets a strong community manager.")
    manager_strength: float = param(
        0.8, 0.0, 1.0, "helper units", "Strong community managers lead and give direction."
    )
    purpose_gain: float = param(0.15, 0.0, 1.0, "purpose units", "A shared goal gives purpose.")
    community_gain: float = param(0.25, 0.0, 1.0, "community units", "Belonging.")
    hours_per_person_week: float = param(
        1.0, 0.0, 168.0, "hours per member-week", "Members' time in community work."
    )
    manager_hours_week: float = param(
        8.0, 0.0, 168.0, "hours per community-week", "A community manager's time."
    )

    @model_validator(mode="after")
    def _no_target_share(self) -> Communities:
        if self.target.share is not None:
            raise ValueError(
                "communities take the share of each department's people who found its "
                "community from 'members' (now "
                f"{self.members:g}); target.share = {self.target.share:g} would be ignored: "
                "set members instead"
            )
        return self


class Council(_Base):
    """Social-media council of practitioners across businesses (claim 3, bootstrap step 2)."""

    type: Literal["council"]
    members: int = param(12, 1, 10_000, "people", "A practitioner or two per business.")
    goal_fit_gain: float = param(
        0.08, 0.0, 1.0, "[0,1]", "Sharing what works sharpens every community's goal."
    )
    hours_per_person_week: float = param(
        2.0, 0.0, 168.0, "hours per member-week", "Monthly meetings plus shared services."
    )


class CenterOfExcellence(_Base):
    """A small center of experts (typically 2-6) advising communities and the tribe."""

    type: Literal["center_of_excellence"]
    experts: int = param(4, 1, 100, "people", "The sources: typically only 2 to 6 people.")
    capacity: int = param(
        150, 1, 100_000, "people supported per expert", "One expert can coach about 150 people."
    )
    strength: float = param(0.6, 0.0, 1.0, "helper units", "Expert advice at full capacity.")
    goal_fit_gain: float = param(0.05, 0.0, 1.0, "[0,1]", "Best practice from outside.")
    hours_per_person_week: float = param(
        40.0, 0.0, 168.0, "hours per expert-week", "Experts work on it full time."
    )


class ChampionTribe(_Base):
    """A volunteer tribe 10-100x the center, linking grass roots to enterprise goals."""

    type: Literal["champion_tribe"]
    target: Target = Target(share=0.04)
    goal_fit: float = param(
        0.7, 0.0, 1.0, "[0,1]", "The tribe's goal: spread the practices, with clear roles."
    )
    influence_gain: float = param(2.0, 1.0, 20.0, "multiplier", "Champions speak up.")
    team_help: float = param(0.4, 0.0, 1.0, "helper units", "A champion helps their team.")
    motivation_gain: float = param(0.2, 0.0, 1.0, "motivation units", "Clear roles, real goals.")
    hours_per_person_week: float = param(
        2.0, 0.0, 168.0, "hours per champion-week", "Volunteers give a couple of hours a week."
    )


class ExecutiveSponsorship(_Base):
    """Leaders walk the talk: visible role models (claim 7)."""

    type: Literal["executive_sponsorship"]
    target: Target = Target(roles=("leader",))
    visibility: float = param(1.0, 0.0, 1.0, "[0,1]", "Everyone sees what leaders do.")
    commitment: float = param(
        0.3, 0.0, 1.0, "motivation and trust units", "Sponsors commit personally."
    )
    informal_leaders: float = param(
        0.05,
        0.0,
        0.5,
        "share of staff",
        "The most influential people (informal leaders, front-line shot-callers) are enlisted "
        "as role models too: formal and informal leaders must walk the talk. 5% of staff is "
        "the heavy tail of informal influence; with 2% the measured effect of sponsorship "
        "(claim 7) was under 3 points.",
    )
    hours_per_person_week: float = param(
        1.0, 0.0, 168.0, "hours per leader-week", "An hour a week of visible use."
    )


class ManagerEngagement(_Base):
    """Engage middle managers: their feedback and support (claim 6)."""

    type: Literal["manager_engagement"]
    target: Target = Target(roles=("middle_manager",))
    support: float = param(0.8, 0.0, 2.0, "support units", "Engaged managers back their teams.")
    trust_gain: float = param(0.2, 0.0, 1.0, "trust units", "Being heard builds trust.")
    hours_per_person: float = param(4.0, 0.0, 1e5, "hours per manager", "A workshop.")
    hours_per_person_week: float = param(
        0.5, 0.0, 168.0, "hours per manager-week", "Follow-up and feedback loops."
    )


class VeteranReinforcement(_Base):
    """Reinforce veterans and onboard new hires into the new way (claim 5)."""

    type: Literal["veteran_reinforcement"]
    target: Target = Target(roles=("veteran",))
    commitment: float = param(
        0.3, 0.0, 1.0, "motivation and trust units", "Veterans asked for their insight buy in."
    )
    onboarding_mastery: float = param(
        0.2, 0.0, 1.0, "mastery units", "New hires learn the new way from day one."
    )
    hours_per_person: float = param(2.0, 0.0, 1e5, "hours per veteran", "Listening sessions.")
    hours_per_person_week: float = param(
        0.25, 0.0, 168.0, "hours per veteran-week", "Mentoring newcomers."
    )


class WinOverCritics(_Base):
    """Pitch to adversaries and take their feedback (claim 9)."""

    type: Literal["win_over_critics"]
    conversion: float = param(
        0.6, 0.0, 1.0, "share of targeted critics", "Most critics who are heard stop opposing."
    )
    trust_gain: float = param(0.3, 0.0, 1.0, "trust units", "Converted critics trust the plan.")
    plan_gain: float = param(
        0.05, 0.0, 1.0, "[0,1]", "Battle-tested plan: goal fit and relevance improve."
    )
    hours_per_person: float = param(6.0, 0.0, 1e5, "hours per critic", "Several conversations.")


class PilotTools(_Base):
    """Pilot several tools with a small group, keep the best fit (claim 10)."""

    default_weeks: ClassVar[int | None] = 12
    type: Literal["pilot_tools"]
    target: Target = Target(share=0.05)
    tools: int = param(3, 1, 20, "tools", "Try a few tools and approaches.")
    money_fixed: float = param(15_000.0, 0.0, 1e12, "money", "Trial licences and set-up.")
    hours_per_person_week: float = param(
        1.0, 0.0, 168.0, "hours per pilot-user-week", "Pilot users give feedback."
    )


class Gamification(_Base):
    """Points and badges: a push while it lasts, a withdrawal when it ends."""

    default_weeks: ClassVar[int | None] = 12
    informs: ClassVar[bool] = False
    type: Literal["gamification"]
    push: float = param(0.8, 0.0, 2.0, "push units", "Extrinsic rewards nudge activity.")
    withdrawal_weeks: int = param(8, 0, 104, "weeks", "Rewards gone, interest drops.")
    withdrawal: float = param(0.8, 0.0, 5.0, "fatigue level", "Lapse pressure after the end.")
    money_fixed: float = param(20_000.0, 0.0, 1e12, "money", "Platform add-on.")
    money_per_person: float = param(20.0, 0.0, 1e9, "money per person", "Prizes.")


class PublishOutcomes(_Base):
    """Measure and publish outcomes: fewer and shorter meetings, faster cycles (claim 8)."""

    informs: ClassVar[bool] = False
    type: Literal["publish_outcomes"]
    strength: float = param(1.0, 0.0, 1.0, "[0,1]", "How visible and credible the figures are.")
    interval: int = param(4, 1, 52, "weeks", "Monthly reports.")
    hours_per_person: float = param(0.0, 0.0, 1e5, "hours per person", "Nothing asked of staff.")
    analyst_hours_week: float = param(
        4.0, 0.0, 168.0, "hours per week", "An analyst measures and writes it up."
    )


INTERVENTION_TYPES = (
    LaunchPlatform,
    MarketingCampaign,
    Mandate,
    Education,
    Communities,
    Council,
    CenterOfExcellence,
    ChampionTribe,
    ExecutiveSponsorship,
    ManagerEngagement,
    VeteranReinforcement,
    WinOverCritics,
    PilotTools,
    Gamification,
    PublishOutcomes,
)

Intervention = Annotated[
    LaunchPlatform
    | MarketingCampaign
    | Mandate
    | Education
    | Communities
    | Council
    | CenterOfExcellence
    | ChampionTribe
    | ExecutiveSponsorship
    | ManagerEngagement
    | VeteranReinforcement
    | WinOverCritics
    | PilotTools
    | Gamification
    | PublishOutcomes,
    Field(discriminator="type"),
]
