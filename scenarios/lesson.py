"""Classroom lessons: a pair of scenarios plus what a trainer says around them.

A lesson is a TOML file (the built-in ones are in ``scenarios/lessons/``; a trainer copies one
with ``adoptsim lessons show NAME`` and edits it), validated like a scenario: unknown keys and
bad values are refused with the file, the field and a hint, and both scenarios of the pair are
loaded (with the lesson's overrides) so that a misspelt name or a bad override is found when
the lesson is checked, not in front of the class.

A lesson's words describe mechanisms, not numbers: the numbers are the run's.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator

from simulation import EVENT_KINDS, ConfigError, Frozen

from .loader import (
    _tuples,
    builtin_names,
    format_errors,
    load_scenario,
    names_in,
    read_toml,
    resolve_file,
)
from .schema import Scenario

__all__ = [
    "LESSONS",
    "Lesson",
    "LessonScenario",
    "LiveSettings",
    "lesson_names",
    "lesson_path",
    "load_lesson",
]

LESSONS = Path(__file__).parent / "lessons"


class LessonScenario(Frozen):
    """One side of the lesson's comparison."""

    scenario: str = Field(
        min_length=1,
        description="A built-in scenario name, or a TOML file (relative to the lesson file).",
    )
    label: str | None = Field(None, max_length=60, description="Its name in the classroom.")
    set: dict[str, Any] = Field(
        default_factory=dict,
        description='Overrides, as --set gives them: { "conditions.trust" = 0.5 }.',
    )


class LiveSettings(Frozen):
    """The organization the lesson is shown on, live (both scenarios meet the same one)."""

    employees: int = Field(
        500, ge=20, le=5000, description="Head count: a few hundred people read well on screen."
    )
    weeks: int = Field(104, ge=4, le=520, description="Horizon in weeks.")
    seed: int = Field(7, ge=0, description="The organization (its seed).")


class Lesson(Frozen):
    """A lesson preset: the pair of scenarios, the question to ask before running, the talking
    points, what to point at when the answer shows, and the events to watch for."""

    name: str = Field(min_length=1, max_length=60, description="Short name (the file's stem).")
    title: str = Field(min_length=1, max_length=100, description="The lesson's title.")
    summary: str = Field(min_length=1, max_length=200, description="One line: what it shows.")
    claims: tuple[int, ...] = Field((), description="Domain claims (DESIGN section 3) it shows.")
    question: str = Field(min_length=1, description="What to ask the class before running.")
    talking_points: tuple[str, ...] = Field(min_length=1, description="What to explain.")
    point_at: tuple[str, ...] = Field(
        min_length=1, description="What to point at on the screen when the answer shows."
    )
    watch: tuple[str, ...] = Field(
        (), description="Kinds of events the ticker should make the class notice."
    )
    scenarios: tuple[LessonScenario, LessonScenario] = Field(
        description="Exactly two: the plan the class expects to work, and the one that does."
    )
    live: LiveSettings = LiveSettings()

    @field_validator("claims")
    @classmethod
    def _claims(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        bad = [c for c in value if not 1 <= c <= 12]
        if bad:
            raise ValueError(f"claims are numbered 1 to 12 (DESIGN section 3), not {bad}")
        return value

    @field_validator("watch")
    @classmethod
    def _watch(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for kind in value:
            if kind not in EVENT_KINDS:
                close = difflib.get_close_matches(kind, EVENT_KINDS, n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                raise ValueError(
                    f"{kind!r} is not a kind of event.{hint} Kinds: {', '.join(EVENT_KINDS)}"
                )
        return value

    def labels(self) -> tuple[str, str]:
        return tuple(s.label or s.scenario for s in self.scenarios)  # type: ignore[return-value]

    def load_pair(
        self, base: Path | None = None, employees: int | None = None, weeks: int | None = None
    ) -> tuple[Scenario, Scenario]:
        """Both scenarios, with the lesson's overrides and its live organization's size and
        horizon (or those given), each named by its label. ``base``: the folder relative
        scenario files are in (the lesson file's)."""
        return self.load_side(0, base, employees, weeks), self.load_side(1, base, employees, weeks)

    def load_side(
        self,
        i: int,
        base: Path | None = None,
        employees: int | None = None,
        weeks: int | None = None,
    ) -> Scenario:
        side, label = self.scenarios[i], self.labels()[i]
        size = self.live.employees if employees is None else employees
        horizon = self.live.weeks if weeks is None else weeks
        sets = [f"{k}={_toml_value(v)}" for k, v in side.set.items()]
        sets += [f"organization.employees={size}", f"weeks={horizon}", f"name={_toml_value(label)}"]
        return load_scenario(_scenario_ref(side.scenario, base), sets)


def _toml_value(value: Any) -> str:
    """A value as ``--set`` reads it (TOML)."""
    import tomli_w

    return tomli_w.dumps({"v": value}).split("=", 1)[1].strip()


def _scenario_ref(ref: str, base: Path | None) -> str:
    if ref in builtin_names() or base is None or Path(ref).is_absolute():
        return ref
    near = base / ref
    return str(near) if near.is_file() else ref  # else the scenario loader's message and hint


def lesson_names() -> list[str]:
    return names_in(LESSONS)


def lesson_path(ref: str | Path) -> Path:
    """The file of a built-in lesson name, or the file given."""
    return resolve_file(ref, LESSONS, "lesson")


def load_lesson(ref: str | Path, check_scenarios: bool = True) -> Lesson:
    """Load and validate a lesson (built-in name or file); with ``check_scenarios``, both
    scenarios are loaded with the lesson's overrides too, and their errors are the lesson's."""
    path = lesson_path(ref)
    data = read_toml(path)
    data.setdefault("name", path.stem)
    try:
        # strict, as scenarios are: a boolean or text is not a number
        lesson = Lesson.model_validate(_tuples(data), strict=True)
    except ValidationError as err:
        raise ConfigError(format_errors(err, str(path), data, Lesson, "lesson")) from None
    if check_scenarios:
        problems = []
        for i in range(2):
            try:
                lesson.load_side(i, path.parent)
            except ConfigError as err:
                problems.append(f"scenarios.{i}: {err}")
        if problems:
            raise ConfigError(f"{path}: " + "\n".join(problems))
    return lesson
