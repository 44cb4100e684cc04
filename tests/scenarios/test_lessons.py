"""Lesson presets: every shipped lesson validates with both scenarios; bad lessons get file,
field and hint; `adoptsim lessons` lists, shows and validates."""

from __future__ import annotations

import tomllib

import pytest

from scenarios import Lesson, lesson_names, load_lesson
from simulation import EVENT_KINDS, ConfigError

GOOD = """
title = "My lesson"
summary = "What it shows."
claims = [1]
question = "What will happen?"
talking_points = ["One mechanism."]
point_at = ["The curve."]
watch = ["stalled"]
[[scenarios]]
scenario = "provide-and-pray"
[[scenarios]]
scenario = "{second}"
label = "Mine"
set = {{ "conditions.trust" = 0.6 }}
[live]
employees = 200
weeks = 30
"""


def _write(tmp_path, text, name="lesson.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_at_least_six_lessons_cover_the_issue_topics_and_all_validate():
    names = lesson_names()
    assert len(names) >= 6
    claims = set()
    for name in names:
        lesson = load_lesson(name)  # both scenarios loaded with the overrides
        assert lesson.name == name and len(lesson.scenarios) == 2
        assert lesson.question and lesson.talking_points and lesson.point_at
        assert set(lesson.watch) <= set(EVENT_KINDS)
        a, b = lesson.load_pair()
        assert (a.name, b.name) == lesson.labels()
        assert a.organization.employees == b.organization.employees == lesson.live.employees
        claims |= set(lesson.claims)
    # provide-and-pray vs goal-led, mandate, veterans, middle managers, leaders, momentum
    assert {1, 2, 4, 5, 6, 7, 8} <= claims
    assert "provide-and-pray" in names


def test_words_describe_mechanisms_not_numbers():
    for name in lesson_names():
        lesson = load_lesson(name, check_scenarios=False)
        for text in (*lesson.talking_points, *lesson.point_at, lesson.question):
            assert "%" not in text and not any(ch.isdigit() for ch in text), (name, text)


def test_a_copied_lesson_with_a_relative_scenario_file_and_overrides(tmp_path):
    (tmp_path / "plans").mkdir()
    scenario = tmp_path / "plans" / "mine.toml"
    scenario.write_text('name = "mine"\n[[plan]]\ntype = "launch_platform"\n', encoding="utf-8")
    lesson = load_lesson(_write(tmp_path, GOOD.format(second="plans/mine.toml")))
    a, b = lesson.load_pair(tmp_path)
    assert (a.name, b.name) == ("provide-and-pray", "Mine")
    assert b.conditions.trust == 0.6 and a.weeks == b.weeks == 30
    assert [p.type for p in b.plan] == ["launch_platform"]
    assert lesson.load_pair(tmp_path, employees=120)[1].organization.employees == 120


@pytest.mark.parametrize(
    ("change", "fragments"),
    [
        (("summary = ", "sumary = "), ["lesson.toml", "sumary: unknown field", "'summary'"]),
        (('watch = ["stalled"]', 'watch = ["stall"]'), ["watch", "'stalled'"]),
        (("claims = [1]", "claims = [13]"), ["claims", "1 to 12"]),
        (('point_at = ["The curve."]', "point_at = []"), ["point_at"]),
        (("employees = 200", "employees = 5"), ["live.employees = 5", "greater than or equal"]),
        (('scenario = "provide-and-pray"', 'scenario = "provide-and-pra"'),
         ["scenarios.0", "Did you mean 'provide-and-pray'"]),
        (('"conditions.trust" = 0.6', '"conditions.trust" = 3'),
         ["scenarios.1", "trust = 3 is outside the allowed range"]),
    ],
)
def test_bad_lessons_name_file_field_and_hint(tmp_path, change, fragments):
    text = GOOD.format(second="goal-led-communities").replace(*change)
    with pytest.raises(ConfigError) as err:
        load_lesson(_write(tmp_path, text))
    for f in fragments:
        assert f in str(err.value), str(err.value)


def test_three_scenarios_are_refused(tmp_path):
    text = GOOD.format(second="mandate") + '[[scenarios]]\nscenario = "bootstrap"\n'
    with pytest.raises(ConfigError, match="scenarios"):
        load_lesson(_write(tmp_path, text.replace("[live]\nemployees = 200\nweeks = 30\n", "")))


def test_cli_lists_shows_and_validates(adoptsim_cli, tmp_path):
    code, out, _ = adoptsim_cli("lessons")
    assert code == 0
    for name in lesson_names():
        lesson = load_lesson(name, check_scenarios=False)
        assert name in out and lesson.labels()[0] in out
    code, out, _ = adoptsim_cli("lessons", "show", "provide-and-pray")
    assert code == 0
    shown = Lesson.model_validate({"name": "provide-and-pray", **tomllib.loads(out)})
    assert shown == load_lesson("provide-and-pray")
    good = _write(tmp_path, GOOD.format(second="mandate"), "good.toml")
    bad = _write(tmp_path, GOOD.format(second="nope"), "bad.toml")
    assert adoptsim_cli("lessons", "validate", good)[0] == 0
    code, out, err = adoptsim_cli("lessons", "validate", good, bad)
    assert code == 2 and "bad.toml" in err and "scenarios.1" in err and "Traceback" not in err
    code, _, err = adoptsim_cli("lessons", "show", "nope")
    assert code == 2 and "Built-in lessons" in err
